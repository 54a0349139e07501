//! Field-level provenance: every value a fact record states (a date, a country, a person, an
//! organization, an office) is stated by one of the record's own quotes, or the record marks
//! it inferred.
//!
//! What "stated" means, for a quote whose role lets it support the field (a `claim`, or a
//! `dateline` for a date) and whose `supports` list, if any, names the field:
//!
//! - a country: one of its name forms (`name`, `other_names`) begins a word of the quote, or a
//!   person of that country is named there;
//! - a person or an organization: one of its name forms begins a word of the quote;
//! - an office: its words are in the quote;
//! - a date: every date its EDTF form writes (`1998-02-26`, each end of an interval) is
//!   there: the year as a number (a decade `199X` as `199`), the month by its English name
//!   (or the first three letters of it), the day as a number.
//!
//! Matching ignores case and runs of whitespace. The rules are errors where `dataset.toml`
//! requires `entailment`, and warnings otherwise (a dataset of an earlier layout stays valid).
//! Whatever a dataset requires, an `inferred` entry or a `supports` list that names a field
//! the record lacks is an error (E091, E092), and so is a name form found in no source (E093,
//! checked beside the quotes, where the texts are read).

use std::collections::HashMap;

use diplomacy_model::{EvidenceRole, TableName};

use crate::Severity;
use crate::diagnostic::Code;
use crate::facts::{Facts, FormsFact, In, ProvenanceFact, Stated, columns};
use crate::rules::Input;
use crate::sink::Sink;

/// The English month names, for dates known to the month.
const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Whether `needle` begins a word of `hay` (both lower-cased): it is there, and what comes
/// before it is not a letter or digit.
pub(crate) fn begins_word(hay: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    hay.match_indices(needle).any(|(at, _)| {
        hay[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric())
    })
}

/// Whether the number `n` stands alone in `hay`: no digit right before or after it.
fn number_in(hay: &str, n: &str) -> bool {
    hay.match_indices(n).any(|(at, _)| {
        let before = hay[..at].chars().next_back();
        let after = hay[at + n.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_digit()) && !after.is_some_and(|c| c.is_ascii_digit())
    })
}

/// The dates an EDTF string writes: (year, month, day), each as written (`199X`, `02`).
fn written_dates(edtf: &str) -> Vec<(&str, Option<&str>, Option<&str>)> {
    let b = edtf.as_bytes();
    let is_digit = |i: usize| b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'X');
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let starts = (i == 0 || !is_digit(i - 1)) && (i..i + 4).all(is_digit) && !is_digit(i + 4);
        if !starts {
            i += 1;
            continue;
        }
        let year = &edtf[i..i + 4];
        let two = |at: usize| {
            (b.get(at) == Some(&b'-') && is_digit(at + 1) && is_digit(at + 2) && !is_digit(at + 3))
                .then(|| &edtf[at + 1..at + 3])
        };
        let month = two(i + 4);
        let day = month.and_then(|_| two(i + 7));
        out.push((year, month, day));
        i += 4 + month.map_or(0, |_| 3) + day.map_or(0, |_| 3);
    }
    out
}

/// Whether a quote states the date written `edtf`.
fn states_date(quote: &str, edtf: &str) -> bool {
    let dates = written_dates(edtf);
    !dates.is_empty()
        && dates.iter().all(|(year, month, day)| {
            // A numeric date as a dateline writes it: `2019.05.10`, `2019-05-10`, `2019/05/10`.
            if let (Some(m), Some(d)) = (month, day)
                && !year.contains('X')
                && [".", "-", "/"]
                    .iter()
                    .any(|sep| number_in(quote, &format!("{year}{sep}{m}{sep}{d}")))
            {
                return true;
            }
            let year_ok = match year.find('X') {
                None => number_in(quote, year),
                Some(at) => begins_word(quote, &year[..at]),
            };
            let month_ok = match month.and_then(|m| m.parse::<usize>().ok()) {
                Some(m) if (1..=12).contains(&m) => {
                    let name = MONTHS[m - 1];
                    begins_word(quote, name) || begins_word(quote, &name[..3])
                }
                // `XX`: the month is not given.
                _ => true,
            };
            let day_ok = match day.and_then(|d| d.parse::<u32>().ok()) {
                Some(d) => number_in(quote, &d.to_string()),
                None => true,
            };
            year_ok && month_ok && day_ok
        })
}

