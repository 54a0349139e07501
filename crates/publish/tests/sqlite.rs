//! The release's SQLite database and its Datasette `metadata.json`: every table read back
//! cell by cell, the same bytes twice, keys that hold, views with names, search that finds a
//! quote.

// Test helpers may unwrap: a panic there is a failed assertion with a backtrace.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::{Path, PathBuf};

use diplomacy_model::table::{Cell, RowWriter};
use diplomacy_model::{Dataset, EvidenceRow, Table, TableName, TableVisitor};
use diplomacy_publish::{ReleaseOptions, release};
use diplomacy_validate::{ValidDataset, validate_dir};
use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags};

fn curated() -> ValidDataset {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../datasets/japan-eurasia-diplomacy");
    let report = validate_dir(&dir);
    assert!(report.is_valid(), "{:?}", report.diagnostics);
    report.into_valid().unwrap()
}

/// A release of the curated dataset in a temporary directory, and its database's path.
fn released() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let valid = curated();
    let file = format!("{}.sqlite", valid.meta.name);
    let tmp = tempfile::tempdir().unwrap();
    let dir = release(valid, &ReleaseOptions::new(tmp.path())).unwrap();
    let db = dir.join(file);
    (tmp, dir, db)
}

fn open(path: &Path) -> Connection {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

/// What a cell is in the database: lists as JSON arrays, days as ISO text.
fn expected(cell: &Cell<'_>) -> Value {
    match cell {
        Cell::Null => Value::Null,
        Cell::Text(s) => Value::Text(s.to_string()),
        Cell::Int(n) => Value::Integer(*n),
        Cell::Date(d) => Value::Text(d.format("%Y-%m-%d").to_string()),
        Cell::List(items) => Value::Text(serde_json::to_string(items).unwrap()),
        other => panic!("a cell of an unknown kind: {other:?}"),
    }
}

/// Compares every row of table `T` in the database with `records`, cell by cell, in order.
fn compare<T: Table>(conn: &Connection, records: &[T]) {
    let table = T::NAME.as_str();
    let columns = T::columns();
    let mut statement = conn
        .prepare(&format!("SELECT * FROM \"{table}\" ORDER BY rowid"))
        .unwrap();
    let names: Vec<&str> = statement.column_names().collect();
    let want: Vec<&str> = columns.iter().map(|c| c.name.as_ref()).collect();
    assert_eq!(names, want, "{table}: columns");
    let rows: Vec<Vec<Value>> = statement
        .query_map([], |row| (0..columns.len()).map(|i| row.get(i)).collect())
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len(), records.len(), "{table}: rows");
    for (record, row) in records.iter().zip(&rows) {
        let mut cells = RowWriter::default();
        record.write_row(&mut cells);
        for ((cell, value), column) in cells.cells().iter().zip(row).zip(columns) {
            assert_eq!(
                value,
                &expected(cell),
                "{table}.{} of {}",
                column.name,
                record.id()
            );
        }
    }
}

/// Compares every table but evidence.
struct Compare<'c>(&'c Connection, Vec<TableName>);

impl TableVisitor for Compare<'_> {
    type Error = std::convert::Infallible;

    fn wants(&self, table: TableName) -> bool {
        table != TableName::Evidence
    }

    fn visit<T: Table + Sync>(&mut self, records: &[T]) -> Result<(), Self::Error> {
        compare(self.0, records);
        self.1.push(T::NAME);
        Ok(())
    }
}

