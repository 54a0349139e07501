//! The columns of every release table, defined once: by the record struct.
//!
//! Each record type implements [`Table`]: its column list ([`Column`]: name, type, nullability,
//! meaning, foreign key) and how a record becomes one row of cells and back. The CSV, Arrow
//! and Parquet writers and readers, the release's Table Schema and its data card are all
//! driven by these definitions, so they cannot disagree.
//!
//! The impls are derived: `#[derive(Table)]` (re-exported as [`crate::Table`] beside the trait,
//! from the `diplomacy-derive` crate) reads the struct's fields. A column is named after its
//! field, its type and nullability follow the field's Rust type through [`ColumnValue`], and
//! its description is the first paragraph of the field's doc comment, the same text the JSON
//! Schema shows (later paragraphs are for the Rust and JSON Schema docs only). The field named
//! `id` is the primary key and comes first. On the struct, `#[table(name = Variant)]` names
//! the table (a [`TableName`]); on a field, `#[column(references = Variant)]` makes it a
//! foreign key and `#[column(skip)]` leaves it out of the table. Adding a column is adding a
//! documented field.
//!
//! A record of your own works the same way, for example a narrower view of the `visits`
//! table, written to CSV and read back (reading ignores a release's other columns):
//!
//! ```
//! use diplomacy_model::csv::{read_csv, write_csv};
//! use diplomacy_model::{CountryCode, Id, PartialDate, Table, VisitLevel};
//!
//! /// A visit, as a timeline needs it.
//! #[derive(Debug, PartialEq, Table)]
//! #[table(name = Visits)]
//! struct TimelineVisit {
//!     /// Stable id of the visit.
//!     id: Id,
//!     /// When the visit took place.
//!     date: PartialDate,
//!     /// The country visited.
//!     host_country: CountryCode,
//!     /// The visitor's rank.
//!     level: VisitLevel,
//!     /// The guest's office, if we know it.
//!     #[column(skip)]
//!     scratch: Option<String>,
//! }
//!
//! let visit = TimelineVisit {
//!     id: "1998-02-aze-jpn-aliyev-visit".parse()?,
//!     date: "1998-02".parse()?,
//!     host_country: "JPN".parse()?,
//!     level: VisitLevel::HeadOfState,
//!     scratch: None,
//! };
//! let columns = TimelineVisit::columns();
//! assert_eq!(columns[0].name, "id");
//! let host = columns.iter().find(|c| c.name == "host_country").expect("a column");
//! assert_eq!(host.description, "The country visited.");
//! assert!(!columns.iter().any(|c| c.name == "scratch"));
//!
//! let mut csv = Vec::new();
//! write_csv(std::slice::from_ref(&visit), &mut csv)?;
//! let text = String::from_utf8(csv)?;
//! assert!(text.starts_with("id,date,"));
//! assert!(text.contains("1998-02-aze-jpn-aliyev-visit,1998-02,"));
//! let back: Vec<TimelineVisit> = read_csv(text.as_bytes(), "timeline.csv")?;
//! assert_eq!(back, [visit]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::borrow::Cow;
use std::fmt::Display;
use std::str::FromStr;

use chrono::NaiveDate;

use crate::{CountryCode, Error, PartialDate, TableName, Vocabulary};

/// The type of a release column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ColumnType {
    /// Free text.
    Text,
    /// A record id: a table's primary key, or a reference to one.
    Id,
    /// An ISO 3166 alpha-3 country code (dictionary-encoded in Parquet).
    CountryCode,
    /// A value from a controlled vocabulary (dictionary-encoded in Parquet): its values.
    Vocabulary(&'static [&'static str]),
    /// A whole number (Int64).
    Integer,
    /// A partial date as written, in EDTF: `1998`, `1998-02-26`, `1998?`, `199X`, `A/B`,
    /// `A/..`, `[A..]`, ...
    PartialDate,
    /// A calendar day (Parquet `date32`): the `_min` and `_max` of a partial date (empty where
    /// that end is open or unknown).
    Date,
    /// A list of strings: Parquet `list<string>`, `;`-joined in CSV.
    List,
}

/// A reference from a column to another table's primary key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForeignKey {
    /// The table referred to.
    pub table: TableName,
    /// Its key column.
    pub column: &'static str,
}

