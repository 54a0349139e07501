//! The release's SQLite database, `<name>.sqlite`, and its Datasette `metadata.json`.
//!
//! The database holds every table of the release, written from the same rows as its CSV and
//! Parquet files ([`tree`](crate::tree) feeds [`Database`] the same batches). Its schema is
//! derived from each table's columns ([`Column`]) and nothing else, so a new column or table,
//! or a renamed one, needs no change here:
//!
//! - **Types.** Text, ids, codes, vocabularies and partial dates as written are `TEXT`; whole
//!   numbers `INTEGER`; the calendar days `<x>_min` and `<x>_max` are declared `DATE` and hold
//!   ISO 8601 text (`1998-02-26`), which SQLite keeps as text, Python's `sqlite3` reads as
//!   dates where asked to (`detect_types=PARSE_DECLTYPES`) and pandas where told to
//!   (`read_sql(..., parse_dates=[...])`); lists are
//!   JSON arrays of strings in a `TEXT` column (`json_each` reads them; `[]` for none). A
//!   column that may be empty is `NULL` there; every other is `NOT NULL`, and a vocabulary
//!   column has a `CHECK` listing its values.
//! - **Keys.** Each table's first column (its key, as in the data package) is its `PRIMARY
//!   KEY`, and each row keeps the table's order by key as its `rowid`. Every foreign key of a
//!   column is a `FOREIGN KEY` constraint; every column that holds a reference (a foreign key,
//!   or any id, such as `evidence.record`) has an index `idx_<table>_<column>`.
//! - **Views.** `<table>_named` is the table with, beside each column that refers to a table
//!   with a `name` (or `title`) column, that name: `guest_country_name` beside
//!   `guest_country`; for a list of references, a JSON array of names in the same order.
//! - **Full-text search.** `<table>_fts` is an FTS5 table over the table's prose columns
//!   ([`SEARCHED`]: summaries, quotes, names, titles, reasons, notes), with the table itself as
//!   its external content (`content="<table>"`), so its `rowid` is the table's and Datasette
//!   finds it.
//!
//! The file is the same bytes for the same rows: it is written into a new file with a fixed
//! page size, no journal, one transaction, tables and rows in release order, then indexes and
//! search in the same order. It holds no free pages: each search index is built in memory
//! (up to [`FTS_HASH_BYTES`]) and written once as one segment; a larger one is left in the
//! few segments it was written in (merging them into one would free pages, which only
//! rebuilding the whole file gives back: at a million records, a fifth of the release's
//! time), and where FTS5 merged many itself, leaving pages free, the file is rebuilt by
//! `VACUUM`.

use std::fmt::Write as _;
use std::fs::File;
use std::path::{Path, PathBuf};

use diplomacy_model::table::{Cell, Column, ColumnType, Refers, RowWriter};
use diplomacy_model::{DatasetMeta, TableName, Vocabulary};
use rusqlite::types::{ToSql, ToSqlOutput, ValueRef};
use rusqlite::{Connection, OpenFlags, Statement};
use serde_json::{Map, Value, json};

use crate::error::Error;
use crate::tree::TableInfo;

/// The media type of a SQLite database file.
pub(crate) const MEDIA_TYPE: &str = "application/vnd.sqlite3";

/// The prose columns a table's full-text search covers, where the table has them.
pub(crate) const SEARCHED: &[&str] = &[
    "name",
    "other_names",
    "title",
    "summary",
    "quote",
    "reason",
    "notes",
];

/// The columns a referred-to table is named by, in the order they are looked for: the label
/// Datasette itself would show.
const LABELS: &[&str] = &["name", "title"];

/// The database's file in a release: `<name>.sqlite`.
pub(crate) fn file_name(meta: &DatasetMeta) -> String {
    format!("{}.sqlite", meta.name)
}

/// Whether `path` (relative to the release) is the release's database.
pub(crate) fn is_database(path: &str) -> bool {
    !path.contains('/') && path.ends_with(".sqlite")
}

