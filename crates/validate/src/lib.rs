//! Validates datasets in the TOML authoring layout of `diplomacy-model`.
//!
//! [`validate_dir`] reads every authoring file of a dataset directory, keeping the position of
//! every key and value; checks each file against the JSON Schema generated from the model
//! (validators built once, every error collected); then checks the rules no schema can say.
//!
//! ## What is checked, by code
//!
//! | codes | what |
//! | --- | --- |
//! | E001–E007 | files: valid TOML (E001) in UTF-8 (E002); every file (`dataset.toml`, each table, each archived text) a regular file (E006, checked before opening, so a FIFO or `/dev/zero` is never read) inside the dataset directory (E050, also through symbolic links) of at most [`MAX_FILE_SIZE`] bytes (E003); I/O errors name the operation (E004); `dataset.toml` present (E005); each authoring file begins with its `#:schema` directive (E007) |
//! | E010–E015 | the schema: types, unknown and missing fields, vocabularies, forms of ids, codes and dates, constraints, and text of only whitespace (E015) |
//! | E020–E025 | ids unique across the dataset, references that resolve, known countries; a visit's guest person serving its guest country (E023); no country acting on itself (E024); disputes of two or more parties (E025) |
//! | E030–E032 | real calendar dates, intervals that run forwards, a meeting dated within the visit it is linked to (E032: the two dates share a day) |
//! | E040–E044 | evidence on every fact-bearing record; each quote of at least [`MIN_QUOTE_WORDS`] words (E043) found in its source's archived text (E042, whose hint shows the nearest passage and where it first differs); no evidence block twice on one record (E044) |
//! | E050–E052 | source files inside the dataset, present, unchanged (SHA-256) |
//! | E060–E061 | a SemVer `version`, an SPDX `license` expression |
//! | E080–E085 | ids published in a release still a record's or redirected; redirects that lead somewhere, once, without cycles |
//! | E090–E094 | provenance per field: each stated value entailed by a quote of its record or marked inferred (E090, an error where `dataset.toml` requires `entailment`), inferences and `supports` naming real fields, name forms found in the sources, occurrences that exist |
//! | E095–E096 | the sentence ledger: every sentence of every archived source cited by a record or excused by its source (E095, an error per sentence where `dataset.toml` requires `ledger`, else a warning per source; [`ledgers`] lists them), and every excuse's quote found in its source (E096) |
//! | E097 | people's names in one style: where a person's `given_name` and `family_name` are given, `name` is the two joined by a space (each part, like every name form, found in some source: E093) |
//! | E070–E072 | text safe to publish: no cell a spreadsheet runs as a formula (starting with `=`, `+`, `-`, `@`, tab or carriage return), no `;` in list items, no control character other than tab, line feed and carriage return in any text (E072) |
//!
//! Each code is documented on [`Code`].
//!
//! Every problem is a [`Diagnostic`] that prints as `path:line:col: error[CODE]: message`,
//! sorted by file and position. Validation never stops at the first problem and never panics.
//! No diagnostic carries a raw control character from the input ([`escape_controls`]).
//!
//! ```no_run
//! let report = diplomacy_validate::validate_dir("datasets/japan-eurasia-diplomacy".as_ref());
//! for d in &report.diagnostics {
//!     eprintln!("{d}");
//! }
//! if let Some(valid) = report.into_valid() {
//!     println!("{} visits", valid.data.visits.len());
//! }
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod cache;
mod chunk;
mod diagnostic;
mod directive;
mod entail;
mod evidence;
mod facts;
mod history;
mod ledger;
mod load;
mod read;
mod record;
mod releases;
mod rules;
mod schema;
mod sink;
mod sources;
mod spans;

use std::path::{Path, PathBuf};

use diplomacy_model::{Dataset, DatasetMeta};

pub use diagnostic::{Code, Diagnostic, Label, Severity, escape_controls};
pub use record::FORMULA_PREFIXES;
pub use releases::{PublishedRelease, PublishedTable, published_releases};
pub use sources::ArchivedTexts;

/// The fewest words an evidence quote may have (a clause): runs of letters and digits, each
/// character of Han, Hiragana or Katakana counting as one word (so `","` has none and
/// `"the"` one). Shorter quotes are E043.
pub const MIN_QUOTE_WORDS: usize = 3;

/// Files larger than this are refused (512 MiB): every authoring file and archived text,
/// checked on the file's metadata before it is read.
///
/// The TOML parser reads at most 256 MiB less one byte at once, so the true limits are: a
/// table file up to this size, parsed in chunks split at its `[[table]]` headers (a chunk
/// split inside a multi-line string is joined with the next and parsed again), as long as no
/// single record reaches the parser's limit; `dataset.toml` up to the parser's limit. Text
/// over the parser's limit is refused as E003 naming that limit.
pub const MAX_FILE_SIZE: u64 = 512 * 1024 * 1024;

