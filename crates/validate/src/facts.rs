//! What the dataset-wide rules need from each record, taken from the spanned TOML of every
//! record, whether or not it passed its schema, so one run reports every problem.
//!
//! Facts hold absolute byte positions and their own copies of the strings, so the parsed
//! trees can be dropped chunk by chunk and memory stays bounded by what the rules need: a
//! chunk's strings are ranges of one text ([`Str`]), and each record's citations, stated
//! values and quotes runs of one list each ([`Run`]), so a chunk's facts are a few
//! allocations rather than several per record.

use chrono::NaiveDate;
use diplomacy_model::table::{Column, ColumnType, Refers};
use diplomacy_model::{
    CountryCode, DatasetTable, EvidenceRole, ExcuseReason, Id, PartialDate, Participant,
    Segmentation, Subject, TableName, WithTable,
};
use toml_spanner::Item;

/// What a reference points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Target {
    /// A row of `countries.toml`.
    Country,
    /// A row of another table.
    Table(TableName),
    /// A row of either of two tables (a participant: a person or an organization).
    Either(TableName, TableName),
}

/// A record's id.
pub(crate) struct IdFact {
    pub(crate) table: TableName,
    pub(crate) id: Str,
    pub(crate) file: usize,
    pub(crate) pos: usize,
}

/// A value that must name an existing row.
pub(crate) struct RefFact {
    pub(crate) file: usize,
    pub(crate) pos: usize,
    pub(crate) field: &'static str,
    pub(crate) value: Str,
    pub(crate) target: Target,
}

/// One evidence entry of a record.
pub(crate) struct CiteFact {
    pub(crate) index: usize,
    pub(crate) source: Option<(Str, usize)>,
    /// The quote with whitespace runs collapsed to one space, and its position.
    pub(crate) quote: Option<(Str, usize)>,
    /// Which place of the source it means, where it says.
    pub(crate) occurrence: Option<u32>,
}

/// A fact-bearing record's evidence.
pub(crate) struct EvidenceFact {
    pub(crate) file: usize,
    pub(crate) pos: usize,
    pub(crate) table: TableName,
    pub(crate) id: Option<Str>,
    /// Its citations: a run of its [`Facts`]' citations.
    pub(crate) citations: Run,
}

/// A source's archived file and checksum, and what its sentence ledger needs.
pub(crate) struct SourceFact {
    pub(crate) file: usize,
    pub(crate) id: Option<String>,
    /// The position of the record (its first key), for messages about the source as a whole.
    pub(crate) pos: usize,
    pub(crate) path: Option<(String, usize)>,
    pub(crate) sha256: Option<(String, usize)>,
    /// How its text is divided for the ledger (`None` where the value is not a known one:
    /// the schema reports it).
    pub(crate) segment: Option<Segmentation>,
    pub(crate) excused: Vec<ExcuseFact>,
}

/// One `[[sources.excused]]` entry.
pub(crate) struct ExcuseFact {
    /// The quote with whitespace runs collapsed to one space, and its position.
    pub(crate) quote: Box<str>,
    pub(crate) pos: usize,
    pub(crate) index: usize,
    pub(crate) reason: ExcuseReason,
}

/// The first and last day a date can mean (`None` for an end that is open or unknown), or
/// `None` where the text is not a real date. The one place the rules ask a date for its
/// bounds.
pub(crate) fn day_bounds(s: &str) -> Option<DayBounds> {
    let d: PartialDate = s.parse().ok()?;
    Some((d.min_day(), d.max_day()))
}

/// The first and last day of a date; `None` for an open end.
pub(crate) type DayBounds = (Option<NaiveDate>, Option<NaiveDate>);

/// Whether two dates can mean a common day.
pub(crate) fn overlap(a: DayBounds, b: DayBounds) -> bool {
    let before = |end: Option<NaiveDate>, start: Option<NaiveDate>| matches!((end, start), (Some(e), Some(s)) if e < s);
    !before(a.1, b.0) && !before(b.1, a.0)
}

/// A person and the country they serve.
pub(crate) struct PersonFact {
    pub(crate) id: Str,
    pub(crate) country: Str,
}

