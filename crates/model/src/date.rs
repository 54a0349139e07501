//! Partial dates: a year, a month, a day, or an interval between two of them.
//!
//! Sources rarely give every date to the day. A [`PartialDate`] records a date exactly as
//! precisely as its source states it, in the ISO 8601 / EDTF level 0–1 forms `1998`,
//! `1998-02`, `1998-02-26` and `1997-07/1997-12`, and knows the first and last calendar day
//! it can mean.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

/// How precisely a [`PartialDate`] is known.
///
/// Published as the `<x>_precision` column of a release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DatePrecision {
    /// A single calendar day, such as `1998-02-26`.
    Day,
    /// A calendar month, such as `1998-02`.
    Month,
    /// A calendar year, such as `1998`.
    Year,
    /// An interval between two dates, such as `1997-07/1997-12`.
    Range,
}

impl DatePrecision {
    /// Every precision, in order from the finest to the coarsest.
    pub const ALL: &'static [DatePrecision] = &[Self::Day, Self::Month, Self::Year, Self::Range];

    /// The precision as published: `day`, `month`, `year` or `range`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Month => "month",
            Self::Year => "year",
            Self::Range => "range",
        }
    }
}

impl fmt::Display for DatePrecision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// Why a string is not a valid [`PartialDate`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DateError {
    /// The text is not of the form `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or `A/B`.
    #[error(
        "{input:?} is not a date: expected YYYY, YYYY-MM, YYYY-MM-DD or an interval A/B of two of them"
    )]
    Format {
        /// The text that was parsed.
        input: String,
    },
    /// The month is not between 01 and 12.
    #[error("{input:?} is not a date: month {month:02} does not exist (months run from 01 to 12)")]
    Month {
        /// The text that was parsed.
        input: String,
        /// The month as written.
        month: u32,
    },
    /// The day does not exist in that month (`1998-02-30`, `2019-02-29`).
    #[error("{input:?} is not a date: {year:04}-{month:02} has no day {day:02}")]
    Day {
        /// The text that was parsed.
        input: String,
        /// The year as written.
        year: i32,
        /// The month as written.
        month: u32,
        /// The day as written.
        day: u32,
    },
    /// An interval whose end comes before its start.
    #[error("{input:?} is not a date: the interval ends ({end}) before it starts ({start})")]
    Reversed {
        /// The text that was parsed.
        input: String,
        /// The start of the interval as written.
        start: String,
        /// The end of the interval as written.
        end: String,
    },
}

/// One end of a date: a year, a month or a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Point {
    Year(i32),
    Month(i32, u32),
    Day(NaiveDate),
}

impl Point {
    fn parse(s: &str, whole: &str) -> Result<Point, DateError> {
        let format = || DateError::Format {
            input: whole.to_owned(),
        };
        let b = s.as_bytes();
        let digits = |range: std::ops::Range<usize>| -> Result<u32, DateError> {
            let part = b.get(range).ok_or_else(format)?;
            if !part.iter().all(u8::is_ascii_digit) {
                return Err(format());
            }
            Ok(part
                .iter()
                .fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0')))
        };
        let dash = |i: usize| -> Result<(), DateError> {
            if b.get(i) == Some(&b'-') {
                Ok(())
            } else {
                Err(format())
            }
        };
        // Years have exactly four digits, so the value always fits an i32.
        let year = digits(0..4)? as i32;
        let month = |m: u32| -> Result<u32, DateError> {
            if (1..=12).contains(&m) {
                Ok(m)
            } else {
                Err(DateError::Month {
                    input: whole.to_owned(),
                    month: m,
                })
            }
        };
        match b.len() {
            4 => Ok(Point::Year(year)),
            7 => {
                dash(4)?;
                let m = month(digits(5..7)?)?;
                Ok(Point::Month(year, m))
            }
            10 => {
                dash(4)?;
                dash(7)?;
                let m = month(digits(5..7)?)?;
                let d = digits(8..10)?;
                NaiveDate::from_ymd_opt(year, m, d)
                    .map(Point::Day)
                    .ok_or_else(|| DateError::Day {
                        input: whole.to_owned(),
                        year,
                        month: m,
                        day: d,
                    })
            }
            _ => Err(format()),
        }
    }

    fn first_day(self) -> NaiveDate {
        match self {
            Point::Year(y) => month_start(y, 1),
            Point::Month(y, m) => month_start(y, m),
            Point::Day(d) => d,
        }
    }

    fn last_day(self) -> NaiveDate {
        match self {
            Point::Year(y) => month_end(y, 12),
            Point::Month(y, m) => month_end(y, m),
            Point::Day(d) => d,
        }
    }

    fn precision(self) -> DatePrecision {
        match self {
            Point::Year(_) => DatePrecision::Year,
            Point::Month(..) => DatePrecision::Month,
            Point::Day(_) => DatePrecision::Day,
        }
    }
}

impl fmt::Display for Point {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Point::Year(y) => write!(f, "{y:04}"),
            Point::Month(y, m) => write!(f, "{y:04}-{m:02}"),
            Point::Day(d) => write!(f, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
        }
    }
}

