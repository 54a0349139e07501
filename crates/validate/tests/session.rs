//! A [`Session`] gives, after every edit, exactly the report a fresh validation gives: the
//! chunks, sources and records it remembers never stand in for text that changed, and
//! positions in chunks an edit moved are where the text now has them.

use std::path::{Path, PathBuf};

use diplomacy_validate::{Diagnostic, Options, Session, validate_dir_with};
use proptest::prelude::*;

fn curated() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../datasets/japan-eurasia-diplomacy")
}

/// Small chunks, so that every large authoring file is several chunks.
fn options() -> Options {
    let mut options = Options::default();
    options.chunk_size = 2048;
    options.keep_records = false;
    options
}

/// A copy of the curated dataset, left to settle, so that the session may remember its
/// archived texts.
fn settled_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    copy_dir(&curated(), dir.path());
    std::thread::sleep(std::time::Duration::from_millis(2100));
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let dest = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

/// Every file of the dataset an edit may touch: the authoring files and the archived texts.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    out.extend(
        std::fs::read_dir(dir.join("sources"))
            .expect("read dir")
            .map(|e| e.expect("entry").path()),
    );
    out.sort();
    out
}

fn show(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| format!("{d}\n"))
        .collect::<String>()
}

/// Validates `dir` with the session and afresh, and checks the two agree.
fn agree(session: &mut Session, dir: &Path, after: &str) -> Vec<Diagnostic> {
    let remembered = session.validate(dir).diagnostics;
    let fresh = validate_dir_with(dir, &options()).diagnostics;
    assert!(
        remembered == fresh,
        "after {after}, the session reports\n{}\nbut a fresh validation reports\n{}",
        show(&remembered),
        show(&fresh)
    );
    fresh
}

fn edit(path: &Path, change: impl FnOnce(&str) -> String) {
    let text = std::fs::read_to_string(path).expect("read");
    std::fs::write(path, change(&text)).expect("write");
}

#[test]
fn references_into_chunks_an_edit_moved_are_reported_where_they_now_are() {
    let copy = settled_copy();
    let dir = copy.path();
    let mut session = Session::new(options());
    assert!(agree(&mut session, dir, "nothing").is_empty());
    // Lines added at the head of visits.toml move every chunk after them.
    edit(&dir.join("visits.toml"), |t| {
        t.replacen("\n[[visits]]", "\n# a note\n# another\n\n[[visits]]", 1)
    });
    assert!(agree(&mut session, dir, "lines added").is_empty());
    // A person renamed: the references to them in moved chunks no longer resolve.
    edit(&dir.join("people.toml"), |t| {
        t.replace("id = \"aliyev-heydar\"", "id = \"aliyev-h\"")
    });
    let broken = agree(&mut session, dir, "a person renamed");
    assert!(
        broken
            .iter()
            .any(|d| d.path.ends_with("visits.toml") && d.message.contains("aliyev-heydar")),
        "{}",
        show(&broken)
    );
    // A quote changed in a source's archived text, then put back.
    let source = dir.join("sources/mofa-japan-kazakhstan-relations.txt");
    let original = std::fs::read_to_string(&source).expect("read");
    edit(&source, |t| t.replacen("Kazakhstan", "Kazakstan", 3));
    agree(&mut session, dir, "a source changed");
    std::fs::write(&source, &original).expect("write");
    edit(&dir.join("people.toml"), |t| {
        t.replace("id = \"aliyev-h\"", "id = \"aliyev-heydar\"")
    });
    assert!(agree(&mut session, dir, "everything put back").is_empty());
    // An excuse taken away: the sentence it excused is accounted for no more.
    let sources = dir.join("sources.toml");
    let before = std::fs::read_to_string(&sources).expect("read");
    edit(&sources, |t| {
        t.replacen(
            "[[sources.excused]]\nquote = \"Contents | Back | Next\"\nreason = \"navigation\"\nnote = \"Navigation links of the web page the text was taken from.\"",
            "",
            1,
        )
    });
    let unaccounted = agree(&mut session, dir, "an excuse taken away");
    assert!(
        unaccounted.iter().any(|d| d.code.as_str() == "E095"),
        "{}",
        show(&unaccounted)
    );
    std::fs::write(&sources, before).expect("write");
    assert!(agree(&mut session, dir, "the excuse put back").is_empty());
    // A person's name changed: the records that quote the old name no longer state it.
    let people = dir.join("people.toml");
    let before = std::fs::read_to_string(&people).expect("read");
    edit(&people, |t| {
        t.replace("name = \"Heydar Aliyev\"", "name = \"Heydar Alijev\"")
            .replace(
                "family_name = \"Aliyev\"\ngiven_name = \"Heydar\"",
                "family_name = \"Alijev\"\ngiven_name = \"Heydar\"",
            )
    });
    let renamed = agree(&mut session, dir, "a person's name changed");
    assert!(
        renamed.iter().any(|d| d.code.as_str() == "E090"),
        "{}",
        show(&renamed)
    );
    std::fs::write(&people, before).expect("write");
    assert!(agree(&mut session, dir, "the name put back").is_empty());
}