/// The name forms of every country, person and organization, and people's countries.
struct Names<'a> {
    forms: HashMap<(TableName, &'a str), &'a FormsFact>,
    /// The people of each country.
    people_of: HashMap<&'a str, Vec<&'a FormsFact>>,
}

impl<'a> Names<'a> {
    fn new(facts: impl Iterator<Item = In<'a, FormsFact>>) -> Self {
        let mut forms = HashMap::new();
        let mut people_of: HashMap<&str, Vec<&FormsFact>> = HashMap::new();
        for f in facts.map(|f| f.fact) {
            forms.insert((f.table, &*f.id), f);
            if let Some(c) = &f.country {
                people_of.entry(&**c).or_default().push(f);
            }
        }
        Self { forms, people_of }
    }

    /// Whether `quote` names the record `id` of `table` by one of its forms.
    fn named(&self, quote: &str, table: TableName, id: &str) -> bool {
        self.forms
            .get(&(table, id))
            .is_some_and(|f| f.forms.iter().any(|(form, _)| begins_word(quote, form)))
    }

    /// Whether the record a value names is known: a dangling reference is reported as such,
    /// not again as a value no quote states.
    fn known(&self, kind: Stated, value: &str) -> bool {
        let has = |t: TableName| self.forms.contains_key(&(t, value));
        match kind {
            Stated::Country => has(TableName::Countries),
            Stated::Person => has(TableName::People),
            Stated::Organization => has(TableName::Organizations),
            Stated::PersonOrOrganization => has(TableName::People) || has(TableName::Organizations),
            Stated::Office | Stated::Date => true,
        }
    }

    /// Whether `quote` states `value`, a value of the kind `kind`.
    fn states(&self, quote: &str, kind: Stated, value: &str) -> bool {
        match kind {
            Stated::Date => states_date(quote, value),
            Stated::Office => quote.contains(&crate::facts::normalise(value).to_lowercase()),
            Stated::Person => self.named(quote, TableName::People, value),
            Stated::Organization => self.named(quote, TableName::Organizations, value),
            Stated::PersonOrOrganization => {
                self.named(quote, TableName::People, value)
                    || self.named(quote, TableName::Organizations, value)
            }
            Stated::Country => {
                self.named(quote, TableName::Countries, value)
                    || self.people_of.get(value).is_some_and(|people| {
                        people
                            .iter()
                            .any(|p| p.forms.iter().any(|(form, _)| begins_word(quote, form)))
                    })
            }
        }
    }
}

/// What every record is checked against, positions aside.
#[derive(Clone, Copy)]
struct Context<'a>(&'a Input<'a>);

impl std::hash::Hash for Context<'_> {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        let input = self.0;
        input.entailment_required.hash(h);
        let mut incomplete: Vec<&str> = input.incomplete.iter().map(|t| t.as_str()).collect();
        incomplete.sort_unstable();
        incomplete.hash(h);
        input.facts.forms().count().hash(h);
        for f in input.facts.forms() {
            (f.table, &f.id, &f.country, f.forms.len()).hash(h);
            f.forms.iter().for_each(|(form, _)| form.hash(h));
        }
    }
}

/// Checks every fact record's stated values, its `inferred` entries and its quotes'
/// `supports` lists. In a session (`keys`), a remembered chunk's records that were all found
/// to state their values against the same names (the same context) are not checked again.
///
/// Returns, for each piece of the facts whose records were checked, the context they were
/// all found to state their values in (`None` where some were not); nothing outside a
/// session.
pub(crate) fn check(
    input: &Input<'_>,
    keys: Option<&crate::cache::Keys>,
    sink: &mut Sink,
) -> Vec<(usize, Option<crate::cache::Key>)> {
    let names = Names::new(input.facts.forms());
    let severity = if input.entailment_required {
        Severity::Error
    } else {
        Severity::Warning
    };
    let context = keys.map(|keys| keys.key(Context(input)));
    let mut checked = Vec::new();
    for (i, piece) in input.facts.pieces.iter().enumerate() {
        if context.is_some() && piece.entailed == context {
            continue;
        }
        let before = sink.diagnostics.len();
        for record in &piece.facts.provenance {
            check_record(input, &names, severity, record, &piece.facts, sink);
        }
        if let Some(context) = context {
            checked.push((i, (sink.diagnostics.len() == before).then_some(context)));
        }
    }
    checked
}

