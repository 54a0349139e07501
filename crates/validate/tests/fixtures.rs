//! Fixture tests: a small valid dataset (`tests/fixtures/base`) and one directory per fault
//! (`tests/fixtures/bad/<fault>`), each with the validator's expected output beside it.
//!
//! A fault directory holds only the files that differ from `base`; they replace base's files
//! of the same name (a directory replaces a file of the same name). Three control files are
//! not copied:
//!
//! - `REMOVE`: base files to delete, one path per line;
//! - `SYMLINK`: symbolic links to create, one `LINK -> TARGET` per line, `TARGET` relative to
//!   the link's directory; where `TARGET` does not exist, the file at `LINK` is moved there
//!   first (so a source text can be moved out of the dataset and linked back in);
//! - `expected.snap`: the expected diagnostics (an insta snapshot), one per line, with the
//!   dataset directory written as the fixture's name.
//!
//! The dataset is assembled in a temporary directory as `<tmp>/dataset`, so `<tmp>` is the
//! "outside" a path may try to escape to.
//!
//! An `expected.snap` holds the *correct* output, checked by eye: each diagnostic's file, line,
//! column (the offending key or value), code and message. Where the validator is wrong, the
//! fixture fails until the validator is fixed; the failure lists the lines expected but not
//! given (`-`) and given but not expected (`+`). To write the snapshot of a new fixture, run
//! `INSTA_UPDATE=always cargo test -p diplomacy-validate --test fixtures` and review the new
//! file; never regenerate an existing snapshot to make a failing fixture pass.

use std::collections::BTreeSet;
use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use diplomacy_validate::{Code, Diagnostic, Options, Report, validate_dir, validate_dir_with};

const CONTROL_FILES: &[&str] = &["REMOVE", "SYMLINK", "expected.snap"];

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

fn base_dir() -> PathBuf {
    fixtures_dir().join("base")
}

fn is_control_file(name: &str) -> bool {
    CONTROL_FILES.contains(&name) || name.ends_with(".snap.new") || name.ends_with(".pending-snap")
}

/// Copies `from` into `to` recursively; an entry of `from` replaces an entry of `to` of the
/// same name, whatever its kind.
fn copy_over(from: &Path, to: &Path, skip_control: bool) {
    fs::create_dir_all(to).expect("create directory");
    let mut entries: Vec<_> = fs::read_dir(from)
        .expect("read fixture directory")
        .map(|e| e.expect("read directory entry"))
        .collect();
    entries.sort_by_key(fs::DirEntry::file_name);
    for entry in entries {
        let name = entry.file_name();
        if skip_control && is_control_file(&name.to_string_lossy()) {
            continue;
        }
        let src = entry.path();
        let dst = to.join(&name);
        let src_is_dir = src.is_dir();
        if let Ok(meta) = fs::symlink_metadata(&dst) {
            if meta.is_dir() && !src_is_dir {
                fs::remove_dir_all(&dst).expect("remove directory");
            } else if !meta.is_dir() && src_is_dir {
                fs::remove_file(&dst).expect("remove file");
            }
        }
        if src_is_dir {
            copy_over(&src, &dst, false);
        } else {
            fs::copy(&src, &dst).expect("copy file");
        }
    }
}

/// A fixture assembled in a temporary directory.
struct Assembled {
    _tmp: tempfile::TempDir,
    dataset: PathBuf,
}

