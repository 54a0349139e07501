//! Mutation tests: random damage to one file of the valid base fixture
//! (`tests/fixtures/base`) never makes the validator panic, and every diagnostic it gives is
//! well formed. Two kinds of damage are targeted and must be caught: a changed character in
//! an evidence quote, and a deleted line holding a required field.

use std::collections::BTreeMap;
use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::Config;

use diplomacy_validate::{Code, Report, validate_dir};

/// The base fixture's files, by path relative to the dataset directory.
fn base_files() -> &'static BTreeMap<PathBuf, Vec<u8>> {
    static FILES: OnceLock<BTreeMap<PathBuf, Vec<u8>>> = OnceLock::new();
    FILES.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/base");
        let mut files = BTreeMap::new();
        collect(&root, Path::new(""), &mut files);
        assert!(
            files.len() >= 10,
            "base fixture not found at {}",
            root.display()
        );
        files
    })
}

fn collect(root: &Path, rel: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
    for entry in fs::read_dir(root.join(rel)).expect("read base fixture") {
        let entry = entry.expect("directory entry");
        let rel = rel.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            collect(root, &rel, out);
        } else {
            out.insert(rel, fs::read(entry.path()).expect("read base file"));
        }
    }
}

/// The required fields of each authoring file's records (and of `dataset.toml`), with those
/// of the evidence sub-tables.
fn required_fields(file: &str) -> &'static [&'static str] {
    match file {
        "dataset.toml" => &["name", "title", "version", "description", "license"],
        "countries.toml" => &["id", "name"],
        "people.toml" => &["id", "name", "country"],
        "sources.toml" => &[
            "id",
            "title",
            "publisher",
            "published",
            "file",
            "sha256",
            "rights",
        ],
        "visits.toml" => &[
            "id",
            "date",
            "guest_country",
            "guest_office",
            "level",
            "summary",
            "source",
            "quote",
        ],
        "meetings.toml" => &[
            "id",
            "date",
            "participants",
            "kind",
            "summary",
            "source",
            "quote",
        ],
        "recognitions.toml" => &[
            "id",
            "date",
            "actor_country",
            "subject_country",
            "kind",
            "source",
            "quote",
        ],
        "disputes.toml" => &["id", "name", "kind", "parties", "status", "source", "quote"],
        "dispute_events.toml" => &[
            "id",
            "dispute",
            "kind",
            "actor_country",
            "summary",
            "source",
            "quote",
        ],
        _ => &[],
    }
}

/// Every line of base that holds a required field: (file, line index).
fn required_lines() -> &'static [(PathBuf, usize)] {
    static LINES: OnceLock<Vec<(PathBuf, usize)>> = OnceLock::new();
    LINES.get_or_init(|| {
        let mut out = Vec::new();
        for (path, bytes) in base_files() {
            let fields = required_fields(&path.to_string_lossy());
            let text = std::str::from_utf8(bytes).expect("base is UTF-8");
            for (i, line) in text.lines().enumerate() {
                let key = line.split(" = ").next().unwrap_or("");
                if line.contains(" = ") && fields.contains(&key) {
                    out.push((path.clone(), i));
                }
            }
        }
        assert!(
            out.len() > 50,
            "too few required lines found: {}",
            out.len()
        );
        out
    })
}

/// Every character of an evidence quote's text in base that is not whitespace:
/// (file, byte offset).
fn quote_chars() -> &'static [(PathBuf, usize)] {
    static CHARS: OnceLock<Vec<(PathBuf, usize)>> = OnceLock::new();
    CHARS.get_or_init(|| {
        let mut out = Vec::new();
        for (path, bytes) in base_files() {
            let text = std::str::from_utf8(bytes).expect("base is UTF-8");
            let mut from = 0;
            while let Some(found) = text[from..].find("\nquote = ") {
                let value = from + found + "\nquote = ".len();
                let rest = &text[value..];
                let (open, close) = if rest.starts_with("\"\"\"") {
                    ("\"\"\"", "\"\"\"")
                } else if rest.starts_with('"') {
                    ("\"", "\"")
                } else {
                    ("'", "'")
                };
                let start = value + open.len();
                let end = start + text[start..].find(close).expect("closed quote");
                out.extend(
                    text[start..end]
                        .char_indices()
                        .filter(|(_, c)| !c.is_whitespace() && *c != '\\')
                        .map(|(i, _)| (path.clone(), start + i)),
                );
                from = end;
            }
        }
        assert!(
            out.len() > 500,
            "too few quote characters found: {}",
            out.len()
        );
        out
    })
}

