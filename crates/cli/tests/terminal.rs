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