fn assemble(fixture: Option<&Path>) -> Assembled {
    let tmp = tempfile::tempdir().expect("create temporary directory");
    let dataset = tmp.path().join("dataset");
    copy_over(&base_dir(), &dataset, false);
    if let Some(fixture) = fixture {
        copy_over(fixture, &dataset, true);
        if let Ok(list) = fs::read_to_string(fixture.join("REMOVE")) {
            for line in list.lines().map(str::trim).filter(|l| !l.is_empty()) {
                let path = dataset.join(line);
                if path.is_dir() {
                    fs::remove_dir_all(&path).expect("remove directory");
                } else {
                    fs::remove_file(&path)
                        .unwrap_or_else(|e| panic!("REMOVE {line}: {e} (not in base?)"));
                }
            }
        }
        if let Ok(list) = fs::read_to_string(fixture.join("SYMLINK")) {
            for line in list.lines().map(str::trim).filter(|l| !l.is_empty()) {
                let (link, target) = line
                    .split_once(" -> ")
                    .unwrap_or_else(|| panic!("SYMLINK line {line:?} is not `LINK -> TARGET`"));
                let link = dataset.join(link);
                let dir = link.parent().expect("link has a parent");
                let resolved = dir.join(target);
                if !resolved.exists() && link.exists() {
                    fs::create_dir_all(resolved.parent().expect("target has a parent"))
                        .expect("create target directory");
                    fs::rename(&link, &resolved).expect("move file out");
                }
                make_symlink(Path::new(target), &link);
            }
        }
    }
    Assembled { _tmp: tmp, dataset }
}

#[cfg(unix)]
fn make_symlink(target: &Path, link: &Path) {
    std::os::unix::fs::symlink(target, link).expect("create symbolic link");
}

#[cfg(windows)]
fn make_symlink(target: &Path, link: &Path) {
    std::os::windows::fs::symlink_file(target, link).expect("create symbolic link");
}