/// The first day of a month that is known to exist (years 0000–9999, months 1–12).
fn month_start(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(NaiveDate::MIN)
}

/// The last day of a month that is known to exist (years 0000–9999, months 1–12).
fn month_end(year: i32, month: u32) -> NaiveDate {
    let (next_year, next_month) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    month_start(next_year, next_month)
        .pred_opt()
        .unwrap_or(NaiveDate::MAX)
}

/// A date known to a day, a month, a year, or only as an interval between two such dates.
///
/// Written and read in ISO 8601 / EDTF level 0–1 form: `1998`, `1998-02`, `1998-02-26`, or
/// `A/B` for an interval whose ends are any two of those (`1997-07/1997-12`). Years have four
/// digits. Impossible dates (`1998-02-30`, `2019-02-29`, month `13`) and intervals that end
/// before they start are rejected with a [`DateError`] that says why.
///
/// Serde reads and writes the string form, so a `PartialDate` is a plain string in TOML,
/// JSON and CSV.
///
/// ```
/// use diplomacy_model::{DatePrecision, PartialDate};
/// use chrono::NaiveDate;
///
/// let date: PartialDate = "1998-02".parse()?;
/// assert_eq!(date.precision(), DatePrecision::Month);
/// assert_eq!(date.first_day(), NaiveDate::from_ymd_opt(1998, 2, 1).unwrap());
/// assert_eq!(date.last_day(), NaiveDate::from_ymd_opt(1998, 2, 28).unwrap());
/// assert_eq!(date.to_string(), "1998-02");
///
/// let range: PartialDate = "1997-07/1997-12".parse()?;
/// assert_eq!(range.precision(), DatePrecision::Range);
/// assert_eq!(range.last_day(), NaiveDate::from_ymd_opt(1997, 12, 31).unwrap());
///
/// assert!("2019-02-29".parse::<PartialDate>().is_err());
/// assert!("1999/1998".parse::<PartialDate>().is_err());
/// # Ok::<(), diplomacy_model::DateError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    start: Point,
    end: Option<Point>,
}

impl PartialDate {
    /// The regular expression (ECMA 262 and Rust `regex` syntax) that every valid partial date
    /// matches. Matching it is necessary, not sufficient: `1998-02-30` matches but is not a date.
    pub const PATTERN: &'static str = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?(/[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?)?$";

    /// A date known only to the year.
    ///
    /// Fails with [`DateError::Format`] outside the years 0000–9999.
    pub fn year(year: i32) -> Result<Self, DateError> {
        if !(0..=9999).contains(&year) {
            return Err(DateError::Format {
                input: year.to_string(),
            });
        }
        Ok(Self {
            start: Point::Year(year),
            end: None,
        })
    }

    /// A date known to the month.
    ///
    /// Fails with [`DateError::Month`] for a month outside 1–12, and [`DateError::Format`]
    /// outside the years 0000–9999.
    pub fn month(year: i32, month: u32) -> Result<Self, DateError> {
        Self::year(year)?;
        if !(1..=12).contains(&month) {
            return Err(DateError::Month {
                input: format!("{year:04}-{month:02}"),
                month,
            });
        }
        Ok(Self {
            start: Point::Month(year, month),
            end: None,
        })
    }

