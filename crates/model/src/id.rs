//! Identifiers: record ids, country codes and meeting participants.

use std::borrow::Borrow;
use std::fmt;
use std::str::FromStr;

/// Why a string is not a valid [`Id`], [`CountryCode`] or [`Participant`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdError {
    /// Not a slug of lower-case ASCII letters and digits joined by single hyphens.
    #[error(
        "{0:?} is not an id: use lower-case ASCII letters and digits joined by single hyphens, e.g. \"1998-02-aze-jpn-aliyev-visit\""
    )]
    Id(String),
    /// An id longer than [`Id::MAX_LEN`] bytes.
    #[error("id {0:?} is longer than {max} characters", max = Id::MAX_LEN)]
    TooLong(String),
    /// Not three upper-case ASCII letters.
    #[error(
        "{0:?} is not a country code: expected three upper-case letters (ISO 3166-1 alpha-3), e.g. \"JPN\""
    )]
    CountryCode(String),
    /// Neither a person or organization id nor `COUNTRY:office`.
    #[error(
        "{0:?} is not a participant: expected a person or organization id (\"hashimoto-ryutaro\", \"un\") or COUNTRY:office (\"JPN:Foreign Minister\")"
    )]
    Participant(String),
    /// Neither a country code nor an organization id.
    #[error(
        "{0:?} is not a country or organization: expected a country code (\"JPN\") or an organization id (\"asean\")"
    )]
    Subject(String),
}

/// A record's identifier: a stable, human-readable slug such as `1998-02-aze-jpn-aliyev-visit`.
///
/// Lower-case ASCII letters and digits joined by single hyphens, at most [`Id::MAX_LEN`]
/// bytes. An id never changes once released and is never reused.
///
/// ```
/// use diplomacy_model::Id;
///
/// let id: Id = "1998-02-aze-jpn-aliyev-visit".parse()?;
/// assert_eq!(id.as_str(), "1998-02-aze-jpn-aliyev-visit");
/// assert!("Visit_1".parse::<Id>().is_err());
/// assert!("double--hyphen".parse::<Id>().is_err());
/// # Ok::<(), diplomacy_model::IdError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Id(String);

impl Id {
    /// The longest id accepted, in bytes.
    pub const MAX_LEN: usize = 128;

    /// The regular expression every id matches.
    pub const PATTERN: &'static str = "^[a-z0-9]+(-[a-z0-9]+)*$";

    /// Checks `s` and makes it an id.
    pub fn new(s: impl Into<String>) -> Result<Self, IdError> {
        let s = s.into();
        if !is_slug(&s) {
            return Err(IdError::Id(s));
        }
        if s.len() > Self::MAX_LEN {
            return Err(IdError::TooLong(s));
        }
        Ok(Self(s))
    }

    /// The id as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id as an owned string.
    pub fn into_string(self) -> String {
        self.0
    }
}

fn is_slug(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && !s.contains("--")
}

/// An ISO 3166-1 alpha-3 country code such as `JPN`, or an ISO 3166-3 code for a former
/// country such as `SUN` (the Soviet Union).
///
/// Only the form is checked here (three upper-case ASCII letters); which codes exist is data:
/// the dataset's `countries` table.
///
/// ```
/// use diplomacy_model::CountryCode;
///
/// let japan: CountryCode = "JPN".parse()?;
/// assert_eq!(japan.as_str(), "JPN");
/// assert!("jpn".parse::<CountryCode>().is_err());
/// assert!("JP".parse::<CountryCode>().is_err());
/// # Ok::<(), diplomacy_model::IdError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CountryCode([u8; 3]);

impl CountryCode {
    /// The regular expression every country code matches.
    pub const PATTERN: &'static str = "^[A-Z]{3}$";

    /// Checks `s` and makes it a country code.
    pub fn new(s: &str) -> Result<Self, IdError> {
        match s.as_bytes() {
            &[a, b, c] if [a, b, c].iter().all(u8::is_ascii_uppercase) => Ok(Self([a, b, c])),
            _ => Err(IdError::CountryCode(s.to_owned())),
        }
    }