#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(Index, Index),
    SwapLines(Index, Index, Index),
    Truncate(Index, Index),
    InsertBytes(Index, Index, Vec<u8>),
    DuplicateLine(Index, Index),
    ChangeChar(Index, Index, char),
    /// Targeted: one character of a quote becomes another letter or digit.
    ChangeQuote(Index, char),
    /// Targeted: a line holding a required field is deleted.
    DeleteRequiredLine(Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let byte = prop_oneof![
        any::<u8>(),
        prop::sample::select(b"[]{}=\"'#.,-:\n \t\\0123456789aeZ".to_vec()),
    ];
    let ch = prop_oneof![
        any::<char>(),
        prop::sample::select(vec![
            '"', '\'', '[', ']', '=', '\n', ' ', '-', 'x', '9', 'é', ';'
        ]),
    ];
    let alnum = prop::sample::select(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
            .chars()
            .collect::<Vec<_>>(),
    );
    prop_oneof![
        (any::<Index>(), any::<Index>()).prop_map(|(f, l)| Mutation::DeleteLine(f, l)),
        (any::<Index>(), any::<Index>(), any::<Index>())
            .prop_map(|(f, a, b)| Mutation::SwapLines(f, a, b)),
        (any::<Index>(), any::<Index>()).prop_map(|(f, at)| Mutation::Truncate(f, at)),
        (
            any::<Index>(),
            any::<Index>(),
            prop::collection::vec(byte, 1..8)
        )
            .prop_map(|(f, at, b)| Mutation::InsertBytes(f, at, b)),
        (any::<Index>(), any::<Index>()).prop_map(|(f, l)| Mutation::DuplicateLine(f, l)),
        (any::<Index>(), any::<Index>(), ch).prop_map(|(f, at, c)| Mutation::ChangeChar(f, at, c)),
        (any::<Index>(), alnum).prop_map(|(at, c)| Mutation::ChangeQuote(at, c)),
        any::<Index>().prop_map(Mutation::DeleteRequiredLine),
    ]
}

/// Lines without their `\n`, and whether the text ended with one.
fn lines(bytes: &[u8]) -> (Vec<Vec<u8>>, bool) {
    let ends_with_newline = bytes.last() == Some(&b'\n');
    let body = if ends_with_newline {
        &bytes[..bytes.len() - 1]
    } else {
        bytes
    };
    (
        body.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect(),
        ends_with_newline,
    )
}

fn join(lines: &[Vec<u8>], ends_with_newline: bool) -> Vec<u8> {
    let mut out = lines.join(&b'\n');
    if ends_with_newline && !lines.is_empty() {
        out.push(b'\n');
    }
    out
}

/// Applies a mutation to a copy of base: the files, and the file changed.
fn apply(m: &Mutation) -> (BTreeMap<PathBuf, Vec<u8>>, PathBuf) {
    let mut files = base_files().clone();
    let paths: Vec<PathBuf> = files.keys().cloned().collect();
    let pick = |f: &Index| paths[f.index(paths.len())].clone();
    let path = match m {
        Mutation::DeleteLine(f, _)
        | Mutation::SwapLines(f, _, _)
        | Mutation::Truncate(f, _)
        | Mutation::InsertBytes(f, _, _)
        | Mutation::DuplicateLine(f, _)
        | Mutation::ChangeChar(f, _, _) => pick(f),
        Mutation::ChangeQuote(at, _) => {
            let chars = quote_chars();
            chars[at.index(chars.len())].0.clone()
        }
        Mutation::DeleteRequiredLine(at) => {
            let lines = required_lines();
            lines[at.index(lines.len())].0.clone()
        }
    };
    let bytes = files.get_mut(&path).expect("picked file exists");
    match m {
        Mutation::DeleteLine(_, l) => {
            let (mut ls, nl) = lines(bytes);
            ls.remove(l.index(ls.len()));
            *bytes = join(&ls, nl);
        }
        Mutation::SwapLines(_, a, b) => {
            let (mut ls, nl) = lines(bytes);
            let (a, b) = (a.index(ls.len()), b.index(ls.len()));
            ls.swap(a, b);
            *bytes = join(&ls, nl);
        }
        Mutation::Truncate(_, at) => {
            let at = at.index(bytes.len());
            bytes.truncate(at);
        }
        Mutation::InsertBytes(_, at, new) => {
            let at = at.index(bytes.len() + 1);
            bytes.splice(at..at, new.iter().copied());
        }
        Mutation::DuplicateLine(_, l) => {
            let (mut ls, nl) = lines(bytes);
            let l = l.index(ls.len());
            let line = ls[l].clone();
            ls.insert(l, line);
            *bytes = join(&ls, nl);
        }
        Mutation::ChangeChar(_, at, c) => {
            let text = String::from_utf8(bytes.clone()).expect("base is UTF-8");
            let offsets: Vec<(usize, char)> = text.char_indices().collect();
            let (i, old) = offsets[at.index(offsets.len())];
            let mut buf = [0u8; 4];
            bytes.splice(i..i + old.len_utf8(), c.encode_utf8(&mut buf).bytes());
        }
        Mutation::ChangeQuote(at, c) => {
            let chars = quote_chars();
            let i = chars[at.index(chars.len())].1;
            let text = String::from_utf8(bytes.clone()).expect("base is UTF-8");
            let old = text[i..].chars().next().expect("a character");
            // Another letter or digit: never the same one, never whitespace.
            let new = if old == *c {
                if c.is_ascii_digit() { 'q' } else { '7' }
            } else {
                *c
            };
            let mut buf = [0u8; 4];
            bytes.splice(i..i + old.len_utf8(), new.encode_utf8(&mut buf).bytes());
        }
        Mutation::DeleteRequiredLine(at) => {
            let lines_ = required_lines();
            let l = lines_[at.index(lines_.len())].1;
            let (mut ls, nl) = lines(bytes);
            ls.remove(l);
            *bytes = join(&ls, nl);
        }
    }
    (files, path)
}

