//! Reading and writing release tables as CSV: UTF-8, a header row, RFC 4180 quoting,
//! `;`-joined lists, empty cells for null.

use std::borrow::Cow;
use std::io::{Read, Write};
use std::path::Path;

use crate::table::{Cell, ColumnType, LIST_SEPARATOR, RowReader, RowWriter, Value};
use crate::{Error, Table};

/// Writes one table as CSV, a row at a time (cells in column order, as
/// [`Table::write_row`] gives them): the header row first, RFC 4180 quoting, `;`-joined
/// lists, empty cells for null. What [`write_csv`] builds on, for any producer of rows.
pub struct CsvTableWriter<W: Write> {
    table: crate::TableName,
    writer: csv::Writer<W>,
    field: String,
    date: String,
}

impl<W: Write> std::fmt::Debug for CsvTableWriter<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsvTableWriter")
            .field("table", &self.table)
            .finish_non_exhaustive()
    }
}

impl<W: Write> CsvTableWriter<W> {
    /// A writer of table `T` to `out`, which writes the header row.
    ///
    /// Fails with [`Error::Csv`] where writing fails.
    pub fn new<T: Table>(out: W) -> Result<Self, Error> {
        Self::for_columns(T::NAME, T::columns(), out)
    }

    /// A writer of table `table`, whose columns are `columns`, to `out`, which writes the
    /// header row.
    ///
    /// Fails with [`Error::Csv`] where writing fails.
    pub fn for_columns(
        table: crate::TableName,
        columns: &[crate::table::Column],
        out: W,
    ) -> Result<Self, Error> {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(out);
        writer
            .write_record(columns.iter().map(|c| c.name.as_ref()))
            .map_err(csv_error(table))?;
        Ok(Self {
            table,
            writer,
            field: String::new(),
            date: String::new(),
        })
    }

