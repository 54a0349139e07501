//! Turns a validated dataset into a release: CSV and Parquet tables, one SQLite database of
//! every table (`<name>.sqlite`, with keys, views and full-text search) and its Datasette
//! `metadata.json`, a Frictionless Data Package (`datapackage.json`), a data card (`README.md`), `CITATION.cff`, `LICENSE`,
//! `CHANGELOG.md`, `changes.json`, a landing page (`index.html`), a Croissant description
//! (`croissant.json`) and `SHA256SUMS`, written all or nothing; and compares two versions of a
//! dataset ([`diff`]).
//!
//! Any dataset in the authoring layout of `diplomacy-model` can be released:
//! [`diplomacy_validate::validate_dir`] checks it, and [`release`] writes
//! `<out>/<name>-<version>/`.
//!
//! ```no_run
//! use diplomacy_publish::{ReleaseOptions, release};
//!
//! let report = diplomacy_validate::validate_dir("my-dataset".as_ref());
//! for d in &report.diagnostics {
//!     eprintln!("{d}");
//! }
//! if let Some(valid) = report.into_valid() {
//!     let path = release(valid, &ReleaseOptions::new("dist"))?;
//!     println!("released {}", path.display());
//! }
//! # Ok::<(), diplomacy_publish::Error>(())
//! ```
//!
//! # Guarantees
//!
//! - **All or nothing.** The release is written into a temporary directory beside its
//!   target and moved into place in one atomic step; at every instant the target is absent
//!   or a complete release.
//! - **Nothing destroyed that was not asked for.** Without [`ReleaseOptions::force`] an
//!   existing target is never touched. With it, only a directory that is verifiably a release
//!   of the same dataset and version (its `datapackage.json` says so and it holds no file its
//!   `SHA256SUMS` does not list) is replaced, by an atomic exchange.
//! - **One run at a time.** A run holds an advisory lock on the output directory; a second
//!   run into the same directory is refused with [`Error::Busy`].
//! - **Clean after itself.** An error, a panic or a cancellation removes the temporary
//!   directory; what a killed run left is removed by the next run into the same directory,
//!   matching the exact name `.<name>-<version>.partial-<pid>` and nothing else.
//! - **Versions checked.** With [`ReleaseOptions::releases`], the version must be above the
//!   latest published one by as much as the changes need ([`check_bump`]: MAJOR for a column
//!   or table removed or renamed, a meaning changed or a record removed without a redirect;
//!   MINOR for records, columns or vocabulary values added and ids redirected; PATCH for
//!   corrections; before 1.0.0 each moves one place right, as Cargo reads versions), and a
//!   published version must hold the same data.
//! - **Deterministic.** The same dataset gives byte-identical files: rows sorted by id, no
//!   timestamps or absolute paths, fixed writer settings.
//!
//! # Crate features
//!
//! - `failpoints`: named fail points (`publish::after-table`, `publish::before-commit`,
//!   `publish::after-exchange`) that tests drive through the `FAILPOINTS` environment
//!   variable of the `fail` crate. Off by default, when they compile to nothing.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod card;
mod checksums;
mod citation;
mod coverage;
mod croissant;
mod diff;
mod error;
mod format;
mod history;
mod license;
mod markdown;
mod package;
mod page;
mod place;
mod sqlite;
mod tree;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use diplomacy_model::parquet::ParquetOptions;
use diplomacy_validate::ValidDataset;

pub use checksums::{FileHashes, FileInfo};
pub use diff::{
    Bump, ColumnChange, Diff, FieldChange, Quote, Reason, RecordChange, Redirected, Side, Snapshot,
    TableDiff, diff,
};
pub use error::Error;
pub use history::{allowed_bump, check_bump, next_version};
pub use markdown::{code as markdown_code, text as markdown_text};

/// Where a release goes and how it is written.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ReleaseOptions {
    /// The directory the release directory `<name>-<version>` is created in (created if
    /// missing).
    pub out: PathBuf,
    /// Replace an existing release of the same dataset and version. Default: false.
    pub force: bool,
    /// How Parquet files are written. Default: [`ParquetOptions::default`].
    pub parquet: ParquetOptions,
    /// Set to true (for example from a Ctrl-C handler) to stop the release at the next
    /// table; it then fails with [`Error::Cancelled`] and leaves nothing behind. Default:
    /// none.
    pub cancel: Option<Arc<AtomicBool>>,
    /// The directory of published releases (`<name>-<version>/` each). Where given, the
    /// version must be above the latest published one by as much as the changes need
    /// ([`check_bump`]), a published version must hold the same data, each redirect's
    /// `since` is the version that first published it, and `CHANGELOG.md` lists every
    /// published version. Default: none (the release is the first of its dataset).
    pub releases: Option<PathBuf>,
    /// Called as each table starts to be written, for a progress display. Default: none.
    pub progress: Option<fn(&Progress)>,
    /// Where the release adds up the processor time of each part of its writing. Default:
    /// none.
    pub timings: Option<Arc<Timings>>,
}