/// One table as the SQL schema sees it: its name and columns.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SqlTable {
    /// The table's name.
    pub(crate) name: &'static str,
    /// Its columns, in order; the first is its key.
    pub(crate) columns: &'static [Column],
}

impl SqlTable {
    /// The table's key: its first column.
    fn key(&self) -> &'static Column {
        &self.columns[0]
    }

    /// The column the table's rows are named by, where it has one.
    fn label(&self) -> Option<&'static str> {
        LABELS
            .iter()
            .copied()
            .find(|l| self.columns.iter().any(|c| c.name == *l))
    }

    /// The columns its full-text search covers: its prose columns ([`SEARCHED`]), if any.
    fn searched(&self) -> Vec<&'static Column> {
        self.columns
            .iter()
            .filter(|c| matches!(c.ty, ColumnType::Text | ColumnType::List))
            .filter(|c| SEARCHED.contains(&c.name.as_ref()))
            .collect()
    }

    /// Its full-text search table, where it has one.
    fn fts(&self) -> Option<String> {
        (!self.searched().is_empty()).then(|| format!("{}_fts", self.name))
    }

    /// The columns that get an index: every column but the key that refers to a table or
    /// holds an id.
    fn indexed(&self) -> impl Iterator<Item = &'static Column> {
        self.columns[1..]
            .iter()
            .filter(|c| c.references.is_some() || c.ty == ColumnType::Id)
    }
}

/// One column of a `<table>_named` view.
enum ViewColumn {
    /// A column of the table, as it is.
    Own(&'static Column),
    /// The label of the row (or, for a list, of each row) that `of` refers to.
    Label {
        /// The column that refers.
        of: &'static Column,
        /// The table referred to.
        target: SqlTable,
        /// Its key column.
        key: &'static str,
        /// Its label column.
        label: &'static str,
        /// The view's name for it: `<of>_<label>`, `<of>_<label>s` for a list.
        name: String,
    },
}

/// The `<table>_named` view of a table: its columns with a name beside each reference.
struct View {
    name: String,
    columns: Vec<ViewColumn>,
}

/// Every table of the database, for what is derived across tables (views, metadata).
struct Schema<'a> {
    tables: &'a [SqlTable],
}

impl Schema<'_> {
    fn table(&self, name: &str) -> Option<SqlTable> {
        self.tables.iter().copied().find(|t| t.name == name)
    }

    /// The `<table>_named` view of `t`, where some column of it refers to a table with a
    /// label.
    fn view(&self, t: &SqlTable) -> Option<View> {
        let mut columns = Vec::new();
        let mut labels = 0;
        for c in t.columns {
            columns.push(ViewColumn::Own(c));
            // A foreign key names the table and key; a list of references, the table.
            let (target, key) = match (c.references, c.refers) {
                (Some(fk), _) => (self.table(fk.table.as_str()), Some(fk.column)),
                (None, Some(Refers::Table(table))) if c.ty == ColumnType::List => {
                    let target = self.table(table.as_str());
                    (target, target.map(|t| t.key().name.as_ref()))
                }
                _ => continue,
            };
            let (Some(target), Some(key)) = (target, key) else {
                continue;
            };
            let Some(label) = target.label() else {
                continue;
            };
            let plural = if c.ty == ColumnType::List { "s" } else { "" };
            let name = format!("{}_{label}{plural}", c.name);
            if t.columns.iter().any(|other| other.name == name) {
                continue;
            }
            columns.push(ViewColumn::Label {
                of: c,
                target,
                key,
                label,
                name,
            });
            labels += 1;
        }
        (labels > 0).then(|| View {
            name: format!("{}_named", t.name),
            columns,
        })
    }
}

/// An SQL identifier, quoted.
fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// An SQL string literal.
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// The declared SQL type of a column.
fn sql_type(c: &Column) -> &'static str {
    match c.ty {
        ColumnType::Integer => "INTEGER",
        ColumnType::Date => "DATE",
        _ => "TEXT",
    }
}

