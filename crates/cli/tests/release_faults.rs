//! A release under faults: killed, interrupted, racing another run, replacing what it must
//! not, crashing between the steps of a replace, on a read-only or a full file system.
//!
//! Each fault is placed deterministically: the binary is built with the `failpoints`
//! feature and the `FAILPOINTS` environment variable pauses or crashes it at a named step;
//! the test waits for the state that proves the run reached that step, never for a time.
#![cfg(all(feature = "failpoints", target_os = "linux"))]
// Test helpers may unwrap: a panic there is a failed assertion with a backtrace.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const NAME: &str = "fixture-0.1.0";

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_diplomacy"))
}

/// A fresh dataset made by `diplomacy new`, with its release's name [`NAME`].
fn dataset(root: &Path) -> PathBuf {
    let dir = root.join("fixture");
    let out = bin().arg("new").arg(&dir).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    dir
}

fn release(data: &Path, out: &Path, force: bool, failpoints: &str) -> Command {
    let mut cmd = bin();
    cmd.arg("release").arg(data).arg("--out").arg(out);
    if force {
        cmd.arg("--force");
    }
    cmd.env("FAILPOINTS", failpoints)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().unwrap()
}

/// Waits until `cond` holds (the state that proves a step was reached), or fails.
fn wait_for(what: &str, cond: impl Fn() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The run's temporary directory, once it has written its first table.
fn partial_with_a_table(out: &Path) -> Option<PathBuf> {
    fs::read_dir(out)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&format!(".{NAME}.partial-")))
                && p.join("csv/countries.csv").exists()
        })
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Whether `dir` is a complete release: every file its SHA256SUMS lists has that hash.
fn is_complete(dir: &Path) -> bool {
    let Ok(sums) = fs::read_to_string(dir.join("SHA256SUMS")) else {
        return false;
    };
    !sums.is_empty()
        && sums.lines().all(|l| {
            let (hash, rel) = l.split_once("  ").unwrap();
            fs::read(dir.join(rel)).is_ok_and(|b| diplomacy_validate::sha256_hex(&b) == hash)
        })
}

fn signal(child: &Child, sig: &str) {
    let ok = Command::new("kill")
        .arg(format!("-{sig}"))
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(ok.success());
}

/// Pauses the run after its first table, long enough for the test to act.
const PAUSE: &str = "publish::after-table=1*sleep(3000)";

#[test]
fn a_killed_run_leaves_no_release_and_the_next_run_cleans_up() {
    let tmp = tempfile::tempdir().unwrap();
    let data = dataset(tmp.path());
    let out = tmp.path().join("out");
    let mut child = release(&data, &out, false, PAUSE).spawn().unwrap();
    wait_for("the first table", || partial_with_a_table(&out).is_some());
    signal(&child, "KILL");
    child.wait().unwrap();
    assert!(!out.join(NAME).exists(), "a killed run left a release");
    assert_eq!(
        entries(&out).len(),
        1,
        "the killed run's directory is there"
    );
    let ok = run(&mut release(&data, &out, false, ""));
    assert!(ok.status.success(), "{ok:?}");
    assert_eq!(entries(&out), [NAME], "the leftover was not removed");
    assert!(is_complete(&out.join(NAME)));
}

#[test]
fn ctrl_c_stops_the_run_and_cleans_up() {
    let tmp = tempfile::tempdir().unwrap();
    let data = dataset(tmp.path());
    let out = tmp.path().join("out");
    let child = release(&data, &out, false, PAUSE).spawn().unwrap();
    wait_for("the first table", || partial_with_a_table(&out).is_some());
    signal(&child, "INT");
    let done = child.wait_with_output().unwrap();
    assert_eq!(done.status.code(), Some(130), "{done:?}");
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert!(entries(&out).is_empty(), "left behind: {:?}", entries(&out));
}

