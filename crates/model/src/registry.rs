//! The table registry: every table of a dataset, declared once, in release order.
//!
//! The one [`tables!`] call below generates [`TableName`], the [`Dataset`](crate::Dataset)
//! fields, the authoring files' types and [`AUTHORING_FILES`](crate::AUTHORING_FILES),
//! [`DatasetTable`](crate::DatasetTable) (and so [`Dataset::get`](crate::Dataset::get)) for
//! every authored table, [`FactRecord`](crate::FactRecord) for every table whose records
//! cite evidence, the evidence table's flattening and its inverse, the release order of
//! [`Dataset::visit_tables`](crate::Dataset::visit_tables), reading every table of a
//! release ([`TableReader`]), the JSON Schema of every authoring file, and the dispatch
//! from a [`TableName`] to its record type ([`TableName::with_authored`]).
//!
//! Adding a table is: its record struct with `#[derive(Table)]`, one line here, and a
//! fixture.

use crate::vocab::vocabulary;

/// What kind of table a [`TableName`] names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TableKind {
    /// Authored records that others refer to, with no evidence of their own: countries,
    /// people, organizations, sources.
    Reference,
    /// Authored records that cite their evidence (a [`FactRecord`](crate::FactRecord)).
    Fact,
    /// Authored redirects from published ids to current records.
    Redirect,
    /// A table the release derives from the others (evidence, meeting participants).
    Derived,
}

/// Kind keyword -> [`TableKind`] variant.
macro_rules! table_kind {
    (reference) => {
        $crate::registry::TableKind::Reference
    };
    (fact) => {
        $crate::registry::TableKind::Fact
    };
    (redirect) => {
        $crate::registry::TableKind::Redirect
    };
    (derived) => {
        $crate::registry::TableKind::Derived
    };
}

/// `$then` for a fact table, nothing for any other kind.
macro_rules! if_fact {
    (fact, $($then:tt)*) => { $($then)* };
    ($other:ident, $($then:tt)*) => {};
}

/// The doc of an authoring file's type.
macro_rules! file_doc {
    (fact, $wire:literal) => {
        concat!(
            "`",
            $wire,
            ".toml`: a list of `[[",
            $wire,
            "]]`, each with its `[[",
            $wire,
            ".evidence]]`."
        )
    };
    ($kind:ident, $wire:literal) => {
        concat!("`", $wire, ".toml`: a list of `[[", $wire, "]]`.")
    };
}

