//! The sentence ledger's rules: every sentence of every archived source is cited by some
//! record or excused by its source with a reason (E095), and every excuse's quote is in its
//! source (E096).
//!
//! A dataset whose `dataset.toml` requires `ledger` gets an error per unaccounted sentence,
//! at its line and column in the archived text; any other gets one warning per source that
//! has unaccounted sentences, so a dataset of an earlier layout stays valid.

use diplomacy_model::ledger::{Ledger, Quote};
use diplomacy_model::{Segmentation, SentenceStatus, TableName};

use crate::diagnostic::{Code, LineIndex};
use crate::facts::SourceFact;
use crate::rules::Input;
use crate::sink::Sink;

/// The longest stretch of a sentence a message shows, in characters.
const SHOWN: usize = 72;

/// A source whose text could be read: its fact, and its text as archived.
pub(crate) struct ReadSource<'a> {
    pub(crate) fact: &'a SourceFact,
    pub(crate) text: std::sync::Arc<crate::sources::SourceText>,
}

/// The ledger of one source: its sentences, each with the records that cite it (by their
/// index in [`AllFacts::evidence`](crate::facts::AllFacts::evidence)) or the reason it is excused, from `quotes`, the quotes
/// records make of it.
/// Returns the ledger and, for each excuse, how many places its quote occurs.
pub(crate) fn ledger_of(source: &ReadSource<'_>, quotes: &[Quote<'_>]) -> (Ledger, Vec<usize>) {
    let how = source.fact.segment.unwrap_or_default();
    let excused = &source.fact.excused;
    // Not divided, there is nothing to account for; its excuses are still looked for.
    let quotes = if how == Segmentation::NotSegmented {
        &[][..]
    } else {
        quotes
    };
    // Each quote and excuse looked for once in the text (and found as the quote check
    // found it).
    let patterns: Vec<&str> = quotes
        .iter()
        .map(|q| q.text)
        .chain(excused.iter().map(|x| &*x.quote))
        .collect();
    let found = source.text.places(&patterns);
    let ledger = Ledger::from_places(
        source.text.sentences(how).to_vec(),
        quotes,
        &found,
        excused.iter().map(|x| x.reason),
    );
    let counts = found[quotes.len()..].iter().map(|p| p.len()).collect();
    (ledger, counts)
}