/// What the values of a column refer to, for a validator that checks every reference: read
/// from the field's Rust type (and its `#[column(references = ...)]`), never written by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refers {
    /// A key of one table: an id, or a country code of `countries`.
    Table(TableName),
    /// A participant: a person's or an organization's id, or `COUNTRY:office`.
    Participant,
    /// A subject: a country code or an organization's id.
    Subject,
}

/// One column of a release table.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Column {
    /// The column's name.
    pub name: Cow<'static, str>,
    /// Its type.
    pub ty: ColumnType,
    /// Whether a row may leave it empty.
    pub nullable: bool,
    /// What it means.
    pub description: Cow<'static, str>,
    /// The table and key it refers to, where it is a foreign key.
    pub references: Option<ForeignKey>,
    /// What its values (each item, for a list) refer to, where they refer to records.
    pub refers: Option<Refers>,
    /// What a row of a release written before the column existed reads as: set for a
    /// required column added to a table after its first release.
    pub absent: Option<&'static str>,
    /// The column's name in releases written before it was renamed (a name that did not
    /// work unquoted in SQL, say): readers find the column under either name.
    pub was: Option<&'static str>,
}

impl Column {
    /// Whether a release column header names this column, under its name or the one it
    /// had before it was renamed.
    ///
    /// ```
    /// use diplomacy_model::{EvidenceRow, Table};
    ///
    /// let column = EvidenceRow::columns().iter().find(|c| c.name == "record_table");
    /// let column = column.ok_or("no record_table column")?;
    /// assert!(column.is_named("record_table"));
    /// assert!(column.is_named("table")); // releases before 0.5.0
    /// assert!(!column.is_named("record"));
    /// # Ok::<(), &str>(())
    /// ```
    pub fn is_named(&self, header: &str) -> bool {
        self.name == header || self.was == Some(header)
    }

    /// A column that refers to nothing; [`Columns::column`] appends it.
    pub fn new(
        name: impl Into<Cow<'static, str>>,
        ty: ColumnType,
        nullable: bool,
        description: impl Into<Cow<'static, str>>,
    ) -> Self {
        Column {
            name: name.into(),
            ty,
            nullable,
            description: description.into(),
            references: None,
            refers: None,
            absent: None,
            was: None,
        }
    }
}

/// Builds a table's column list: what [`ColumnValue::columns`] appends to.
#[derive(Debug, Default)]
pub struct Columns(Vec<Column>);

impl Columns {
    fn push(
        mut self,
        name: impl Into<Cow<'static, str>>,
        ty: ColumnType,
        nullable: bool,
        description: impl Into<Cow<'static, str>>,
        references: Option<ForeignKey>,
    ) -> Self {
        self.0.push(Column {
            name: name.into(),
            ty,
            nullable,
            description: description.into(),
            references,
            refers: references.map(|fk| Refers::Table(fk.table)),
            absent: None,
            was: None,
        });
        self
    }

    /// Says what the last column reads as in a release written before it existed.
    pub fn absent(mut self, value: &'static str) -> Self {
        if let Some(last) = self.0.last_mut() {
            last.absent = Some(value);
        }
        self
    }

    /// Says what the last column was named in releases written before it was renamed.
    pub fn was(mut self, name: &'static str) -> Self {
        if let Some(last) = self.0.last_mut() {
            last.was = Some(name);
        }
        self
    }

    /// Says what the last column's values refer to.
    fn refers(mut self, refers: Option<Refers>) -> Self {
        if let (Some(last), Some(refers)) = (self.0.last_mut(), refers) {
            last.refers = Some(refers);
        }
        self
    }

    /// Appends a column as it is, e.g. from a [`ColumnValue`] impl outside this crate.
    pub fn column(mut self, column: Column) -> Self {
        self.0.push(column);
        self
    }

    /// Appends the primary key, `id`.
    pub fn id(self, description: &'static str) -> Self {
        self.key("id", description)
    }

    /// The primary key column `name`, of ids, never empty: `id` in every table but one
    /// keyed otherwise (the `redirects`, keyed by the id they lead from).
    pub fn key(self, name: &'static str, description: &'static str) -> Self {
        self.push(name, ColumnType::Id, false, description, None)
    }