    /// A date known to the day.
    ///
    /// Fails with [`DateError::Day`] for a day that does not exist, such as 30 February.
    pub fn day(year: i32, month: u32, day: u32) -> Result<Self, DateError> {
        Self::month(year, month)?;
        let date = NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| DateError::Day {
            input: format!("{year:04}-{month:02}-{day:02}"),
            year,
            month,
            day,
        })?;
        Ok(Self {
            start: Point::Day(date),
            end: None,
        })
    }

    /// An interval from `start` to `end`, each a year, month or day.
    ///
    /// Fails with [`DateError::Format`] if either end is itself an interval, and with
    /// [`DateError::Reversed`] if `end` is entirely before `start`.
    pub fn interval(start: PartialDate, end: PartialDate) -> Result<Self, DateError> {
        let input = format!("{start}/{end}");
        if start.end.is_some() || end.end.is_some() {
            return Err(DateError::Format { input });
        }
        Self::checked_interval(start.start, end.start, &input)
    }

    fn checked_interval(start: Point, end: Point, input: &str) -> Result<Self, DateError> {
        if end.last_day() < start.first_day() {
            return Err(DateError::Reversed {
                input: input.to_owned(),
                start: start.to_string(),
                end: end.to_string(),
            });
        }
        Ok(Self {
            start,
            end: Some(end),
        })
    }

    /// How precisely the date is known.
    pub fn precision(&self) -> DatePrecision {
        match self.end {
            Some(_) => DatePrecision::Range,
            None => self.start.precision(),
        }
    }

    /// The first calendar day the date can mean.
    pub fn first_day(&self) -> NaiveDate {
        self.start.first_day()
    }

    /// The last calendar day the date can mean.
    pub fn last_day(&self) -> NaiveDate {
        self.end.unwrap_or(self.start).last_day()
    }

    /// Whether the date is an interval `A/B`.
    pub fn is_interval(&self) -> bool {
        self.end.is_some()
    }

    /// Whether `day` falls within the date (between [`first_day`](Self::first_day) and
    /// [`last_day`](Self::last_day), inclusive).
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.first_day() <= day && day <= self.last_day()
    }
}

/// Prints the date as written (`1998-02`, `1997-07/1997-12`); honours width and alignment.
impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self.end {
            None => self.start.to_string(),
            Some(end) => format!("{}/{}", self.start, end),
        };
        f.pad(&text)
    }
}

impl FromStr for PartialDate {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, DateError> {
        match s.split_once('/') {
            None => Ok(Self {
                start: Point::parse(s, s)?,
                end: None,
            }),
            Some((a, b)) => {
                let start = Point::parse(a, s)?;
                let end = Point::parse(b, s)?;
                Self::checked_interval(start, end, s)
            }
        }
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Dates are ordered by their first possible day, then their last, then by form, so a
/// chronological sort puts `1998` before `1998-02` before `1998-02-26`.
impl Ord for PartialDate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.first_day()
            .cmp(&other.first_day())
            .then_with(|| other.last_day().cmp(&self.last_day()))
            .then_with(|| self.start.cmp(&other.start))
            .then_with(|| self.end.cmp(&other.end))
    }
}

