//! Every table as Parquet (feature `parquet`): zstd-compressed, with chunk statistics,
//! bounded row groups, a dictionary only for columns whose values repeat, and byte-identical
//! output for identical input.

use std::fs::File;
use std::io::Write;
use std::path::Path;

use std::collections::HashSet;

use arrow_array::{Array, Date32Array, Int64Array, ListArray, RecordBatch, StringArray};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::{ArrowSchemaConverter, ArrowWriter};
use parquet::basic::{Compression, ZstdLevel};
use parquet::errors::ParquetError;
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::file::reader::ChunkReader;

use crate::arrow::{BatchBuilder, from_record_batch};
use crate::table::{Cell, RowWriter};
use crate::{Dataset, Error, Table};

/// How Parquet files are written.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ParquetOptions {
    /// Rows per row group, and per Arrow batch built in memory. Default: 131 072.
    pub row_group_size: usize,
    /// zstd compression level, 1–22. Default: 3.
    pub zstd_level: i32,
    /// The `created_by` written in the file footer. Default: `diplomacy-model`, with no
    /// version, so that releases stay byte-identical across library versions.
    pub created_by: String,
}

impl Default for ParquetOptions {
    fn default() -> Self {
        Self {
            row_group_size: 131_072,
            zstd_level: 3,
            created_by: "diplomacy-model".to_owned(),
        }
    }
}

/// The largest dictionary page: large enough that a column whose values repeat keeps its
/// dictionary for a whole row group instead of falling back to plain pages.
const DICTIONARY_PAGE_LIMIT: usize = 32 * 1024 * 1024;

impl ParquetOptions {
    /// The writer's properties for a table whose first row group is `batch`: a column is
    /// dictionary-encoded only where its values repeat there (vocabularies always are), so
    /// keys and free text are written plain. Chunk statistics for every column.
    fn properties(&self, batch: &RecordBatch) -> Result<WriterProperties, ParquetError> {
        let mut builder = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::try_new(self.zstd_level)?))
            .set_statistics_enabled(EnabledStatistics::Chunk)
            .set_max_row_group_row_count(Some(self.row_group_size.max(1)))
            .set_dictionary_page_size_limit(DICTIONARY_PAGE_LIMIT)
            .set_data_page_row_count_limit(usize::MAX)
            .set_created_by(self.created_by.clone());
        let leaves = ArrowSchemaConverter::new().convert(batch.schema_ref())?;
        // Every column of a release table is one leaf: a list's leaf is its item.
        for (array, leaf) in batch.columns().iter().zip(leaves.columns()) {
            builder =
                builder.set_column_dictionary_enabled(leaf.path().clone(), repeats(array.as_ref()));
        }
        Ok(builder.build())
    }
}

/// Whether a column's values repeat: at most half as many distinct values as values.
/// Dictionary arrays (vocabularies) always count as repeating.
fn repeats(array: &dyn Array) -> bool {
    fn few<T: std::hash::Hash + Eq>(values: impl Iterator<Item = T>, count: usize) -> bool {
        let mut seen = HashSet::with_hasher(foldhash::fast::FixedState::default());
        for v in values {
            seen.insert(v);
            if seen.len() * 2 > count {
                return false;
            }
        }
        true
    }
    let count = array.len() - array.null_count();
    if let Some(a) = array.as_any().downcast_ref::<StringArray>() {
        few(a.iter().flatten(), count)
    } else if let Some(a) = array.as_any().downcast_ref::<ListArray>() {
        a.values()
            .as_any()
            .downcast_ref::<StringArray>()
            .is_some_and(|v| few(v.iter().flatten(), v.len() - v.null_count()))
    } else if let Some(a) = array.as_any().downcast_ref::<Int64Array>() {
        few(a.iter().flatten(), count)
    } else if let Some(a) = array.as_any().downcast_ref::<Date32Array>() {
        few(a.iter().flatten(), count)
    } else {
        true
    }
}

/// Writes one table as a Parquet file, a row at a time (cells in column order, as
/// [`Table::write_row`] gives them), building at most `options.row_group_size` rows in memory
/// at a time: what [`write_parquet`] builds on, for any producer of rows.
pub struct ParquetTableWriter<W: Write + Send> {
    batch: BatchBuilder,
    options: ParquetOptions,
    location: std::path::PathBuf,
    /// Until the first row group is written: where to write. Its rows decide each
    /// column's encoding.
    out: Option<W>,
    writer: Option<ArrowWriter<W>>,
}

impl<W: Write + Send> std::fmt::Debug for ParquetTableWriter<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParquetTableWriter")
            .field("batch", &self.batch)
            .field("location", &self.location)
            .finish_non_exhaustive()
    }
}