    /// The code as a string slice.
    pub fn as_str(&self) -> &str {
        // Only ASCII upper-case letters are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl fmt::Debug for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CountryCode({})", self.as_str())
    }
}

/// Someone who took part in a meeting or made a statement: a person of the `people` table or
/// an organization of the `organizations` table, by its id, or an office of a country where
/// the source names only the office.
///
/// Written as the id (`hashimoto-ryutaro`, `un`) or as `COUNTRY:office`
/// (`JPN:Foreign Minister`). Ids are unique across a dataset, so an id names one person or
/// one organization.
///
/// ```
/// use diplomacy_model::Participant;
///
/// let person: Participant = "hashimoto-ryutaro".parse()?;
/// assert!(matches!(person, Participant::Named(_)));
/// let office: Participant = "JPN:Foreign Minister".parse()?;
/// assert_eq!(office.to_string(), "JPN:Foreign Minister");
/// # Ok::<(), diplomacy_model::IdError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Participant {
    /// A person or an organization, by its id in the `people` or `organizations` table.
    Named(Id),
    /// An office holder the source does not name.
    Office {
        /// The country whose office it is.
        country: CountryCode,
        /// The office as the source states it, e.g. `Foreign Minister`.
        office: String,
    },
}

impl Participant {
    /// The regular expression every participant matches.
    pub const PATTERN: &'static str = r"^([a-z0-9]+(-[a-z0-9]+)*|[A-Z]{3}:\S(.*\S)?)$";

    /// The participant's country, where it is an office.
    pub fn country(&self) -> Option<CountryCode> {
        match self {
            Participant::Named(_) => None,
            Participant::Office { country, .. } => Some(*country),
        }
    }

    /// The person's or organization's id, where it is one.
    pub fn id(&self) -> Option<&Id> {
        match self {
            Participant::Named(id) => Some(id),
            Participant::Office { .. } => None,
        }
    }
}

impl fmt::Display for Participant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Participant::Named(id) => f.write_str(id.as_str()),
            Participant::Office { country, office } => write!(f, "{country}:{office}"),
        }
    }
}

impl FromStr for Participant {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, IdError> {
        if let Some((country, office)) = s.split_once(':') {
            let country =
                CountryCode::new(country).map_err(|_| IdError::Participant(s.to_owned()))?;
            if office.is_empty() || office.trim() != office {
                return Err(IdError::Participant(s.to_owned()));
            }
            return Ok(Participant::Office {
                country,
                office: office.to_owned(),
            });
        }
        Id::new(s)
            .map(Participant::Named)
            .map_err(|_| IdError::Participant(s.to_owned()))
    }
}

/// Whom a statement is about: a country of the `countries` table, by its code, or an
/// organization of the `organizations` table, by its id.
///
/// ```
/// use diplomacy_model::Subject;
///
/// assert!(matches!("KAZ".parse::<Subject>()?, Subject::Country(_)));
/// assert!(matches!("asean".parse::<Subject>()?, Subject::Organization(_)));
/// assert!("Kazakhstan".parse::<Subject>().is_err());
/// # Ok::<(), diplomacy_model::IdError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Subject {
    /// A country, by its alpha-3 code.
    Country(CountryCode),
    /// An organization, by its id.
    Organization(Id),
}

impl Subject {
    /// The regular expression every subject matches.
    pub const PATTERN: &'static str = r"^([A-Z]{3}|[a-z0-9]+(-[a-z0-9]+)*)$";

