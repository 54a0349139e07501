//! The records of every table, as authored in TOML and as published in a release.
//!
//! Field names are the release's column names. A fact-bearing record ([`Visit`], [`Meeting`],
//! [`Recognition`], [`Dispute`], [`DisputeEvent`]) carries the quotes that support it in its
//! `evidence` list; a release flattens those into the `evidence` table ([`EvidenceRow`]).

use serde::{Deserialize, Serialize};

use crate::{AgreementKind, ExcuseReason, Segmentation, SentenceStatus, SourceKind};
use crate::{
    CountryCode, DisputeEventKind, DisputeKind, DisputeStatus, EvidenceRole, Id, InferenceBasis,
    MeetingKind, Occurrences, OrganizationKind, PartialDate, Participant, RecognitionKind,
    StatementKind, Subject, Table, TableName, VisitLevel,
};

#[cfg(feature = "schema")]
use schemars::JsonSchema;

/// A verbatim quote from a source that supports a record.
///
/// The quote must appear in the source's archived text; only runs of whitespace may differ.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Citation {
    /// The id of the source quoted, from sources.toml.
    pub source: Id,
    /// The words of the source, copied exactly: a sentence or clause that supports the record.
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub quote: String,
    /// What the quote does for the record: `claim` (the default) states it; `dateline` dates
    /// relative wording; `title` and `context` help read it but state nothing of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<EvidenceRole>,
    /// The fields whose values the quote states (column names, e.g. `date`, `host_country`);
    /// empty where it supports the record as a whole.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supports: Vec<String>,
    /// Which of the places the quote occurs in its source is meant (from 1), where it occurs
    /// more than once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub occurrence: Option<u32>,
}

impl Citation {
    /// A quote of `source` that states the claim.
    pub fn new(source: Id, quote: impl Into<String>) -> Self {
        Self {
            source,
            quote: quote.into(),
            role: None,
            supports: Vec::new(),
            occurrence: None,
        }
    }

    /// What the quote does for the record: its `role`, or `claim`.
    pub fn role(&self) -> EvidenceRole {
        self.role.unwrap_or(EvidenceRole::Claim)
    }
}

/// A value of a record that its quotes do not state but a careful reader infers: the field,
/// the knowledge it rests on, and why.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Inference {
    /// The field inferred (a column name, e.g. `host_country`).
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub field: String,
    /// What the inference rests on.
    pub basis: InferenceBasis,
    /// Why the value follows, in words.
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub reason: String,
}