/// What a column's values are in the database, said after its description where the
/// release's other files say it otherwise.
fn sql_note(c: &Column) -> &'static str {
    match c.ty {
        ColumnType::List => " A list: a JSON array of strings (read it with json_each).",
        ColumnType::Date => " An ISO 8601 day, YYYY-MM-DD, as text.",
        _ => "",
    }
}

/// A column's `CHECK` constraint: a vocabulary's values.
fn check(c: &Column) -> Option<String> {
    let ColumnType::Vocabulary(values) = c.ty else {
        return None;
    };
    let values: Vec<String> = values.iter().map(|v| literal(v)).collect();
    Some(format!("{} IN ({})", ident(&c.name), values.join(", ")))
}

/// Every row of the database's tables that breaks a `CHECK` constraint, as `table row
/// <rowid>`: the rows are inserted with the constraints off (an `IN` list is built anew for
/// every row it checks, a fifth of the database's time), and checked here in one pass over
/// each table.
fn check_constraints(conn: &Connection, tables: &[SqlTable]) -> rusqlite::Result<Vec<String>> {
    let mut broken = Vec::new();
    for t in tables {
        let checks: Vec<String> = t.columns.iter().filter_map(check).collect();
        if checks.is_empty() {
            continue;
        }
        let sql = format!(
            "SELECT rowid FROM {} WHERE NOT ({}) LIMIT 10",
            ident(t.name),
            checks.join(" AND ")
        );
        let mut query = conn.prepare(&sql)?;
        let rows = query.query_map([], |row| row.get::<_, i64>(0))?;
        for rowid in rows {
            broken.push(format!("{} row {}", t.name, rowid?));
        }
    }
    Ok(broken)
}

/// `CREATE TABLE` for a table.
fn create_table(t: &SqlTable) -> String {
    let mut lines: Vec<String> = Vec::new();
    for (i, c) in t.columns.iter().enumerate() {
        let mut line = format!("  {} {}", ident(&c.name), sql_type(c));
        if !c.nullable || c.ty == ColumnType::List {
            line.push_str(" NOT NULL");
        }
        if i == 0 {
            line.push_str(" PRIMARY KEY");
        }
        if let Some(check) = check(c) {
            let _ = write!(line, " CHECK ({check})");
        }
        lines.push(line);
    }
    for c in t.columns {
        if let Some(fk) = c.references {
            lines.push(format!(
                "  FOREIGN KEY ({}) REFERENCES {} ({})",
                ident(&c.name),
                ident(fk.table.as_str()),
                ident(fk.column)
            ));
        }
    }
    format!(
        "CREATE TABLE {} (\n{}\n);\n",
        ident(t.name),
        lines.join(",\n")
    )
}

/// `CREATE INDEX` for every column of a table that refers to another.
fn create_indexes(t: &SqlTable) -> String {
    t.indexed()
        .map(|c| {
            format!(
                "CREATE INDEX {} ON {} ({});\n",
                ident(&format!("idx_{}_{}", t.name, c.name)),
                ident(t.name),
                ident(&c.name)
            )
        })
        .collect()
}

/// `CREATE VIEW` for a table's `<table>_named` view.
fn create_view(t: &SqlTable, view: &View) -> String {
    let columns: Vec<String> = view
        .columns
        .iter()
        .map(|vc| match vc {
            ViewColumn::Own(c) => format!("  t.{}", ident(&c.name)),
            ViewColumn::Label {
                of,
                target,
                key,
                label,
                name,
            } if of.ty == ColumnType::List => format!(
                "  (SELECT json_group_array(l) FROM (SELECT r.{label} AS l FROM json_each(t.{of}) AS j LEFT JOIN {target} AS r ON r.{key} = j.value ORDER BY j.key)) AS {name}",
                label = ident(label),
                of = ident(&of.name),
                target = ident(target.name),
                key = ident(key),
                name = ident(name),
            ),
            ViewColumn::Label {
                of,
                target,
                key,
                label,
                name,
            } => format!(
                "  (SELECT r.{label} FROM {target} AS r WHERE r.{key} = t.{of}) AS {name}",
                label = ident(label),
                of = ident(&of.name),
                target = ident(target.name),
                key = ident(key),
                name = ident(name),
            ),
        })
        .collect();
    format!(
        "CREATE VIEW {} AS SELECT\n{}\nFROM {} AS t;\n",
        ident(&view.name),
        columns.join(",\n"),
        ident(t.name)
    )
}