#[test]
fn of_two_runs_at_once_exactly_one_wins_and_the_other_says_why() {
    let tmp = tempfile::tempdir().unwrap();
    let data = dataset(tmp.path());
    let out = tmp.path().join("out");
    let first = release(&data, &out, false, PAUSE).spawn().unwrap();
    wait_for("the first table", || partial_with_a_table(&out).is_some());
    let second = run(&mut release(&data, &out, false, ""));
    let first = first.wait_with_output().unwrap();
    assert!(first.status.success(), "{first:?}");
    assert_eq!(second.status.code(), Some(1), "{second:?}");
    let why = String::from_utf8_lossy(&second.stderr);
    assert!(why.contains("another release is being written"), "{why}");
    assert_eq!(entries(&out), [NAME]);
    assert!(is_complete(&out.join(NAME)));
    // Run again once the first has finished: it exists, so it is refused, untouched.
    let before = fs::read(out.join(NAME).join("SHA256SUMS")).unwrap();
    let third = run(&mut release(&data, &out, false, ""));
    assert_eq!(third.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&third.stderr).contains("already exists"));
    assert_eq!(fs::read(out.join(NAME).join("SHA256SUMS")).unwrap(), before);
}

#[test]
fn force_never_replaces_what_is_not_a_release_of_this_dataset() {
    let tmp = tempfile::tempdir().unwrap();
    let data = dataset(tmp.path());
    let out = tmp.path().join("out");
    // A directory of the release's name holding someone's work.
    fs::create_dir_all(out.join(NAME)).unwrap();
    fs::write(out.join(NAME).join("thesis.docx"), "work").unwrap();
    let refused = run(&mut release(&data, &out, true, ""));
    assert_eq!(refused.status.code(), Some(1), "{refused:?}");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("not a release of this dataset"));
    assert_eq!(
        fs::read_to_string(out.join(NAME).join("thesis.docx")).unwrap(),
        "work"
    );
    assert_eq!(entries(&out), [NAME]);
    // A regular file of that name.
    fs::remove_dir_all(out.join(NAME)).unwrap();
    fs::write(out.join(NAME), "a file").unwrap();
    let refused = run(&mut release(&data, &out, true, ""));
    assert_eq!(refused.status.code(), Some(1), "{refused:?}");
    assert_eq!(fs::read_to_string(out.join(NAME)).unwrap(), "a file");
    assert_eq!(entries(&out), [NAME]);
    // A real release with a file added to it.
    fs::remove_file(out.join(NAME)).unwrap();
    assert!(run(&mut release(&data, &out, false, "")).status.success());
    fs::write(out.join(NAME).join("notes.txt"), "mine").unwrap();
    let refused = run(&mut release(&data, &out, true, ""));
    assert_eq!(refused.status.code(), Some(1), "{refused:?}");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("notes.txt"));
    assert!(out.join(NAME).join("notes.txt").exists());
    // Without the stray file, --force replaces the release.
    fs::remove_file(out.join(NAME).join("notes.txt")).unwrap();
    let forced = run(&mut release(&data, &out, true, ""));
    assert!(forced.status.success(), "{forced:?}");
    assert!(is_complete(&out.join(NAME)));
}

#[test]
fn a_crash_between_the_steps_of_a_replace_leaves_a_complete_release() {
    let tmp = tempfile::tempdir().unwrap();
    let data = dataset(tmp.path());
    let out = tmp.path().join("out");
    assert!(run(&mut release(&data, &out, false, "")).status.success());
    let old = fs::read(out.join(NAME).join("SHA256SUMS")).unwrap();
    for point in ["publish::before-commit", "publish::after-exchange"] {
        let crashed = run(&mut release(&data, &out, true, &format!("{point}=panic")));
        assert!(!crashed.status.success(), "{point}: {crashed:?}");
        // The old or the new release, complete, is at the target; the same data gives
        // the same bytes, so both are the release of this dataset.
        assert!(is_complete(&out.join(NAME)), "{point}");
        assert_eq!(fs::read(out.join(NAME).join("SHA256SUMS")).unwrap(), old);
        let ok = run(&mut release(&data, &out, true, ""));
        assert!(ok.status.success(), "{point}: {ok:?}");
        assert_eq!(entries(&out), [NAME], "{point}: leftovers");
    }
}

/// Runs a release whose step `failpoints` fails, and checks that it says so (exit 2, an
/// error naming each of `says`) and leaves nothing behind.
fn fails_and_leaves_nothing(failpoints: &str, says: &[&str]) {
    let tmp = tempfile::tempdir().unwrap();
    let data = dataset(tmp.path());
    let out = tmp.path().join("out");
    let failed = run(&mut release(&data, &out, false, failpoints));
    assert_eq!(failed.status.code(), Some(2), "{failed:?}");
    let stderr = String::from_utf8_lossy(&failed.stderr);
    for words in says {
        assert!(
            stderr.contains(words),
            "{failpoints}: no {words:?} in {stderr}"
        );
    }
    assert!(entries(&out).is_empty(), "{:?}", entries(&out));
}

