//! A whole dataset: every table, the authoring files' shapes, and the evidence table.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

#[cfg(feature = "schema")]
use schemars::JsonSchema;

use crate::{
    Citation, Country, Dispute, DisputeEvent, Error, EvidenceRow, Meeting, Person, Recognition,
    Redirect, Source, Table, TableName, Visit,
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
fact_record!(Visit, Meeting, Recognition, Dispute, DisputeEvent);

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
    /// `sources.toml`: a list of `[[sources]]`.
    SourcesFile, sources: Source, "sources";
    /// `visits.toml`: a list of `[[visits]]`, each with its `[[visits.evidence]]`.
    VisitsFile, visits: Visit, "visits";
    /// `meetings.toml`: a list of `[[meetings]]`, each with its `[[meetings.evidence]]`.
    MeetingsFile, meetings: Meeting, "meetings";
    /// `recognitions.toml`: a list of `[[recognitions]]`, each with its evidence.
    RecognitionsFile, recognitions: Recognition, "recognitions";
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
            let position = u32::try_from(i + 1).unwrap_or(u32::MAX);
            out.push(EvidenceRow {
                id: format!("{}/{position}", record.id()),
                table: T::NAME,
                record: record.key().clone(),
                position,
                source: c.source.clone(),
                quote: c.quote.clone(),
            });
        }
    }
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
            + self.recognitions.len()
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
        self.recognitions.sort_by(|a, b| a.id.cmp(&b.id));
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
        flatten(&self.disputes, &mut out);
        flatten(&self.dispute_events, &mut out);
        out.sort_by(|a, b| (a.record.as_str(), a.position).cmp(&(b.record.as_str(), b.position)));
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
    /// included, into typed records. A missing file is an empty table.
    ///
    /// ```no_run
    /// let data = diplomacy_model::Dataset::read_csv_dir("dist/japan-eurasia-diplomacy-1.0.0/csv")?;
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
            recognitions: read_table(dir)?,
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
        use crate::csv::write_table;
        let dir = dir.as_ref();
        write_table(dir, &self.countries)?;
        write_table(dir, &self.people)?;
        write_table(dir, &self.sources)?;
        write_table(dir, &self.visits)?;
        write_table(dir, &self.meetings)?;
        write_table(dir, &self.recognitions)?;
        write_table(dir, &self.disputes)?;
        write_table(dir, &self.dispute_events)?;
        write_table(dir, &self.redirects)?;
        write_table(dir, &self.evidence_rows())
    }

    /// Reads a release directory (`dist/<name>-<version>/`) into typed records, from its
    /// `csv/` tables.
    pub fn read_release(dir: impl AsRef<std::path::Path>) -> Result<Self, Error> {
        Self::read_csv_dir(dir.as_ref().join("csv"))
    }
}