/// The database's part of [`crate::Timings`].
pub(crate) const PART: &str = "sqlite";

/// How much of a search index FTS5 holds in memory before it writes a segment to the file
/// (its `hashsize`; SQLite's default is 1 MiB): enough for every table's index at 100,000
/// records to be written once, in one segment, leaving no page to free.
pub(crate) const FTS_HASH_BYTES: usize = 64 << 20;

/// `CREATE VIRTUAL TABLE` for a table's full-text search, and the statements that fill it
/// from the table. Its index is not merged into one segment afterwards (FTS5's `optimize`):
/// one that fits [`FTS_HASH_BYTES`] is one already, and a search finds the same rows in
/// several.
fn create_fts(t: &SqlTable, hash_bytes: usize) -> Option<String> {
    let fts = t.fts()?;
    let columns: Vec<String> = t.searched().iter().map(|c| ident(&c.name)).collect();
    Some(format!(
        "CREATE VIRTUAL TABLE {fts_q} USING fts5({}, content={}, tokenize='porter unicode61 remove_diacritics 2');\n\
         INSERT INTO {fts_q} ({fts_q}, rank) VALUES ('hashsize', {hash_bytes});\n\
         INSERT INTO {fts_q} ({fts_q}) VALUES ('rebuild');\n",
        columns.join(", "),
        ident(t.name),
        fts_q = ident(&fts),
    ))
}

/// A cell as an SQL value: lists as JSON arrays, days as ISO 8601 text.
struct SqlCell<'c, 'a>(&'c Cell<'a>);

impl ToSql for SqlCell<'_, '_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self.0 {
            Cell::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Cell::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Cell::Int(n) => ToSqlOutput::Borrowed(ValueRef::Integer(*n)),
            Cell::Date(d) => ToSqlOutput::from(d.format("%Y-%m-%d").to_string()),
            Cell::List(items) => ToSqlOutput::from(
                serde_json::to_string(items)
                    .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?,
            ),
            other => {
                return Err(rusqlite::Error::ToSqlConversionFailure(
                    format!("a cell the database cannot hold: {other:?}").into(),
                ));
            }
        })
    }
}