fn write_dataset(dir: &Path, files: &BTreeMap<PathBuf, Vec<u8>>) {
    for (rel, bytes) in files {
        let path = dir.join(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("create directory");
        fs::write(path, bytes).expect("write file");
    }
}

/// The lines of a file as the validator counts them (split at `\n`), lossily decoded.
fn file_lines(files: &BTreeMap<PathBuf, Vec<u8>>, rel: &Path) -> Vec<String> {
    files.get(rel).map_or_else(Vec::new, |bytes| {
        String::from_utf8_lossy(bytes)
            .split('\n')
            .map(str::to_owned)
            .collect()
    })
}

fn check_report(
    report: &Report,
    dir: &Path,
    files: &BTreeMap<PathBuf, Vec<u8>>,
) -> Result<(), TestCaseError> {
    let sorted = report.diagnostics.windows(2).all(|w| w[0] <= w[1]);
    prop_assert!(sorted, "diagnostics are not sorted");
    for d in &report.diagnostics {
        prop_assert!(d.line >= 1 && d.column >= 1, "position below 1:1: {}", d);
        let rel = d.path.strip_prefix(dir).unwrap_or(&d.path);
        let lines = file_lines(files, rel);
        // `split('\n')` counts the empty line after a final newline: that is the "+ 1".
        prop_assert!(
            (d.line as usize) <= lines.len().max(1),
            "line {} is past the end of {} ({} lines): {}",
            d.line,
            rel.display(),
            lines.len(),
            d
        );
        if let Some(line) = lines.get(d.line as usize - 1) {
            let width = line.chars().count();
            prop_assert!(
                (d.column as usize) <= width + 1,
                "column {} is past the end of line {} of {} ({} characters): {}",
                d.column,
                d.line,
                rel.display(),
                width,
                d
            );
        }
        prop_assert!(!d.message.is_empty(), "empty message: {}", d);
    }
    Ok(())
}

proptest! {
    // 256 cases (proptest's default); PROPTEST_CASES=... runs more, for a deeper search.
    #![proptest_config(Config {
        failure_persistence: None,
        ..Config::default()
    })]

    #[test]
    fn mutated_base_never_panics_and_diagnostics_are_well_formed(m in mutation()) {
        let (files, changed) = apply(&m);
        let tmp = tempfile::tempdir().expect("temporary directory");
        let dir = tmp.path().join("dataset");
        write_dataset(&dir, &files);

        let report = catch_unwind(AssertUnwindSafe(|| validate_dir(&dir)));
        prop_assert!(report.is_ok(), "validate_dir panicked on {:?} of {}", m, changed.display());
        let report = report.expect("checked");
        let rendered: Vec<String> = report.diagnostics.iter().map(ToString::to_string).collect();

        check_report(&report, &dir, &files)?;
        let is_valid = report.is_valid();
        // Valid means no error: warnings (a deleted `#:schema` line) may remain.
        prop_assert_eq!(is_valid, report.diagnostics.iter().all(|d| !d.is_error()));
        prop_assert_eq!(is_valid, report.clone().into_valid().is_some());

        match &m {
            // A record's quote (E042) or a source's excuse (E096).
            Mutation::ChangeQuote(..) => prop_assert!(
                report
                    .diagnostics
                    .iter()
                    .any(|d| matches!(d.code, Code::QuoteNotFound | Code::ExcuseNotFound)),
                "a changed quote in {} passed: {:?}\n{}",
                changed.display(),
                m,
                rendered.join("\n")
            ),
            Mutation::DeleteRequiredLine(..) => prop_assert!(
                !is_valid,
                "deleting a required line of {} passed: {:?}",
                changed.display(),
                m
            ),
            _ => {}
        }
    }
}

/// The targeted mutations find what they target in base, and base itself is valid.
#[test]
fn targets_exist_and_base_is_valid() {
    assert!(!quote_chars().is_empty());
    assert!(!required_lines().is_empty());
    let tmp = tempfile::tempdir().expect("temporary directory");
    let dir = tmp.path().join("dataset");
    write_dataset(&dir, base_files());
    let report = validate_dir(&dir);
    let rendered: Vec<String> = report.diagnostics.iter().map(ToString::to_string).collect();
    assert!(report.is_valid(), "{}", rendered.join("\n"));
}