/// Checks the ledger of every source that could be read.
///
/// In a session (`keys`), a source whose ledger was found complete with the same quotes and
/// excuses is not checked again.
pub(crate) fn check(
    input: &Input<'_>,
    sources: &[ReadSource<'_>],
    keys: Option<&crate::cache::Keys>,
    sink: &mut Sink,
) {
    if input
        .incomplete
        .iter()
        .any(|t| t.kind() == diplomacy_model::TableKind::Fact)
        || input.incomplete.contains(&TableName::Sources)
    {
        // A table that could not be read whole may hold the quotes of any sentence.
        return;
    }
    // Every quote, by the source it quotes.
    let mut by_source: std::collections::HashMap<&str, Vec<Quote<'_>>> =
        std::collections::HashMap::new();
    for (k, e) in input.facts.evidence().enumerate() {
        for c in e.fact.citations.of(&e.facts.citations) {
            if let (Some((s, _)), Some((q, _))) = (c.source, c.quote)
                && let q = e.s(q)
                && !q.is_empty()
            {
                by_source.entry(e.s(s)).or_default().push(Quote {
                    text: q,
                    occurrence: c.occurrence,
                    record: u32::try_from(k).unwrap_or(u32::MAX),
                });
            }
        }
    }
    // Sources are independent: shared out between threads, each with its own sink.
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(sources.len())
        .max(1);
    let chunk = sources.len().div_ceil(threads).max(1);
    let by_source = &by_source;
    let sinks: Vec<Sink> = std::thread::scope(|scope| {
        let handles: Vec<_> = sources
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    let mut sink = Sink::default();
                    for source in part {
                        let quotes = source
                            .fact
                            .id
                            .as_deref()
                            .and_then(|id| by_source.get(id))
                            .map_or(&[][..], Vec::as_slice);
                        let key = keys.map(|k| {
                            k.key((
                                source.fact.segment,
                                input.ledger_required,
                                quotes
                                    .iter()
                                    .map(|q| (q.text, q.occurrence))
                                    .collect::<Vec<_>>(),
                                source
                                    .fact
                                    .excused
                                    .iter()
                                    .map(|x| (&*x.quote, x.reason))
                                    .collect::<Vec<_>>(),
                            ))
                        });
                        let clean = || {
                            source
                                .text
                                .ledger_clean
                                .lock()
                                .unwrap_or_else(std::sync::PoisonError::into_inner)
                        };
                        if key.is_some() && *clean() == key {
                            continue;
                        }
                        let before = sink.diagnostics.len();
                        check_source(input, source, quotes, &mut sink);
                        *clean() = key.filter(|_| sink.diagnostics.len() == before);
                    }
                    sink
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    for s in sinks {
        sink.diagnostics.extend(s.diagnostics);
    }
}

/// Checks one source's ledger: its excuses found, its sentences accounted for.
fn check_source(input: &Input<'_>, source: &ReadSource<'_>, quotes: &[Quote<'_>], sink: &mut Sink) {
    {
        let (ledger, counts) = ledger_of(source, quotes);
        let fact = source.fact;
        let file = &input.files[fact.file];
        let id = fact.id.as_deref().unwrap_or_default();
        let lost = counts.contains(&0);
        for (x, count) in fact.excused.iter().zip(counts) {
            if count == 0 {
                let hint = crate::evidence::nearest_passage(&x.quote, source.text.normalised())
                    .map_or_else(
                        || {
                            "copy the words exactly from the source; only whitespace may differ"
                                .to_owned()
                        },
                        |near| {
                            format!("{near}; copy the words exactly, only whitespace may differ")
                        },
                    );
                sink.at_pos(
                    file,
                    x.pos,
                    Code::ExcuseNotFound,
                    format!(
                        "`excused[{}].quote` is not in the archived text of source \"{id}\": the sentence it excused is gone or the quote is wrong",
                        x.index
                    ),
                    Some(hint),
                );
            }
        }
        let left: Vec<_> = ledger
            .entries()
            .iter()
            .enumerate()
            .filter(|(_, e)| e.status() == SentenceStatus::Unaccounted)
            .collect();
        // A sentence whose excuse is not found is reported once, on the excuse.
        let Some(&(first, _)) = left.first().filter(|_| !lost) else {
            return;
        };
        let Some((rel, _)) = &fact.path else { return };
        let path = input.dir.join(rel);
        let text = &source.text.text;
        let lines = LineIndex::new(text);
        let total = ledger.entries().len();
        if input.ledger_required {
            for (n, e) in &left {
                let s = &text[e.sentence.start..e.sentence.end];
                sink.at_line(
                    &path,
                    lines.position(text, e.sentence.start),
                    Code::SentenceNotAccounted,
                    format!(
                        "sentence {} of {total} of source \"{id}\" is neither cited by a record nor excused: \"{}\"",
                        n + 1,
                        shown(s)
                    ),
                    Some(format!(
                        "quote it in a record's evidence, or excuse it under the source in sources.toml: [[sources.excused]] quote = \"{}\", reason = \"<{}>\"",
                        opening(s),
                        reasons()
                    )),
                );
            }
        } else {
            let (line, _) = lines.position(text, ledger.entries()[first].sentence.start);
            sink.at_pos_as(
                crate::Severity::Warning,
                file,
                fact.pos,
                Code::SentenceNotAccounted,
                format!(
                    "{} of the {total} sentences of source \"{id}\" are neither cited by a record nor excused (the first at {}:{line})",
                    left.len(),
                    rel
                ),
                Some("`diplomacy ledger` lists them; cite each from a record's evidence or excuse it with [[sources.excused]]".to_owned()),
            );
        }
    }
}

/// The vocabulary of excuse reasons, `|`-joined.
fn reasons() -> String {
    use diplomacy_model::Vocabulary as _;
    diplomacy_model::ExcuseReason::NAMES.join("|")
}

/// A sentence for a message: its whitespace runs made one space, cut at [`SHOWN`]
/// characters.
fn shown(s: &str) -> String {
    let s = crate::facts::normalise(s);
    match s.char_indices().nth(SHOWN) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s,
    }
}

/// The first words of a sentence, enough to excuse it: up to eight words, on one line, with
/// quotes and backslashes escaped for a TOML basic string.
fn opening(s: &str) -> String {
    let words: Vec<&str> = s.split_whitespace().take(8).collect();
    words.join(" ").replace('\\', "\\\\").replace('"', "\\\"")
}
