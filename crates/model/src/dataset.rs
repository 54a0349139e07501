//! A whole dataset: every table, the authoring files' shapes, and the evidence table.

use std::collections::HashMap;

use serde::Serialize;

pub use crate::registry::{AUTHORING_FILES, Dataset};
use crate::{
    Citation, Error, EvidenceRole, EvidenceRow, Inference, InferenceRow, MeetingParticipant,
    Participant, Person, Table, TableName,
};

/// A record that cites its evidence: a record of every table of kind
/// [`TableKind::Fact`](crate::TableKind::Fact).
pub trait FactRecord: Table {
    /// The record's id.
    fn key(&self) -> &crate::Id;
    /// The quotes that support the record.
    fn evidence(&self) -> &[Citation];
    /// The quotes that support the record, to fill in.
    fn evidence_mut(&mut self) -> &mut Vec<Citation>;
    /// The values the record marks inferred.
    fn inferred(&self) -> &[Inference];
    /// The values the record marks inferred, to fill in.
    fn inferred_mut(&mut self) -> &mut Vec<Inference>;
}

/// The inference rows of `records`, in their order.
pub(crate) fn inferences<T: FactRecord>(records: &[T], out: &mut Vec<InferenceRow>) {
    for record in records {
        for i in record.inferred() {
            out.push(InferenceRow {
                id: format!("{}/{}", record.id(), i.field),
                table: T::NAME,
                record: record.key().clone(),
                field: i.field.clone(),
                basis: i.basis,
                reason: i.reason.clone(),
            });
        }
    }
}

/// Puts inference rows back into the records they belong to (rows of records not in
/// `records` are left in `rows`).
pub(crate) fn attach_inferences<T: FactRecord>(
    records: &mut [T],
    rows: &mut HashMap<(TableName, String), Vec<InferenceRow>>,
) {
    for record in records {
        if let Some(list) = rows.remove(&(T::NAME, record.id().to_owned())) {
            *record.inferred_mut() = list
                .into_iter()
                .map(|r| Inference {
                    field: r.field,
                    basis: r.basis,
                    reason: r.reason,
                })
                .collect();
        }
    }
}

pub(crate) fn flatten<T: FactRecord>(records: &[T], out: &mut Vec<EvidenceRow>) {
    for record in records {
        for (i, c) in record.evidence().iter().enumerate() {
            out.push(evidence_row(record, i, c.clone()));
        }
    }
}

/// As [`flatten`], moving the quotes out of the records.
pub(crate) fn flatten_out<T: FactRecord>(records: &mut [T], out: &mut Vec<EvidenceRow>) {
    for record in records {
        let citations = std::mem::take(record.evidence_mut());
        for (i, c) in citations.into_iter().enumerate() {
            out.push(evidence_row(record, i, c));
        }
    }
}

/// The evidence row of the `i`th quote (from 0) of `record`.
fn evidence_row<T: FactRecord>(record: &T, i: usize, c: Citation) -> EvidenceRow {
    let position = u32::try_from(i + 1).unwrap_or(u32::MAX);
    EvidenceRow {
        id: format!("{}/{position}", record.id()),
        table: T::NAME,
        record: record.key().clone(),
        position,
        role: c.role(),
        source: c.source,
        quote: c.quote,
        supports: c.supports,
        occurrence: c.occurrence,
        start: None,
        end: None,
        sentence: None,
        prefix: None,
        suffix: None,
    }
}

/// Evidence rows in id order (the string `<record>/<n>`). Each table's rows come in
/// order already; the sort merges them.
pub(crate) fn sort_evidence(rows: &mut [EvidenceRow]) {
    // By id (`<record>/<n>`), as every table's rows are: `x-y/1` comes before `x/1`, since
    // `-` sorts before `/`.
    rows.sort_by(|a, b| a.id.cmp(&b.id));
}