    /// Appends the row of the record whose key is `id` (which names it in errors).
    ///
    /// Fails with [`Error::ListSeparator`] where a list item contains `;`, which could not be
    /// read back, and with [`Error::Csv`] where writing fails.
    pub fn push(&mut self, id: &str, cells: &[Cell<'_>]) -> Result<(), Error> {
        let w = &mut self.writer;
        for cell in cells {
            match cell {
                Cell::Null => w.write_field(""),
                Cell::Text(s) => w.write_field(s.as_bytes()),
                Cell::Int(i) => w.write_field(i.to_string()),
                Cell::Date(d) => {
                    self.date.clear();
                    use std::fmt::Write as _;
                    let _ = write!(self.date, "{}", d.format("%Y-%m-%d"));
                    w.write_field(&self.date)
                }
                Cell::List(items) => {
                    self.field.clear();
                    for (i, item) in items.iter().enumerate() {
                        if item.contains(LIST_SEPARATOR) {
                            return Err(Error::ListSeparator {
                                table: self.table,
                                id: id.to_owned(),
                                item: item.to_string(),
                            });
                        }
                        if i > 0 {
                            self.field.push(LIST_SEPARATOR);
                        }
                        self.field.push_str(item);
                    }
                    w.write_field(&self.field)
                }
            }
            .map_err(csv_error(self.table))?;
        }
        w.write_record(None::<&[u8]>).map_err(csv_error(self.table))
    }

    /// Flushes what is written to the output, and gives the output back.
    pub fn finish(self) -> Result<W, Error> {
        let table = self.table;
        self.writer.into_inner().map_err(|e| Error::Io {
            path: format!("{table}.csv").into(),
            source: e.into_error(),
        })
    }
}

/// An error of the CSV writer of `table`.
fn csv_error(table: crate::TableName) -> impl Fn(csv::Error) -> Error {
    move |source| Error::csv(format!("{table}.csv").into(), source)
}

/// Writes records as CSV, with a header row, in the order given.
///
/// Fails with [`Error::ListSeparator`] where a list item contains `;`, which could not be read
/// back, and with [`Error::Csv`] where writing fails.
pub fn write_csv<T: Table, W: Write>(records: &[T], out: W) -> Result<(), Error> {
    let mut writer = CsvTableWriter::new::<T>(out)?;
    let mut row = RowWriter::default();
    for record in records {
        row.cells.clear();
        record.write_row(&mut row);
        debug_assert_eq!(row.cells.len(), T::columns().len(), "{}", T::NAME);
        writer.push(record.id(), &row.cells)?;
    }
    writer.finish()?;
    Ok(())
}

/// Reads records from CSV with a header row. Columns are found by name; unknown columns are
/// ignored, and the derived date columns (`_min`, `_max`, `_precision`, `_certainty`) are not needed.
///
/// `location` names the input in errors, e.g. its path.
pub fn read_csv<T: Table, R: Read>(input: R, location: &str) -> Result<Vec<T>, Error> {
    let csv_err = |source| Error::csv(location.into(), source);
    let mut r = csv::ReaderBuilder::new().from_reader(input);
    let headers = r.headers().map_err(csv_err)?.clone();
    let columns = T::columns();
    let mut index = Vec::with_capacity(columns.len());
    for c in columns {
        let at = headers.iter().position(|h| c.is_named(h));
        if at.is_none()
            && c.absent.is_none()
            && !c.nullable
            && c.ty != ColumnType::Date
            && c.ty != ColumnType::List
            && !c.name.ends_with("_precision")
            && !c.name.ends_with("_certainty")
        {
            return Err(Error::MissingColumn {
                location: location.to_owned(),
                table: T::NAME,
                column: c.name.to_string(),
            });
        }
        index.push(at);
    }
    let mut out = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut values: Vec<Value<'_>> = Vec::with_capacity(columns.len());
    while r.read_record(&mut record).map_err(csv_err)? {
        let line = record.position().map_or(0, |p| p.line());
        values.clear();
        for (at, c) in index.iter().zip(columns) {
            // A column the release predates reads as its `absent` value.
            let cell = match at {
                Some(i) => record.get(*i).unwrap_or(""),
                None => c.absent.unwrap_or(""),
            };
            values.push(if cell.is_empty() {
                Value::Null
            } else {
                Value::Text(Cow::Owned(cell.to_owned()))
            });
        }
        let location = format!("{location}:{line}");
        let reader = RowReader {
            table: T::NAME,
            columns,
            values: &values,
            location: &location,
        };
        let row = T::read_row(&reader).map_err(|e| match e {
            // Name the cell: file:line:column, the column counted from 1 in the file.
            Error::Field {
                location,
                table,
                column,
                message,
            } => {
                let at = columns
                    .iter()
                    .position(|c| c.name == column)
                    .and_then(|i| index[i]);
                Error::Field {
                    location: match at {
                        Some(i) => format!("{location}:{}", i + 1),
                        None => location,
                    },
                    table,
                    column,
                    message,
                }
            }
            other => other,
        })?;
        out.push(row);
    }
    Ok(out)
}

/// Reads `<dir>/<table>.csv`; a missing file is an empty table, a missing directory an error.
pub(crate) fn read_table<T: Table>(dir: &Path) -> Result<Vec<T>, Error> {
    if !dir.is_dir() {
        return Err(Error::MissingDirectory {
            path: dir.to_path_buf(),
        });
    }
    let path = dir.join(format!("{}.csv", T::NAME));
    match std::fs::File::open(&path) {
        Ok(f) => read_csv(std::io::BufReader::new(f), &path.display().to_string()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(source) => Err(Error::Io { path, source }),
    }
}

/// Writes `<dir>/<table>.csv`.
pub(crate) fn write_table<T: Table>(dir: &Path, records: &[T]) -> Result<(), Error> {
    let path = dir.join(format!("{}.csv", T::NAME));
    let file = std::fs::File::create(&path).map_err(|source| Error::Io {
        path: path.clone(),
        source,
    })?;
    let mut buf = std::io::BufWriter::new(file);
    write_csv(records, &mut buf)?;
    buf.flush().map_err(|source| Error::Io { path, source })
}
