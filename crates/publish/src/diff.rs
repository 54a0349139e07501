//! What changed between two versions of a dataset: per table, the columns added, removed or
//! changed, and the records added, removed, redirected and changed field by field.
//!
//! Both sides are [`Snapshot`]s: every table's rows as column -> cell text, keyed by each
//! record's id, taken generically from the model's tables ([`TableVisitor`]), so a table added
//! to the model is compared with no change here. A side is a release directory (read back from
//! its `csv/` tables, with the columns its CSV headers and `datapackage.json` declare) or a
//! dataset directory (validated first).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::{self, Write as _};
use std::path::Path;

use diplomacy_model::table::{Cell, RowWriter};
use diplomacy_model::{Dataset, DatasetMeta, Table, TableName, TableVisitor, Vocabulary};
use serde::Serialize;
use serde_json::Value;

use crate::error::Error;
use crate::markdown::{code, text};
use crate::package::field_schema;

/// A column's name, Table Schema type and allowed values (for a vocabulary).
#[derive(Debug, Clone, PartialEq, Eq)]
struct ColumnShape {
    name: String,
    ty: String,
    values: Option<Vec<String>>,
    /// The name a published release gave the column, where the model has since renamed it.
    was: Option<String>,
}

impl ColumnShape {
    /// From a Table Schema field (`datapackage.json`, or the one the release would write).
    fn from_field(field: &Value) -> Option<Self> {
        Some(Self {
            name: field.get("name")?.as_str()?.to_owned(),
            ty: field
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("string")
                .to_owned(),
            values: field
                .pointer("/constraints/enum")
                .and_then(Value::as_array)
                .map(|v| {
                    v.iter()
                        .filter_map(|s| s.as_str().map(str::to_owned))
                        .collect()
                }),
            was: None,
        })
    }
}

/// One table of a snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
struct TableSnapshot {
    name: String,
    /// Every column the table has on this side, in order.
    columns: Vec<ColumnShape>,
    /// Each record's cells, by id, as column -> text (empty for null), for the columns this
    /// side has and the model reads back.
    rows: BTreeMap<String, BTreeMap<String, String>>,
}

/// Every table of one version of a dataset, as text, ready to compare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// The dataset's machine name.
    pub name: String,
    /// Its version.
    pub version: String,
    tables: Vec<TableSnapshot>,
}

/// The text of a cell, as CSV writes it.
fn cell_text(cell: &Cell<'_>) -> String {
    match cell {
        Cell::Text(s) => s.to_string(),
        Cell::Int(i) => i.to_string(),
        Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
        Cell::List(items) => items.join(";"),
        _ => String::new(),
    }
}

/// Takes every table's rows as text, with every column of the model.
struct Take {
    tables: Vec<TableSnapshot>,
}

impl TableVisitor for Take {
    type Error = std::convert::Infallible;

    fn visit<T: Table + Sync>(&mut self, records: &[T]) -> Result<(), Self::Error> {
        let model = T::columns();
        let name = T::NAME.as_str();
        let columns = model
            .iter()
            .filter_map(|c| ColumnShape::from_field(&field_schema(c)))
            .collect();
        let mut rows = BTreeMap::new();
        for record in records {
            let mut row = RowWriter::default();
            record.write_row(&mut row);
            let cells = model
                .iter()
                .zip(row.cells())
                .map(|(c, cell)| (c.name.to_string(), cell_text(cell)))
                .collect();
            rows.insert(record.id().to_owned(), cells);
        }
        self.tables.push(TableSnapshot {
            name: name.to_owned(),
            columns,
            rows,
        });
        Ok(())
    }
}

