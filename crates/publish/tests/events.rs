//! The `events` table of the curated dataset: one row per dated fact record, names that match
//! the `countries` and `people` tables, and the release's files holding exactly those rows.

// Test helpers may unwrap: a panic there is a failed assertion with a backtrace.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use diplomacy_model::table::{Cell, ColumnType, RowWriter};
use diplomacy_model::{Dataset, EventRow, Table, TableKind, TableName, TableVisitor};
use diplomacy_publish::{ReleaseOptions, release};
use diplomacy_validate::{ValidDataset, validate_dir};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn curated() -> ValidDataset {
    let report = validate_dir(&workspace().join("datasets/japan-eurasia-diplomacy"));
    assert!(report.is_valid(), "{:?}", report.diagnostics);
    report.into_valid().unwrap()
}

/// The records of every fact table whose first date column holds a date, and those whose
/// date is empty, read from the rows as a release writes them.
#[derive(Default)]
struct Dated {
    dated: BTreeSet<(TableName, String)>,
    undated: usize,
}

impl TableVisitor for Dated {
    type Error = std::convert::Infallible;

    fn visit<T: Table + Sync>(&mut self, records: &[T]) -> Result<(), Self::Error> {
        let Some(at) = T::columns()
            .iter()
            .position(|c| c.ty == ColumnType::PartialDate)
        else {
            return Ok(());
        };
        for r in records {
            let mut row = RowWriter::default();
            r.write_row(&mut row);
            if matches!(row.cells()[at], Cell::Null) {
                self.undated += 1;
            } else {
                self.dated.insert((T::NAME, r.id().to_owned()));
            }
        }
        Ok(())
    }

    fn wants(&self, table: TableName) -> bool {
        table.kind() == TableKind::Fact
    }
}

fn dated(data: &Dataset) -> Dated {
    let mut d = Dated::default();
    let Ok(()) = data.visit_tables(&mut d);
    d
}

#[test]
fn one_row_per_dated_fact_record() {
    let data = curated().data;
    let events = data.event_rows();
    let expected = dated(&data);
    let found: BTreeSet<(TableName, String)> = events
        .iter()
        .map(|e| (e.record_table, e.record.as_str().to_owned()))
        .collect();
    assert_eq!(found.len(), events.len(), "a record with two rows");
    assert_eq!(found, expected.dated);
    for e in &events {
        assert_eq!(e.id, format!("{}/{}", e.record_table, e.record));
    }
    // A record whose date is empty has no row (the model's tests have one); every table
    // that records facts with dates is in the table.
    assert_eq!(data.temporal_coverage().undated_records, expected.undated);
    let tables: BTreeSet<TableName> = events.iter().map(|e| e.record_table).collect();
    for t in [
        TableName::Visits,
        TableName::Meetings,
        TableName::Recognitions,
        TableName::Statements,
        TableName::DisputeEvents,
    ] {
        assert!(tables.contains(&t), "{t}");
    }
}

#[test]
fn names_match_the_countries_and_people_tables() {
    let data = curated().data;
    let countries: HashMap<&str, &str> = data
        .countries
        .iter()
        .map(|c| (c.id.as_str(), c.name.as_str()))
        .collect();
    let people: HashMap<&str, &str> = data
        .people
        .iter()
        .map(|p| (p.id.as_str(), p.name.as_str()))
        .collect();
    let events = data.event_rows();
    let mut named = 0;
    for e in &events {
        assert!(!e.countries.is_empty(), "{}: no country", e.id);
        assert_eq!(e.countries.len(), e.country_names.len(), "{}", e.id);
        for (code, name) in e.countries.iter().zip(&e.country_names) {
            assert_eq!(
                countries.get(code.as_str()),
                Some(&name.as_str()),
                "{}",
                e.id
            );
        }
        assert_eq!(e.people.len(), e.person_names.len(), "{}", e.id);
        for (id, name) in e.people.iter().zip(&e.person_names) {
            assert_eq!(people.get(id.as_str()), Some(&name.as_str()), "{}", e.id);
            named += 1;
        }
        assert!(
            e.quote.is_some() && e.source.is_some(),
            "{}: no claim quote",
            e.id
        );
    }
    assert!(named > 0, "no event names a person");
}

#[test]
fn sort_key_orders_as_the_min_and_max_columns_do() {
    let events = curated().data.event_rows();
    let mut by_key: Vec<&EventRow> = events.iter().collect();
    by_key.sort_by_key(|e| (e.sort_key, e.id.as_str()));
    let start = |e: &EventRow| e.date.min_day().or(e.date.max_day());
    // (start, max with an empty one last, min with an empty one last)
    let card = |e: &EventRow| {
        (
            start(e),
            e.date.max_day().is_none(),
            e.date.max_day(),
            e.date.min_day().is_none(),
            e.date.min_day(),
        )
    };
    let mut by_card: Vec<&EventRow> = events.iter().collect();
    by_card.sort_by_key(|e| (card(e), e.id.as_str()));
    let ids = |v: &[&EventRow]| v.iter().map(|e| e.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&by_key), ids(&by_card));
    // A record known only as of 2019-05-10 comes after those of 1945.
    let pos = |pred: &dyn Fn(&EventRow) -> bool| by_key.iter().position(|e| pred(e));
    let as_of = pos(&|e| e.date.to_string() == "[..2019-05-10]").unwrap();
    let after_1945 = pos(&|e| e.date.to_string() == "[1945..]").unwrap();
    assert!(after_1945 < as_of);
}

#[test]
fn the_release_writes_the_events_table() {
    let valid = curated();
    let mut data = valid.data.clone();
    data.sort();
    let expected = data.event_rows();
    let tmp = tempfile::tempdir().unwrap();
    let dir = release(valid, &ReleaseOptions::new(tmp.path())).unwrap();
    let csv = std::fs::read(dir.join("csv/events.csv")).unwrap();
    let rows: Vec<EventRow> = diplomacy_model::csv::read_csv(csv.as_slice(), "events.csv").unwrap();
    assert_eq!(rows, expected);
    let file = std::fs::File::open(dir.join("parquet/events.parquet")).unwrap();
    let rows: Vec<EventRow> =
        diplomacy_model::parquet::read_parquet(file, Path::new("events.parquet")).unwrap();
    assert_eq!(rows, expected);
    // The catalogues' coverage is the span of the dates' extents, from the fact records
    // alone: the last event's day, not the widest bound an inferred date leaves open.
    let croissant: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("croissant.json")).unwrap())
            .unwrap();
    let coverage = data.temporal_coverage();
    let (lo, hi) = coverage.all().unwrap();
    assert_eq!(croissant["temporalCoverage"], format!("{lo}/{hi}"));
    let first = expected.iter().map(|e| e.date.extent().0).min().unwrap();
    let last = expected.iter().map(|e| e.date.extent().1).max().unwrap();
    assert_eq!((lo, hi), (first, last));
    let (_, widest) = coverage.widest.unwrap();
    assert!(hi <= widest);
    let sources_last = data
        .sources
        .iter()
        .filter_map(|s| s.published.max_day())
        .max()
        .unwrap();
    assert!(hi < sources_last, "the coverage is not the sources' dates");
}
