//! Partial dates: a date exactly as precisely and as surely as its source gives it
//! ([`PartialDate`], which documents every form).

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use edtf_core::{Bound, Date, Edtf, Interval, IntervalEndpoint, SetElement, SetKind, YearKind};

use crate::DateKind;

/// How precisely a [`PartialDate`] is known.
///
/// Published as the `<x>_precision` column of a release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum DatePrecision {
    /// A single calendar day, such as `1998-02-26`.
    Day,
    /// A calendar month, such as `1998-02` or `1998-02-XX`.
    Month,
    /// A calendar year, such as `1998`, `1998-XX` or `1998-XX-XX`.
    Year,
    /// A decade, such as `199X` (1990–1999).
    Decade,
    /// A century, such as `19XX` (1900–1999).
    Century,
    /// Known only to lie between two bounds, either of which may be open or unknown: an
    /// interval (`1997-07/1997-12`, `1997-07/..`, `1997-07/`, `../1998`, `/1998`) or "on or
    /// after / on or before" (`[1997-07..]`, `[..1960]`).
    Range,
}

impl DatePrecision {
    /// Every precision, in order from the finest to the coarsest.
    pub const ALL: &'static [DatePrecision] = &[
        Self::Day,
        Self::Month,
        Self::Year,
        Self::Decade,
        Self::Century,
        Self::Range,
    ];

    /// The precision as published: `day`, `month`, `year`, `decade`, `century` or `range`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Month => "month",
            Self::Year => "year",
            Self::Decade => "decade",
            Self::Century => "century",
            Self::Range => "range",
        }
    }
}

impl fmt::Display for DatePrecision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// How surely the source gives a [`PartialDate`]: the EDTF qualifiers `?` (uncertain), `~`
/// (approximate) and `%` (both).
///
/// Published as the `<x>_certainty` column of a release. An interval or an "on or after / on
/// or before" date takes the qualifiers of its ends together: `1997?/1998~` is
/// [`UncertainApproximate`](Self::UncertainApproximate). An open or unknown end is not a
/// qualifier: it shows as an empty `_min` or `_max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum DateCertainty {
    /// No qualifier: the source states the date (`1998`).
    Certain,
    /// `?`: the source gives the date with doubt, or it is inferred (`1998?`).
    Uncertain,
    /// `~`: the source gives the date as "about" or "circa" (`1998~`).
    Approximate,
    /// `%`, or `?` and `~` on different ends: both uncertain and approximate (`1998%`).
    UncertainApproximate,
}

impl DateCertainty {
    /// Every certainty, from the surest to the least sure.
    pub const ALL: &'static [DateCertainty] = &[
        Self::Certain,
        Self::Uncertain,
        Self::Approximate,
        Self::UncertainApproximate,
    ];

    /// The certainty as published: `certain`, `uncertain`, `approximate` or
    /// `uncertain_approximate`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Certain => "certain",
            Self::Uncertain => "uncertain",
            Self::Approximate => "approximate",
            Self::UncertainApproximate => "uncertain_approximate",
        }
    }

    /// Whether the date carries a `?` (alone or in `%`).
    pub const fn is_uncertain(self) -> bool {
        matches!(self, Self::Uncertain | Self::UncertainApproximate)
    }

    /// Whether the date carries a `~` (alone or in `%`).
    pub const fn is_approximate(self) -> bool {
        matches!(self, Self::Approximate | Self::UncertainApproximate)
    }

    const fn of(uncertain: bool, approximate: bool) -> Self {
        match (uncertain, approximate) {
            (false, false) => Self::Certain,
            (true, false) => Self::Uncertain,
            (false, true) => Self::Approximate,
            (true, true) => Self::UncertainApproximate,
        }
    }
}

impl fmt::Display for DateCertainty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// The first and last day of a set of dates' extents ([`PartialDate::extent`]): what a
/// dataset's temporal coverage says.
///
/// ```
/// use chrono::NaiveDate;
/// use diplomacy_model::{DateSpan, PartialDate};
///
/// let mut span = DateSpan::default();
/// assert_eq!(span.bounds(), None);
/// for d in ["1998-02", "[..1960]", "[1999-12..2026-11]"] {
///     span.add(&d.parse::<PartialDate>()?);
/// }
/// let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// assert_eq!(span.bounds(), Some((day(1960, 12, 31), day(1999, 12, 1))));
/// # Ok::<(), diplomacy_model::DateError>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct DateSpan(Option<(NaiveDate, NaiveDate)>);

impl DateSpan {
    /// Widens the span to the extent of `date`.
    pub fn add(&mut self, date: &PartialDate) {
        let (first, last) = date.extent();
        self.0 = Some(match self.0 {
            Some((lo, hi)) => (lo.min(first), hi.max(last)),
            None => (first, last),
        });
    }

    /// The span of both.
    pub fn merge(self, other: DateSpan) -> DateSpan {
        match (self.0, other.0) {
            (Some((a, b)), Some((c, d))) => DateSpan(Some((a.min(c), b.max(d)))),
            (x, y) => DateSpan(x.or(y)),
        }
    }

    /// The first and last day, where any date was added.
    pub fn bounds(self) -> Option<(NaiveDate, NaiveDate)> {
        self.0
    }
}

/// Why a string is not a valid [`PartialDate`]. Every message quotes the input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DateError {
    /// The text is not EDTF at all (`02/1998`, `1998-2`, `98`).
    #[error(
        "{input:?} is not a date: {reason} (at character {position}); write a date in EDTF, e.g. 1998, 1998-02, 1998-02-26, 1998?, 199X, 1997-07/1997-12, 1997-07/.., [1997-07..]"
    )]
    Format {
        /// The text that was parsed.
        input: String,
        /// What is wrong, e.g. `year must have exactly four digits (or X)`.
        reason: &'static str,
        /// Where, counting characters from 1.
        position: usize,
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
    /// Year 0000, which ISO 8601 reads as 1 BC and most readers cannot hold.
    #[error(
        "{input:?} is not a date: year 0000 is not accepted (ISO 8601 reads it as 1 BC, and most readers cannot hold it); years run from 0001 to 9999"
    )]
    YearZero {
        /// The text that was parsed.
        input: String,
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
    /// An interval that starts and ends on the same date (`1998-02-26/1998-02-26`).
    #[error(
        "{input:?} is not a date: the interval starts and ends on the same date; write {date:?} alone"
    )]
    ZeroLength {
        /// The text that was parsed.
        input: String,
        /// The one date the interval spans, as it should be written.
        date: String,
    },
    /// Valid EDTF, but not one of the forms a dataset date may take (times of day, seasons,
    /// negative years, sets other than `[A..]` and `[..B]`, EDTF level 2 qualifiers).
    #[error("{input:?} is not a supported date: {reason}")]
    Unsupported {
        /// The text that was parsed.
        input: String,
        /// Which form it is, and what to write instead.
        reason: &'static str,
    },
    /// Valid EDTF written in another spelling than the canonical one (`?1998` for `1998?`).
    #[error("{input:?} is written in a non-canonical EDTF spelling: write {canonical:?}")]
    NotCanonical {
        /// The text that was parsed.
        input: String,
        /// The same date, as it must be written.
        canonical: String,
    },
}