pub(crate) fn attach<T: FactRecord>(
    records: &mut [T],
    rows: &mut HashMap<(TableName, String), Vec<EvidenceRow>>,
) {
    for record in records {
        if let Some(mut list) = rows.remove(&(T::NAME, record.id().to_owned())) {
            list.sort_by_key(|r| r.position);
            *record.evidence_mut() = list
                .into_iter()
                .map(|r| Citation {
                    source: r.source,
                    quote: r.quote,
                    // The default role is written as none, so records read back as authored.
                    role: (r.role != EvidenceRole::Claim).then_some(r.role),
                    supports: r.supports,
                    occurrence: r.occurrence,
                })
                .collect();
        }
    }
}

impl Dataset {
    /// The release's `meeting_participants` table: one row per participant of each meeting,
    /// in the meetings' order, with the person or organization it names and its country
    /// (a person's from `people`, an office's from its `COUNTRY:` prefix).
    pub fn meeting_participants(&self) -> Vec<MeetingParticipant> {
        let people: HashMap<&str, &Person> =
            self.people.iter().map(|p| (p.id.as_str(), p)).collect();
        let mut out = Vec::new();
        for meeting in &self.meetings {
            for (i, p) in meeting.participants.iter().enumerate() {
                let (person, organization, country, office) = match p {
                    Participant::Named(id) => match people.get(id.as_str()) {
                        Some(person) => (Some(id.clone()), None, Some(person.country), None),
                        None => (None, Some(id.clone()), None, None),
                    },
                    Participant::Office { country, office } => {
                        (None, None, Some(*country), Some(office.clone()))
                    }
                };
                out.push(MeetingParticipant {
                    id: format!("{}/{}", meeting.id, i + 1),
                    meeting: meeting.id.clone(),
                    participant: p.to_string(),
                    person,
                    organization,
                    country,
                    office,
                });
            }
        }
        // In id order, as every table's rows are (`x-y/1` before `x/1`).
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out
    }
}

/// The evidence rows by the record they support.
pub(crate) type ByRecord = HashMap<(TableName, String), Vec<EvidenceRow>>;

/// Evidence rows grouped by their record, for [`attach`].
pub(crate) fn by_record(rows: Vec<EvidenceRow>) -> ByRecord {
    let mut by_record = ByRecord::new();
    for row in rows {
        by_record
            .entry((row.table, row.record.as_str().to_owned()))
            .or_default()
            .push(row);
    }
    by_record
}

/// Fails with the first (by id) evidence row that no record took.
pub(crate) fn no_orphans(by_record: ByRecord) -> Result<(), Error> {
    let mut left: Vec<EvidenceRow> = by_record.into_values().flatten().collect();
    left.sort_by(|a, b| a.id.cmp(&b.id));
    match left.into_iter().next() {
        None => Ok(()),
        Some(row) => Err(Error::OrphanEvidence {
            id: row.id,
            table: row.table,
            record: row.record.into_string(),
        }),
    }
}

impl Dataset {
    /// Reads every table from a directory of release CSVs (`<dir>/<table>.csv`), evidence
    /// included, into typed records. A missing file is an empty table; a missing directory
    /// is [`Error::MissingDirectory`]. To read a release, whose `datapackage.json` says which
    /// tables it holds, use [`Dataset::read_release`].
    ///
    /// ```no_run
    /// let data = diplomacy_model::Dataset::read_csv_dir("dist/japan-eurasia-diplomacy-0.1.0/csv")?;
    /// println!("{} visits", data.visits.len());
    /// # Ok::<(), diplomacy_model::Error>(())
    /// ```
    pub fn read_csv_dir(dir: impl AsRef<std::path::Path>) -> Result<Self, Error> {
        /// Reads `<dir>/<table>.csv`.
        struct CsvDir<'a>(&'a std::path::Path);
        impl crate::TableReader for CsvDir<'_> {
            fn read<T: Table>(&mut self) -> Result<Vec<T>, Error> {
                crate::csv::read_table(self.0)
            }
        }
        Self::read_tables(&mut CsvDir(dir.as_ref()))
    }

    /// Writes every table, evidence included, as `<dir>/<table>.csv`, in the records' order
    /// (call [`Dataset::sort`] first for a release's order). `dir` must exist.
    pub fn write_csv_dir(&self, dir: impl AsRef<std::path::Path>) -> Result<(), Error> {
        /// Writes each table it visits as `<dir>/<table>.csv`.
        struct WriteCsv<'a>(&'a std::path::Path);
        impl crate::TableVisitor for WriteCsv<'_> {
            type Error = Error;
            fn visit<T: Table + Sync>(&mut self, records: &[T]) -> Result<(), Error> {
                crate::csv::write_table(self.0, records)
            }
        }
        self.visit_tables(&mut WriteCsv(dir.as_ref()))
    }
}

