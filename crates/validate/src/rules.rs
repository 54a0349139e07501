//! The rules no schema can say: unique ids, references, evidence, source files.

use std::collections::HashSet;

/// Ids and references are hashed by the million: a fast hasher (no untrusted-input DoS
/// concern for a local validator).
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
type IdSet<'a> = HashSet<&'a str, foldhash::fast::RandomState>;
use std::path::{Component, Path};

use diplomacy_model::TableName;

use crate::Options;
use crate::diagnostic::Code;
use crate::facts::{AllFacts, SourceFact, Target};
use crate::schema::closest;
use crate::sink::{Sink, SourceFile};
use crate::sources::SourceText;
use std::sync::Arc;

/// What the rules see: the files, the facts of every record, and the tables whose file could
/// not be read whole (references into them are not reported, to report each problem once).
pub(crate) struct Input<'a> {
    pub(crate) dir: &'a Path,
    pub(crate) files: &'a [SourceFile],
    pub(crate) facts: &'a AllFacts,
    pub(crate) incomplete: &'a HashSet<TableName>,
    pub(crate) options: &'a Options,
    /// Whether `dataset.toml` requires entailment: its rules are errors, not warnings.
    pub(crate) entailment_required: bool,
    /// Whether `dataset.toml` requires the sentence ledger: an unaccounted sentence is an
    /// error, not a warning.
    pub(crate) ledger_required: bool,
}

/// Checks every dataset-wide rule: the ids, references and consistency on one thread while
/// the sources and evidence are checked on another.
///
/// Returns, for each piece of the facts whose records entailment checked, the context they
/// were all found to state their values in (`None` where some were not).
pub(crate) fn check(
    input: &Input<'_>,
    cache: &mut crate::cache::Cache,
    sink: &mut Sink,
) -> Vec<(usize, Option<crate::cache::Key>)> {
    let (sources, keys) = cache.for_rules();
    let (evidence_sink, read, entailed) = std::thread::scope(|scope| {
        let evidence = scope.spawn(|| {
            let mut sink = Sink::default();
            let read = evidence(input, sources, &mut sink);
            (sink, read)
        });
        references(input, sink);
        let entailed = crate::entail::check(input, keys, sink);
        let (evidence_sink, read) = evidence
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (evidence_sink, read, entailed)
    });
    sink.diagnostics.extend(evidence_sink.diagnostics);
    // The ledger is checked once the records are sound: a record with an error may be the
    // one that would cite a sentence, so that each problem is reported once.
    if !sink.diagnostics.iter().any(crate::Diagnostic::is_error) {
        crate::ledger::check(input, &read, cache.keys(), sink);
    }
    entailed
}

/// Ids are unique, references lead to records, and records agree with each other.
fn references(input: &Input<'_>, sink: &mut Sink) {
    let files = input.files;
    let facts = input.facts;

    // Ids are unique across the whole dataset.
    let mut seen: HashMap<&str, (usize, usize)> =
        HashMap::with_capacity_and_hasher(facts.count_ids(), Default::default());
    let mut known: HashMap<TableName, IdSet<'_>> = HashMap::default();
    for f in facts.ids() {
        let id = f.s(f.id);
        known.entry(f.table).or_default().insert(id);
        if let Some(&(first_file, first_pos)) = seen.get(id) {
            let first = &files[first_file];
            let (line, col) = sink.position(first, first_pos);
            sink.at_pos(
                &files[f.file],
                f.pos,
                Code::DuplicateId,
                format!(
                    "duplicate id \"{id}\": already used at {}:{line}:{col}",
                    first.path.display()
                ),
                Some("ids are unique across every table of the dataset".to_owned()),
            );
        } else {
            seen.insert(id, (f.file, f.pos));
        }
    }
    let empty = IdSet::default();
    let ids_of = |t: TableName| known.get(&t).unwrap_or(&empty);
    let countries = ids_of(TableName::Countries);
    let country_names: Vec<String> = countries.iter().map(|s| (*s).to_owned()).collect();

    for r in facts.refs() {
        let file = &files[r.file];
        let value = r.s(r.value);
        match r.target {
            Target::Country => {
                if input.incomplete.contains(&TableName::Countries) || countries.contains(value) {
                    continue;
                }
                let hint = closest_code(value, &country_names)
                    .map(|c| {
                        format!("did you mean \"{c}\"? Countries must be listed in countries.toml")
                    })
                    .or_else(|| Some("add the country to countries.toml".to_owned()));
                sink.at_pos(
                    file,
                    r.pos,
                    Code::UnknownCountry,
                    format!("unknown country \"{value}\" in `{}`", r.field),
                    hint,
                );
            }
            Target::Table(t) | Target::Either(t, _) => {
                let known =
                    |t: TableName| input.incomplete.contains(&t) || ids_of(t).contains(value);
                if known(t) || matches!(r.target, Target::Either(_, u) if known(u)) {
                    continue;
                }
                let tables = match r.target {
                    Target::Either(a, b) => format!("{a}.toml or {b}.toml"),
                    _ => format!("{t}.toml"),
                };
                sink.at_pos(
                    file,
                    r.pos,
                    Code::DanglingReference,
                    format!(
                        "`{}` refers to \"{value}\", which is not in {tables}",
                        r.field
                    ),
                    None,
                );
            }
        }
    }

    consistency(input, sink);
}