    /// The five columns of a partial date: as written, first day, last day, precision and
    /// certainty. `_min` and `_max` are always nullable: they are empty where that end of the
    /// date is open (`..`) or unknown.
    pub(crate) fn date(
        self,
        name: &'static str,
        nullable: bool,
        description: &'static str,
    ) -> Self {
        self.push(name, ColumnType::PartialDate, nullable, description, None)
            .push(
                format!("{name}_min"),
                ColumnType::Date,
                true,
                format!(
                    "The first calendar day `{name}` can mean; empty where its start is open or unknown (`../1998`, `/1998`, `[..1960]`)."
                ),
                None,
            )
            .push(
                format!("{name}_max"),
                ColumnType::Date,
                true,
                format!(
                    "The last calendar day `{name}` can mean; empty where its end is open or unknown (`1997-07/..`, `1997-07/`, `[1997-07..]`)."
                ),
                None,
            )
            .push(
                format!("{name}_precision"),
                ColumnType::Vocabulary(crate::DatePrecision::NAMES),
                nullable,
                format!(
                    "How precisely `{name}` is known: day, month, year, decade (199X), century (19XX), or range (an interval, or on or after / on or before)."
                ),
                None,
            )
            .push(
                format!("{name}_certainty"),
                ColumnType::Vocabulary(crate::DateCertainty::NAMES),
                nullable,
                format!(
                    "How surely the source gives `{name}`: certain, uncertain (?), approximate (~) or uncertain_approximate (%)."
                ),
                None,
            )
    }

    /// The columns appended so far.
    pub fn finish(self) -> Vec<Column> {
        self.0
    }
}

/// One cell of a row being written.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Cell<'a> {
    /// No value.
    Null,
    /// Text, an id, a code or a vocabulary value.
    Text(Cow<'a, str>),
    /// A whole number.
    Int(i64),
    /// A calendar day.
    Date(NaiveDate),
    /// A list of strings.
    List(Vec<Cow<'a, str>>),
}

/// Collects the cells of one row, in column order.
#[derive(Debug, Default)]
pub struct RowWriter<'a> {
    pub(crate) cells: Vec<Cell<'a>>,
    /// The partial dates written, each with the index of its first cell.
    dates: Vec<(usize, &'a PartialDate)>,
}

impl<'a> RowWriter<'a> {
    /// Appends a text cell.
    pub fn text(&mut self, s: &'a str) {
        self.cells.push(Cell::Text(Cow::Borrowed(s)));
    }

    /// Appends a text cell, or null.
    pub fn opt_text(&mut self, s: Option<&'a str>) {
        self.cells
            .push(s.map_or(Cell::Null, |s| Cell::Text(Cow::Borrowed(s))));
    }

    /// Appends a country code.
    pub fn country(&mut self, c: &'a CountryCode) {
        self.text(c.as_str());
    }

    /// Appends a country code, or null.
    pub fn opt_country(&mut self, c: Option<&'a CountryCode>) {
        self.opt_text(c.map(CountryCode::as_str));
    }

    /// Appends a value by its display form.
    pub fn display(&mut self, v: impl Display) {
        self.cells.push(Cell::Text(Cow::Owned(v.to_string())));
    }

    /// Appends a whole number, or null.
    pub fn opt_int(&mut self, v: Option<i64>) {
        self.cells.push(v.map_or(Cell::Null, Cell::Int));
    }

    /// Appends the five cells of a partial date: as written, first day, last day (each null
    /// where that end is open or unknown), precision, certainty.
    pub fn date(&mut self, d: &'a PartialDate) {
        self.dates.push((self.cells.len(), d));
        self.cells.push(Cell::Text(Cow::Owned(d.to_string())));
        self.cells.push(d.min_day().map_or(Cell::Null, Cell::Date));
        self.cells.push(d.max_day().map_or(Cell::Null, Cell::Date));
        self.cells
            .push(Cell::Text(Cow::Borrowed(d.precision().as_str())));
        self.cells
            .push(Cell::Text(Cow::Borrowed(d.certainty().as_str())));
    }

    /// Appends the five cells of a partial date, or five nulls.
    pub fn opt_date(&mut self, d: Option<&'a PartialDate>) {
        match d {
            Some(d) => self.date(d),
            None => self
                .cells
                .extend([Cell::Null, Cell::Null, Cell::Null, Cell::Null, Cell::Null]),
        }
    }

    /// Appends a list.
    pub fn list<I, S>(&mut self, items: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<Cow<'a, str>>,
    {
        self.cells
            .push(Cell::List(items.into_iter().map(Into::into).collect()));
    }

    /// The cells written so far.
    pub fn cells(&self) -> &[Cell<'a>] {
        &self.cells
    }

    /// The partial date whose five cells begin at cell `index` (a column of type
    /// [`ColumnType::PartialDate`]), where the row gives one there.
    ///
    /// ```
    /// use diplomacy_model::table::RowWriter;
    /// use diplomacy_model::{PartialDate, Table, Visit};
    ///
    /// let visit: Visit = toml::from_str(r#"
    ///     id = "1999-04-jpn-aze-foreign-minister-visit"
    ///     date = "1999-04"
    ///     guest_country = "JPN"
    ///     guest_office = "Foreign Minister"
    ///     level = "foreign_minister"
    ///     summary = "The Japanese Foreign Minister visited Azerbaijan."
    /// "#)?;
    /// let mut row = RowWriter::default();
    /// visit.write_row(&mut row);
    /// let at = Visit::columns().iter().position(|c| c.name == "date").ok_or("no date")?;
    /// assert_eq!(row.date_at(at), Some(&"1999-04".parse::<PartialDate>()?));
    /// assert_eq!(row.date_at(0), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn date_at(&self, index: usize) -> Option<&'a PartialDate> {
        self.dates
            .iter()
            .find_map(|&(at, d)| (at == index).then_some(d))
    }

    /// Forgets the cells written so far, keeping the room they took, for the next row.
    pub fn clear(&mut self) {
        self.cells.clear();
        self.dates.clear();
    }
}

/// One cell of a row being read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Value<'a> {
    /// No value.
    Null,
    /// A scalar, as text.
    Text(Cow<'a, str>),
    /// A list of strings.
    List(Vec<String>),
}

/// The cells of one row being read, by column, with where the row came from for errors.
#[derive(Debug)]
pub struct RowReader<'r, 'a> {
    pub(crate) table: TableName,
    pub(crate) columns: &'static [Column],
    pub(crate) values: &'r [Value<'a>],
    /// Where the row is, for messages: e.g. `visits.csv:12`.
    pub(crate) location: &'r str,
}