/// The diagnostics, one per line (a hint on its own line below), with the dataset directory
/// replaced by `name` and path separators written as `/`.
fn render(report: &Report, dataset: &Path, name: &str) -> String {
    let prefix = dataset.display().to_string();
    report
        .diagnostics
        .iter()
        .map(|d| {
            let text = d.to_string().replace(&prefix, name);
            if cfg!(windows) {
                text.replace('\\', "/")
            } else {
                text
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The number of lines of the file a diagnostic points into (0 if it is not a regular file
/// or cannot be read: a fixture may link a table to `/dev/zero`).
fn line_count(path: &Path) -> usize {
    if !fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return 0;
    }
    fs::read(path).map_or(0, |b| String::from_utf8_lossy(&b).lines().count())
}

fn check_positions(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        assert!(d.line >= 1 && d.column >= 1, "position below 1:1: {d}");
        let lines = line_count(&d.path);
        assert!(
            d.line as usize <= lines + 1,
            "line {} is past the end of {} ({lines} lines): {d}",
            d.line,
            d.path.display()
        );
    }
}

/// `E042` for `e042-quote-not-found`.
fn code_of(name: &str) -> Option<String> {
    // `w-e095-...`: a code that is an error where a dataset asks for its rule, and a warning
    // elsewhere, in its warning form.
    let name = name.strip_prefix("w-").unwrap_or(name);
    let code = name.split('-').next()?;
    (code.len() == 4
        && (code.starts_with('e') || code.starts_with('w'))
        && code[1..].bytes().all(|b| b.is_ascii_digit()))
    .then(|| code.to_uppercase())
}

/// The body of a fixture's stored `expected.snap`, without insta's header.
fn stored_snapshot(dir: &Path) -> String {
    let text = fs::read_to_string(dir.join("expected.snap")).unwrap_or_default();
    text.strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n"))
        .map_or(text.as_str(), |(_, body)| body)
        .trim_end()
        .to_owned()
}

/// The lines only in `expected` (`-`) and only in `actual` (`+`).
fn line_diff(expected: &str, actual: &str) -> String {
    let expected: Vec<&str> = expected.lines().collect();
    let actual: Vec<&str> = actual.lines().collect();
    let mut out: Vec<String> = expected
        .iter()
        .filter(|l| !actual.contains(l))
        .map(|l| format!("- {l}"))
        .collect();
    out.extend(
        actual
            .iter()
            .filter(|l| !expected.contains(l))
            .map(|l| format!("+ {l}")),
    );
    out.join("\n")
}

fn bad_fixtures() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(fixtures_dir().join("bad"))
        .expect("read tests/fixtures/bad")
        .map(|e| e.expect("read directory entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn check_fixture(dir: &Path) {
    let name = dir
        .file_name()
        .expect("fixture has a name")
        .to_string_lossy()
        .into_owned();
    let assembled = assemble(Some(dir));
    let report = validate_dir(&assembled.dataset);
    let rendered = render(&report, &assembled.dataset, &name);

    let snapshot = catch_unwind(AssertUnwindSafe(|| {
        insta::with_settings!({
            snapshot_path => dir,
            prepend_module_to_snapshot => false,
            description => format!("validate_dir(tests/fixtures/base + tests/fixtures/bad/{name})"),
            omit_expression => true,
        }, {
            insta::assert_snapshot!("expected", rendered);
        });
    }));
    if snapshot.is_err() {
        // Unless asked for (INSTA_UPDATE=new|always), keep the tree clean of insta's
        // `expected.snap.new`: the message below shows the difference.
        if std::env::var_os("INSTA_UPDATE").is_none() {
            let _ = fs::remove_file(dir.join("expected.snap.new"));
        }
        panic!(
            "the output differs from expected.snap (- expected, + actual):\n{}",
            line_diff(&stored_snapshot(dir), &rendered)
        );
    }

    check_positions(&report.diagnostics);
    let warning = name.starts_with('w');
    // A fixture of a warning is valid (only warnings); every other is not.
    assert_eq!(report.is_valid(), warning, "{name}: is_valid()");
    if let Some(code) = code_of(&name) {
        let severity = if warning { "warning" } else { "error" };
        assert!(
            rendered.contains(&format!("{severity}[{code}]")),
            "{name}: no {severity}[{code}] in the output:\n{rendered}"
        );
    } else {
        // A fixture of several faults: they come out together, from several files.
        let files: BTreeSet<_> = report.diagnostics.iter().map(|d| &d.path).collect();
        let codes: BTreeSet<_> = report.diagnostics.iter().map(|d| d.code).collect();
        assert!(
            files.len() >= 3 && codes.len() >= 3,
            "{name}: expected faults in several files with several codes:\n{rendered}"
        );
    }
    assert_eq!(
        report.into_valid().is_some(),
        warning,
        "{name}: into_valid() of a fixture with warnings only gives the dataset, of one with errors none"
    );
}

#[test]
fn every_bad_fixture_gives_its_expected_diagnostics() {
    let fixtures = bad_fixtures();
    assert!(!fixtures.is_empty(), "no fixtures under tests/fixtures/bad");
    let mut failed = Vec::new();
    for dir in &fixtures {
        let name = dir
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        if let Err(e) = catch_unwind(AssertUnwindSafe(|| check_fixture(dir))) {
            let why = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            failed.push(format!("{name}: {}", why.replace('\n', "\n    ")));
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} fixtures failed:\n{}",
        failed.len(),
        fixtures.len(),
        failed.join("\n")
    );
}

#[test]
fn every_code_has_a_fixture() {
    let names: Vec<String> = bad_fixtures()
        .iter()
        .filter_map(|d| code_of(&d.file_name()?.to_string_lossy()))
        .collect();
    // E003 (a file over the size limit) is tested with a lowered limit below; E080 and E085
    // (ids of published releases) need releases, and are tested in tests/history.rs.
    let missing: Vec<&str> = Code::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| !["E003", "E080", "E085"].contains(c) && !names.iter().any(|n| n == c))
        .collect();
    assert!(missing.is_empty(), "codes without a fixture: {missing:?}");
}

#[test]
fn base_fixture_is_valid() {
    let assembled = assemble(None);
    let report = validate_dir(&assembled.dataset);
    let rendered = render(&report, &assembled.dataset, "base");
    assert!(report.is_valid(), "base has diagnostics:\n{rendered}");
    let valid = report
        .into_valid()
        .expect("a valid report gives the dataset");
    assert_eq!(valid.meta.name.as_str(), "validator-fixture");
    assert_eq!(valid.meta.version, "1.2.3-rc.1");
    let data = &valid.data;
    assert_eq!(data.countries.len(), 3);
    assert_eq!(data.people.len(), 2);
    assert_eq!(data.sources.len(), 2);
    assert_eq!(data.visits.len(), 2);
    assert_eq!(data.meetings.len(), 2);
    assert_eq!(data.recognitions.len(), 2);
    assert_eq!(data.disputes.len(), 1);
    assert_eq!(data.dispute_events.len(), 3);

    use diplomacy_model::{DatePrecision, Participant};
    assert_eq!(data.countries[0].cow_code, Some(740));
    assert_eq!(data.countries[2].cow_code, None);
    assert_eq!(data.sources[0].published.precision(), DatePrecision::Day);
    assert_eq!(data.sources[1].url, None);
    assert_eq!(data.visits[0].date.precision(), DatePrecision::Month);
    assert_eq!(data.visits[1].date.precision(), DatePrecision::Year);
    assert_eq!(data.visits[1].guest_person, None);
    assert_eq!(data.recognitions[1].date.precision(), DatePrecision::Range);
    assert_eq!(data.recognitions[1].summary, None);
    assert!(matches!(
        data.meetings[0].participants[..],
        [Participant::Named(_), Participant::Office { .. }]
    ));
    assert_eq!(data.meetings[1].location_country, None);
    assert_eq!(data.dispute_events[2].date, None);
    assert_eq!(data.disputes[0].other_names.len(), 2);
    assert!(
        data.meetings[0].evidence[0].quote.contains('\n'),
        "the base keeps a quote written across two lines"
    );
}

#[test]
fn curated_dataset_is_valid() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../datasets/japan-eurasia-diplomacy");
    let report = validate_dir(&dir);
    let rendered: Vec<String> = report.diagnostics.iter().map(ToString::to_string).collect();
    assert!(
        report.is_valid(),
        "the curated dataset has diagnostics:\n{}",
        rendered.join("\n")
    );
    assert!(report.into_valid().is_some());
}

/// E003: a TOML file over the size limit is refused, at 1:1, and nothing else is reported
/// about it (the largest file of base, `dispute_events.toml`, is the only one over the limit).
#[test]
fn e003_authoring_file_over_the_limit() {
    let assembled = assemble(None);
    let mut sizes: Vec<(u64, String)> = fs::read_dir(&assembled.dataset)
        .expect("read dataset")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| {
            let size = fs::metadata(&p).expect("metadata").len();
            (
                size,
                p.file_name().expect("name").to_string_lossy().into_owned(),
            )
        })
        .collect();
    sizes.sort();
    let (size, largest) = sizes.pop().expect("toml files");
    assert!(sizes.last().expect("other files").0 < size - 1);

    let mut options = Options::default();
    options.max_file_size = size - 1;
    let report = validate_dir_with(&assembled.dataset, &options);
    let rendered = render(&report, &assembled.dataset, "base");
    assert_eq!(
        rendered,
        format!(
            "base/{largest}:1:1: error[E003]: {largest} is {size} bytes, over the limit of {} \
             bytes; split the table or raise the limit",
            size - 1
        )
    );
    assert!(report.into_valid().is_none());
}

/// E003: the size limit of the options applies to the archived source texts too, which are
/// files of the dataset like any other.
#[test]
fn e003_source_text_over_the_limit() {
    let assembled = assemble(None);
    let text = assembled.dataset.join("sources/fixture-chronicle.txt");
    let size = fs::metadata(&text).expect("source text").len();
    let largest_toml = fs::read_dir(&assembled.dataset)
        .expect("read dataset")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| fs::metadata(p).expect("metadata").len())
        .max()
        .expect("toml files");
    // Pad the text until it is the largest file, then set the limit between the two.
    let padding = "\n".repeat(usize::try_from(largest_toml + 1).expect("small") * 2);
    let mut bytes = fs::read(&text).expect("read");
    bytes.extend_from_slice(padding.as_bytes());
    fs::write(&text, &bytes).expect("write");
    let new_size = bytes.len() as u64;
    assert!(new_size > size);
    // Keep the checksum right, so the only fault is the size.
    let sources = assembled.dataset.join("sources.toml");
    let toml = fs::read_to_string(&sources).expect("sources.toml");
    let digest = sha256_hex(&bytes);
    let toml = toml.replace(
        "03f3fc740e1e2a5fed071f94bca92504e2ab4602091d0a8c4f5161468f407bf9",
        &digest,
    );
    fs::write(&sources, toml).expect("write sources.toml");
    assert!(
        validate_dir(&assembled.dataset).is_valid(),
        "padding alone is valid"
    );

    let mut options = Options::default();
    options.max_file_size = largest_toml + 1;
    let report = validate_dir_with(&assembled.dataset, &options);
    let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code.as_str()).collect();
    let rendered = render(&report, &assembled.dataset, "base");
    assert!(
        codes.contains(&"E003"),
        "a source text of {new_size} bytes passes a limit of {} bytes:\n{rendered}",
        largest_toml + 1
    );
}