/// The supported forms, as parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// `1998`, `1998-02~`, `199X`, ...
    Date(Date),
    /// `A/B`, `A/..`, `A/`, `../B`, `/B`.
    Interval(Interval),
    /// `[A..]`.
    OnOrAfter(Date),
    /// `[..B]`.
    OnOrBefore(Date),
    /// `[A..B]`: one day between A and B, inclusive.
    Between(Date, Date),
}

impl fmt::Display for Form {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Form::Date(d) => write!(f, "{d}"),
            Form::Interval(iv) => write!(f, "{iv}"),
            Form::OnOrAfter(d) => write!(f, "[{d}..]"),
            Form::OnOrBefore(d) => write!(f, "[..{d}]"),
            Form::Between(a, b) => write!(f, "[{a}..{b}]"),
        }
    }
}

/// A date as precisely and as surely as its source gives it, in EDTF (ISO 8601-2).
///
/// EDTF is the Extended Date/Time Format of ISO 8601-2; a date takes these forms:
///
/// | form | example | meaning |
/// | --- | --- | --- |
/// | day, month, year | `1998-02-26`, `1998-02`, `1998` | that day, month or year |
/// | qualified | `1998?`, `1998-02~`, `1998-02-26%` | uncertain (`?`), approximate (`~`) or both (`%`) |
/// | unspecified digits | `199X`, `19XX`, `1998-XX`, `1998-XX-XX`, `1998-02-XX` | some year of the 1990s, of the 1900s; some month of 1998; some day of February 1998 |
/// | interval | `1997-07/1997-12`, `1997?/1998~` | from one date to another (each end a day, month or year, optionally qualified) |
/// | open end | `1997-07/..`, `../1998` | from July 1997 on, with no end; up to 1998, with no start |
/// | unknown end | `1997-07/`, `/1998` | from July 1997 to a day the source does not give; from an unknown day to 1998 |
/// | on or after, on or before | `[1997-07..]`, `[..1960]` | one day in July 1997 or later; one day in 1960 or earlier (the bound unqualified) |
///
/// Parsing is done by the [`edtf_core`] crate, which implements ISO 8601-2 Annex A; this type
/// accepts the subset above, rejects the rest with a [`DateError`] that names the input and
/// says why, and computes what a release publishes: the first and last day the date can mean
/// ([`PartialDate::min_day`], [`PartialDate::max_day`], `None` where that end is open or unknown), its
/// [`DatePrecision`] and its [`DateCertainty`].
///
/// Years run from 0001 to 9999: year 0000 (1 BC in ISO 8601) is an error, as are impossible
/// days (`1998-02-30`), intervals that end before they start and intervals that start and end
/// on the same date (`1998-02-26/1998-02-26`: write `1998-02-26`). Every date is written in
/// its one canonical EDTF spelling, so printing a parsed date gives back the text it was read
/// from.
///
/// Serde reads and writes the string form, so a `PartialDate` is a plain string in TOML, JSON
/// and CSV.
///
/// ```
/// use diplomacy_model::{DateCertainty, DatePrecision, PartialDate};
/// use chrono::NaiveDate;
///
/// let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
///
/// let date: PartialDate = "1998-02".parse()?;
/// assert_eq!(date.precision(), DatePrecision::Month);
/// assert_eq!((date.min_day(), date.max_day()), (day(1998, 2, 1), day(1998, 2, 28)));
/// assert_eq!(date.to_string(), "1998-02");
///
/// let about: PartialDate = "1998~".parse()?;
/// assert_eq!(about.certainty(), DateCertainty::Approximate);
/// assert_eq!(about.max_day(), day(1998, 12, 31));
///
/// let since: PartialDate = "1997-07/..".parse()?;
/// assert_eq!(since.precision(), DatePrecision::Range);
/// assert_eq!((since.min_day(), since.max_day()), (day(1997, 7, 1), None));
///
/// let before: PartialDate = "[..1960]".parse()?;
/// assert_eq!((before.min_day(), before.max_day()), (None, day(1960, 12, 31)));
///
/// assert!("2019-02-29".parse::<PartialDate>().is_err());
/// assert!("1999/1998".parse::<PartialDate>().is_err());
/// assert!("0000".parse::<PartialDate>().is_err());
/// assert!("1998-02-26/1998-02-26".parse::<PartialDate>().is_err());
/// # Ok::<(), diplomacy_model::DateError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartialDate {
    form: Form,
    min: Option<NaiveDate>,
    max: Option<NaiveDate>,
}

/// A calendar day from a bound of `edtf_core`; `None` for open and unknown bounds.
fn bound_day(bound: Bound) -> Option<NaiveDate> {
    match bound {
        Bound::Date(b) => NaiveDate::from_ymd_opt(
            i32::try_from(b.year).ok()?,
            u32::from(b.month),
            u32::from(b.day),
        ),
        Bound::NegativeInfinity | Bound::PositiveInfinity | Bound::Unknown => None,
    }
}

/// The first and last day of a single date.
fn date_span(d: &Date) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let b = Edtf::Date(*d).bounds();
    (bound_day(b.earliest), bound_day(b.latest))
}

fn date_precision(d: &Date) -> DatePrecision {
    if d.day.is_some_and(|f| !f.has_unspecified()) {
        return DatePrecision::Day;
    }
    if d.month.is_some_and(|m| !m.has_unspecified()) {
        return DatePrecision::Month;
    }
    match d.year.kind {
        YearKind::Standard { digits, .. } => match digits.iter().filter(|x| x.is_none()).count() {
            0 => DatePrecision::Year,
            1 => DatePrecision::Decade,
            _ => DatePrecision::Century,
        },
        _ => DatePrecision::Year,
    }
}