impl RowReader<'_, '_> {
    fn value(&self, name: &str) -> &Value<'_> {
        self.columns
            .iter()
            .position(|c| c.name == name)
            .and_then(|i| self.values.get(i))
            .unwrap_or(&Value::Null)
    }

    fn error(&self, column: &str, message: impl Display) -> Error {
        Error::Field {
            location: self.location.to_owned(),
            table: self.table,
            column: column.to_owned(),
            message: message.to_string(),
        }
    }

    /// Reads an optional scalar.
    pub fn opt<T>(&self, name: &str) -> Result<Option<T>, Error>
    where
        T: FromStr,
        T::Err: Display,
    {
        match self.value(name) {
            Value::Null => Ok(None),
            Value::Text(s) => s.parse().map(Some).map_err(|e| self.error(name, e)),
            Value::List(_) => Err(self.error(name, "expected a single value, found a list")),
        }
    }

    /// Reads a required scalar.
    pub fn get<T>(&self, name: &str) -> Result<T, Error>
    where
        T: FromStr,
        T::Err: Display,
    {
        self.opt(name)?
            .ok_or_else(|| self.error(name, "a value is required"))
    }

    /// Reads a required partial date from its columns.
    pub fn date(&self, name: &str) -> Result<PartialDate, Error> {
        self.get(name)
    }

    /// Reads an optional partial date from its columns.
    pub fn opt_date(&self, name: &str) -> Result<Option<PartialDate>, Error> {
        self.opt(name)
    }

    /// Reads a list (empty where the cell is empty).
    pub fn list<T>(&self, name: &str) -> Result<Vec<T>, Error>
    where
        T: FromStr,
        T::Err: Display,
    {
        match self.value(name) {
            Value::Null => Ok(Vec::new()),
            Value::List(items) => items
                .iter()
                .map(|s| s.parse().map_err(|e| self.error(name, e)))
                .collect(),
            Value::Text(s) => split_list(s)
                .map(|s| s.parse().map_err(|e| self.error(name, e)))
                .collect(),
        }
    }
}

/// The separator of list items in CSV.
pub const LIST_SEPARATOR: char = ';';

/// Splits a `;`-joined CSV list cell.
pub(crate) fn split_list(s: &str) -> impl Iterator<Item = &str> {
    s.split(LIST_SEPARATOR).filter(|s| !s.is_empty())
}