/// What a visit's consistency rules need.
pub(crate) struct VisitFact {
    pub(crate) id: Str,
    pub(crate) file: usize,
    pub(crate) guest_country: Option<Str>,
    /// `guest_person` and its position.
    pub(crate) guest_person: Option<(Str, usize)>,
    pub(crate) days: Option<DayBounds>,
}

/// A meeting linked to a visit.
pub(crate) struct MeetingVisitFact {
    pub(crate) file: usize,
    /// The meeting's `date` position.
    pub(crate) pos: usize,
    pub(crate) visit: Str,
    pub(crate) days: DayBounds,
}

/// What kind of value a fact record states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Stated {
    /// A country code.
    Country,
    /// A person's id.
    Person,
    /// An organization's id.
    Organization,
    /// A participant's id: a person's or an organization's.
    PersonOrOrganization,
    /// An office, as words.
    Office,
    /// A partial date, as written.
    Date,
}

/// A value a fact record states, which one of its quotes must state (or the record must mark
/// inferred).
pub(crate) struct StatedValue {
    pub(crate) field: &'static str,
    pub(crate) kind: Stated,
    pub(crate) value: Str,
    pub(crate) pos: usize,
}

/// One quote of a fact record, as the entailment rules read it.
pub(crate) struct QuoteFact {
    /// Its entry's place among the record's evidence: its text is that citation's quote
    /// ([`CiteFact::quote`], kept once).
    pub(crate) cite: usize,
    pub(crate) role: EvidenceRole,
    /// The fields it supports; empty for the record as a whole.
    pub(crate) supports: Box<[(FieldName, usize)]>,
}

/// A field name as a record writes it: the column's own name where it is one (most are, and
/// those cost no allocation), else the text.
pub(crate) type FieldName = std::borrow::Cow<'static, str>;

/// `name` as a [`FieldName`] of `table`'s.
fn field_name(table: TableName, name: &str) -> FieldName {
    columns(table).iter().find(|c| c.name == name).map_or_else(
        || FieldName::Owned(name.to_owned()),
        |c| {
            let column: &'static str = &c.name;
            FieldName::Borrowed(column)
        },
    )
}

/// The columns a record holds a value in, as a set of their indices among its table's
/// columns (a fact table has fewer than 128; a test checks it).
#[derive(Clone, Copy, Default)]
pub(crate) struct Present(u128);

impl Present {
    /// Whether the record holds a value in `table`'s column `field`.
    pub(crate) fn has(self, table: TableName, field: &str) -> bool {
        columns(table)
            .iter()
            .position(|c| c.name == field)
            .is_some_and(|i| i < 128 && self.0 & (1 << i) != 0)
    }
}

/// What the entailment rules need of one fact record.
pub(crate) struct ProvenanceFact {
    pub(crate) file: usize,
    /// The record's evidence: its index among the [`EvidenceFact`]s of the same [`Facts`].
    pub(crate) evidence: usize,
    pub(crate) table: TableName,
    /// A run of its [`Facts`]' stated values.
    pub(crate) values: Run,
    /// A run of its [`Facts`]' quotes.
    pub(crate) quotes: Run,
    /// The fields marked inferred, with the position of each entry.
    pub(crate) inferred: Box<[(FieldName, usize)]>,
    /// The fields the record holds a value in.
    pub(crate) present: Present,
}

/// The names a country, person or organization goes by (its `name` and `other_names`),
/// lower-cased, with the position of each other name.
pub(crate) struct FormsFact {
    pub(crate) file: usize,
    pub(crate) table: TableName,
    pub(crate) id: Box<str>,
    pub(crate) forms: Box<[(Box<str>, Option<usize>)]>,
    /// A person's country.
    pub(crate) country: Option<Box<str>>,
    /// A person's `name` as written, with its position, where it gives `family_name` or
    /// `given_name`.
    pub(crate) name: Option<(Box<str>, usize)>,
    /// A person's `family_name` and `given_name` as written, each with its field and
    /// position.
    pub(crate) parts: Box<[(&'static str, Box<str>, usize)]>,
}

/// A string of a chunk's facts: a range of its [`Facts`]' text, so the many short strings of
/// a chunk's records (ids, references, stated values, quotes) cost no allocation each. A
/// chunk's text is at most a table file's (512 MiB), so a `u32` holds every place in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Str {
    at: u32,
    len: u32,
}

/// A run of one of a chunk's lists of facts: where a record's citations, stated values or
/// quotes are among its [`Facts`]', kept one after another in one list rather than in a
/// list of each record's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Run {
    start: u32,
    len: u32,
}

