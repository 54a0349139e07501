//! Diagnostics: what is wrong, and exactly where.
//!
//! A diagnostic never carries a raw control character: text taken from the input (a value,
//! an unknown key, a file name) is escaped when the diagnostic is made ([`Diagnostic::new`])
//! and again when it is printed, so hostile input cannot drive the terminal that shows it.

use std::borrow::Cow;
use std::fmt;
use std::path::PathBuf;

/// The kind of a problem, with a stable code (`E001`...) that never changes meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Code {
    /// The file is not valid TOML.
    Syntax,
    /// The file is not UTF-8.
    NotUtf8,
    /// The file is larger than the limit.
    TooLarge,
    /// The file could not be read.
    Unreadable,
    /// `dataset.toml` is missing.
    MissingDatasetFile,
    /// A path of the dataset that is not a regular file (a directory, FIFO, socket or device).
    NotRegularFile,
    /// An authoring file whose `#:schema` directive names another schema than its own.
    SchemaDirective,
    /// An authoring file that does not begin with a `#:schema` directive (a warning: editors
    /// cannot complete or check it; `diplomacy upgrade` adds the directives).
    MissingSchemaDirective,
    /// A value has the wrong type.
    WrongType,
    /// A field the table does not have.
    UnknownField,
    /// A required field is missing.
    MissingField,
    /// A value outside its controlled vocabulary.
    NotInVocabulary,
    /// A value that does not have its field's form (an id, a country code, a date, a URL...).
    BadFormat,
    /// A value that breaks another schema constraint (an empty or blank string, an empty
    /// list...).
    Constraint,
    /// Two records share an id.
    DuplicateId,
    /// A reference to a record that does not exist.
    DanglingReference,
    /// A country code that is not in `countries.toml`.
    UnknownCountry,
    /// A visit whose `guest_person` serves another country than its `guest_country`.
    GuestOfAnotherCountry,
    /// A country acting on itself: a visit whose guest is its host, a recognition whose actor
    /// is its subject, a dispute event whose actor is its counterpart.
    SelfReference,
    /// A dispute with fewer than two distinct parties.
    TooFewParties,
    /// A date that does not exist on the calendar.
    ImpossibleDate,
    /// An interval that ends before it starts.
    ReversedInterval,
    /// A meeting linked to a visit but dated outside it (no day of the meeting's date falls
    /// within the visit's).
    OutsideVisit,
    /// A fact-bearing record without evidence.
    MissingEvidence,
    /// An evidence quote that is empty or blank.
    EmptyQuote,
    /// An evidence quote that is not in its source's archived text.
    QuoteNotFound,
    /// An evidence quote of fewer than three words (see [`crate::MIN_QUOTE_WORDS`]).
    ShortQuote,
    /// The same evidence (same source, same quote) twice on one record.
    DuplicateEvidence,
    /// A source file path that leaves the dataset directory.
    PathEscapes,
    /// A source file that does not exist.
    MissingSourceFile,
    /// A source file whose SHA-256 is not the one recorded.
    ChecksumMismatch,
    /// A version that is not SemVer.
    BadVersion,
    /// A `license` that is not an SPDX license identifier or expression.
    BadLicense,
    /// Text that a spreadsheet would run as a formula.
    FormulaText,
    /// A list item that contains the CSV list separator `;`.
    ListSeparator,
    /// Text holding a control character (any Unicode `Cc` other than tab, line feed and
    /// carriage return: NUL, BEL, ESC, DEL...).
    ControlCharacter,
    /// An id of a published release that is neither a record's nor redirected.
    IdRemoved,
    /// A redirect whose `to` is neither a record's id nor redirected.
    RedirectTargetMissing,
    /// A redirect whose `from` is still a record's id.
    RedirectFromExists,
    /// Redirects that lead round in a cycle.
    RedirectCycle,
    /// Two redirects from the same id.
    DuplicateRedirect,
    /// A published release that could not be read.
    UnreadableRelease,
    /// A value of a record that none of its quotes states, and that it does not mark inferred
    /// (a warning unless `dataset.toml` requires `entailment`).
    NotEntailed,
    /// An `inferred` entry naming a field the record does not have or leaves empty, or
    /// naming a field twice.
    BadInference,
    /// An evidence entry's `supports` naming a field the record does not have.
    BadSupports,
    /// A name form (`other_names`), or a person's `family_name` or `given_name`, that
    /// occurs in no archived source text.
    NameFormNotInSources,
    /// An evidence `occurrence` beyond the number of places the quote occurs.
    NoSuchOccurrence,
    /// A quote that occurs more than once in its source, with no `occurrence` to say which
    /// (a warning: the release cannot anchor it).
    AmbiguousQuote,
    /// A sentence of an archived source that no record cites and the source does not excuse
    /// (an error where `dataset.toml` requires `ledger`; else one warning per source).
    SentenceNotAccounted,
    /// An excuse (`[[sources.excused]]`) whose quote is not in its source's archived text.
    ExcuseNotFound,
    /// A person's `name` that is not their `given_name` and `family_name` joined by a space
    /// (or the one of them given): the dataset's one name style.
    NameStyle,
}

