//! A whole dataset: every table, the authoring files' shapes, and the evidence table.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

#[cfg(feature = "schema")]
use schemars::JsonSchema;

use crate::{
    Citation, Country, Dispute, DisputeEvent, Error, EvidenceRow, Id, Meeting, MeetingParticipant,
    Organization, Participant, Person, Recognition, Redirect, Source, Statement, Table, TableName,
    Visit,
};

/// A record that cites its evidence: a visit, meeting, recognition, dispute or dispute event.
pub trait FactRecord: Table {
    /// The record's id.
    fn key(&self) -> &crate::Id;
    /// The quotes that support the record.
    fn evidence(&self) -> &[Citation];
    /// The quotes that support the record, to fill in.
    fn evidence_mut(&mut self) -> &mut Vec<Citation>;
}

macro_rules! fact_record {
    ($($ty:ty),+) => {$(
        impl FactRecord for $ty {
            fn key(&self) -> &crate::Id {
                &self.id
            }
            fn evidence(&self) -> &[Citation] {
                &self.evidence
            }
            fn evidence_mut(&mut self) -> &mut Vec<Citation> {
                &mut self.evidence
            }
        }
    )+};
}
fact_record!(
    Visit,
    Meeting,
    Recognition,
    Statement,
    Dispute,
    DisputeEvent
);

macro_rules! authoring_files {
    ($( $(#[doc = $doc:literal])+ $file:ident, $field:ident: $ty:ty, $name:literal; )+) => {
        $(
            $(#[doc = $doc])+
            #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
            #[cfg_attr(feature = "schema", derive(JsonSchema))]
            #[serde(deny_unknown_fields)]
            pub struct $file {
                #[doc = concat!("The records of `", $name, "`, in any order.")]
                #[serde(default)]
                pub $field: Vec<$ty>,
            }
        )+

        /// Every table's records.
        ///
        /// A dataset read from authoring files holds each fact-bearing record's evidence in the
        /// record itself; [`Dataset::evidence_rows`] flattens it into the release's evidence
        /// table and [`Dataset::attach_evidence`] puts it back.
        #[derive(Debug, Clone, Default, PartialEq, Eq)]
        pub struct Dataset {
            $( #[doc = concat!("The `", $name, "` table.")] pub $field: Vec<$ty>, )+
        }

        /// The authoring files of a dataset directory, with the table each holds.
        pub const AUTHORING_FILES: &[(&str, TableName)] = &[
            $( (concat!($name, ".toml"), <$ty as Table>::NAME), )+
        ];
    };
}

authoring_files! {
    /// `countries.toml`: a list of `[[countries]]`.
    CountriesFile, countries: Country, "countries";
    /// `people.toml`: a list of `[[people]]`.
    PeopleFile, people: Person, "people";
    /// `organizations.toml`: a list of `[[organizations]]`.
    OrganizationsFile, organizations: Organization, "organizations";
    /// `sources.toml`: a list of `[[sources]]`.
    SourcesFile, sources: Source, "sources";
    /// `visits.toml`: a list of `[[visits]]`, each with its `[[visits.evidence]]`.
    VisitsFile, visits: Visit, "visits";
    /// `meetings.toml`: a list of `[[meetings]]`, each with its `[[meetings.evidence]]`.
    MeetingsFile, meetings: Meeting, "meetings";
    /// `recognitions.toml`: a list of `[[recognitions]]`, each with its evidence.
    RecognitionsFile, recognitions: Recognition, "recognitions";
    /// `statements.toml`: a list of `[[statements]]`, each with its `[[statements.evidence]]`.
    StatementsFile, statements: Statement, "statements";
    /// `disputes.toml`: a list of `[[disputes]]`, each with its evidence.
    DisputesFile, disputes: Dispute, "disputes";
    /// `dispute_events.toml`: a list of `[[dispute_events]]`, each with its evidence.
    DisputeEventsFile, dispute_events: DisputeEvent, "dispute_events";
    /// `redirects.toml`: a list of `[[redirects]]`, each leading a published id that is no
    /// longer a record's to the record it became.
    RedirectsFile, redirects: Redirect, "redirects";
}

fn flatten<T: FactRecord>(records: &[T], out: &mut Vec<EvidenceRow>) {
    for record in records {
        for (i, c) in record.evidence().iter().enumerate() {
            out.push(evidence_row(record, i, c.source.clone(), c.quote.clone()));
        }
    }
}

/// As [`flatten`], moving the quotes out of the records.
fn flatten_out<T: FactRecord>(records: &mut [T], out: &mut Vec<EvidenceRow>) {
    for record in records {
        let citations = std::mem::take(record.evidence_mut());
        for (i, c) in citations.into_iter().enumerate() {
            out.push(evidence_row(record, i, c.source, c.quote));
        }
    }
}

/// The evidence row of the `i`th quote (from 0) of `record`.
fn evidence_row<T: FactRecord>(record: &T, i: usize, source: Id, quote: String) -> EvidenceRow {
    let position = u32::try_from(i + 1).unwrap_or(u32::MAX);
    EvidenceRow {
        id: format!("{}/{position}", record.id()),
        table: T::NAME,
        record: record.key().clone(),
        position,
        source,
        quote,
    }
}

/// Evidence rows in id order: by record id, then position. Each table's rows come in
/// order already; the sort merges them.
fn sort_evidence(rows: &mut [EvidenceRow]) {
    rows.sort_by(|a, b| (a.record.as_str(), a.position).cmp(&(b.record.as_str(), b.position)));
}

fn attach<T: FactRecord>(
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
                })
                .collect();
        }
    }
}

