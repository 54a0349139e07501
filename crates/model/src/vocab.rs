//! Controlled vocabularies: the values a categorical column may take.
//!
//! Each vocabulary is an enum written in `snake_case` on the wire (TOML, CSV, Parquet), with
//! every value documented. [`Vocabulary`] lists the values and their meaning, so the JSON
//! Schema, the release's Table Schema and its data card all come from this one definition.

/// A value that is not in its vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{found:?} is not a valid {vocabulary}: expected one of {}", expected.join(", "))]
pub struct VocabularyError {
    /// The vocabulary's name, e.g. `visit level`.
    pub vocabulary: &'static str,
    /// The value that was read.
    pub found: String,
    /// Every value the vocabulary allows.
    pub expected: &'static [&'static str],
}

/// A controlled vocabulary: an enum whose values are fixed strings.
pub trait Vocabulary: Copy + Sized + 'static {
    /// The vocabulary's name in messages, e.g. `visit level`.
    const NAME: &'static str;
    /// Every value, in declaration order.
    const ALL: &'static [Self];
    /// Every value's wire form, in declaration order.
    const NAMES: &'static [&'static str];
    /// The value's wire form.
    fn as_str(self) -> &'static str;
    /// What the value means.
    fn description(self) -> &'static str;
}

macro_rules! vocabulary {
    (
        $(#[doc = $doc:literal])*
        $name:ident, $display:literal {
            $( $(#[doc = $vdoc:literal])+ $variant:ident = $wire:literal, )+
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[doc = $vdoc])+ $variant, )+
        }

        impl $crate::Vocabulary for $name {
            const NAME: &'static str = $display;
            const ALL: &'static [Self] = &[$(Self::$variant),+];
            const NAMES: &'static [&'static str] = &[$($wire),+];
            fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $wire,)+ }
            }
            fn description(self) -> &'static str {
                match self { $(Self::$variant => concat!($($vdoc),+).trim_ascii(),)+ }
            }
        }

        impl $name {
            /// The value's wire form, e.g. as written in TOML and CSV.
            pub fn as_str(self) -> &'static str {
                <Self as $crate::Vocabulary>::as_str(self)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::VocabularyError;
            fn from_str(s: &str) -> Result<Self, $crate::VocabularyError> {
                match s {
                    $($wire => Ok(Self::$variant),)+
                    _ => Err($crate::VocabularyError {
                        vocabulary: $display,
                        found: s.to_owned(),
                        expected: <Self as $crate::Vocabulary>::NAMES,
                    }),
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Visitor;
                impl serde::de::Visitor<'_> for Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        write!(f, "a {}", $display)
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$name, E> {
                        v.parse().map_err(E::custom)
                    }
                }
                deserializer.deserialize_str(Visitor)
            }
        }

        #[cfg(feature = "schema")]
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                let mut description = String::from(concat!($($doc),*).trim_ascii());
                for v in <Self as $crate::Vocabulary>::ALL {
                    description.push_str(&format!("\n- `{}`: {}", v.as_str(), $crate::Vocabulary::description(*v)));
                }
                schemars::json_schema!({
                    "type": "string",
                    "enum": <Self as $crate::Vocabulary>::NAMES,
                    "description": description,
                })
            }
        }
    };
}

pub(crate) use vocabulary;

vocabulary! {
    /// The rank of a visiting guest.
    VisitLevel, "visit level" {
        /// A head of state: a president or monarch.
        HeadOfState = "head_of_state",
        /// A head of government: a prime minister.
        HeadOfGovernment = "head_of_government",
        /// A foreign minister.
        ForeignMinister = "foreign_minister",
        /// Another minister or a head of a government agency of ministerial rank.
        Minister = "minister",
        /// A member of parliament.
        Parliamentarian = "parliamentarian",
        /// A delegation or mission not led by one of the above.
        Delegation = "delegation",
        /// Any other guest.
        Other = "other",
    }
}

vocabulary! {
    /// The kind of a meeting.
    MeetingKind, "meeting kind" {
        /// Talks between heads of state or government.
        Summit = "summit",
        /// Talks between foreign ministers.
        ForeignMinisters = "foreign_ministers",
        /// Talks or negotiations between deputy or vice ministers.
        ViceMinisterial = "vice_ministerial",
        /// An audience with a monarch.
        Audience = "audience",
        /// Any other meeting, such as an intergovernmental committee.
        Other = "other",
    }
}

