//! `diplomacy diff`, `validate --releases` and `release --releases` on a dataset made by
//! `diplomacy new`.

// Test helpers may unwrap: a panic there is a failed assertion with a backtrace.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

const VISIT: &str = "2001-05-xaa-xab-special-envoy-visit";

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_diplomacy"))
}

fn run(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
    let mut cmd = bin();
    for a in args {
        cmd.arg(a);
    }
    cmd.output().unwrap()
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from));
    fs::write(path, text.replace(from, to)).unwrap();
}

#[test]
fn publish_diff_and_validate_against_the_releases() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let releases = tmp.path().join("releases");
    assert!(run(&[&"new", &data]).status.success());
    let out = run(&[
        &"release",
        &data,
        &"--out",
        &releases,
        &"--releases",
        &releases,
    ]);
    assert!(out.status.success(), "{out:?}");
    let published = releases.join("data-0.1.0");
    assert!(published.join("CHANGELOG.md").is_file());

    // A correction: the diff shows it, old -> new.
    let visits = data.join("visits.toml");
    edit(
        &visits,
        "Special Envoy of Example Country A visited",
        "Special Envoy of Example Country A went to",
    );
    let out = run(&[&"diff", &published, &data]);
    assert!(out.status.success(), "{out:?}");
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(
        md.starts_with("# Changes from data 0.1.0 to data 0.1.0\n"),
        "{md}"
    );
    assert!(md.contains(&format!("- Corrected (1):\n  - `{VISIT}`\n    - `summary`: `The Special Envoy of Example Country A visited Example Country B.` → `The Special Envoy of Example Country A went to Example Country B.`")), "{md}");
    let out = run(&[&"diff", &published, &data, &"--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["tables"][0]["changed"][0]["id"], VISIT);

    // Same version, other data: refused, nothing written.
    let dist = tmp.path().join("dist");
    let out = run(&[&"release", &data, &"--out", &dist, &"--releases", &releases]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("version 0.1.0 is already published with other data"),
        "{err}"
    );
    assert!(!dist.join("data-0.1.0").exists());

    // A renamed id breaks the published one: validate names the file and the release.
    edit(&visits, VISIT, "2001-05-xaa-xab-envoy-visit");
    let out = run(&[&"validate", &data]);
    assert!(out.status.success(), "{out:?}");
    let out = run(&[&"validate", &data, &"--releases", &releases]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "visits.toml:1:1: error[E080]: id \"{VISIT}\" of visits, published in data-0.1.0"
        )),
        "{err}"
    );
}

/// `diff` reads, it never replaces: a side that is missing or not a release says what it
/// could not read, and the heading shows a release's hostile name inert.
#[test]
fn diff_says_what_it_could_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("missing");
    let out = run(&[&"diff", &missing, &missing]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot be read as a dataset or a release") && !stderr.contains("replace"),
        "{stderr}"
    );
    let empty = tmp.path().join("empty");
    fs::create_dir_all(empty.join("csv")).unwrap();
    fs::write(
        empty.join("datapackage.json"),
        r#"{"name": "x", "version": "1.0.0", "resources": [{"name": "visits", "path": "csv/visits.csv"}]}"#,
    )
    .unwrap();
    fs::write(empty.join("csv/visits.csv"), "").unwrap();
    let out = run(&[&"diff", &empty, &empty]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no SHA256SUMS") && !stderr.contains("could not write"),
        "{stderr}"
    );
}