impl Code {
    /// Every code, in order.
    pub const ALL: &'static [Code] = &[
        Code::Syntax,
        Code::NotUtf8,
        Code::TooLarge,
        Code::Unreadable,
        Code::MissingDatasetFile,
        Code::NotRegularFile,
        Code::SchemaDirective,
        Code::MissingSchemaDirective,
        Code::WrongType,
        Code::UnknownField,
        Code::MissingField,
        Code::NotInVocabulary,
        Code::BadFormat,
        Code::Constraint,
        Code::DuplicateId,
        Code::DanglingReference,
        Code::UnknownCountry,
        Code::GuestOfAnotherCountry,
        Code::SelfReference,
        Code::TooFewParties,
        Code::ImpossibleDate,
        Code::ReversedInterval,
        Code::OutsideVisit,
        Code::MissingEvidence,
        Code::EmptyQuote,
        Code::QuoteNotFound,
        Code::ShortQuote,
        Code::DuplicateEvidence,
        Code::PathEscapes,
        Code::MissingSourceFile,
        Code::ChecksumMismatch,
        Code::BadVersion,
        Code::BadLicense,
        Code::FormulaText,
        Code::ListSeparator,
        Code::ControlCharacter,
        Code::IdRemoved,
        Code::RedirectTargetMissing,
        Code::RedirectFromExists,
        Code::RedirectCycle,
        Code::DuplicateRedirect,
        Code::UnreadableRelease,
        Code::NotEntailed,
        Code::BadInference,
        Code::BadSupports,
        Code::NameFormNotInSources,
        Code::NoSuchOccurrence,
        Code::AmbiguousQuote,
        Code::SentenceNotAccounted,
        Code::ExcuseNotFound,
        Code::NameStyle,
    ];

    /// The stable code, e.g. `E001`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Syntax => "E001",
            Code::NotUtf8 => "E002",
            Code::TooLarge => "E003",
            Code::Unreadable => "E004",
            Code::MissingDatasetFile => "E005",
            Code::NotRegularFile => "E006",
            Code::SchemaDirective => "E007",
            Code::MissingSchemaDirective => "W001",
            Code::WrongType => "E010",
            Code::UnknownField => "E011",
            Code::MissingField => "E012",
            Code::NotInVocabulary => "E013",
            Code::BadFormat => "E014",
            Code::Constraint => "E015",
            Code::DuplicateId => "E020",
            Code::DanglingReference => "E021",
            Code::UnknownCountry => "E022",
            Code::GuestOfAnotherCountry => "E023",
            Code::SelfReference => "E024",
            Code::TooFewParties => "E025",
            Code::ImpossibleDate => "E030",
            Code::ReversedInterval => "E031",
            Code::OutsideVisit => "E032",
            Code::MissingEvidence => "E040",
            Code::EmptyQuote => "E041",
            Code::QuoteNotFound => "E042",
            Code::ShortQuote => "E043",
            Code::DuplicateEvidence => "E044",
            Code::PathEscapes => "E050",
            Code::MissingSourceFile => "E051",
            Code::ChecksumMismatch => "E052",
            Code::BadVersion => "E060",
            Code::BadLicense => "E061",
            Code::FormulaText => "E070",
            Code::ListSeparator => "E071",
            Code::ControlCharacter => "E072",
            Code::IdRemoved => "E080",
            Code::RedirectTargetMissing => "E081",
            Code::RedirectFromExists => "E082",
            Code::RedirectCycle => "E083",
            Code::DuplicateRedirect => "E084",
            Code::UnreadableRelease => "E085",
            Code::NotEntailed => "E090",
            Code::BadInference => "E091",
            Code::BadSupports => "E092",
            Code::NameFormNotInSources => "E093",
            Code::NoSuchOccurrence => "E094",
            Code::AmbiguousQuote => "W002",
            Code::SentenceNotAccounted => "E095",
            Code::ExcuseNotFound => "E096",
            Code::NameStyle => "E097",
        }
    }
}