vocabulary! {
    /// The kind of a recognition or a change in diplomatic relations.
    RecognitionKind, "recognition kind" {
        /// One country recognises another as a state.
        Recognition = "recognition",
        /// Diplomatic relations are established.
        DiplomaticRelationsEstablished = "diplomatic_relations_established",
        /// Diplomatic relations are restored after a break.
        DiplomaticRelationsRestored = "diplomatic_relations_restored",
        /// Diplomatic relations are severed.
        DiplomaticRelationsSevered = "diplomatic_relations_severed",
        /// The actor country opens an embassy in the subject country.
        EmbassyOpened = "embassy_opened",
        /// The actor country closes its embassy in the subject country.
        EmbassyClosed = "embassy_closed",
        /// Any other act of recognition or relations.
        Other = "other",
    }
}

vocabulary! {
    /// The kind of a dispute.
    DisputeKind, "dispute kind" {
        /// A dispute over sovereignty of territory.
        Territorial = "territorial",
        /// An armed conflict.
        ArmedConflict = "armed_conflict",
        /// Any other dispute.
        Other = "other",
    }
}

vocabulary! {
    /// The state of a dispute, as its sources state it as of their dates.
    DisputeStatus, "dispute status" {
        /// Not settled.
        Unresolved = "unresolved",
        /// Settled.
        Resolved = "resolved",
        /// Any other state.
        Other = "other",
    }
}

vocabulary! {
    /// The kind of an event in a dispute.
    DisputeEventKind, "dispute event kind" {
        /// An agreement between the parties.
        Agreement = "agreement",
        /// A joint or unilateral declaration.
        Declaration = "declaration",
        /// A memorandum or note.
        Memorandum = "memorandum",
        /// A round or a stage of negotiations.
        Negotiation = "negotiation",
        /// A position stated by a country.
        Position = "position",
        /// A meeting at which the dispute was discussed.
        Meeting = "meeting",
        /// A treaty signed or ratified.
        Treaty = "treaty",
        /// Any other event.
        Other = "other",
    }
}

vocabulary! {
    /// The kind of a statement.
    StatementKind, "statement kind" {
        /// A government announces a new policy or concept.
        PolicyAnnouncement = "policy_announcement",
        /// A policy a country has adopted or pursues, as the source reports it.
        Policy = "policy",
        /// What a country says it seeks, intends or will do.
        StatedAim = "stated_aim",
        /// What a country says it supports, holds or judges to be the case.
        StatedPosition = "stated_position",
        /// A named document issued jointly by two or more countries.
        JointStatement = "joint_statement",
        /// An aim or position two or more countries confirmed or affirmed together, with no
        /// document named.
        JointPosition = "joint_position",
    }
}

vocabulary! {
    /// The kind of an organization.
    OrganizationKind, "organization kind" {
        /// An organization of states, such as the UN or ASEAN.
        IntergovernmentalOrganization = "intergovernmental_organization",
        /// A body of an intergovernmental organization, such as the UN Security Council.
        Organ = "organ",
        /// A standing framework of dialogue between countries.
        DialogueFramework = "dialogue_framework",
        /// A commission or committee of two countries.
        BilateralCommission = "bilateral_commission",
        /// A business: a company or a group of companies.
        Company = "company",
        /// Any other body.
        Other = "other",
    }
}

vocabulary! {
    /// What a quote does for its record.
    EvidenceRole, "evidence role" {
        /// It states the claim itself (the default).
        Claim = "claim",
        /// A dateline or byline, cited to date relative wording ("on Friday", "last month").
        Dateline = "dateline",
        /// A title or heading, cited for what the text is about.
        Title = "title",
        /// Context that helps read the claim but does not state it.
        Context = "context",
    }
}

vocabulary! {
    /// What a careful reader knows that lets a value be inferred where the text does not
    /// state it.
    InferenceBasis, "inference basis" {
        /// Geography: the member states of a region the text names, a capital's country.
        Geography = "geography",
        /// The calendar: the date of a weekday before a dateline, the start of a named period.
        Calendar = "calendar",
        /// Identity: the same person or body under another name, a person's country.
        Identity = "identity",
        /// Attribution: who published an undated text, which edition it belongs to.
        Attribution = "attribution",
        /// A count: how many events a plural stands for.
        Count = "count",
        /// Another basis, said in the reason.
        Other = "other",
    }
}

vocabulary! {
    /// How many events a record stands for.
    Occurrences, "occurrences" {
        /// One event.
        One = "one",
        /// Several events, whose number the text does not give ("summit meetings").
        Several = "several",
    }
}

vocabulary! {
    /// Who speaks in a source: its kind, for weighing what it says.
    SourceKind, "source kind" {
        /// A government, ministry, head of state's office or international organization
        /// speaking for itself (a foreign ministry's page, a Diplomatic Bluebook).
        Official = "official",
        /// A news agency, newspaper or broadcaster.
        Press = "press",
        /// A book, article, encyclopedia or database that writes about the events.
        Secondary = "secondary",
    }
}