impl Dataset {
    /// The number of records in every table but evidence.
    pub fn len(&self) -> usize {
        self.countries.len()
            + self.people.len()
            + self.sources.len()
            + self.visits.len()
            + self.meetings.len()
            + self.organizations.len()
            + self.recognitions.len()
            + self.statements.len()
            + self.disputes.len()
            + self.dispute_events.len()
            + self.redirects.len()
    }

    /// Whether every table is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Sorts every table by id, as a release publishes them.
    pub fn sort(&mut self) {
        self.countries.sort_by_key(|c| c.id);
        self.people.sort_by(|a, b| a.id.cmp(&b.id));
        self.sources.sort_by(|a, b| a.id.cmp(&b.id));
        self.visits.sort_by(|a, b| a.id.cmp(&b.id));
        self.meetings.sort_by(|a, b| a.id.cmp(&b.id));
        self.organizations.sort_by(|a, b| a.id.cmp(&b.id));
        self.recognitions.sort_by(|a, b| a.id.cmp(&b.id));
        self.statements.sort_by(|a, b| a.id.cmp(&b.id));
        self.disputes.sort_by(|a, b| a.id.cmp(&b.id));
        self.dispute_events.sort_by(|a, b| a.id.cmp(&b.id));
        self.redirects.sort_by(|a, b| a.from.cmp(&b.from));
    }

    /// The release's evidence table: one row per quote, sorted by id.
    pub fn evidence_rows(&self) -> Vec<EvidenceRow> {
        let mut out = Vec::new();
        flatten(&self.visits, &mut out);
        flatten(&self.meetings, &mut out);
        flatten(&self.recognitions, &mut out);
        flatten(&self.statements, &mut out);
        flatten(&self.disputes, &mut out);
        flatten(&self.dispute_events, &mut out);
        sort_evidence(&mut out);
        out
    }

    /// The release's evidence table, as [`Dataset::evidence_rows`], with the quotes moved out
    /// of the records rather than copied: every record's `evidence` is left empty. For a
    /// writer that has written every other table and wants the memory back.
    pub fn take_evidence_rows(&mut self) -> Vec<EvidenceRow> {
        let mut out = Vec::new();
        flatten_out(&mut self.visits, &mut out);
        flatten_out(&mut self.meetings, &mut out);
        flatten_out(&mut self.recognitions, &mut out);
        flatten_out(&mut self.statements, &mut out);
        flatten_out(&mut self.disputes, &mut out);
        flatten_out(&mut self.dispute_events, &mut out);
        sort_evidence(&mut out);
        out
    }

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
        out
    }

    /// Puts a release's evidence rows back into the records they support, replacing any
    /// evidence those records held.
    ///
    /// Fails with [`Error::OrphanEvidence`] for a row whose record is not in the dataset.
    pub fn attach_evidence(&mut self, rows: Vec<EvidenceRow>) -> Result<(), Error> {
        let mut by_record: HashMap<(TableName, String), Vec<EvidenceRow>> = HashMap::new();
        for row in rows {
            by_record
                .entry((row.table, row.record.as_str().to_owned()))
                .or_default()
                .push(row);
        }
        attach(&mut self.visits, &mut by_record);
        attach(&mut self.meetings, &mut by_record);
        attach(&mut self.recognitions, &mut by_record);
        attach(&mut self.statements, &mut by_record);
        attach(&mut self.disputes, &mut by_record);
        attach(&mut self.dispute_events, &mut by_record);
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
        use crate::csv::read_table;
        let dir = dir.as_ref();
        let mut data = Dataset {
            countries: read_table(dir)?,
            people: read_table(dir)?,
            sources: read_table(dir)?,
            visits: read_table(dir)?,
            meetings: read_table(dir)?,
            organizations: read_table(dir)?,
            recognitions: read_table(dir)?,
            statements: read_table(dir)?,
            disputes: read_table(dir)?,
            dispute_events: read_table(dir)?,
            redirects: read_table(dir)?,
        };
        data.attach_evidence(read_table(dir)?)?;
        Ok(data)
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

/// A table of a [`Dataset`] whose records can be looked up by id: [`Dataset::get`] and
/// [`Dataset::index`].
pub trait DatasetTable: Table + Sized {
    /// The table's records in `data`.
    fn records(data: &Dataset) -> &[Self];
}

macro_rules! dataset_tables {
    ($( $ty:ty, $field:ident, $lookup:ident, $what:literal; )+) => {
        $(
            impl DatasetTable for $ty {
                fn records(data: &Dataset) -> &[Self] {
                    &data.$field
                }
            }
        )+

        impl Dataset {
            $(
                #[doc = concat!("The ", $what, " whose id is `id`, if there is one: [`Dataset::get`] for `", stringify!($ty), "`.")]
                pub fn $lookup(&self, id: &str) -> Option<&$ty> {
                    self.get::<$ty>(id)
                }
            )+
        }
    };
}

dataset_tables! {
    Country, countries, country, "country (an ISO 3166 alpha-3 code)";
    Person, people, person, "person";
    Source, sources, source, "source";
    Visit, visits, visit, "visit";
    Meeting, meetings, meeting, "meeting";
    Recognition, recognitions, recognition, "recognition";
    Dispute, disputes, dispute, "dispute";
    DisputeEvent, dispute_events, dispute_event, "dispute event";
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
