//! Ids never break: validation against published releases, and the redirects' own rules.

// Test helpers may unwrap: a panic there is a failed assertion with a backtrace.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::{Path, PathBuf};

use diplomacy_validate::{Code, Diagnostic, Options, validate_dir, validate_dir_with};

const OLD_ID: &str = "2001-rus-jpn-duma-delegation-visit";
const NEW_ID: &str = "2001-rus-jpn-duma-visit";

fn base() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/base")
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let target = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &target);
        } else {
            fs::copy(&p, &target).unwrap();
        }
    }
}

/// The fixture in `<tmp>/data`, and its tables published as release 1.0.0 under
/// `<tmp>/releases` (the package's name, version and tables, and the CSV tables it lists,
/// are what is read).
fn published(tmp: &Path) -> (PathBuf, PathBuf) {
    let data_dir = tmp.join("data");
    copy_dir(&base(), &data_dir);
    let valid = validate_dir(&data_dir).into_valid().unwrap();
    let release = tmp.join("releases/validator-fixture-1.0.0");
    fs::create_dir_all(release.join("csv")).unwrap();
    let mut data = valid.data;
    data.sort();
    data.write_csv_dir(release.join("csv")).unwrap();
    // The package lists each table with its primary key, as a release's does: that is what
    // a published release is read by.
    let resources: Vec<String> = fs::read_dir(release.join("csv"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|f| f.strip_suffix(".csv").map(str::to_owned))
        .map(|t| {
            let key = if t == "redirects" { "from" } else { "id" };
            format!(
                r#"{{"name": "{t}", "path": "csv/{t}.csv", "schema": {{"primaryKey": ["{key}"]}}}}"#
            )
        })
        .collect();
    fs::write(
        release.join("datapackage.json"),
        format!(
            r#"{{"name": "validator-fixture", "version": "1.0.0", "resources": [{}]}}"#,
            resources.join(", ")
        ),
    )
    .unwrap();
    seal(&release);
    (data_dir, tmp.join("releases"))
}

/// Writes the release's `SHA256SUMS` for the files it holds now, as publishing does.
fn seal(release: &Path) {
    let mut lines = Vec::new();
    for rel in ["datapackage.json".to_owned()].into_iter().chain(
        fs::read_dir(release.join("csv"))
            .unwrap()
            .map(|e| format!("csv/{}", e.unwrap().file_name().to_string_lossy())),
    ) {
        let bytes = fs::read(release.join(&rel)).unwrap();
        lines.push(format!(
            "{}  {rel}\n",
            diplomacy_validate::sha256_hex(&bytes)
        ));
    }
    lines.sort();
    fs::write(release.join("SHA256SUMS"), lines.concat()).unwrap();
}

fn rename(data_dir: &Path) {
    let path = data_dir.join("visits.toml");
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(OLD_ID));
    fs::write(&path, text.replace(OLD_ID, NEW_ID)).unwrap();
}

fn check(data_dir: &Path, releases: &Path) -> Vec<Diagnostic> {
    let mut options = Options::default();
    options.releases = Some(releases.to_path_buf());
    options.keep_records = false;
    validate_dir_with(data_dir, &options).diagnostics
}

#[test]
fn an_unchanged_dataset_keeps_every_published_id() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, releases) = published(tmp.path());
    assert_eq!(check(&data, &releases), []);
}

#[test]
fn a_rename_without_a_redirect_is_an_error_at_the_tables_file() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, releases) = published(tmp.path());
    rename(&data);
    // Without the releases the rename is invisible.
    assert!(validate_dir(&data).is_valid());
    let found = check(&data, &releases);
    assert_eq!(found.len(), 1, "{found:?}");
    let d = &found[0];
    assert_eq!(d.code, Code::IdRemoved);
    assert_eq!(
        (d.path.clone(), d.line, d.column),
        (data.join("visits.toml"), 1, 1)
    );
    let shown = d.to_string();
    assert!(
        shown.contains("visits.toml:1:1: error[E080]: id \"2001-rus-jpn-duma-delegation-visit\" of visits, published in validator-fixture-1.0.0"),
        "{shown}"
    );
    assert!(shown.contains("[[redirects]]"), "{shown}");
}

