//! Validates datasets in the TOML authoring layout of `diplomacy-model`.
//!
//! [`validate_dir`] reads every authoring file of a dataset directory, keeping the position of
//! every key and value; checks each file against the JSON Schema generated from the model
//! (validators built once, every error collected); then checks the rules no schema can say:
//! ids unique across the dataset, references that resolve, real calendar dates, evidence on
//! every fact-bearing record with each quote found in its source's archived text, source files
//! inside the dataset and matching their checksums, a SemVer version, no spreadsheet formulas.
//!
//! Every problem is a [`Diagnostic`] that prints as `path:line:col: error[CODE]: message`,
//! sorted by file and position. Validation never stops at the first problem and never panics.
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

mod diagnostic;
mod facts;
mod history;
mod load;
mod releases;
mod rules;
mod schema;

use std::path::{Path, PathBuf};

use diplomacy_model::{Dataset, DatasetMeta};

pub use diagnostic::{Code, Diagnostic};
pub use releases::{PublishedRelease, published_releases};

/// Files larger than this are refused (512 MiB).
pub const MAX_FILE_SIZE: u64 = 512 * 1024 * 1024;

/// How a dataset is validated.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// Files larger than this many bytes are refused. Default: [`MAX_FILE_SIZE`].
    pub max_file_size: u64,
    /// Large files are parsed in chunks of about this many bytes, split at their `[[table]]`
    /// headers (positions stay exact). Default: 16 MiB.
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
            chunk_size: 16 * 1024 * 1024,
            keep_records: true,
            releases: None,
        }
    }
}

/// A dataset that passed validation.
#[derive(Debug, Clone)]
pub struct ValidDataset {
    /// The dataset directory.
    pub dir: PathBuf,
    /// `dataset.toml`.
    pub meta: DatasetMeta,
    /// Every table, with each record's evidence.
    pub data: Dataset,
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
    /// Whether no problem was found.
    pub fn is_valid(&self) -> bool {
        self.diagnostics.is_empty()
    }

    /// The dataset, if no problem was found.
    pub fn into_valid(self) -> Option<ValidDataset> {
        if self.diagnostics.is_empty() {
            self.dataset
        } else {
            None
        }
    }
}

/// Validates the dataset in `dir` with the default [`Options`].
pub fn validate_dir(dir: &Path) -> Report {
    validate_dir_with(dir, &Options::default())
}

/// Validates the dataset in `dir`.
pub fn validate_dir_with(dir: &Path, options: &Options) -> Report {
    let validators = schema::Validators::get();
    let mut sink = load::Sink::default();
    // The id checks need every table's records, even where the caller does not keep them.
    let history = options.releases.is_some() || dir.join("redirects.toml").exists();
    let mut dataset = if history && !options.keep_records {
        let keep = Options {
            keep_records: true,
            ..options.clone()
        };
        load::check(dir, &keep, validators, &mut sink)
    } else {
        load::check(dir, options, validators, &mut sink)
    };
    let mut diagnostics = sink.diagnostics;
    // Ids are checked against the published releases only once the dataset reads whole:
    // a record lost to another problem would otherwise be reported as removed.
    if history && diagnostics.is_empty() {
        let (meta, data) = match &dataset {
            Some(v) => (Some(&v.meta), &v.data),
            None => (None, &Dataset::default()),
        };
        history::check(
            dir,
            meta,
            data,
            options.releases.as_deref(),
            &mut diagnostics,
        );
    }
    if !options.keep_records
        && let Some(v) = dataset.as_mut()
    {
        v.data = Dataset::default();
    }
    diagnostics.sort();
    diagnostics.dedup();
    Report {
        diagnostics,
        dataset,
    }
}

/// The SHA-256 of `bytes` as lower-case hex: the form `sources.toml` records for each
/// archived text.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    use std::fmt::Write as _;
    sha2::Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// The dataset directories under `root`: `root` itself if it holds a `dataset.toml`, otherwise
/// each of its subdirectories that does, sorted by name.
pub fn find_datasets(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    if root.join("dataset.toml").is_file() {
        return Ok(vec![root.to_path_buf()]);
    }
    let mut dirs = Vec::new();
    for entry in std::fs::read_dir(root)? {
        let path = entry?.path();
        if path.join("dataset.toml").is_file() {
            dirs.push(path);
        }
    }
    dirs.sort();
    Ok(dirs)
}