/// SHA-256 in lower-case hex.
fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn chunked() -> Options {
    let mut options = Options::default();
    options.chunk_size = 1;
    options
}

/// Parsing in chunks is an optimisation for large files: split at every `[[table]]` header
/// (the smallest chunks there are), base and every fixture give exactly the diagnostics of a
/// whole-file parse, at the same positions.
#[test]
fn chunked_parsing_gives_the_same_diagnostics() {
    let mut dirs = vec![None];
    dirs.extend(bad_fixtures().into_iter().map(Some));
    let mut differences = Vec::new();
    for dir in &dirs {
        let name = dir.as_ref().map_or_else(
            || "base".to_owned(),
            |d| d.file_name().expect("name").to_string_lossy().into_owned(),
        );
        let assembled = assemble(dir.as_deref());
        let whole = render(&validate_dir(&assembled.dataset), &assembled.dataset, &name);
        let chunked = render(
            &validate_dir_with(&assembled.dataset, &chunked()),
            &assembled.dataset,
            &name,
        );
        if whole != chunked {
            differences.push(format!(
                "{name}:\n  whole file:\n    {}\n  in chunks:\n    {}",
                whole.replace('\n', "\n    "),
                chunked.replace('\n', "\n    ")
            ));
        }
    }
    assert!(
        differences.is_empty(),
        "chunked parsing differs:\n{}",
        differences.join("\n")
    );
}