#[test]
fn a_rename_with_a_redirect_is_valid() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, releases) = published(tmp.path());
    rename(&data);
    fs::write(
        data.join("redirects.toml"),
        format!(
            "#:schema ../../schema/redirects.schema.json\n[[redirects]]\nfrom = \"{OLD_ID}\"\nto = \"{NEW_ID}\"\nreason = \"Shorter id.\"\n"
        ),
    )
    .unwrap();
    assert_eq!(check(&data, &releases), []);
    let valid = validate_dir(&data).into_valid().unwrap();
    let found = valid.data.resolve(OLD_ID).unwrap();
    assert_eq!(found.id, NEW_ID);
}

#[test]
fn redirects_lead_somewhere_without_cycles() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, releases) = published(tmp.path());
    fs::write(
        data.join("redirects.toml"),
        "#:schema ../../schema/redirects.schema.json\n[[redirects]]\nfrom = \"old-a\"\nto = \"nowhere\"\nreason = \"x\"\n\n\
         [[redirects]]\nfrom = \"testname-taro\"\nto = \"fixturov-ivan\"\nreason = \"x\"\n\n\
         [[redirects]]\nfrom = \"loop-a\"\nto = \"loop-b\"\nreason = \"x\"\n\n\
         [[redirects]]\nfrom = \"loop-b\"\nto = \"loop-a\"\nreason = \"x\"\n\n\
         [[redirects]]\nfrom = \"old-a\"\nto = \"testname-taro\"\nreason = \"x\"\n",
    )
    .unwrap();
    let found: Vec<String> = check(&data, &releases)
        .iter()
        .map(|d| format!("{}:{}:{}", d.line, d.column, d.code))
        .collect();
    assert_eq!(
        found,
        ["4:6:E081", "8:8:E082", "13:8:E083", "23:8:E084"],
        "{:?}",
        check(&data, &releases)
    );
}

/// A long chain of redirects ends at a record: valid; a ring inside a long chain is reported
/// once, at the redirect whose `from` sorts first, with the ring in order.
#[test]
fn long_chains_resolve_and_a_ring_in_one_is_reported_once() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, releases) = published(tmp.path());
    let n = 5000;
    let mut text = String::from("#:schema ../../schema/redirects.schema.json\n");
    for i in 0..n {
        let to = if i + 1 == n {
            "testname-taro".to_owned()
        } else {
            format!("chain-{}", i + 1)
        };
        text.push_str(&format!(
            "[[redirects]]\nfrom = \"chain-{i}\"\nto = \"{to}\"\nreason = \"x\"\n"
        ));
    }
    fs::write(data.join("redirects.toml"), &text).unwrap();
    assert_eq!(check(&data, &releases), []);
    // Close the end of the chain on itself: ring-c -> ring-a -> ring-b -> ring-c.
    for (from, to) in [
        ("ring-a", "ring-b"),
        ("ring-b", "ring-c"),
        ("ring-c", "ring-a"),
    ] {
        text.push_str(&format!(
            "[[redirects]]\nfrom = \"{from}\"\nto = \"{to}\"\nreason = \"x\"\n"
        ));
    }
    text = text.replace("to = \"testname-taro\"", "to = \"ring-c\"");
    fs::write(data.join("redirects.toml"), &text).unwrap();
    let found = check(&data, &releases);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].code, Code::RedirectCycle);
    assert!(
        found[0]
            .message
            .contains("ring-a -> ring-b -> ring-c -> ring-a"),
        "{}",
        found[0].message
    );
}