/// The source files (inside the dataset, present, unchanged) and the evidence: present on
/// every fact-bearing record, each source known, each quote found in its source's text.
/// Returns the sources whose texts could be read and whose quotes were all found, for the
/// sentence ledger.
fn evidence<'a>(
    input: &Input<'a>,
    memo: &mut crate::sources::SourceMemo,
    sink: &mut Sink,
) -> Vec<crate::ledger::ReadSource<'a>> {
    let files = input.files;
    let facts = input.facts;
    // Source files: inside the dataset, present, unchanged. Their normalised texts, for the
    // quote check.
    let root = input.dir.canonicalize().ok();
    let mut texts: HashMap<&str, Arc<SourceText>> = HashMap::default();
    let mut read = Vec::new();
    for s in facts.sources().map(|s| s.fact) {
        if let (Some(id), Some(text)) = (&s.id, read_source(input, root.as_deref(), s, memo, sink))
        {
            texts.insert(id.as_str(), text.clone());
            memo.texts.insert(id, text.clone());
            read.push(crate::ledger::ReadSource { fact: s, text });
        }
    }
    crate::entail::check_name_style(input, sink);
    // Name forms are the texts' own. Where a source could not be read, a form may be in it.
    if facts.sources().all(|s| {
        s.id.as_ref()
            .is_some_and(|id| texts.contains_key(id.as_str()))
    }) && !input.incomplete.contains(&TableName::Sources)
    {
        // A session keeps each text lower-cased for the next run; a single run lets go.
        let lowered: Vec<std::borrow::Cow<'_, str>> = texts
            .values()
            .map(|t| {
                if memo.remember {
                    t.lower().into()
                } else {
                    crate::facts::normalise(&t.text).to_lowercase().into()
                }
            })
            .collect();
        let all: Vec<&str> = lowered.iter().map(|t| &**t).collect();
        crate::entail::check_forms(input, &all, sink);
    }

    // Evidence: present on every fact-bearing record, each source known, each quote found.
    let sources: IdSet<'_> = facts
        .ids()
        .filter(|f| f.table == TableName::Sources)
        .map(|f| f.s(f.id))
        .collect();
    let sources_incomplete = input.incomplete.contains(&TableName::Sources);
    // (source id) -> every (quote, file, position, index) citing it.
    let mut quotes: HashMap<&str, Vec<Cite<'_>>> = HashMap::default();
    // The first citation of a record with each source and quote: in a list, where the record
    // has few, else in a map.
    let mut few: Vec<((&str, &str), usize)> = Vec::new();
    let mut first: HashMap<(&str, &str), usize> = HashMap::default();
    for e in facts.evidence() {
        // The first citation of the record with each source and quote: a repeat names it.
        // A record's few citations are compared with each other; a map, where it has many,
        // so that a record with many quotes costs linear time.
        let citations: &'a [crate::facts::CiteFact] = e.fact.citations.of(&e.facts.citations);
        let key_of = |c: &'a crate::facts::CiteFact| Some((e.s(c.source?.0), e.s(c.quote?.0)));
        let many = citations.len() > FEW_CITATIONS;
        if many {
            first = HashMap::default();
        } else {
            few.clear();
        }
        let mut repeats = |j: usize| {
            let c = &citations[j];
            let key = key_of(c)?;
            if !many {
                let earlier = few.iter().find(|(k, _)| *k == key).map(|(_, i)| *i);
                if earlier.is_none() {
                    few.push((key, c.index));
                }
                return earlier;
            }
            match first.entry(key) {
                std::collections::hash_map::Entry::Occupied(o) => Some(*o.get()),
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(c.index);
                    None
                }
            }
        };
        let file = &files[e.file];
        if citations.is_empty() {
            let what = match e.id {
                Some(id) => format!("{} \"{}\"", TableName::noun(e.table), e.s(id)),
                None => TableName::noun(e.table).to_owned(),
            };
            sink.at_pos(
                file,
                e.pos,
                Code::MissingEvidence,
                format!("{what} has no evidence"),
                Some(format!(
                    "add a [[{}.evidence]] table with a source and a verbatim quote",
                    e.table
                )),
            );
        }
        for (j, c) in citations.iter().enumerate() {
            let Some((source, source_pos)) = c.source.map(|(s, p)| (e.s(s), p)) else {
                continue;
            };
            if !sources.contains(source) {
                if !sources_incomplete {
                    sink.at_pos(
                        file,
                        source_pos,
                        Code::DanglingReference,
                        format!(
                            "`evidence[{}].source` refers to \"{source}\", which is not in sources.toml",
                            c.index
                        ),
                        None,
                    );
                }
                continue;
            }
            let Some((quote, quote_pos)) = c.quote.map(|(q, p)| (e.s(q), p)) else {
                continue;
            };
            if quote.is_empty() {
                sink.at_pos(
                    file,
                    quote_pos,
                    Code::EmptyQuote,
                    format!("`evidence[{}].quote` is blank", c.index),
                    None,
                );
                continue;
            }
            if !crate::evidence::has_words(quote, crate::MIN_QUOTE_WORDS) {
                let words = crate::evidence::word_count(quote);
                sink.at_pos(
                    file,
                    quote_pos,
                    Code::ShortQuote,
                    format!(
                        "`evidence[{}].quote` has {words} word(s): a quote proves something only with at least {} words (a clause)",
                        c.index,
                        crate::MIN_QUOTE_WORDS
                    ),
                    Some("quote the clause of the source that states the fact".to_owned()),
                );
                continue;
            }
            if let Some(first) = repeats(j) {
                sink.at_pos(
                    file,
                    quote_pos,
                    Code::DuplicateEvidence,
                    format!(
                        "`evidence[{}]` repeats `evidence[{first}]`: the same source and quote",
                        c.index
                    ),
                    Some("remove the repeated [[…evidence]] table".to_owned()),
                );
                continue;
            }
            quotes.entry(source).or_default().push((
                quote,
                e.file,
                quote_pos,
                c.index,
                c.occurrence,
            ));
        }
    }
    let mut missing = find_quotes(&texts, &quotes);
    missing.sort_unstable();
    // A source with a quote not found may hold that quote's sentences: its ledger waits
    // until the quote is mended.
    let unsure: IdSet<'_> = missing.iter().filter(|m| m.5 == 0).map(|m| m.3).collect();
    for (file, pos, index, source, quote, count, occurrence) in missing {
        if count > 0 {
            match occurrence {
                // Found, more than once: the anchor cannot say where (a warning, so that a
                // dataset of an earlier layout stays valid).
                None => sink.at_pos(
                    &files[file],
                    pos,
                    Code::AmbiguousQuote,
                    format!("`evidence[{index}].quote` occurs {count} times in the archived text of source \"{source}\": the release cannot say which passage it is"),
                    Some(format!("say which with `occurrence = <1 to {count}>`, or quote more of the passage")),
                ),
                Some(n) => sink.at_pos(
                    &files[file],
                    pos,
                    Code::NoSuchOccurrence,
                    format!("`evidence[{index}].occurrence` is {n}, but the quote occurs {count} time(s) in the archived text of source \"{source}\""),
                    Some(format!("write a number from 1 to {count}")),
                ),
            }
            continue;
        }
        let hint = texts
            .get(source)
            .and_then(|text| crate::evidence::nearest_passage(quote, text.normalised()))
            .map_or_else(
                || "copy the quote exactly from the source; only whitespace may differ".to_owned(),
                |near| format!("{near}; copy the quote exactly, only whitespace may differ"),
            );
        sink.at_pos(
            &files[file],
            pos,
            Code::QuoteNotFound,
            format!("`evidence[{index}].quote` is not in the archived text of source \"{source}\""),
            Some(hint),
        );
    }
    read.retain(|r| r.fact.id.as_deref().is_none_or(|id| !unsure.contains(id)));
    read
}