/// Checks one fact record, one of `facts` (its piece's), where its evidence is too.
fn check_record(
    input: &Input<'_>,
    names: &Names<'_>,
    severity: Severity,
    record: &ProvenanceFact,
    facts: &Facts,
    sink: &mut Sink,
) {
    let file = &input.files[record.file];
    let is_column = |field: &str| columns(record.table).iter().any(|c| c.name == field);
    check_inferred(record, file, &is_column, sink);
    let quotes = record.quotes.of(&facts.quotes);
    for q in quotes {
        for (field, pos) in &q.supports {
            if !is_column(field) {
                sink.at_pos(
                    file,
                    *pos,
                    Code::BadSupports,
                    format!(
                        "`supports` names `{field}`, which {} records do not have",
                        record.table
                    ),
                    Some(format!("name columns of {}", record.table)),
                );
            }
        }
    }
    // Each quote's words, lower-cased, as the names are: made once per record checked.
    let citations = facts
        .evidence
        .get(record.evidence)
        .map_or(&[][..], |e| e.citations.of(&facts.citations));
    let texts: Vec<String> = quotes
        .iter()
        .map(|q| {
            citations
                .get(q.cite)
                .and_then(|c| c.quote.as_ref())
                .map_or_else(String::new, |(quote, _)| facts.str(*quote).to_lowercase())
        })
        .collect();
    for v in record.values.of(&facts.values) {
        let value = facts.str(v.value);
        if record.inferred.iter().any(|(f, _)| &**f == v.field) {
            continue;
        }
        // A name cannot be looked up in a table that could not be read whole: that
        // table's own problem is reported instead.
        let needs = match v.kind {
            Stated::Country => &[TableName::Countries, TableName::People][..],
            Stated::Person => &[TableName::People],
            Stated::Organization => &[TableName::Organizations],
            Stated::PersonOrOrganization => &[TableName::People, TableName::Organizations],
            Stated::Office | Stated::Date => &[],
        };
        if needs.iter().any(|t| input.incomplete.contains(t)) || !names.known(v.kind, value) {
            continue;
        }
        // A date that is no date is reported as such (E030, E031).
        if v.kind == Stated::Date && value.parse::<diplomacy_model::PartialDate>().is_err() {
            continue;
        }
        let stated = quotes.iter().zip(&texts).any(|(q, text)| {
            let role_ok = match q.role {
                EvidenceRole::Claim => true,
                EvidenceRole::Dateline => v.kind == Stated::Date,
                _ => false,
            };
            let field_ok = q.supports.is_empty() || q.supports.iter().any(|(f, _)| &**f == v.field);
            role_ok && field_ok && names.states(text, v.kind, value)
        });
        if !stated {
            let (what, hint) = match v.kind {
                Stated::Date => (
                    "date",
                    "quote the words that give it (a `dateline` quote may date relative wording such as \"on Friday\"), write the date only as precisely as the quotes give it, or mark it inferred",
                ),
                Stated::Office => (
                    "office",
                    "quote the words that name the office, or mark it inferred",
                ),
                _ => (
                    "value",
                    "quote words that name it (a form listed in its record's `name` or `other_names`), or mark it inferred",
                ),
            };
            sink.at_pos_as(
                severity,
                file,
                v.pos,
                Code::NotEntailed,
                format!(
                    "`{}` {what} \"{value}\" is stated by none of the record's quotes",
                    v.field
                ),
                Some(format!(
                    "{hint}:\n    [[{}.inferred]]\n    field = \"{}\"\n    basis = \"geography | calendar | identity | attribution | count | other\"\n    reason = \"...\"",
                    record.table, v.field
                )),
            );
        }
    }
}

/// An `inferred` entry names a field the record has and fills, once.
fn check_inferred(
    record: &ProvenanceFact,
    file: &crate::sink::SourceFile,
    is_column: &dyn Fn(&str) -> bool,
    sink: &mut Sink,
) {
    for (i, (field, pos)) in record.inferred.iter().enumerate() {
        let problem = if !is_column(field) {
            Some(format!(
                "`inferred` names `{field}`, which {} records do not have",
                record.table
            ))
        } else if !record.present.has(record.table, field) {
            Some(format!(
                "`inferred` names `{field}`, which the record leaves empty: only a value can be inferred"
            ))
        } else if record.inferred[..i].iter().any(|(f, _)| f == field) {
            Some(format!("`inferred` names `{field}` twice"))
        } else {
            None
        };
        if let Some(message) = problem {
            sink.at_pos(file, *pos, Code::BadInference, message, None);
        }
    }
}