impl TableSnapshot {
    /// A table of a published release, with the columns its header has (typed as its Table
    /// Schema declares them), each row keyed by its primary key.
    ///
    /// A column the model has renamed since (`redirects.from` is now `from_id`) is taken
    /// under its current name, with the name it was published under kept in
    /// [`ColumnShape::was`], so its cells compare with the new side's.
    fn published(mut table: diplomacy_validate::PublishedTable) -> Self {
        let model = table
            .name
            .parse::<TableName>()
            .map_or(&[][..], TableName::columns);
        // Each header's current name, where the model has renamed it since.
        let renamed: Vec<Option<String>> = table
            .header
            .iter()
            .map(|h| {
                model
                    .iter()
                    .find(|c| c.name != *h && c.was == Some(h.as_str()))
                    .map(|c| c.name.to_string())
            })
            .collect();
        let columns = table
            .header
            .iter()
            .zip(&renamed)
            .map(|(h, renamed)| {
                let mut shape = table
                    .fields
                    .iter()
                    .find(|f| f.get("name").and_then(Value::as_str) == Some(h))
                    .and_then(ColumnShape::from_field)
                    .unwrap_or_else(|| ColumnShape {
                        name: h.clone(),
                        ty: "string".to_owned(),
                        values: None,
                        was: None,
                    });
                if let Some(name) = renamed {
                    shape.was = Some(std::mem::replace(&mut shape.name, name.clone()));
                }
                shape
            })
            .collect();
        for (h, renamed) in table.header.iter_mut().zip(renamed) {
            if let Some(name) = renamed {
                if *h == table.key {
                    table.key.clone_from(&name);
                }
                *h = name;
            }
        }
        let key = table
            .header
            .iter()
            .position(|h| *h == table.key)
            .unwrap_or(0);
        let rows = table
            .rows
            .iter()
            .map(|row| {
                let id = row.get(key).cloned().unwrap_or_default();
                let cells = table
                    .header
                    .iter()
                    .cloned()
                    .zip(row.iter().cloned())
                    .collect();
                (id, cells)
            })
            .collect();
        Self {
            name: table.name,
            columns,
            rows,
        }
    }
}

impl Snapshot {
    /// The snapshot of a dataset in memory, with every table and column of the model but
    /// the sentence ledger, which needs the source texts ([`Snapshot::of_dir`]).
    pub fn of(meta: &DatasetMeta, data: &Dataset) -> Self {
        let mut take = Take { tables: Vec::new() };
        let Ok(()) = data.visit_tables(&mut take);
        Self {
            name: meta.name.as_str().to_owned(),
            version: meta.version.clone(),
            tables: take.tables,
        }
    }

    /// The snapshot of a dataset read from the directory `dir`, with every table a release
    /// of it holds: [`Snapshot::of`] and the sentence ledger of its source texts.
    ///
    /// Fails with [`Error::Io`] where a source text cannot be read.
    pub fn of_dir(meta: &DatasetMeta, data: &Dataset, dir: &Path) -> Result<Self, Error> {
        let mut snapshot = Self::of(meta, data);
        let mut evidence = data.evidence_rows();
        let sentences = crate::tree::anchor(
            &mut evidence,
            &data.sources,
            &diplomacy_validate::ArchivedTexts::default(),
            dir,
        )?;
        let mut take = Take { tables: Vec::new() };
        let Ok(()) = take.visit(&sentences);
        snapshot.tables.extend(take.tables);
        Ok(snapshot)
    }

    /// Reads a release directory (`datapackage.json` and `csv/`), or validates and reads a
    /// dataset directory (one holding `dataset.toml`).
    ///
    /// Fails with [`Error::Invalid`] where a dataset directory does not validate,
    /// [`Error::Unreadable`] where `dir` is neither, and [`Error::Io`] or [`Error::Table`]
    /// where a release cannot be read.
    pub fn read(dir: &Path) -> Result<Self, Error> {
        if dir.join("dataset.toml").is_file() {
            let report = diplomacy_validate::validate_dir(dir);
            if !report.is_valid() {
                return Err(Error::Invalid {
                    path: dir.to_path_buf(),
                    diagnostics: report.diagnostics,
                });
            }
            let valid = report.into_valid().ok_or_else(|| Error::Unreadable {
                path: dir.to_path_buf(),
                reason: "its dataset.toml could not be read".to_owned(),
            })?;
            let mut data = valid.data;
            data.sort();
            return Self::of_dir(&valid.meta, &data, dir);
        }
        Self::read_release(dir)
    }

