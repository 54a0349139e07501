//! The table registry as a user of the crate sees it: every authored table can be looked up
//! by id from another crate (`Dataset::get::<T>`), the release order is the registry's, and
//! each table's authoring file and kind agree.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use diplomacy_model::{
    AUTHORING_FILES, Dataset, DatasetTable, Format, Table, TableKind, TableName, TableVisitor,
    Vocabulary, WithTable,
};

fn release() -> Dataset {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../releases/japan-eurasia-diplomacy-0.2.1");
    Dataset::read_release(dir, Format::Csv).unwrap()
}

/// Looks up the first record of a table by its id; gives (table, records, found).
struct FirstById<'a>(&'a Dataset);

impl WithTable for FirstById<'_> {
    type Output = (TableName, usize, bool);
    fn call<T: DatasetTable>(self) -> Self::Output {
        let records = T::records(self.0);
        let found = records.first().is_none_or(|first| {
            self.0
                .get::<T>(first.id())
                .is_some_and(|r| r.id() == first.id())
        });
        assert_eq!(self.0.index::<T>().len(), records.len(), "{}", T::NAME);
        (T::NAME, records.len(), found)
    }
}

#[test]
fn every_authored_table_is_looked_up_by_id() {
    let data = release();
    let mut looked_up = 0;
    for &table in TableName::ALL {
        match table.with_authored(FirstById(&data)) {
            Some((name, rows, found)) => {
                assert_eq!(name, table);
                assert!(found, "{table}: its first record is not found by its id");
                looked_up += usize::from(rows > 0);
            }
            None => assert_eq!(table.kind(), TableKind::Derived, "{table}"),
        }
    }
    // The release holds records of most authored tables (its redirects are empty).
    assert!(looked_up * 2 > AUTHORING_FILES.len(), "{looked_up}");
    // The typed lookups agree with the generic one.
    let statement = &data.statements[0];
    assert_eq!(data.statement(statement.id.as_str()), Some(statement));
    let organization = &data.organizations[0];
    assert_eq!(
        data.organization(organization.id.as_str()),
        Some(organization)
    );
}

/// Notes every table it is shown, in order.
struct Order(Vec<TableName>);

impl TableVisitor for Order {
    type Error = std::convert::Infallible;
    fn visit<T: Table + Sync>(&mut self, _: &[T]) -> Result<(), Self::Error> {
        self.0.push(T::NAME);
        Ok(())
    }
}

#[test]
fn the_release_order_is_the_registry_order() {
    let mut order = Order(Vec::new());
    let Ok(()) = Dataset::default().visit_tables(&mut order);
    // Every table in registry order, but the one the release builds from the source texts
    // (`source_sentences`), which comes last.
    assert_eq!(order.0, TableName::ALL[..TableName::ALL.len() - 1]);
    assert_eq!(TableName::ALL.last(), Some(&TableName::SourceSentences));
    for &(file, table) in AUTHORING_FILES {
        assert_eq!(table.authoring_file(), Some(file));
        assert_ne!(table.kind(), TableKind::Derived);
    }
    for &table in TableName::ALL {
        assert_eq!(
            table.authoring_file().is_some(),
            AUTHORING_FILES.iter().any(|(_, t)| *t == table),
            "{table}"
        );
        assert!(!table.description().is_empty());
    }
}
