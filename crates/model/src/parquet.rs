//! Every table as Parquet (feature `parquet`): zstd-compressed, with statistics, bounded row
//! groups, and byte-identical output for identical input.

use std::fs::File;
use std::io::Write;
use std::path::Path;

use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::file::reader::ChunkReader;

use crate::arrow::{from_record_batch, schema, to_record_batch};
use crate::{Dataset, Error, Table};

/// How Parquet files are written.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ParquetOptions {
    /// Rows per row group, and per Arrow batch built in memory. Default: 65 536.
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
            row_group_size: 65_536,
            zstd_level: 3,
            created_by: "diplomacy-model".to_owned(),
        }
    }
}

impl ParquetOptions {
    fn properties(&self) -> Result<WriterProperties, parquet::errors::ParquetError> {
        Ok(WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::try_new(self.zstd_level)?))
            .set_statistics_enabled(EnabledStatistics::Page)
            .set_max_row_group_row_count(Some(self.row_group_size.max(1)))
            .set_created_by(self.created_by.clone())
            .build())
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
    let err = |source| Error::Parquet {
        path: location.to_path_buf(),
        source,
    };
    let props = options.properties().map_err(err)?;
    let mut writer = ArrowWriter::try_new(out, schema::<T>(), Some(props)).map_err(err)?;
    for chunk in records.chunks(options.row_group_size.max(1)) {
        let batch = to_record_batch(chunk)?;
        writer.write(&batch).map_err(err)?;
        writer.flush().map_err(err)?;
    }
    writer.close().map_err(err)?;
    Ok(())
}

/// Reads every record of a Parquet file written by [`write_parquet`] (or any file with the
/// table's columns).
pub fn read_parquet<T: Table, R: ChunkReader + 'static>(
    input: R,
    location: &Path,
) -> Result<Vec<T>, Error> {
    let err = |source| Error::Parquet {
        path: location.to_path_buf(),
        source,
    };
    let reader = ParquetRecordBatchReaderBuilder::try_new(input)
        .map_err(err)?
        .build()
        .map_err(err)?;
    let mut out = Vec::new();
    for batch in reader {
        out.extend(from_record_batch::<T>(&batch?)?);
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
        let dir = dir.as_ref();
        let mut data = Dataset {
            countries: read_table(dir)?,
            people: read_table(dir)?,
            sources: read_table(dir)?,
            visits: read_table(dir)?,
            meetings: read_table(dir)?,
            organizations: read_table(dir)?,
            recognitions: read_table(dir)?,
            statements: read_table(dir)?,
            disputes: read_table(dir)?,
            dispute_events: read_table(dir)?,
            redirects: read_table(dir)?,
        };
        data.attach_evidence(read_table(dir)?)?;
        Ok(data)
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