/// The release's SQLite database being written: one table at a time, then
/// [`Database::finish`].
pub(crate) struct Database {
    conn: Connection,
    path: PathBuf,
    tables: Vec<SqlTable>,
    /// Each search index's memory before it writes a segment: [`FTS_HASH_BYTES`].
    fts_hash_bytes: usize,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl Database {
    /// Creates the database at `path`, which must not exist, and begins its one transaction.
    pub(crate) fn create(path: &Path) -> Result<Self, Error> {
        if path.exists() {
            return Err(Error::Io {
                op: "create",
                path: path.to_path_buf(),
                source: std::io::ErrorKind::AlreadyExists.into(),
            });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(db_error(path))?;
        // A fixed page size and text encoding, no journal (the file is new, in a directory
        // that is thrown away if the release fails), and no foreign keys enforced while the
        // tables are filled in release order (a table may refer to one written after it):
        // they are checked once, at the end. So are the CHECK constraints, which SQLite
        // would test with an `IN` list built anew for every row.
        conn.execute_batch(
            "PRAGMA page_size = 4096;
             PRAGMA encoding = 'UTF-8';
             PRAGMA journal_mode = OFF;
             PRAGMA synchronous = OFF;
             PRAGMA locking_mode = EXCLUSIVE;
             PRAGMA foreign_keys = OFF;
             PRAGMA ignore_check_constraints = ON;
             BEGIN;",
        )
        .map_err(db_error(path))?;
        Ok(Self {
            conn,
            path: path.to_path_buf(),
            tables: Vec::new(),
            fts_hash_bytes: FTS_HASH_BYTES,
        })
    }

    /// Creates table `table` with `columns` and returns what takes its rows.
    pub(crate) fn table(
        &mut self,
        table: TableName,
        columns: &'static [Column],
    ) -> Result<TableSink<'_>, Error> {
        let t = SqlTable {
            name: table.as_str(),
            columns,
        };
        self.conn
            .execute_batch(&create_table(&t))
            .map_err(db_error(&self.path))?;
        self.tables.push(t);
        let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
        let insert = format!(
            "INSERT INTO {} VALUES ({})",
            ident(t.name),
            placeholders.join(", ")
        );
        let statement = self.conn.prepare(&insert).map_err(db_error(&self.path))?;
        Ok(TableSink {
            statement,
            path: &self.path,
        })
    }

    /// Creates the table of `records` and inserts their rows.
    pub(crate) fn insert<T: diplomacy_model::Table>(&mut self, records: &[T]) -> Result<(), Error> {
        let mut sink = self.table(T::NAME, T::columns())?;
        let mut row = RowWriter::default();
        for record in records {
            row.clear();
            record.write_row(&mut row);
            sink.row(row.cells())?;
        }
        Ok(())
    }

    /// What stops a statement of this database's from another thread.
    pub(crate) fn interrupt_handle(&self) -> rusqlite::InterruptHandle {
        self.conn.get_interrupt_handle()
    }

    /// Adds the indexes, views and full-text search, commits, checks every foreign key,
    /// compacts the file where the work left pages free, and flushes it to disk; `check` is
    /// called between these steps, and its error ends the work there. Returns whether the
    /// file was compacted.
    pub(crate) fn finish(self, check: &dyn Fn() -> Result<(), Error>) -> Result<bool, Error> {
        let Self {
            conn,
            path,
            tables,
            fts_hash_bytes,
        } = self;
        let schema = Schema { tables: &tables };
        let mut sql = String::new();
        for t in &tables {
            sql.push_str(&create_indexes(t));
        }
        for t in &tables {
            if let Some(view) = schema.view(t) {
                sql.push_str(&create_view(t, &view));
            }
        }
        for t in &tables {
            if let Some(fts) = create_fts(t, fts_hash_bytes) {
                sql.push_str(&fts);
            }
        }
        sql.push_str("COMMIT;\n");
        conn.execute_batch(&sql).map_err(db_error(&path))?;
        check()?;
        let broken = check_constraints(&conn, &tables).map_err(db_error(&path))?;
        refuse_rows(&path, &broken, "break a CHECK constraint")?;
        conn.execute_batch("PRAGMA ignore_check_constraints = OFF;")
            .map_err(db_error(&path))?;
        let dangling = foreign_key_check(&conn).map_err(db_error(&path))?;
        refuse_rows(&path, &dangling, "refer to a row that is not there")?;
        check()?;
        // Pages the work freed (a search index's segments merged) are given back by
        // rebuilding the file; a file without any, the usual case, is left as written.
        let free: i64 = conn
            .query_row("PRAGMA freelist_count", [], |r| r.get(0))
            .map_err(db_error(&path))?;
        let compact = free > 0;
        if compact {
            conn.execute_batch("VACUUM;").map_err(db_error(&path))?;
        }
        conn.close().map_err(|(_, e)| db_error(&path)(e))?;
        File::open(&path)
            .and_then(|f| f.sync_all())
            .map_err(|source| Error::Io {
                op: "write",
                path: path.clone(),
                source,
            })?;
        Ok(compact)
    }
}

/// Refuses the database where a check found rows (`rows`, each named as `table row
/// <rowid>`) that `what` says of: how many, and the first.
fn refuse_rows(path: &Path, rows: &[String], what: &str) -> Result<(), Error> {
    match rows.first() {
        None => Ok(()),
        Some(first) => Err(Error::Database {
            path: path.to_path_buf(),
            source: format!("{} row(s) {what}, the first: {first}", rows.len()).into(),
        }),
    }
}

/// Every row whose foreign key refers to no row, as `table row <rowid> -> parent`.
fn foreign_key_check(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut check = conn.prepare("PRAGMA foreign_key_check")?;
    let rows = check.query_map([], |row| {
        Ok(format!(
            "{} row {} -> {}",
            row.get::<_, String>(0)?,
            row.get::<_, Option<i64>>(1)?.unwrap_or_default(),
            row.get::<_, String>(2)?
        ))
    })?;
    rows.collect()
}

/// Takes one table's rows.
pub(crate) struct TableSink<'d> {
    statement: Statement<'d>,
    path: &'d Path,
}