/// How a dataset is validated.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// Files larger than this many bytes are refused. Default: [`MAX_FILE_SIZE`].
    pub max_file_size: u64,
    /// Large files are parsed in chunks of about this many bytes, split at their `[[table]]`
    /// headers (positions stay exact), checked in parallel. Default: 1 MiB.
    pub chunk_size: usize,
    /// Whether to keep the typed records for [`Report::into_valid`]. Default: true; a caller
    /// that only wants the diagnostics saves the memory of the whole dataset with false.
    pub keep_records: bool,
    /// A directory of published releases (`<name>-<version>/` each): every id they published
    /// must still be a record's or be redirected in `redirects.toml`. Default: none, when only
    /// the redirects themselves are checked.
    pub releases: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            max_file_size: MAX_FILE_SIZE,
            chunk_size: 1024 * 1024,
            keep_records: true,
            releases: None,
        }
    }
}

/// A dataset that passed validation: only [`Report::into_valid`] makes one, so holding one
/// proves the dataset was validated.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ValidDataset {
    /// The dataset directory.
    pub dir: PathBuf,
    /// `dataset.toml`.
    pub meta: DatasetMeta,
    /// Every table, with each record's evidence.
    pub data: Dataset,
    /// The archived texts of its sources as validation read them, with their sentences and
    /// where each quote occurs.
    pub texts: ArchivedTexts,
}

/// The outcome of validating one dataset directory.
#[derive(Debug, Clone)]
pub struct Report {
    /// Every problem found, sorted by file, line and column.
    pub diagnostics: Vec<Diagnostic>,
    /// The dataset as read: complete only where there are no diagnostics.
    dataset: Option<ValidDataset>,
}

impl Report {
    /// Whether no error was found (warnings may have been).
    pub fn is_valid(&self) -> bool {
        self.errors() == 0
    }

    /// How many errors were found.
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// How many warnings were found.
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    /// The dataset, if no error was found.
    pub fn into_valid(self) -> Option<ValidDataset> {
        if self.is_valid() { self.dataset } else { None }
    }
}

/// Validates the dataset in `dir` with the default [`Options`].
pub fn validate_dir(dir: &Path) -> Report {
    validate_dir_with(dir, &Options::default())
}

/// Validates the dataset in `dir`.
pub fn validate_dir_with(dir: &Path, options: &Options) -> Report {
    validate(dir, options, &mut cache::Cache::one_run(), &[])
}

/// Validation of one dataset directory again and again as its files change, as an editor's
/// language server does: each run gives the report [`validate_dir_with`] gives, and checks
/// again only what changed since the run before.
///
/// A session remembers, for the run after, each chunk of a table file that gave no
/// diagnostic (by its exact text: an edit moves the cuts between chunks of its own chunk
/// only, so the chunks after it are found checked even where the edit moved them), each
/// archived source while its file is the same one (its text, checksum, sentences and where
/// each quote occurs), and each fact record found to state its values (by its contents,
/// checked against the same names). What a run does not use is let go at its end.
///
/// A session never keeps the typed records ([`Options::keep_records`] is off), only the
/// diagnostics: its reports give no [`ValidDataset`].
///
/// ```no_run
/// use diplomacy_validate::{Options, Session};
///
/// let dir = std::path::Path::new("datasets/japan-eurasia-diplomacy");
/// let mut session = Session::new(Options::default());
/// let first = session.validate(dir);
/// // ... a file of the dataset is edited ...
/// let again = session.validate(dir);
/// println!("{} problems, then {}", first.diagnostics.len(), again.diagnostics.len());
/// ```
pub struct Session {
    options: Options,
    cache: cache::Cache,
}

impl Session {
    /// A session that validates with `options` (without keeping records).
    pub fn new(options: Options) -> Self {
        Self {
            options: Options {
                keep_records: false,
                ..options
            },
            cache: cache::Cache::remembering(),
        }
    }

    /// Validates the dataset in `dir`, as [`validate_dir_with`] does.
    pub fn validate(&mut self, dir: &Path) -> Report {
        validate(dir, &self.options, &mut self.cache, &[])
    }