impl Run {
    /// The run of `list` from `start` to its end.
    fn since<T>(list: &[T], start: usize) -> Self {
        // A chunk's facts hold fewer items than its table file has bytes (at most 512 MiB).
        Self {
            start: u32::try_from(start).unwrap_or(u32::MAX),
            len: u32::try_from(list.len() - start).unwrap_or(0),
        }
    }

    /// The run's items of `list`.
    pub(crate) fn of<T>(self, list: &[T]) -> &[T] {
        let start = self.start as usize;
        list.get(start..start + self.len as usize).unwrap_or(&[])
    }
}

/// A fact with the [`Facts`] it is one of, whose text its [`Str`]s are ranges of.
pub(crate) struct In<'a, T> {
    pub(crate) facts: &'a Facts,
    pub(crate) fact: &'a T,
}

impl<T> Clone for In<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for In<'_, T> {}

impl<T> std::ops::Deref for In<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.fact
    }
}

impl<'a, T> In<'a, T> {
    /// The text of one of the fact's strings.
    pub(crate) fn s(&self, s: Str) -> &'a str {
        self.facts.str(s)
    }
}

/// What the rules need from the records of one chunk of a table file.
#[derive(Default)]
pub(crate) struct Facts {
    /// The text of every [`Str`] of these facts, one after another.
    pub(crate) text: String,
    /// Every record's citations, in runs ([`EvidenceFact::citations`]).
    pub(crate) citations: Vec<CiteFact>,
    /// Every fact record's stated values, in runs ([`ProvenanceFact::values`]).
    pub(crate) values: Vec<StatedValue>,
    /// Every fact record's quotes, in runs ([`ProvenanceFact::quotes`]).
    pub(crate) quotes: Vec<QuoteFact>,
    pub(crate) provenance: Vec<ProvenanceFact>,
    pub(crate) forms: Vec<FormsFact>,
    pub(crate) ids: Vec<IdFact>,
    pub(crate) refs: Vec<RefFact>,
    pub(crate) evidence: Vec<EvidenceFact>,
    pub(crate) sources: Vec<SourceFact>,
    pub(crate) people: Vec<PersonFact>,
    pub(crate) visits: Vec<VisitFact>,
    pub(crate) meeting_visits: Vec<MeetingVisitFact>,
}

impl Facts {
    /// The text of `s`.
    pub(crate) fn str(&self, s: Str) -> &str {
        let at = s.at as usize;
        &self.text[at..at + s.len as usize]
    }

    /// Keeps `s` in these facts' text.
    pub(crate) fn put(&mut self, s: &str) -> Str {
        let at = self.text.len();
        self.text.push_str(s);
        self.since(at)
    }

    /// `s` with its whitespace runs collapsed to one space ([`normalise`]), kept in these
    /// facts' text.
    pub(crate) fn put_normalised(&mut self, s: &str) -> Str {
        let at = self.text.len();
        push_normalised(&mut self.text, s);
        self.since(at)
    }

    /// The string of these facts' text from byte `at` to its end.
    fn since(&self, at: usize) -> Str {
        // A chunk's facts hold less text than its table file, which is at most 512 MiB.
        Str {
            at: u32::try_from(at).unwrap_or(u32::MAX),
            len: u32::try_from(self.text.len() - at).unwrap_or(0),
        }
    }

