//! The diagnostic collector, and the files diagnostics point into.
//!
//! Every diagnostic of a run is made here, from a byte position of a file: [`Sink`] turns the
//! position into a line and column and builds the [`Diagnostic`] (which escapes control
//! characters in its message and hint, see [`Diagnostic::new`]).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use toml_spanner::Span;

use crate::diagnostic::{Code, Diagnostic, LineIndex};

/// One authoring file of a dataset: its name, path, and text while it is being checked.
pub(crate) struct SourceFile {
    /// The file's name, e.g. `visits.toml`.
    pub(crate) name: &'static str,
    pub(crate) path: PathBuf,
    /// The text, where the file exists and could be read.
    pub(crate) text: Option<String>,
    /// Whether the file exists but could not be read (too large, not UTF-8, unreadable).
    pub(crate) failed: bool,
    /// Line starts of `text`, built on the first diagnostic in the file.
    pub(crate) lines: OnceLock<LineIndex>,
}

impl SourceFile {
    /// A file of the dataset directory `dir`, not yet read.
    pub(crate) fn new(dir: &Path, name: &'static str) -> Self {
        Self {
            name,
            path: dir.join(name),
            text: None,
            failed: false,
            lines: OnceLock::new(),
        }
    }

    /// Lets go of the text once the file is checked; positions of later diagnostics are
    /// found by reading the file again (see [`Sink::at_pos`]).
    pub(crate) fn release_text(&mut self) {
        self.text = None;
        self.lines = OnceLock::new();
    }
}

/// Collects diagnostics, turning byte positions into lines and columns.
#[derive(Default)]
pub(crate) struct Sink {
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Added to every span: the byte offset of the chunk of the file being checked.
    pub(crate) offset: usize,
    /// Texts read again to place diagnostics in files whose text was let go.
    reread: std::collections::HashMap<PathBuf, (String, LineIndex)>,
}

impl Sink {
    /// A sink for the chunk of a file that starts at byte `offset`.
    pub(crate) fn at_offset(offset: usize) -> Self {
        Self {
            offset,
            ..Self::default()
        }
    }

    /// A diagnostic at a span of the chunk being checked.
    pub(crate) fn at(
        &mut self,
        file: &SourceFile,
        span: Span,
        code: Code,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        let pos = self.offset + span.start as usize;
        self.at_pos(file, pos, code, message, hint);
    }

    /// A diagnostic at a byte position of the file.
    pub(crate) fn at_pos(
        &mut self,
        file: &SourceFile,
        pos: usize,
        code: Code,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        let (line, column) = self.position(file, pos);
        self.diagnostics.push(Diagnostic::new(
            file.path.clone(),
            (line, column),
            code,
            message,
            hint,
        ));
    }

    /// A diagnostic at a byte position of the file, at `severity`.
    pub(crate) fn at_pos_as(
        &mut self,
        severity: crate::Severity,
        file: &SourceFile,
        pos: usize,
        code: Code,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        self.at_pos(file, pos, code, message, hint);
        if let Some(last) = self.diagnostics.pop() {
            self.diagnostics.push(last.with_severity(severity));
        }
    }

    /// A diagnostic at a known line and column of a file.
    pub(crate) fn at_line(
        &mut self,
        path: &Path,
        (line, column): (u32, u32),
        code: Code,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        self.diagnostics.push(Diagnostic::new(
            path.to_path_buf(),
            (line, column),
            code,
            message,
            hint,
        ));
    }

    /// A diagnostic about a whole file, at 1:1.
    pub(crate) fn whole_file(&mut self, path: &Path, code: Code, message: impl Into<String>) {
        self.at_line(path, (1, 1), code, message, None);
    }

    /// The line and column of a byte position of a file.
    pub(crate) fn position(&mut self, file: &SourceFile, pos: usize) -> (u32, u32) {
        if let Some(text) = file.text.as_deref() {
            return file
                .lines
                .get_or_init(|| LineIndex::new(text))
                .position(text, pos);
        }
        let (text, lines) = self.reread.entry(file.path.clone()).or_insert_with(|| {
            // Only a file read once already is read again; should it have been replaced
            // since by something that is not a regular file, nothing is read.
            let text = reread(&file.path)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            let lines = LineIndex::new(&text);
            (text, lines)
        });
        lines.position(text, pos)
    }
}

/// The bytes of a regular file, at most [`crate::MAX_FILE_SIZE`] of them.
fn reread(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let file = std::fs::File::open(path)?;
    if !file.metadata()?.is_file() {
        return Ok(Vec::new());
    }
    let mut bytes = Vec::new();
    file.take(crate::MAX_FILE_SIZE).read_to_end(&mut bytes)?;
    Ok(bytes)
}
