//! Doing one thing to every table of a dataset, generically.

use crate::{Dataset, Table};

/// Something done to every table of a [`Dataset`], in release order, with the table's type
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
}

impl Dataset {
    /// Calls `visitor` on every table in release order, with the derived tables
    /// `meeting_participants` ([`Dataset::meeting_participants`]) after `meetings` and
    /// `evidence` ([`Dataset::evidence_rows`]) last; stops at the first error.
    pub fn visit_tables<V: TableVisitor>(&self, visitor: &mut V) -> Result<(), V::Error> {
        visitor.visit(&self.countries)?;
        visitor.visit(&self.people)?;
        visitor.visit(&self.organizations)?;
        visitor.visit(&self.sources)?;
        visitor.visit(&self.visits)?;
        visitor.visit(&self.meetings)?;
        visitor.visit(&self.meeting_participants())?;
        visitor.visit(&self.recognitions)?;
        visitor.visit(&self.statements)?;
        visitor.visit(&self.disputes)?;
        visitor.visit(&self.dispute_events)?;
        visitor.visit(&self.redirects)?;
        visitor.visit(&self.evidence_rows())
    }
}
