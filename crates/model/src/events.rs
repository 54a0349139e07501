//! The `events` table: every dated fact of every fact table in one long table, so that a
//! timeline is one query, and the temporal coverage of a dataset.
//!
//! Both are read from the tables generically, through [`FactRecord`] and each table's column
//! metadata ([`Column::refers`]), so a fact table added to the registry is in them with no
//! change here:
//!
//! - a record's date is its table's first partial-date column (`date` in every table so far);
//!   a record that leaves it empty has no row in `events` (it is in its own table);
//! - its countries are the values of every column that refers to `countries` (lists too), the
//!   countries of `COUNTRY:office` participants and of subjects that are countries, and the
//!   countries of the people it names, in column order, each once; its people are the values
//!   of every column that refers to `people` and the participants that are people;
//! - its kind is its own `kind` (or `level`) value, or what one record of its table is called;
//! - its quote is its first quote whose role is `claim`.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::table::{Cell, Column, ColumnType, Refers, RowWriter};
use crate::{
    CountryCode, Dataset, DateKind, DateSpan, FactRecord, Id, PartialDate, Participant, Subject,
    Table, TableName,
};

/// One row of a release's `events` table: one dated record of a fact table, with its date,
/// the countries and people it names (with their names beside the codes), its summary and
/// one quote, so that a timeline of every table is one query.
///
/// ```
/// use diplomacy_model::{Dataset, DateKind, VisitsFile, CountriesFile};
///
/// let visits: VisitsFile = toml::from_str(r#"
///     [[visits]]
///     id = "1999-04-jpn-aze-foreign-minister-visit"
///     date = "1999-04"
///     guest_country = "JPN"
///     host_country = "AZE"
///     guest_office = "Foreign Minister"
///     level = "foreign_minister"
///     summary = "The Japanese Foreign Minister visited Azerbaijan."
///
///     [[visits.evidence]]
///     source = "aze-library"
///     quote = "The Japanese Foreign Minister visited Azerbaijan in April 1999."
/// "#)?;
/// let countries: CountriesFile = toml::from_str(r#"
///     [[countries]]
///     id = "JPN"
///     name = "Japan"
///     [[countries]]
///     id = "AZE"
///     name = "Azerbaijan"
/// "#)?;
/// let data = Dataset { visits: visits.visits, countries: countries.countries, ..Dataset::default() };
///
/// let events = data.event_rows();
/// let e = &events[0];
/// assert_eq!(e.id, "visits/1999-04-jpn-aze-foreign-minister-visit");
/// assert_eq!(e.kind, "foreign_minister");
/// assert_eq!(e.date_kind, DateKind::OneOf);
/// assert_eq!(e.sort_key, 19990401_19990430_0);
/// assert_eq!(e.country_names, ["Japan", "Azerbaijan"]);
/// assert_eq!(e.quote.as_deref(), Some("The Japanese Foreign Minister visited Azerbaijan in April 1999."));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Table)]
#[table(name = Events)]
pub struct EventRow {
    /// `<table>/<record>`: the record's table and its id.
    pub id: String,
    /// The table of the record.
    pub record_table: TableName,
    /// The id of the record (a key of `record_table`).
    pub record: Id,
    /// What the record is: its own `kind` or `level` where its table has one, else what one record of its table is called (`visit`).
    pub kind: String,
    /// When, as the record gives it: its table's first date column.
    pub date: PartialDate,
    /// What kind of date it is: `day` (one known day), `one_of` (one day of a range: a month, a year, `[1999-12..2026-11]`), `period` (an interval with two known ends) or `as_of` (known by one bound only: `[..2019-05-10]`, `[1945..]`, `1950~/..`).
    pub date_kind: DateKind,
    /// A chronological sort key: sort on it to order the events truly to their dates (see the data card). Its digits are the start day (`date_min`, or `date_max` where the start is open), the last day (`99999999` where the end is open) and 1 where the start is open, else 0.
    pub sort_key: i64,
    /// The countries the record names (country columns, `COUNTRY:office` participants, subjects) and those of the people it names, in the order of its columns (alpha-3 codes).
    pub countries: Vec<CountryCode>,
    /// The names of `countries`, in the same order, from the `countries` table.
    pub country_names: Vec<String>,
    /// The people the record names (ids of the `people` table), in the order of its columns.
    pub people: Vec<Id>,
    /// The names of `people`, in the same order, from the `people` table.
    pub person_names: Vec<String>,
    /// What happened, in the dataset's own words: the record's summary (or its name or title where it has no summary).
    pub summary: Option<String>,
    /// The record's first quote that states it (role `claim`), verbatim; table `evidence` has every quote.
    pub quote: Option<String>,
    /// The source of `quote`.
    #[column(references = Sources)]
    pub source: Option<Id>,
    /// The fields of the record that its quotes do not state but a careful reader infers (`date` where the date is inferred); table `inferences` says why.
    pub inferred: Vec<String>,
}