/// A release table: its name, its columns, and how a record becomes a row and back.
pub trait Table: Sized {
    /// The table's name.
    const NAME: TableName;

    /// The table's columns, in release order.
    fn columns() -> &'static [Column];

    /// The record's primary key.
    fn id(&self) -> &str;

    /// Writes the record's cells, one per column, in column order.
    fn write_row<'a>(&'a self, row: &mut RowWriter<'a>);

    /// Reads a record from a row.
    fn read_row(row: &RowReader<'_, '_>) -> Result<Self, Error>;
}

/// How a field's Rust type becomes release columns and cells, and is read back:
/// what `#[derive(Table)]` calls for each field.
///
/// A type spans one column, except a [`PartialDate`], which spans the date as written and
/// the columns derived from it. An `Option<_>` makes its columns nullable; a `Vec<_>` is a list column.
/// [`CountryCode`] columns refer to the `countries` table unless the field says otherwise;
/// every [`Vocabulary`] is a column whose values are its [`Vocabulary::NAMES`].
pub trait ColumnValue: Sized {
    /// Appends this type's column(s) for a field: `name` is the column's name, `description`
    /// its meaning, `references` the table its values are ids of, where the field says so
    /// (a partial date refers to no table and ignores it).
    fn columns(
        columns: Columns,
        name: &'static str,
        description: &'static str,
        references: Option<TableName>,
    ) -> Columns;

    /// Appends the value's cell(s), one per column, in column order.
    fn write<'a>(&'a self, row: &mut RowWriter<'a>);

    /// Reads the value from its column(s).
    fn read(row: &RowReader<'_, '_>, name: &str) -> Result<Self, Error>;
}

fn foreign_key(table: Option<TableName>) -> Option<ForeignKey> {
    table.map(|table| ForeignKey {
        table,
        column: "id",
    })
}

/// One-cell types: the type, its column type, the table it refers to by default, and its cell.
macro_rules! one_cell {
    ($($ty:ty => $column_type:expr, $refers:expr, |$v:ident| $cell:expr;)+) => {$(
        impl ColumnValue for $ty {
            fn columns(
                columns: Columns,
                name: &'static str,
                description: &'static str,
                references: Option<TableName>,
            ) -> Columns {
                let fk = foreign_key(references.or($refers));
                columns
                    .push(name, $column_type, false, description, fk)
                    .refers(<$ty as RefersTo>::REFERS)
            }

            fn write<'a>(&'a self, row: &mut RowWriter<'a>) {
                let $v = self;
                row.cells.push($cell);
            }

            fn read(row: &RowReader<'_, '_>, name: &str) -> Result<Self, Error> {
                row.get(name)
            }
        }

        impl ColumnValue for Option<$ty> {
            fn columns(
                columns: Columns,
                name: &'static str,
                description: &'static str,
                references: Option<TableName>,
            ) -> Columns {
                let fk = foreign_key(references.or($refers));
                columns
                    .push(name, $column_type, true, description, fk)
                    .refers(<$ty as RefersTo>::REFERS)
            }

            fn write<'a>(&'a self, row: &mut RowWriter<'a>) {
                row.cells.push(match self {
                    Some($v) => $cell,
                    None => Cell::Null,
                });
            }

            fn read(row: &RowReader<'_, '_>, name: &str) -> Result<Self, Error> {
                row.opt(name)
            }
        }
    )+};
}

one_cell! {
    String => ColumnType::Text, None, |v| Cell::Text(Cow::Borrowed(v.as_str()));
    crate::Id => ColumnType::Id, None, |v| Cell::Text(Cow::Borrowed(v.as_str()));
    CountryCode => ColumnType::CountryCode, Some(TableName::Countries),
        |v| Cell::Text(Cow::Borrowed(v.as_str()));
    u16 => ColumnType::Integer, None, |v| Cell::Int(i64::from(*v));
    u32 => ColumnType::Integer, None, |v| Cell::Int(i64::from(*v));
    i64 => ColumnType::Integer, None, |v| Cell::Int(*v);
    crate::Participant => ColumnType::Text, None, |v| Cell::Text(Cow::Owned(v.to_string()));
}