impl<W: Write + Send> ParquetTableWriter<W> {
    /// A writer of table `T` to `out`; `location` names the output in errors.
    pub fn new<T: Table>(out: W, options: &ParquetOptions, location: &Path) -> Self {
        Self::for_columns(T::NAME, T::columns(), out, options, location)
    }

    /// A writer of table `table`, whose columns are `columns`, to `out`.
    pub fn for_columns(
        table: crate::TableName,
        columns: &'static [crate::table::Column],
        out: W,
        options: &ParquetOptions,
        location: &Path,
    ) -> Self {
        let size = options.row_group_size.max(1);
        Self {
            batch: BatchBuilder::for_columns(table, columns, size),
            options: options.clone(),
            location: location.to_path_buf(),
            out: Some(out),
            writer: None,
        }
    }

    fn err(&self, source: ParquetError) -> Error {
        Error::parquet(self.location.clone(), source)
    }

    /// Appends one row; a full row group is written out.
    ///
    /// Fails with [`Error::ArrowType`] where a cell does not fit its column, and with
    /// [`Error::Parquet`] where writing fails.
    pub fn push(&mut self, cells: &[Cell<'_>]) -> Result<(), Error> {
        self.batch.push(cells)?;
        if self.batch.len() >= self.options.row_group_size.max(1) {
            self.write_batch()?;
        }
        Ok(())
    }

    /// Writes the rows built so far as a row group.
    fn write_batch(&mut self) -> Result<(), Error> {
        let batch = self.batch.finish()?;
        match (self.writer.as_mut(), self.out.take()) {
            (Some(writer), _) => {
                writer
                    .flush()
                    .map_err(|e| Error::parquet(self.location.clone(), e))?;
                writer
                    .write(&batch)
                    .map_err(|e| Error::parquet(self.location.clone(), e))?;
            }
            (None, Some(out)) => {
                // The first row group decides each column's encoding.
                let props = self.options.properties(&batch).map_err(|e| self.err(e))?;
                let mut writer = ArrowWriter::try_new(out, self.batch.schema(), Some(props))
                    .map_err(|e| self.err(e))?;
                writer.write(&batch).map_err(|e| self.err(e))?;
                self.writer = Some(writer);
            }
            (None, None) => unreachable!("a Parquet writer has its output until it has a writer"),
        }
        Ok(())
    }

    /// Writes the last row group and the footer.
    pub fn finish(mut self) -> Result<(), Error> {
        if !self.batch.is_empty() || self.writer.is_none() {
            self.write_batch()?;
        }
        if let Some(writer) = self.writer.take() {
            writer.close().map_err(|e| self.err(e))?;
        }
        Ok(())
    }
}

/// Writes records as one Parquet file, in the order given, building at most
/// `options.row_group_size` rows in memory at a time.
///
/// `location` names the output in errors. Fails with [`Error::Parquet`] where writing fails
/// or the zstd level is out of range.
pub fn write_parquet<T: Table, W: Write + Send>(
    records: &[T],
    out: W,
    options: &ParquetOptions,
    location: &Path,
) -> Result<(), Error> {
    let mut writer = ParquetTableWriter::new::<T>(out, options, location);
    let mut row = RowWriter::default();
    for record in records {
        row.cells.clear();
        record.write_row(&mut row);
        writer.push(&row.cells)?;
    }
    writer.finish()
}

/// Reads every record of a Parquet file written by [`write_parquet`] (or any file with the
/// table's columns).
pub fn read_parquet<T: Table, R: ChunkReader + 'static>(
    input: R,
    location: &Path,
) -> Result<Vec<T>, Error> {
    let err = |source| Error::parquet(location.to_path_buf(), source);
    let reader = ParquetRecordBatchReaderBuilder::try_new(input)
        .map_err(err)?
        .build()
        .map_err(err)?;
    let mut out = Vec::new();
    for batch in reader {
        out.extend(from_record_batch::<T>(&batch.map_err(Error::arrow)?)?);
    }
    Ok(out)
}