/// The names of countries and people, and the people's countries, by id: what the events
/// put beside the codes.
#[derive(Debug)]
pub(crate) struct Names<'a> {
    countries: HashMap<&'a str, &'a str>,
    people: HashMap<&'a str, (&'a str, CountryCode)>,
}

impl<'a> Names<'a> {
    pub(crate) fn new(data: &'a Dataset) -> Self {
        Self {
            countries: data
                .countries
                .iter()
                .map(|c| (c.id.as_str(), c.name.as_str()))
                .collect(),
            people: data
                .people
                .iter()
                .map(|p| (p.id.as_str(), (p.name.as_str(), p.country)))
                .collect(),
        }
    }
}

/// The index of a table's date column: its first partial date.
fn date_column(columns: &[Column]) -> Option<usize> {
    columns.iter().position(|c| c.ty == ColumnType::PartialDate)
}

/// The items of a cell: its text, or its list's items.
fn items<'c>(cell: &'c Cell<'_>) -> Vec<&'c str> {
    match cell {
        Cell::Text(s) => vec![s.as_ref()],
        Cell::List(list) => list.iter().map(AsRef::as_ref).collect(),
        _ => Vec::new(),
    }
}

/// The countries and people a row names, each once, in column order.
#[derive(Debug, Default)]
struct Named {
    countries: Vec<CountryCode>,
    people: Vec<Id>,
}

impl Named {
    fn country(&mut self, code: CountryCode) {
        if !self.countries.contains(&code) {
            self.countries.push(code);
        }
    }

    fn person(&mut self, id: &str, names: &Names<'_>) {
        let Some(&(_, country)) = names.people.get(id) else {
            return;
        };
        if let Ok(id) = Id::new(id)
            && !self.people.contains(&id)
        {
            self.people.push(id);
        }
        self.country(country);
    }

