//! A dataset written to the contract's earlier layout (no `#:schema` directives, no schema
//! files, none of the newer optional fields) stays valid with warnings only, `validate
//! --deny-warnings` fails on them, and `diplomacy upgrade` makes them go away without
//! changing the data.

// Test helpers may unwrap: a panic there is a failed assertion with a backtrace.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_diplomacy"));
    for a in args {
        cmd.arg(a);
    }
    cmd.output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The authoring files of `dir`, by name, with their bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, fs::read(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

/// A new dataset turned into the earlier layout: every directive line and the schema
/// files removed.
fn earlier_layout(root: &Path) -> std::path::PathBuf {
    let dir = root.join("old");
    assert!(run(&[&"new", &dir]).status.success());
    for (name, bytes) in files(&dir) {
        let text = String::from_utf8(bytes).unwrap();
        let (first, rest) = text.split_once('\n').unwrap();
        assert!(first.starts_with("#:schema"), "{name}: {first}");
        fs::write(dir.join(&name), rest).unwrap();
    }
    fs::remove_dir_all(dir.join("schema")).unwrap();
    dir
}

#[test]
fn a_dataset_of_the_earlier_layout_has_warnings_only_until_upgraded() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = earlier_layout(tmp.path());
    let before = files(&dir);

    let out = run(&[&"validate", &dir]);
    let text = stderr(&out);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("warning[W001]"), "{text}");
    assert!(!text.contains("error["), "{text}");
    assert!(text.contains("ok (6 warning(s))"), "{text}");

    let out = run(&[&"validate", &dir, &"--deny-warnings"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));

    let out = run(&[&"upgrade", &dir]);
    let text = stderr(&out);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("up to date"), "{text}");
    assert!(dir.join("schema/visits.schema.json").is_file());

    // The data is unchanged: each file is its old bytes under one new directive line.
    let after = files(&dir);
    assert_eq!(after.len(), before.len());
    for ((name, old), (_, new)) in before.iter().zip(&after) {
        let new = String::from_utf8(new.clone()).unwrap();
        let (first, rest) = new.split_once('\n').unwrap();
        let schema = format!(
            "#:schema schema/{}.schema.json",
            name.trim_end_matches(".toml")
        );
        assert_eq!(first, schema);
        assert_eq!(rest.as_bytes(), old.as_slice(), "{name}");
    }

    let out = run(&[&"validate", &dir, &"--deny-warnings"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));

    // A second upgrade has nothing to do.
    let out = run(&[&"upgrade", &dir]);
    let text = stderr(&out);
    assert!(out.status.success(), "{text}");
    assert!(!text.contains("added"), "{text}");
    assert_eq!(files(&dir), after);
}

#[test]
fn a_wrong_directive_stays_an_error_that_upgrade_does_not_hide() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ds");
    assert!(run(&[&"new", &dir]).status.success());
    let visits = dir.join("visits.toml");
    let text = fs::read_to_string(&visits).unwrap();
    fs::write(
        &visits,
        text.replacen("visits.schema.json", "people.schema.json", 1),
    )
    .unwrap();
    let out = run(&[&"validate", &dir]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("error[E007]"), "{}", stderr(&out));
    let out = run(&[&"upgrade", &dir]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("error[E007]"), "{}", stderr(&out));
}