impl TableSink<'_> {
    /// Inserts one row: cells in column order.
    pub(crate) fn row(&mut self, cells: &[Cell<'_>]) -> Result<(), Error> {
        self.statement
            .execute(rusqlite::params_from_iter(cells.iter().map(SqlCell)))
            .map(drop)
            .map_err(db_error(self.path))
    }
}

/// Attaches the database's path to an SQLite error.
fn db_error(path: &Path) -> impl Fn(rusqlite::Error) -> Error + '_ {
    move |e| Error::Database {
        path: path.to_path_buf(),
        source: Box::new(e),
    }
}

/// The text of `metadata.json`: what Datasette shows of the database (title, description,
/// licence, source), every table and view with its description and its columns', and each
/// table's full-text search.
pub(crate) fn datasette_metadata(
    meta: &DatasetMeta,
    tables: &[TableInfo],
) -> Result<String, Error> {
    let sql_tables: Vec<SqlTable> = tables
        .iter()
        .map(|t| SqlTable {
            name: t.name,
            columns: t.columns,
        })
        .collect();
    let schema = Schema {
        tables: &sql_tables,
    };
    let mut described = Map::new();
    for (t, info) in sql_tables.iter().zip(tables) {
        let columns: Map<String, Value> = t
            .columns
            .iter()
            .map(|c| (c.name.to_string(), json!(column_description(c))))
            .collect();
        let mut entry = json!({
            "description": format!("{} {} rows.", info.table.description(), info.rows),
            "columns": columns,
        });
        if let Some(label) = t.label() {
            entry["label_column"] = json!(label);
        }
        if let Some(fts) = t.fts() {
            entry["fts_table"] = json!(fts);
            entry["fts_pk"] = json!("rowid");
        }
        described.insert(t.name.to_owned(), entry);
        if let Some(view) = schema.view(t) {
            let columns: Map<String, Value> = view
                .columns
                .iter()
                .map(|vc| match vc {
                    ViewColumn::Own(c) => (c.name.to_string(), json!(column_description(c))),
                    ViewColumn::Label {
                        of,
                        target,
                        label,
                        name,
                        ..
                    } => {
                        let text = if of.ty == ColumnType::List {
                            format!(
                                "The {label} of each {} row that {} lists, in the same order: a JSON array.",
                                target.name, of.name
                            )
                        } else {
                            format!(
                                "The {label} of the {} row that {} refers to.",
                                target.name, of.name
                            )
                        };
                        (name.clone(), json!(text))
                    }
                })
                .collect();
            described.insert(
                view.name.clone(),
                json!({
                    "description": format!("The {} table with names beside the codes and ids it refers to.", t.name),
                    "columns": columns,
                }),
            );
        }
    }
    let mut database = json!({
        "description": format!(
            "Every table of {} {}, with its keys, foreign keys and indexes; <table>_named views put names beside codes; <table>_fts tables search summaries, quotes, names and notes. Lists are JSON arrays of strings.",
            meta.name, meta.version
        ),
        "tables": described,
    });
    if let Some(url) = &meta.homepage {
        database["source_url"] = json!(url);
    }
    let mut v = json!({
        "title": meta.title,
        "description": meta.description,
        "license": meta.license,
        "source": format!("{}, version {}", meta.title, meta.version),
        "databases": { meta.name.as_str(): database },
    });
    if let Some(url) = crate::croissant::license_url(&meta.license) {
        v["license_url"] = json!(url);
    }
    if let Some(url) = &meta.homepage {
        v["source_url"] = json!(url);
    }
    let mut text = serde_json::to_string_pretty(&v).map_err(|source| Error::Json {
        file: "metadata.json",
        source,
    })?;
    text.push('\n');
    Ok(text)
}

