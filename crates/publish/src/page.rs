//! The release's landing page, `index.html`: what the dataset is, how to cite it (the
//! citation and BibTeX), every file with its size and SHA-256, a timeline of the records by
//! country, every table browsable and filterable with each record's quotes in a row under it
//! (in view at every width) and the names of the countries, people and organizations it
//! refers to beside their codes, and the timelines of grouped events. A record's status (a
//! dispute's) says as of when: the latest day of its events and its sources.
//!
//! The script filters the fact tables by text (a record's own fields and quotes), country,
//! year (the years a date can mean; an open end counts as its known day, as the data card
//! places it) and kind, read from and written to the address (`?year=`, `?kind=`,
//! `?country=`, `?q=`, documented on the page); counts the records the filters leave; hides
//! the timeline's marks of hidden records; downloads the rows a table shows as CSV; follows a
//! record's link (`#<table>-<id>`) through the redirects; and opens the timeline zoomed to
//! where most records are, with buttons and keys to zoom and pan.
//!
//! The page is built from the generic table API only ([`Table::columns`] and each record's
//! cells), so a new table or column appears on it with no change here. It is self-contained
//! (inline CSS, SVG and a small script; no network), readable with scripts off (every shown
//! row is in the HTML; the script only filters), and deterministic (sorted maps, no clock).
//!
//! Size budget: at most [`ROW_CAP`] rows per table are written into the page (the first by
//! id; the page says how many more are in the table's CSV), and the timeline draws each record
//! up to [`MARK_CAP`] marks, beyond which it draws counts per country and year. The page
//! thus stays within about 6 MB whatever the size of the release. Measured: 0.7 MB for the
//! curated data of 0.4.0 (most of it the derived `events` and `inferences` tables), 4.9 MB at
//! 10k synthetic records and 5.5 MB at 100k; names beside codes and the quotes' own rows cost
//! about 30% (3.8 MB at 10k without them; 3.5 MB at 1M was measured before them and before
//! the `events` table). Its cost grows with the records only through one pass over their
//! cells (about 1.2 s of a 21 s release at 1M records).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};
use diplomacy_model::table::{Cell, Column, ColumnType, RowWriter};

use crate::format::FORMATS;
#[cfg(test)]
use diplomacy_model::Table;
use diplomacy_model::table::Refers;
use diplomacy_model::{
    DatasetMeta, DateSpan, PartialDate, TableKind, TableName, TemporalCoverage, Vocabulary,
};
use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::checksums::FileHashes;
use crate::croissant::{Metadata, json_ld};

/// The most rows of one table written into the page.
pub(crate) const ROW_CAP: usize = 500;
/// The most records the timeline draws one by one.
pub(crate) const MARK_CAP: usize = 2000;

/// The order tables are shown in; a table not named here follows, in release order.
const ORDER: &[&str] = &[
    "visits",
    "meetings",
    "recognitions",
    "statements",
    "dispute_events",
    "disputes",
    "meeting_participants",
    "people",
    "organizations",
    "countries",
    "sources",
    "redirects",
];

/// The colours of the tables on the timeline, by their place in [`ORDER`] order.
const PALETTE: &[&str] = &[
    "#1b6ca8", "#c0392b", "#2e8b57", "#8e44ad", "#d35400", "#7f8c8d", "#16a085", "#b8860b",
];

/// Where a table's date is: its first partial-date column and the day columns after it.
#[derive(Debug, Clone, Copy)]
struct DateCols {
    /// The partial date as written.
    written: usize,
    /// Its first day, where there is such a column.
    min: Option<usize>,
    /// Its last day, where there is such a column.
    max: Option<usize>,
}

/// A shown row: its id, its cells as text, and what the filters read.
#[derive(Debug)]
struct Row {
    id: String,
    cells: Vec<String>,
    countries: BTreeSet<String>,
    /// First and last year its date can mean, an open or unknown end taken at the known one
    /// (as the data card places such a date); None for an undated row.
    years: Option<(i32, i32)>,
    /// The last day its date can mean, its known day where an end is open or unknown, and its
    /// first day where it is one day between two bounds (`[a..b]`); None for an undated row.
    last: Option<NaiveDate>,
    /// Its date's chronological sort key ([`PartialDate::sort_key`]); None for an undated row.
    key: Option<i64>,
    kind: Option<String>,
}

/// What the page shows of one table.
#[derive(Debug)]
struct TableView {
    name: &'static str,
    columns: &'static [Column],
    /// The indices of the columns shown (the day and precision columns derived from a partial
    /// date are left to the files).
    shown: Vec<usize>,
    rows: Vec<Row>,
    total: usize,
    has_countries: bool,
    date: Option<DateCols>,
    kind: Option<usize>,
    /// Whether its records are facts (the rows the filters count).
    fact: bool,
    /// A required reference to another table (not countries) the events are grouped by.
    group_by: Option<(usize, &'static str)>,
}

/// One record on the timeline.
#[derive(Debug)]
struct Mark {
    table: &'static str,
    id: String,
    written: String,
    min: Option<NaiveDate>,
    max: Option<NaiveDate>,
    countries: BTreeSet<String>,
}

/// A value a record marks inferred: its field, basis and reason.
type InferredValue = (String, String, String);

/// Collects, table by table, what the page needs; rendered once the files are hashed.
#[derive(Debug, Default)]
pub(crate) struct PageCollector {
    tables: Vec<TableView>,
    marks: Vec<Mark>,
    /// Whether the marks were dropped for exceeding [`MARK_CAP`].
    too_many_marks: bool,
    dated: usize,
    undated: usize,
    /// Records per (country, year), over every record of a timeline table; the country is
    /// an index into `codes`.
    counts: HashMap<(u32, i32), usize>,
    /// The country codes of `counts`, and their indices.
    codes: Vec<String>,
    code_index: HashMap<String, u32>,
    /// The names of records, per table and id (tables with a `name` or `title` column).
    names: HashMap<(&'static str, String), String>,
    /// Quotes of the shown records: (table, record) -> (source, quote).
    evidence: HashMap<(String, String), Vec<Quote>>,
    evidence_rows: usize,
    /// First and last day of the timeline tables' records.
    span: Option<(NaiveDate, NaiveDate)>,
    /// Every country code the timeline tables name.
    countries: BTreeSet<String>,
    /// The table being collected.
    pass: Pass,
    /// The values records mark inferred, by (table, record).
    inferred: HashMap<(String, String), Vec<InferredValue>>,
}

/// The text of a cell.
fn cell_text(cell: &Cell<'_>) -> String {
    match cell {
        Cell::Text(s) => s.to_string(),
        Cell::Int(i) => i.to_string(),
        Cell::Date(d) => d.to_string(),
        Cell::List(items) => items.join("; "),
        _ => String::new(),
    }
}

/// The country codes a cell names: a country code, or list items that are alpha-3 codes or
/// `COUNTRY:office`.
fn cell_countries<'c>(column: &Column, cell: &'c Cell<'_>, out: &mut Vec<&'c str>) {
    let is_code = |s: &str| s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase());
    match (column.ty, cell) {
        (ColumnType::CountryCode, Cell::Text(s)) => out.push(s),
        (ColumnType::List, Cell::List(items)) => {
            for item in items {
                let code = item.split_once(':').map_or(item.as_ref(), |(c, _)| c);
                if is_code(code) {
                    out.push(code);
                }
            }
        }
        _ => {}
    }
}

/// The date columns of a table: its first partial date and the day columns right after it.
fn date_cols(columns: &[Column]) -> Option<DateCols> {
    let written = columns
        .iter()
        .position(|c| c.ty == ColumnType::PartialDate)?;
    let mut days = columns[written + 1..]
        .iter()
        .take_while(|c| c.ty == ColumnType::Date)
        .enumerate()
        .map(|(i, _)| written + 1 + i);
    Some(DateCols {
        written,
        min: days.next(),
        max: days.next(),
    })
}

/// Whether a column is derived from a partial date (its days, precision, certainty).
fn derived_from_date(columns: &[Column], i: usize) -> bool {
    let c = &columns[i];
    c.ty == ColumnType::Date
        || columns
            .iter()
            .any(|d| d.ty == ColumnType::PartialDate && c.name.starts_with(&format!("{}_", d.name)))
}

