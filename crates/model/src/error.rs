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
    /// A CSV file is malformed.
    #[error("{}: {source}", path.display())]
    Csv {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: csv::Error,
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
        /// Where: a file and line, or a batch and row.
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
    /// Arrow failed.
    #[cfg(feature = "arrow")]
    #[error(transparent)]
    Arrow(#[from] arrow_schema::ArrowError),
    /// Parquet failed.
    #[cfg(feature = "parquet")]
    #[error("{}: {source}", path.display())]
    Parquet {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: parquet::errors::ParquetError,
    },
}
