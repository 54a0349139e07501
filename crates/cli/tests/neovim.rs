//! A real client: Neovim's built-in LSP client (headless) opens a dataset file, receives a
//! diagnostic for a broken quote, applies the server's code action, and the diagnostic goes
//! away (`tests/neovim/lsp_quote_fix.lua`). Skipped, saying so, where `nvim` is not installed
//! (CI installs Debian's `neovim`).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read fixture") {
        let entry = entry.expect("entry");
        let dest = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), dest).expect("copy");
        }
    }
}

#[test]
fn neovim_receives_the_diagnostic_applies_the_fix_and_sees_it_cleared() {
    let found = Command::new("nvim")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        eprintln!("SKIPPED: `nvim` is not installed (Debian: apt-get install neovim)");
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().canonicalize().expect("canonical").join("base");
    copy_dir(&root.join("tests/fixtures/base"), &dir);
    let result = tmp.path().join("result.txt");
    let script = root.join("tests/neovim/lsp_quote_fix.lua");
    let mut child = Command::new("nvim")
        .args(["--headless", "--clean", "-n", "-c"])
        .arg(format!("luafile {}", script.display()))
        .env("DATASET", &dir)
        .env("DIPLOMACY", env!("CARGO_BIN_EXE_diplomacy"))
        .env("RESULT", &result)
        .env("HOME", tmp.path())
        .env("XDG_STATE_HOME", tmp.path())
        .env("XDG_CACHE_HOME", tmp.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start nvim");
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break Some(s);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let steps = std::fs::read_to_string(&result).unwrap_or_default();
    let want = "start ok\ninitialize ok\nedit ok\ndiagnostic ok\ncode-action ok\ncleared ok\n";
    assert_eq!(steps, want, "Neovim's steps (exit: {status:?})");
}