impl Code {
    /// How bad a problem of this kind is: every code is an error but those whose stable
    /// code starts with `W`, which are warnings.
    pub fn severity(self) -> Severity {
        if self.as_str().starts_with('W') {
            Severity::Warning
        } else {
            Severity::Error
        }
    }
}

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Severity {
    /// The dataset is not valid: `validate` exits 1 and nothing is released.
    Error,
    /// The dataset is valid but should be mended: printed, and an error only with
    /// `validate --deny-warnings`.
    Warning,
}

impl Severity {
    /// `error` or `warning`, as the short form prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Another place a diagnostic concerns (an id's other use, a source's passage), with what it
/// says of that place.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub struct Label {
    /// The file.
    pub path: PathBuf,
    /// The line, starting at 1.
    pub line: u32,
    /// The column in characters, starting at 1.
    pub column: u32,
    /// What this place has to do with the problem.
    pub message: String,
}

impl Label {
    /// A label at `(line, column)` (both from 1) of `path`; control characters in `message`
    /// are escaped.
    pub fn new(path: PathBuf, (line, column): (u32, u32), message: impl Into<String>) -> Self {
        Self {
            path,
            line,
            column,
            message: clean(message.into()),
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem in one file, at a line and column (the primary place), with its severity,
/// other places it concerns and notes: the codespan-reporting shape.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub struct Diagnostic {
    /// The file, as the dataset directory was given joined with the file's name.
    pub path: PathBuf,
    /// The line, starting at 1.
    pub line: u32,
    /// The column in characters, starting at 1.
    pub column: u32,
    /// The kind of problem.
    pub code: Code,
    /// What is wrong, naming the field.
    pub message: String,
    /// How to fix it, where a hint helps; it may run over several lines.
    pub hint: Option<String>,
    /// How bad it is: [`Code::severity`] unless made otherwise.
    pub severity: Severity,
    /// Other places the problem concerns.
    pub labels: Vec<Label>,
    /// More about the problem, each a line of its own.
    pub notes: Vec<String>,
}

impl Diagnostic {
    /// A diagnostic at `(line, column)` (both from 1) of `path`. Control characters in
    /// `message` and `hint` are escaped (see [`escape_controls`]), so a diagnostic quoting
    /// hostile input prints as one harmless line.
    pub fn new(
        path: PathBuf,
        (line, column): (u32, u32),
        code: Code,
        message: impl Into<String>,
        hint: Option<String>,
    ) -> Self {
        Self {
            path,
            line,
            column,
            code,
            message: clean(message.into()),
            hint: hint.map(|h| clean_lines(&h)),
            severity: code.severity(),
            labels: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// The same diagnostic with another place it concerns.
    pub fn with_label(mut self, label: Label) -> Self {
        self.labels.push(label);
        self
    }

    /// The same diagnostic with a note (control characters escaped).
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(clean(note.into()));
        self
    }

    /// The same diagnostic at another severity.
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Whether it is an error (and not a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// `s` with its control characters escaped.
fn clean(s: String) -> String {
    match escape_controls(&s) {
        Cow::Borrowed(_) => s,
        Cow::Owned(o) => o,
    }
}

/// `s` with the control characters of each line escaped, and its line breaks kept (as `\n`).
fn clean_lines(s: &str) -> String {
    s.lines()
        .map(|l| escape_controls(l).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The short form editors and CI logs understand:
/// `path:line:col: error[CODE]: message` (or `warning[CODE]`), then each other place as
/// `  --> path:line:col: what`, each note as `  = note: ...`, and the hint as `  = help: ...`,
/// a hint of several lines with its further lines indented under its first. The path,
/// message, labels, notes and each line of the hint are printed with control characters
/// escaped, whoever built the diagnostic.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.display().to_string();
        write!(
            f,
            "{}:{}:{}: {}[{}]: {}",
            escape_controls(&path),
            self.line,
            self.column,
            self.severity,
            self.code,
            escape_controls(&self.message)
        )?;
        for label in &self.labels {
            let path = label.path.display().to_string();
            write!(
                f,
                "\n  --> {}:{}:{}: {}",
                escape_controls(&path),
                label.line,
                label.column,
                escape_controls(&label.message)
            )?;
        }
        for note in &self.notes {
            write!(f, "\n  = note: {}", escape_controls(note))?;
        }
        if let Some(hint) = &self.hint {
            for (i, line) in hint.lines().enumerate() {
                let lead = if i == 0 { "  = help: " } else { "          " };
                write!(f, "\n{lead}{}", escape_controls(line))?;
            }
        }
        Ok(())
    }
}

/// Whether a character must not reach a terminal raw: a Unicode control character (`Cc`,
/// including tab and line breaks, which would break the one-line form) or a bidirectional
/// override or isolate, which reorders what a terminal shows.
fn must_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every control character written as an escape: `\t`, `\n`, `\r`, `\0`, or
/// `\u{1b}` for the others (the form of Rust's `char::escape_unicode`, shortest). Borrows
/// where there is nothing to escape.
///
/// ```
/// use diplomacy_validate::escape_controls;
/// assert_eq!(escape_controls("a\u{1b}]0;x\u{7}b"), "a\\u{1b}]0;x\\u{7}b");
/// assert_eq!(escape_controls("tab\there"), "tab\\there");
/// assert_eq!(escape_controls("日本 — plain"), "日本 — plain");
/// ```
pub fn escape_controls(s: &str) -> Cow<'_, str> {
    use fmt::Write as _;
    if !s.chars().any(must_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c if must_escape(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Byte offsets to 1-based lines and columns.
#[derive(Debug)]
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Self { starts }
    }

    /// The line and column (in characters) of a byte offset in `text`.
    pub(crate) fn position(&self, text: &str, offset: usize) -> (u32, u32) {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1) - 1;
        let start = self.starts[line];
        let column = text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (
            u32::try_from(line + 1).unwrap_or(u32::MAX),
            u32::try_from(column + 1).unwrap_or(u32::MAX),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let text = "a = 1\nbé = \"x\"\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 0), (1, 1));
        assert_eq!(idx.position(text, 6), (2, 1));
        // 'b', 'é' (2 bytes), ' ' -> byte 10 is the 4th character.
        assert_eq!(idx.position(text, 10), (2, 4));
        assert_eq!(idx.position(text, 1000), (3, 1));
    }

    #[test]
    fn diagnostics_escape_control_characters() {
        let d = Diagnostic::new(
            PathBuf::from("a\u{1b}b.toml"),
            (1, 1),
            Code::UnknownField,
            "unknown field `x\u{1b}[2J\u{7}`",
            Some("nul \0 and del \u{7f} and \u{202e}".to_owned()),
        );
        assert_eq!(d.message, "unknown field `x\\u{1b}[2J\\u{7}`");
        let shown = d.to_string();
        assert!(
            !shown.chars().any(|c| c.is_control() && c != '\n'),
            "{shown:?}"
        );
        assert!(shown.contains("a\\u{1b}b.toml"), "{shown}");
        assert!(
            shown.contains("nul \\0 and del \\u{7f} and \\u{202e}"),
            "{shown}"
        );
        // Escaping is idempotent: an escaped text has nothing left to escape.
        assert_eq!(escape_controls(&d.message), d.message);
    }

    #[test]
    fn severity_labels_notes_and_hints_of_several_lines_print_as_lines() {
        let d = Diagnostic::new(
            PathBuf::from("visits.toml"),
            (1, 1),
            Code::IdRemoved,
            "id \"a\" is gone",
            Some("add:\n    [[redirects]]\n    from = \"a\u{1b}\"".to_owned()),
        )
        .with_label(Label::new(
            PathBuf::from("people.toml"),
            (3, 5),
            "used here",
        ))
        .with_note("published in x-1.0.0");
        assert_eq!(
            d.to_string(),
            "visits.toml:1:1: error[E080]: id \"a\" is gone\n  \
             --> people.toml:3:5: used here\n  \
             = note: published in x-1.0.0\n  \
             = help: add:\n              [[redirects]]\n              from = \"a\\u{1b}\""
        );
        let w = Diagnostic::new(
            PathBuf::from("a.toml"),
            (1, 1),
            Code::MissingSchemaDirective,
            "no directive",
            None,
        );
        assert_eq!(w.severity, Severity::Warning);
        assert!(!w.is_error());
        assert_eq!(w.to_string(), "a.toml:1:1: warning[W001]: no directive");
        assert!(
            Code::ALL
                .iter()
                .all(|c| (c.severity() == Severity::Warning) == c.as_str().starts_with('W'))
        );
    }

    #[test]
    fn codes_are_unique() {
        let mut codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), Code::ALL.len());
    }
}
