//! Redirects: published ids that are no longer a record's, and the record each became.
//!
//! An id, once published, never breaks: where a record is renamed, merged into another or
//! moved to another table, `redirects.toml` leads its old id to the record it became, and
//! [`Dataset::resolve`] follows those redirects to the current record.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

#[cfg(feature = "schema")]
use schemars::JsonSchema;

use crate::table::Table;
use crate::{Dataset, Id, TableName, TableVisitor};

/// A published id that now leads to another record: one `[[redirects]]` of `redirects.toml`
/// and one row of the release's `redirects` table.
///
/// ```
/// use diplomacy_model::RedirectsFile;
///
/// let file: RedirectsFile = toml::from_str(r#"
///     [[redirects]]
///     from = "1998-jpn-kaz-visit"
///     to = "1998-02-jpn-kaz-testname-visit"
///     reason = "The source gives the month: the id now says it."
/// "#)?;
/// assert_eq!(file.redirects[0].to.as_str(), "1998-02-jpn-kaz-testname-visit");
/// assert_eq!(file.redirects[0].since, None); // filled in by the release
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, crate::Table)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[table(name = Redirects, key = from)]
pub struct Redirect {
    /// The id that was published and is no longer a record's (the column `from_id`).
    #[column(name = "from_id", was = "from")]
    pub from: Id,
    /// The id it leads to: a record of any table, or another redirect's `from` (the column
    /// `to_id`).
    #[column(name = "to_id", was = "to")]
    pub to: Id,
    /// Why the id changed, e.g. "renamed: the source gives the month".
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub reason: String,
    /// The version of the dataset that first published the redirect. Not authored: a release
    /// fills it in from the published releases.
    #[serde(skip)]
    pub since: Option<String>,
}

/// Where an id leads: the current record's id and table, and the redirects followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved<'a> {
    /// The current record's id (the id asked for, where it is still a record's).
    pub id: &'a str,
    /// The table that holds it.
    pub table: TableName,
    /// The redirects followed, in order; empty where the id is still a record's.
    pub via: Vec<&'a Redirect>,
}

/// Why an id does not lead to a record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ResolveError {
    /// The id is neither a record's nor redirected.
    #[error("no record and no redirect has the id \"{id}\"")]
    Unknown {
        /// The id asked for.
        id: String,
    },
    /// A redirect leads to an id that is neither a record's nor redirected.
    #[error("\"{from}\" redirects to \"{to}\", which is neither a record nor redirected")]
    Dangling {
        /// The redirect's `from`.
        from: String,
        /// Its `to`, which leads nowhere.
        to: String,
    },
    /// The redirects starting at the id lead back to an id already followed.
    #[error("the redirects from \"{}\" go round in a cycle: {}", .cycle[0], .cycle.join(" -> "))]
    Cycle {
        /// The ids of the cycle, in order, the first repeated at the end.
        cycle: Vec<String>,
    },
}

/// Collects the id and table of every record of the dataset's own tables.
struct Ids(HashMap<String, TableName>);

impl TableVisitor for Ids {
    type Error = std::convert::Infallible;

    fn visit<T: Table + Sync>(&mut self, records: &[T]) -> Result<(), Self::Error> {
        self.0
            .extend(records.iter().map(|r| (r.id().to_owned(), T::NAME)));
        Ok(())
    }

    fn wants(&self, table: TableName) -> bool {
        table.is_record_table()
    }
}

impl TableName {
    /// Whether the table's rows are records with their own ids, which are published and
    /// must never break: every table but the derived `evidence` and the `redirects`
    /// themselves.
    pub fn is_record_table(self) -> bool {
        matches!(
            self.kind(),
            crate::TableKind::Reference | crate::TableKind::Fact
        )
    }
}

impl Dataset {
    /// The id of every record of every record table ([`TableName::is_record_table`]), with
    /// its table. Ids are unique across a valid dataset.
    pub fn record_ids(&self) -> HashMap<String, TableName> {
        let mut ids = Ids(HashMap::with_capacity(self.len()));
        // The visitor cannot fail.
        let Ok(()) = self.visit_tables(&mut ids);
        ids.0
    }

