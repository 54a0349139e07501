//! What the commands print never carries a raw control character taken from their input: a
//! directory name holding a terminal escape is shown escaped.
#![allow(clippy::unwrap_used)]

use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_diplomacy"))
}

#[cfg(unix)]
#[test]
fn a_hostile_directory_name_is_shown_escaped() {
    let tmp = tempfile::tempdir().unwrap();
    let plain = tmp.path().join("ds");
    assert!(bin().arg("new").arg(&plain).status().unwrap().success());
    let hostile = tmp.path().join("a\u{1b}[2Jb");
    std::fs::rename(&plain, &hostile).unwrap();
    for args in [vec!["validate"], vec!["upgrade"]] {
        let out = bin().args(&args).arg(&hostile).output().unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
        let shown = [out.stdout, out.stderr].concat();
        assert!(
            !shown.contains(&0x1b),
            "{args:?} printed a raw ESC: {shown:?}"
        );
        assert!(
            String::from_utf8_lossy(&shown).contains("a\\u{1b}[2Jb"),
            "{args:?}: {}",
            String::from_utf8_lossy(&shown)
        );
    }
    // A path that cannot be read: the error names it escaped too.
    let out = bin()
        .arg("validate")
        .arg(tmp.path().join("missing\u{7}"))
        .output()
        .unwrap();
    assert!(!out.stderr.contains(&0x07), "{:?}", out.stderr);
}

/// A command that runs out of memory (here: a 300 MB table under a 200 MB address-space
/// limit) exits 3 with a message saying so, rather than aborting.
#[cfg(target_os = "linux")]
#[test]
fn out_of_memory_is_a_message_and_exit_code_3_not_an_abort() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("ds");
    assert!(bin().arg("new").arg(&data).status().unwrap().success());
    // Sparse: no disk is used, but reading it needs 300 MB.
    let table = std::fs::OpenOptions::new()
        .write(true)
        .open(data.join("visits.toml"))
        .unwrap();
    table.set_len(300 << 20).unwrap();
    let out = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 200000 && exec \"$0\" validate \"$1\"")
        .arg(env!("CARGO_BIN_EXE_diplomacy"))
        .arg(&data)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("error: out of memory: could not allocate ")
            && stderr.contains("ulimit -v"),
        "{stderr}"
    );
}