/// A published release is read as it was written: a column it lacks (one the model has
/// gained since), or one the model no longer has, does not make it unreadable, and its ids
/// are still checked.
#[test]
fn an_older_release_with_other_columns_is_still_read() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, releases) = published(tmp.path());
    let csv = releases.join("validator-fixture-1.0.0/csv/visits.csv");
    let text = fs::read_to_string(&csv).unwrap();
    // Drop the last column (a required one today) and add one the model does not know.
    let changed: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, line)| {
            let mut cells: Vec<&str> = line.split(',').collect();
            cells.pop();
            let extra = if i == 0 { "retired_column" } else { "x" };
            format!("{},{extra}", cells.join(","))
        })
        .collect();
    fs::write(&csv, changed.join("\n") + "\n").unwrap();
    seal(&releases.join("validator-fixture-1.0.0"));
    assert_eq!(check(&data, &releases), []);
    rename(&data);
    let found = check(&data, &releases);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].code, Code::IdRemoved);
}

/// A directory named as a published release of the dataset but without its package is not
/// passed over: the release would otherwise be published again with other data.
#[test]
fn a_published_release_without_its_package_stops_the_check() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, releases) = published(tmp.path());
    fs::create_dir_all(releases.join("validator-fixture-1.1.0/csv")).unwrap();
    let found = check(&data, &releases);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].code, Code::UnreadableRelease);
    assert!(
        found[0].message.contains("has no datapackage.json"),
        "{}",
        found[0].message
    );
}

/// A file of a published release that is not a regular file (a FIFO, which would block a
/// reader for ever) is refused by name, not read.
#[cfg(unix)]
#[test]
fn a_fifo_in_a_published_release_is_refused_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, releases) = published(tmp.path());
    let csv = releases.join("validator-fixture-1.0.0/csv/visits.csv");
    fs::remove_file(&csv).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(&csv)
        .status()
        .unwrap();
    assert!(made.success());
    let found = check(&data, &releases);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].code, Code::UnreadableRelease);
    assert!(
        found[0].message.contains("visits.csv"),
        "{}",
        found[0].message
    );
}

/// A published release's file that no longer matches its `SHA256SUMS` is reported as
/// tampered with, by name, and its ids are not trusted; so is a release with no `SHA256SUMS`
/// and a file the list does not name.
#[test]
fn a_published_release_changed_since_it_was_written_is_reported_as_tampered() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, releases) = published(tmp.path());
    let release = releases.join("validator-fixture-1.0.0");
    let csv = release.join("csv/visits.csv");
    let text = fs::read_to_string(&csv).unwrap();
    fs::write(&csv, text.replace(OLD_ID, NEW_ID)).unwrap();
    let found = check(&data, &releases);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].code, Code::UnreadableRelease);
    let message = &found[0].message;
    assert!(
        message.contains("visits.csv") && message.contains("tampered"),
        "{message}"
    );

    // Unlisted: the list no longer names the file.
    let sums = fs::read_to_string(release.join("SHA256SUMS")).unwrap();
    let without: String = sums
        .lines()
        .filter(|l| !l.ends_with("csv/visits.csv"))
        .map(|l| format!("{l}\n"))
        .collect();
    fs::write(release.join("SHA256SUMS"), without).unwrap();
    let found = check(&data, &releases);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0]
            .message
            .contains("not listed in the release's SHA256SUMS"),
        "{}",
        found[0].message
    );

    // No list at all.
    fs::remove_file(release.join("SHA256SUMS")).unwrap();
    let found = check(&data, &releases);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].message.contains("has no SHA256SUMS"),
        "{}",
        found[0].message
    );
}

/// A published release's file that is a link to a device (`/dev/zero`, read until memory
/// runs out) or to a file outside the release is refused by name, not read.
#[cfg(unix)]
#[test]
fn a_link_out_of_a_published_release_is_refused_not_read() {
    for target in ["/dev/zero", "/etc/hostname"] {
        let tmp = tempfile::tempdir().unwrap();
        let (data, releases) = published(tmp.path());
        let csv = releases.join("validator-fixture-1.0.0/csv/visits.csv");
        fs::remove_file(&csv).unwrap();
        std::os::unix::fs::symlink(target, &csv).unwrap();
        let found = check(&data, &releases);
        assert_eq!(found.len(), 1, "{target}: {found:?}");
        assert_eq!(found[0].code, Code::UnreadableRelease);
        let message = &found[0].message;
        assert!(
            message.contains("visits.csv") && message.contains("leads out of the release"),
            "{message}"
        );
    }
}