    /// Gives back the room the lists grew into beyond what they hold: a chunk's facts are
    /// kept until every rule has run, so at a million records their slack is hundreds of
    /// megabytes.
    pub(crate) fn shrink_to_fit(&mut self) {
        let Facts {
            text,
            citations,
            values,
            quotes,
            provenance,
            forms,
            ids,
            refs,
            evidence,
            sources,
            people,
            visits,
            meeting_visits,
        } = self;
        text.shrink_to_fit();
        citations.shrink_to_fit();
        values.shrink_to_fit();
        quotes.shrink_to_fit();
        provenance.shrink_to_fit();
        forms.shrink_to_fit();
        ids.shrink_to_fit();
        refs.shrink_to_fit();
        evidence.shrink_to_fit();
        sources.shrink_to_fit();
        people.shrink_to_fit();
        visits.shrink_to_fit();
        meeting_visits.shrink_to_fit();
    }

    /// The same facts for the same text found `by` bytes further into its file: every
    /// position moved (a checked chunk that an edit before it moved).
    pub(crate) fn shift(&mut self, by: isize) {
        let at = |p: &mut usize| *p = p.wrapping_add_signed(by);
        let Facts {
            text: _,
            citations,
            values,
            quotes,
            provenance,
            forms,
            ids,
            refs,
            evidence,
            sources,
            people: _,
            visits,
            meeting_visits,
        } = self;
        values.iter_mut().for_each(|v| at(&mut v.pos));
        for q in quotes {
            q.supports.iter_mut().for_each(|s| at(&mut s.1));
        }
        for c in citations {
            c.source.iter_mut().for_each(|s| at(&mut s.1));
            c.quote.iter_mut().for_each(|q| at(&mut q.1));
        }
        for f in provenance {
            f.inferred.iter_mut().for_each(|i| at(&mut i.1));
        }
        for f in forms {
            f.forms.iter_mut().filter_map(|f| f.1.as_mut()).for_each(at);
            f.name.iter_mut().for_each(|n| at(&mut n.1));
            f.parts.iter_mut().for_each(|p| at(&mut p.2));
        }
        ids.iter_mut().for_each(|f| at(&mut f.pos));
        refs.iter_mut().for_each(|f| at(&mut f.pos));
        for e in evidence {
            at(&mut e.pos);
        }
        for s in sources {
            at(&mut s.pos);
            s.path.iter_mut().for_each(|p| at(&mut p.1));
            s.sha256.iter_mut().for_each(|p| at(&mut p.1));
            s.excused.iter_mut().for_each(|x| at(&mut x.pos));
        }
        visits
            .iter_mut()
            .for_each(|v| v.guest_person.iter_mut().for_each(|g| at(&mut g.1)));
        meeting_visits.iter_mut().for_each(|m| at(&mut m.pos));
    }
}

/// Everything the rules need, from every record: the facts of each chunk of each table file,
/// in the order of the files and of the chunks in each.
#[derive(Default)]
pub(crate) struct AllFacts {
    pub(crate) pieces: Vec<crate::cache::Piece>,
}

/// Iterators over the facts of one kind from every piece.
macro_rules! every {
    ($($(#[$doc:meta])* $name:ident: $ty:ty;)*) => {
        impl AllFacts {
            $(
                $(#[$doc])*
                pub(crate) fn $name(&self) -> impl Iterator<Item = In<'_, $ty>> + Clone {
                    self.pieces.iter().flat_map(|p| {
                        let facts = &p.facts;
                        facts.$name.iter().map(move |fact| In { facts, fact })
                    })
                }
            )*
        }
    };
}

every! {
    /// Every country's, person's and organization's names.
    forms: FormsFact;
    /// Every record's id.
    ids: IdFact;
    /// Every reference.
    refs: RefFact;
    /// Every fact-bearing record's evidence.
    evidence: EvidenceFact;
    /// Every source.
    sources: SourceFact;
    /// Every person and the country they serve.
    people: PersonFact;
    /// Every visit.
    visits: VisitFact;
    /// Every meeting linked to a visit.
    meeting_visits: MeetingVisitFact;
}

impl AllFacts {
    /// How many records have an id.
    pub(crate) fn count_ids(&self) -> usize {
        self.pieces.iter().map(|p| p.facts.ids.len()).sum()
    }
}

/// A reference column of an authoring file: its name, what its values refer to, and whether
/// it is a list.
type RefColumn = (&'static str, Refers, bool);

/// The columns of an authored table (none for a derived one), from the model.
pub(crate) fn columns(table: TableName) -> &'static [Column] {
    /// The columns of a table's type.
    struct Columns;
    impl WithTable for Columns {
        type Output = &'static [Column];
        fn call<T: DatasetTable>(self) -> &'static [Column] {
            T::columns()
        }
    }
    table.with_authored(Columns).unwrap_or(&[])
}

/// The reference columns of an authored table, from the columns' metadata
/// (`Column::refers`), so a new reference column is checked with no edit here.
fn spec(table: TableName) -> impl Iterator<Item = RefColumn> {
    columns(table).iter().filter_map(|c| {
        let name: &'static str = &c.name;
        Some((name, c.refers?, c.ty == ColumnType::List))
    })
}

/// Whether records of the table must cite evidence.
pub(crate) fn is_fact_bearing(table: TableName) -> bool {
    table.kind() == diplomacy_model::TableKind::Fact
}

/// Whitespace runs collapsed to one space, so line breaks in a source do not matter.
pub(crate) fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_normalised(&mut out, s);
    out
}