impl serde::Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for PartialDate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = PartialDate;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date string such as \"1998\", \"1998-02\", \"1998-02-26\" or \"1997-07/1997-12\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<PartialDate, E> {
                v.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for PartialDate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PartialDate".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": Self::PATTERN,
            "description": "A date as precisely as the source gives it (ISO 8601 / EDTF level 0-1): YYYY, YYYY-MM, YYYY-MM-DD, or an interval A/B of two of them.",
            "examples": ["1998", "1998-02", "1998-02-26", "1997-07/1997-12"]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn parses_each_precision() {
        let y: PartialDate = "1998".parse().unwrap();
        assert_eq!(
            (y.precision(), y.first_day(), y.last_day()),
            (DatePrecision::Year, d(1998, 1, 1), d(1998, 12, 31))
        );
        let m: PartialDate = "2000-02".parse().unwrap();
        assert_eq!(
            (m.precision(), m.first_day(), m.last_day()),
            (DatePrecision::Month, d(2000, 2, 1), d(2000, 2, 29))
        );
        let day: PartialDate = "1991-12-28".parse().unwrap();
        assert_eq!(
            (day.precision(), day.first_day(), day.last_day()),
            (DatePrecision::Day, d(1991, 12, 28), d(1991, 12, 28))
        );
        let r: PartialDate = "1997-07/1997-12".parse().unwrap();
        assert_eq!(
            (r.precision(), r.first_day(), r.last_day()),
            (DatePrecision::Range, d(1997, 7, 1), d(1997, 12, 31))
        );
    }

    #[test]
    fn rejects_impossible_dates_with_reasons() {
        assert!(matches!(
            "1998-02-30".parse::<PartialDate>(),
            Err(DateError::Day { day: 30, .. })
        ));
        assert!(matches!(
            "2019-02-29".parse::<PartialDate>(),
            Err(DateError::Day { .. })
        ));
        assert!("2020-02-29".parse::<PartialDate>().is_ok());
        assert!(matches!(
            "1998-13".parse::<PartialDate>(),
            Err(DateError::Month { month: 13, .. })
        ));
        assert!(matches!(
            "1998-00-10".parse::<PartialDate>(),
            Err(DateError::Month { month: 0, .. })
        ));
        assert!(matches!(
            "1998-12/1998-03".parse::<PartialDate>(),
            Err(DateError::Reversed { .. })
        ));
        for bad in [
            "",
            "98",
            "1998-2",
            "1998-02-3",
            "1998/",
            "/1998",
            "1998-02-26T10:00",
            " 1998",
            "1998/1999/2000",
            "１９９８",
            "+1998",
            "1998-02-26/..",
        ] {
            assert!(
                matches!(bad.parse::<PartialDate>(), Err(DateError::Format { .. })),
                "{bad:?} should be a format error"
            );
        }
        let message = "2019-02-29".parse::<PartialDate>().unwrap_err().to_string();
        assert_eq!(
            message,
            "\"2019-02-29\" is not a date: 2019-02 has no day 29"
        );
    }

    #[test]
    fn constructors_agree_with_parsing() {
        assert_eq!(PartialDate::year(1998).unwrap().to_string(), "1998");
        assert_eq!(PartialDate::month(1998, 2).unwrap().to_string(), "1998-02");
        assert_eq!(
            PartialDate::day(1998, 2, 26).unwrap().to_string(),
            "1998-02-26"
        );
        assert!(PartialDate::day(1998, 2, 29).is_err());
        assert!(PartialDate::month(1998, 13).is_err());
        assert!(PartialDate::year(10_000).is_err());
        let iv = PartialDate::interval(
            PartialDate::month(1997, 7).unwrap(),
            PartialDate::month(1997, 12).unwrap(),
        )
        .unwrap();
        assert_eq!(iv, "1997-07/1997-12".parse().unwrap());
        assert!(PartialDate::interval(iv, iv).is_err());
    }

    #[test]
    fn orders_chronologically() {
        let mut dates: Vec<PartialDate> =
            ["1998-02-26", "1997", "1998-02", "1998", "1997-07/1997-12"]
                .iter()
                .map(|s| s.parse().unwrap())
                .collect();
        dates.sort();
        let printed: Vec<String> = dates.iter().map(ToString::to_string).collect();
        assert_eq!(
            printed,
            ["1997", "1997-07/1997-12", "1998", "1998-02", "1998-02-26"]
        );
    }

    fn point() -> impl Strategy<Value = String> {
        prop_oneof![
            (0..=9999i32).prop_map(|y| format!("{y:04}")),
            (0..=9999i32, 1..=12u32).prop_map(|(y, m)| format!("{y:04}-{m:02}")),
            (0..=9999i32, 1..=12u32, 1..=31u32)
                .prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        ]
    }

    proptest! {
        #[test]
        fn print_parse_round_trip(a in point(), b in proptest::option::of(point())) {
            let text = match &b { Some(b) => format!("{a}/{b}"), None => a.clone() };
            if let Ok(date) = text.parse::<PartialDate>() {
                prop_assert_eq!(date.to_string(), text);
                prop_assert!(date.first_day() <= date.last_day());
                prop_assert_eq!(date.is_interval(), b.is_some());
                let expected = match (b.is_some(), a.len()) {
                    (true, _) => DatePrecision::Range,
                    (false, 4) => DatePrecision::Year,
                    (false, 7) => DatePrecision::Month,
                    _ => DatePrecision::Day,
                };
                prop_assert_eq!(date.precision(), expected);
                if date.precision() == DatePrecision::Day {
                    prop_assert_eq!(date.first_day(), date.last_day());
                }
                prop_assert!(date.contains(date.first_day()) && date.contains(date.last_day()));
            } else {
                // Only impossible days and reversed intervals may fail.
                let err = text.parse::<PartialDate>().unwrap_err();
                prop_assert!(matches!(err, DateError::Day { .. } | DateError::Reversed { .. }), "{}", err);
            }
        }

        #[test]
        fn serde_uses_the_string_form(a in point()) {
            if let Ok(date) = a.parse::<PartialDate>() {
                let json = format!("\"{a}\"");
                let back: PartialDate = toml::from_str::<std::collections::BTreeMap<String, PartialDate>>(&format!("d = {json}")).unwrap()["d"];
                prop_assert_eq!(back, date);
            }
        }

        #[test]
        fn arbitrary_text_never_panics(s in "\\PC{0,24}") {
            let _ = s.parse::<PartialDate>();
        }
    }
}