/// The characters `s[offset..offset + len]` as a number, where they are all digits.
fn number_at(s: &str, offset: usize, len: usize) -> Option<u32> {
    let part = s.get(offset..offset.checked_add(len)?)?;
    if !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

/// Turns `edtf_core`'s reason into a typed error where it has one.
fn syntax_error(s: &str, e: edtf_core::ParseError) -> DateError {
    let input = s.to_owned();
    let at = e.offset;
    match e.message {
        "interval end precedes interval start" => {
            if let Some((start, end)) = s.split_once('/') {
                return DateError::Reversed {
                    input,
                    start: start.to_owned(),
                    end: end.to_owned(),
                };
            }
        }
        m if m.starts_with("month must be 01-12") => {
            if let Some(month) = number_at(s, at, 2) {
                return DateError::Month { input, month };
            }
        }
        "day is out of range for the month" => {
            let ymd = at.checked_sub(8).and_then(|y0| {
                Some((
                    number_at(s, y0, 4)?,
                    number_at(s, at - 3, 2)?,
                    number_at(s, at, 2)?,
                ))
            });
            if let Some((year, month, day)) = ymd {
                return if (1..=12).contains(&month) {
                    DateError::Day {
                        input,
                        year: year as i32,
                        month,
                        day,
                    }
                } else {
                    DateError::Month { input, month }
                };
            }
        }
        _ => {}
    }
    let position = s.get(..at).map_or(at, |p| p.chars().count()) + 1;
    DateError::Format {
        input,
        reason: e.message,
        position,
    }
}

/// Checks that one date (alone, an interval end or a set member) is of a supported form.
fn check_date(s: &str, d: &Date, inside: bool) -> Result<(), DateError> {
    let unsupported = |reason| DateError::Unsupported {
        input: s.to_owned(),
        reason,
    };
    match d.year.kind {
        YearKind::Standard {
            negative: false, ..
        } if d.year.significant_digits.is_none() => {}
        _ => {
            return Err(unsupported(
                "years are written with four digits, from 0001 to 9999",
            ));
        }
    }
    if d.month.and_then(|m| m.value()).is_some_and(|m| m > 12) {
        return Err(unsupported(
            "seasons and other sub-year groupings (month codes 21-41) are not supported; give the months as an interval, e.g. 1998-03/1998-05",
        ));
    }
    if Edtf::Date(*d).level() > 1 {
        return Err(unsupported(
            "this is EDTF level 2: put one qualifier (?, ~ or %) at the end of the date, and use X only as in 199X, 19XX, 1998-XX, 1998-XX-XX or 1998-02-XX",
        ));
    }
    if inside && d.has_unspecified() {
        return Err(unsupported(
            "unspecified digits (X) are not supported inside an interval or set; write the years out, e.g. 1990/1999 for 199X/1999",
        ));
    }
    if date_span(d).0.is_none_or(|first| first.year() == 0) {
        return Err(DateError::YearZero {
            input: s.to_owned(),
        });
    }
    Ok(())
}

/// Checks the date of `[A..]` or `[..B]`: a plain day, month or year.
fn check_set_member(s: &str, d: &Date) -> Result<(), DateError> {
    check_date(s, d, true)?;
    if d.is_uncertain() || d.is_approximate() {
        return Err(DateError::Unsupported {
            input: s.to_owned(),
            reason: "qualifiers (?, ~, %) are not supported inside [A..] and [..B], which EDTF readers do not agree on; write the bound without one",
        });
    }
    Ok(())
}

impl PartialDate {
    /// The regular expression (ECMA 262 and Rust `regex` syntax) that every valid partial date
    /// matches. Matching it is necessary, not sufficient: `1998-02-30`, `0000` and
    /// `1999/1998` match but are not dates, and parsing says why.
    pub const PATTERN: &'static str = concat!(
        r"^(",
        // A single date, with unspecified digits and one qualifier.
        r"([0-9]{4}|[0-9]{3}X|[0-9]{2}XX)(-(0[1-9]|1[0-2]|XX)(-(0[1-9]|[12][0-9]|3[01]|XX))?)?[?~%]?",
        // An interval with an open or unknown end.
        r"|[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?[?~%]?/",
        r"(([0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?[?~%]?)|\.\.)?",
        r"|(\.\.)?/[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?[?~%]?",
        // On or after, on or before.
        r"|\[[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?\.\.\]",
        r"|\[\.\.[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?\]",
        // One day between two bounds.
        r"|\[[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?\.\.",
        r"[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?\]",
        r")$"
    );

    /// A date known only to the year (0001–9999).
    pub fn year(year: i32) -> Result<Self, DateError> {
        format!("{year:04}").parse()
    }

    /// A date known to the month.
    ///
    /// Fails with [`DateError::Month`] for a month outside 1–12.
    pub fn month(year: i32, month: u32) -> Result<Self, DateError> {
        format!("{year:04}-{month:02}").parse()
    }

    /// A date known to the day.
    ///
    /// Fails with [`DateError::Day`] for a day that does not exist, such as 30 February.
    pub fn day(year: i32, month: u32, day: u32) -> Result<Self, DateError> {
        format!("{year:04}-{month:02}-{day:02}").parse()
    }

    /// An interval from `start` to `end`, each a (possibly qualified) year, month or day.
    ///
    /// Fails if either is itself an interval or has unspecified digits, with
    /// [`DateError::Reversed`] if `end` is entirely before `start`, and with
    /// [`DateError::ZeroLength`] if both are the same date.
    pub fn interval(start: PartialDate, end: PartialDate) -> Result<Self, DateError> {
        format!("{start}/{end}").parse()
    }

    /// How precisely the date is known.
    pub fn precision(&self) -> DatePrecision {
        match &self.form {
            Form::Date(d) => date_precision(d),
            Form::Interval(_) | Form::OnOrAfter(_) | Form::OnOrBefore(_) | Form::Between(..) => {
                DatePrecision::Range
            }
        }
    }

    /// How surely the source gives the date: its `?`, `~` and `%` qualifiers, of both ends
    /// together for an interval.
    pub fn certainty(&self) -> DateCertainty {
        let (mut uncertain, mut approximate) = (false, false);
        let mut add = |d: &Date| {
            uncertain |= d.is_uncertain();
            approximate |= d.is_approximate();
        };
        match &self.form {
            Form::Date(d) | Form::OnOrAfter(d) | Form::OnOrBefore(d) => add(d),
            Form::Between(a, b) => {
                add(a);
                add(b);
            }
            Form::Interval(iv) => {
                for end in [&iv.start, &iv.end] {
                    if let IntervalEndpoint::Date(d) = end {
                        add(d);
                    }
                }
            }
        }
        DateCertainty::of(uncertain, approximate)
    }

    /// The first calendar day the date can mean; `None` where its start is open (`../1998`,
    /// `[..1960]`) or unknown (`/1998`).
    pub fn min_day(&self) -> Option<NaiveDate> {
        self.min
    }

    /// The last calendar day the date can mean; `None` where its end is open (`1997-07/..`,
    /// `[1997-07..]`) or unknown (`1997-07/`).
    pub fn max_day(&self) -> Option<NaiveDate> {
        self.max
    }

    /// Whether the date is an interval `A/B` (with either end possibly open or unknown).
    pub fn is_interval(&self) -> bool {
        matches!(self.form, Form::Interval(_))
    }

    /// Whether `day` may be meant: it is not before [`min_day`](Self::min_day) nor after
    /// [`max_day`](Self::max_day). An open or unknown end does not limit.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.min.is_none_or(|m| m <= day) && self.max.is_none_or(|m| day <= m)
    }

    /// What kind of date it is: one day, one day of a range, a period, or a date known by
    /// one bound only ([`DateKind`]).
    ///
    /// ```
    /// use diplomacy_model::{DateKind, PartialDate};
    ///
    /// let kind = |s: &str| s.parse::<PartialDate>().map(|d| d.kind());
    /// assert_eq!(kind("1998-02-26?")?, DateKind::Day);
    /// assert_eq!(kind("1998-02")?, DateKind::OneOf);
    /// assert_eq!(kind("[1999-12..2026-11]")?, DateKind::OneOf);
    /// assert_eq!(kind("1997-07/1997-12")?, DateKind::Period);
    /// assert_eq!(kind("[..2019-05-10]")?, DateKind::AsOf);
    /// assert_eq!(kind("1950~/..")?, DateKind::AsOf);
    /// # Ok::<(), diplomacy_model::DateError>(())
    /// ```
    pub fn kind(&self) -> DateKind {
        match &self.form {
            Form::Date(d) if date_precision(d) == DatePrecision::Day => DateKind::Day,
            Form::Date(_) | Form::Between(..) => DateKind::OneOf,
            Form::Interval(Interval {
                start: IntervalEndpoint::Date(_),
                end: IntervalEndpoint::Date(_),
            }) => DateKind::Period,
            Form::Interval(_) | Form::OnOrAfter(_) | Form::OnOrBefore(_) => DateKind::AsOf,
        }
    }

    /// The first and last day the date stands for in a temporal coverage: the days it
    /// names, not the widest bounds the evidence leaves.
    ///
    /// A day, month, year, decade or century counts whole, and a period from its first day to
    /// its last. A date known by one bound only (`[..1960]`, `[1997-07..]`, `1997-07/..`), or
    /// only between two bounds (`[1999-12..2026-11]`, whose bounds are what the evidence
    /// allows, such as an undated page's archiving), counts as the day it is placed on: its
    /// start, as in [`sort_key`](Self::sort_key).
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use diplomacy_model::PartialDate;
    ///
    /// let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let extent = |s: &str| s.parse::<PartialDate>().map(|d| d.extent());
    /// assert_eq!(extent("1998")?, (day(1998, 1, 1), day(1998, 12, 31)));
    /// assert_eq!(extent("1997-07/1997-12")?, (day(1997, 7, 1), day(1997, 12, 31)));
    /// assert_eq!(extent("[1999-12..2026-11]")?, (day(1999, 12, 1), day(1999, 12, 1)));
    /// assert_eq!(extent("[..2019-05-10]")?, (day(2019, 5, 10), day(2019, 5, 10)));
    /// assert_eq!(extent("1950~/..")?, (day(1950, 1, 1), day(1950, 1, 1)));
    /// # Ok::<(), diplomacy_model::DateError>(())
    /// ```
    pub fn extent(&self) -> (NaiveDate, NaiveDate) {
        // Every date has at least one known end.
        let start = self.min.or(self.max).unwrap_or(NaiveDate::MIN);
        match (self.form, self.min, self.max) {
            (Form::Date(_) | Form::Interval(_), Some(first), Some(last)) => (first, last),
            _ => (start, start),
        }
    }

    /// The date's place in chronological order, as one whole number: smaller is earlier.
    ///
    /// Dates are ordered by their *start*, the first day they can mean
    /// ([`min_day`](Self::min_day)), or, where the start is open or unknown, their last day
    /// ([`max_day`](Self::max_day)): a record known only as of a day ("on or before
    /// 2019-05-10") is placed on that day, not before every other. Then by their last day,
    /// an open or unknown end last; then a known start before an open one. In SQL this is
    /// `ORDER BY coalesce(x_min, x_max), x_max NULLS LAST, x_min NULLS LAST`.
    ///
    /// The key's decimal digits say so: the start day (`YYYYMMDD`), the last day
    /// (`YYYYMMDD`, `99999999` where the end is open or unknown), and `1` where the start
    /// is open or unknown, else `0`. Two dates have the same key exactly when they mean the
    /// same days; [`PartialDate`]'s order breaks such ties by precision, certainty and text.
    ///
    /// ```
    /// use diplomacy_model::PartialDate;
    ///
    /// let key = |s: &str| s.parse::<PartialDate>().map(|d| d.sort_key());
    /// assert_eq!(key("1998-02")?, 19980201_19980228_0);
    /// assert_eq!(key("[1945..]")?, 19450101_99999999_0);
    /// assert_eq!(key("[..2019-05-10]")?, 20190510_20190510_1);
    /// // On or before 2019-05-10 comes after the events of 1945 and before those of 2020,
    /// // and right after the day itself.
    /// assert!(key("[1945..]")? < key("[..2019-05-10]")?);
    /// assert!(key("2019-05-10")? < key("[..2019-05-10]")?);
    /// assert!(key("[..2019-05-10]")? < key("2020")?);
    /// # Ok::<(), diplomacy_model::DateError>(())
    /// ```
    pub fn sort_key(&self) -> i64 {
        // Every date has at least one known end.
        Self::sort_key_of(self.min, self.max).unwrap_or(i64::MAX)
    }

    /// The [`sort_key`](Self::sort_key) of a date whose first and last days are `min` and
    /// `max` (`None` where that end is open or unknown), as a release's `_min` and `_max`
    /// columns give them; `None` where both are empty (no date).
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use diplomacy_model::PartialDate;
    ///
    /// let date: PartialDate = "1997-07/..".parse()?;
    /// let min = NaiveDate::from_ymd_opt(1997, 7, 1);
    /// assert_eq!(PartialDate::sort_key_of(min, None), Some(date.sort_key()));
    /// assert_eq!(PartialDate::sort_key_of(None, None), None);
    /// # Ok::<(), diplomacy_model::DateError>(())
    /// ```
    pub fn sort_key_of(min: Option<NaiveDate>, max: Option<NaiveDate>) -> Option<i64> {
        let digits = |d: NaiveDate| {
            i64::from(d.year()) * 10_000 + i64::from(d.month()) * 100 + i64::from(d.day())
        };
        let start = min.or(max)?;
        let end = max.map_or(99_999_999, digits);
        Some(digits(start) * 1_000_000_000 + end * 10 + i64::from(min.is_none()))
    }

    fn parse(s: &str) -> Result<Self, DateError> {
        let edtf = Edtf::parse(s).map_err(|e| syntax_error(s, e))?;
        let unsupported = |reason| DateError::Unsupported {
            input: s.to_owned(),
            reason,
        };
        let form = match edtf {
            Edtf::Date(d) => {
                check_date(s, &d, false)?;
                Form::Date(d)
            }
            Edtf::DateTime(_) => {
                return Err(unsupported(
                    "dates do not carry a time of day; give the day alone, e.g. 1998-02-26",
                ));
            }
            Edtf::Interval(iv) => {
                for end in [&iv.start, &iv.end] {
                    match end {
                        IntervalEndpoint::Date(d) => check_date(s, d, true)?,
                        IntervalEndpoint::Open | IntervalEndpoint::Unknown => {}
                        IntervalEndpoint::OnOrBefore(_) | IntervalEndpoint::OnOrAfter(_) => {
                            return Err(unsupported(
                                "`..` joined to an interval end is not supported; write [..1960] for on or before, [1997-07..] for on or after",
                            ));
                        }
                    }
                }
                if let (IntervalEndpoint::Date(a), IntervalEndpoint::Date(b)) = (iv.start, iv.end)
                    && date_span(&a) == date_span(&b)
                {
                    return Err(DateError::ZeroLength {
                        input: s.to_owned(),
                        date: a.to_string(),
                    });
                }
                Form::Interval(iv)
            }
            Edtf::Set(set) => match (set.kind, set.elements.as_slice()) {
                (SetKind::OneMember, [SetElement::OnOrAfter(d)]) => {
                    check_set_member(s, d)?;
                    Form::OnOrAfter(*d)
                }
                (SetKind::OneMember, [SetElement::OnOrBefore(d)]) => {
                    check_set_member(s, d)?;
                    Form::OnOrBefore(*d)
                }
                (SetKind::OneMember, [SetElement::Range(a, b)]) => {
                    check_set_member(s, a)?;
                    check_set_member(s, b)?;
                    let (a_span, b_span) = (date_span(a), date_span(b));
                    if a_span == b_span {
                        return Err(DateError::ZeroLength {
                            input: s.to_owned(),
                            date: a.to_string(),
                        });
                    }
                    if b_span.1 < a_span.0 {
                        return Err(DateError::Reversed {
                            input: s.to_owned(),
                            start: a.to_string(),
                            end: b.to_string(),
                        });
                    }
                    Form::Between(*a, *b)
                }
                _ => {
                    return Err(unsupported(
                        "of the EDTF sets only [A..] (on or after A), [..B] (on or before B) and [A..B] (one day between A and B) are supported",
                    ));
                }
            },
        };
        let bounds = edtf_core::Edtf::from(form).bounds();
        let date = PartialDate {
            form,
            min: bound_day(bounds.earliest),
            max: bound_day(bounds.latest),
        };
        let canonical = date.to_string();
        if canonical != s {
            return Err(DateError::NotCanonical {
                input: s.to_owned(),
                canonical,
            });
        }
        Ok(date)
    }
}