    /// Validates the dataset in `dir` as an editor has it: each authoring file named in
    /// `open` (by its file name, such as `visits.toml`) with the text given beside it instead
    /// of the text on disk. Diagnostics name the files' paths in `dir` all the same.
    ///
    /// ```no_run
    /// use diplomacy_validate::{Options, Session};
    ///
    /// let dir = std::path::Path::new("datasets/japan-eurasia-diplomacy");
    /// let mut session = Session::new(Options::default());
    /// let unsaved = "#:schema ../../schema/visits.schema.json\n";
    /// let report = session.validate_open(dir, &[("visits.toml", unsaved)]);
    /// println!("{} problems", report.diagnostics.len());
    /// ```
    pub fn validate_open(&mut self, dir: &Path, open: &[(&str, &str)]) -> Report {
        validate(dir, &self.options, &mut self.cache, open)
    }
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

fn validate(
    dir: &Path,
    options: &Options,
    cache: &mut cache::Cache,
    open: &[(&str, &str)],
) -> Report {
    let validators = schema::Validators::get();
    let mut sink = sink::Sink::default();
    // The id checks need every record's id, which the facts keep, and the redirects.
    let history = options.releases.is_some() || dir.join("redirects.toml").exists();
    let load::Loaded { meta, data, ids } =
        load::check(dir, options, validators, &mut sink, history, cache, open);
    let mut diagnostics = sink.diagnostics;
    // Ids are checked against the published releases only once the dataset reads whole:
    // a record lost to another problem would otherwise be reported as removed.
    if history && !diagnostics.iter().any(Diagnostic::is_error) {
        history::check(
            dir,
            meta.as_ref(),
            &ids,
            &data,
            options.releases.as_deref(),
            &mut diagnostics,
        );
    }
    let texts = std::mem::take(&mut cache.sources.texts);
    let dataset = meta.map(|meta| ValidDataset {
        dir: dir.to_path_buf(),
        meta,
        texts,
        // Without `keep_records`, only the redirects were kept, for the checks above.
        data: if options.keep_records {
            data
        } else {
            Dataset::default()
        },
    });
    diagnostics.sort();
    diagnostics.dedup();
    Report {
        diagnostics,
        dataset,
    }
}

/// The sentence ledger of one source: its sentences, each cited by records or excused,
/// from [`ledgers`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SourceLedger {
    /// The source.
    pub source: diplomacy_model::Source,
    /// Its archived text.
    pub text: String,
    /// Its sentences, each accounted for; the record numbers of its entries index
    /// [`SourceLedger::records`].
    pub ledger: diplomacy_model::ledger::Ledger,
    /// The ids of the records that cite the source, by the numbers the ledger uses.
    pub records: Vec<diplomacy_model::Id>,
}

/// The sentence ledger of every source of the dataset in `dir` whose text is divided (see
/// [`Segmentation`](diplomacy_model::Segmentation)), in the order of `sources.toml`: what a
/// curator reads to see which sentences are left to cite or excuse.
///
/// A dataset whose only errors are unaccounted sentences (E095) has its ledgers; any other
/// error makes this fail with the report, since a record that could not be read may hold the
/// quotes of any sentence.
///
/// ```no_run
/// let dir = std::path::Path::new("datasets/japan-eurasia-diplomacy");
/// let ledgers = diplomacy_validate::ledgers(dir).expect("a dataset that reads whole");
/// for l in &ledgers {
///     println!("{}: {} sentences", l.source.id, l.ledger.entries().len());
/// }
/// ```
#[allow(clippy::result_large_err)]
pub fn ledgers(dir: &Path) -> Result<Vec<SourceLedger>, Report> {
    let report = validate_dir(dir);
    let blocking = report
        .diagnostics
        .iter()
        .any(|d| d.is_error() && d.code != Code::SentenceNotAccounted);
    let Some(valid) = report.dataset.as_ref().filter(|_| !blocking) else {
        return Err(report);
    };
    let rows = valid.data.evidence_rows();
    let mut out = Vec::new();
    for source in &valid.data.sources {
        let Ok(text) = std::fs::read_to_string(dir.join(&source.file)) else {
            continue;
        };
        let mine: Vec<&diplomacy_model::EvidenceRow> =
            rows.iter().filter(|r| r.source == source.id).collect();
        let ledger = diplomacy_model::ledger::account_source(&text, source, &mine).ledger;
        let records = mine.iter().map(|r| r.record.clone()).collect();
        out.push(SourceLedger {
            source: source.clone(),
            text,
            ledger,
            records,
        });
    }
    Ok(out)
}

pub use diplomacy_model::sha256_hex;

/// The dataset directories under `root`: `root` itself if it holds a `dataset.toml`, otherwise
/// each of its subdirectories that does, sorted by name. Any entry named `dataset.toml`
/// counts, whatever it is, so one that is not a regular file is reported by validation (E006)
/// rather than passed over.
pub fn find_datasets(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    let has_dataset_toml = |dir: &Path| std::fs::symlink_metadata(dir.join("dataset.toml")).is_ok();
    if has_dataset_toml(root) {
        return Ok(vec![root.to_path_buf()]);
    }
    let mut dirs = Vec::new();
    for entry in std::fs::read_dir(root)? {
        let path = entry?.path();
        if path.is_dir() && has_dataset_toml(&path) {
            dirs.push(path);
        }
    }
    dirs.sort();
    Ok(dirs)
}