/// The processor time each part of a release's writing took, summed over every table and
/// over the threads that did it: `csv` and `parquet` (each format's own encoding and
/// writing, of every table), and `sqlite` (inserting the rows, then the database's indexes,
/// search, checks). The parts run at once on threads of their own, so their sum may exceed
/// the write's wall time; what is in none of them is turning records into rows, the
/// evidence's places in the sources, the documents and the checksums. Where a thread's
/// processor time cannot be read (a system other than Linux), its wall time is counted.
///
/// ```no_run
/// use std::sync::Arc;
/// # let valid: diplomacy_validate::ValidDataset = unimplemented!();
/// let mut options = diplomacy_publish::ReleaseOptions::new("dist");
/// let timings = Arc::new(diplomacy_publish::Timings::default());
/// options.timings = Some(Arc::clone(&timings));
/// diplomacy_publish::release(valid, &options)?;
/// for (part, time) in timings.parts() {
///     println!("{part}: {:.2} s", time.as_secs_f64());
/// }
/// # Ok::<(), diplomacy_publish::Error>(())
/// ```
#[derive(Debug, Default)]
pub struct Timings {
    parts: std::sync::Mutex<Vec<(&'static str, std::time::Duration)>>,
}

impl Timings {
    /// Each part timed so far with its time, by name.
    pub fn parts(&self) -> Vec<(&'static str, std::time::Duration)> {
        let mut parts = self.parts.lock().map(|p| p.clone()).unwrap_or_default();
        parts.sort_unstable_by_key(|(part, _)| *part);
        parts
    }

    /// Adds `time` to `part`.
    fn add(&self, part: &'static str, time: std::time::Duration) {
        if let Ok(mut parts) = self.parts.lock() {
            match parts.iter_mut().find(|(p, _)| *p == part) {
                Some((_, total)) => *total += time,
                None => parts.push((part, time)),
            }
        }
    }
}

/// The processor time this thread has used (its wall time where that cannot be read).
#[derive(Clone, Copy)]
struct ThreadClock {
    #[cfg(target_os = "linux")]
    start: std::time::Duration,
    #[cfg(not(target_os = "linux"))]
    start: std::time::Instant,
}

impl ThreadClock {
    #[cfg(target_os = "linux")]
    fn now() -> std::time::Duration {
        let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
        std::time::Duration::new(
            u64::try_from(t.tv_sec).unwrap_or(0),
            u32::try_from(t.tv_nsec).unwrap_or(0),
        )
    }

    fn start() -> Self {
        #[cfg(target_os = "linux")]
        return Self { start: Self::now() };
        #[cfg(not(target_os = "linux"))]
        return Self {
            start: std::time::Instant::now(),
        };
    }

    fn elapsed(self) -> std::time::Duration {
        #[cfg(target_os = "linux")]
        return Self::now().saturating_sub(self.start);
        #[cfg(not(target_os = "linux"))]
        return self.start.elapsed();
    }
}

/// Where a release is: passed to [`ReleaseOptions::progress`] as each table starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// The table being written.
    pub table: &'static str,
    /// Its number of rows.
    pub rows: usize,
    /// How many tables were written before it.
    pub done: usize,
}

impl ReleaseOptions {
    /// Options that write under `out`, with every other setting at its default.
    pub fn new(out: impl Into<PathBuf>) -> Self {
        Self {
            out: out.into(),
            force: false,
            parquet: ParquetOptions::default(),
            cancel: None,
            releases: None,
            progress: None,
            timings: None,
        }
    }

    /// Runs `work`, adding the processor time this thread spent in it to `part` of
    /// [`ReleaseOptions::timings`] where there are timings.
    fn timed<R>(&self, part: &'static str, work: impl FnOnce() -> R) -> R {
        match &self.timings {
            None => work(),
            Some(timings) => {
                let clock = ThreadClock::start();
                let out = work();
                timings.add(part, clock.elapsed());
                out
            }
        }
    }

    /// Whether cancellation was asked for.
    fn cancelled(&self) -> bool {
        self.cancel
            .as_ref()
            .is_some_and(|flag| flag.load(Ordering::Relaxed))
    }

    /// Fails with [`Error::Cancelled`] once cancellation was asked for.
    fn check_cancelled(&self) -> Result<(), Error> {
        if self.cancelled() {
            Err(Error::Cancelled)
        } else {
            Ok(())
        }
    }
}

/// The directory name of a release: `<name>-<version>`.
pub fn release_name(meta: &diplomacy_model::DatasetMeta) -> String {
    format!("{}-{}", meta.name, meta.version)
}

/// Writes the release of a validated dataset to `<options.out>/<name>-<version>/` and
/// returns its path.
///
/// Fails, leaving the output directory as it was, with [`Error::Exists`] where the release
/// exists and `force` is off, [`Error::NotARelease`] where `force` is on but the target is
/// not a release of this dataset, [`Error::Busy`] where another run writes into the same
/// directory, [`Error::Cancelled`] when cancelled, and [`Error::Io`] or [`Error::Table`]
/// where writing fails.
pub fn release(valid: ValidDataset, options: &ReleaseOptions) -> Result<PathBuf, Error> {
    let ValidDataset {
        meta,
        mut data,
        dir,
        texts,
        ..
    } = valid;
    data.sort();
    let name = release_name(&meta);
    let target = options.out.join(&name);
    // Refuse early what the commit would refuse, before the work of writing.
    place::check_target(&target, options.force, meta.name.as_str(), &meta.version)?;
    let history = history::prepare(&dir, &meta, &mut data, options.releases.as_deref())?;
    let staging = place::Staging::begin(&options.out, &name)?;
    tree::write_tree(
        staging.path(),
        &dir,
        &meta,
        &mut data,
        &texts,
        &history,
        options,
    )?;
    options.check_cancelled()?;
    staging.commit(options.force, meta.name.as_str(), &meta.version)
}

/// Whether `dir` holds a release of a dataset named `name` at `version`, and nothing else:
/// the check [`ReleaseOptions::force`] makes before replacing it.
pub fn is_release_of(dir: &Path, name: &str, version: &str) -> bool {
    matches!(place::check_target(dir, true, name, version), Ok(true))
}