    /// Reads a release directory: its tables from `csv/`, each limited to the columns its
    /// CSV header has, and its name and version from `datapackage.json`.
    pub fn read_release(dir: &Path) -> Result<Self, Error> {
        // Read as the release was written (its own package and headers), never through
        // today's record types: a column added to the model since does not make it
        // unreadable. Every file is checked against the release's SHA256SUMS.
        let published =
            diplomacy_validate::PublishedRelease::read(dir).map_err(|e| Error::Unreadable {
                path: dir.to_path_buf(),
                reason: format!("no dataset.toml, and its datapackage.json cannot be read: {e}"),
            })?;
        let (name, version) = (published.name.clone(), published.version.to_string());
        let tables = published
            .read_tables()
            .map_err(|e| Error::Unreadable {
                path: dir.to_path_buf(),
                reason: format!("its tables cannot be read: {e}"),
            })?
            .into_iter()
            .map(TableSnapshot::published)
            .collect();
        Ok(Self {
            name,
            version,
            tables,
        })
    }

    /// The number of records in every table but the derived ones.
    pub fn records(&self) -> usize {
        self.tables
            .iter()
            .filter(|t| is_authored(&t.name))
            .map(|t| t.rows.len())
            .sum()
    }

    /// The `since` of each redirect this version publishes, by its `from`.
    pub(crate) fn redirect_since(&self) -> HashMap<String, String> {
        self.table(TableName::Redirects.as_str())
            .map(|t| {
                t.rows
                    .iter()
                    .filter_map(|(from, cells)| {
                        let since = cells.get("since").filter(|s| !s.is_empty())?;
                        Some((from.clone(), since.clone()))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    fn table(&self, name: &str) -> Option<&TableSnapshot> {
        self.tables.iter().find(|t| t.name == name)
    }
}

/// Whether a table is authored (its rows are records of their own) rather than derived from
/// other tables (the evidence).
fn is_authored(table: &str) -> bool {
    diplomacy_model::AUTHORING_FILES
        .iter()
        .any(|(_, t)| t.as_str() == table)
}

/// How large a version bump a change needs (SemVer for data).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    /// No change.
    None,
    /// Corrections to existing records.
    Patch,
    /// Records or columns added, vocabulary values added, ids redirected.
    Minor,
    /// A column or table removed or renamed, a meaning changed (a column's type, a vocabulary
    /// value removed), a record removed without a redirect.
    Major,
}

impl fmt::Display for Bump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Bump::None => "none",
            Bump::Patch => "PATCH",
            Bump::Minor => "MINOR",
            Bump::Major => "MAJOR",
        })
    }
}

/// One field whose value changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// The column.
    pub column: String,
    /// The old value (empty for none).
    pub old: String,
    /// The new value (empty for none).
    pub new: String,
}

/// A quote that supports a record, in the newer version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Quote {
    /// The source quoted.
    pub source: String,
    /// Its words.
    pub quote: String,
}

/// A record present in both versions whose fields changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordChange {
    /// The record's id.
    pub id: String,
    /// The fields that changed, in column order.
    pub fields: Vec<FieldChange>,
    /// The record's evidence in the newer version.
    pub evidence: Vec<Quote>,
}

/// An id of the older version that the newer one redirects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Redirected {
    /// The old id.
    pub from: String,
    /// The id it leads to now, after every redirect.
    pub to: String,
    /// The table that holds `to`, where it is a record.
    pub table: Option<String>,
    /// Why, from the redirect.
    pub reason: String,
    /// Where `to` is in the same table: the fields that differ from the old record.
    pub fields: Vec<FieldChange>,
    /// The evidence of `to` in the newer version.
    pub evidence: Vec<Quote>,
}

/// A column whose type or allowed values changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ColumnChange {
    /// The column.
    pub column: String,
    /// What changed, in words.
    pub change: String,
    /// The bump it needs.
    pub bump: Bump,
}

/// What changed in one table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableDiff {
    /// The table.
    pub table: String,
    /// Whether the table is new in the newer version.
    pub table_added: bool,
    /// Whether the newer version no longer has the table.
    pub table_removed: bool,
    /// Columns only the newer version has.
    pub columns_added: Vec<String>,
    /// Columns only the older version has (removed, or renamed).
    pub columns_removed: Vec<String>,
    /// Columns whose type or vocabulary changed.
    pub columns_changed: Vec<ColumnChange>,
    /// Ids only the newer version has (redirect targets in this table left out).
    pub added: Vec<String>,
    /// Ids only the older version has, not redirected.
    pub removed: Vec<String>,
    /// Ids only the older version has, redirected.
    pub redirected: Vec<Redirected>,
    /// Records in both whose fields changed.
    pub changed: Vec<RecordChange>,
}