/// Generates everything listed in the module docs from the list of tables.
///
/// Each entry is the table's doc (its meaning, for [`TableName`]), its [`TableName`] variant
/// and wire name, and either `reference | fact | redirect Type, field, lookup, FileType,
/// "what"` for an authored table (`Dataset::field`, `Dataset::lookup(id)`, `FileType` for
/// `<wire>.toml`) or `derived Type, builder` for one the release derives
/// (`Dataset::builder()`).
macro_rules! tables {
    (@split [$($authored:tt)*] [$($all:tt)*]
        $(#[doc = $doc:literal])+
        $variant:ident = $wire:literal: derived $ty:ident, $builder:ident;
        $($rest:tt)*
    ) => {
        tables!(@split [$($authored)*]
            [$($all)* { $variant $wire [$($doc)+] derived $ty derived $builder }]
            $($rest)*);
    };
    (@split [$($authored:tt)*] [$($all:tt)*]
        $(#[doc = $doc:literal])+
        $variant:ident = $wire:literal: released $ty:ident;
        $($rest:tt)*
    ) => {
        tables!(@split [$($authored)*]
            [$($all)* { $variant $wire [$($doc)+] derived $ty released release }]
            $($rest)*);
    };
    (@split [$($authored:tt)*] [$($all:tt)*]
        $(#[doc = $doc:literal])+
        $variant:ident = $wire:literal: $kind:ident $ty:ident, $field:ident, $lookup:ident,
            $file:ident, $what:literal;
        $($rest:tt)*
    ) => {
        tables!(@split
            [$($authored)* { $variant $wire $kind $ty $field $lookup $file $what }]
            [$($all)* { $variant $wire [$($doc)+] $kind $ty field $field }]
            $($rest)*);
    };
    (@split [$($authored:tt)*] [$($all:tt)*]) => {
        tables!(@emit [$($authored)*] [$($all)*]);
    };
    (@emit
        [$( { $avariant:ident $awire:literal $akind:ident $aty:ident $afield:ident
              $alookup:ident $afile:ident $awhat:literal } )*]
        [$( { $variant:ident $wire:literal [$($doc:literal)+] $kind:ident $ty:ident
              $how:ident $source:ident } )*]
    ) => {
        vocabulary! {
            /// The table a record belongs to, as named in a release.
            TableName, "table name" {
                $( $(#[doc = $doc])+ $variant = $wire, )*
            }
        }

        impl TableName {
            /// What kind of table this is: authored or derived, citing evidence or not.
            pub const fn kind(self) -> TableKind {
                match self {
                    $( Self::$variant => table_kind!($kind), )*
                }
            }

            /// The authoring file of the table (`visits.toml`), or `None` for a table the
            /// release derives.
            pub const fn authoring_file(self) -> Option<&'static str> {
                match self {
                    $( Self::$avariant => Some(concat!($awire, ".toml")), )*
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }

            /// The table's columns, in release order: its record type's
            /// [`Table::columns`](crate::Table::columns).
            ///
            /// ```
            /// use diplomacy_model::TableName;
            ///
            /// let columns = TableName::Redirects.columns();
            /// assert_eq!(columns[0].name, "from_id");
            /// assert_eq!(columns[0].was, Some("from"));
            /// ```
            pub fn columns(self) -> &'static [crate::table::Column] {
                match self {
                    $( Self::$variant => <crate::$ty as crate::Table>::columns(), )*
                }
            }

            /// What one record of the table is called in messages: `visit`, `dispute event`;
            /// `row` for a derived table.
            pub const fn noun(self) -> &'static str {
                match self {
                    $( Self::$avariant => $awhat, )*
                    #[allow(unreachable_patterns)]
                    _ => "row",
                }
            }

            /// Calls `f` with the record type of an authored table, or returns `None` for a
            /// table the release derives.
            ///
            /// ```
            /// use diplomacy_model::{DatasetTable, TableName, WithTable};
            ///
            /// /// The authoring file of a table, from its type.
            /// struct File;
            /// impl WithTable for File {
            ///     type Output = &'static str;
            ///     fn call<T: DatasetTable>(self) -> &'static str {
            ///         T::FILE
            ///     }
            /// }
            /// assert_eq!(TableName::Visits.with_authored(File), Some("visits.toml"));
            /// assert_eq!(TableName::Evidence.with_authored(File), None);
            /// ```
            pub fn with_authored<F: WithTable>(self, f: F) -> Option<F::Output> {
                match self {
                    $( Self::$avariant => Some(f.call::<crate::$aty>()), )*
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }
        }

        $(
            #[doc = file_doc!($akind, $awire)]
            #[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
            #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
            #[serde(deny_unknown_fields)]
            pub struct $afile {
                #[doc = concat!("The records of `", $awire, "`, in any order.")]
                #[serde(default)]
                pub $afield: Vec<crate::$aty>,
            }

            impl crate::DatasetTable for crate::$aty {
                const FILE: &'static str = concat!($awire, ".toml");
                fn records(data: &crate::Dataset) -> &[Self] {
                    &data.$afield
                }
                fn records_mut(data: &mut crate::Dataset) -> &mut Vec<Self> {
                    &mut data.$afield
                }
            }

            if_fact!($akind,
                impl crate::FactRecord for crate::$aty {
                    fn key(&self) -> &crate::Id {
                        &self.id
                    }
                    fn evidence(&self) -> &[crate::Citation] {
                        &self.evidence
                    }
                    fn evidence_mut(&mut self) -> &mut Vec<crate::Citation> {
                        &mut self.evidence
                    }
                    fn inferred(&self) -> &[crate::Inference] {
                        &self.inferred
                    }
                    fn inferred_mut(&mut self) -> &mut Vec<crate::Inference> {
                        &mut self.inferred
                    }
                }
            );
        )*

        /// Every table's records.
        ///
        /// A dataset read from authoring files holds each fact-bearing record's evidence in the
        /// record itself; [`Dataset::evidence_rows`] flattens it into the release's evidence
        /// table and [`Dataset::attach_evidence`] puts it back.
        #[derive(Debug, Clone, Default, PartialEq, Eq)]
        pub struct Dataset {
            $( #[doc = concat!("The `", $awire, "` table.")] pub $afield: Vec<crate::$aty>, )*
        }

        /// The authoring files of a dataset directory, with the table each holds.
        pub const AUTHORING_FILES: &[(&str, TableName)] = &[
            $( (concat!($awire, ".toml"), TableName::$avariant), )*
        ];

        impl Dataset {
            $(
                #[doc = concat!("The ", $awhat, " whose id is `id`, if there is one: [`Dataset::get`] for `", stringify!($aty), "`.")]
                pub fn $alookup(&self, id: &str) -> Option<&crate::$aty> {
                    self.get::<crate::$aty>(id)
                }
            )*

            /// The number of records in every authored table.
            pub fn len(&self) -> usize {
                0 $( + self.$afield.len() )*
            }

            /// Whether every table is empty.
            pub fn is_empty(&self) -> bool {
                self.len() == 0
            }

            /// Sorts every table by its key, and each record's inferences by field, as a
            /// release publishes them.
            pub fn sort(&mut self) {
                $( self.$afield.sort_by(|a, b| crate::Table::id(a).cmp(crate::Table::id(b))); )*
                $( if_fact!($akind, for r in &mut self.$afield {
                    r.inferred.sort_by(|a, b| a.field.cmp(&b.field));
                }); )*
            }

            /// The release's evidence table: one row per quote, sorted by id.
            pub fn evidence_rows(&self) -> Vec<crate::EvidenceRow> {
                let mut out = Vec::new();
                $( if_fact!($akind, crate::dataset::flatten(&self.$afield, &mut out);); )*
                crate::dataset::sort_evidence(&mut out);
                out
            }

            /// The release's evidence table, as [`Dataset::evidence_rows`], with the quotes
            /// moved out of the records rather than copied: every record's `evidence` is left
            /// empty. For a writer that has written every other table and wants the memory
            /// back.
            pub fn take_evidence_rows(&mut self) -> Vec<crate::EvidenceRow> {
                let mut out = Vec::new();
                $( if_fact!($akind, crate::dataset::flatten_out(&mut self.$afield, &mut out);); )*
                crate::dataset::sort_evidence(&mut out);
                out
            }

            /// How many records stand for several events whose number the text does not give
            /// (`occurrences` = `several`).
            pub fn records_of_several_events(&self) -> usize {
                let mut n = 0;
                $( if_fact!($akind, n += self.$afield.iter().filter(|r| r.occurrences == Some(crate::Occurrences::Several)).count();); )*
                n
            }

            /// The release's `events` table: one row per dated record of every fact table,
            /// sorted by id; a record whose date is empty has none (see
            /// [`EventRow`](crate::EventRow)).
            pub fn event_rows(&self) -> Vec<crate::EventRow> {
                let names = crate::events::Names::new(self);
                let mut out = Vec::new();
                $( if_fact!($akind, crate::events::events(&self.$afield, &names, &mut out);); )*
                out.sort_by(|a, b| a.id.cmp(&b.id));
                out
            }

            /// The temporal coverage of the fact records' dates, stated and inferred apart
            /// (see [`TemporalCoverage`](crate::TemporalCoverage)).
            pub fn temporal_coverage(&self) -> crate::TemporalCoverage {
                let mut coverage = crate::TemporalCoverage::default();
                $( if_fact!($akind, crate::events::coverage(&self.$afield, &mut coverage);); )*
                coverage
            }

            /// The release's `inferences` table: one row per value a record marks inferred,
            /// sorted by id.
            pub fn inference_rows(&self) -> Vec<crate::InferenceRow> {
                let mut out = Vec::new();
                $( if_fact!($akind, crate::dataset::inferences(&self.$afield, &mut out);); )*
                out.sort_by(|a, b| a.id.cmp(&b.id));
                out
            }

            /// Puts a release's inference rows back into the records they belong to.
            ///
            /// Fails with [`Error::OrphanInference`](crate::Error::OrphanInference) for a row
            /// whose record is not in the dataset.
            pub fn attach_inferences(&mut self, rows: Vec<crate::InferenceRow>) -> Result<(), crate::Error> {
                let mut by_record: std::collections::HashMap<(TableName, String), Vec<crate::InferenceRow>> =
                    std::collections::HashMap::new();
                for row in rows {
                    by_record.entry((row.table, row.record.as_str().to_owned())).or_default().push(row);
                }
                $( if_fact!($akind, crate::dataset::attach_inferences(&mut self.$afield, &mut by_record);); )*
                let mut left: Vec<crate::InferenceRow> = by_record.into_values().flatten().collect();
                left.sort_by(|a, b| a.id.cmp(&b.id));
                match left.into_iter().next() {
                    None => Ok(()),
                    Some(row) => Err(crate::Error::OrphanInference {
                        id: row.id,
                        table: row.table,
                        record: row.record.into_string(),
                    }),
                }
            }

            /// Puts a release's evidence rows back into the records they support, replacing
            /// any evidence those records held.
            ///
            /// Fails with [`Error::OrphanEvidence`](crate::Error::OrphanEvidence) for a row
            /// whose record is not in the dataset.
            pub fn attach_evidence(&mut self, rows: Vec<crate::EvidenceRow>) -> Result<(), crate::Error> {
                let mut by_record = crate::dataset::by_record(rows);
                $( if_fact!($akind, crate::dataset::attach(&mut self.$afield, &mut by_record);); )*
                crate::dataset::no_orphans(by_record)
            }

            /// Reads every table with `reader`, evidence included (attached to its records).
            ///
            /// # Errors
            ///
            /// What `reader` fails with, and
            /// [`Error::OrphanEvidence`](crate::Error::OrphanEvidence) for an evidence row
            /// whose record is not there.
            pub fn read_tables<R: TableReader>(reader: &mut R) -> Result<Self, crate::Error> {
                let mut data = Dataset {
                    $( $afield: reader.read::<crate::$aty>()?, )*
                };
                data.attach_inferences(reader.read::<crate::InferenceRow>()?)?;
                data.attach_evidence(reader.read::<crate::EvidenceRow>()?)?;
                Ok(data)
            }

            /// Calls `visitor` on every table in release order, with each derived table built
            /// where it falls in that order (`meeting_participants` after `meetings`,
            /// `evidence` last), and only if the visitor wants it; stops at the first error.
            /// A table built from the source texts too (`source_sentences`) is not visited:
            /// the release builds it.
            pub fn visit_tables<V: crate::TableVisitor>(&self, visitor: &mut V) -> Result<(), V::Error> {
                $( visit_step!(self, visitor, $ty, $how $source); )*
                Ok(())
            }
        }

        /// The JSON Schema of every authoring file but `dataset.toml`, in release order.
        #[cfg(feature = "schema")]
        pub(crate) fn authoring_file_schemas() -> Vec<(&'static str, schemars::Schema)> {
            vec![ $( (concat!($awire, ".toml"), crate::schema::generate::<$afile>()), )* ]
        }
    };
    // Entry (last, so that it never matches the `@` rules):
    ($($entries:tt)*) => {
        tables!(@split [] [] $($entries)*);
    };
    // Entry (last, so that it never matches the `@` rules): split the list into the
    // authored tables and every table.
    ($($entries:tt)*) => {
        tables!(@split [] [] $($entries)*);
    };
}

/// One table of [`Dataset::visit_tables`](crate::Dataset::visit_tables): an authored one
/// from its field, a derived one built by its method, each only if the visitor wants it.
macro_rules! visit_step {
    ($data:ident, $visitor:ident, $ty:ident, field $field:ident) => {
        if $visitor.wants(<crate::$ty as crate::Table>::NAME) {
            $visitor.visit(&$data.$field)?;
        }
    };
    // A table the release builds from more than the dataset (the source texts): not here.
    ($data:ident, $visitor:ident, $ty:ident, released $how:ident) => {};
    ($data:ident, $visitor:ident, $ty:ident, derived $builder:ident) => {
        if $visitor.wants(<crate::$ty as crate::Table>::NAME) {
            $visitor.visit::<crate::$ty>(&$data.$builder())?;
        }
    };
}

/// Something done with the record type of a table chosen at run time:
/// [`TableName::with_authored`].
pub trait WithTable {
    /// What the call gives.
    type Output;
    /// Called with the table's record type.
    fn call<T: crate::DatasetTable>(self) -> Self::Output;
}

/// Reads tables one by one, for [`Dataset::read_tables`](crate::Dataset::read_tables): from
/// a directory of CSV or Parquet files, or a release.
pub trait TableReader {
    /// Reads table `T`'s records.
    fn read<T: crate::Table>(&mut self) -> Result<Vec<T>, crate::Error>;
}

tables! {
    /// Countries and their crosswalk ids.
    Countries = "countries": reference Country, countries, country, CountriesFile,
        "country";
    /// Named people.
    People = "people": reference Person, people, person, PeopleFile, "person";
    /// Organizations and frameworks: the UN, the OSCE, dialogues, commissions.
    Organizations = "organizations": reference Organization, organizations, organization,
        OrganizationsFile, "organization";
    /// The source documents.
    Sources = "sources": reference Source, sources, source, SourcesFile, "source";
    /// Visits of a person or delegation to another country.
    Visits = "visits": fact Visit, visits, visit, VisitsFile, "visit";
    /// Meetings: summits, ministers' meetings, audiences.
    Meetings = "meetings": fact Meeting, meetings, meeting, MeetingsFile, "meeting";
    /// Who took part in each meeting, one row per participant (derived from `meetings`).
    MeetingParticipants = "meeting_participants": derived MeetingParticipant,
        meeting_participants;
    /// Recognitions, diplomatic relations and embassies.
    Recognitions = "recognitions": fact Recognition, recognitions, recognition,
        RecognitionsFile, "recognition";
    /// Statements: policies announced, aims and positions stated, joint statements.
    Statements = "statements": fact Statement, statements, statement, StatementsFile,
        "statement";
    /// Disputes: territorial or armed conflicts.
    Disputes = "disputes": fact Dispute, disputes, dispute, DisputesFile, "dispute";
    /// Events in disputes: agreements, declarations, negotiations, positions.
    DisputeEvents = "dispute_events": fact DisputeEvent, dispute_events, dispute_event,
        DisputeEventsFile, "dispute event";
    /// Documents and agreements signed or issued: treaties, joint statements, declarations,
    /// memoranda.
    Agreements = "agreements": fact Agreement, agreements, agreement, AgreementsFile,
        "agreement";
    /// Cooperation between parties (countries, organizations, companies) in some fields.
    Cooperation = "cooperation": fact Cooperation, cooperation, cooperation_record,
        CooperationFile, "cooperation record";
    /// Offices people hold, as the texts state them.
    Offices = "offices": fact Office, offices, office, OfficesFile, "office";
    /// Ids that were published and now lead to another record.
    Redirects = "redirects": redirect Redirect, redirects, redirect, RedirectsFile,
        "redirect";
    /// Every dated fact of every fact table in one long table, with names beside codes and a
    /// sort key: a timeline in one query.
    Events = "events": derived EventRow, event_rows;
    /// The values records mark inferred, with their basis and reason: drop them to keep only
    /// what the texts state.
    Inferences = "inferences": derived InferenceRow, inference_rows;
    /// The verbatim quotes that support each record.
    Evidence = "evidence": derived EvidenceRow, evidence_rows;
    /// How every sentence of every source is accounted for: cited by records, or excused
    /// with a reason (the release finds the sentences in the archived texts).
    SourceSentences = "source_sentences": released SourceSentence;
}