vocabulary! {
    /// What kind of document an agreement is.
    AgreementKind, "agreement kind" {
        /// A treaty, ratified by its parties.
        Treaty = "treaty",
        /// An agreement, accord or convention signed by its parties.
        Agreement = "agreement",
        /// A joint statement or joint communiqué.
        JointStatement = "joint_statement",
        /// A declaration.
        Declaration = "declaration",
        /// A memorandum of understanding or of cooperation.
        Memorandum = "memorandum",
        /// A plan or programme of action adopted by the parties.
        Plan = "plan",
        /// Documents whose kind the text does not say ("eight agreements" may be any).
        Unspecified = "unspecified",
    }
}

vocabulary! {
    /// Why a sentence of a source is held by no record.
    ExcuseReason, "excuse reason" {
        /// Navigation, menus, page furniture or boilerplate of the page the text was taken
        /// from.
        Navigation = "navigation",
        /// A title or heading that states no fact of its own.
        Heading = "heading",
        /// Part of another article or item that the page happens to carry.
        Unrelated = "unrelated",
        /// A statement of fact outside the dataset's scope (other countries, other matters).
        OutOfScope = "out_of_scope",
        /// Says again what a sentence already held by a record says.
        Restates = "restates",
        /// Opinion, commentary or general wording that states no datable fact.
        NoFact = "no_fact",
    }
}

vocabulary! {
    /// How a sentence of a source is accounted for in the sentence ledger.
    SentenceStatus, "sentence status" {
        /// Some record quotes it, in whole or in part.
        Cited = "cited",
        /// No record quotes it; the source excuses it with a reason.
        Excused = "excused",
        /// Neither cited nor excused (only in a dataset that does not require the ledger).
        Unaccounted = "unaccounted",
    }
}

vocabulary! {
    /// How a source's archived text is divided into the units the sentence ledger accounts
    /// for.
    Segmentation, "segmentation" {
        /// Sentences, by the Unicode sentence boundaries (UAX #29); a line break ends a
        /// sentence too. For prose.
        Sentences = "sentences",
        /// Lines: one unit per non-blank line. For structured text such as a CSV or a list.
        Lines = "lines",
        /// Not divided: the source is left out of the ledger (data exports such as XML).
        NotSegmented = "none",
    }
}

impl Segmentation {
    /// Whether this is the default, [`Segmentation::Sentences`] (left out of authoring files).
    pub fn is_default(&self) -> bool {
        *self == Self::Sentences
    }
}

impl Default for Segmentation {
    /// Sentences: sources are prose unless they say otherwise.
    fn default() -> Self {
        Self::Sentences
    }
}

vocabulary! {
    /// What kind of date a [`PartialDate`](crate::PartialDate) is, read from its EDTF form
    /// ([`PartialDate::kind`](crate::PartialDate::kind)): one day, one day of a range, a period,
    /// or a date known by one bound only.
    DateKind, "date kind" {
        /// One known day: `1998-02-26`, qualified or not (`1998-02-26?`).
        Day = "day",
        /// One day of a range, which the source does not give: a month (`1998-02`), a year
        /// (`1998`, `1998-XX`), a decade or century (`199X`, `19XX`), or one day between two
        /// bounds (`[1999-12..2026-11]`).
        OneOf = "one_of",
        /// A period with two known ends, lasting from the one to the other
        /// (`1997-07/1997-12`, `1997?/1998~`).
        Period = "period",
        /// A date known by one bound only, as of which the record holds: on or before
        /// (`[..1960]`, `../1998`, `/1998`), on or after (`[1997-07..]`), or from a day on with an
        /// open or unknown end (`1997-07/..`, `1997-07/`).
        AsOf = "as_of",
    }
}

vocabulary! {
    /// A rule a dataset asks to be enforced as an error (it is a warning otherwise).
    Requirement, "requirement" {
        /// Every stated value is entailed by one of its record's quotes, or marked inferred.
        Entailment = "entailment",
        /// Every sentence of every archived source is cited by some record or excused with a
        /// reason (the sentence ledger).
        Ledger = "ledger",
    }
}

impl Vocabulary for crate::DatePrecision {
    const NAME: &'static str = "date precision";
    const ALL: &'static [Self] = crate::DatePrecision::ALL;
    const NAMES: &'static [&'static str] = &["day", "month", "year", "decade", "century", "range"];
    fn as_str(self) -> &'static str {
        crate::DatePrecision::as_str(self)
    }
    fn description(self) -> &'static str {
        match self {
            Self::Day => "known to the day",
            Self::Month => "known to the month (1998-02, 1998-02-XX)",
            Self::Year => "known to the year (1998, 1998-XX)",
            Self::Decade => "known to the decade (199X)",
            Self::Century => "known to the century (19XX)",
            Self::Range => {
                "known only to lie between two bounds, either of which may be open or unknown (1997-07/1997-12, 1997-07/.., 1997-07/, [1997-07..], [..1960])"
            }
        }
    }
}

