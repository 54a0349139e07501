//! Diagnostics: what is wrong, and exactly where.

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
    /// A value that breaks another schema constraint (an empty string, an empty list...).
    Constraint,
    /// Two records share an id.
    DuplicateId,
    /// A reference to a record that does not exist.
    DanglingReference,
    /// A country code that is not in `countries.toml`.
    UnknownCountry,
    /// A date that does not exist on the calendar.
    ImpossibleDate,
    /// An interval that ends before it starts.
    ReversedInterval,
    /// A fact-bearing record without evidence.
    MissingEvidence,
    /// An evidence quote that is empty or blank.
    EmptyQuote,
    /// An evidence quote that is not in its source's archived text.
    QuoteNotFound,
    /// A source file path that leaves the dataset directory.
    PathEscapes,
    /// A source file that does not exist.
    MissingSourceFile,
    /// A source file whose SHA-256 is not the one recorded.
    ChecksumMismatch,
    /// A version that is not SemVer.
    BadVersion,
    /// Text that a spreadsheet would run as a formula.
    FormulaText,
    /// A list item that contains the CSV list separator `;`.
    ListSeparator,
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
}

impl Code {
    /// Every code, in order.
    pub const ALL: &'static [Code] = &[
        Code::Syntax,
        Code::NotUtf8,
        Code::TooLarge,
        Code::Unreadable,
        Code::MissingDatasetFile,
        Code::WrongType,
        Code::UnknownField,
        Code::MissingField,
        Code::NotInVocabulary,
        Code::BadFormat,
        Code::Constraint,
        Code::DuplicateId,
        Code::DanglingReference,
        Code::UnknownCountry,
        Code::ImpossibleDate,
        Code::ReversedInterval,
        Code::MissingEvidence,
        Code::EmptyQuote,
        Code::QuoteNotFound,
        Code::PathEscapes,
        Code::MissingSourceFile,
        Code::ChecksumMismatch,
        Code::BadVersion,
        Code::FormulaText,
        Code::ListSeparator,
        Code::IdRemoved,
        Code::RedirectTargetMissing,
        Code::RedirectFromExists,
        Code::RedirectCycle,
        Code::DuplicateRedirect,
        Code::UnreadableRelease,
    ];

    /// The stable code, e.g. `E001`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Syntax => "E001",
            Code::NotUtf8 => "E002",
            Code::TooLarge => "E003",
            Code::Unreadable => "E004",
            Code::MissingDatasetFile => "E005",
            Code::WrongType => "E010",
            Code::UnknownField => "E011",
            Code::MissingField => "E012",
            Code::NotInVocabulary => "E013",
            Code::BadFormat => "E014",
            Code::Constraint => "E015",
            Code::DuplicateId => "E020",
            Code::DanglingReference => "E021",
            Code::UnknownCountry => "E022",
            Code::ImpossibleDate => "E030",
            Code::ReversedInterval => "E031",
            Code::MissingEvidence => "E040",
            Code::EmptyQuote => "E041",
            Code::QuoteNotFound => "E042",
            Code::PathEscapes => "E050",
            Code::MissingSourceFile => "E051",
            Code::ChecksumMismatch => "E052",
            Code::BadVersion => "E060",
            Code::FormulaText => "E070",
            Code::ListSeparator => "E071",
            Code::IdRemoved => "E080",
            Code::RedirectTargetMissing => "E081",
            Code::RedirectFromExists => "E082",
            Code::RedirectCycle => "E083",
            Code::DuplicateRedirect => "E084",
            Code::UnreadableRelease => "E085",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem in one file, at a line and column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
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
    /// How to fix it, where a hint helps.
    pub hint: Option<String>,
}

/// The short form editors and CI logs understand:
/// `path:line:col: error[CODE]: message`, and the hint on a second line.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: error[{}]: {}",
            self.path.display(),
            self.line,
            self.column,
            self.code,
            self.message
        )?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  = help: {hint}")?;
        }
        Ok(())
    }
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
    fn codes_are_unique() {
        let mut codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), Code::ALL.len());
    }
}