    /// Follows `id` through the redirects to the record it is now, in any table.
    ///
    /// ```
    /// use diplomacy_model::{Dataset, Id, Redirect, ResolveError, TableName};
    ///
    /// let mut data = Dataset::default();
    /// data.people.push(toml::from_str(r#"
    ///     id = "testname-taro"
    ///     name = "Taro Testname"
    ///     country = "JPN"
    /// "#)?);
    /// let redirect = |from: &str, to: &str| Redirect {
    ///     from: Id::new(from).unwrap(),
    ///     to: Id::new(to).unwrap(),
    ///     reason: "renamed".into(),
    ///     since: None,
    /// };
    /// data.redirects = vec![redirect("taro-testname", "t-testname"), redirect("t-testname", "testname-taro")];
    ///
    /// let found = data.resolve("taro-testname")?;
    /// assert_eq!((found.id, found.table, found.via.len()), ("testname-taro", TableName::People, 2));
    /// assert!(matches!(data.resolve("nobody"), Err(ResolveError::Unknown { .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// Fails with [`ResolveError::Unknown`] where `id` is neither a record's nor redirected,
    /// [`ResolveError::Dangling`] where a redirect leads nowhere, and
    /// [`ResolveError::Cycle`] where the redirects go round.
    pub fn resolve<'a>(&'a self, id: &'a str) -> Result<Resolved<'a>, ResolveError> {
        let ids = self.record_ids();
        self.resolve_in(&ids, id)
    }

    /// [`Dataset::resolve`] against ids already collected with [`Dataset::record_ids`], to
    /// resolve many ids at the cost of one collection.
    pub fn resolve_in<'a>(
        &'a self,
        ids: &HashMap<String, TableName>,
        id: &'a str,
    ) -> Result<Resolved<'a>, ResolveError> {
        let mut via: Vec<&'a Redirect> = Vec::new();
        let mut here = id;
        loop {
            if let Some((current, table)) = ids.get_key_value(here) {
                // `here` is `id` or a redirect's `to`, both borrowed for 'a; the key is equal.
                debug_assert_eq!(current, here);
                return Ok(Resolved {
                    id: here,
                    table: *table,
                    via,
                });
            }
            let Some(next) = self.redirects.iter().find(|r| r.from.as_str() == here) else {
                return Err(match via.last() {
                    None => ResolveError::Unknown { id: id.to_owned() },
                    Some(last) => ResolveError::Dangling {
                        from: last.from.as_str().to_owned(),
                        to: last.to.as_str().to_owned(),
                    },
                });
            };
            if let Some(start) = via.iter().position(|r| r.from == next.from) {
                let mut cycle: Vec<String> = via[start..]
                    .iter()
                    .map(|r| r.from.as_str().to_owned())
                    .collect();
                cycle.push(next.from.as_str().to_owned());
                return Err(ResolveError::Cycle { cycle });
            }
            via.push(next);
            here = next.to.as_str();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redirect(from: &str, to: &str) -> Redirect {
        Redirect {
            from: Id::new(from).expect("id"),
            to: Id::new(to).expect("id"),
            reason: "test".into(),
            since: None,
        }
    }

    fn data() -> Dataset {
        let mut data = Dataset::default();
        data.people.push(
            toml::from_str("id = \"taro\"\nname = \"Taro\"\ncountry = \"JPN\"").expect("person"),
        );
        data
    }

    #[test]
    fn an_id_still_a_record_resolves_to_itself() {
        let data = data();
        let r = data.resolve("taro").expect("resolves");
        assert_eq!((r.id, r.table, r.via.len()), ("taro", TableName::People, 0));
    }

    #[test]
    fn chains_are_followed_and_cycles_found() {
        let mut data = data();
        data.redirects = vec![redirect("a", "b"), redirect("b", "taro")];
        let r = data.resolve("a").expect("resolves");
        assert_eq!(r.id, "taro");
        assert_eq!(
            r.via.iter().map(|r| r.from.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        );

        data.redirects = vec![redirect("x", "y"), redirect("y", "z"), redirect("z", "y")];
        assert_eq!(
            data.resolve("x"),
            Err(ResolveError::Cycle {
                cycle: vec!["y".into(), "z".into(), "y".into()]
            })
        );
        data.redirects = vec![redirect("x", "gone")];
        assert_eq!(
            data.resolve("x"),
            Err(ResolveError::Dangling {
                from: "x".into(),
                to: "gone".into()
            })
        );
        assert!(matches!(
            data.resolve("nothing"),
            Err(ResolveError::Unknown { .. })
        ));
    }

    #[test]
    fn the_table_round_trips_through_csv() {
        let mut r = redirect("a", "b");
        r.since = Some("0.2.0".into());
        let records = vec![r, redirect("c", "d")];
        let mut out = Vec::new();
        crate::csv::write_csv(&records, &mut out).expect("write");
        assert_eq!(
            String::from_utf8_lossy(&out),
            "from_id,to_id,reason,since\na,b,test,0.2.0\nc,d,test,\n"
        );
        let back: Vec<Redirect> =
            crate::csv::read_csv(out.as_slice(), "redirects.csv").expect("read");
        assert_eq!(back, records);
        // A release written before the columns were renamed reads the same.
        let old = "from,to,reason,since\na,b,test,0.2.0\nc,d,test,\n";
        let back: Vec<Redirect> =
            crate::csv::read_csv(old.as_bytes(), "redirects.csv").expect("read");
        assert_eq!(back, records);
    }
}
