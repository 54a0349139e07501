//! `Dataset::read_release` on releases made here from the curated dataset: what it reads,
//! and every way it fails loudly (a missing directory, a directory one level too high, a
//! missing table, a malformed row).

// The helpers below are part of the tests: a panic there is a failed assertion with a
// backtrace (clippy.toml allows unwrap in `#[test]` functions only).
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::{Path, PathBuf};

use diplomacy_model::{
    Dataset, DatasetTable, Error, Format, TableName, Visit, Vocabulary, WithTable,
};

/// Every table of a release, from the registry.
fn tables() -> Vec<&'static str> {
    TableName::ALL.iter().map(|t| t.as_str()).collect()
}

/// Reads one authoring file of the curated dataset into its table of `data`.
struct ReadFile<'a>(&'a mut Dataset);

impl WithTable for ReadFile<'_> {
    type Output = ();
    fn call<T: DatasetTable>(self) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../datasets/japan-eurasia-diplomacy")
            .join(T::FILE);
        // A table with no file is empty.
        let Ok(text) = fs::read_to_string(&path) else {
            return;
        };
        let mut file: toml::Table =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let records = file
            .remove(T::NAME.as_str())
            .unwrap_or(toml::Value::Array(Vec::new()));
        *T::records_mut(self.0) = records
            .try_into()
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

/// The curated dataset, every authored table, in a release's order.
fn curated() -> Dataset {
    let mut data = Dataset::default();
    for table in TableName::ALL {
        table.with_authored(ReadFile(&mut data));
    }
    // A release publishes how each sentence is accounted for, not the excuses' quotes (the
    // sources' words): they do not come back.
    for s in &mut data.sources {
        s.excused.clear();
    }
    data.sort();
    data
}

/// Writes `data` as a release at `<parent>/example-0.1.0/`: its CSV tables (and Parquet ones
/// with the feature) and a `datapackage.json` that lists `tables`.
fn write_release(parent: &Path, data: &Dataset, tables: &[&str]) -> PathBuf {
    let dir = parent.join("example-0.1.0");
    fs::create_dir_all(dir.join("csv")).unwrap();
    data.write_csv_dir(dir.join("csv")).unwrap();
    let mut resources = Vec::new();
    for t in tables {
        resources
            .push(serde_json::json!({"name": t, "path": format!("csv/{t}.csv"), "format": "csv"}));
    }
    #[cfg(feature = "parquet")]
    {
        fs::create_dir_all(dir.join("parquet")).unwrap();
        data.write_parquet_dir(dir.join("parquet"), &Default::default())
            .unwrap();
        for t in tables {
            resources.push(serde_json::json!({
                "name": format!("{t}-parquet"),
                "path": format!("parquet/{t}.parquet"),
                "format": "parquet",
            }));
        }
    }
    let package = serde_json::json!({"name": "example", "resources": resources});
    fs::write(dir.join("datapackage.json"), package.to_string()).unwrap();
    dir
}

#[test]
fn a_release_reads_back_as_written() {
    let data = curated();
    assert!(data.visits.len() > 5 && data.countries.len() > 5);
    // Every table is written and read, the later ones too.
    assert!(!data.statements.is_empty() && !data.organizations.is_empty());
    assert!(!data.redirects.is_empty());
    let tmp = tempfile::tempdir().unwrap();
    let dir = write_release(tmp.path(), &data, &tables());
    let read = Dataset::read_release(&dir, Format::Csv).unwrap();
    assert_eq!(read, data);
    #[cfg(feature = "parquet")]
    assert_eq!(Dataset::read_release(&dir, Format::Parquet).unwrap(), data);
}

#[test]
fn a_table_the_package_does_not_list_is_empty() {
    // A release from before recognitions existed: no recognitions, and no evidence for them.
    let mut data = curated();
    let recognitions = std::mem::take(&mut data.recognitions);
    assert!(!recognitions.is_empty());
    let tmp = tempfile::tempdir().unwrap();
    let listed: Vec<&str> = tables()
        .iter()
        .copied()
        .filter(|t| *t != "recognitions")
        .collect();
    let dir = write_release(tmp.path(), &data, &listed);
    // A stray file the package does not list is not read.
    let stray = fs::File::create(dir.join("csv/recognitions.csv")).unwrap();
    diplomacy_model::csv::write_csv(&recognitions, stray).unwrap();
    let read = Dataset::read_release(&dir, Format::Csv).unwrap();
    assert!(read.recognitions.is_empty());
    assert_eq!(read, data);
}