fn read_table<T: Table>(dir: &Path) -> Result<Vec<T>, Error> {
    if !dir.is_dir() {
        return Err(Error::MissingDirectory {
            path: dir.to_path_buf(),
        });
    }
    let path = dir.join(format!("{}.parquet", T::NAME));
    match File::open(&path) {
        Ok(f) => read_parquet(f, &path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(source) => Err(Error::Io { path, source }),
    }
}

fn write_table<T: Table>(dir: &Path, records: &[T], options: &ParquetOptions) -> Result<(), Error> {
    let path = dir.join(format!("{}.parquet", T::NAME));
    let file = File::create(&path).map_err(|source| Error::Io {
        path: path.clone(),
        source,
    })?;
    write_parquet(records, std::io::BufWriter::new(file), options, &path)
}

impl Dataset {
    /// Reads every table from a directory of release Parquet files
    /// (`<dir>/<table>.parquet`), evidence included. A missing file is an empty table; a
    /// missing directory is [`Error::MissingDirectory`]. To read a release, whose
    /// `datapackage.json` says which tables it holds, use [`Dataset::read_release`] with
    /// [`Format::Parquet`](crate::Format::Parquet).
    pub fn read_parquet_dir(dir: impl AsRef<Path>) -> Result<Self, Error> {
        /// Reads `<dir>/<table>.parquet`.
        struct ParquetDir<'a>(&'a Path);
        impl crate::TableReader for ParquetDir<'_> {
            fn read<T: Table>(&mut self) -> Result<Vec<T>, Error> {
                read_table(self.0)
            }
        }
        Self::read_tables(&mut ParquetDir(dir.as_ref()))
    }

    /// Writes every table, evidence included, as `<dir>/<table>.parquet`. `dir` must exist.
    pub fn write_parquet_dir(
        &self,
        dir: impl AsRef<Path>,
        options: &ParquetOptions,
    ) -> Result<(), Error> {
        /// Writes each table it visits as `<dir>/<table>.parquet`.
        struct WriteParquet<'a>(&'a Path, &'a ParquetOptions);
        impl crate::TableVisitor for WriteParquet<'_> {
            type Error = Error;
            fn visit<T: Table + Sync>(&mut self, records: &[T]) -> Result<(), Error> {
                write_table(self.0, records, self.1)
            }
        }
        self.visit_tables(&mut WriteParquet(dir.as_ref(), options))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use parquet::basic::Encoding;
    use parquet::file::reader::{FileReader, SerializedFileReader};

    use super::*;
    use crate::{EvidenceRow, TableName};

    fn row(i: usize, quote: &str) -> EvidenceRow {
        EvidenceRow {
            id: format!("visit-{i}/1"),
            table: TableName::Visits,
            record: format!("visit-{i}").parse().unwrap(),
            position: 1,
            source: "source-a".parse().unwrap(),
            quote: quote.to_owned(),
            role: crate::EvidenceRole::Claim,
            supports: Vec::new(),
            occurrence: None,
            start: None,
            end: None,
            sentence: None,
            prefix: None,
            suffix: None,
        }
    }

    /// A file holding `bytes`, to read.
    fn file(bytes: &[u8]) -> File {
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(bytes).unwrap();
        f
    }

    /// The columns of a Parquet file's first row group that have a dictionary page.
    fn dictionary_columns(bytes: &[u8]) -> Vec<String> {
        let reader = SerializedFileReader::new(file(bytes)).unwrap();
        let group = reader.metadata().row_group(0);
        group
            .columns()
            .iter()
            .filter(|c| c.encodings().any(|e| e == Encoding::RLE_DICTIONARY))
            .map(|c| c.column_path().string())
            .collect()
    }

    #[test]
    fn only_columns_whose_values_repeat_get_a_dictionary() {
        // Unique ids and quotes; one source and one position.
        let distinct: Vec<EvidenceRow> = (0..100)
            .map(|i| row(i, &format!("quote number {i}")))
            .collect();
        let mut out = Vec::new();
        write_parquet(
            &distinct,
            &mut out,
            &ParquetOptions::default(),
            "t".as_ref(),
        )
        .unwrap();
        assert_eq!(
            dictionary_columns(&out),
            [
                "record_table",
                "position",
                "source",
                "role",
                "supports.list.item",
                "occurrence",
                "start_byte",
                "end_byte",
                "sentence",
                "prefix",
                "suffix"
            ],
            "keys and distinct quotes are plain"
        );
        // The same three quotes again and again: a dictionary for the quotes too.
        let repeated: Vec<EvidenceRow> = (0..100)
            .map(|i| {
                row(
                    i,
                    ["one two three", "four five six", "seven eight nine"][i % 3],
                )
            })
            .collect();
        let mut out = Vec::new();
        write_parquet(
            &repeated,
            &mut out,
            &ParquetOptions::default(),
            "t".as_ref(),
        )
        .unwrap();
        assert_eq!(
            dictionary_columns(&out),
            [
                "record_table",
                "position",
                "source",
                "quote",
                "role",
                "supports.list.item",
                "occurrence",
                "start_byte",
                "end_byte",
                "sentence",
                "prefix",
                "suffix"
            ]
        );
        // And the rows read back.
        let back: Vec<EvidenceRow> = read_parquet(file(&out), "t".as_ref()).unwrap();
        assert_eq!(back, repeated);
    }
}