/// A `[[visits]]` line inside a multi-line string is text, not a table header: a valid file
/// stays valid however it is chunked.
#[test]
fn chunked_parsing_does_not_split_multi_line_strings() {
    let assembled = assemble(None);
    let visits = assembled.dataset.join("visits.toml");
    let text = fs::read_to_string(&visits).expect("visits.toml");
    let text = text.replacen(
        "notes = \"The source gives the month only.\"",
        "notes = \"\"\"\nThe source gives the month only. The next line of this note is text:\n[[visits]]\nid = \"not-a-record\"\n\"\"\"",
        1,
    );
    fs::write(&visits, text).expect("write visits.toml");
    let whole = validate_dir(&assembled.dataset);
    assert!(
        whole.is_valid(),
        "{}",
        render(&whole, &assembled.dataset, "base")
    );
    let chunked = validate_dir_with(&assembled.dataset, &chunked());
    assert!(
        chunked.is_valid(),
        "valid in one piece, invalid in chunks:\n{}",
        render(&chunked, &assembled.dataset, "base")
    );
}

/// Unusual but valid input stays valid: CRLF line ends, a byte-order mark, tabs, evidence
/// written as inline tables, kanji, and tables with no records (an empty list, an empty
/// file), and a table file that is a symbolic link to a file inside the dataset. Each
/// variant is made from base and must give no diagnostic.
#[test]
fn unusual_but_valid_input_stays_valid() {
    type Edit = fn(&Path);
    let variants: Vec<(&str, Edit)> = vec![
        ("crlf", |d| {
            for e in fs::read_dir(d).expect("dir") {
                let p = e.expect("entry").path();
                if p.extension().is_some_and(|x| x == "toml") {
                    let t = fs::read_to_string(&p).expect("read");
                    fs::write(&p, t.replace('\n', "\r\n")).expect("write");
                }
            }
        }),
        ("bom", |d| {
            let p = d.join("visits.toml");
            let t = fs::read_to_string(&p).expect("read");
            fs::write(&p, format!("\u{feff}{t}")).expect("write");
        }),
        ("tabs", |d| {
            let p = d.join("visits.toml");
            let t = fs::read_to_string(&p).expect("read");
            fs::write(&p, t.replace(" = ", "\t=\t")).expect("write");
        }),
        ("inline-evidence", |d| {
            let p = d.join("recognitions.toml");
            let t = fs::read_to_string(&p).expect("read");
            let t = t.replace(
                "[[recognitions.evidence]]\nsource = \"fixture-chronicle\"\nquote = \"Japan recognised the Republic of Kazakhstan in 1991.\"",
                "evidence = [{ source = \"fixture-chronicle\", quote = \"Japan recognised the Republic of Kazakhstan in 1991.\" }]",
            );
            assert!(t.contains("evidence = [{"), "base changed");
            fs::write(&p, t).expect("write");
        }),
        ("kanji", |d| {
            let p = d.join("people.toml");
            let t = fs::read_to_string(&p).expect("read");
            fs::write(&p, t.replace("\"T. Testname\"", "\"試験名 太郎\"")).expect("write");
        }),
        #[cfg(unix)]
        ("symlink-inside", |d| {
            fs::create_dir(d.join("tables")).expect("mkdir");
            fs::rename(d.join("visits.toml"), d.join("tables/visits.toml")).expect("move");
            make_symlink(Path::new("tables/visits.toml"), &d.join("visits.toml"));
        }),
        ("empty-tables", |d| {
            fs::write(
                d.join("dispute_events.toml"),
                "#:schema ../../schema/dispute_events.schema.json\ndispute_events = []\n",
            )
            .expect("write");
            fs::write(d.join("recognitions.toml"), "").expect("write");
        }),
    ];
    let mut failed = Vec::new();
    for (name, edit) in variants {
        let assembled = assemble(None);
        edit(&assembled.dataset);
        let report = validate_dir(&assembled.dataset);
        if !report.is_valid() {
            failed.push(format!(
                "{name}:\n{}",
                render(&report, &assembled.dataset, name)
            ));
        }
    }
    assert!(
        failed.is_empty(),
        "valid input refused:\n{}",
        failed.join("\n")
    );
}