#[test]
fn every_table_reads_back_cell_by_cell() {
    let (_tmp, dir, db) = released();
    let conn = open(&db);
    // What the release holds, as its CSV files say (redirects with their `since`, anchors).
    let data = Dataset::read_csv_dir(dir.join("csv")).unwrap();
    let mut seen = Compare(&conn, Vec::new());
    let Ok(()) = data.visit_tables(&mut seen);
    let csv = fs::read(dir.join("csv/evidence.csv")).unwrap();
    let evidence: Vec<EvidenceRow> =
        diplomacy_model::csv::read_csv(csv.as_slice(), "evidence.csv").unwrap();
    assert!(evidence.len() > 100);
    compare(&conn, &evidence);
    seen.1.push(TableName::Evidence);
    // The sentence ledger, which the release builds from the source texts.
    let csv = fs::read(dir.join("csv/source_sentences.csv")).unwrap();
    let sentences: Vec<diplomacy_model::SourceSentence> =
        diplomacy_model::csv::read_csv(csv.as_slice(), "source_sentences.csv").unwrap();
    assert!(sentences.len() > 80);
    compare(&conn, &sentences);
    seen.1.push(TableName::SourceSentences);

    // Every table of the release is there, and no other but views and search.
    let mut tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%_fts%' AND name NOT LIKE 'sqlite_%' ORDER BY rootpage")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables.sort();
    let mut want: Vec<String> = seen.1.iter().map(|t| t.as_str().to_owned()).collect();
    want.sort();
    assert_eq!(tables, want);
    assert_eq!(want.len(), fs::read_dir(dir.join("csv")).unwrap().count());

    // A few values by hand: the first visit, and the number of countries.
    let first = &data.visits[0];
    let (date, guest): (String, String) = conn
        .query_row(
            "SELECT date, guest_country FROM visits WHERE id = ?1",
            [first.id.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(date, first.date.to_string());
    assert_eq!(guest, first.guest_country.as_str());
    let countries: i64 = conn
        .query_row("SELECT count(*) FROM countries", [], |r| r.get(0))
        .unwrap();
    assert_eq!(countries, i64::try_from(data.countries.len()).unwrap());
}

#[test]
fn the_database_is_the_same_bytes_every_time() {
    let (_a, _, first) = released();
    let (_b, _, second) = released();
    let (a, b) = (fs::read(&first).unwrap(), fs::read(&second).unwrap());
    assert!(
        a == b,
        "two releases of the same dataset wrote different databases"
    );
    // SQLite's header: page size 4096, and a rollback-journal file (not WAL).
    assert_eq!(&a[..16], b"SQLite format 3\0");
    assert_eq!(u16::from_be_bytes([a[16], a[17]]), 4096);
    assert_eq!((a[18], a[19]), (1, 1));
    // No free pages: none were left, or the file was compacted.
    assert_eq!(&a[36..40], &[0, 0, 0, 0]);
    assert_eq!(a.len() % 4096, 0);
}

#[test]
fn keys_hold_and_every_foreign_key_is_declared_and_indexed() {
    let (_tmp, _dir, db) = released();
    let conn = open(&db);
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    let dangling: Vec<String> = conn
        .prepare("PRAGMA foreign_key_check")
        .unwrap()
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(dangling.is_empty(), "{dangling:?}");

    let mut declared = 0;
    struct Keys<'c>(&'c Connection, &'c mut usize);
    impl TableVisitor for Keys<'_> {
        type Error = std::convert::Infallible;
        fn visit<T: Table + Sync>(&mut self, _: &[T]) -> Result<(), Self::Error> {
            let table = T::NAME.as_str();
            let conn = self.0;
            // The key is the primary key.
            let pk: Vec<String> = conn
                .prepare(&format!(
                    "SELECT name FROM pragma_table_info('{table}') WHERE pk > 0"
                ))
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            assert_eq!(pk, [T::columns()[0].name.as_ref()], "{table}");
            // Each foreign key of the columns is declared, and its column indexed.
            let fks: Vec<(String, String, String)> = conn
                .prepare(&format!(
                    "SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list('{table}') ORDER BY \"from\""
                ))
                .unwrap()
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            let mut want: Vec<(String, String, String)> = T::columns()
                .iter()
                .filter_map(|c| {
                    c.references.map(|fk| {
                        (
                            c.name.to_string(),
                            fk.table.as_str().to_owned(),
                            fk.column.to_owned(),
                        )
                    })
                })
                .collect();
            want.sort();
            assert_eq!(fks, want, "{table}");
            for (column, _, _) in &fks {
                let indexed: bool = conn
                    .query_row(
                        &format!(
                            "SELECT count(*) > 0 FROM pragma_index_list('{table}') AS l JOIN pragma_index_info(l.name) AS i WHERE i.name = ?1"
                        ),
                        [column],
                        |r| r.get(0),
                    )
                    .unwrap();
                assert!(indexed, "{table}.{column} has no index");
            }
            *self.1 += fks.len();
            Ok(())
        }
    }
    let data = Dataset::default();
    let Ok(()) = data.visit_tables(&mut Keys(&conn, &mut declared));
    assert!(declared >= 10, "{declared} foreign keys");
}

#[test]
fn views_put_names_beside_codes() {
    let (_tmp, _dir, db) = released();
    let conn = open(&db);
    // Every visit's countries by name, as the countries table names them.
    let wrong: i64 = conn
        .query_row(
            "SELECT count(*) FROM visits_named AS v JOIN countries AS c ON c.id = v.guest_country WHERE v.guest_country_name IS NOT c.name",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(wrong, 0);
    let (visits, named): (i64, i64) = conn
        .query_row(
            "SELECT (SELECT count(*) FROM visits), count(*) FROM visits_named WHERE guest_country_name IS NOT NULL",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(visits, named);
    // A list of codes gets a list of names, in the same order.
    let (parties, names): (String, String) = conn
        .query_row(
            "SELECT parties, parties_names FROM disputes_named ORDER BY id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let parties: Vec<String> = serde_json::from_str(&parties).unwrap();
    let names: Vec<String> = serde_json::from_str(&names).unwrap();
    assert_eq!(parties.len(), names.len());
    for (code, name) in parties.iter().zip(&names) {
        let want: String = conn
            .query_row("SELECT name FROM countries WHERE id = ?1", [code], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(name, &want);
    }
}

#[test]
fn full_text_search_finds_a_quote() {
    let (_tmp, _dir, db) = released();
    let conn = open(&db);
    let (id, quote): (String, String) = conn
        .query_row(
            "SELECT id, quote FROM evidence ORDER BY rowid LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    // The quote's first words, as a phrase.
    let words: Vec<&str> = quote
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(4)
        .collect();
    let phrase = format!("\"{}\"", words.join(" "));
    let found: Vec<String> = conn
        .prepare("SELECT e.id FROM evidence_fts JOIN evidence AS e ON e.rowid = evidence_fts.rowid WHERE evidence_fts MATCH ?1")
        .unwrap()
        .query_map([&phrase], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(found.contains(&id), "{phrase} found {found:?}, not {id}");
    // Every row of a searched table is in its index.
    let (rows, indexed): (i64, i64) = conn
        .query_row(
            "SELECT (SELECT count(*) FROM evidence), (SELECT count(*) FROM evidence_fts)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(rows, indexed);
    // The search index agrees with its content (FTS5's own check; it writes nothing).
    let writable = Connection::open(&db).unwrap();
    writable
        .execute(
            "INSERT INTO evidence_fts (evidence_fts, rank) VALUES ('integrity-check', 1)",
            [],
        )
        .unwrap();
}

#[test]
fn datasette_metadata_describes_every_table_and_column() {
    let (_tmp, dir, db) = released();
    let conn = open(&db);
    let text = fs::read_to_string(dir.join("metadata.json")).unwrap();
    let meta: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(meta["license"], "CC-BY-4.0");
    assert!(
        meta["license_url"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
    let databases = meta["databases"].as_object().unwrap();
    assert_eq!(databases.len(), 1);
    let stem = db.file_stem().unwrap().to_str().unwrap();
    let tables = databases[stem]["tables"].as_object().unwrap();
    // Every table and view of the database is described, column by column.
    let objects: Vec<(String, String)> = conn
        .prepare("SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE '%_fts%' AND name NOT LIKE 'sqlite_%'")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(objects.len(), tables.len());
    for (name, _) in &objects {
        let described = &tables[name];
        assert!(
            !described["description"].as_str().unwrap().is_empty(),
            "{name}"
        );
        let columns: Vec<String> = conn
            .prepare(&format!("SELECT name FROM pragma_table_info('{name}')"))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let said = described["columns"].as_object().unwrap();
        assert_eq!(said.len(), columns.len(), "{name}");
        for c in &columns {
            assert!(!said[c].as_str().unwrap().is_empty(), "{name}.{c}");
        }
        // A search table named is one of the database's, over this table.
        if let Some(fts) = described.get("fts_table").and_then(|f| f.as_str()) {
            assert_eq!(described["fts_pk"], "rowid");
            let sql: String = conn
                .query_row(
                    "SELECT sql FROM sqlite_master WHERE name = ?1",
                    [fts],
                    |r| r.get(0),
                )
                .unwrap();
            assert!(sql.contains(&format!("content=\"{name}\"")), "{sql}");
        }
    }
    assert_eq!(tables["evidence"]["fts_table"], "evidence_fts");
    assert_eq!(tables["visits"]["fts_table"], "visits_fts");
    // The same bytes every time: a second release writes the same metadata.
    let (_tmp2, dir2, _) = released();
    assert_eq!(
        fs::read_to_string(dir2.join("metadata.json")).unwrap(),
        text
    );
}
