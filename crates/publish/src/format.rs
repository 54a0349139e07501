//! The file formats a release writes every table in, as values: each is a directory of the
//! release with one file per table, written from the table's rows (cells in column order,
//! each record turned into its row once, by [`tree`](crate::tree)). The data package,
//! Croissant, the data card and the page list the files of every format here, so a new
//! format is one implementation and one entry of [`FORMATS`].

use std::io::Write;
use std::path::Path;

use diplomacy_model::TableName;
use diplomacy_model::csv::CsvTableWriter;
use diplomacy_model::parquet::{ParquetOptions, ParquetTableWriter};
use diplomacy_model::table::{Cell, Column};

use crate::error::{Error, table_error};

/// Where a table's file is written: any writer that can go to another thread.
pub(crate) type Out<'w> = &'w mut (dyn Write + Send);

/// A file format every table of a release is written in.
pub(crate) trait TableFormat: Sync {
    /// The format's directory in a release, which is also its files' extension: `csv`.
    fn name(&self) -> &'static str;
    /// The format's name in prose: `CSV`.
    fn title(&self) -> &'static str;
    /// The media type of its files, for the data package and Croissant.
    fn media_type(&self) -> &'static str;
    /// Starts writing table `table` (with `columns`) to `out`; `path` names it in errors.
    fn start<'w>(
        &self,
        table: TableName,
        columns: &'static [Column],
        out: Out<'w>,
        path: &Path,
        parquet: &ParquetOptions,
    ) -> Result<Box<dyn RowSink + Send + 'w>, Error>;

    /// A table's file in a release: `csv/visits.csv`.
    fn file(&self, table: &str) -> String {
        format!("{}/{table}.{}", self.name(), self.name())
    }
}

/// Takes a table's rows one at a time, then finishes its file.
pub(crate) trait RowSink {
    /// One row: the record whose key is `id`, as cells in column order.
    fn row(&mut self, id: &str, cells: &[Cell<'_>]) -> Result<(), Error>;
    /// Writes what is left (a last row group, a footer).
    fn finish(self: Box<Self>) -> Result<(), Error>;
}

/// Every format of a release, in the order the documents list them: CSV, the one every
/// tool reads and the data package describes with its Table Schema, first.
pub(crate) const FORMATS: &[&dyn TableFormat] = &[&Csv, &Parquet];

/// CSV: UTF-8, a header row, `;`-joined lists, empty cells for null.
pub(crate) struct Csv;

impl TableFormat for Csv {
    fn name(&self) -> &'static str {
        "csv"
    }

    fn title(&self) -> &'static str {
        "CSV"
    }

    fn media_type(&self) -> &'static str {
        "text/csv"
    }

    fn start<'w>(
        &self,
        table: TableName,
        columns: &'static [Column],
        out: Out<'w>,
        path: &Path,
        _: &ParquetOptions,
    ) -> Result<Box<dyn RowSink + Send + 'w>, Error> {
        let writer = CsvTableWriter::for_columns(table, columns, out).map_err(table_error(path))?;
        Ok(Box::new(CsvSink(writer, path.to_path_buf())))
    }
}

struct CsvSink<'w>(CsvTableWriter<Out<'w>>, std::path::PathBuf);

impl RowSink for CsvSink<'_> {
    fn row(&mut self, id: &str, cells: &[Cell<'_>]) -> Result<(), Error> {
        self.0.push(id, cells).map_err(table_error(&self.1))
    }

    fn finish(self: Box<Self>) -> Result<(), Error> {
        let path = self.1;
        self.0.finish().map_err(table_error(&path))?;
        Ok(())
    }
}

/// Parquet: typed columns, zstd, a dictionary for columns whose values repeat.
pub(crate) struct Parquet;

impl TableFormat for Parquet {
    fn name(&self) -> &'static str {
        "parquet"
    }

    fn title(&self) -> &'static str {
        "Parquet"
    }

    fn media_type(&self) -> &'static str {
        "application/vnd.apache.parquet"
    }

    fn start<'w>(
        &self,
        table: TableName,
        columns: &'static [Column],
        out: Out<'w>,
        path: &Path,
        parquet: &ParquetOptions,
    ) -> Result<Box<dyn RowSink + Send + 'w>, Error> {
        let writer = ParquetTableWriter::for_columns(table, columns, out, parquet, path);
        Ok(Box::new(ParquetSink(writer, path.to_path_buf())))
    }
}

struct ParquetSink<'w>(ParquetTableWriter<Out<'w>>, std::path::PathBuf);

impl RowSink for ParquetSink<'_> {
    fn row(&mut self, _: &str, cells: &[Cell<'_>]) -> Result<(), Error> {
        self.0.push(cells).map_err(table_error(&self.1))
    }

    fn finish(self: Box<Self>) -> Result<(), Error> {
        let path = self.1;
        self.0.finish().map_err(table_error(&path))
    }
}

/// The format of a release file, by its directory (`csv/visits.csv`); `None` for the
/// documents.
pub(crate) fn format_of(path: &str) -> Option<&'static dyn TableFormat> {
    let (dir, _) = path.split_once('/')?;
    FORMATS.iter().copied().find(|f| f.name() == dir)
}