/// A country, with its crosswalk ids.
///
/// ```
/// use diplomacy_model::Country;
///
/// let japan: Country = toml::from_str(r#"
///     id = "JPN"
///     name = "Japan"
///     iso2 = "JP"
///     cow_code = 740
///     wikidata = "Q17"
/// "#)?;
/// assert_eq!(japan.cow_code, Some(740));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Table)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[table(name = Countries)]
pub struct Country {
    /// ISO 3166-1 alpha-3 code (ISO 3166-3 for former countries).
    pub id: CountryCode,
    /// The country's short English name.
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub name: String,
    /// Other forms the source texts use for the country (an official name, an adjective),
    /// each found in some source.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_names: Vec<String>,
    /// ISO 3166-1 alpha-2 code.
    ///
    /// A former country has ISO 3166-3's alpha-2 code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(regex(pattern = "^[A-Z]{2}$")))]
    pub iso2: Option<String>,
    /// Correlates of War state number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 9999)))]
    pub cow_code: Option<u16>,
    /// Gleditsch-Ward state number, where a shipped code list confirms it (it differs from
    /// the Correlates of War number for some states).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 9999)))]
    pub gw_code: Option<u16>,
    /// Wikidata item id: `Q` and digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(regex(pattern = "^Q[1-9][0-9]*$")))]
    pub wikidata: Option<String>,
    /// Remarks on the record: inferences, resolved relative dates, doubts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// A person named by a source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Table)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[table(name = People)]
pub struct Person {
    /// Stable id: the family name and the given name as a slug (`hashimoto-ryutaro`); where
    /// the texts give only one name, that name and the first year a text names the person in
    /// (`kishida-2015`), so that a later bearer of the name gets an id of their own.
    pub id: Id,
    /// The name in one style: the given name, then the family name, in ordinary case
    /// (`Ryutaro Hashimoto`, also where a text writes `HASHIMOTO Ryutaro`); a single name
    /// where the texts give one.
    ///
    /// Where `given_name` and `family_name` are both given, `name` is the two joined by a
    /// space, and the validator checks it.
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub name: String,
    /// The family name, as the texts write it (case aside); empty where they give none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub family_name: Option<String>,
    /// The given name, as the texts write it (case aside); empty where they give none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub given_name: Option<String>,
    /// The forms of the name the sources use, where they differ from `name`: other
    /// spellings, a surname-first form (`HASHIMOTO Ryutaro`). Each occurs in some source.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_names: Vec<String>,
    /// The country the person served.
    pub country: CountryCode,
    /// Remarks on the record: inferences, resolved relative dates, doubts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// A source document, archived as text beside the dataset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Table)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[table(name = Sources)]
pub struct Source {
    /// Stable id of the source document.
    ///
    /// Its archived text is usually `sources/<id>.txt`.
    pub id: Id,
    /// The document's title.
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub title: String,
    /// Who published the document.
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub publisher: String,
    /// When the document was published, as precisely as it states.
    pub published: PartialDate,
    /// Where the document was published, where it names its own address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(regex(pattern = "^https?://")))]
    pub url: Option<String>,
    /// The archived text's path in the dataset's repository.
    ///
    /// The path is relative to the dataset directory, e.g. `sources/<id>.txt`; the validator
    /// checks that it stays inside the dataset.
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub file: String,
    /// SHA-256 of the archived text, lower-case hex.
    #[cfg_attr(feature = "schema", schemars(regex(pattern = "^[0-9a-f]{64}$")))]
    pub sha256: String,
    /// The terms under which the document is quoted.
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub rights: String,
    /// The document's language (BCP 47).
    ///
    /// For example `en`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Remarks on the source, such as damage to its text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Who speaks in it: `official`, `press` or `secondary`, where the text or its
    /// publisher shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<SourceKind>,
    /// When the text was archived (received), as precisely as the archive records it; empty
    /// where it does not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived: Option<PartialDate>,
    /// How the text is divided for the sentence ledger: `sentences` (the default, for
    /// prose), `lines`, or `none` (left out of the ledger).
    #[serde(default, skip_serializing_if = "Segmentation::is_default")]
    #[column(absent = "sentences")]
    pub segment: Segmentation,
    /// The sentences no record cites, each with the reason it is left out
    /// (`[[sources.excused]]`).
    ///
    /// Each excuse quotes the text, as evidence does, and covers every sentence its quote
    /// overlaps, wherever the quote occurs. The release publishes how every sentence is
    /// accounted for in its `source_sentences` table, without the text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[column(skip)]
    pub excused: Vec<Excuse>,
}

/// Sentences of a source that no record holds, and why: see [`Source::excused`].
///
/// ```
/// use diplomacy_model::{Excuse, ExcuseReason};
///
/// let excuse: Excuse = toml::from_str(r#"
///     quote = "Home Policy Countries"
///     reason = "navigation"
/// "#)?;
/// assert_eq!(excuse.reason, ExcuseReason::Navigation);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Excuse {
    /// Words of the source, copied exactly (only whitespace may differ; a run of lines may be
    /// quoted as one line): every sentence they overlap is excused.
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub quote: String,
    /// Why no record holds it.
    pub reason: ExcuseReason,
    /// More on why, where the reason alone does not say (which sentence it restates, what
    /// lies outside the scope).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A visit of a person or delegation from one country to another.
///
/// ```
/// use diplomacy_model::{Visit, VisitLevel, DatePrecision};
///
/// let visit: Visit = toml::from_str(r#"
///     id = "1998-02-aze-jpn-aliyev-visit"
///     date = "1998-02"
///     guest_country = "AZE"
///     host_country = "JPN"
///     guest_person = "aliyev-heydar"
///     guest_office = "President"
///     level = "head_of_state"
///     summary = "First official visit of the President of Azerbaijan to Japan."
///
///     [[evidence]]
///     source = "aze-library-1998"
///     quote = "The first official visit of the President of the Republic of Azerbaijan Heydar Aliyev to Japan in February 1998"
/// "#)?;
/// assert_eq!(visit.level, VisitLevel::HeadOfState);
/// assert_eq!(visit.date.precision(), DatePrecision::Month);
/// assert_eq!(visit.evidence.len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Table)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[table(name = Visits)]
pub struct Visit {
    /// Stable id of the visit.
    ///
    /// For example `<date>-<guest country>-<host country>-<visitor>-visit`, in lower case.
    pub id: Id,
    /// When the visit took place, as precisely as the source states.
    pub date: PartialDate,
    /// The visitor's country.
    pub guest_country: CountryCode,
    /// The country visited, where the source says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_country: Option<CountryCode>,
    /// The visitor, where the source names them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[column(references = People)]
    pub guest_person: Option<Id>,
    /// The visitor's office as the source states it.
    ///
    /// For example `Foreign Minister`.
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub guest_office: String,
    /// The visitor's rank.
    pub level: VisitLevel,
    /// What the visit was, in the dataset's own words.
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub summary: String,
    /// Remarks on the record: inferences, resolved relative dates, doubts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// How many events the record stands for: `several` where the text gives a plural whose
    /// number it does not give ("summit meetings"); empty for one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurrences: Option<Occurrences>,
    /// The values of the record that its quotes do not state but a careful reader infers,
    /// each with its basis and reason (published in the `inferences` table).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[column(skip)]
    pub inferred: Vec<Inference>,
    /// The quotes that support the record.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[column(skip)]
    pub evidence: Vec<Citation>,
}

/// A meeting: a summit, a ministers' meeting, negotiations, an audience.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Table)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[table(name = Meetings)]
pub struct Meeting {
    /// Stable id of the meeting.
    pub id: Id,
    /// When the meeting took place, as precisely as the source states.
    pub date: PartialDate,
    /// The country where it took place, where the source says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_country: Option<CountryCode>,
    /// The place as the source states it.
    ///
    /// For example a city or a building.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Who took part: people and organization ids, or COUNTRY:office where the source names only the office.
    ///
    /// The release's `meeting_participants` table has one row per participant, with its
    /// person, organization, country and office.
    pub participants: Vec<Participant>,
    /// The kind of meeting.
    pub kind: MeetingKind,
    /// The occasion: the organization or framework whose meeting or summit it took place at, where the source says.
    ///
    /// For example `asean` for a meeting "on the sidelines of the ASEAN summit".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[column(references = Organizations)]
    pub occasion: Option<Id>,
    /// The visit during which the meeting took place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[column(references = Visits)]
    pub visit: Option<Id>,
    /// What the meeting was, in the dataset's own words.
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub summary: String,
    /// Remarks on the record: inferences, resolved relative dates, doubts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// How many events the record stands for: `several` where the text gives a plural whose
    /// number it does not give ("summit meetings"); empty for one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurrences: Option<Occurrences>,
    /// The values of the record that its quotes do not state but a careful reader infers,
    /// each with its basis and reason (published in the `inferences` table).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[column(skip)]
    pub inferred: Vec<Inference>,
    /// The quotes that support the record.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[column(skip)]
    pub evidence: Vec<Citation>,
}

/// A recognition, an establishment, restoration or break of diplomatic relations, or an
/// embassy opened or closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Table)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[table(name = Recognitions)]
pub struct Recognition {
    /// Stable id of the recognition.
    pub id: Id,
    /// When it happened, as precisely as the source states.
    pub date: PartialDate,
    /// The country that acts: recognises, opens an embassy.
    pub actor_country: CountryCode,
    /// The country acted towards: recognised, where the embassy opens.
    pub subject_country: CountryCode,
    /// What happened.
    pub kind: RecognitionKind,
    /// What happened, in the dataset's own words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Remarks on the record: inferences, resolved relative dates, doubts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// How many events the record stands for: `several` where the text gives a plural whose
    /// number it does not give ("summit meetings"); empty for one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurrences: Option<Occurrences>,
    /// The values of the record that its quotes do not state but a careful reader infers,
    /// each with its basis and reason (published in the `inferences` table).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[column(skip)]
    pub inferred: Vec<Inference>,
    /// The quotes that support the record.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[column(skip)]
    pub evidence: Vec<Citation>,
}

/// A dispute: a territorial dispute or an armed conflict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Table)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[table(name = Disputes)]
pub struct Dispute {
    /// Stable id of the dispute.
    ///
    /// Usually the dispute's name as a slug.
    pub id: Id,
    /// The dispute's name.
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub name: String,
    /// Other names the sources use.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_names: Vec<String>,
    /// The kind of dispute.
    pub kind: DisputeKind,
    /// The countries party to it (alpha-3 codes).
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub parties: Vec<CountryCode>,
    /// Its state, as the sources state it as of their dates.
    pub status: DisputeStatus,
    /// What the dispute is about, in the dataset's own words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Remarks on the record: inferences, resolved relative dates, doubts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// How many events the record stands for: `several` where the text gives a plural whose
    /// number it does not give ("summit meetings"); empty for one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurrences: Option<Occurrences>,
    /// The values of the record that its quotes do not state but a careful reader infers,
    /// each with its basis and reason (published in the `inferences` table).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[column(skip)]
    pub inferred: Vec<Inference>,
    /// The quotes that support the record.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[column(skip)]
    pub evidence: Vec<Citation>,
}

/// An event in a dispute: an agreement, a declaration, a negotiation, a stated position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Table)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[table(name = DisputeEvents)]
pub struct DisputeEvent {
    /// Stable id of the event.
    pub id: Id,
    /// The dispute.
    #[column(references = Disputes)]
    pub dispute: Id,
    /// When it happened, where the source says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<PartialDate>,
    /// The kind of event.
    pub kind: DisputeEventKind,
    /// The country that acts or states the position.
    pub actor_country: CountryCode,
    /// The other side, where there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counterpart_country: Option<CountryCode>,
    /// The meeting at which it happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[column(references = Meetings)]
    pub meeting: Option<Id>,
    /// What happened, in the dataset's own words.
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub summary: String,
    /// Remarks on the record: inferences, resolved relative dates, doubts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// How many events the record stands for: `several` where the text gives a plural whose
    /// number it does not give ("summit meetings"); empty for one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurrences: Option<Occurrences>,
    /// The values of the record that its quotes do not state but a careful reader infers,
    /// each with its basis and reason (published in the `inferences` table).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[column(skip)]
    pub inferred: Vec<Inference>,
    /// The quotes that support the record.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[column(skip)]
    pub evidence: Vec<Citation>,
}

/// An organization or framework a source names: an intergovernmental organization, one of
/// its organs, a dialogue framework, a bilateral commission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Table)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[table(name = Organizations)]
pub struct Organization {
    /// Stable id, e.g. asean.
    pub id: Id,
    /// The name as the sources write it.
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub name: String,
    /// Other names and abbreviations the sources use.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_names: Vec<String>,
    /// What kind of body it is.
    pub kind: OrganizationKind,
    /// Wikidata item id, where verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(regex(pattern = "^Q[1-9][0-9]*$")))]
    pub wikidata: Option<String>,
    /// Remarks on the record: inferences, resolved relative dates, doubts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// A statement: a policy announced, an aim or a position stated, a joint statement issued.
///
/// Positions that are events of a dispute are dispute events; a statement may still name the
/// dispute it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Table)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[table(name = Statements)]
pub struct Statement {
    /// Stable id of the statement.
    pub id: Id,
    /// When it was stated, as precisely as the source says; empty where the source gives no date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<PartialDate>,
    /// The country that states it (for a joint statement, one of its parties; the others are in `about`).
    pub actor_country: CountryCode,
    /// Who stated it: a person id, or COUNTRY:office where the source names only the office; empty where the source names no one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<Participant>,
    /// The kind of statement.
    pub kind: StatementKind,
    /// Whom it is about: country codes and organization ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub about: Vec<Subject>,
    /// The dispute it concerns, where there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[column(references = Disputes)]
    pub dispute: Option<Id>,
    /// The meeting at which it was stated, where the source ties it to one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[column(references = Meetings)]
    pub meeting: Option<Id>,
    /// What was stated, in the dataset's own words.
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub summary: String,
    /// Remarks on the record: inferences, resolved relative dates, doubts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// How many events the record stands for: `several` where the text gives a plural whose
    /// number it does not give ("summit meetings"); empty for one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurrences: Option<Occurrences>,
    /// The values of the record that its quotes do not state but a careful reader infers,
    /// each with its basis and reason (published in the `inferences` table).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[column(skip)]
    pub inferred: Vec<Inference>,
    /// The quotes that support the record.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[column(skip)]
    pub evidence: Vec<Citation>,
}

/// Documents and agreements signed or issued: treaties, agreements, joint statements,
/// declarations, memoranda, plans.
///
/// ```
/// use diplomacy_model::{Agreement, AgreementKind};
///
/// let a: Agreement = toml::from_str(r#"
///     id = "1998-02-aze-jpn-eight-agreements"
///     date = "1998-02"
///     kind = "unspecified"
///     documents = 8
///     parties = ["AZE", "JPN"]
///     fields = ["policy", "economy", "technology"]
///     visit = "1998-02-aze-jpn-aliyev-visit"
///     summary = "Eight agreements signed at the end of President Aliyev's visit to Japan."
///
///     [[evidence]]
///     source = "aze-library-1998"
///     quote = "eight agreements were signed between Azerbaijan and Japan"
/// "#)?;
/// assert_eq!(a.kind, AgreementKind::Unspecified);
/// assert_eq!(a.documents, Some(8));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Table)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[table(name = Agreements)]
pub struct Agreement {
    /// Stable id of the agreement.
    pub id: Id,
    /// When it was signed or issued, as precisely as the source states; empty where it gives
    /// no date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<PartialDate>,
    /// The kind of document; `unspecified` where the text does not say.
    pub kind: AgreementKind,
    /// Its title as the source gives it, where it gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// How many documents the record stands for, where the text gives a number ("eight
    /// agreements"); empty for one, or for a plural whose number is not given (then
    /// `occurrences` is `several`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(range(min = 2)))]
    pub documents: Option<u32>,
    /// The countries that are its parties.
    pub parties: Vec<CountryCode>,
    /// Who signed or issued it, where the source says: person ids, or COUNTRY:office where
    /// it names only the office.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signatories: Vec<Participant>,
    /// The fields it covers, in the source's words (`economy`, `technology`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    /// The visit at which it was signed or issued, where the source ties it to one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[column(references = Visits)]
    pub visit: Option<Id>,
    /// The meeting at which it was signed or issued, where the source ties it to one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[column(references = Meetings)]
    pub meeting: Option<Id>,
    /// What it is, in the dataset's own words.
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub summary: String,
    /// Remarks on the record: inferences, resolved relative dates, doubts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// How many events the record stands for: `several` where the text gives a plural whose
    /// number it does not give ("summit meetings"); empty for one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurrences: Option<Occurrences>,
    /// The values of the record that its quotes do not state but a careful reader infers,
    /// each with its basis and reason (published in the `inferences` table).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[column(skip)]
    pub inferred: Vec<Inference>,
    /// The quotes that support the record.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[column(skip)]
    pub evidence: Vec<Citation>,
}

/// Cooperation between parties (countries, organizations, companies) in some fields, as the
/// texts state it.
///
/// ```
/// use diplomacy_model::Cooperation;
///
/// let c: Cooperation = toml::from_str(r#"
///     id = "jpn-silk-road-cooperation"
///     parties = ["JPN", "KAZ"]
///     fields = ["economic cooperation", "cultural exchange"]
///     summary = "Cooperation between Japan and the Silk Road countries in several fields."
///
///     [[evidence]]
///     source = "mofa-japan-kazakhstan"
///     quote = "cooperation between Japan and the Silk Road countries, including Kazakhstan, has steadily developed"
/// "#)?;
/// assert_eq!(c.fields.len(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Table)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[table(name = Cooperation)]
pub struct Cooperation {
    /// Stable id of the cooperation.
    pub id: Id,
    /// When it took place or began, as precisely as the source states; empty where it gives
    /// no date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<PartialDate>,
    /// Who cooperates: country codes and organization ids (companies are organizations).
    pub parties: Vec<Subject>,
    /// The fields of the cooperation, in the source's words (`energy`, `cultural exchange`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    /// The framework it takes place in (a dialogue, a commission), where the source names
    /// one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[column(references = Organizations)]
    pub framework: Option<Id>,
    /// The policy it follows (a statement), where the source ties it to one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[column(references = Statements)]
    pub policy: Option<Id>,
    /// What the cooperation is, in the dataset's own words.
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub summary: String,
    /// Remarks on the record: inferences, resolved relative dates, doubts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// How many events the record stands for: `several` where the text gives a plural whose
    /// number it does not give ("summit meetings"); empty for one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurrences: Option<Occurrences>,
    /// The values of the record that its quotes do not state but a careful reader infers,
    /// each with its basis and reason (published in the `inferences` table).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[column(skip)]
    pub inferred: Vec<Inference>,
    /// The quotes that support the record.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[column(skip)]
    pub evidence: Vec<Citation>,
}

/// An office a person holds, as a text states it: "the then Prime Minister of Japan
/// HASHIMOTO Ryutaro".
///
/// ```
/// use diplomacy_model::Office;
///
/// let o: Office = toml::from_str(r#"
///     id = "hashimoto-ryutaro-prime-minister-1997-07"
///     person = "hashimoto-ryutaro"
///     office = "Prime Minister"
///     country = "JPN"
///     date = "1997-07"
///     summary = "Hashimoto Ryutaro was Prime Minister of Japan in July 1997."
///
///     [[evidence]]
///     source = "mofa-japan-kazakhstan"
///     quote = "In July 1997, the then Prime Minister of Japan HASHIMOTO Ryutaro announced"
/// "#)?;
/// assert_eq!(o.office, "Prime Minister");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Table)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[table(name = Offices)]
pub struct Office {
    /// Stable id of the record.
    pub id: Id,
    /// The person.
    #[column(references = People)]
    pub person: Id,
    /// The office, in the source's words (`Prime Minister`, `Foreign Minister`).
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub office: String,
    /// The country the office is of, where the source says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<CountryCode>,
    /// When the source says the person held it ("as of"), as precisely as it states; empty
    /// where it gives no date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<PartialDate>,
    /// What the record says, in the dataset's own words.
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub summary: String,
    /// Remarks on the record: inferences, resolved relative dates, doubts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// How many events the record stands for: `several` where the text gives a plural whose
    /// number it does not give ("summit meetings"); empty for one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurrences: Option<Occurrences>,
    /// The values of the record that its quotes do not state but a careful reader infers,
    /// each with its basis and reason (published in the `inferences` table).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[column(skip)]
    pub inferred: Vec<Inference>,
    /// The quotes that support the record.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[column(skip)]
    pub evidence: Vec<Citation>,
}

/// One row of a release's `meeting_participants` table: one participant of one meeting,
/// derived from the meeting's `participants`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Table)]
#[table(name = MeetingParticipants)]
pub struct MeetingParticipant {
    /// `<meeting>/<n>`: the meeting's id and the participant's position among its participants.
    pub id: String,
    /// The meeting.
    #[column(references = Meetings)]
    pub meeting: Id,
    /// The participant as the meeting lists it: an id, or COUNTRY:office.
    pub participant: String,
    /// The person, where the participant is one.
    #[column(references = People)]
    pub person: Option<Id>,
    /// The organization, where the participant is one.
    #[column(references = Organizations)]
    pub organization: Option<Id>,
    /// The participant's country: the person's, or the office's; empty for an organization.
    pub country: Option<CountryCode>,
    /// The office, where the source names only the office.
    pub office: Option<String>,
}

/// One row of a release's `evidence` table: a quote that supports one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Table)]
#[table(name = Evidence)]
pub struct EvidenceRow {
    /// `<record>/<n>`: the record's id and the quote's position among its quotes.
    pub id: String,
    /// The table of the record supported.
    #[column(name = "record_table", was = "table")]
    pub table: TableName,
    /// The id of the record supported (a key of the table `record_table` names).
    pub record: Id,
    /// The quote's 1-based position among the record's quotes.
    pub position: u32,
    /// The id of the source quoted.
    #[column(references = Sources)]
    pub source: Id,
    /// The words of the source, verbatim.
    pub quote: String,
    /// What the quote does for the record: `claim` states it; `dateline` dates relative
    /// wording; `title` and `context` help read it but state nothing of it.
    #[column(absent = "claim")]
    pub role: EvidenceRole,
    /// The fields whose values the quote states; empty where it supports the record as a
    /// whole.
    pub supports: Vec<String>,
    /// Which of the places the quote occurs in its source is meant (from 1), where the record
    /// says.
    pub occurrence: Option<u32>,
    /// Where the quote begins in its source's archived text: a byte offset from 0 (the W3C
    /// TextPositionSelector's start). Empty where the quote occurs more than once and the
    /// record does not say which.
    #[column(name = "start_byte", was = "start")]
    pub start: Option<u32>,
    /// The byte offset just past the quote's last word in its source's archived text.
    #[column(name = "end_byte", was = "end")]
    pub end: Option<u32>,
    /// The number of the source's sentence the quote begins in (row `<source>/<sentence>` of
    /// the `source_sentences` table); empty where the quote has no anchor.
    pub sentence: Option<u32>,
    /// Up to 32 characters of the source just before the quote (the W3C TextQuoteSelector's
    /// prefix).
    pub prefix: Option<String>,
    /// Up to 32 characters of the source just after the quote (the TextQuoteSelector's
    /// suffix).
    pub suffix: Option<String>,
}

/// One row of a release's `source_sentences` table: how one sentence of a source's archived
/// text is accounted for, with its place in the text but not its words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Table)]
#[table(name = SourceSentences)]
pub struct SourceSentence {
    /// `<source>/<n>`: the source's id and the sentence's number.
    pub id: String,
    /// The source.
    #[column(references = Sources)]
    pub source: Id,
    /// The sentence's number in its source, from 1, in text order.
    pub sentence: u32,
    /// Where the sentence begins in the source's archived text: a byte offset from 0.
    #[column(name = "start_byte", was = "start")]
    pub start: u32,
    /// The byte offset just past the sentence's last character.
    #[column(name = "end_byte", was = "end")]
    pub end: u32,
    /// `cited` (some record quotes it), `excused` (the source says why none does) or
    /// `unaccounted`.
    pub status: SentenceStatus,
    /// Why it is excused, where it is.
    pub reason: Option<ExcuseReason>,
    /// The records whose quotes overlap it.
    pub records: Vec<Id>,
}

/// One row of a release's `inferences` table: a value of a record that its quotes do not
/// state but a careful reader infers. Drop the records' fields listed here to keep only what
/// the texts state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Table)]
#[table(name = Inferences)]
pub struct InferenceRow {
    /// `<record>/<field>`.
    pub id: String,
    /// The table of the record.
    #[column(name = "record_table", was = "table")]
    pub table: TableName,
    /// The id of the record (a key of the table `record_table` names).
    pub record: Id,
    /// The field inferred (a column of that table).
    pub field: String,
    /// What the inference rests on.
    pub basis: InferenceBasis,
    /// Why the value follows, in words.
    pub reason: String,
}

/// The dataset's metadata, from `dataset.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DatasetMeta {
    /// Machine name: lower-case letters, digits and hyphens, e.g. `my-dataset`.
    pub name: Id,
    /// Human title.
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub title: String,
    /// Semantic version of the data, e.g. `1.0.0` (checked by the validator).
    pub version: String,
    /// What the dataset covers.
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub description: String,
    /// SPDX identifier of the data licence, e.g. `CC-BY-4.0`.
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub license: String,
    /// Keywords for catalogues.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// Who compiled the dataset, as they wish to be cited.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    /// Where the dataset lives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(regex(pattern = "^https?://")))]
    pub homepage: Option<String>,
    /// The repository the dataset is kept in (its URL), for citations and catalogues; never
    /// guessed: left out where there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(regex(pattern = "^https?://")))]
    pub repository: Option<String>,
    /// The DOI of this version, where one is registered, e.g. `10.5281/zenodo.1234567`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schemars(regex(pattern = "^10\\.[0-9]{4,9}/\\S+$"))
    )]
    pub doi: Option<String>,
    /// The day this version is released (`YYYY-MM-DD`), set when it is published: the
    /// release date of `CITATION.cff`, `.zenodo.json` and the catalogues. An input, so that
    /// two releases of the same inputs stay byte-identical.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schemars(regex(pattern = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"))
    )]
    pub released: Option<String>,
    /// Notes on this version, printed under its heading in the release's changelog: one
    /// string or a list of strings.
    ///
    /// Say here what the list of changes cannot, such as why a version whose records did not
    /// change has new files.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "one_or_many"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "OneOrMany"))]
    pub notes: Vec<String>,
    /// The rules the dataset asks to be enforced as errors rather than warnings:
    /// `entailment` (every stated value is stated by one of its record's quotes, or marked
    /// inferred) and `ledger` (every sentence of every source cited or excused).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub require: Vec<crate::Requirement>,
}

/// One string or a list of strings, as `dataset.toml` may write its `notes`.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(untagged)]
enum OneOrMany {
    /// One note.
    One(#[cfg_attr(feature = "schema", schemars(length(min = 1)))] String),
    /// Several notes, in order.
    Many(Vec<String>),
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(note) => vec![note],
        OneOrMany::Many(notes) => notes,
    })
}