#[test]
fn a_missing_directory_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("no-such-release");
    let err = Dataset::read_release(&missing, Format::Csv).unwrap_err();
    assert!(
        matches!(&err, Error::MissingDirectory { path } if *path == missing),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        format!("{}: no such directory", missing.display())
    );
    // The lower-level directory readers agree.
    let err = Dataset::read_csv_dir(&missing).unwrap_err();
    assert!(matches!(err, Error::MissingDirectory { .. }), "{err:?}");
}

#[test]
fn a_directory_one_level_too_high_is_not_a_release_and_says_where_the_release_is() {
    let tmp = tempfile::tempdir().unwrap();
    let dist = tmp.path().join("dist");
    let release = write_release(&dist, &curated(), &tables());
    let err = Dataset::read_release(&dist, Format::Csv).unwrap_err();
    match &err {
        Error::NotARelease {
            path,
            releases_inside,
        } => {
            assert_eq!(path, &dist);
            assert_eq!(releases_inside, &vec![release.clone()]);
        }
        other => panic!("expected NotARelease, got {other:?}"),
    }
    let message = err.to_string();
    assert!(message.contains("no datapackage.json"), "{message}");
    assert!(
        message.contains(&release.display().to_string()),
        "{message}"
    );
    // Two levels too high: not a release, and nothing to suggest.
    let err = Dataset::read_release(tmp.path(), Format::Csv).unwrap_err();
    assert!(
        matches!(&err, Error::NotARelease { releases_inside, .. } if releases_inside.is_empty()),
        "{err:?}"
    );
    // A file is not a release either.
    let file = release.join("datapackage.json");
    let err = Dataset::read_release(&file, Format::Csv).unwrap_err();
    assert!(matches!(err, Error::NotARelease { .. }), "{err:?}");
}

#[test]
fn a_table_file_the_package_lists_must_be_there() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write_release(tmp.path(), &curated(), &tables());
    let gone = dir.join("csv/meetings.csv");
    fs::remove_file(&gone).unwrap();
    let err = Dataset::read_release(&dir, Format::Csv).unwrap_err();
    assert!(
        matches!(&err, Error::MissingTable { path, table: TableName::Meetings } if *path == gone),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(
        message.starts_with(&gone.display().to_string()),
        "{message}"
    );
    assert!(message.contains("lists table meetings"), "{message}");
}

#[test]
fn a_malformed_package_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write_release(tmp.path(), &curated(), &tables());
    let package = dir.join("datapackage.json");
    fs::write(&package, "{\"resources\": [").unwrap();
    let err = Dataset::read_release(&dir, Format::Csv).unwrap_err();
    assert!(
        matches!(&err, Error::Package { path, .. } if *path == package),
        "{err:?}"
    );
    // A package that lists no CSV tables.
    fs::write(&package, r#"{"resources": []}"#).unwrap();
    let err = Dataset::read_release(&dir, Format::Csv).unwrap_err();
    assert!(
        matches!(&err, Error::NoTables { format: "csv", .. }),
        "{err:?}"
    );
}

/// Replaces line `line` (from 1) of a file.
fn replace_line(path: &Path, line: usize, f: impl FnOnce(&str) -> String) {
    let text = fs::read_to_string(path).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines[line - 1] = f(&lines[line - 1]);
    fs::write(path, lines.join("\n") + "\n").unwrap();
}

#[test]
fn a_bad_value_is_named_by_file_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write_release(tmp.path(), &curated(), &tables());
    let visits = dir.join("csv/visits.csv");
    let header = fs::read_to_string(&visits).unwrap();
    let header: Vec<&str> = header.lines().next().unwrap().split(',').collect();
    let level = header.iter().position(|h| *h == "level").unwrap();
    // The second visit (line 3) gets a level that is not in the vocabulary. The row has no
    // quoted comma before `level` in this dataset's visits; check that, so that splitting
    // on commas finds the right cell.
    let row_text = fs::read_to_string(&visits)
        .unwrap()
        .lines()
        .nth(2)
        .unwrap()
        .to_owned();
    let mut cells: Vec<&str> = row_text.split(',').collect();
    assert!(
        !cells[..=level].iter().any(|c| c.contains('"')),
        "{row_text}"
    );
    cells[level] = "emperor";
    let bad = cells.join(",");
    replace_line(&visits, 3, |_| bad);
    let err = Dataset::read_release(&dir, Format::Csv).unwrap_err();
    assert!(
        matches!(&err, Error::Field { column, .. } if column == "level"),
        "{err:?}"
    );
    let message = err.to_string();
    let place = format!("{}:3:{}: visits.level: ", visits.display(), level + 1);
    assert!(
        message.starts_with(&place),
        "{message}\nexpected to start with {place}"
    );
    assert!(message.contains("emperor"), "{message}");
}