impl TableDiff {
    /// Whether nothing changed in the table.
    pub fn is_empty(&self) -> bool {
        !self.table_added
            && !self.table_removed
            && self.columns_added.is_empty()
            && self.columns_removed.is_empty()
            && self.columns_changed.is_empty()
            && self.added.is_empty()
            && self.removed.is_empty()
            && self.redirected.is_empty()
            && self.changed.is_empty()
    }
}

/// One side of a diff: a dataset's name and version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Side {
    /// The dataset's machine name.
    pub name: String,
    /// Its version.
    pub version: String,
}

/// One change and the bump it needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    /// The bump needed.
    pub bump: Bump,
    /// The change, in words, e.g. "visits: 2 records added".
    pub change: String,
}

/// What changed from one version to another: every table that changed, in release order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diff {
    /// The older version.
    pub old: Side,
    /// The newer version.
    pub new: Side,
    /// The tables that changed.
    pub tables: Vec<TableDiff>,
    /// Each kind of change and the bump it needs, largest first.
    pub bumps: Vec<Reason>,
}

/// The redirects of a snapshot: from -> (to, reason).
fn redirects_of(s: &Snapshot) -> HashMap<&str, (&str, &str)> {
    s.table(TableName::Redirects.as_str())
        .map(|t| {
            t.rows
                .iter()
                .map(|(from, cells)| {
                    let get = |c: &str| cells.get(c).map_or("", String::as_str);
                    (from.as_str(), (get("to_id"), get("reason")))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Follows the redirects from `id` to an id that is a record of `new`; the first reason.
fn follow<'a>(
    redirects: &HashMap<&'a str, (&'a str, &'a str)>,
    where_is: &HashMap<&str, &'a str>,
    id: &str,
) -> Option<(&'a str, Option<&'a str>, &'a str)> {
    let (mut here, reason) = *redirects.get(id)?;
    for _ in 0..=redirects.len() {
        if let Some(table) = where_is.get(here) {
            return Some((here, Some(table), reason));
        }
        match redirects.get(here) {
            Some((to, _)) => here = to,
            None => return Some((here, None, reason)),
        }
    }
    None // a cycle
}

fn field_changes(
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
    order: &[ColumnShape],
) -> Vec<FieldChange> {
    order
        .iter()
        .filter(|c| c.name != "id")
        .filter_map(|c| {
            let (o, n) = (old.get(&c.name)?, new.get(&c.name)?);
            // A redirect's `since` and a quote's anchor are filled in by the release (from the
            // published versions, from the source text): a dataset directory has none.
            let filled_by_release = [
                "since",
                "start_byte",
                "end_byte",
                "sentence",
                "prefix",
                "suffix",
            ];
            let unreleased =
                filled_by_release.contains(&c.name.as_str()) && (o.is_empty() || n.is_empty());
            (o != n && !unreleased).then(|| FieldChange {
                column: c.name.clone(),
                old: o.clone(),
                new: n.clone(),
            })
        })
        .collect()
}

fn compare_columns(old: &[ColumnShape], new: &[ColumnShape], out: &mut TableDiff) {
    for n in new {
        let Some(o) = old.iter().find(|o| o.name == n.name) else {
            out.columns_added.push(n.name.clone());
            continue;
        };
        // Renamed between the two sides: the old one has the name the new one no longer has
        // (two releases from before a rename both carry the old name).
        if let (Some(was), None) = (&o.was, &n.was) {
            out.columns_changed.push(ColumnChange {
                column: n.name.clone(),
                change: format!("renamed from {}", code(was)),
                bump: Bump::Major,
            });
        }
        if o.ty != n.ty {
            out.columns_changed.push(ColumnChange {
                column: n.name.clone(),
                change: format!("type {} -> {}", code(&o.ty), code(&n.ty)),
                bump: Bump::Major,
            });
        }
        let empty = Vec::new();
        let (ov, nv) = (
            o.values.as_ref().unwrap_or(&empty),
            n.values.as_ref().unwrap_or(&empty),
        );
        let gone: Vec<String> = ov
            .iter()
            .filter(|v| !nv.contains(v))
            .map(|v| code(v))
            .collect();
        let came: Vec<String> = nv
            .iter()
            .filter(|v| !ov.contains(v))
            .map(|v| code(v))
            .collect();
        if !gone.is_empty() && o.values.is_some() {
            out.columns_changed.push(ColumnChange {
                column: n.name.clone(),
                change: format!("values removed: {}", gone.join(", ")),
                bump: Bump::Major,
            });
        }
        if !came.is_empty() && n.values.is_some() {
            out.columns_changed.push(ColumnChange {
                column: n.name.clone(),
                change: format!("values added: {}", came.join(", ")),
                bump: Bump::Minor,
            });
        }
    }
    out.columns_removed = old
        .iter()
        .filter(|o| !new.iter().any(|n| n.name == o.name))
        .map(|o| o.name.clone())
        .collect();
}

/// Compares two snapshots, with the newer one's redirects applied.
pub fn diff(old: &Snapshot, new: &Snapshot) -> Diff {
    let redirects = redirects_of(new);
    let mut where_is: HashMap<&str, &str> = HashMap::new();
    for t in &new.tables {
        if TableName::ALL
            .iter()
            .any(|n| n.as_str() == t.name && n.is_record_table())
        {
            where_is.extend(t.rows.keys().map(|id| (id.as_str(), t.name.as_str())));
        }
    }
    // The newer version's quotes, by the record they support.
    let mut quotes: HashMap<&str, Vec<(u64, Quote)>> = HashMap::new();
    if let Some(evidence) = new.table(TableName::Evidence.as_str()) {
        for cells in evidence.rows.values() {
            let get = |c: &str| cells.get(c).map_or("", String::as_str);
            quotes.entry(get("record")).or_default().push((
                get("position").parse().unwrap_or(0),
                Quote {
                    source: get("source").to_owned(),
                    quote: get("quote").to_owned(),
                },
            ));
        }
    }
    let evidence_of = |id: &str| -> Vec<Quote> {
        let mut list = quotes.get(id).cloned().unwrap_or_default();
        list.sort_by_key(|(p, _)| *p);
        list.into_iter().map(|(_, q)| q).collect()
    };

    let empty = TableSnapshot {
        name: String::new(),
        columns: Vec::new(),
        rows: BTreeMap::new(),
    };
    let mut names: Vec<&str> = new.tables.iter().map(|t| t.name.as_str()).collect();
    for t in &old.tables {
        if !names.contains(&t.name.as_str()) {
            names.push(&t.name);
        }
    }
    let mut tables = Vec::new();
    for name in names {
        let (o, n) = (old.table(name), new.table(name));
        let mut out = TableDiff {
            table: name.to_owned(),
            table_added: o.is_none(),
            table_removed: n.is_none(),
            columns_added: Vec::new(),
            columns_removed: Vec::new(),
            columns_changed: Vec::new(),
            added: Vec::new(),
            removed: Vec::new(),
            redirected: Vec::new(),
            changed: Vec::new(),
        };
        let (o, n) = (o.unwrap_or(&empty), n.unwrap_or(&empty));
        if !out.table_added && !out.table_removed {
            compare_columns(&o.columns, &n.columns, &mut out);
        }
        let mut targets = BTreeSet::new();
        for (id, cells) in &o.rows {
            if n.rows.contains_key(id) {
                continue;
            }
            let authored = is_authored(name) && name != TableName::Redirects.as_str();
            match follow(&redirects, &where_is, id).filter(|_| authored) {
                Some((to, table, reason)) => {
                    let same = table == Some(name);
                    let fields = match n.rows.get(to) {
                        Some(now) if same => field_changes(cells, now, &n.columns),
                        _ => Vec::new(),
                    };
                    if same && !o.rows.contains_key(to) {
                        targets.insert(to);
                    }
                    out.redirected.push(Redirected {
                        from: id.clone(),
                        to: to.to_owned(),
                        table: table.map(str::to_owned),
                        reason: reason.to_owned(),
                        fields,
                        evidence: evidence_of(to),
                    });
                }
                None => out.removed.push(id.clone()),
            }
        }
        for (id, cells) in &n.rows {
            match o.rows.get(id) {
                None if !targets.contains(id.as_str()) => out.added.push(id.clone()),
                None => {}
                Some(before) => {
                    let fields = field_changes(before, cells, &n.columns);
                    if !fields.is_empty() {
                        out.changed.push(RecordChange {
                            id: id.clone(),
                            fields,
                            evidence: evidence_of(id),
                        });
                    }
                }
            }
        }
        if !out.is_empty() {
            tables.push(out);
        }
    }
    let mut d = Diff {
        old: Side {
            name: old.name.clone(),
            version: old.version.clone(),
        },
        new: Side {
            name: new.name.clone(),
            version: new.version.clone(),
        },
        tables,
        bumps: Vec::new(),
    };
    d.bumps = reasons(&d);
    d
}

fn plural(n: usize, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

/// Every kind of change in `d` with the bump it needs, largest first.
fn reasons(d: &Diff) -> Vec<Reason> {
    let mut out = Vec::new();
    let mut push = |bump, change: String| out.push(Reason { bump, change });
    for t in &d.tables {
        let name = &t.table;
        // Changes to a derived table (the evidence) correct the records they belong to.
        let authored = is_authored(name);
        let redirects = name == TableName::Redirects.as_str();
        if t.table_added {
            push(Bump::Minor, format!("table {name} added"));
        }
        if t.table_removed {
            push(Bump::Major, format!("table {name} removed"));
        }
        if !t.columns_removed.is_empty() {
            push(
                Bump::Major,
                format!(
                    "{name}: column {} removed or renamed",
                    t.columns_removed.join(", ")
                ),
            );
        }
        if !t.columns_added.is_empty() {
            push(
                Bump::Minor,
                format!("{name}: column {} added", t.columns_added.join(", ")),
            );
        }
        for c in &t.columns_changed {
            push(c.bump, format!("{name}.{}: {}", c.column, c.change));
        }
        if t.table_added || t.table_removed {
            continue;
        }
        if !t.added.is_empty() {
            let what = if redirects {
                format!("{name}: {} redirected", plural(t.added.len(), "id"))
            } else {
                format!("{name}: {} added", plural(t.added.len(), "record"))
            };
            push(if authored { Bump::Minor } else { Bump::Patch }, what);
        }
        if !t.removed.is_empty() {
            let what = if redirects {
                format!(
                    "{name}: {} no longer redirected",
                    plural(t.removed.len(), "id")
                )
            } else {
                format!(
                    "{name}: {} removed without a redirect",
                    plural(t.removed.len(), "record")
                )
            };
            push(if authored { Bump::Major } else { Bump::Patch }, what);
        }
        if !t.redirected.is_empty() {
            push(
                Bump::Minor,
                format!("{name}: {} redirected", plural(t.redirected.len(), "id")),
            );
        }
        if !t.changed.is_empty() {
            push(
                Bump::Patch,
                format!("{name}: {} corrected", plural(t.changed.len(), "record")),
            );
        }
    }
    out.sort_by_key(|r| std::cmp::Reverse(r.bump));
    out
}

fn field_lines(s: &mut String, fields: &[FieldChange], evidence: &[Quote]) {
    for f in fields {
        let _ = writeln!(
            s,
            "  - {}: {} → {}",
            code(&f.column),
            code(&f.old),
            code(&f.new)
        );
    }
    if !fields.is_empty() {
        for q in evidence {
            let _ = writeln!(
                s,
                "  - evidence ({}): “{}”",
                text(&q.source),
                text(&q.quote)
            );
        }
    }
}

impl Diff {
    /// Whether the two versions hold the same data.
    pub fn is_empty(&self) -> bool {
        self.tables.is_empty()
    }

    /// The smallest bump these changes need.
    pub fn required(&self) -> Bump {
        self.bumps.first().map_or(Bump::None, |r| r.bump)
    }

    /// The changes for people, as Markdown: per table, columns, then records added,
    /// removed, redirected and corrected (each field old → new, with the record's quotes).
    /// `level` is the heading level of each table (2 for `##`).
    pub fn to_markdown(&self, level: usize) -> String {
        let mut s = String::new();
        let h = "#".repeat(level.max(1));
        if self.tables.is_empty() {
            s.push_str("No changes to the records or columns.\n\n");
            return s;
        }
        let needed = self.required();
        let next = semver::Version::parse(&self.old.version)
            .map(|v| format!(" (after {v}: {} or later)", crate::next_version(&v, needed)))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "Smallest version bump these changes need: {needed}{next}.\n"
        );
        for t in &self.tables {
            let _ = writeln!(s, "{h} {}\n", text(&t.table));
            if t.table_added {
                let _ = writeln!(s, "- New table, {}.", plural(t.added.len(), "row"));
            }
            if t.table_removed {
                let _ = writeln!(s, "- Table removed ({}).", plural(t.removed.len(), "row"));
            }
            if !t.columns_added.is_empty() {
                let cols: Vec<String> = t.columns_added.iter().map(|c| code(c)).collect();
                let _ = writeln!(s, "- Columns added: {}.", cols.join(", "));
            }
            if !t.columns_removed.is_empty() {
                let cols: Vec<String> = t.columns_removed.iter().map(|c| code(c)).collect();
                let _ = writeln!(s, "- Columns removed: {}.", cols.join(", "));
            }
            for c in &t.columns_changed {
                let _ = writeln!(s, "- Column {}: {}.", code(&c.column), c.change);
            }
            if t.table_added || t.table_removed {
                s.push('\n');
                continue;
            }
            if !t.added.is_empty() {
                let _ = writeln!(s, "- Added ({}):", t.added.len());
                for id in &t.added {
                    let _ = writeln!(s, "  - {}", code(id));
                }
            }
            if !t.removed.is_empty() {
                let _ = writeln!(s, "- Removed ({}):", t.removed.len());
                for id in &t.removed {
                    let _ = writeln!(s, "  - {}", code(id));
                }
            }
            if !t.redirected.is_empty() {
                let _ = writeln!(s, "- Redirected ({}):", t.redirected.len());
                for r in &t.redirected {
                    let place = match r.table.as_deref() {
                        Some(table) if table != t.table => format!(" (now in {table})"),
                        _ => String::new(),
                    };
                    let _ = writeln!(
                        s,
                        "  - {} → {}{place}: {}",
                        code(&r.from),
                        code(&r.to),
                        text(&r.reason)
                    );
                    let fields: Vec<FieldChange> = r.fields.clone();
                    let mut sub = String::new();
                    field_lines(&mut sub, &fields, &r.evidence);
                    for line in sub.lines() {
                        let _ = writeln!(s, "  {line}");
                    }
                }
            }
            if !t.changed.is_empty() {
                let _ = writeln!(s, "- Corrected ({}):", t.changed.len());
                for c in &t.changed {
                    let _ = writeln!(s, "  - {}", code(&c.id));
                    let mut sub = String::new();
                    field_lines(&mut sub, &c.fields, &c.evidence);
                    for line in sub.lines() {
                        let _ = writeln!(s, "  {line}");
                    }
                }
            }
            s.push('\n');
        }
        s
    }

    /// The changes as JSON (`changes.json`): `old` and `new` (name, version), `tables` (per
    /// table: `columns_added`, `columns_removed`, `columns_changed`, `added`, `removed`,
    /// `redirected`, `changed` with each field's `old` and `new`), and `bumps`.
    pub fn to_json(&self) -> Result<String, Error> {
        let mut text = serde_json::to_string_pretty(self).map_err(|source| Error::Json {
            file: "changes.json",
            source,
        })?;
        text.push('\n');
        Ok(text)
    }
}

#[cfg(test)]
mod inline_tests {
    use crate::markdown::{code, text};

    /// Text from a dataset or a downloaded release cannot forge a heading in CHANGELOG.md nor
    /// drive the terminal that shows `diff` (the reader tests are in `markdown`).
    #[test]
    fn hostile_text_stays_on_its_line_and_harmless() {
        let forged = "renamed\n## 9.9.9\n\u{1b}[2J\rdone";
        let line = text(forged);
        assert!(!line.contains('\n') && !line.contains('\r'));
        assert!(!line.chars().any(char::is_control), "{line:?}");
        assert_eq!(line, "renamed \\#\\# 9.9.9 \\\\u{1b}\\[2J done");
        let c = code("a`b\nc\u{7}");
        assert_eq!(c, "``a`b c\\u{7}``");
        // Ordinary text is unchanged.
        assert_eq!(
            text("Japan and Kazakhstan — 1992"),
            "Japan and Kazakhstan — 1992"
        );
    }
}