/// Records that contradict others: a visit's guest person serving another country (E023),
/// a meeting dated outside the visit it is linked to (E032). Skipped where the table they
/// refer to could not be read whole.
fn consistency(input: &Input<'_>, sink: &mut Sink) {
    let (files, facts) = (input.files, input.facts);
    if !input.incomplete.contains(&TableName::People) {
        // A person id given twice (E020) with two countries is left out: no one country.
        let mut people: HashMap<&str, Option<&str>> = HashMap::default();
        for p in facts.people() {
            let country = p.s(p.country);
            people
                .entry(p.s(p.id))
                .and_modify(|c| {
                    if *c != Some(country) {
                        *c = None;
                    }
                })
                .or_insert(Some(country));
        }
        for v in facts.visits() {
            if let (Some((person, pos)), Some(guest)) = (v.guest_person, v.guest_country)
                && let (person, guest) = (v.s(person), v.s(guest))
                && let Some(&Some(country)) = people.get(person)
                && country != guest
            {
                sink.at_pos(
                    &files[v.file],
                    pos,
                    Code::GuestOfAnotherCountry,
                    format!(
                        "`guest_person` \"{person}\" serves {country} (people.toml), not the visit's `guest_country` {guest}"
                    ),
                    Some("record the guest's country, or the person the source names".to_owned()),
                );
            }
        }
    }
    if !input.incomplete.contains(&TableName::Visits) {
        let visits: HashMap<&str, &crate::facts::VisitFact> =
            facts.visits().map(|v| (v.s(v.id), v.fact)).collect();
        for m in facts.meeting_visits() {
            let Some(visit) = visits.get(m.s(m.visit)) else {
                continue;
            };
            let Some(days) = visit.days else { continue };
            if !crate::facts::overlap(m.days, days) {
                sink.at_pos(
                    &files[m.file],
                    m.pos,
                    Code::OutsideVisit,
                    format!(
                        "the meeting's `date` ({}) falls outside its visit \"{}\" ({})",
                        show_days(m.days),
                        m.s(m.visit),
                        show_days(days)
                    ),
                    Some("a meeting linked to a visit takes place during it: check the date or the visit".to_owned()),
                );
            }
        }
    }
}