/// Every name form (`other_names` of countries, people and organizations) occurs in some
/// source text: the name forms are the texts' own. `texts` are the sources' texts with
/// whitespace runs collapsed, lower-cased.
pub(crate) fn check_forms(input: &Input<'_>, lower: &[&str], sink: &mut Sink) {
    let forms: Vec<(&FormsFact, &str, usize)> = input
        .facts
        .forms()
        .flat_map(|f| {
            let f = f.fact;
            f.forms
                .iter()
                .filter_map(move |(form, pos)| Some((f, &**form, (*pos)?)))
        })
        .collect();
    let parts: Vec<(&FormsFact, &str, &str, usize)> = input
        .facts
        .forms()
        .flat_map(|f| {
            let f = f.fact;
            f.parts
                .iter()
                .map(move |(field, v, at)| (f, *field, &**v, *at))
        })
        .collect();
    if (forms.is_empty() && parts.is_empty()) || lower.is_empty() {
        return;
    }
    for (f, field, part, pos) in parts {
        let lowered = crate::facts::normalise(part).to_lowercase();
        if !lower.iter().any(|t| begins_word(t, &lowered)) {
            sink.at_pos(
                &input.files[f.file],
                pos,
                Code::NameFormNotInSources,
                format!(
                    "the {} \"{part}\" of {} \"{}\" occurs in no source text",
                    field.replace('_', " "),
                    f.table.noun(),
                    f.id
                ),
                Some("give only the names the archived texts use".to_owned()),
            );
        }
    }
    for (f, form, pos) in forms {
        if !lower.iter().any(|t| begins_word(t, form)) {
            sink.at_pos(
                &input.files[f.file],
                pos,
                Code::NameFormNotInSources,
                format!(
                    "the name form \"{form}\" of {} \"{}\" occurs in no source text",
                    f.table.noun(),
                    f.id
                ),
                Some("list only the forms the archived texts use".to_owned()),
            );
        }
    }
}

/// A person's `name` is in the dataset's one style: where it gives both `given_name` and
/// `family_name`, the two joined by a space; where it gives one of them, that name alone.
pub(crate) fn check_name_style(input: &Input<'_>, sink: &mut Sink) {
    for f in input.facts.forms() {
        let Some((name, pos)) = &f.name else { continue };
        let part = |field: &str| {
            f.parts
                .iter()
                .find(|(n, _, _)| *n == field)
                .map(|(_, v, _)| &**v)
        };
        let style = match (part("given_name"), part("family_name")) {
            (Some(given), Some(family)) => format!("{given} {family}"),
            (Some(one), None) | (None, Some(one)) => one.to_owned(),
            (None, None) => continue,
        };
        if **name != style {
            sink.at_pos(
                &input.files[f.file],
                *pos,
                Code::NameStyle,
                format!(
                    "the name \"{name}\" of {} \"{}\" is not in the dataset's style: given name, then family name",
                    f.table.noun(),
                    f.id
                ),
                Some(format!(
                    "name = \"{style}\" (a form the texts write otherwise, such as a surname first, goes in `other_names`)"
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_stated_by_their_year_month_and_day() {
        let q = "in february 1998 the minister visited; on 26 february he left.";
        assert!(states_date(q, "1998"));
        assert!(states_date(q, "1998-02"));
        assert!(states_date(q, "1998-02-26"));
        assert!(!states_date(q, "1998-03"));
        assert!(!states_date(q, "1999"));
        assert!(!states_date(q, "1998-02-27"));
        assert!(states_date("in feb. 1998", "1998-02"));
        // A year inside a longer number is no year.
        assert!(!states_date("ref 119985", "1998"));
        // Every end of an interval, and an open end needs nothing.
        assert!(states_date("from 1997 to 2001", "1997/2001"));
        assert!(!states_date("from 1997 on", "1997/2001"));
        assert!(states_date("in july 1997", "[1997-07..]"));
        assert!(states_date("in the 1990s", "199X"));
        assert!(states_date("in 1998", "1998-XX"));
        assert!(states_date("in 1998?", "1998?"));
        assert!(states_date("baku, 2019.05.10. on friday", "2019-05-10"));
        assert!(!states_date("baku, 2019.05.11", "2019-05-10"));
    }

    #[test]
    fn names_begin_a_word() {
        assert!(begins_word("the japanese minister", "japan"));
        assert!(!begins_word("romania", "oman"));
        assert!(begins_word("oman and japan", "oman"));
        assert!(!begins_word("anything", ""));
    }
}
