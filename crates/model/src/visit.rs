//! Doing one thing to every table of a dataset, generically.

use crate::{Table, TableName};

/// Something done to every table of a [`Dataset`](crate::Dataset), in release order, with the table's type
/// known: [`Table::NAME`], [`Table::columns`] and the rows.
///
/// ```
/// use diplomacy_model::{Dataset, Table, TableVisitor};
///
/// /// Counts the rows of every table.
/// struct Count(Vec<(&'static str, usize)>);
///
/// impl TableVisitor for Count {
///     type Error = std::convert::Infallible;
///     fn visit<T: Table + Sync>(&mut self, records: &[T]) -> Result<(), Self::Error> {
///         self.0.push((T::NAME.as_str(), records.len()));
///         Ok(())
///     }
/// }
///
/// let mut count = Count(Vec::new());
/// Dataset::default().visit_tables(&mut count)?;
/// assert_eq!(count.0.first(), Some(&("countries", 0)));
/// assert_eq!(count.0.last(), Some(&("evidence", 0)));
/// # Ok::<(), std::convert::Infallible>(())
/// ```
pub trait TableVisitor {
    /// What a visit can fail with.
    type Error;

    /// Called once per table, with its records in the dataset's order.
    fn visit<T: Table + Sync>(&mut self, records: &[T]) -> Result<(), Self::Error>;

    /// Whether to visit `table` at all; a table not wanted is skipped, and a derived one is
    /// then not built. Default: every table.
    fn wants(&self, table: TableName) -> bool {
        let _ = table;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Dataset;

    /// Notes the tables it is shown.
    struct Seen(Vec<TableName>, fn(TableName) -> bool);

    impl TableVisitor for Seen {
        type Error = std::convert::Infallible;
        fn visit<T: Table + Sync>(&mut self, _: &[T]) -> Result<(), Self::Error> {
            self.0.push(T::NAME);
            Ok(())
        }
        fn wants(&self, table: TableName) -> bool {
            (self.1)(table)
        }
    }

    #[test]
    fn only_wanted_tables_are_visited() {
        let data = Dataset::default();
        let mut all = Seen(Vec::new(), |_| true);
        let Ok(()) = data.visit_tables(&mut all);
        // Every table but the one the release builds from the source texts.
        assert_eq!(all.0.len(), <TableName as crate::Vocabulary>::ALL.len() - 1);
        assert!(!all.0.contains(&TableName::SourceSentences));
        assert_eq!(all.0.last(), Some(&TableName::Evidence));
        let mut records = Seen(Vec::new(), TableName::is_record_table);
        let Ok(()) = data.visit_tables(&mut records);
        let record_tables = <TableName as crate::Vocabulary>::ALL
            .iter()
            .filter(|t| t.is_record_table())
            .count();
        assert_eq!(records.0.len(), record_tables);
        assert!(!records.0.contains(&TableName::Evidence));
        assert!(!records.0.contains(&TableName::MeetingParticipants));
        assert!(records.0.iter().all(|t| all.0.contains(t)));
    }
}