/// `1998-02-01 to 1998-02-28`, or one day.
fn show_days((first, last): crate::facts::DayBounds) -> String {
    let show = |d: Option<chrono::NaiveDate>| d.map_or_else(|| "..".to_owned(), |d| d.to_string());
    if first == last {
        show(first)
    } else {
        format!("{} to {}", show(first), show(last))
    }
}

/// A three-letter code one letter away from `code`, if there is one.
fn closest_code<'a>(code: &str, names: &'a [String]) -> Option<&'a str> {
    closest(code, names).filter(|c| strsim::hamming(code, c).is_ok_and(|d| d <= 1))
}

/// Up to how many citations of one record are compared with each other for repeats, rather
/// than through a map.
const FEW_CITATIONS: usize = 8;

/// A quote to look for: (normalised quote, file, position, evidence index).
type Cite<'a> = (&'a str, usize, usize, usize, Option<u32>);

/// A quote that is not in its source, or not there exactly once without saying which place
/// it means: (file, position, evidence index, source, quote, how often it occurs, the
/// occurrence it names).
type Misplaced<'a> = (usize, usize, usize, &'a str, &'a str, u32, Option<u32>);

/// The quotes not found in their source's text, found more than once with no `occurrence`,
/// or naming an occurrence that is not there: one indexed pass over each source, sources
/// shared out between threads.
fn find_quotes<'a>(
    texts: &HashMap<&str, Arc<SourceText>>,
    quotes: &HashMap<&'a str, Vec<Cite<'a>>>,
) -> Vec<Misplaced<'a>> {
    let jobs: Vec<(&&str, &Vec<_>)> = quotes.iter().collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(jobs.len())
        .max(1);
    let run = |part: &[(&&'a str, &Vec<Cite<'a>>)]| {
        fail::fail_point!("validate::quote-worker");
        let mut out = Vec::new();
        for (source, cites) in part {
            // Sources that could not be read are reported once, on the source.
            let Some(text) = texts.get(**source) else {
                continue;
            };
            let patterns: Vec<&str> = cites.iter().map(|c| c.0).collect();
            let found = text.places(&patterns);
            for (&(quote, file, pos, index, occurrence), places) in cites.iter().zip(&found) {
                let count = u32::try_from(places.len()).unwrap_or(u32::MAX);
                let placed = match occurrence {
                    None => count == 1,
                    Some(n) => n >= 1 && n <= count,
                };
                if !placed {
                    out.push((file, pos, index, **source, quote, count, occurrence));
                }
            }
        }
        out
    };
    let chunk = jobs.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .chunks(chunk)
            .map(|part| scope.spawn(move || run(part)))
            .collect();
        handles
            .into_iter()
            // Re-raised: a worker that panicked must not count its quotes as found.
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}