/// A column's description in the database: its meaning, what a list or a day is there, and
/// the values of a vocabulary.
fn column_description(c: &Column) -> String {
    let mut text = format!("{}{}", c.description, sql_note(c));
    if let ColumnType::Vocabulary(values) = c.ty {
        let _ = write!(text, " One of: {}.", values.join(", "));
    }
    text
}

/// A view of the database: the table it shows, its name, and the names it adds.
#[derive(Debug)]
pub(crate) struct ViewInfo {
    /// The table.
    pub(crate) table: &'static str,
    /// The view: `<table>_named`.
    pub(crate) name: String,
    /// The columns it adds: `guest_country_name`.
    pub(crate) labels: Vec<String>,
}

/// A full-text search table of the database.
#[derive(Debug)]
pub(crate) struct SearchInfo {
    /// The table searched.
    pub(crate) table: &'static str,
    /// The search table: `<table>_fts`.
    pub(crate) name: String,
    /// The columns searched.
    pub(crate) columns: Vec<&'static str>,
}

/// The views and full-text search tables of the database of `tables`, in release order: for
/// the data card.
pub(crate) fn layout(tables: &[TableInfo]) -> (Vec<ViewInfo>, Vec<SearchInfo>) {
    let sql_tables: Vec<SqlTable> = tables
        .iter()
        .map(|t| SqlTable {
            name: t.name,
            columns: t.columns,
        })
        .collect();
    let schema = Schema {
        tables: &sql_tables,
    };
    let views = sql_tables
        .iter()
        .filter_map(|t| {
            let view = schema.view(t)?;
            let labels = view
                .columns
                .into_iter()
                .filter_map(|c| match c {
                    ViewColumn::Label { name, .. } => Some(name),
                    ViewColumn::Own(_) => None,
                })
                .collect();
            Some(ViewInfo {
                table: t.name,
                name: view.name,
                labels,
            })
        })
        .collect();
    let searches = sql_tables
        .iter()
        .filter_map(|t| {
            Some(SearchInfo {
                table: t.name,
                name: t.fts()?,
                columns: t.searched().iter().map(|c| c.name.as_ref()).collect(),
            })
        })
        .collect();
    (views, searches)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::borrow::Cow;

    use diplomacy_model::{SentenceStatus, SourceSentence, Table};

    use super::*;

    /// A `source_sentences` row, with its `status` cell replaced by `status`.
    fn sentence_row(status: &'static str) -> Vec<Cell<'static>> {
        let sentence = SourceSentence {
            id: "s/1".to_owned(),
            source: "s".parse().unwrap(),
            sentence: 1,
            start: 0,
            end: 4,
            status: SentenceStatus::Cited,
            reason: None,
            records: Vec::new(),
        };
        let mut row = diplomacy_model::table::RowWriter::default();
        sentence.write_row(&mut row);
        let at = SourceSentence::columns()
            .iter()
            .position(|c| c.name == "status")
            .unwrap();
        let mut cells: Vec<Cell<'static>> = row
            .cells()
            .iter()
            .map(|c| match c {
                Cell::Text(t) => Cell::Text(Cow::Owned(t.to_string())),
                Cell::Int(i) => Cell::Int(*i),
                Cell::List(items) => {
                    Cell::List(items.iter().map(|s| Cow::Owned(s.to_string())).collect())
                }
                _ => Cell::Null,
            })
            .collect();
        cells[at] = Cell::Text(Cow::Borrowed(status));
        cells
    }

    /// The rows go in with the CHECK constraints off; a value outside its vocabulary still
    /// stops the database, at the end.
    #[test]
    fn a_value_outside_its_vocabulary_is_refused_at_the_end() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("t.sqlite");
        let mut db = Database::create(&path).unwrap();
        let mut sink = db
            .table(TableName::SourceSentences, SourceSentence::columns())
            .unwrap();
        sink.row(&sentence_row("not-a-status")).unwrap();
        drop(sink);
        let err = db.finish(&|| Ok(())).unwrap_err().to_string();
        assert!(err.contains("break a CHECK constraint"), "{err}");
        assert!(err.contains("source_sentences row 1"), "{err}");
    }

    /// A search index too large for its memory is written in segments that FTS5 merges,
    /// freeing pages: the file is then compacted, and holds none free, with every row found.
    #[test]
    fn a_search_index_written_in_segments_leaves_no_free_page() {
        let sources: Vec<diplomacy_model::Source> = (1..=3000)
            .map(|i| diplomacy_model::Source {
                id: format!("s{i}").parse().unwrap(),
                title: format!("Navigation page {i}"),
                publisher: "A ministry".to_owned(),
                published: "2020".parse().unwrap(),
                url: None,
                file: format!("sources/s{i}.txt"),
                sha256: "0".repeat(64),
                rights: "public domain".to_owned(),
                language: None,
                notes: None,
                kind: None,
                archived: None,
                segment: diplomacy_model::Segmentation::default(),
                excused: Vec::new(),
            })
            .collect();
        let tmp = tempfile::tempdir().unwrap();
        let write = |name: &str, hash: usize| {
            let path = tmp.path().join(name);
            let mut db = Database::create(&path).unwrap();
            db.fts_hash_bytes = hash;
            db.insert(&sources).unwrap();
            let compacted = db.finish(&|| Ok(())).unwrap();
            (path, compacted)
        };
        let (small, compacted) = write("small.sqlite", 1);
        assert!(compacted, "a segment per row, merged: pages were freed");
        let (large, compacted) = write("large.sqlite", FTS_HASH_BYTES);
        assert!(!compacted, "one segment: nothing to give back");
        for path in [small, large] {
            let conn = Connection::open(&path).unwrap();
            let free: i64 = conn
                .query_row("PRAGMA freelist_count", [], |r| r.get(0))
                .unwrap();
            assert_eq!(free, 0, "{}", path.display());
            let found: i64 = conn
                .query_row(
                    "SELECT count(*) FROM sources_fts WHERE sources_fts MATCH 'navigation'",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(found, 3000, "{}", path.display());
            conn.execute(
                "INSERT INTO sources_fts (sources_fts, rank) VALUES ('integrity-check', 1)",
                [],
            )
            .unwrap();
        }
    }

    /// A check that fails between the steps of finishing ends the work there, with its error.
    #[test]
    fn finishing_stops_where_its_check_fails() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("t.sqlite");
        let mut db = Database::create(&path).unwrap();
        let calls = std::cell::Cell::new(0);
        db.insert::<SourceSentence>(&[]).unwrap();
        let err = db
            .finish(&|| {
                calls.set(calls.get() + 1);
                Err(Error::Cancelled)
            })
            .unwrap_err();
        assert!(matches!(err, Error::Cancelled), "{err}");
        assert_eq!(calls.get(), 1, "the first check ends it");
    }

    /// The schema keeps the constraint, for every later writer of the file.
    #[test]
    fn the_schema_keeps_the_check_constraints() {
        let t = SqlTable {
            name: "source_sentences",
            columns: SourceSentence::columns(),
        };
        let sql = create_table(&t);
        assert!(
            sql.contains(
                r#""status" TEXT NOT NULL CHECK ("status" IN ('cited', 'excused', 'unaccounted'))"#
            ),
            "{sql}"
        );
    }
}
