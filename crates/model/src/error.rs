//! The error type of reading and writing release tables.

use std::path::PathBuf;

use crate::TableName;

/// An error reading or writing a release table.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// A CSV file is malformed: the message names the file and, where the CSV reader knows
    /// them, the line (from 1) and column (from 1).
    #[error("{message}")]
    Csv {
        /// The file.
        path: PathBuf,
        /// `file:line:column: what`, as precisely as the CSV reader knows the place.
        message: String,
        /// What went wrong, as the CSV reader said it (boxed: no dependency's error type
        /// is part of this crate's API).
        source: BoxError,
    },
    /// A directory to read does not exist.
    #[error("{}: no such directory", path.display())]
    MissingDirectory {
        /// The directory.
        path: PathBuf,
    },
    /// A directory is not a release: it has no `datapackage.json`.
    #[error("{}", not_a_release_message(path, releases_inside))]
    NotARelease {
        /// The directory.
        path: PathBuf,
        /// Its subdirectories that are releases, sorted (e.g. for `dist/`, the
        /// `dist/<name>-<version>/` inside it): likely what was meant.
        releases_inside: Vec<PathBuf>,
    },
    /// A release file is not one the release can hold: not a regular file (a FIFO, a device,
    /// a directory), or a path that leads out of the release directory.
    #[error("{}: not read: {reason}", path.display())]
    UnsafeFile {
        /// The file.
        path: PathBuf,
        /// Why it is refused.
        reason: &'static str,
    },
    /// A release file its `SHA256SUMS` does not list: not one the release published.
    #[error("{}: not listed in the release's SHA256SUMS, so not a file the release published", path.display())]
    Unlisted {
        /// The file.
        path: PathBuf,
    },
    /// A release file whose SHA-256 is not the one its `SHA256SUMS` lists: it changed after
    /// the release was written.
    #[error("{}: tampered with or damaged: its SHA-256 is {actual}, but the release's SHA256SUMS lists {listed}", path.display())]
    Tampered {
        /// The file.
        path: PathBuf,
        /// The SHA-256 `SHA256SUMS` lists, as hex.
        listed: String,
        /// The file's SHA-256, as hex.
        actual: String,
    },
    /// A published release has no `SHA256SUMS`, so its files cannot be shown to be the
    /// ones it published.
    #[error("{}: the release has no SHA256SUMS, so its files cannot be shown to be the ones it published", path.display())]
    NoChecksums {
        /// The release directory.
        path: PathBuf,
    },
    /// A release's `SHA256SUMS` is malformed.
    #[error("{}:{line}: {reason}", path.display())]
    Checksums {
        /// The `SHA256SUMS` file.
        path: PathBuf,
        /// The line (from 1).
        line: usize,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A release's `datapackage.json` is not a data package with a list of resources.
    #[error("{}: not a data package: {message}", path.display())]
    Package {
        /// The `datapackage.json` file.
        path: PathBuf,
        /// What is wrong, with its line and column.
        message: String,
    },
    /// A release's `datapackage.json` lists no table in the format asked for.
    #[error("{}: lists no {format} tables", path.display())]
    NoTables {
        /// The `datapackage.json` file.
        path: PathBuf,
        /// The format asked for (`csv`, `parquet`).
        format: &'static str,
    },
    /// A table file that the release's `datapackage.json` lists is missing.
    #[error("{}: no such file, though the release's datapackage.json lists table {table}", path.display())]
    MissingTable {
        /// The missing file.
        path: PathBuf,
        /// Its table.
        table: TableName,
    },
    /// A table lacks a column it requires.
    #[error("{location}: table {table} has no column {column:?}")]
    MissingColumn {
        /// Where: a file name.
        location: String,
        /// The table.
        table: crate::TableName,
        /// The missing column.
        column: String,
    },
    /// A cell holds a value its column does not allow.
    #[error("{location}: {table}.{column}: {message}")]
    Field {
        /// Where: `file:line:column` of a CSV cell (line and column from 1), or a batch and
        /// row.
        location: String,
        /// The table.
        table: TableName,
        /// The column.
        column: String,
        /// What is wrong with the value.
        message: String,
    },
    /// A list item holds the CSV list separator `;`, so it could not be read back.
    #[error("{table} {id}: list item {item:?} contains ';', the CSV list separator")]
    ListSeparator {
        /// The table.
        table: TableName,
        /// The record's id.
        id: String,
        /// The item.
        item: String,
    },
    /// An evidence row refers to a record that is not in the dataset.
    #[error("evidence {id}: no record {record:?} in table {table}")]
    OrphanEvidence {
        /// The evidence row's id.
        id: String,
        /// The table named.
        table: TableName,
        /// The record named.
        record: String,
    },
    /// An inference row refers to a record that is not in the dataset.
    #[error("inference {id}: no record {record:?} in table {table}")]
    OrphanInference {
        /// The inference row's id.
        id: String,
        /// The table named.
        table: TableName,
        /// The record named.
        record: String,
    },
    /// An Arrow array does not have the type its column needs.
    #[cfg(feature = "arrow")]
    #[error("{table}.{column}: {message}")]
    ArrowType {
        /// The table.
        table: TableName,
        /// The column.
        column: String,
        /// What was expected and found.
        message: String,
    },
    /// Arrow failed (the source is Arrow's error, boxed).
    #[cfg(feature = "arrow")]
    #[error("{0}")]
    Arrow(#[source] BoxError),
    /// Parquet failed.
    #[cfg(feature = "parquet")]
    #[error("{}: {source}", path.display())]
    Parquet {
        /// The file.
        path: PathBuf,
        /// What went wrong, as the Parquet library said it (boxed: no dependency's error
        /// type is part of this crate's API).
        source: BoxError,
    },
}

/// The error of a library this crate uses, boxed so that its type is not part of this
/// crate's API: reach it through [`std::error::Error::source`], or downcast it.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

impl Error {
    /// A malformed CSV file `path`, as the CSV reader reported it.
    pub(crate) fn csv(path: PathBuf, source: csv::Error) -> Self {
        let message = csv_message(&path, &source);
        Error::Csv {
            path,
            message,
            source: Box::new(source),
        }
    }

    /// Parquet failed on `path`.
    #[cfg(feature = "parquet")]
    pub(crate) fn parquet(path: PathBuf, source: parquet::errors::ParquetError) -> Self {
        Error::Parquet {
            path,
            source: Box::new(source),
        }
    }
}

#[cfg(feature = "arrow")]
impl Error {
    /// Arrow failed.
    pub(crate) fn arrow(source: arrow_schema::ArrowError) -> Self {
        Error::Arrow(Box::new(source))
    }
}

/// `file:line:column: message` for a malformed CSV file, as precisely as the CSV reader
/// knows the place.
fn csv_message(path: &std::path::Path, error: &csv::Error) -> String {
    let path = path.display();
    match error.kind() {
        csv::ErrorKind::UnequalLengths {
            pos: Some(pos),
            expected_len,
            len,
        } => format!(
            "{path}:{}: the row has {len} fields where the header has {expected_len}",
            pos.line()
        ),
        csv::ErrorKind::Utf8 {
            pos: Some(pos),
            err,
        } => format!(
            "{path}:{}:{}: invalid UTF-8 in the field",
            pos.line(),
            err.field() + 1
        ),
        _ => match error.position() {
            Some(pos) => format!("{path}:{}: {error}", pos.line()),
            None => format!("{path}: {error}"),
        },
    }
}

fn not_a_release_message(path: &std::path::Path, inside: &[PathBuf]) -> String {
    let mut s = format!(
        "{}: not a release directory: it has no datapackage.json",
        path.display()
    );
    if !inside.is_empty() {
        let names: Vec<String> = inside.iter().map(|p| p.display().to_string()).collect();
        s.push_str(&format!("; the releases inside it: {}", names.join(", ")));
    }
    s
}