/// One edit of one file: a line added, removed or changed, or the file put back.
#[derive(Debug, Clone)]
enum Edit {
    Insert {
        file: usize,
        line: usize,
        text: usize,
    },
    Remove {
        file: usize,
        line: usize,
    },
    Change {
        file: usize,
        line: usize,
        at: usize,
    },
    PutBack {
        file: usize,
    },
}

/// Lines an edit adds: harmless, a header, a field, a copy of another line.
const LINES: &[&str] = &[
    "# a note",
    "",
    "[[visits]]",
    "id = \"new-id\"",
    "date = \"1999-13-01\"",
    "quote = \"words found nowhere at all\"",
    "other_names = [\"Heidar\"]",
];

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let one = prop_oneof![
        (0..64usize, 0..4000usize, 0..LINES.len() + 1)
            .prop_map(|(file, line, text)| Edit::Insert { file, line, text }),
        (0..64usize, 0..4000usize).prop_map(|(file, line)| Edit::Remove { file, line }),
        (0..64usize, 0..4000usize, 0..200usize).prop_map(|(file, line, at)| Edit::Change {
            file,
            line,
            at
        }),
        (0..64usize).prop_map(|file| Edit::PutBack { file }),
    ];
    prop::collection::vec(one, 1..6)
}

fn apply(e: &Edit, files: &[PathBuf], originals: &[String]) {
    let pick = |f: usize| f % files.len();
    match *e {
        Edit::Insert { file, line, text } => edit(&files[pick(file)], |t| {
            let mut lines: Vec<&str> = t.split('\n').collect();
            let at = line % (lines.len() + 1);
            // The last choice copies a line of the file.
            let new = LINES
                .get(text)
                .copied()
                .unwrap_or_else(|| lines[line % lines.len()]);
            lines.insert(at, new);
            lines.join("\n")
        }),
        Edit::Remove { file, line } => edit(&files[pick(file)], |t| {
            let mut lines: Vec<&str> = t.split('\n').collect();
            lines.remove(line % lines.len());
            lines.join("\n")
        }),
        Edit::Change { file, line, at } => edit(&files[pick(file)], |t| {
            let mut lines: Vec<String> = t.split('\n').map(str::to_owned).collect();
            let n = line % lines.len();
            let chars: Vec<char> = lines[n].chars().collect();
            if !chars.is_empty() {
                let i = at % chars.len();
                let mut changed = chars.clone();
                changed[i] = if chars[i] == 'x' { 'y' } else { 'x' };
                lines[n] = changed.into_iter().collect();
            }
            lines.join("\n")
        }),
        Edit::PutBack { file } => {
            std::fs::write(&files[pick(file)], &originals[pick(file)]).expect("write");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Random edits of the authoring files and archived texts, one after another: after
    /// each, the session's report is the fresh one.
    #[test]
    fn a_session_reports_what_a_fresh_validation_reports(steps in edits()) {
        static COPY: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
        let dir = COPY.get_or_init(settled_copy).path();
        let files = files(dir);
        let originals: Vec<String> = files
            .iter()
            .map(|f| std::fs::read_to_string(f).expect("read"))
            .collect();
        let mut session = Session::new(options());
        agree(&mut session, dir, "nothing");
        for (n, step) in steps.iter().enumerate() {
            apply(step, &files, &originals);
            agree(&mut session, dir, &format!("edit {n}: {step:?}"));
        }
        // Only what changed is put back: the others stay settled for the next case.
        for (f, text) in files.iter().zip(&originals) {
            if std::fs::read_to_string(f).ok().as_ref() != Some(text) {
                std::fs::write(f, text).expect("write");
            }
        }
    }
}

/// An editor's unsaved text is checked in place of the file, as if it were saved, and a
/// text over the size limit is refused as a file over it is.
#[test]
fn open_texts_are_checked_in_place_of_their_files() {
    let copy = tempfile::tempdir().expect("temporary directory");
    let dir = copy.path();
    copy_dir(&curated(), dir);
    let path = dir.join("visits.toml");
    let saved = std::fs::read_to_string(&path).expect("read");
    let unsaved = saved.replacen("id = \"", "id = \"Not An Id ", 1);
    let mut session = Session::new(options());
    let open = session
        .validate_open(dir, &[("visits.toml", unsaved.as_str())])
        .diagnostics;
    std::fs::write(&path, &unsaved).expect("write");
    let fresh = validate_dir_with(dir, &options()).diagnostics;
    assert!(!fresh.is_empty());
    assert!(open == fresh, "{}\n---\n{}", show(&open), show(&fresh));
    // The saved text again: the session sees the disk's file, not the last open text.
    std::fs::write(&path, &saved).expect("write");
    assert!(agree(&mut session, dir, "the file saved").is_empty());
    let mut small = options();
    small.max_file_size = 1000;
    let mut session = Session::new(small);
    let big = session.validate_open(dir, &[("visits.toml", saved.as_str())]);
    assert!(
        big.diagnostics
            .iter()
            .any(|d| d.code.as_str() == "E003" && d.path.ends_with("visits.toml")),
        "{}",
        show(&big.diagnostics)
    );
}
