//! Releases of the curated dataset: round trips, determinism, checksums, and the published
//! versions under `releases/`.

// Test helpers may unwrap: a panic there is a failed assertion with a backtrace.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::{Path, PathBuf};

use diplomacy_model::Dataset;
use diplomacy_publish::{Error, ReleaseOptions, release, release_name};
use diplomacy_validate::{ValidDataset, sha256_hex, validate_dir};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn curated() -> ValidDataset {
    let report = validate_dir(&workspace().join("datasets/japan-eurasia-diplomacy"));
    assert!(report.is_valid(), "{:?}", report.diagnostics);
    report.into_valid().unwrap()
}

/// Every file under `dir`, relative, sorted.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.push((rel, fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn release_round_trips_through_csv_and_parquet() {
    let valid = curated();
    let tmp = tempfile::tempdir().unwrap();
    let path = release(valid.clone(), &ReleaseOptions::new(tmp.path())).unwrap();
    let mut expected = valid.data.clone();
    expected.sort();
    // Excuses are published as the statuses of the sentences they cover (`source_sentences`),
    // not as quotes of the sources' words.
    for s in &mut expected.sources {
        s.excused.clear();
    }
    // The release fills in each redirect's `since`, which is not authored.
    let authored = |mut data: Dataset| {
        for r in &mut data.redirects {
            assert!(r.since.is_some(), "{r:?}");
            r.since = None;
        }
        data
    };
    assert_eq!(
        authored(Dataset::read_csv_dir(path.join("csv")).unwrap()),
        expected
    );
    assert_eq!(
        authored(Dataset::read_parquet_dir(path.join("parquet")).unwrap()),
        expected
    );
    // Nothing but the release is left in the output directory.
    assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
}

#[test]
fn releases_are_byte_identical_and_refuse_to_overwrite() {
    let valid = curated();
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let pa = release(valid.clone(), &ReleaseOptions::new(a.path())).unwrap();
    let pb = release(valid.clone(), &ReleaseOptions::new(b.path())).unwrap();
    let (ta, tb) = (tree(&pa), tree(&pb));
    assert!(ta.len() >= 10 * 2 + 7);
    assert_eq!(ta, tb);
    // A second release of the same version is refused, and leaves the first intact.
    let err = release(valid.clone(), &ReleaseOptions::new(a.path())).unwrap_err();
    assert!(matches!(err, Error::Exists { .. }), "{err}");
    assert_eq!(tree(&pa), ta);
    // --force replaces it with the same bytes.
    let mut forced = ReleaseOptions::new(a.path());
    forced.force = true;
    assert_eq!(release(valid, &forced).unwrap(), pa);
    assert_eq!(tree(&pa), ta);
}

/// Timing the parts of a release adds up each writer's time, and changes no byte.
#[test]
fn timings_name_each_writer_and_change_nothing_written() {
    let valid = curated();
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let plain = release(valid.clone(), &ReleaseOptions::new(a.path())).unwrap();
    let timings = std::sync::Arc::new(diplomacy_publish::Timings::default());
    let mut options = ReleaseOptions::new(b.path());
    options.timings = Some(std::sync::Arc::clone(&timings));
    let timed = release(valid, &options).unwrap();
    assert_eq!(tree(&plain), tree(&timed));
    let parts = timings.parts();
    let names: Vec<&str> = parts.iter().map(|(p, _)| *p).collect();
    assert_eq!(names, ["csv", "parquet", "sqlite"]);
    for (part, time) in &parts {
        assert!(!time.is_zero(), "{part} took no time");
    }
}

#[test]
fn checksums_cover_every_file() {
    let valid = curated();
    let tmp = tempfile::tempdir().unwrap();
    let path = release(valid, &ReleaseOptions::new(tmp.path())).unwrap();
    let sums = fs::read_to_string(path.join("SHA256SUMS")).unwrap();
    let files = tree(&path);
    assert_eq!(sums.lines().count(), files.len() - 1);
    for line in sums.lines() {
        let (hash, rel) = line.split_once("  ").unwrap();
        assert_eq!(
            hash,
            sha256_hex(&fs::read(path.join(rel)).unwrap()),
            "{rel}"
        );
    }
    let package: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(path.join("datapackage.json")).unwrap()).unwrap();
    let resources = package["resources"].as_array().unwrap();
    // A CSV and a Parquet resource per table, and the database.
    assert_eq!(
        resources.len(),
        2 * files.iter().filter(|(f, _)| f.starts_with("csv/")).count() + 1
    );
}