#[test]
fn a_row_with_too_few_fields_is_named_by_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write_release(tmp.path(), &curated(), &tables());
    let countries = dir.join("csv/countries.csv");
    replace_line(&countries, 4, |_| "XXX,Nowhere".to_owned());
    let err = Dataset::read_release(&dir, Format::Csv).unwrap_err();
    assert!(
        matches!(&err, Error::Csv { path, .. } if *path == countries),
        "{err:?}"
    );
    let message = err.to_string();
    let place = format!(
        "{}:4: the row has 2 fields where the header has ",
        countries.display()
    );
    assert!(message.starts_with(&place), "{message}");
}

#[test]
fn invalid_utf8_is_named_by_file_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = write_release(tmp.path(), &curated(), &tables());
    let people = dir.join("csv/people.csv");
    let mut bytes = fs::read(&people).unwrap();
    // The first byte of line 2's second field becomes 0xFF.
    let line2 = bytes.iter().position(|b| *b == b'\n').unwrap() + 1;
    let comma = line2 + bytes[line2..].iter().position(|b| *b == b',').unwrap();
    bytes[comma + 1] = 0xFF;
    fs::write(&people, bytes).unwrap();
    let err = Dataset::read_release(&dir, Format::Csv).unwrap_err();
    let message = err.to_string();
    assert_eq!(
        message,
        format!("{}:2:2: invalid UTF-8 in the field", people.display())
    );
}

#[test]
fn lookups_by_id_find_every_record_and_nothing_else() {
    let data = curated();
    for v in &data.visits {
        assert_eq!(data.visit(v.id.as_str()), Some(v));
        assert_eq!(data.get::<Visit>(v.id.as_str()), Some(v));
    }
    for c in &data.countries {
        assert_eq!(data.country(c.id.as_str()), Some(c));
    }
    for m in &data.meetings {
        assert_eq!(data.meeting(m.id.as_str()), Some(m));
    }
    for d in &data.dispute_events {
        assert_eq!(data.dispute_event(d.id.as_str()), Some(d));
    }
    assert_eq!(data.visit("no-such-visit"), None);
    // A meeting's id is not a visit's.
    let meeting = &data.meetings[0];
    assert_eq!(data.visit(meeting.id.as_str()), None);
    let index = data.index::<Visit>();
    assert_eq!(index.len(), data.visits.len());
    for v in &data.visits {
        assert_eq!(index[v.id.as_str()], v);
    }
}

/// Every release published under `releases/` still reads with today's record types, in CSV
/// and Parquet, the same in both, whatever its columns were called then (`redirects.from`
/// before 0.5.0, `from_id` since).
#[test]
fn every_published_release_reads_in_both_formats() {
    let releases = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../releases");
    let mut read = 0;
    for entry in fs::read_dir(&releases).unwrap() {
        let dir = entry.unwrap().path();
        let csv = Dataset::read_release(&dir, Format::Csv)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        assert!(!csv.visits.is_empty(), "{}", dir.display());
        #[cfg(feature = "parquet")]
        assert_eq!(
            Dataset::read_release(&dir, Format::Parquet).unwrap(),
            csv,
            "{}",
            dir.display()
        );
        read += 1;
    }
    assert!(read >= 6, "{read} releases under {}", releases.display());
    // One written before the renames: its redirects are read from `from` and `to`.
    let old = releases.join("japan-eurasia-diplomacy-0.4.0");
    let header = fs::read_to_string(old.join("csv/redirects.csv")).unwrap();
    assert!(header.starts_with("from,to,"), "{header}");
    let data = Dataset::read_release(&old, Format::Csv).unwrap();
    assert!(!data.redirects.is_empty());
    assert!(data.redirects.iter().all(|r| !r.to.as_str().is_empty()));
}