/// The table being collected, a row at a time: what [`PageCollector::start`] decides of its
/// columns, and what its rows have added so far.
#[derive(Debug, Default)]
enum Pass {
    /// A table of records.
    Records {
        view: TableView,
        is_countries: bool,
        on_timeline: bool,
        label: Option<usize>,
        /// The extents of the table's dates.
        span: DateSpan,
    },
    /// The evidence: the quotes of the records shown, found by these columns.
    Evidence {
        columns: [usize; 4],
        /// Where the quote sits: its sentence, start and end columns, where the table has them.
        place: [Option<usize>; 3],
        shown: HashSet<(&'static str, String)>,
        kept: HashMap<(String, String), Vec<Quote>>,
        rows: usize,
    },
    /// A table the page cannot show (evidence without its columns), or none.
    #[default]
    Skipped,
}

impl PageCollector {
    /// Notes what the page needs of one table, given whole: [`start`](Self::start), each
    /// record's [`row`](Self::row), [`finish`](Self::finish).
    #[cfg(test)]
    pub(crate) fn add<T: Table>(&mut self, records: &[T]) -> Option<(NaiveDate, NaiveDate)> {
        self.start(T::NAME, T::columns());
        for record in records {
            let mut row = RowWriter::default();
            record.write_row(&mut row);
            self.row(record.id(), &row);
        }
        self.finish()
    }

    /// Starts collecting table `table`, whose rows have `columns`.
    pub(crate) fn start(&mut self, table: TableName, columns: &'static [Column]) {
        let name = table.as_str();
        if table == TableName::SourceSentences {
            // Offsets without words: the page shows their counts (see `page`), not the rows.
            self.pass = Pass::Skipped;
            return;
        }
        if table == TableName::Evidence {
            let col = |name: &str| columns.iter().position(|c| c.name == name);
            self.pass = match (
                col("record_table"),
                col("record"),
                col("source"),
                col("quote"),
            ) {
                (Some(t), Some(r), Some(s), Some(q)) => Pass::Evidence {
                    columns: [t, r, s, q],
                    place: [col("sentence"), col("start_byte"), col("end_byte")],
                    shown: self
                        .tables
                        .iter()
                        .flat_map(|v| v.rows.iter().map(move |row| (v.name, row.id.clone())))
                        .collect(),
                    kept: HashMap::new(),
                    rows: 0,
                },
                _ => Pass::Skipped,
            };
            return;
        }
        let is_countries = table == TableName::Countries;
        let has_countries = is_countries
            || columns.iter().any(|c| {
                matches!(
                    c.refers,
                    Some(
                        Refers::Table(TableName::Countries) | Refers::Participant | Refers::Subject
                    )
                )
            });
        let date = date_cols(columns);
        // The timeline draws the facts; a derived table that restates them (`events`) is not
        // drawn twice.
        let on_timeline = date.is_some() && has_countries && table.kind() == TableKind::Fact;
        let kind = columns
            .iter()
            .position(|c| {
                c.name == "kind" && matches!(c.ty, ColumnType::Vocabulary(_) | ColumnType::Text)
            })
            .or_else(|| {
                (0..columns.len()).find(|&i| {
                    matches!(columns[i].ty, ColumnType::Vocabulary(values) if values != TableName::NAMES)
                        && !derived_from_date(columns, i)
                })
            });
        let label = columns
            .iter()
            .position(|c| c.name == "name" || c.name == "title");
        let group_by = date.and_then(|_| {
            columns.iter().enumerate().find_map(|(i, c)| {
                let fk = c.references?;
                (i > 0
                    && !c.nullable
                    && c.ty == ColumnType::Id
                    && fk.table != TableName::Countries
                    && fk.table != table)
                    .then(|| (i, fk.table.as_str()))
            })
        });
        let shown: Vec<usize> = (0..columns.len())
            .filter(|&i| !derived_from_date(columns, i))
            .collect();
        self.pass = Pass::Records {
            view: TableView {
                name,
                columns,
                shown,
                rows: Vec::new(),
                total: 0,
                has_countries,
                date,
                kind,
                fact: table.kind() == TableKind::Fact,
                group_by,
            },
            is_countries,
            on_timeline,
            label,
            span: DateSpan::default(),
        };
    }

    /// Notes one row of the table being collected: the record whose key is `id`.
    pub(crate) fn row(&mut self, id: &str, row: &RowWriter<'_>) {
        let cells = row.cells();
        let mut pass = std::mem::replace(&mut self.pass, Pass::Skipped);
        match &mut pass {
            Pass::Records {
                view,
                is_countries,
                on_timeline,
                label,
                span,
            } => {
                let mut countries: Vec<&str> = Vec::new();
                for (c, cell) in view.columns.iter().zip(cells) {
                    cell_countries(c, cell, &mut countries);
                }
                if *is_countries {
                    countries.push(id);
                }
                countries.sort_unstable();
                countries.dedup();
                let day = |i: Option<usize>| match i.and_then(|i| cells.get(i)) {
                    Some(Cell::Date(d)) => Some(*d),
                    _ => None,
                };
                let dated = view
                    .date
                    .filter(|d| !matches!(cells.get(d.written), None | Some(Cell::Null)));
                let (min, max) = dated.map_or((None, None), |d| (day(d.min), day(d.max)));
                if let Some(date) = dated.and_then(|d| row.date_at(d.written)) {
                    span.add(date);
                }
                if let Some(l) = *label {
                    self.names
                        .insert((view.name, id.to_owned()), cell_text(&cells[l]));
                }
                if *on_timeline {
                    self.add_to_timeline(view.name, id, dated, cells, min, max, &countries);
                }
                if view.name == TableName::Inferences.as_str() {
                    let col = |name: &str| {
                        view.columns
                            .iter()
                            .position(|c| c.name == name)
                            .and_then(|i| cells.get(i))
                            .map(cell_text)
                            .unwrap_or_default()
                    };
                    self.inferred
                        .entry((col("record_table"), col("record")))
                        .or_default()
                        .push((col("field"), col("basis"), col("reason")));
                }
                if view.total < ROW_CAP {
                    view.rows.push(Row {
                        id: id.to_owned(),
                        cells: view.shown.iter().map(|&i| cell_text(&cells[i])).collect(),
                        countries: countries.iter().map(|c| (*c).to_owned()).collect(),
                        years: min
                            .or(max)
                            .zip(max.or(min))
                            .map(|(a, b)| (a.year(), b.year())),
                        // One day between two bounds is known only by its first.
                        last: if dated
                            .is_some_and(|d| cell_text(&cells[d.written]).starts_with('['))
                        {
                            min.or(max)
                        } else {
                            max.or(min)
                        },
                        key: dated.and_then(|_| PartialDate::sort_key_of(min, max)),
                        kind: view.kind.map(|k| cell_text(&cells[k])),
                    });
                }
                view.total += 1;
            }
            Pass::Evidence {
                columns: [t, r, s, q],
                place: [sentence, start, end],
                shown,
                kept,
                rows,
            } => {
                let (table, id) = (cell_text(&cells[*t]), cell_text(&cells[*r]));
                let key = table
                    .parse::<TableName>()
                    .ok()
                    .map(|n| (n.as_str(), id.clone()));
                if key.is_some_and(|k| shown.contains(&k)) {
                    kept.entry((table, id)).or_insert_with(Vec::new).push((
                        cell_text(&cells[*s]),
                        cell_text(&cells[*q]),
                        place_text(
                            sentence.map(|i| cell_text(&cells[i])),
                            start.map(|i| cell_text(&cells[i])),
                            end.map(|i| cell_text(&cells[i])),
                        ),
                    ));
                }
                *rows += 1;
            }
            Pass::Skipped => {}
        }
        self.pass = pass;
    }

    /// Ends the table being collected, and returns the first and last day of its first date
    /// column's extents over every record (the data card's coverage, [`DateSpan`]), where it
    /// has one.
    pub(crate) fn finish(&mut self) -> Option<(NaiveDate, NaiveDate)> {
        match std::mem::replace(&mut self.pass, Pass::Skipped) {
            Pass::Records { view, span, .. } => {
                self.tables.push(view);
                span.bounds()
            }
            Pass::Evidence { kept, rows, .. } => {
                self.evidence = kept;
                self.evidence_rows = rows;
                None
            }
            Pass::Skipped => None,
        }
    }