impl Vocabulary for crate::DateCertainty {
    const NAME: &'static str = "date certainty";
    const ALL: &'static [Self] = crate::DateCertainty::ALL;
    const NAMES: &'static [&'static str] = &[
        "certain",
        "uncertain",
        "approximate",
        "uncertain_approximate",
    ];
    fn as_str(self) -> &'static str {
        crate::DateCertainty::as_str(self)
    }
    fn description(self) -> &'static str {
        match self {
            Self::Certain => "as the source states it (no qualifier)",
            Self::Uncertain => "uncertain: given with doubt or inferred (?)",
            Self::Approximate => "approximate: given as about or circa (~)",
            Self::UncertainApproximate => {
                "both uncertain and approximate (%, or ? and ~ on the two ends of an interval)"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TableName;
    use std::fmt;
    use std::str::FromStr;

    /// Every value's wire form, description and parse (where the type parses) agree.
    fn round_trips<V: Vocabulary + PartialEq + fmt::Debug>() {
        assert_eq!(V::ALL.len(), V::NAMES.len());
        for (v, name) in V::ALL.iter().zip(V::NAMES) {
            assert_eq!(v.as_str(), *name);
            assert!(!v.description().is_empty());
            assert!(name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
            assert_eq!(V::NAMES.iter().filter(|n| *n == name).count(), 1, "{name}");
        }
    }

    fn parses<V: Vocabulary + FromStr + PartialEq + fmt::Debug>() {
        for (v, name) in V::ALL.iter().zip(V::NAMES) {
            assert_eq!(name.parse::<V>().ok(), Some(*v));
        }
        assert!("no such value".parse::<V>().is_err());
    }

    #[test]
    fn every_vocabulary_round_trips() {
        round_trips::<VisitLevel>();
        round_trips::<MeetingKind>();
        round_trips::<RecognitionKind>();
        round_trips::<DisputeKind>();
        round_trips::<DisputeStatus>();
        round_trips::<DisputeEventKind>();
        round_trips::<StatementKind>();
        round_trips::<OrganizationKind>();
        round_trips::<TableName>();
        round_trips::<EvidenceRole>();
        round_trips::<InferenceBasis>();
        round_trips::<Occurrences>();
        round_trips::<Requirement>();
        round_trips::<ExcuseReason>();
        round_trips::<AgreementKind>();
        round_trips::<SourceKind>();
        round_trips::<SentenceStatus>();
        round_trips::<Segmentation>();
        round_trips::<DateKind>();
        round_trips::<crate::DatePrecision>();
        round_trips::<crate::DateCertainty>();
        parses::<VisitLevel>();
        parses::<MeetingKind>();
        parses::<RecognitionKind>();
        parses::<DisputeKind>();
        parses::<DisputeStatus>();
        parses::<DisputeEventKind>();
        parses::<StatementKind>();
        parses::<OrganizationKind>();
        parses::<TableName>();
        parses::<EvidenceRole>();
        parses::<AgreementKind>();
        parses::<DateKind>();
    }

    /// Every vocabulary the crate declares is in the test above: the declarations are
    /// counted in the sources (`vocabulary!` calls and hand-written impls).
    #[test]
    fn the_round_trip_covers_every_vocabulary() {
        let test = include_str!("vocab.rs");
        let test = &test[test.find("fn every_vocabulary_round_trips").unwrap_or(0)..];
        let tested = test
            .lines()
            .take_while(|l| !l.starts_with("    }"))
            .filter(|l| l.contains("round_trips::<"))
            .count();
        let sources = [include_str!("vocab.rs"), include_str!("registry.rs")];
        let declared: usize = sources
            .iter()
            .map(|s| {
                s.lines()
                    .filter(|l| {
                        l.trim_start().starts_with("vocabulary! {")
                            || l.starts_with("impl Vocabulary for ")
                    })
                    .count()
            })
            .sum();
        assert_eq!(
            tested, declared,
            "a vocabulary is missing from the round trip"
        );
    }

    #[test]
    fn unknown_values_list_the_allowed_ones() {
        let err = "president".parse::<VisitLevel>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "\"president\" is not a valid visit level: expected one of head_of_state, \
             head_of_government, foreign_minister, minister, parliamentarian, delegation, other"
        );
        assert_eq!(
            VisitLevel::HeadOfState.description(),
            "A head of state: a president or monarch."
        );
    }
}