#[test]
fn an_error_while_writing_leaves_nothing() {
    fails_and_leaves_nothing(
        "publish::after-table=2*off->return",
        &["could not write", "injected"],
    );
}

/// The database is finished on a thread of its own while the rest of the release is
/// written: its failure fails the release, and leaves nothing.
#[test]
fn an_error_while_finishing_the_database_leaves_nothing() {
    fails_and_leaves_nothing(
        "publish::finishing-database=return",
        &["could not write", ".sqlite", "injected"],
    );
}

/// Ctrl-C while the database is being finished (every other file written) stops the run
/// there and cleans up.
#[test]
fn ctrl_c_while_the_database_is_finished_stops_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    let data = dataset(tmp.path());
    let out = tmp.path().join("out");
    let child = release(
        &data,
        &out,
        false,
        "publish::finishing-database=sleep(3000)",
    )
    .spawn()
    .unwrap();
    // The documents that do not list the database's checksum are written meanwhile.
    wait_for("the data card", || {
        partial_with_a_table(&out).is_some_and(|p| p.join("README.md").exists())
    });
    signal(&child, "INT");
    let done = child.wait_with_output().unwrap();
    assert_eq!(done.status.code(), Some(130), "{done:?}");
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert!(entries(&out).is_empty(), "left behind: {:?}", entries(&out));
}

/// Memory running out halfway through a release is an exit with a message, not an abort,
/// and leaves the release that was there as it was; the next run cleans up.
#[test]
fn running_out_of_memory_says_so_and_replaces_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let data = dataset(tmp.path());
    let out = tmp.path().join("out");
    let first = run(&mut release(&data, &out, false, ""));
    assert!(first.status.success(), "{first:?}");
    let before = fs::read(out.join(NAME).join("SHA256SUMS")).unwrap();

    let failed = run(&mut release(
        &data,
        &out,
        true,
        "publish::after-table=return(out-of-memory)",
    ));
    assert_eq!(failed.status.code(), Some(3), "{failed:?}");
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(
        stderr.starts_with("error: out of memory: could not allocate 4611686018427387904 bytes."),
        "{stderr}"
    );
    assert!(is_complete(&out.join(NAME)));
    assert_eq!(fs::read(out.join(NAME).join("SHA256SUMS")).unwrap(), before);

    let again = run(&mut release(&data, &out, true, ""));
    assert!(again.status.success(), "{again:?}");
    assert_eq!(entries(&out), [NAME]);
}

/// A tmpfs mounted for one test, unmounted when dropped; `None` where mounting is not
/// allowed (not root, no mount namespace), and the test is skipped.
struct Mount(PathBuf);

impl Mount {
    fn tmpfs(at: &Path, options: &str) -> Option<Self> {
        fs::create_dir_all(at).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", options, "tmpfs"])
            .arg(at)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Self(at.to_path_buf()))
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_read_only_file_system_is_named_in_the_error() {
    let tmp = tempfile::tempdir().unwrap();
    let data = dataset(tmp.path());
    let at = tmp.path().join("ro");
    let Some(_mount) = Mount::tmpfs(&at, "ro,size=1m") else {
        eprintln!("skipped: cannot mount a tmpfs here");
        return;
    };
    let out = at.join("out");
    let failed = run(&mut release(&data, &out, false, ""));
    assert_eq!(failed.status.code(), Some(2), "{failed:?}");
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(
        stderr.contains("could not create directory") && stderr.contains(&*out.to_string_lossy()),
        "{stderr}"
    );
    assert!(stderr.contains("Read-only file system"), "{stderr}");
}

#[test]
fn a_full_file_system_leaves_nothing_behind() {
    let tmp = tempfile::tempdir().unwrap();
    let data = dataset(tmp.path());
    let at = tmp.path().join("full");
    // Room for a few files, not for a whole release.
    let Some(_mount) = Mount::tmpfs(&at, "size=24k") else {
        eprintln!("skipped: cannot mount a tmpfs here");
        return;
    };
    let out = at.join("out");
    let failed = run(&mut release(&data, &out, false, ""));
    assert_eq!(failed.status.code(), Some(2), "{failed:?}");
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert!(stderr.contains(&*out.to_string_lossy()), "{stderr}");
    assert!(entries(&out).is_empty(), "{:?}", entries(&out));
}