/// Appends `s` to `out` with its whitespace runs collapsed to one space.
fn push_normalised(out: &mut String, s: &str) {
    let mut words = s.split_whitespace();
    if let Some(first) = words.next() {
        out.push_str(first);
    }
    for word in words {
        out.push(' ');
        out.push_str(word);
    }
}

fn string_at<'a>(item: &'a Item<'_>, key: &str, offset: usize) -> Option<(&'a str, usize)> {
    let v = item.as_table()?.get(key)?;
    Some((v.as_str()?, offset + v.span().start as usize))
}

/// Takes what the entailment rules need of a fact record (parsed at byte `offset` of file
/// `file`) that passed its schema, whose evidence [`extract`] took as `evidence`; nothing
/// for a record of another table.
pub(crate) fn extract_provenance(
    item: &Item<'_>,
    table: TableName,
    file: usize,
    offset: usize,
    evidence: Option<usize>,
    out: &mut Facts,
) {
    if let (true, Some(fields), Some(evidence)) =
        (is_fact_bearing(table), item.as_table(), evidence)
    {
        let fact = provenance(fields, table, file, offset, evidence, out);
        out.provenance.push(fact);
    }
}

/// The values a fact record states, its quotes and what it marks inferred, read from the
/// columns' metadata: dates, countries, people, organizations, participants, subjects and
/// offices (a text column named `office` or `..._office`).
fn provenance(
    fields: &toml_spanner::Table<'_>,
    table: TableName,
    file: usize,
    offset: usize,
    evidence: usize,
    out: &mut Facts,
) -> ProvenanceFact {
    let values_from = out.values.len();
    let mut present = Present::default();
    for (i, column) in columns(table).iter().enumerate() {
        let field: &'static str = &column.name;
        let Some(v) = fields.get(field) else { continue };
        if i < 128 {
            present.0 |= 1 << i;
        }
        let mut one = |x: &Item<'_>| {
            let Some(s) = x.as_str() else { return };
            let pos = offset + x.span().start as usize;
            let mut push = |kind, value: &str| {
                let value = out.put(value);
                out.values.push(StatedValue {
                    field,
                    kind,
                    value,
                    pos,
                });
            };
            match (column.refers, column.ty) {
                (_, ColumnType::PartialDate) => push(Stated::Date, s),
                (Some(Refers::Table(TableName::Countries)), _) => push(Stated::Country, s),
                (Some(Refers::Table(TableName::People)), _) => push(Stated::Person, s),
                (Some(Refers::Table(TableName::Organizations)), _) => {
                    push(Stated::Organization, s);
                }
                (Some(Refers::Participant), _) => match s.parse::<Participant>() {
                    Ok(Participant::Named(_)) => push(Stated::PersonOrOrganization, s),
                    Ok(Participant::Office { country, office }) => {
                        push(Stated::Country, country.as_str());
                        push(Stated::Office, &office);
                    }
                    _ => {}
                },
                (Some(Refers::Subject), _) => match s.parse::<Subject>() {
                    Ok(Subject::Country(c)) => push(Stated::Country, c.as_str()),
                    Ok(Subject::Organization(_)) => push(Stated::Organization, s),
                    Err(_) => {}
                },
                (None, ColumnType::Text) if field == "office" || field.ends_with("_office") => {
                    push(Stated::Office, s);
                }
                _ => {}
            }
        };
        if column.ty == ColumnType::List {
            v.as_array().into_iter().flatten().for_each(&mut one);
        } else {
            one(v);
        }
    }
    let values = Run::since(&out.values, values_from);
    let quotes_from = out.quotes.len();
    let quotes = fields
        .get("evidence")
        .and_then(Item::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(cite, e)| {
            let e = e.as_table()?;
            e.get("quote")?.as_str()?;
            let role = e
                .get("role")
                .and_then(Item::as_str)
                .and_then(|r| r.parse().ok())
                .unwrap_or(EvidenceRole::Claim);
            let supports = e
                .get("supports")
                .and_then(Item::as_array)
                .into_iter()
                .flatten()
                .filter_map(|f| {
                    Some((
                        field_name(table, f.as_str()?),
                        offset + f.span().start as usize,
                    ))
                })
                .collect();
            Some(QuoteFact {
                cite,
                role,
                supports,
            })
        });
    out.quotes.extend(quotes);
    let quotes = Run::since(&out.quotes, quotes_from);
    let inferred = fields
        .get("inferred")
        .and_then(Item::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| {
            let f = e.as_table()?.get("field")?;
            Some((
                field_name(table, f.as_str()?),
                offset + f.span().start as usize,
            ))
        })
        .collect();
    ProvenanceFact {
        file,
        evidence,
        table,
        values,
        quotes,
        inferred,
        present,
    }
}