/// A table file that is a FIFO is refused (E006) without being opened: validation returns
/// instead of waiting for a writer that never comes.
#[cfg(unix)]
#[test]
fn e006_table_file_that_is_a_fifo_does_not_hang() {
    let assembled = assemble(None);
    let fifo = assembled.dataset.join("meetings.toml");
    fs::remove_file(&fifo).expect("remove meetings.toml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let dataset = assembled.dataset.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(render(&validate_dir(&dataset), &dataset, "fifo"));
    });
    let rendered = rx
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("validation of a dataset holding a FIFO did not return");
    assert!(
        rendered.contains("fifo/meetings.toml:1:1: error[E006]: meetings.toml is a FIFO (named pipe), not a regular file"),
        "{rendered}"
    );
}

/// `license` takes any SPDX license expression; anything else is E061.
#[test]
fn license_is_an_spdx_expression() {
    let assembled = assemble(None);
    let path = assembled.dataset.join("dataset.toml");
    let base = fs::read_to_string(&path).expect("dataset.toml");
    let with = |license: &str| {
        fs::write(
            &path,
            base.replace(
                "license = \"CC-BY-4.0\"",
                &format!("license = \"{license}\""),
            ),
        )
        .expect("write");
        let report = validate_dir(&assembled.dataset);
        report
            .diagnostics
            .iter()
            .map(|d| d.code.as_str())
            .collect::<Vec<_>>()
    };
    for good in [
        "CC0-1.0",
        "MIT OR Apache-2.0",
        "ODbL-1.0",
        "CC-BY-SA-4.0",
        "LicenseRef-Own-Terms",
    ] {
        assert_eq!(with(good), Vec::<&str>::new(), "{good} is refused");
    }
    for bad in ["CC BY 4.0", "public domain", "MIT OR", "(SPDX identifier)"] {
        assert_eq!(with(bad), ["E061"], "{bad} is accepted");
    }
}