#[test]
fn a_cancelled_release_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let mut options = ReleaseOptions::new(tmp.path());
    options.cancel = Some(std::sync::Arc::new(true.into()));
    let err = release(curated(), &options).unwrap_err();
    assert!(matches!(err, Error::Cancelled), "{err}");
    assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 0);
}

/// Every committed release still matches its SHA256SUMS, lists every file it holds, and a
/// fresh release of a version already published is byte-identical to it.
#[test]
fn published_releases_never_change() {
    let releases = workspace().join("releases");
    let mut seen = 0;
    for entry in fs::read_dir(&releases).unwrap() {
        let dir = entry.unwrap().path();
        let files = tree(&dir);
        let sums = fs::read_to_string(dir.join("SHA256SUMS")).unwrap();
        assert_eq!(sums.lines().count(), files.len() - 1, "{}", dir.display());
        for line in sums.lines() {
            let (hash, rel) = line.split_once("  ").unwrap();
            let bytes = fs::read(dir.join(rel)).unwrap();
            assert_eq!(
                hash,
                sha256_hex(&bytes),
                "{}/{rel} no longer matches its SHA256SUMS: a published release never changes",
                dir.display()
            );
        }
        seen += 1;
    }
    assert!(seen >= 1, "no published release under releases/");
    let valid = curated();
    let published = releases.join(release_name(&valid.meta));
    if published.exists() {
        let tmp = tempfile::tempdir().unwrap();
        // As `cargo xtask publish` writes it: checked against, and with the history of, the
        // releases published before it.
        let mut options = ReleaseOptions::new(tmp.path());
        options.releases = Some(releases.clone());
        let fresh = release(valid, &options).unwrap();
        let (old, new) = (tree(&published), tree(&fresh));
        let differ: Vec<&String> = old
            .iter()
            .zip(&new)
            .filter(|(a, b)| a != b)
            .map(|(a, _)| &a.0)
            .collect();
        assert!(
            old.len() == new.len() && differ.is_empty(),
            "version {} is already published and a fresh release of it differs ({differ:?}): a released version never changes; bump the version in dataset.toml",
            published.display()
        );
    }
}

