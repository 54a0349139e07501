//! Every table as Arrow `RecordBatch`es (feature `arrow`).
//!
//! Column types: ids, country codes and free text are `Utf8` (a key and the keys that refer
//! to it have the same type, so joins need no cast); vocabularies are dictionary-encoded
//! (`Dictionary(Int32, Utf8)`); the `_min` and `_max` of a date are
//! `Date32`; whole numbers are `Int64`; lists are `List<Utf8>`. A field is nullable only where
//! the record's field is optional, and every field carries its meaning in its metadata under
//! `description`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::builder::{
    Date32Builder, Int64Builder, ListBuilder, StringBuilder, StringDictionaryBuilder,
};
use arrow_array::types::{Date32Type, Int32Type};
use arrow_array::{
    Array, ArrayRef, DictionaryArray, Int64Array, ListArray, RecordBatch, StringArray,
};
use arrow_schema::{DataType, Field, Schema, SchemaRef};

use crate::table::{Cell, Column, ColumnType, RowReader, RowWriter, Value};
use crate::{Error, Table};

fn data_type(ty: ColumnType) -> DataType {
    match ty {
        // Country codes are keys (countries.id) and references to them: plain strings on
        // both sides, so joins need no cast in Polars, pandas or DuckDB. Parquet still
        // dictionary-encodes their pages.
        ColumnType::Text | ColumnType::Id | ColumnType::PartialDate | ColumnType::CountryCode => {
            DataType::Utf8
        }
        ColumnType::Vocabulary(_) => {
            DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8))
        }
        ColumnType::Integer => DataType::Int64,
        ColumnType::Date => DataType::Date32,
        ColumnType::List => DataType::List(Arc::new(list_item())),
    }
}

fn list_item() -> Field {
    Field::new_list_field(DataType::Utf8, false)
}

/// The Arrow field of a column, with its description in the field metadata.
pub fn field(column: &Column) -> Field {
    Field::new(column.name.as_ref(), data_type(column.ty), column.nullable).with_metadata(
        HashMap::from([("description".to_owned(), column.description.to_string())]),
    )
}

/// The schema metadata pandas reads: a nullable whole-number column is pandas' `Int64`, so a
/// column with empty cells stays whole numbers rather than becoming floats. Nothing where a
/// table has no such column.
fn pandas_metadata(columns: &[Column]) -> HashMap<String, String> {
    let nullable_ints: Vec<serde_json::Value> = columns
        .iter()
        .filter(|c| c.nullable && c.ty == ColumnType::Integer)
        .map(|c| {
            serde_json::json!({
                "name": c.name,
                "field_name": c.name,
                "pandas_type": "int64",
                "numpy_type": "Int64",
                "metadata": null,
            })
        })
        .collect();
    if nullable_ints.is_empty() {
        return HashMap::new();
    }
    let meta = serde_json::json!({
        "index_columns": [],
        "column_indexes": [],
        "columns": nullable_ints,
    });
    HashMap::from([("pandas".to_owned(), meta.to_string())])
}

/// The Arrow schema of a table.
pub fn schema<T: Table>() -> SchemaRef {
    BatchBuilder::new::<T>(0).schema()
}

enum Builder {
    Str(StringBuilder),
    Dict(StringDictionaryBuilder<Int32Type>),
    Int(Int64Builder),
    Date(Date32Builder),
    List(ListBuilder<StringBuilder>),
}

impl Builder {
    fn new(ty: ColumnType, capacity: usize) -> Self {
        match ty {
            ColumnType::Text
            | ColumnType::Id
            | ColumnType::PartialDate
            | ColumnType::CountryCode => {
                Builder::Str(StringBuilder::with_capacity(capacity, capacity * 16))
            }
            ColumnType::Vocabulary(_) => Builder::Dict(StringDictionaryBuilder::new()),
            ColumnType::Integer => Builder::Int(Int64Builder::with_capacity(capacity)),
            ColumnType::Date => Builder::Date(Date32Builder::with_capacity(capacity)),
            ColumnType::List => {
                Builder::List(ListBuilder::new(StringBuilder::new()).with_field(list_item()))
            }
        }
    }