impl From<Form> for Edtf {
    fn from(form: Form) -> Edtf {
        match form {
            Form::Date(d) => Edtf::Date(d),
            Form::Interval(iv) => Edtf::Interval(iv),
            Form::OnOrAfter(d) => Edtf::Set(edtf_core::Set {
                kind: SetKind::OneMember,
                elements: vec![SetElement::OnOrAfter(d)],
            }),
            Form::OnOrBefore(d) => Edtf::Set(edtf_core::Set {
                kind: SetKind::OneMember,
                elements: vec![SetElement::OnOrBefore(d)],
            }),
            Form::Between(a, b) => Edtf::Set(edtf_core::Set {
                kind: SetKind::OneMember,
                elements: vec![SetElement::Range(a, b)],
            }),
        }
    }
}

/// Prints the date as written (`1998-02`, `1997-07/..`, `[..1960]`); honours width and
/// alignment.
impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.width().is_none() && f.precision().is_none() {
            return self.form.fmt(f);
        }
        f.pad(&self.form.to_string())
    }
}

impl FromStr for PartialDate {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, DateError> {
        Self::parse(s)
    }
}

/// Hashes what equal dates share: their bounds, precision and certainty.
impl Hash for PartialDate {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.min.hash(state);
        self.max.hash(state);
        self.precision().hash(state);
        self.certainty().hash(state);
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Dates are ordered chronologically by [`PartialDate::sort_key`] (their start, the first day
/// they can mean or, where that is open, their last; then their last day, an open end last),
/// then by precision, certainty and text. So `1997` comes before `1997-07` before
/// `1997-07/1997-12` before `1997-07/..`, and `../1998` (up to 1998) is placed at the end of
/// 1998, after `1998-02-26`.
impl Ord for PartialDate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.sort_key()
            .cmp(&other.sort_key())
            .then_with(|| self.precision().cmp(&other.precision()))
            .then_with(|| self.certainty().cmp(&other.certainty()))
            .then_with(|| {
                if self == other {
                    Ordering::Equal
                } else {
                    self.to_string().cmp(&other.to_string())
                }
            })
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
                f.write_str("an EDTF date string such as \"1998\", \"1998-02-26\", \"1998?\", \"1997-07/1997-12\" or \"1997-07/..\"")
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
            "description": "A date as precisely and as surely as the source gives it, in EDTF (ISO 8601-2): YYYY, YYYY-MM, YYYY-MM-DD; qualified ? (uncertain), ~ (approximate) or % (both); with unspecified digits 199X, 19XX, 1998-XX; an interval A/B, with an open (..) or unknown (empty) end; on or after [A..], on or before [..B]. Years 0001-9999.",
            "examples": ["1998", "1998-02", "1998-02-26", "1998?", "199X", "1997-07/1997-12", "1997-07/..", "1997-07/", "[1997-07..]", "[..1960]"]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    fn p(s: &str) -> PartialDate {
        s.parse()
            .unwrap_or_else(|e| panic!("{s:?} should parse: {e}"))
    }

    /// (text, min, max, precision, certainty) of every supported form.
    #[allow(clippy::type_complexity)]
    fn forms() -> Vec<(
        &'static str,
        Option<NaiveDate>,
        Option<NaiveDate>,
        DatePrecision,
        DateCertainty,
    )> {
        use DateCertainty as C;
        use DatePrecision as P;
        vec![
            ("1998", d(1998, 1, 1), d(1998, 12, 31), P::Year, C::Certain),
            (
                "2000-02",
                d(2000, 2, 1),
                d(2000, 2, 29),
                P::Month,
                C::Certain,
            ),
            (
                "1991-12-28",
                d(1991, 12, 28),
                d(1991, 12, 28),
                P::Day,
                C::Certain,
            ),
            (
                "1998?",
                d(1998, 1, 1),
                d(1998, 12, 31),
                P::Year,
                C::Uncertain,
            ),
            (
                "1998-02~",
                d(1998, 2, 1),
                d(1998, 2, 28),
                P::Month,
                C::Approximate,
            ),
            (
                "1998-02-26%",
                d(1998, 2, 26),
                d(1998, 2, 26),
                P::Day,
                C::UncertainApproximate,
            ),
            (
                "199X",
                d(1990, 1, 1),
                d(1999, 12, 31),
                P::Decade,
                C::Certain,
            ),
            (
                "19XX",
                d(1900, 1, 1),
                d(1999, 12, 31),
                P::Century,
                C::Certain,
            ),
            (
                "199X~",
                d(1990, 1, 1),
                d(1999, 12, 31),
                P::Decade,
                C::Approximate,
            ),
            (
                "1998-XX",
                d(1998, 1, 1),
                d(1998, 12, 31),
                P::Year,
                C::Certain,
            ),
            (
                "1998-XX-XX",
                d(1998, 1, 1),
                d(1998, 12, 31),
                P::Year,
                C::Certain,
            ),
            (
                "1998-02-XX",
                d(1998, 2, 1),
                d(1998, 2, 28),
                P::Month,
                C::Certain,
            ),
            (
                "1997-07/1997-12",
                d(1997, 7, 1),
                d(1997, 12, 31),
                P::Range,
                C::Certain,
            ),
            (
                "1997?/1998~",
                d(1997, 1, 1),
                d(1998, 12, 31),
                P::Range,
                C::UncertainApproximate,
            ),
            ("1997-07/..", d(1997, 7, 1), None, P::Range, C::Certain),
            ("../1998", None, d(1998, 12, 31), P::Range, C::Certain),
            ("1997-07/", d(1997, 7, 1), None, P::Range, C::Certain),
            ("/1998", None, d(1998, 12, 31), P::Range, C::Certain),
            ("1997-07~/..", d(1997, 7, 1), None, P::Range, C::Approximate),
            ("[1997-07..]", d(1997, 7, 1), None, P::Range, C::Certain),
            ("[..1960]", None, d(1960, 12, 31), P::Range, C::Certain),
            (
                "1998-03/1998",
                d(1998, 3, 1),
                d(1998, 12, 31),
                P::Range,
                C::Certain,
            ),
            ("0001", d(1, 1, 1), d(1, 12, 31), P::Year, C::Certain),
            (
                "9999-12-31",
                d(9999, 12, 31),
                d(9999, 12, 31),
                P::Day,
                C::Certain,
            ),
        ]
    }

    #[test]
    fn parses_each_form() {
        for (text, min, max, precision, certainty) in forms() {
            let date = p(text);
            assert_eq!(
                (
                    date.min_day(),
                    date.max_day(),
                    date.precision(),
                    date.certainty()
                ),
                (min, max, precision, certainty),
                "{text}"
            );
            assert_eq!(date.to_string(), text);
            assert_eq!(date.is_interval(), text.contains('/'), "{text}");
        }
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
        assert!(matches!(
            "1997/2019-02-29".parse::<PartialDate>(),
            Err(DateError::Day {
                day: 29,
                month: 2,
                year: 2019,
                ..
            })
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
            "/",
            "../..",
            " 1998",
            "1998/1999/2000",
            "１９９８",
            "+1998",
            "02/1998",
            "1998~?",
        ] {
            assert!(
                matches!(bad.parse::<PartialDate>(), Err(DateError::Format { .. })),
                "{bad:?} should be a format error: {:?}",
                bad.parse::<PartialDate>()
            );
        }
        let message = "2019-02-29".parse::<PartialDate>().unwrap_err().to_string();
        assert_eq!(
            message,
            "\"2019-02-29\" is not a date: 2019-02 has no day 29"
        );
        let message = "02/1998".parse::<PartialDate>().unwrap_err().to_string();
        assert!(
            message.starts_with("\"02/1998\" is not a date: "),
            "{message}"
        );
    }

    #[test]
    fn rejects_year_zero() {
        for bad in [
            "0000",
            "0000-02",
            "0000-02-29",
            "0000?",
            "00XX",
            "000X",
            "0000/1998",
            "[..0000]",
        ] {
            assert!(
                matches!(bad.parse::<PartialDate>(), Err(DateError::YearZero { .. })),
                "{bad:?}: {:?}",
                bad.parse::<PartialDate>()
            );
        }
        assert_eq!(
            "0000".parse::<PartialDate>().unwrap_err().to_string(),
            "\"0000\" is not a date: year 0000 is not accepted (ISO 8601 reads it as 1 BC, and most readers cannot hold it); years run from 0001 to 9999"
        );
        assert!(PartialDate::year(0).is_err());
    }

    #[test]
    fn rejects_zero_length_and_reversed_intervals() {
        for (bad, alone) in [
            ("1998-02-26/1998-02-26", "1998-02-26"),
            ("1998/1998", "1998"),
            ("1998-02/1998-02~", "1998-02"),
        ] {
            match bad.parse::<PartialDate>() {
                Err(DateError::ZeroLength { date, .. }) => assert_eq!(date, alone),
                other => panic!("{bad:?}: {other:?}"),
            }
        }
        assert_eq!(
            "1998-02-26/1998-02-26"
                .parse::<PartialDate>()
                .unwrap_err()
                .to_string(),
            "\"1998-02-26/1998-02-26\" is not a date: the interval starts and ends on the same date; write \"1998-02-26\" alone"
        );
        match "1999/1998".parse::<PartialDate>() {
            Err(e @ DateError::Reversed { .. }) => assert_eq!(
                e.to_string(),
                "\"1999/1998\" is not a date: the interval ends (1998) before it starts (1999)"
            ),
            other => panic!("{other:?}"),
        }
        // A month inside its own year is not zero-length: it narrows the start.
        assert!("1998/1998-12".parse::<PartialDate>().is_ok());
    }

    #[test]
    fn rejects_unsupported_edtf() {
        for bad in [
            "1998-02-26T10:00:00",
            "1998-21",
            "-0001",
            "Y12345",
            "1XXX",
            "1998?-02",
            "2004-06~-11",
            "199X/2000",
            "[199X..]",
            "{1998}",
            "[1998]",
            "[1997,1998]",
            "[1997..199X]",
            "[1997..1999,2001]",
            "..1997/1999",
            "1997/1999..",
            "1998-XX-26",
            "1998S2",
            "[..1960?]",
            "[1997-07~..]",
        ] {
            assert!(
                matches!(
                    bad.parse::<PartialDate>(),
                    Err(DateError::Unsupported { .. } | DateError::Format { .. })
                ),
                "{bad:?}: {:?}",
                bad.parse::<PartialDate>()
            );
        }
        match "?1998".parse::<PartialDate>() {
            Err(DateError::NotCanonical { canonical, .. }) => assert_eq!(canonical, "1998?"),
            other => panic!("{other:?}"),
        }
        let message = "1998-21".parse::<PartialDate>().unwrap_err().to_string();
        assert!(
            message.starts_with("\"1998-21\" is not a supported date: seasons"),
            "{message}"
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
        assert!(PartialDate::year(-5).is_err());
        let iv = PartialDate::interval(
            PartialDate::month(1997, 7).unwrap(),
            PartialDate::month(1997, 12).unwrap(),
        )
        .unwrap();
        assert_eq!(iv, p("1997-07/1997-12"));
        assert!(PartialDate::interval(iv, iv).is_err());
        let uncertain = PartialDate::interval(p("1997?"), p("1998~")).unwrap();
        assert_eq!(uncertain.to_string(), "1997?/1998~");
    }

    #[test]
    fn orders_chronologically_with_open_ends() {
        let mut dates: Vec<PartialDate> = [
            "1998-02-26",
            "1997",
            "1998-02",
            "1997-07",
            "1998",
            "1997-07/1997-12",
            "1997-07/..",
            "../1998",
            "[1997-07..]",
            "1997-07/",
            "1998?",
        ]
        .iter()
        .map(|s| p(s))
        .collect();
        dates.sort();
        let printed: Vec<String> = dates.iter().map(ToString::to_string).collect();
        assert_eq!(
            printed,
            [
                "1997",
                "1997-07",
                "1997-07/1997-12",
                "1997-07/",
                "1997-07/..",
                "[1997-07..]",
                "1998",
                "1998?",
                "1998-02",
                "1998-02-26",
                "../1998"
            ]
        );
        for a in &dates {
            for b in &dates {
                assert_eq!(a.cmp(b) == Ordering::Equal, a == b, "{a} vs {b}");
            }
        }
    }

    #[test]
    fn contains_treats_open_ends_as_unbounded() {
        let since = p("1997-07/..");
        assert!(since.contains(NaiveDate::from_ymd_opt(2020, 1, 1).unwrap()));
        assert!(!since.contains(NaiveDate::from_ymd_opt(1997, 6, 30).unwrap()));
        let before = p("[..1960]");
        assert!(before.contains(NaiveDate::from_ymd_opt(1900, 1, 1).unwrap()));
        assert!(!before.contains(NaiveDate::from_ymd_opt(1961, 1, 1).unwrap()));
    }

    #[test]
    fn display_honours_width() {
        assert_eq!(format!("{:>12}|", p("1998?")), "       1998?|");
        assert_eq!(format!("{:<9}|", DatePrecision::Decade), "decade   |");
        assert_eq!(format!("{:<10}|", DateCertainty::Uncertain), "uncertain |");
    }

    #[test]
    fn kind_of_each_form() {
        use DateKind as K;
        for (text, kind) in [
            ("1998-02-26", K::Day),
            ("1998-02-26%", K::Day),
            ("9999-12-31", K::Day),
            ("1998-02", K::OneOf),
            ("1998-02~", K::OneOf),
            ("1998-02-XX", K::OneOf),
            ("1998", K::OneOf),
            ("1998?", K::OneOf),
            ("1998-XX", K::OneOf),
            ("1998-XX-XX", K::OneOf),
            ("199X", K::OneOf),
            ("19XX", K::OneOf),
            ("[1999-12..2026-11]", K::OneOf),
            ("[2006-09-13..2026-11-30]", K::OneOf),
            ("1997-07/1997-12", K::Period),
            ("1997?/1998~", K::Period),
            ("1998-03/1998", K::Period),
            ("1997-07/..", K::AsOf),
            ("1997-07/", K::AsOf),
            ("1950~/..", K::AsOf),
            ("../1998", K::AsOf),
            ("/1998", K::AsOf),
            ("[1997-07..]", K::AsOf),
            ("[..1960]", K::AsOf),
        ] {
            assert_eq!(p(text).kind(), kind, "{text}");
        }
        // Every form of the table above has a kind that agrees with its bounds.
        for (text, min, max, precision, _) in forms() {
            let kind = p(text).kind();
            match kind {
                K::Day => assert!(min == max && precision == DatePrecision::Day, "{text}"),
                K::OneOf | K::Period => assert!(min.is_some() && max.is_some(), "{text}"),
                K::AsOf => assert!(min.is_none() || max.is_none(), "{text}"),
            }
        }
    }

    #[test]
    fn sort_key_digits_spell_the_days() {
        assert_eq!(p("1998-02").sort_key(), 19_980_201_199_802_280);
        assert_eq!(p("1998-02").sort_key().to_string(), "19980201199802280");
        assert_eq!(p("[1945..]").sort_key().to_string(), "19450101999999990");
        assert_eq!(
            p("[..2019-05-10]").sort_key().to_string(),
            "20190510201905101"
        );
        assert_eq!(p("0001").sort_key().to_string(), "10101000112310");
        assert_eq!(PartialDate::sort_key_of(None, None), None);
    }

    /// The order the data card gives for a release's `_min` and `_max` columns: by the start
    /// (`_min`, or `_max` where `_min` is empty), then `_max` with an empty one last, then
    /// `_min` with an empty one last.
    fn card_order(a: &PartialDate, b: &PartialDate) -> Ordering {
        let start = |d: &PartialDate| d.min_day().or(d.max_day());
        let nulls_last = |x: Option<NaiveDate>, y: Option<NaiveDate>| match (x, y) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        nulls_last(start(a), start(b))
            .then_with(|| nulls_last(a.max_day(), b.max_day()))
            .then_with(|| nulls_last(a.min_day(), b.min_day()))
    }

    fn point() -> impl Strategy<Value = String> {
        prop_oneof![
            (0..=9999i32).prop_map(|y| format!("{y:04}")),
            (0..=9999i32, 1..=12u32).prop_map(|(y, m)| format!("{y:04}-{m:02}")),
            (0..=9999i32, 1..=12u32, 1..=31u32)
                .prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        ]
    }

    fn qualifier() -> impl Strategy<Value = &'static str> {
        prop_oneof![Just(""), Just("?"), Just("~"), Just("%")]
    }

    fn qualified() -> impl Strategy<Value = (String, &'static str)> {
        (point(), qualifier())
    }

    fn masked() -> impl Strategy<Value = String> {
        prop_oneof![
            (0..=999i32).prop_map(|y| format!("{y:03}X")),
            (0..=99i32).prop_map(|y| format!("{y:02}XX")),
            (0..=9999i32).prop_map(|y| format!("{y:04}-XX")),
            (0..=9999i32).prop_map(|y| format!("{y:04}-XX-XX")),
            (0..=9999i32, 1..=12u32).prop_map(|(y, m)| format!("{y:04}-{m:02}-XX")),
        ]
    }

    /// Every supported form, from parts that may be impossible (day 31 of February, year 0).
    fn any_form() -> impl Strategy<Value = String> {
        prop_oneof![
            qualified().prop_map(|(a, q)| format!("{a}{q}")),
            (masked(), qualifier()).prop_map(|(a, q)| format!("{a}{q}")),
            (qualified(), qualified()).prop_map(|((a, qa), (b, qb))| format!("{a}{qa}/{b}{qb}")),
            qualified().prop_map(|(a, q)| format!("{a}{q}/..")),
            qualified().prop_map(|(a, q)| format!("../{a}{q}")),
            qualified().prop_map(|(a, q)| format!("{a}{q}/")),
            qualified().prop_map(|(a, q)| format!("/{a}{q}")),
            point().prop_map(|a| format!("[{a}..]")),
            point().prop_map(|a| format!("[..{a}]")),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        #[test]
        fn print_parse_round_trip(text in any_form()) {
            match text.parse::<PartialDate>() {
                Ok(date) => {
                    prop_assert_eq!(date.to_string(), text.clone());
                    prop_assert_eq!(p(&date.to_string()), date);
                    if let (Some(lo), Some(hi)) = (date.min_day(), date.max_day()) {
                        prop_assert!(lo <= hi);
                        prop_assert!(date.contains(lo) && date.contains(hi));
                        prop_assert!(lo.year() >= 1);
                    }
                    prop_assert!(date.min_day().is_some() || date.max_day().is_some());
                    prop_assert_eq!(date.is_interval(), text.contains('/'));
                    let certainty = date.certainty();
                    prop_assert_eq!(certainty.is_uncertain(), text.contains('?') || text.contains('%'));
                    prop_assert_eq!(certainty.is_approximate(), text.contains('~') || text.contains('%'));
                    if text.contains('/') || text.starts_with('[') {
                        prop_assert_eq!(date.precision(), DatePrecision::Range);
                    } else {
                        prop_assert!(date.precision() != DatePrecision::Range);
                    }
                    if date.precision() == DatePrecision::Day {
                        prop_assert_eq!(date.min_day(), date.max_day());
                    }
                    prop_assert_eq!(date.min_day().is_none(), text.starts_with('/') || text.starts_with("..") || text.starts_with("[.."));
                    prop_assert_eq!(date.max_day().is_none(), text.ends_with('/') || text.ends_with("..") || text.ends_with("..]"));
                }
                Err(err) => {
                    // Only impossible days, year 0, and intervals that are reversed or
                    // zero-length may fail.
                    prop_assert!(
                        matches!(
                            err,
                            DateError::Day { .. }
                                | DateError::YearZero { .. }
                                | DateError::Reversed { .. }
                                | DateError::ZeroLength { .. }
                        ),
                        "{}",
                        err
                    );
                }
            }
        }

        #[test]
        fn sort_key_orders_as_the_card_says(texts in proptest::collection::vec(any_form(), 1..24)) {
            let dates: Vec<PartialDate> = texts.iter().filter_map(|t| t.parse().ok()).collect();
            let days = |v: &[PartialDate]| -> Vec<(Option<NaiveDate>, Option<NaiveDate>)> {
                v.iter().map(|d| (d.min_day(), d.max_day())).collect()
            };
            let mut by_key = dates.clone();
            by_key.sort_by_key(PartialDate::sort_key);
            let mut by_card = dates.clone();
            by_card.sort_by(card_order);
            prop_assert_eq!(days(&by_key), days(&by_card));
            let mut by_ord = dates.clone();
            by_ord.sort();
            prop_assert_eq!(days(&by_ord), days(&by_card));
            for a in &dates {
                prop_assert_eq!(PartialDate::sort_key_of(a.min_day(), a.max_day()), Some(a.sort_key()));
                // The extent starts where the date is placed, and lies within its bounds.
                let (first, last) = a.extent();
                prop_assert_eq!(Some(first), a.min_day().or(a.max_day()));
                prop_assert!(first <= last && a.contains(first) && a.contains(last));
                for b in &dates {
                    // Pairwise: the key agrees with the card's order, and ties exactly where
                    // the two dates mean the same days.
                    prop_assert_eq!(a.sort_key().cmp(&b.sort_key()), card_order(a, b), "{} vs {}", a, b);
                    prop_assert_eq!(
                        a.sort_key() == b.sort_key(),
                        (a.min_day(), a.max_day()) == (b.min_day(), b.max_day())
                    );
                    // A date known only as of a day (its start open) sorts before every
                    // date that starts after that day.
                    if let (None, Some(x), Some(y)) = (a.min_day(), a.max_day(), b.min_day())
                        && y > x
                    {
                        prop_assert!(a < b, "{} vs {}", a, b);
                    }
                }
            }
        }

        #[test]
        fn bounds_agree_with_edtf_core(text in any_form()) {
            if let Ok(date) = text.parse::<PartialDate>() {
                let b = Edtf::parse(&text).unwrap().bounds();
                prop_assert_eq!(date.min_day(), bound_day(b.earliest));
                prop_assert_eq!(date.max_day(), bound_day(b.latest));
            }
        }

        #[test]
        fn serde_uses_the_string_form(text in any_form()) {
            if let Ok(date) = text.parse::<PartialDate>() {
                let back: PartialDate = toml::from_str::<std::collections::BTreeMap<String, PartialDate>>(&format!("d = {text:?}")).unwrap()["d"];
                prop_assert_eq!(back, date);
            }
        }

        #[test]
        fn arbitrary_text_never_panics(s in "\\PC{0,24}") {
            let _ = s.parse::<PartialDate>();
        }

        #[test]
        fn edtf_like_text_never_panics(s in "[0-9X?~%/\\.\\[\\]-]{0,16}") {
            if let Ok(date) = s.parse::<PartialDate>() {
                prop_assert_eq!(date.to_string(), s);
            }
        }
    }
}

#[cfg(test)]
mod between_tests {
    use super::*;

    #[test]
    fn one_day_between_two_bounds() {
        let d: PartialDate = "[1999-12..2026-11]".parse().unwrap();
        assert_eq!(d.to_string(), "[1999-12..2026-11]");
        assert_eq!(d.min_day(), NaiveDate::from_ymd_opt(1999, 12, 1));
        assert_eq!(d.max_day(), NaiveDate::from_ymd_opt(2026, 11, 30));
        assert_eq!(d.precision(), DatePrecision::Range);
        assert_eq!(d.certainty(), DateCertainty::Certain);
        assert!("[1999..1999]".parse::<PartialDate>().is_err());
        assert!("[2000..1999]".parse::<PartialDate>().is_err());
        assert!("[1999?..2000]".parse::<PartialDate>().is_err());
    }
}