    /// Notes one record of a timeline table.
    #[allow(clippy::too_many_arguments)] // the parts of one row, all needed
    fn add_to_timeline(
        &mut self,
        table: &'static str,
        id: &str,
        dated: Option<DateCols>,
        cells: &[Cell<'_>],
        min: Option<NaiveDate>,
        max: Option<NaiveDate>,
        countries: &[&str],
    ) {
        let mut lanes = Vec::with_capacity(countries.len());
        for c in countries {
            let i = match self.code_index.get(*c) {
                Some(&i) => i,
                None => {
                    let i = u32::try_from(self.codes.len()).unwrap_or(u32::MAX);
                    self.code_index.insert((*c).to_owned(), i);
                    self.codes.push((*c).to_owned());
                    self.countries.insert((*c).to_owned());
                    i
                }
            };
            lanes.push(i);
        }
        let Some(d) = dated else {
            self.undated += 1;
            return;
        };
        if min.is_none() && max.is_none() {
            self.undated += 1;
            return;
        }
        self.dated += 1;
        for day in [min, max].into_iter().flatten() {
            self.span = Some(match self.span {
                Some((lo, hi)) => (lo.min(day), hi.max(day)),
                None => (day, day),
            });
        }
        let (y0, y1) = match (min, max) {
            (Some(a), Some(b)) => (a.year(), b.year()),
            (Some(a), None) => (a.year(), a.year()),
            (None, Some(b)) => (b.year(), b.year()),
            (None, None) => return,
        };
        for &c in &lanes {
            for y in y0..=y1 {
                *self.counts.entry((c, y)).or_default() += 1;
            }
        }
        if self.too_many_marks {
            return;
        }
        if self.marks.len() == MARK_CAP {
            self.too_many_marks = true;
            self.marks = Vec::new();
            return;
        }
        self.marks.push(Mark {
            table,
            id: id.to_owned(),
            written: cell_text(&cells[d.written]),
            min,
            max,
            countries: countries.iter().map(|c| (*c).to_owned()).collect(),
        });
    }

    /// The basis and reason of a value its record marks inferred: the value of column `column`
    /// (or of the partial date it is derived from) of record `id` of `table`.
    fn inferred_value(&self, table: &str, id: &str, column: &str) -> Option<(&str, &str)> {
        // Looked up by record, so a page of many rows costs no scan of every inference.
        self.inferred
            .get(&(table.to_owned(), id.to_owned()))?
            .iter()
            .find(|(f, _, _)| column == f || column.starts_with(&format!("{f}_")))
            .map(|(_, b, why)| (b.as_str(), why.as_str()))
    }

    /// The names of the countries the records concern, sorted.
    pub(crate) fn spatial_coverage(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .countries
            .iter()
            .map(|c| self.country_name(c).to_owned())
            .collect();
        names.sort();
        names.dedup();
        names
    }

    fn country_name<'a>(&'a self, code: &'a str) -> &'a str {
        self.names
            .get(&("countries", code.to_owned()))
            .map_or(code, String::as_str)
    }

    /// The record a value refers to: its table, its key and its name, for a country code, a
    /// person's or organization's id, a `COUNTRY:office` or a key of another named table (not
    /// a source: its title is shown with its quotes).
    fn referent<'v>(
        &self,
        col: &Column,
        value: &'v str,
    ) -> Option<(&'static str, &'v str, String)> {
        let name = |table: &'static str, key: &'v str| {
            self.names
                .get(&(table, key.to_owned()))
                .map(|n| (table, key, n.clone()))
        };
        if col.ty == ColumnType::CountryCode {
            return name("countries", value);
        }
        if let Some(fk) = col.references {
            return match fk.table {
                TableName::Sources => None,
                t => name(t.as_str(), value),
            };
        }
        match col.refers? {
            Refers::Participant | Refers::Subject => {
                if let Some((code, office)) = value.split_once(':') {
                    let (t, k, n) = name("countries", code)?;
                    return Some((t, k, format!("{n}: {}", office.replace('_', " "))));
                }
                name("countries", value)
                    .or_else(|| name("people", value))
                    .or_else(|| name("organizations", value))
            }
            Refers::Table(TableName::Sources) => None,
            Refers::Table(t) => name(t.as_str(), value),
            _ => None,
        }
    }

    /// A cell that refers to records, each item with the name beside its code (in small print),
    /// linked to its record; None for a cell that refers to nothing named.
    fn value(&self, col: &Column, v: &str) -> Option<Markup> {
        if v.is_empty()
            || (col.references.is_none()
                && col.refers.is_none()
                && col.ty != ColumnType::CountryCode)
        {
            return None;
        }
        let items: Vec<&str> = if col.ty == ColumnType::List {
            v.split("; ").collect()
        } else {
            vec![v]
        };
        let refs: Vec<_> = items.iter().map(|i| self.referent(col, i)).collect();
        if refs.iter().all(Option::is_none) && col.references.is_none() {
            return None;
        }
        Some(html! {
            @for (n, (item, r)) in items.iter().zip(&refs).enumerate() {
                @if n > 0 { "; " }
                @if let Some((table, key, name)) = r {
                    a href={ "#" (anchor(table, key)) } { (name) }
                    small.code { (item) }
                } @else if let Some(fk) = col.references {
                    a href={ "#" (anchor(fk.table.as_str(), item)) } { (item) }
                } @else {
                    (item)
                }
            }
        })
    }

    /// A record's status (its `status` column) and the day it is known as of
    /// ([`as_of`](Self::as_of)), where its table has such a column.
    fn status_as_of(&self, table: &str, id: &str) -> Option<(String, NaiveDate)> {
        let t = self.tables.iter().find(|t| t.name == table)?;
        let col = t
            .shown
            .iter()
            .position(|&i| t.columns[i].name == "status")?;
        let row = t.rows.iter().find(|r| r.id == id)?;
        let status = row.cells[col].clone();
        if status.is_empty() {
            return None;
        }
        Some((status, self.as_of(table, id)?))
    }

    /// The latest day a record's status is known as of: the last day its grouped events
    /// (e.g. a dispute's events) can mean, and the publication of the sources the record and
    /// those events cite.
    fn as_of(&self, table: &str, id: &str) -> Option<NaiveDate> {
        let published: HashMap<&str, NaiveDate> = self
            .tables
            .iter()
            .filter(|t| t.name == TableName::Sources.as_str())
            .flat_map(|t| t.rows.iter().filter_map(|r| Some((r.id.as_str(), r.last?))))
            .collect();
        let sources_of = |t: &str, id: &str| -> Vec<NaiveDate> {
            self.evidence
                .get(&(t.to_owned(), id.to_owned()))
                .into_iter()
                .flatten()
                .filter_map(|(s, _, _)| published.get(s.as_str()).copied())
                .collect()
        };
        let mut days = sources_of(table, id);
        for t in &self.tables {
            let Some((col, parent)) = t.group_by else {
                continue;
            };
            let Some(pos) = t.shown.iter().position(|&i| i == col) else {
                continue;
            };
            if parent != table {
                continue;
            }
            for r in t.rows.iter().filter(|r| r.cells[pos] == id) {
                days.extend(r.last);
                days.extend(sources_of(t.name, &r.id));
            }
        }
        days.into_iter().max()
    }

    /// The tables in the order the page shows them.
    fn ordered(&self) -> Vec<&TableView> {
        let mut tables: Vec<&TableView> = self.tables.iter().collect();
        tables.sort_by_key(|t| {
            ORDER
                .iter()
                .position(|n| *n == t.name)
                .unwrap_or(ORDER.len())
        });
        tables
    }
}

/// A table's name as a heading: `dispute_events` -> `Dispute events`.
fn label(name: &str) -> String {
    let s = name.replace('_', " ");
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().collect::<String>() + chars.as_str()
    })
}

/// A table's name as one of its records: `disputes` -> `dispute`.
fn singular(name: &str) -> String {
    let s = name.replace('_', " ");
    s.strip_suffix('s').map_or(s.clone(), str::to_owned)
}

/// The anchor of a record's row.
fn anchor(table: &str, id: &str) -> String {
    format!("{table}-{id}")
}

/// A size in bytes for people: `1.2 MB`.
fn human_size(bytes: u64) -> String {
    #[allow(clippy::cast_precision_loss)] // a display rounded to one decimal
    let b = bytes as f64;
    if bytes < 1024 {
        format!("{bytes} B")
    } else if bytes < 1024 * 1024 {
        format!("{:.1} KB", b / 1024.0)
    } else {
        format!("{:.1} MB", b / (1024.0 * 1024.0))
    }
}