    fn append(&mut self, cell: &Cell<'_>) -> Result<(), String> {
        match (self, cell) {
            (Builder::Str(b), Cell::Null) => b.append_null(),
            (Builder::Str(b), Cell::Text(s)) => b.append_value(s),
            (Builder::Dict(b), Cell::Null) => b.append_null(),
            (Builder::Dict(b), Cell::Text(s)) => {
                b.append(s.as_ref()).map_err(|e| e.to_string())?;
            }
            (Builder::Int(b), Cell::Null) => b.append_null(),
            (Builder::Int(b), Cell::Int(i)) => b.append_value(*i),
            (Builder::Date(b), Cell::Null) => b.append_null(),
            (Builder::Date(b), Cell::Date(d)) => b.append_value(Date32Type::from_naive_date(*d)),
            (Builder::List(b), Cell::Null) => b.append(true),
            (Builder::List(b), Cell::List(items)) => {
                for item in items {
                    b.values().append_value(item);
                }
                b.append(true);
            }
            (_, cell) => return Err(format!("cell {cell:?} does not fit the column's type")),
        }
        Ok(())
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Builder::Str(b) => Arc::new(b.finish()),
            Builder::Dict(b) => Arc::new(b.finish()),
            Builder::Int(b) => Arc::new(b.finish()),
            Builder::Date(b) => Arc::new(b.finish()),
            Builder::List(b) => Arc::new(b.finish()),
        }
    }
}

/// Builds one `RecordBatch` of a table from its rows, a row at a time: what
/// [`to_record_batch`] and the Parquet writer build on, so any producer of rows (cells in
/// column order, as [`Table::write_row`] gives them) can fill a batch.
pub struct BatchBuilder {
    table: crate::TableName,
    columns: &'static [Column],
    schema: SchemaRef,
    builders: Vec<Builder>,
    rows: usize,
}

impl std::fmt::Debug for BatchBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BatchBuilder")
            .field("table", &self.table)
            .field("rows", &self.rows)
            .finish_non_exhaustive()
    }
}

impl BatchBuilder {
    /// A builder of table `T`'s batches, with room for `capacity` rows.
    pub fn new<T: Table>(capacity: usize) -> Self {
        Self::for_columns(T::NAME, T::columns(), capacity)
    }

    /// A builder of batches of table `table`, whose columns are `columns`.
    pub fn for_columns(
        table: crate::TableName,
        columns: &'static [Column],
        capacity: usize,
    ) -> Self {
        Self {
            table,
            columns,
            schema: Arc::new(
                Schema::new(columns.iter().map(field).collect::<Vec<_>>())
                    .with_metadata(pandas_metadata(columns)),
            ),
            builders: columns
                .iter()
                .map(|c| Builder::new(c.ty, capacity))
                .collect(),
            rows: 0,
        }
    }

    /// Appends one row: its cells, one per column, in column order.
    ///
    /// Fails with [`Error::ArrowType`] where a cell does not fit its column's type.
    pub fn push(&mut self, cells: &[Cell<'_>]) -> Result<(), Error> {
        for ((builder, cell), column) in self.builders.iter_mut().zip(cells).zip(self.columns) {
            builder.append(cell).map_err(|message| Error::ArrowType {
                table: self.table,
                column: column.name.to_string(),
                message,
            })?;
        }
        self.rows += 1;
        Ok(())
    }

    /// How many rows the batch being built holds.
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Whether the batch being built holds no row.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// The batch of the rows pushed since the last call; the builder starts afresh.
    pub fn finish(&mut self) -> Result<RecordBatch, Error> {
        let arrays: Vec<ArrayRef> = self.builders.iter_mut().map(Builder::finish).collect();
        self.rows = 0;
        RecordBatch::try_new(self.schema.clone(), arrays).map_err(Error::arrow)
    }

    /// The table's Arrow schema.
    pub fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }
}