/// Checks a source's `file` and `sha256`; returns its text where it can be read.
fn read_source(
    input: &Input<'_>,
    root: Option<&Path>,
    s: &SourceFact,
    memo: &mut crate::sources::SourceMemo,
    sink: &mut Sink,
) -> Option<Arc<SourceText>> {
    let file = &input.files[s.file];
    let (rel, span) = s.path.as_ref()?;
    let (rel, span) = (rel.as_str(), *span);
    let rel_path = Path::new(rel);
    let escapes = rel_path.is_absolute()
        || rel.starts_with('/')
        || rel.starts_with('\\')
        || rel_path
            .components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir));
    if escapes {
        sink.at_pos(
            file,
            span,
            Code::PathEscapes,
            format!("`file` {rel:?} leaves the dataset directory"),
            Some("give a path inside the dataset, e.g. \"sources/<id>.txt\"".to_owned()),
        );
        return None;
    }
    let path = input.dir.join(rel_path);
    let limit = input.options.max_file_size;
    let read = match memo.read(root, &path, limit) {
        Ok(read) => read,
        Err(e) => {
            let (code, message) = e.describe(&format!("`file` {rel:?}"), limit);
            let hint = matches!(e, crate::read::ReadError::Missing)
                .then(|| "archive the source text there, byte for byte".to_owned());
            sink.at_pos(file, span, code, message, hint);
            return None;
        }
    };
    if let Some((expected, sha_pos)) = &s.sha256 {
        let hex = &read.sha256;
        if **hex != **expected {
            sink.at_pos(
                file,
                *sha_pos,
                Code::ChecksumMismatch,
                format!("`sha256` does not match {rel}: the file's SHA-256 is {hex}"),
                Some("an archived text never changes; if the source was re-archived on purpose, update sha256".to_owned()),
            );
        }
    }
    match read.text {
        Some(t) => Some(t),
        None => {
            sink.at_pos(
                file,
                span,
                Code::NotUtf8,
                format!("`file` {rel:?} is not UTF-8 text"),
                None,
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use diplomacy_model::anchor::on_word_boundaries;

    #[test]
    fn quotes_match_whole_words_only() {
        let text = "They held three days of talks in Tokyo.";
        assert!(!on_word_boundaries(text, 0, 28)); // "...of talk" ends mid-word
        assert!(!on_word_boundaries(text, 0, 27));
        assert!(on_word_boundaries(text, 0, 29));
        assert!(on_word_boundaries(text, 5, 9));
        assert!(!on_word_boundaries(text, 6, 9));
    }

    /// A quote cannot stop inside a word that goes on with a soft hyphen, a combining mark
    /// or a zero-width joiner, nor start after one (UAX #29 keeps them in their word).
    #[test]
    fn quotes_do_not_end_before_marks_that_belong_to_their_word() {
        let text = "A joint decla\u{ad}ration on coope\u{301}ration and Azer\u{200d}baijan.";
        let ends = |quote: &str| {
            let mut hits = Vec::new();
            diplomacy_model::anchor::for_each_match(text, &[quote], |_, at| hits.push(at));
            hits
        };
        assert_eq!(ends("A joint decla"), Vec::<usize>::new());
        assert_eq!(ends("A joint decla\u{ad}ration"), vec![0]);
        assert_eq!(ends("on coope"), Vec::<usize>::new());
        assert_eq!(ends("ration and Azer"), Vec::<usize>::new());
        assert_eq!(
            ends("and Azer\u{200d}baijan."),
            vec![text.find("and").unwrap_or(0)]
        );
    }
}