/// Writes `SHA256SUMS` for every file of the release, as publishing does.
fn seal(dir: &Path) {
    let mut lines = Vec::new();
    for sub in ["", "csv", "parquet"] {
        let Ok(entries) = fs::read_dir(dir.join(sub)) else {
            continue;
        };
        for e in entries {
            let path = e.unwrap().path();
            if path.is_file() && !path.ends_with("SHA256SUMS") {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                let hash = diplomacy_model::sha256_hex(&fs::read(&path).unwrap());
                lines.push(format!("{hash}  {rel}\n"));
            }
        }
    }
    lines.sort();
    fs::write(dir.join("SHA256SUMS"), lines.concat()).unwrap();
}

/// A release with a `SHA256SUMS` is read only as published: a table changed since, in either
/// format, is refused by name as tampered with, and one the list does not name as unlisted.
#[test]
fn a_table_that_does_not_match_the_checksums_is_refused_by_name() {
    let data = curated();
    let tmp = tempfile::tempdir().unwrap();
    let dir = write_release(tmp.path(), &data, &tables());
    seal(&dir);
    assert_eq!(Dataset::read_release(&dir, Format::Csv).unwrap(), data);
    #[cfg(feature = "parquet")]
    assert_eq!(Dataset::read_release(&dir, Format::Parquet).unwrap(), data);

    let csv = dir.join("csv/visits.csv");
    let mut text = fs::read_to_string(&csv).unwrap();
    text.push('\n');
    fs::write(&csv, text).unwrap();
    let err = Dataset::read_release(&dir, Format::Csv).unwrap_err();
    assert!(
        matches!(&err, Error::Tampered { path, .. } if path.ends_with("csv/visits.csv")),
        "{err}"
    );
    assert!(err.to_string().contains("tampered with"), "{err}");
    #[cfg(feature = "parquet")]
    {
        let parquet = dir.join("parquet/visits.parquet");
        let mut bytes = fs::read(&parquet).unwrap();
        bytes.extend_from_slice(b"PAR1");
        fs::write(&parquet, bytes).unwrap();
        let err = Dataset::read_release(&dir, Format::Parquet).unwrap_err();
        assert!(
            matches!(&err, Error::Tampered { path, .. } if path.ends_with("parquet/visits.parquet")),
            "{err}"
        );
    }
    seal(&dir);
    let sums = fs::read_to_string(dir.join("SHA256SUMS")).unwrap();
    let without: String = sums
        .lines()
        .filter(|l| !l.ends_with("csv/visits.csv"))
        .map(|l| format!("{l}\n"))
        .collect();
    fs::write(dir.join("SHA256SUMS"), without).unwrap();
    let err = Dataset::read_release(&dir, Format::Csv).unwrap_err();
    assert!(
        matches!(&err, Error::Unlisted { path } if path.ends_with("csv/visits.csv")),
        "{err}"
    );
    fs::write(dir.join("SHA256SUMS"), "not a checksum line\n").unwrap();
    let err = Dataset::read_release(&dir, Format::Csv).unwrap_err();
    assert!(matches!(&err, Error::Checksums { line: 1, .. }), "{err}");
}

/// A table that is a FIFO (a reader would wait for ever) or a link to `/dev/zero` (read until
/// memory runs out) or out of the release is refused by name, never read.
#[cfg(unix)]
#[test]
fn a_table_that_is_not_a_regular_file_in_the_release_is_refused() {
    let data = curated();
    let tmp = tempfile::tempdir().unwrap();
    let dir = write_release(tmp.path(), &data, &tables());
    let csv = dir.join("csv/visits.csv");
    fs::remove_file(&csv).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &csv).unwrap();
    let err = Dataset::read_release(&dir, Format::Csv).unwrap_err();
    assert!(
        matches!(&err, Error::UnsafeFile { path, .. } if path.ends_with("csv/visits.csv")),
        "{err}"
    );
    fs::remove_file(&csv).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(&csv)
        .status()
        .unwrap();
    assert!(made.success());
    let err = Dataset::read_release(&dir, Format::Csv).unwrap_err();
    assert!(err.to_string().contains("not a regular file"), "{err}");
}