/// What a one-cell type's values refer to beyond its foreign key.
trait RefersTo {
    const REFERS: Option<Refers> = None;
}
impl RefersTo for String {}
impl RefersTo for crate::Id {}
impl RefersTo for CountryCode {}
impl RefersTo for u16 {}
impl RefersTo for u32 {}
impl RefersTo for i64 {}
impl RefersTo for crate::Participant {
    const REFERS: Option<Refers> = Some(Refers::Participant);
}
impl RefersTo for crate::Subject {
    const REFERS: Option<Refers> = Some(Refers::Subject);
}

impl<V> ColumnValue for V
where
    V: Vocabulary + FromStr,
    V::Err: Display,
{
    fn columns(
        columns: Columns,
        name: &'static str,
        description: &'static str,
        references: Option<TableName>,
    ) -> Columns {
        let ty = ColumnType::Vocabulary(V::NAMES);
        columns.push(name, ty, false, description, foreign_key(references))
    }

    fn write<'a>(&'a self, row: &mut RowWriter<'a>) {
        row.text(self.as_str());
    }

    fn read(row: &RowReader<'_, '_>, name: &str) -> Result<Self, Error> {
        row.get(name)
    }
}

impl<V> ColumnValue for Option<V>
where
    V: Vocabulary + FromStr,
    V::Err: Display,
{
    fn columns(
        columns: Columns,
        name: &'static str,
        description: &'static str,
        references: Option<TableName>,
    ) -> Columns {
        let ty = ColumnType::Vocabulary(V::NAMES);
        columns.push(name, ty, true, description, foreign_key(references))
    }

    fn write<'a>(&'a self, row: &mut RowWriter<'a>) {
        row.opt_text(self.map(V::as_str));
    }

    fn read(row: &RowReader<'_, '_>, name: &str) -> Result<Self, Error> {
        row.opt(name)
    }
}

impl ColumnValue for PartialDate {
    fn columns(
        columns: Columns,
        name: &'static str,
        description: &'static str,
        _references: Option<TableName>,
    ) -> Columns {
        columns.date(name, false, description)
    }

    fn write<'a>(&'a self, row: &mut RowWriter<'a>) {
        row.date(self);
    }

    fn read(row: &RowReader<'_, '_>, name: &str) -> Result<Self, Error> {
        row.date(name)
    }
}

impl ColumnValue for Option<PartialDate> {
    fn columns(
        columns: Columns,
        name: &'static str,
        description: &'static str,
        _references: Option<TableName>,
    ) -> Columns {
        columns.date(name, true, description)
    }

    fn write<'a>(&'a self, row: &mut RowWriter<'a>) {
        row.opt_date(self.as_ref());
    }

    fn read(row: &RowReader<'_, '_>, name: &str) -> Result<Self, Error> {
        row.opt_date(name)
    }
}

/// The table a list item refers to by default: a list of country codes refers to
/// `countries` (as data, though a list column declares no foreign key).
trait ListItem {
    const TABLE: Option<TableName> = None;
}
impl ListItem for String {}
impl ListItem for crate::Id {}
impl ListItem for crate::Participant {}
impl ListItem for crate::Subject {}
impl ListItem for CountryCode {
    const TABLE: Option<TableName> = Some(TableName::Countries);
}

/// List types: the item type and how an item becomes a list entry.
macro_rules! list {
    ($($ty:ty => |$v:ident| $item:expr;)+) => {$(
        impl ColumnValue for Vec<$ty> {
            fn columns(
                columns: Columns,
                name: &'static str,
                description: &'static str,
                references: Option<TableName>,
            ) -> Columns {
                let refers = references
                    .or(<$ty as ListItem>::TABLE)
                    .map(Refers::Table)
                    .or(<$ty as RefersTo>::REFERS);
                columns
                    .push(name, ColumnType::List, false, description, foreign_key(references))
                    .refers(refers)
            }

            fn write<'a>(&'a self, row: &mut RowWriter<'a>) {
                row.list(self.iter().map(|$v| -> Cow<'a, str> { $item }));
            }

            fn read(row: &RowReader<'_, '_>, name: &str) -> Result<Self, Error> {
                row.list(name)
            }
        }
    )+};
}

list! {
    String => |v| Cow::Borrowed(v.as_str());
    crate::Id => |v| Cow::Borrowed(v.as_str());
    CountryCode => |v| Cow::Borrowed(v.as_str());
    crate::Participant => |p| match p {
        crate::Participant::Named(id) => Cow::Borrowed(id.as_str()),
        office => Cow::Owned(office.to_string()),
    };
    crate::Subject => |v| Cow::Borrowed(v.as_str());
}