    /// The subject as written: the country code or the organization id.
    pub fn as_str(&self) -> &str {
        match self {
            Subject::Country(c) => c.as_str(),
            Subject::Organization(id) => id.as_str(),
        }
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Subject {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, IdError> {
        if let Ok(c) = CountryCode::new(s) {
            return Ok(Subject::Country(c));
        }
        Id::new(s)
            .map(Subject::Organization)
            .map_err(|_| IdError::Subject(s.to_owned()))
    }
}

macro_rules! string_like {
    ($($ty:ty),+) => {$(
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $ty {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, IdError> {
                Self::new(s)
            }
        }

        impl AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl PartialEq<str> for $ty {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        impl PartialEq<&str> for $ty {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }
    )+};
}

/// Serde as the string form (`Display` / `FromStr`), and a JSON Schema string with a pattern.
macro_rules! serde_str {
    ($ty:ty, $name:literal, $expecting:literal, $description:literal, $pattern:expr, $($extra:tt)*) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Visitor;
                impl serde::de::Visitor<'_> for Visitor {
                    type Value = $ty;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$ty, E> {
                        v.parse().map_err(E::custom)
                    }
                }
                deserializer.deserialize_str(Visitor)
            }
        }

        #[cfg(feature = "schema")]
        impl schemars::JsonSchema for $ty {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                $name.into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({
                    "type": "string",
                    "pattern": $pattern,
                    "description": $description,
                    $($extra)*
                })
            }
        }
    };
}

impl Borrow<str> for Id {
    fn borrow(&self) -> &str {
        &self.0
    }
}

string_like!(Id, CountryCode);

serde_str!(
    Id,
    "Id",
    "an id of lower-case letters and digits joined by hyphens",
    "A stable, human-readable slug: lower-case ASCII letters and digits joined by single hyphens.",
    Id::PATTERN,
    "maxLength": Id::MAX_LEN
);
serde_str!(
    CountryCode,
    "CountryCode",
    "a three-letter country code such as \"JPN\"",
    "An ISO 3166-1 alpha-3 country code (ISO 3166-3 for former countries, e.g. SUN), listed in countries.toml.",
    CountryCode::PATTERN,
);
serde_str!(
    Participant,
    "Participant",
    "a person or organization id, or COUNTRY:office",
    "A person's id from people.toml or an organization's from organizations.toml, or COUNTRY:office (e.g. \"JPN:Foreign Minister\") where the source names only the office.",
    Participant::PATTERN,
);
serde_str!(
    Subject,
    "Subject",
    "a country code or an organization id",
    "A country code from countries.toml (e.g. \"KAZ\") or an organization's id from organizations.toml (e.g. \"asean\").",
    Subject::PATTERN,
);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ids() {
        for ok in ["a", "1998", "1998-02-aze-jpn-aliyev-visit", "x1-y2"] {
            assert!(Id::new(ok).is_ok(), "{ok}");
        }
        for bad in ["", "-a", "a-", "a--b", "A", "a_b", "a b", "é", "a.b"] {
            assert!(matches!(Id::new(bad), Err(IdError::Id(_))), "{bad}");
        }
        assert!(matches!(Id::new("a".repeat(129)), Err(IdError::TooLong(_))));
    }

    #[test]
    fn country_codes() {
        assert_eq!(CountryCode::new("SUN").unwrap().as_str(), "SUN");
        for bad in ["", "JP", "JPNX", "jpn", "J1N", "ÉTA"] {
            assert!(CountryCode::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn participants() {
        assert_eq!(
            "JPN:Prime Minister".parse::<Participant>().unwrap(),
            Participant::Office {
                country: CountryCode::new("JPN").unwrap(),
                office: "Prime Minister".into()
            }
        );
        for bad in ["JPN:", "JPN: x", "jpn:x", "Hashimoto", "JP:x"] {
            assert!(bad.parse::<Participant>().is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn id_matches_its_pattern(s in "[a-z0-9-]{0,12}") {
            let by_hand = Id::new(s.as_str()).is_ok();
            let parts_ok = !s.is_empty() && s.split('-').all(|p| !p.is_empty());
            prop_assert_eq!(by_hand, parts_ok);
        }

        #[test]
        fn participant_round_trip(c in "[A-Z]{3}", office in "[A-Za-z][A-Za-z ]{0,20}[a-z]") {
            let text = format!("{c}:{office}");
            let p: Participant = text.parse().unwrap();
            prop_assert_eq!(p.to_string(), text);
        }
    }
}