/// Converts records to one `RecordBatch` with the table's [`schema`].
pub fn to_record_batch<T: Table>(records: &[T]) -> Result<RecordBatch, Error> {
    let mut batch = BatchBuilder::new::<T>(records.len());
    let mut row = RowWriter::default();
    for record in records {
        row.cells.clear();
        record.write_row(&mut row);
        batch.push(&row.cells)?;
    }
    batch.finish()
}

enum Reader<'a> {
    Missing,
    /// A column the batch predates: every row reads as its `absent` value.
    Absent(&'static str),
    Str(&'a StringArray),
    Dict(&'a DictionaryArray<Int32Type>, &'a StringArray),
    Int(&'a Int64Array),
    List(&'a ListArray, &'a StringArray),
}

impl Reader<'_> {
    fn value(&self, i: usize) -> Value<'_> {
        match self {
            Reader::Missing => Value::Null,
            Reader::Absent(v) => Value::Text(Cow::Borrowed(v)),
            Reader::Str(a) if a.is_valid(i) => Value::Text(Cow::Borrowed(a.value(i))),
            Reader::Dict(a, values) if a.is_valid(i) => {
                let key = a.keys().value(i);
                usize::try_from(key)
                    .ok()
                    .filter(|k| *k < values.len())
                    .map_or(Value::Null, |k| Value::Text(Cow::Borrowed(values.value(k))))
            }
            Reader::Int(a) if a.is_valid(i) => Value::Text(Cow::Owned(a.value(i).to_string())),
            Reader::List(a, values) if a.is_valid(i) => {
                let offsets = a.value_offsets();
                let (start, end) = (offsets[i] as usize, offsets[i + 1] as usize);
                Value::List((start..end).map(|j| values.value(j).to_owned()).collect())
            }
            _ => Value::Null,
        }
    }
}

fn reader<'a, T: Table>(batch: &'a RecordBatch, column: &Column) -> Result<Reader<'a>, Error> {
    let array = batch
        .column_by_name(&column.name)
        .or_else(|| column.was.and_then(|was| batch.column_by_name(was)));
    let Some(array) = array else {
        return Ok(column.absent.map_or(Reader::Missing, Reader::Absent));
    };
    let mismatch = || Error::ArrowType {
        table: T::NAME,
        column: column.name.to_string(),
        message: format!("unexpected Arrow type {}", array.data_type()),
    };
    let any = array.as_any();
    if column.ty == ColumnType::Date {
        return Ok(Reader::Missing);
    }
    if let Some(a) = any.downcast_ref::<StringArray>() {
        return Ok(Reader::Str(a));
    }
    if let Some(a) = any.downcast_ref::<DictionaryArray<Int32Type>>() {
        let values = a
            .values()
            .as_any()
            .downcast_ref::<StringArray>()
            .ok_or_else(mismatch)?;
        return Ok(Reader::Dict(a, values));
    }
    if let Some(a) = any.downcast_ref::<Int64Array>() {
        return Ok(Reader::Int(a));
    }
    if let Some(a) = any.downcast_ref::<ListArray>() {
        let values = a
            .values()
            .as_any()
            .downcast_ref::<StringArray>()
            .ok_or_else(mismatch)?;
        return Ok(Reader::List(a, values));
    }
    Err(mismatch())
}

/// Reads records from a `RecordBatch`. Columns are found by name; missing optional columns
/// read as empty, and the derived `_min` and `_max` date columns are not needed.
pub fn from_record_batch<T: Table>(batch: &RecordBatch) -> Result<Vec<T>, Error> {
    let columns = T::columns();
    let readers = columns
        .iter()
        .map(|c| reader::<T>(batch, c))
        .collect::<Result<Vec<_>, _>>()?;
    let mut out = Vec::with_capacity(batch.num_rows());
    let mut values = Vec::with_capacity(columns.len());
    for i in 0..batch.num_rows() {
        values.clear();
        values.extend(readers.iter().map(|r| r.value(i)));
        let location = format!("{} row {}", T::NAME, i + 1);
        let row = RowReader {
            table: T::NAME,
            columns,
            values: &values,
            location: &location,
        };
        out.push(T::read_row(&row)?);
    }
    Ok(out)
}