    /// Reads every column that refers to countries or people.
    fn of(columns: &[Column], cells: &[Cell<'_>], names: &Names<'_>) -> Self {
        let mut out = Self::default();
        for (column, cell) in columns.iter().zip(cells) {
            let Some(refers) = column.refers else {
                continue;
            };
            for item in items(cell) {
                match refers {
                    Refers::Table(TableName::Countries) => {
                        if let Ok(code) = CountryCode::new(item) {
                            out.country(code);
                        }
                    }
                    Refers::Table(TableName::People) => out.person(item, names),
                    Refers::Participant => match item.parse::<Participant>() {
                        Ok(Participant::Office { country, .. }) => out.country(country),
                        Ok(Participant::Named(id)) => out.person(id.as_str(), names),
                        Err(_) => {}
                    },
                    Refers::Subject => {
                        if let Ok(Subject::Country(code)) = item.parse::<Subject>() {
                            out.country(code);
                        }
                    }
                    _ => {}
                }
            }
        }
        out
    }
}

/// The text of the first column named one of `names` whose cell holds text.
fn text_of(columns: &[Column], cells: &[Cell<'_>], names: &[&str]) -> Option<String> {
    names.iter().find_map(|name| {
        let i = columns.iter().position(|c| c.name == *name)?;
        match cells.get(i)? {
            Cell::Text(s) => Some(s.to_string()),
            _ => None,
        }
    })
}

/// Appends the event rows of `records`, one per record with a date.
pub(crate) fn events<T: FactRecord>(records: &[T], names: &Names<'_>, out: &mut Vec<EventRow>) {
    let columns = T::columns();
    let Some(at) = date_column(columns) else {
        return;
    };
    let date_field = &columns[at].name;
    let mut row = RowWriter::default();
    for record in records {
        row.clear();
        record.write_row(&mut row);
        let Some(date) = row.date_at(at) else {
            continue;
        };
        let cells = row.cells();
        let named = Named::of(columns, cells, names);
        let claim = record
            .evidence()
            .iter()
            .find(|c| c.role() == crate::EvidenceRole::Claim);
        let country_names = named
            .countries
            .iter()
            .map(|c| names.countries.get(c.as_str()).map_or(c.as_str(), |n| n))
            .map(str::to_owned)
            .collect();
        let person_names = named
            .people
            .iter()
            .map(|p| names.people.get(p.as_str()).map_or(p.as_str(), |n| n.0))
            .map(str::to_owned)
            .collect();
        out.push(EventRow {
            id: format!("{}/{}", T::NAME, record.id()),
            record_table: T::NAME,
            record: record.key().clone(),
            kind: text_of(columns, cells, &["kind", "level"])
                .unwrap_or_else(|| T::NAME.noun().to_owned()),
            date: *date,
            date_kind: date.kind(),
            sort_key: date.sort_key(),
            countries: named.countries,
            country_names,
            people: named.people,
            person_names,
            summary: text_of(columns, cells, &["summary", "name", "title"]),
            quote: claim.map(|c| c.quote.clone()),
            source: claim.map(|c| c.source.clone()),
            inferred: record
                .inferred()
                .iter()
                .map(|i| {
                    if &i.field == date_field {
                        "date".to_owned()
                    } else {
                        i.field.clone()
                    }
                })
                .collect(),
        });
    }
}

/// The temporal coverage of a dataset: the first and last day of its fact records' dates
/// ([`Dataset::temporal_coverage`]), those its texts state and those its records infer apart.
///
/// Each date counts with its extent ([`PartialDate::extent`]): the days it names (a day,
/// month or year whole, a period end to end), or, for a date known by one bound or only
/// between two, the day it is placed on. Its widest bounds (an undated page dated up to its
/// archiving) are kept apart, in [`widest`](Self::widest). A date is *stated* unless its
/// record marks it inferred. Sources' publication dates are not facts and do not count.
///
/// ```
/// use diplomacy_model::{Dataset, StatementsFile};
///
/// let file: StatementsFile = toml::from_str(r#"
///     [[statements]]
///     id = "policy-stated"
///     date = "2016-05"
///     actor_country = "JPN"
///     kind = "policy"
///     summary = "A policy."
///     [[statements]]
///     id = "undated-page"
///     date = "[1999-12..2026-11]"
///     actor_country = "JPN"
///     kind = "policy"
///     summary = "A policy on an undated page."
///     [[statements.inferred]]
///     field = "date"
///     basis = "attribution"
///     reason = "Dated as the page: after its latest event, before its archiving."
/// "#)?;
/// let data = Dataset { statements: file.statements, ..Dataset::default() };
/// let coverage = data.temporal_coverage();
/// let text = |span: Option<(chrono::NaiveDate, chrono::NaiveDate)>| {
///     span.map(|(a, b)| format!("{a}/{b}")).unwrap_or_default()
/// };
/// assert_eq!(text(coverage.stated.bounds()), "2016-05-01/2016-05-31");
/// // The undated page counts as the day it is placed on, not its archiving bound:
/// assert_eq!(text(coverage.all()), "1999-12-01/2016-05-31");
/// assert_eq!(text(coverage.widest), "1999-12-01/2026-11-30");
/// assert_eq!((coverage.stated_records, coverage.inferred_records), (1, 1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TemporalCoverage {
    /// The extents of the dates the records' quotes state.
    pub stated: DateSpan,
    /// The extents of the dates the records mark inferred.
    pub inferred: DateSpan,
    /// The first and last day any date can mean, over every known bound.
    pub widest: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    /// How many records have a date their quotes state.
    pub stated_records: usize,
    /// How many records have a date they mark inferred.
    pub inferred_records: usize,
    /// How many records of tables with a date column leave it empty.
    pub undated_records: usize,
}

impl TemporalCoverage {
    /// The first and last day of every date's extent, stated or inferred: what catalogues are
    /// told (`temporalCoverage`).
    pub fn all(&self) -> Option<(chrono::NaiveDate, chrono::NaiveDate)> {
        self.stated.merge(self.inferred).bounds()
    }
}

/// Adds the dates of `records` to `coverage`.
pub(crate) fn coverage<T: FactRecord>(records: &[T], coverage: &mut TemporalCoverage) {
    let columns = T::columns();
    let Some(at) = date_column(columns) else {
        return;
    };
    let field = &columns[at].name;
    let mut row = RowWriter::default();
    for record in records {
        row.clear();
        record.write_row(&mut row);
        let Some(date) = row.date_at(at) else {
            coverage.undated_records += 1;
            continue;
        };
        for day in [date.min_day(), date.max_day()].into_iter().flatten() {
            coverage.widest = Some(match coverage.widest {
                Some((lo, hi)) => (lo.min(day), hi.max(day)),
                None => (day, day),
            });
        }
        if record.inferred().iter().any(|i| &i.field == field) {
            coverage.inferred.add(date);
            coverage.inferred_records += 1;
        } else {
            coverage.stated.add(date);
            coverage.stated_records += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Citation, EvidenceRole, Inference, InferenceBasis};

    fn data() -> Dataset {
        let mut data = Dataset::default();
        let countries: crate::CountriesFile = toml::from_str(
            r#"
            [[countries]]
            id = "JPN"
            name = "Japan"
            [[countries]]
            id = "RUS"
            name = "Russia"
            [[countries]]
            id = "KAZ"
            name = "Kazakhstan"
            "#,
        )
        .unwrap();
        let people: crate::PeopleFile = toml::from_str(
            r#"
            [[people]]
            id = "abe-shinzo"
            name = "Abe Shinzo"
            country = "JPN"
            [[people]]
            id = "putin-vladimir"
            name = "Vladimir Putin"
            country = "RUS"
            "#,
        )
        .unwrap();
        let meetings: crate::MeetingsFile = toml::from_str(
            r#"
            [[meetings]]
            id = "m1"
            date = "2016-12-15"
            location_country = "JPN"
            participants = ["putin-vladimir", "abe-shinzo", "KAZ:Foreign Minister", "asean"]
            kind = "summit"
            summary = "A summit."
            [[meetings.evidence]]
            source = "s"
            quote = "Dated on 15 December."
            role = "dateline"
            [[meetings.evidence]]
            source = "s"
            quote = "The leaders met in Nagato."
            "#,
        )
        .unwrap();
        let statements: crate::StatementsFile = toml::from_str(
            r#"
            [[statements]]
            id = "st1"
            date = "[..2019-05-10]"
            actor_country = "RUS"
            kind = "stated_position"
            about = ["JPN", "asean"]
            summary = "A position."
            [[statements.inferred]]
            field = "date"
            basis = "calendar"
            reason = "The dateline."
            [[statements.evidence]]
            source = "s"
            quote = "Moscow has stated many times."
            [[statements]]
            id = "st2"
            actor_country = "JPN"
            kind = "policy"
            summary = "Undated."
            [[statements.evidence]]
            source = "s"
            quote = "Japan assists Kazakhstan."
            "#,
        )
        .unwrap();
        data.countries = countries.countries;
        data.people = people.people;
        data.meetings = meetings.meetings;
        data.statements = statements.statements;
        data
    }

    #[test]
    fn one_row_per_dated_fact_with_names_beside_codes() {
        let data = data();
        let events = data.event_rows();
        let ids: Vec<&str> = events.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["meetings/m1", "statements/st1"]);
        let m = &events[0];
        assert_eq!(m.record_table, TableName::Meetings);
        assert_eq!(m.kind, "summit");
        assert_eq!(m.date_kind, DateKind::Day);
        // The location, then each participant's country: each once, in column order.
        let codes: Vec<&str> = m.countries.iter().map(CountryCode::as_str).collect();
        assert_eq!(codes, ["JPN", "RUS", "KAZ"]);
        assert_eq!(m.country_names, ["Japan", "Russia", "Kazakhstan"]);
        let people: Vec<&str> = m.people.iter().map(Id::as_str).collect();
        assert_eq!(people, ["putin-vladimir", "abe-shinzo"]);
        assert_eq!(m.person_names, ["Vladimir Putin", "Abe Shinzo"]);
        // The first claim, not the dateline before it.
        assert_eq!(m.quote.as_deref(), Some("The leaders met in Nagato."));
        assert_eq!(m.summary.as_deref(), Some("A summit."));
        let s = &events[1];
        assert_eq!(s.date_kind, DateKind::AsOf);
        assert_eq!(s.inferred, ["date"]);
        let codes: Vec<&str> = s.countries.iter().map(CountryCode::as_str).collect();
        assert_eq!(codes, ["RUS", "JPN"]);
        assert!(s.people.is_empty());
    }

    #[test]
    fn coverage_says_stated_and_inferred_apart() {
        let mut data = data();
        let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let c = data.temporal_coverage();
        assert_eq!(
            (c.stated_records, c.inferred_records, c.undated_records),
            (1, 1, 1)
        );
        let dec15 = day(2016, 12, 15);
        assert_eq!(c.stated.bounds(), Some((dec15, dec15)));
        // On or before 2019-05-10 counts as that day, and has no known start.
        let may10 = day(2019, 5, 10);
        assert_eq!(c.inferred.bounds(), Some((may10, may10)));
        assert_eq!(c.all(), Some((dec15, may10)));
        assert_eq!(c.widest, Some((dec15, may10)));
        // A one-of range counts as the day it is placed on; its widest bound is kept apart.
        data.statements[1].date = Some("[2001-01..2026-11]".parse().unwrap());
        let c = data.temporal_coverage();
        assert_eq!(c.all(), Some((day(2001, 1, 1), may10)));
        assert_eq!(c.widest, Some((day(2001, 1, 1), day(2026, 11, 30))));
        assert_eq!(c.undated_records, 0);
        // Every date inferred: nothing stated.
        let m = &mut data.meetings[0];
        m.inferred.push(Inference {
            field: "date".into(),
            basis: InferenceBasis::Calendar,
            reason: "A weekday.".into(),
        });
        m.evidence.push(Citation {
            role: Some(EvidenceRole::Context),
            ..Citation::new("s".parse().unwrap(), "Context words here.")
        });
        let inferred_date = data.statements[0].inferred[0].clone();
        data.statements[1].inferred.push(inferred_date);
        let c = data.temporal_coverage();
        assert_eq!(c.stated.bounds(), None);
        assert_eq!(c.all(), c.inferred.bounds());
    }
}