/// JSON made safe inside a `<script>` element: no `<`, `>` or `&` left raw.
fn script_json(v: &serde_json::Value) -> String {
    v.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

const STYLE: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");

/// The text of `index.html`. `files` holds every file of the release but the page itself
/// and `SHA256SUMS`.
pub(crate) fn page(
    meta: &DatasetMeta,
    metadata: &Metadata,
    collected: &PageCollector,
    files: &FileHashes,
    ledger: &crate::coverage::Coverage,
) -> String {
    let tables = collected.ordered();
    let title = format!("{} ({})", meta.title, meta.version);
    let database = crate::sqlite::file_name(meta);
    let kinds: BTreeSet<&str> = tables
        .iter()
        .filter_map(|t| match t.kind.map(|k| t.columns[k].ty) {
            Some(ColumnType::Vocabulary(values)) => Some(values.iter().copied()),
            _ => None,
        })
        .flatten()
        .collect();
    let timeline_tables: Vec<&str> = {
        let on: BTreeSet<&str> = collected.marks.iter().map(|m| m.table).collect();
        tables
            .iter()
            .map(|t| t.name)
            .filter(|n| on.contains(n) || collected.too_many_marks)
            .filter(|n| {
                collected.tables.iter().any(|t| {
                    t.name == *n && t.date.is_some() && t.has_countries && *n != "countries"
                })
            })
            .collect()
    };
    // The examples of the link help, from this dataset's own values.
    let ex_year = collected.span.map_or_else(
        || "2000".to_owned(),
        |(lo, _)| chrono::Datelike::year(&lo).to_string(),
    );
    let ex_kind = kinds.iter().next().copied().unwrap_or("kind");
    let mut codes = collected.countries.iter();
    let ex_country = codes.next().map_or("ABC", String::as_str);
    let ex_country2 = codes.next().map_or(ex_country, String::as_str);
    let counts: Vec<(&str, usize)> = tables
        .iter()
        .map(|t| (t.name, t.total))
        .chain(std::iter::once(("evidence", collected.evidence_rows)))
        .collect();
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                meta name="description" content=(meta.description);
                style { (PreEscaped(STYLE)) }
                script type="application/ld+json" { (PreEscaped(script_json(&json_ld(metadata)))) }
            }
            body {
                a.skip href="#browse" { "Skip to the records" }
                header {
                    h1 { (meta.title) }
                    p.version { "Version " (meta.version) " · " (meta.name.as_str()) " · licence " a href=(metadata.license) { (meta.license) } }
                    p { (meta.description) }
                    nav aria-label="Contents" {
                        ul {
                            li { a href="#limits" { "Coverage and limits" } }
                            @if !ledger.sources.is_empty() {
                                li { a href="#ledger" { "Every sentence accounted for" } }
                            }
                            li { a href="#cite" { "How to cite" } }
                            li { a href="#timeline" { "Timeline" } }
                            @for t in tables.iter().filter(|t| t.group_by.is_some() && !t.rows.is_empty()) {
                                li { a href={ "#groups-" (t.name) } { (label(t.name)) " by " (singular(t.group_by.map_or("", |g| g.1))) } }
                            }
                            li { a href="#browse" { "Browse the records" } }
                            li { a href="#files" { "Files" } }
                        }
                    }
                }
                main {
                    section #limits aria-labelledby="limits-h" {
                        h2 #limits-h { "Coverage and limits" }
                        p {
                            "The records are what these sources mention, not an exhaustive list: that a visit, meeting or statement is absent here is no evidence that it did not happen. "
                            "Every fact-bearing record cites at least one verbatim quote from an archived source, shown under it, and states no more than its quotes. "
                            "Dates are as precise as the sources give them: a date known only to its month or year covers that whole month or year, and an open or unknown end is left open."
                        }
                        (coverage(&metadata.temporal))
                        table.counts {
                            caption { "Records per table" }
                            thead { tr { th scope="col" { "table" } th scope="col" { "rows" } } }
                            tbody {
                                @for (name, n) in &counts {
                                    tr { th scope="row" { a href={ "#t-" (name) } { (name) } } td.num { (n) } }
                                }
                            }
                        }
                    }
                    @if !ledger.sources.is_empty() {
                        section #ledger aria-labelledby="ledger-h" {
                            h2 #ledger-h { "Every sentence accounted for" }
                            p {
                                "Each source's text is divided into sentences, and every sentence is either cited by a record or excused with a reason (page furniture, a heading, another article, out of scope, a restatement, no datable fact). "
                                "The table " a href="csv/source_sentences.csv" { code { "source_sentences" } } " gives each sentence's place in its text and the records citing it."
                            }
                            table.counts {
                                caption { "Sentences of each source" }
                                thead { tr {
                                    th scope="col" { "source" } th scope="col" { "sentences" } th scope="col" { "cited" }
                                    th scope="col" { "excused" } th scope="col" { "unaccounted" } th scope="col" { "coded" }
                                } }
                                tbody {
                                    @for c in &ledger.sources {
                                        tr {
                                            th scope="row" { code { (c.source) } }
                                            td.num { (c.sentences) } td.num { (c.cited) } td { (c.excused_text()) }
                                            td.num { (c.unaccounted) } td.num { (c.coded_percent()) "%" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    section #cite aria-labelledby="cite-h" {
                        h2 #cite-h { "How to cite" }
                        blockquote.cite { (metadata.citation) }
                        p { "In BibTeX:" }
                        pre.bibtex #bibtex { code { (crate::citation::bibtex(meta)) } }
                        p { "The same in machine-readable form: " a href="CITATION.cff" { "CITATION.cff" } "; the data card: " a href="README.md" { "README.md" } "; the metadata for dataset catalogues: " a href="croissant.json" { "croissant.json" } " (Croissant) and " a href="datapackage.json" { "datapackage.json" } " (Frictionless Data Package)." }
                    }
                    (timeline(collected, &timeline_tables))
                    @for t in tables.iter().filter(|t| t.group_by.is_some() && !t.rows.is_empty()) {
                        (groups(collected, t))
                    }
                    section #browse aria-labelledby="browse-h" {
                        h2 #browse-h { "Browse the records" }
                        form #filters role="search" method="get" action="" {
                            div {
                                label for="f-q" { "Text" }
                                input #f-q type="search" name="q" placeholder="name, place, quote…";
                            }
                            div {
                                label for="f-country" { "Country" }
                                select #f-country name="country" {
                                    option value="" { "any" }
                                    @for c in &collected.countries {
                                        option value=(c) { (collected.country_name(c)) " (" (c) ")" }
                                    }
                                }
                            }
                            div {
                                label for="f-year" { "Year" }
                                input #f-year type="number" name="year" inputmode="numeric" min="1" max="9999" step="1";
                            }
                            div {
                                label for="f-kind" { "Kind" }
                                select #f-kind name="kind" {
                                    option value="" { "any" }
                                    @for k in &kinds { option value=(k) { (k.replace('_', " ")) } }
                                }
                            }
                            div.buttons {
                                button type="submit" { "Filter" }
                                button type="reset" #f-reset { "Clear" }
                            }
                        }
                        p #f-status aria-live="polite" {}
                        details #f-help {
                            summary { "How the filters read the records; link to a view" }
                            ul {
                                li { strong { "Text" } " finds the records whose own fields (ids, names and codes, summaries) or quotes contain it, ignoring case; the titles of the sources they cite are not searched." }
                                li { strong { "Country" } " keeps the records that name the country (as guest, host, actor, subject, participant, party or place)." }
                                li { strong { "Year" } " keeps the records whose date can mean a day of that year: a date known to the year or month covers it whole, a period covers every year from its start to its end, and a date known only between two bounds (“one of”) covers every year between them. Where an end is open or unknown (" code { "1997-07/.." } ", " code { "[..1960]" } "), the date counts only as the day it is known by, as the data card places it: a visit begun in 1997 with no known end is a 1997 record, not a 2020 one. Records with no date are left out." }
                                li { strong { "Kind" } " keeps the records of that kind." }
                                li { "The counts are of the records of the fact tables (visits, meetings, recognitions, statements and the like). While a filter is set, the tables those records refer to (people, countries, organizations, sources) and the derived tables are set aside; clear the filters to see them." }
                            }
                            p #link-help { strong { "Link to a view: " } "the filters are read from the address, so a view can be bookmarked or shared. Add any of " code { "?year=" (ex_year) } ", " code { "?kind=" (ex_kind) } ", " code { "?country=" (ex_country) } " (an ISO alpha-3 code) and " code { "?q=text" } ", joined by " code { "&" } " (" code { "?country=" (ex_country2) "&year=" (ex_year) } "); the same after " code { "#" } " works too. Each record has a link of its own, " code { "#<table>-<id>" } " (" code { "#visits-<id>" } "); an id a later version redirects is followed to its new record." }
                        }
                        noscript { p { "Scripts are off: every row below is shown, unfiltered." } }
                        section #country-view aria-labelledby="country-view-h" hidden {
                            h3 #country-view-h { "A country's records in order" }
                            p { "Every record the filters leave, of every table, in chronological order (a date known only to its month or year by its first day, undated records last); follow a line to the record and its quotes." }
                            ol.events {}
                        }
                        @for t in &tables {
                            (browse_table(collected, t))
                        }
                        @if collected.evidence_rows > 0 {
                            section #t-evidence {
                                h3 { "Evidence" }
                                p { "The " (collected.evidence_rows) " quotes of " code { "evidence" } " are shown beside the records they support; all of them are in " @for (i, f) in FORMATS.iter().enumerate() { @if i > 0 { " and " } a href=(f.file("evidence")) { (f.file("evidence")) } } "." }
                            }
                        }
                    }
                    section #files aria-labelledby="files-h" {
                        h2 #files-h { "Files" }
                        p { "Every table is in " @for (i, f) in FORMATS.iter().enumerate() { @if i > 0 { " and " } code { (f.name()) "/" } } ", and every table with its keys, views and full-text search in one SQLite database, " a href=(database) download { code { (database) } } " (open it with " code { "sqlite3" } ", or with Datasette and " code { "metadata.json" } "). Verify a download with " code { "sha256sum -c SHA256SUMS" } ". This list cannot give the checksum of this page, " code { "index.html" } ", nor of " a href="SHA256SUMS" { code { "SHA256SUMS" } } " itself: " code { "SHA256SUMS" } " lists every file, " code { "index.html" } " and " code { "croissant.json" } " included." }
                        div.scroll {
                            table.files {
                                caption { "Files of this release" }
                                thead { tr { th scope="col" { "file" } th scope="col" { "size" } th scope="col" { "SHA-256" } } }
                                tbody {
                                    @for (path, f) in files {
                                        tr {
                                            th scope="row" { a href=(path) download { (path) } }
                                            td.num title={ (f.bytes) " bytes" } { (human_size(f.bytes)) }
                                            td { code.hash { (f.sha256) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                footer { p { (title) ". " (metadata.citation) } }
                script { (PreEscaped(SCRIPT)) }
            }
        }
    };
    let mut s = markup.into_string();
    s.push('\n');
    s
}

/// What the page says of the fact records' dates: the span of their extents, of those the
/// texts state and of those records infer, and how far their widest bounds reach (the same
/// the data card says).
fn coverage(t: &TemporalCoverage) -> Markup {
    let when = |span: Option<(NaiveDate, NaiveDate)>| {
        html! {
            @if let Some((lo, hi)) = span {
                "from " time datetime=(lo) { (lo) } " to " time datetime=(hi) { (hi) }
            }
        }
    };
    html! {
        @if t.all().is_some() {
            p {
                "The records' dates run " (when(t.all()))
                ": a date counts with the days it names (a day, month or year whole, a period end to end), and a date known by one bound or only between two counts as the day it is placed on. "
                @if t.stated.bounds().is_some() {
                    "The dates the texts state (" (t.stated_records) " records) run " (when(t.stated.bounds())) ". "
                }
                @if t.inferred.bounds().is_some() {
                    "The dates records infer rather than state (" (t.inferred_records) " records) run " (when(t.inferred.bounds())) ". "
                }
                @if t.widest != t.all() {
                    "At their widest, every day the dates can mean runs " (when(t.widest)) "."
                }
                @if t.undated_records == 1 { " 1 record leaves its date empty." } @else if t.undated_records > 1 { " " (t.undated_records) " records leave their date empty." }
            }
        }
    }
}

/// The x position of a day on the timeline.
struct Scale {
    first: i32,
    last: i32,
    left: f64,
    width: f64,
}

impl Scale {
    fn x(&self, d: NaiveDate) -> f64 {
        let years = f64::from(self.last - self.first + 1);
        let frac = f64::from(d.year() - self.first) + f64::from(d.ordinal0()) / 366.0;
        self.left + self.width * frac / years
    }

    fn year_x(&self, y: i32) -> f64 {
        self.left + self.width * f64::from(y - self.first) / f64::from(self.last - self.first + 1)
    }
}

/// The colour of a table on the timeline.
fn colour(tables: &[&str], name: &str) -> &'static str {
    let i = tables.iter().position(|t| *t == name).unwrap_or(0);
    PALETTE[i % PALETTE.len()]
}

/// The timeline: one lane per country; each record a bar over the days its date can mean,
/// an open end a dashed line and an arrow. Beyond [`MARK_CAP`] records, the number of
/// records per country and year.
fn timeline(c: &PageCollector, tables: &[&str]) -> Markup {
    let Some((lo, hi)) = c.span else {
        return html! { section #timeline { h2 { "Timeline" } p { "No dated records." } } };
    };
    let lanes: Vec<&String> = {
        let mut l: Vec<&String> = c.countries.iter().collect();
        l.sort_by_key(|code| c.country_name(code));
        l
    };
    let lane_h = 22.0;
    let top = 26.0;
    let scale = Scale {
        first: lo.year(),
        last: hi.year(),
        left: 150.0,
        width: 830.0,
    };
    let height = top + lane_h * lanes.len() as f64 + 8.0;
    let span_years = scale.last - scale.first + 1;
    let step = match span_years {
        0..=12 => 1,
        13..=30 => 5,
        31..=80 => 10,
        _ => 25,
    };
    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg viewBox="0 0 1000 {height}" width="1000" height="{height}" role="img" aria-labelledby="tl-title tl-desc" xmlns="http://www.w3.org/2000/svg"><title id="tl-title">Records by country over time</title><desc id="tl-desc">One lane per country, {first} to {last}.</desc><defs><marker id="open" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#555"/></marker></defs>"##,
        first = scale.first,
        last = scale.last,
    );
    for (i, _) in lanes.iter().enumerate() {
        let _ = write!(
            svg,
            r##"<rect x="0" y="{ly}" width="1000" height="{lane_h}" class="lane{odd}"/>"##,
            ly = top + lane_h * i as f64,
            odd = if i % 2 == 1 { " odd" } else { "" },
        );
    }
    svg.push_str(r#"<g class="axis">"#);
    // A tick every year, those off the step hidden (the script shows more as it zooms).
    for y in scale.first..=scale.last + 1 {
        let x = scale.year_x(y);
        let hide = if y.rem_euclid(step) == 0 {
            ""
        } else {
            r#" display="none""#
        };
        let _ = write!(
            svg,
            r##"<line x1="{x:.1}" y1="{t}" x2="{x:.1}" y2="{b:.1}" class="grid" data-year="{y}"{hide}/><text x="{x:.1}" y="16" class="tick" data-year="{y}"{hide}>{y}</text>"##,
            t = top - 4.0,
            b = height - 4.0,
        );
    }
    svg.push_str(r#"</g><g class="marks">"#);
    let lane_of: HashMap<&str, usize> = lanes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    if c.too_many_marks {
        let max = c.counts.values().copied().max().unwrap_or(1).max(1);
        let counts: BTreeMap<(&str, i32), usize> = c
            .counts
            .iter()
            .map(|(&(i, y), &n)| ((c.codes[i as usize].as_str(), y), n))
            .collect();
        for ((code, year), n) in &counts {
            let Some(&i) = lane_of.get(code) else {
                continue;
            };
            let x0 = scale.year_x(*year);
            let x1 = scale.year_x(year + 1);
            #[allow(clippy::cast_precision_loss)] // an opacity
            let op = 0.15 + 0.85 * (*n as f64) / (max as f64);
            let _ = write!(
                svg,
                r##"<rect x="{x0:.1}" y="{y:.1}" width="{w:.1}" height="14" fill="#1b6ca8" fill-opacity="{op:.2}"><title>{name}, {year}: {n} records</title></rect>"##,
                y = top + lane_h * i as f64 + 4.0,
                w = (x1 - x0 - 0.5).max(1.0),
                name = maud::html! { (c.country_name(code)) }.into_string(),
            );
        }
    } else {
        for m in &c.marks {
            let col = colour(tables, m.table);
            for code in &m.countries {
                let Some(&i) = lane_of.get(code.as_str()) else {
                    continue;
                };
                let cy = top + lane_h * i as f64 + 11.0;
                let inferred = c.inferred_value(m.table, &m.id, "date").is_some();
                let tip = maud::html! {
                    (label(m.table)) " " (m.id) ": " (m.written)
                    @if inferred { " (date inferred)" }
                }
                .into_string();
                let href = maud::html! { "#" (anchor(m.table, &m.id)) }.into_string();
                let _ = write!(svg, r##"<a href="{href}"><title>{tip}</title>"##);
                match (m.min, m.max) {
                    (Some(a), Some(b)) => {
                        let x0 = scale.x(a);
                        let w = (scale.x(b.succ_opt().unwrap_or(b)) - x0).max(3.0);
                        // One day between two bounds (`[a..b]`) is an outline: any one day of
                        // it, not all of them. A date the record infers is paler than a stated one.
                        let style = if m.written.starts_with('[') {
                            format!(
                                r#"fill="{col}" fill-opacity="0.08" stroke="{col}" stroke-dasharray="4 3" class="oneof""#
                            )
                        } else if inferred {
                            format!(
                                r#"fill="{col}" fill-opacity="0.3" stroke="{col}" stroke-width="0.8" class="inferred""#
                            )
                        } else {
                            format!(r#"fill="{col}" fill-opacity="0.65""#)
                        };
                        let _ = write!(
                            svg,
                            r##"<rect x="{x0:.1}" y="{y:.1}" width="{w:.1}" height="10" rx="2" {style}/>"##,
                            y = cy - 5.0,
                        );
                    }
                    (Some(a), None) => {
                        let x = scale.x(a);
                        let _ = write!(
                            svg,
                            r##"<rect x="{x:.1}" y="{y:.1}" width="3" height="10" fill="{col}"/><line x1="{x:.1}" y1="{cy:.1}" x2="{x2:.1}" y2="{cy:.1}" stroke="{col}" stroke-dasharray="3 2" marker-end="url(#open)" class="open"/>"##,
                            y = cy - 5.0,
                            x2 = (scale.left + scale.width).min(x + 60.0).max(x + 12.0),
                        );
                    }
                    (None, Some(b)) => {
                        let x = scale.x(b);
                        let _ = write!(
                            svg,
                            r##"<rect x="{x:.1}" y="{y:.1}" width="3" height="10" fill="{col}"/><line x1="{x:.1}" y1="{cy:.1}" x2="{x2:.1}" y2="{cy:.1}" stroke="{col}" stroke-dasharray="3 2" marker-end="url(#open)" class="open"/>"##,
                            y = cy - 5.0,
                            x2 = scale.left.max(x - 60.0).min(x - 12.0),
                        );
                    }
                    (None, None) => {}
                }
                svg.push_str("</a>");
            }
        }
    }
    // The lanes' names last, over the marks, so that they stay in view as the timeline pans.
    let _ = write!(
        svg,
        r#"</g><g class="labels"><rect x="0" y="0" width="148" height="{top}" class="lane"/>"#
    );
    for (i, code) in lanes.iter().enumerate() {
        let ly = top + lane_h * i as f64;
        let _ = write!(
            svg,
            r##"<rect x="0" y="{ly}" width="148" height="{lane_h}" class="lane{odd}"/><text x="144" y="{ty:.1}" class="lab">{name}</text>"##,
            odd = if i % 2 == 1 { " odd" } else { "" },
            ty = ly + 15.0,
            name = maud::html! { (c.country_name(code)) }.into_string(),
        );
    }
    svg.push_str("</g></svg>");
    let (from, to) = focus(c).unwrap_or((scale.first, scale.last));
    html! {
        section #timeline aria-labelledby="timeline-h" {
            h2 #timeline-h { "Timeline" }
            figure data-first=(scale.first) data-last=(scale.last) data-from=(from) data-to=(to) {
                div.tl-tools hidden {
                    button type="button" data-zoom="in" { "Zoom in" }
                    button type="button" data-zoom="out" { "Zoom out" }
                    button type="button" data-zoom="fit" { "Where the records are (" (from) "–" (to) ")" }
                    button type="button" data-zoom="all" { "Whole span (" (scale.first) "–" (scale.last) ")" }
                    span.hint { "Or focus the timeline and use the arrow keys to pan, + and − to zoom." }
                }
                div.scroll.svg tabindex="0" role="group" aria-label="Timeline: scroll or use the arrow keys to pan" { (PreEscaped(svg)) }
                figcaption {
                    @if c.too_many_marks {
                        "Records per country and year (darker: more), over " (c.dated) " dated records; a record spanning several years counts in each."
                    } @else {
                        "Each bar is one record, drawn in the lane of every country it names, over every day its date can mean: a date known to the year is a year-long bar. A dashed line with an arrow is an open or unknown end; a dashed outline is one day somewhere between two bounds (“one of”), not a period; a pale bar is a date the record infers rather than states. Select a bar to go to its record."
                    }
                    @if c.undated > 0 { " " (c.undated) " records with no date are not drawn." }
                    @if !c.too_many_marks {
                        ul.legend {
                            @for t in tables {
                                li { span.swatch style={ "background:" (colour(tables, t)) } {} (label(t)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Where most records are: the years from the 10th to the 95th percentile of the records'
/// first years (weighted by their counts beyond [`MARK_CAP`]), where they are narrower than
/// the whole span.
fn focus(c: &PageCollector) -> Option<(i32, i32)> {
    let mut years: BTreeMap<i32, usize> = BTreeMap::new();
    if c.too_many_marks {
        for (&(_, y), &n) in &c.counts {
            *years.entry(y).or_default() += n;
        }
    } else {
        for m in &c.marks {
            if let Some(d) = m.min.or(m.max) {
                *years.entry(d.year()).or_default() += 1;
            }
        }
    }
    let total: usize = years.values().sum();
    if total == 0 {
        return None;
    }
    let at = |share: usize| {
        let mut seen = 0;
        years.iter().find_map(|(&y, &n)| {
            seen += n;
            (seen * 100 >= total * share).then_some(y)
        })
    };
    Some((at(10)?, at(95)?))
}

/// The events of a table grouped by the record they belong to (e.g. a dispute's events), in
/// chronological order ([`PartialDate::sort_key`]), undated last.
fn groups(c: &PageCollector, t: &TableView) -> Markup {
    let Some((col, parent)) = t.group_by else {
        return html! {};
    };
    let Some(pos) = t.shown.iter().position(|&i| i == col) else {
        return html! {};
    };
    let date = t
        .date
        .and_then(|d| t.shown.iter().position(|&i| i == d.written));
    let summary = t.shown.iter().position(|&i| t.columns[i].name == "summary");
    let kind = t.kind.and_then(|k| t.shown.iter().position(|&i| i == k));
    let mut by: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for r in &t.rows {
        by.entry(r.cells[pos].as_str()).or_default().push(r);
    }
    for rows in by.values_mut() {
        // Chronologically, as the data card says and `events.sort_key` holds; undated last.
        rows.sort_by(|a, b| (a.key.is_none(), a.key, &a.id).cmp(&(b.key.is_none(), b.key, &b.id)));
    }
    let cell = |r: &Row, i: Option<usize>| i.map_or(String::new(), |i| r.cells[i].clone());
    html! {
        section id={ "groups-" (t.name) } aria-labelledby={ "groups-" (t.name) "-h" } {
            h2 id={ "groups-" (t.name) "-h" } { (label(t.name)) " by " (singular(parent)) }
            @if t.rows.len() < t.total { p { "The first " (t.rows.len()) " of " (t.total) " rows by id; all are in " a href={ "csv/" (t.name) ".csv" } { "csv/" (t.name) ".csv" } "." } }
            @for (key, rows) in &by {
                article.group {
                    h3 {
                        a href={ "#" (anchor(parent, key)) } {
                            (c.names.get(&(parent, (*key).to_owned())).map_or(*key, String::as_str))
                        }
                        @if let Some((status, day)) = c.status_as_of(parent, key) {
                            " " span.asof { "(" (status.replace('_', " ")) ", as of " time datetime=(day) { (day) } ")" }
                        }
                    }
                    ol.events {
                        @for r in rows {
                            li {
                                span.when { (when(&cell(r, date))) }
                                " "
                                @if let Some(k) = kind { span.kind { (r.cells[k].replace('_', " ")) } " " }
                                (cell(r, summary))
                                " "
                                a href={ "#" (anchor(t.name, &r.id)) } aria-label={ "record " (r.id) } { "↓" }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// One table, browsable: a heading, how many rows it shows, a button that downloads the
/// rows the filters leave as CSV, a header row, and one row per shown record, its quotes in a
/// row of their own under it (so they are in view at every width).
fn browse_table(c: &PageCollector, t: &TableView) -> Markup {
    let with_evidence = t
        .rows
        .iter()
        .any(|r| c.evidence.contains_key(&(t.name.to_owned(), r.id.clone())));
    let id = format!("t-{}", t.name);
    let status = t.shown.iter().position(|&i| t.columns[i].name == "status");
    html! {
        section id=(id) data-fact=[t.fact.then_some("1")] {
            h3 { (label(t.name)) }
            p.count {
                span id={ (id) "-count" } { (t.rows.len()) " rows" }
                @if t.rows.len() < t.total { " — the first " (t.rows.len()) " of " (t.total) " by id; all are in " a href=(FORMATS[0].file(t.name)) { (FORMATS[0].file(t.name)) } }
                " "
                button.csv type="button" data-table=(t.name) hidden { "Download these rows (CSV)" }
            }
            div.scroll {
                table.records id={ (id) "-table" } data-table=(t.name) {
                    caption { (label(t.name)) ": " (t.total) " records" }
                    thead {
                        tr {
                            @for &i in &t.shown {
                                // A name may break after its underscores, so that a short
                                // column stays narrow.
                                th scope="col" title=(t.columns[i].description) {
                                    @for (n, part) in t.columns[i].name.split('_').enumerate() { @if n > 0 { "_" wbr; } (part) }
                                }
                            }
                        }
                    }
                    tbody {
                        @for r in &t.rows {
                            tr id=(anchor(t.name, &r.id))
                                data-c=[t.has_countries.then(|| r.countries.iter().cloned().collect::<Vec<_>>().join(" "))]
                                data-y=[t.date.map(|_| years_attr(r.years))]
                                data-k=[r.kind.as_deref()] {
                                @for (n, &i) in t.shown.iter().enumerate() {
                                    @let col = &t.columns[i];
                                    @let v = &r.cells[n];
                                    @if n == 0 {
                                        // Its id is its link (a permalink: ids never change, and a
                                        // redirected one is followed).
                                        th scope="row" data-l=(col.name) {
                                            a.perma href={ "#" (anchor(t.name, &r.id)) } { (v) }
                                        }
                                    } @else {
                                        @let inferred = c.inferred_value(t.name, &r.id, &col.name);
                                        @let named = c.value(col, v);
                                        @let as_of = (Some(n) == status && !v.is_empty()).then(|| c.as_of(t.name, &r.id)).flatten();
                                        td data-l=(col.name)
                                            data-s=[t.date.filter(|d| d.written == i).and(r.key)]
                                            class=[cell_class(col, inferred.is_some())]
                                            title=[inferred.map(|(b, why)| format!("Inferred ({b}): {why}"))] {
                                            @if let Some(m) = named {
                                                (m)
                                            } @else if col.ty == ColumnType::PartialDate {
                                                span.nw { (v) }
                                            } @else if matches!(col.ty, ColumnType::Vocabulary(_)) {
                                                // A value may break after its underscores.
                                                @for (n, part) in v.split('_').enumerate() { @if n > 0 { "_" wbr; } (part) }
                                            } @else {
                                                (v)
                                            }
                                            @if let Some(day) = as_of {
                                                span.asof title="The latest day of its events and of the publication of its sources (a date known only between two bounds counts as its first day)" { ", as of " time datetime=(day) { (day) } }
                                            }
                                            @if inferred.is_some() { " " small.inf { "inferred" } }
                                        }
                                    }
                                }
                            }
                            @if with_evidence {
                                @if let Some(quotes) = c.evidence.get(&(t.name.to_owned(), r.id.clone())) {
                                    tr.q data-for=(r.id) {
                                        td colspan=(t.shown.len()) data-l="quotes" {
                                            @for (source, quote, place) in quotes {
                                                div.quote {
                                                    blockquote { "“" (quote) "”" }
                                                    " "
                                                    span.src { "— " a href={ "#" (anchor("sources", source)) } { (c.names.get(&("sources", source.clone())).map_or(source.as_str(), String::as_str)) } }
                                                    @if !place.is_empty() { " " span.at { "(" (place) ")" } }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A record's quote as the page shows it: its source's id, its words, and where it sits.
type Quote = (String, String, String);

/// Where a quote sits in its source, as the page says it: `sentence 4, bytes 310–420`;
/// empty where the release gives no anchor.
fn place_text(sentence: Option<String>, start: Option<String>, end: Option<String>) -> String {
    let sentence = sentence.filter(|s| !s.is_empty());
    let bytes = start
        .zip(end)
        .filter(|(a, b)| !a.is_empty() && !b.is_empty())
        .map(|(a, b)| format!("bytes {a}–{b}"));
    match (sentence, bytes) {
        (Some(n), Some(b)) => format!("sentence {n}, {b}"),
        (Some(n), None) => format!("sentence {n}"),
        (None, Some(b)) => b,
        (None, None) => String::new(),
    }
}

/// The classes of a record's cell: `v` a vocabulary's value (its words kept whole),
/// `inferred` a value its record infers.
fn cell_class(col: &Column, inferred: bool) -> Option<String> {
    let mut classes = Vec::new();
    if matches!(col.ty, ColumnType::Vocabulary(_)) {
        classes.push("v");
    }
    if inferred {
        classes.push("inferred");
    }
    (!classes.is_empty()).then(|| classes.join(" "))
}

/// The `data-y` attribute: `first last` years its date can mean, `-` for no date.
fn years_attr(years: Option<(i32, i32)>) -> String {
    years.map_or_else(|| "-".to_owned(), |(a, b)| format!("{a} {b}"))
}

/// A date as the grouped timelines show it.
fn when(written: &str) -> &str {
    if written.is_empty() {
        "date unknown"
    } else {
        written
    }
}

#[cfg(test)]
mod tests {
    // Test helpers may unwrap: a panic there is a failed assertion with a backtrace.
    #![allow(clippy::unwrap_used)]

    mod read_back {
        //! The page's two escaping layers (maud for text and attributes, `script_json` for
        //! the JSON-LD in its `<script>`), fed hostile text and read back with an
        //! independent reader: the WHATWG HTML tokenizer of `html5gum`.

        use html5gum::{Token, Tokenizer};
        use proptest::prelude::*;

        use super::super::script_json;

        /// Text the validator lets through (no control characters but line breaks and tab),
        /// heavy in what HTML reads as syntax.
        fn hostile() -> impl Strategy<Value = String> {
            let words = prop::sample::select(vec![
                "<script>alert(1)</script>",
                "</script><script>alert(1)</script>",
                "<img src=x onerror=alert(1)>",
                "<!--",
                "-->",
                "<![CDATA[",
                "&amp;",
                "&lt;",
                "&#x3C;",
                "\"",
                "'",
                "`",
                "\u{2028}",
                "</SCRIPT >",
                "<svg/onload=alert(1)>",
            ]);
            prop::collection::vec(
                prop_oneof![
                    words.prop_map(str::to_owned),
                    any::<char>()
                        .prop_filter("no control character", |c| !c.is_control()
                            || matches!(c, '\n' | '\t'))
                        .prop_map(String::from),
                ],
                0..16,
            )
            .prop_map(|parts| parts.concat())
        }

        /// The tokens of `html`, as tag names and text, with state switching for `<script>`
        /// as a browser does.
        fn tokens(html: &str) -> Vec<(String, String)> {
            let mut emitter = html5gum::DefaultEmitter::default();
            emitter.naively_switch_states(true);
            let mut out: Vec<(String, String)> = Vec::new();
            for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
                let utf8 = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
                match token {
                    Token::StartTag(t) => {
                        let attrs: Vec<String> = t
                            .attributes
                            .iter()
                            .map(|(k, v)| format!("{}={}", utf8(k), utf8(v)))
                            .collect();
                        out.push((format!("<{}>", utf8(&t.name)), attrs.join("\u{0}")));
                    }
                    Token::EndTag(t) => out.push((format!("</{}>", utf8(&t.name)), String::new())),
                    Token::String(s) => match out.last_mut() {
                        Some((kind, text)) if kind == "text" => text.push_str(&utf8(&s)),
                        _ => out.push(("text".to_owned(), utf8(&s))),
                    },
                    Token::Comment(c) => out.push(("comment".to_owned(), utf8(&c))),
                    Token::Doctype(_) | Token::Error(_) => {}
                }
            }
            out
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(1000))]

            /// Text and an attribute written by maud read back as exactly that text, in one
            /// element and nothing else.
            #[test]
            fn text_and_attributes_read_back_as_written(s in hostile()) {
                let html = maud::html! { p title=(s) { (s) } }.into_string();
                let want = s.replace("\r\n", "\n").replace('\r', "\n");
                let mut expected = vec![("<p>".to_owned(), format!("title={want}"))];
                if !want.is_empty() {
                    expected.push(("text".to_owned(), want.clone()));
                }
                expected.push(("</p>".to_owned(), String::new()));
                prop_assert_eq!(tokens(&html), expected, "{}", html);
            }

            /// The JSON-LD stays inside its `<script>`, whatever its strings hold, and reads
            /// back as the same JSON.
            #[test]
            fn json_ld_stays_in_its_script(s in hostile()) {
                let value = serde_json::json!({ "name": s, "list": [s, "x"] });
                let html = format!(
                    "<script type=\"application/ld+json\">{}</script><p>after</p>",
                    script_json(&value)
                );
                let found = tokens(&html);
                prop_assert_eq!(found.len(), 6, "{:?}", found);
                prop_assert_eq!(&found[0].0, "<script>");
                prop_assert_eq!(&found[1].0, "text");
                prop_assert_eq!(&found[2].0, "</script>");
                prop_assert_eq!(&found[3], &("<p>".to_owned(), String::new()));
                let read: serde_json::Value = serde_json::from_str(&found[1].1).unwrap();
                prop_assert_eq!(read, value);
            }
        }
    }

    use std::convert::Infallible;
    use std::path::Path;

    use diplomacy_model::{Dataset, Table, TableVisitor};

    use super::*;
    use crate::checksums::FileInfo;

    struct Collect(PageCollector);

    impl TableVisitor for Collect {
        type Error = Infallible;
        fn visit<T: Table + Sync>(&mut self, records: &[T]) -> Result<(), Infallible> {
            self.0.add(records);
            Ok(())
        }
    }

    fn curated() -> (DatasetMeta, Dataset) {
        let dir =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../datasets/japan-eurasia-diplomacy");
        let valid = diplomacy_validate::validate_dir(&dir).into_valid().unwrap();
        let mut data = valid.data;
        data.sort();
        (valid.meta, data)
    }

    fn render(meta: &DatasetMeta, data: &Dataset) -> String {
        let mut c = Collect(PageCollector::default());
        data.visit_tables(&mut c).unwrap();
        let mut files = FileHashes::new();
        files.insert(
            "csv/visits.csv".into(),
            FileInfo {
                bytes: 1234,
                sha256: "ab".repeat(32),
            },
        );
        let m = Metadata::new(
            meta,
            data,
            files.clone(),
            data.temporal_coverage(),
            c.0.spatial_coverage(),
        );
        page(
            meta,
            &m,
            &c.0,
            &files,
            &crate::coverage::Coverage::default(),
        )
    }

    fn json_ld_of(html: &str) -> serde_json::Value {
        let start = html.find(r#"<script type="application/ld+json">"#).unwrap();
        let rest = &html[start..];
        let body = &rest[rest.find('>').unwrap() + 1..rest.find("</script>").unwrap()];
        serde_json::from_str(body).unwrap()
    }

    #[test]
    fn two_renders_are_byte_identical() {
        let (meta, data) = curated();
        assert_eq!(render(&meta, &data), render(&meta, &data));
    }

    #[test]
    fn every_record_has_its_row_and_its_quotes() {
        let (meta, data) = curated();
        let html = render(&meta, &data);
        for v in &data.visits {
            assert!(
                html.contains(&format!(r#"id="visits-{}""#, v.id.as_str())),
                "{}",
                v.id.as_str()
            );
        }
        for e in &data.dispute_events {
            assert!(html.contains(&format!(r#"id="dispute_events-{}""#, e.id.as_str())));
        }
        for c in &data.countries {
            assert!(html.contains(&format!(r#"id="countries-{}""#, c.id.as_str())));
        }
        let quote = &data.visits[0].evidence[0].quote;
        let escaped = maud::html! { (quote) }.into_string();
        assert!(
            html.contains(&escaped),
            "the first visit's quote is on the page"
        );
        assert!(html.contains("Coverage and limits"));
        assert!(html.contains("<svg"));
    }

    #[test]
    fn json_ld_has_the_catalogue_properties() {
        let (meta, data) = curated();
        let v = json_ld_of(&render(&meta, &data));
        assert_eq!(v["@type"], "Dataset");
        for key in [
            "name",
            "description",
            "version",
            "license",
            "creator",
            "temporalCoverage",
            "spatialCoverage",
            "keywords",
            "distribution",
            "citation",
        ] {
            assert!(!v[key].is_null(), "JSON-LD lacks {key}");
        }
        assert_eq!(v["license"], "https://creativecommons.org/licenses/by/4.0/");
        assert_eq!(v["distribution"][0]["contentUrl"], "csv/visits.csv");
        assert_eq!(v["distribution"][0]["sha256"], "ab".repeat(32));
        let t = v["temporalCoverage"].as_str().unwrap();
        assert_eq!(t.len(), 21, "{t}");
    }

    #[test]
    fn hostile_text_is_escaped() {
        let (mut meta, mut data) = curated();
        let hostile = r#"</script><img src=x onerror="alert(1)"> & <b>"#;
        data.visits[0].summary = hostile.to_owned();
        // A name shown beside its code, and the title of a quote's source.
        data.people[0].name = hostile.to_owned();
        data.sources[0].title = hostile.to_owned();
        meta.description = hostile.to_owned();
        let html = render(&meta, &data);
        assert!(!html.contains("<img"), "raw markup from the data");
        assert!(!html.contains("<b>"));
        assert_eq!(
            html.matches("</script>").count(),
            2,
            "only the page's own scripts end"
        );
        assert!(html.contains("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"));
        // The JSON-LD still parses and keeps the text as it was.
        assert_eq!(json_ld_of(&html)["description"], hostile);
    }

    #[test]
    fn open_ends_count_as_their_known_year_and_names_stand_beside_codes() {
        let (meta, data) = curated();
        let html = render(&meta, &data);
        // Every dated row's years are both known: an open end is its known year.
        let years: Vec<&str> = html
            .split(r#"data-y=""#)
            .skip(1)
            .map(|rest| &rest[..rest.find('"').unwrap()])
            .collect();
        assert!(!years.is_empty());
        for y in &years {
            let ok = *y == "-"
                || y.split(' ')
                    .map(|p| p.parse::<i32>().is_ok())
                    .collect::<Vec<_>>()
                    == [true, true];
            assert!(ok, "data-y={y:?}");
        }
        assert!(html.contains(r#"<small class="code">KAZ</small>"#));
        let person = &data.people[0];
        assert!(html.contains(&format!(
            r##"<a href="#people-{id}">{name}</a><small class="code">{id}</small>"##,
            id = person.id.as_str(),
            name = maud::html! { (person.name) }.into_string()
        )));
        assert!(html.contains(", as of <time datetime="));
        assert!(html.contains("@misc{japan-eurasia-diplomacy-"));
        assert!(html.contains(r#"id="link-help""#) && html.contains("?year="));
    }

    #[test]
    fn spans_are_bars_and_open_ends_are_arrows() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let mut c = PageCollector::default();
        let countries: BTreeSet<String> = ["JPN".to_owned()].into();
        let mark = |id: &str, min, max| Mark {
            table: "visits",
            id: id.to_owned(),
            written: id.to_owned(),
            min,
            max,
            countries: countries.clone(),
        };
        c.marks = vec![
            mark("year", Some(day(1998, 1, 1)), Some(day(1998, 12, 31))),
            mark("open-end", Some(day(2000, 5, 1)), None),
            mark("open-start", None, Some(day(1995, 3, 1))),
        ];
        c.countries = countries.clone();
        c.span = Some((day(1995, 3, 1), day(2000, 5, 1)));
        let svg = timeline(&c, &["visits"]).into_string();
        assert_eq!(
            svg.matches(r#"marker-end="url(#open)""#).count(),
            2,
            "{svg}"
        );
        // The year-long bar is about a sixth of the 830-unit axis (six years shown).
        let bar = svg.split("<rect").find(|r| r.contains("rx=\"2\"")).unwrap();
        let w: f64 = bar
            .split("width=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!((w - 830.0 / 6.0).abs() < 2.0, "{w}");
        for id in ["#visits-year", "#visits-open-end", "#visits-open-start"] {
            assert!(svg.contains(id), "{id}");
        }
    }

    /// The page's own cost on a large dataset: `DIPLOMACY_PAGE_BENCH=<dataset dir> cargo test
    /// --release -p diplomacy-publish --lib page_render_time -- --ignored --nocapture`.
    #[test]
    #[ignore = "a measurement, run by hand on a synthetic dataset"]
    fn page_render_time() {
        let Ok(dir) = std::env::var("DIPLOMACY_PAGE_BENCH") else {
            return;
        };
        let valid = diplomacy_validate::validate_dir(Path::new(&dir))
            .into_valid()
            .unwrap();
        let mut data = valid.data;
        data.sort();
        // The walk over the tables (which flattens the evidence) is the release's own cost:
        // timed alone, and subtracted.
        struct Walk;
        impl TableVisitor for Walk {
            type Error = Infallible;
            fn visit<T: Table + Sync>(&mut self, r: &[T]) -> Result<(), Infallible> {
                std::hint::black_box(r.len());
                Ok(())
            }
        }
        let start = std::time::Instant::now();
        data.visit_tables(&mut Walk).unwrap();
        let walk = start.elapsed();
        let start = std::time::Instant::now();
        let html = render(&valid.meta, &data);
        let took = start.elapsed();
        println!(
            "{} records: page {} bytes, collected and rendered in {} ms (of which {} ms the walk over the tables)",
            data.len(),
            html.len(),
            took.as_millis(),
            walk.as_millis()
        );
    }
}
