//! The error type of writing a release.

use std::path::PathBuf;

/// Why a release was not written.
///
/// Every variant leaves the output directory as it was: no release is half-written, and
/// nothing but the run's own temporary directory is ever removed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The release already exists and `force` was not given.
    #[error(
        "{} already exists: a released version never changes; bump the version in dataset.toml, or pass --force to replace it",
        path.display()
    )]
    Exists {
        /// The existing release directory.
        path: PathBuf,
    },
    /// `force` was given, but what is at the target is not a release of this dataset, so it
    /// is left alone.
    #[error(
        "{} is not a release of this dataset ({reason}): refusing to replace it; move it away first",
        path.display()
    )]
    NotARelease {
        /// What is at the target.
        path: PathBuf,
        /// Why it is not recognised as a release.
        reason: String,
    },
    /// A directory to read (a side of a diff) is neither a valid dataset nor a release that
    /// can be read as published.
    #[error("{} cannot be read as a dataset or a release: {reason}", path.display())]
    Unreadable {
        /// The directory.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// Another release is being written into the same output directory.
    #[error(
        "another release is being written into {} right now; try again when it has finished",
        path.display()
    )]
    Busy {
        /// The output directory.
        path: PathBuf,
    },
    /// The release was cancelled (for example by Ctrl-C) before it was complete; nothing was
    /// written.
    #[error("interrupted: nothing was written")]
    Cancelled,
    /// A file system operation failed.
    #[error("could not {op} {}: {source}", path.display())]
    Io {
        /// What was being done, e.g. `create directory`.
        op: &'static str,
        /// The path it was done to.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// A table could not be written.
    #[error("could not write {}: {source}", path.display())]
    Table {
        /// The file being written.
        path: PathBuf,
        /// What went wrong.
        source: diplomacy_model::Error,
    },
    /// The SQLite database could not be written.
    #[error("could not write {}: {source}", path.display())]
    Database {
        /// The database file.
        path: PathBuf,
        /// What went wrong.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The version is already published, with other data.
    #[error(
        "version {version} is already published with other data ({}): a released version never changes; bump the version in dataset.toml",
        changes.join("; ")
    )]
    VersionReused {
        /// The version.
        version: String,
        /// What differs from the published release.
        changes: Vec<String>,
    },
    /// A newer version is already published.
    #[error("version {version} is older than {latest}, the latest published version")]
    VersionNotNewer {
        /// The version being released.
        version: String,
        /// The latest published version.
        latest: String,
    },
    /// The version is not above the previous published one by as much as the changes need.
    #[error(
        "version {version} is too low: the changes since {previous} need a {needed} bump (version {suggested} or later): {}",
        reasons.join("; ")
    )]
    VersionTooLow {
        /// The version being released.
        version: String,
        /// The previous published version.
        previous: String,
        /// The bump the changes need.
        needed: crate::Bump,
        /// The smallest version that allows them.
        suggested: String,
        /// Each change that needs more than the version gives, with the bump it needs.
        reasons: Vec<String>,
    },
    /// A dataset directory to compare does not validate.
    #[error(
        "{} does not validate ({} problem(s)); the first: {}",
        path.display(),
        diagnostics.len(),
        diagnostics.first().map(ToString::to_string).unwrap_or_default()
    )]
    Invalid {
        /// The dataset directory.
        path: PathBuf,
        /// Its problems.
        diagnostics: Vec<diplomacy_validate::Diagnostic>,
    },
    /// A JSON document could not be built.
    #[error("could not write {file}: {source}")]
    Json {
        /// The file being written.
        file: &'static str,
        /// What went wrong.
        source: serde_json::Error,
    },
}

impl Error {
    /// Whether the release was refused (it exists, the target is not a release, another run
    /// holds the output, or it was cancelled) rather than failed while writing.
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            Self::Exists { .. }
                | Self::NotARelease { .. }
                | Self::Busy { .. }
                | Self::Cancelled
                | Self::VersionReused { .. }
                | Self::VersionNotNewer { .. }
                | Self::VersionTooLow { .. }
        )
    }
}

/// Attaches the path to a table writer's error.
pub(crate) fn table_error(path: &std::path::Path) -> impl Fn(diplomacy_model::Error) -> Error + '_ {
    move |source| Error::Table {
        path: path.to_path_buf(),
        source,
    }
}

/// Attaches the operation and path to an I/O error.
pub(crate) trait IoContext<T> {
    /// Names the operation and the path.
    fn op(self, op: &'static str, path: &std::path::Path) -> Result<T, Error>;
}

impl<T> IoContext<T> for std::io::Result<T> {
    fn op(self, op: &'static str, path: &std::path::Path) -> Result<T, Error> {
        self.map_err(|source| Error::Io {
            op,
            path: path.to_path_buf(),
            source,
        })
    }
}