/// Notes the reference a value makes, where it is well formed (a malformed one is the
/// schema's or the record checks' to report).
fn push_reference(
    push: &mut impl FnMut(&'static str, &str, usize, Target),
    field: &'static str,
    refers: Refers,
    s: &str,
    at: usize,
) {
    match refers {
        Refers::Table(TableName::Countries) if CountryCode::new(s).is_ok() => {
            push(field, s, at, Target::Country);
        }
        Refers::Table(t) if t != TableName::Countries && Id::new(s).is_ok() => {
            push(field, s, at, Target::Table(t));
        }
        Refers::Participant => push_participant(push, field, s, at),
        Refers::Subject => match s.parse::<Subject>() {
            Ok(Subject::Country(c)) => push(field, c.as_str(), at, Target::Country),
            Ok(Subject::Organization(id)) => push(
                field,
                id.as_str(),
                at,
                Target::Table(TableName::Organizations),
            ),
            Err(_) => {}
        },
        _ => {}
    }
}

/// Notes the reference a participant makes: to a person or an organization by id, or to a
/// country by its `COUNTRY:office` prefix.
fn push_participant(
    push: &mut impl FnMut(&'static str, &str, usize, Target),
    field: &'static str,
    s: &str,
    at: usize,
) {
    match s.parse::<Participant>() {
        Ok(Participant::Named(id)) => push(
            field,
            id.as_str(),
            at,
            Target::Either(TableName::People, TableName::Organizations),
        ),
        Ok(Participant::Office { country, .. }) => {
            push(field, country.as_str(), at, Target::Country);
        }
        _ => {}
    }
}

/// Takes the facts of one record (a table item) parsed at byte `offset` of file `file`.
/// Returns the index among `out`'s evidence of the record's [`EvidenceFact`], for a fact
/// record.
pub(crate) fn extract(
    item: &Item<'_>,
    table: TableName,
    file: usize,
    offset: usize,
    out: &mut Facts,
) -> Option<usize> {
    let fields = item.as_table()?;
    let pos = offset + item.span().start as usize;
    let id = string_at(item, "id", offset);
    // Kept once, for every fact that names the record.
    let kept = id.map(|(s, _)| out.put(s));
    if let (Some(id), Some((_, id_pos))) = (kept, id) {
        out.ids.push(IdFact {
            table,
            id,
            file,
            pos: id_pos,
        });
    }
    let mut push = |field: &'static str, value: &str, at: usize, target: Target| {
        let value = out.put(value);
        out.refs.push(RefFact {
            file,
            pos: at,
            field,
            value,
            target,
        });
    };
    for (field, refers, list) in spec(table) {
        let Some(v) = fields.get(field) else { continue };
        let mut one = |x: &Item<'_>| {
            let Some(s) = x.as_str() else { return };
            let at = offset + x.span().start as usize;
            push_reference(&mut push, field, refers, s, at);
        };
        if list {
            v.as_array().into_iter().flatten().for_each(&mut one);
        } else {
            one(v);
        }
    }
    if matches!(
        table,
        TableName::Countries | TableName::People | TableName::Organizations
    ) && let Some((id, _)) = id
    {
        let mut forms: Vec<(Box<str>, Option<usize>)> = Vec::new();
        if let Some((name, _)) = string_at(item, "name", offset) {
            forms.push((normalise(name).to_lowercase().into(), None));
        }
        for x in fields
            .get("other_names")
            .and_then(Item::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(s) = x.as_str() {
                let at = offset + x.span().start as usize;
                forms.push((normalise(s).to_lowercase().into(), Some(at)));
            }
        }
        let parts: Vec<(&'static str, Box<str>, usize)> = ["family_name", "given_name"]
            .into_iter()
            .filter(|_| table == TableName::People)
            .filter_map(|field| string_at(item, field, offset).map(|(v, at)| (field, v.into(), at)))
            .collect();
        out.forms.push(FormsFact {
            file,
            table,
            id: id.into(),
            forms: forms.into(),
            country: string_at(item, "country", offset)
                .filter(|_| table == TableName::People)
                .map(|(c, _)| c.into()),
            name: string_at(item, "name", offset)
                .filter(|_| !parts.is_empty())
                .map(|(n, at)| (n.into(), at)),
            parts: parts.into(),
        });
    }
    if is_fact_bearing(table) {
        let from = out.citations.len();
        for (index, e) in fields
            .get("evidence")
            .and_then(Item::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let cite = CiteFact {
                index,
                source: string_at(e, "source", offset).map(|(s, p)| (out.put(s), p)),
                quote: string_at(e, "quote", offset).map(|(q, p)| (out.put_normalised(q), p)),
                occurrence: e
                    .as_table()
                    .and_then(|t| t.get("occurrence"))
                    .and_then(Item::as_i64)
                    .and_then(|n| u32::try_from(n).ok()),
            };
            out.citations.push(cite);
        }
        let citations = Run::since(&out.citations, from);
        out.evidence.push(EvidenceFact {
            file,
            pos,
            table,
            id: kept,
            citations,
        });
    }
    let evidence = is_fact_bearing(table).then(|| out.evidence.len() - 1);
    match table {
        TableName::People => {
            if let (Some(id), Some((country, _))) = (kept, string_at(item, "country", offset)) {
                let fact = PersonFact {
                    id,
                    country: out.put(country),
                };
                out.people.push(fact);
            }
        }
        TableName::Visits => {
            if let Some(id) = kept {
                let fact = VisitFact {
                    id,
                    file,
                    guest_country: string_at(item, "guest_country", offset)
                        .map(|(s, _)| out.put(s)),
                    guest_person: string_at(item, "guest_person", offset)
                        .map(|(s, p)| (out.put(s), p)),
                    days: string_at(item, "date", offset).and_then(|(d, _)| day_bounds(d)),
                };
                out.visits.push(fact);
            }
        }
        TableName::Meetings => {
            if let (Some((visit, _)), Some((date, pos))) = (
                string_at(item, "visit", offset),
                string_at(item, "date", offset),
            ) && let Some(days) = day_bounds(date)
            {
                let visit = out.put(visit);
                out.meeting_visits.push(MeetingVisitFact {
                    file,
                    pos,
                    visit,
                    days,
                });
            }
        }
        _ => {}
    }
    if table == TableName::Sources {
        let segment = match string_at(item, "segment", offset) {
            None => Some(Segmentation::default()),
            Some((s, _)) => s.parse().ok(),
        };
        let excused = fields
            .get("excused")
            .and_then(Item::as_array)
            .into_iter()
            .flatten()
            .enumerate()
            .filter_map(|(index, x)| {
                let quote = x.as_table()?.get("quote")?;
                let reason = string_at(x, "reason", offset)?.0.parse().ok()?;
                Some(ExcuseFact {
                    quote: normalise(quote.as_str()?).into(),
                    pos: offset + quote.span().start as usize,
                    index,
                    reason,
                })
            })
            .collect();
        out.sources.push(SourceFact {
            file,
            id: id.map(|(s, _)| s.to_owned()),
            pos: offset + item.span().start as usize,
            path: string_at(item, "file", offset).map(|(s, p)| (s.to_owned(), p)),
            sha256: string_at(item, "sha256", offset).map(|(s, p)| (s.to_owned(), p)),
            segment,
            excused,
        });
    }
    evidence
}

#[cfg(test)]
mod tests {
    /// Every fact table's columns fit the set a record's present columns are kept in.
    #[test]
    fn every_fact_table_has_fewer_than_128_columns() {
        let mut fact_tables = 0;
        for (_, table) in diplomacy_model::AUTHORING_FILES {
            if super::is_fact_bearing(*table) {
                fact_tables += 1;
                assert!(super::columns(*table).len() <= 128, "{table}");
            }
        }
        assert!(fact_tables >= 4);
    }

    use super::RefColumn;
    use diplomacy_model::table::Refers;

    /// The reference columns come from the model's columns: every one the rules have always
    /// checked is there, with its target and whether it is a list.
    #[test]
    fn reference_columns_come_from_the_model() {
        use Refers::{Participant, Subject, Table};
        let countries = Table(TableName::Countries);
        let expected: &[(TableName, &[RefColumn])] = &[
            (TableName::People, &[("country", countries, false)]),
            (
                TableName::Visits,
                &[
                    ("guest_country", countries, false),
                    ("host_country", countries, false),
                    ("guest_person", Table(TableName::People), false),
                ],
            ),
            (
                TableName::Meetings,
                &[
                    ("location_country", countries, false),
                    ("participants", Participant, true),
                    ("occasion", Table(TableName::Organizations), false),
                    ("visit", Table(TableName::Visits), false),
                ],
            ),
            (
                TableName::Statements,
                &[
                    ("actor_country", countries, false),
                    ("speaker", Participant, false),
                    ("about", Subject, true),
                    ("dispute", Table(TableName::Disputes), false),
                    ("meeting", Table(TableName::Meetings), false),
                ],
            ),
            (
                TableName::Recognitions,
                &[
                    ("actor_country", countries, false),
                    ("subject_country", countries, false),
                ],
            ),
            (TableName::Disputes, &[("parties", countries, true)]),
            (
                TableName::DisputeEvents,
                &[
                    ("dispute", Table(TableName::Disputes), false),
                    ("actor_country", countries, false),
                    ("counterpart_country", countries, false),
                    ("meeting", Table(TableName::Meetings), false),
                ],
            ),
        ];
        for (table, columns) in expected {
            let spec: Vec<_> = super::spec(*table).collect();
            for column in *columns {
                assert!(spec.contains(column), "{table}: {column:?} not in {spec:?}");
            }
        }
        assert_eq!(super::spec(TableName::Evidence).count(), 0);
    }

    use super::*;

    #[test]
    fn dates_overlap_where_they_share_a_day() {
        let b = |s: &str| day_bounds(s).expect("a date");
        assert!(overlap(b("1998-02"), b("1998")));
        assert!(overlap(b("1998-02-28"), b("1998-02")));
        assert!(overlap(b("1998-01/1998-03"), b("1998-03-31")));
        assert!(!overlap(b("1998-03-01"), b("1998-02")));
        assert!(!overlap(b("1997"), b("1998-01-01")));
        let open = (None, day_bounds("1998").and_then(|d| d.1));
        assert!(overlap(open, b("1900")));
        assert_eq!(day_bounds("1998-02-30"), None);
    }
}