/// An authored table of a [`Dataset`]: its records, its authoring file, and lookups by id
/// ([`Dataset::get`] and [`Dataset::index`]). Every authored table implements it (the table
/// registry generates the impls), and only those.
pub trait DatasetTable:
    Table + Clone + Send + Sync + Serialize + serde::de::DeserializeOwned + 'static
{
    /// The table's authoring file in a dataset directory, e.g. `visits.toml`.
    const FILE: &'static str;
    /// The table's records in `data`.
    fn records(data: &Dataset) -> &[Self];
    /// The table's records in `data`, to fill in or change.
    fn records_mut(data: &mut Dataset) -> &mut Vec<Self>;
}

impl Dataset {
    /// The record of table `T` whose id is `id`, if there is one.
    ///
    /// Looks through the table once: O(n), no allocation. For many lookups in a large table,
    /// build a map once with [`Dataset::index`].
    ///
    /// ```
    /// use diplomacy_model::{Dataset, Visit};
    ///
    /// let file: diplomacy_model::VisitsFile = toml::from_str(r#"
    ///     [[visits]]
    ///     id = "1999-04-jpn-aze-foreign-minister-visit"
    ///     date = "1999-04"
    ///     guest_country = "JPN"
    ///     host_country = "AZE"
    ///     guest_office = "Foreign Minister"
    ///     level = "foreign_minister"
    ///     summary = "The Japanese Foreign Minister visited Azerbaijan."
    /// "#)?;
    /// let data = Dataset { visits: file.visits, ..Dataset::default() };
    ///
    /// let visit = data.get::<Visit>("1999-04-jpn-aze-foreign-minister-visit").unwrap();
    /// assert_eq!(visit.host_country.map(|c| c.as_str().to_owned()).as_deref(), Some("AZE"));
    /// // The same, by table name:
    /// assert_eq!(data.visit("1999-04-jpn-aze-foreign-minister-visit"), Some(visit));
    /// assert_eq!(data.visit("no-such-visit"), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get<T: DatasetTable>(&self, id: &str) -> Option<&T> {
        T::records(self).iter().find(|r| r.id() == id)
    }

    /// Every record of table `T` by id, for many lookups: built in O(n), then each lookup is
    /// O(1). Where ids repeat (a dataset that has not been validated), the first record wins.
    ///
    /// ```
    /// use diplomacy_model::{Country, Dataset};
    ///
    /// let file: diplomacy_model::CountriesFile = toml::from_str(r#"
    ///     [[countries]]
    ///     id = "JPN"
    ///     name = "Japan"
    ///     [[countries]]
    ///     id = "KAZ"
    ///     name = "Kazakhstan"
    /// "#)?;
    /// let data = Dataset { countries: file.countries, ..Dataset::default() };
    /// let by_id = data.index::<Country>();
    /// assert_eq!(by_id["KAZ"].name, "Kazakhstan");
    /// assert!(!by_id.contains_key("SUN"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn index<T: DatasetTable>(&self) -> HashMap<&str, &T> {
        let records = T::records(self);
        let mut map = HashMap::with_capacity(records.len());
        for r in records {
            map.entry(r.id()).or_insert(r);
        }
        map
    }
}