/// Tables announced to the progress callback, in order.
static ANNOUNCED: std::sync::Mutex<Vec<(&'static str, usize)>> = std::sync::Mutex::new(Vec::new());

fn record_progress(p: &diplomacy_publish::Progress) {
    ANNOUNCED.lock().unwrap().push((p.table, p.done));
}

#[test]
fn progress_is_reported_once_per_table_in_order() {
    let valid = curated();
    let tmp = tempfile::tempdir().unwrap();
    let mut options = ReleaseOptions::new(tmp.path());
    options.progress = Some(record_progress);
    let path = release(valid, &options).unwrap();
    let announced = ANNOUNCED.lock().unwrap().clone();
    let csv_files = fs::read_dir(path.join("csv")).unwrap().count();
    assert_eq!(announced.len(), csv_files);
    assert_eq!(announced.first(), Some(&("countries", 0)));
    assert_eq!(announced.last().map(|a| a.0), Some("source_sentences"));
    for (i, (_, done)) in announced.iter().enumerate() {
        assert_eq!(*done, i);
    }
}

/// Every quote of the curated release carries its anchor, and the anchor points at the
/// quote's words in the source's archived bytes, with the text just before and after it.
#[test]
fn every_quote_is_anchored_in_its_source_bytes() {
    let valid = curated();
    let dataset = valid.dir.clone();
    let sources: std::collections::HashMap<String, String> = valid
        .data
        .sources
        .iter()
        .map(|s| {
            let text = fs::read_to_string(dataset.join(&s.file)).unwrap();
            (s.id.as_str().to_owned(), text)
        })
        .collect();
    let tmp = tempfile::tempdir().unwrap();
    let dir = release(valid, &ReleaseOptions::new(tmp.path())).unwrap();
    let csv = fs::read(dir.join("csv/evidence.csv")).unwrap();
    let rows: Vec<diplomacy_model::EvidenceRow> =
        diplomacy_model::csv::read_csv(csv.as_slice(), "evidence.csv").unwrap();
    assert!(rows.len() > 100, "{}", rows.len());
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    for row in &rows {
        let (Some(start), Some(end)) = (row.start, row.end) else {
            panic!("{}: no anchor", row.id);
        };
        let text = &sources[row.source.as_str()];
        let (start, end) = (start as usize, end as usize);
        assert_eq!(words(&text[start..end]), words(&row.quote), "{}", row.id);
        if let Some(prefix) = &row.prefix {
            assert!(text[..start].ends_with(prefix.as_str()), "{}", row.id);
        }
        if let Some(suffix) = &row.suffix {
            assert!(text[end..].starts_with(suffix.as_str()), "{}", row.id);
        }
    }
}

/// The sentence ledger of the curated release: every sentence lies in its source's bytes,
/// numbered in order from 1; every quote's anchor overlaps only sentences that list its
/// record; and, the dataset requiring the ledger, no sentence is unaccounted.
#[test]
fn every_sentence_is_accounted_for_at_its_place_in_the_source() {
    use diplomacy_model::{SentenceStatus, SourceSentence};
    let valid = curated();
    let required = valid
        .meta
        .require
        .contains(&diplomacy_model::Requirement::Ledger);
    let dataset = valid.dir.clone();
    let sources: std::collections::HashMap<String, String> = valid
        .data
        .sources
        .iter()
        .map(|s| {
            let text = fs::read_to_string(dataset.join(&s.file)).unwrap();
            (s.id.as_str().to_owned(), text)
        })
        .collect();
    let tmp = tempfile::tempdir().unwrap();
    let dir = release(valid, &ReleaseOptions::new(tmp.path())).unwrap();
    let read = |name: &str| fs::read(dir.join(format!("csv/{name}.csv"))).unwrap();
    let mut sentences: Vec<SourceSentence> =
        diplomacy_model::csv::read_csv(read("source_sentences").as_slice(), "s.csv").unwrap();
    let ids: Vec<&str> = sentences.iter().map(|s| s.id.as_str()).collect();
    assert!(ids.is_sorted(), "rows in id order");
    sentences.sort_by(|a, b| (&a.source, a.sentence).cmp(&(&b.source, b.sentence)));
    let evidence: Vec<diplomacy_model::EvidenceRow> =
        diplomacy_model::csv::read_csv(read("evidence").as_slice(), "e.csv").unwrap();
    assert!(sentences.len() > 80, "{}", sentences.len());
    let mut last: Option<(&str, u32, u32)> = None;
    for s in &sentences {
        let text = &sources[s.source.as_str()];
        let piece = &text[s.start as usize..s.end as usize];
        assert_eq!(piece.trim(), piece, "{}", s.id);
        assert!(piece.chars().any(char::is_alphanumeric), "{}", s.id);
        assert_eq!(s.id, format!("{}/{}", s.source, s.sentence));
        match last {
            Some((source, n, end)) if source == s.source.as_str() => {
                assert_eq!(s.sentence, n + 1, "{}", s.id);
                assert!(s.start >= end, "{}", s.id);
            }
            _ => assert_eq!(s.sentence, 1, "{}", s.id),
        }
        last = Some((s.source.as_str(), s.sentence, s.end));
        assert_eq!(
            s.status == SentenceStatus::Cited,
            !s.records.is_empty(),
            "{}",
            s.id
        );
        assert_eq!(
            s.status == SentenceStatus::Excused,
            s.reason.is_some(),
            "{}",
            s.id
        );
        if required {
            assert_ne!(s.status, SentenceStatus::Unaccounted, "{}", s.id);
        }
    }
    for e in &evidence {
        let (start, end) = (e.start.unwrap(), e.end.unwrap());
        let hit: Vec<_> = sentences
            .iter()
            .filter(|s| s.source == e.source && s.start < end && start < s.end)
            .collect();
        assert!(!hit.is_empty(), "{}", e.id);
        // The quote's `sentence` is the first sentence it overlaps.
        assert_eq!(e.sentence, hit.iter().map(|s| s.sentence).min(), "{}", e.id);
        for s in hit {
            assert!(s.records.contains(&e.record), "{} in {}", e.id, s.id);
        }
    }
}
