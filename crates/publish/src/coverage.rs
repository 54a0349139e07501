//! How each source's sentences are accounted for, from the release's `source_sentences`
//! table: the counts the data card, the data package and the page show.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use diplomacy_model::{ExcuseReason, SentenceStatus, SourceSentence};
use serde_json::{Value, json};

/// One source's sentence counts.
#[derive(Debug, Default)]
pub(crate) struct SourceCoverage {
    /// The source's id.
    pub(crate) source: String,
    /// How many sentences its text has.
    pub(crate) sentences: usize,
    /// How many some record cites.
    pub(crate) cited: usize,
    /// How many are excused, by reason.
    pub(crate) excused: BTreeMap<ExcuseReason, usize>,
    /// How many are neither.
    pub(crate) unaccounted: usize,
}

impl SourceCoverage {
    /// The share of its sentences cited by a record, in whole per cent (rounded down, so
    /// that 100 means every one).
    pub(crate) fn coded_percent(&self) -> usize {
        (self.cited * 100).checked_div(self.sentences).unwrap_or(0)
    }

    /// The excused sentences as `n reason, ...`, or `-`.
    pub(crate) fn excused_text(&self) -> String {
        if self.excused.is_empty() {
            return "-".to_owned();
        }
        let parts: Vec<String> = self
            .excused
            .iter()
            .map(|(r, n)| format!("{n} {}", r.as_str()))
            .collect();
        parts.join(", ")
    }
}

/// Every source's sentence counts, in the order of the `source_sentences` table.
#[derive(Debug, Default)]
pub(crate) struct Coverage {
    pub(crate) sources: Vec<SourceCoverage>,
}

impl Coverage {
    /// Counts the rows of the `source_sentences` table.
    pub(crate) fn of(rows: &[SourceSentence]) -> Self {
        let mut sources: Vec<SourceCoverage> = Vec::new();
        for row in rows {
            if sources
                .last()
                .is_none_or(|s| s.source != row.source.as_str())
            {
                sources.push(SourceCoverage {
                    source: row.source.as_str().to_owned(),
                    ..SourceCoverage::default()
                });
            }
            let Some(s) = sources.last_mut() else {
                continue;
            };
            s.sentences += 1;
            match (row.status, row.reason) {
                (SentenceStatus::Cited, _) => s.cited += 1,
                (SentenceStatus::Excused, Some(reason)) => {
                    *s.excused.entry(reason).or_default() += 1
                }
                _ => s.unaccounted += 1,
            }
        }
        Self { sources }
    }

    /// The data card's section.
    pub(crate) fn markdown(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "## Every sentence accounted for\n");
        let _ = writeln!(
            s,
            "Each source's archived text is divided into sentences (Unicode sentence boundaries, a line break ending one too), and every sentence is either cited by some record's quote or excused with a reason: `navigation` (page furniture), `heading`, `unrelated` (another article on the page), `out_of_scope`, `restates` (says again what a held sentence says) or `no_fact` (commentary with no datable fact). The table `source_sentences` lists every sentence's place in its text (byte offsets), its status, the reason and the records citing it, without the words. \"Coded\" is the share of sentences some record cites.\n"
        );
        let _ = writeln!(
            s,
            "| source | sentences | cited | excused | unaccounted | coded |"
        );
        let _ = writeln!(s, "| --- | ---: | ---: | --- | ---: | ---: |");
        for c in &self.sources {
            let _ = writeln!(
                s,
                "| `{}` | {} | {} | {} | {} | {}% |",
                c.source,
                c.sentences,
                c.cited,
                c.excused_text(),
                c.unaccounted,
                c.coded_percent()
            );
        }
        let _ = writeln!(s);
        s
    }

    /// The data package's description of it: one object per source.
    pub(crate) fn json(&self) -> Value {
        Value::Array(
            self.sources
                .iter()
                .map(|c| {
                    let excused: serde_json::Map<String, Value> = c
                        .excused
                        .iter()
                        .map(|(r, n)| (r.as_str().to_owned(), json!(n)))
                        .collect();
                    json!({
                        "source": c.source,
                        "sentences": c.sentences,
                        "cited": c.cited,
                        "excused": excused,
                        "unaccounted": c.unaccounted,
                    })
                })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(
        source: &str,
        n: u32,
        status: SentenceStatus,
        reason: Option<ExcuseReason>,
    ) -> SourceSentence {
        SourceSentence {
            id: format!("{source}/{n}"),
            source: source.parse().unwrap_or_else(|_| unreachable!()),
            sentence: n,
            start: n * 10,
            end: n * 10 + 5,
            status,
            reason,
            records: Vec::new(),
        }
    }

    #[test]
    fn counts_each_source_by_status_and_reason() {
        use SentenceStatus::*;
        let rows = [
            row("a", 1, Cited, None),
            row("a", 2, Excused, Some(ExcuseReason::Heading)),
            row("a", 3, Excused, Some(ExcuseReason::Heading)),
            row("b", 1, Unaccounted, None),
            row("b", 2, Cited, None),
            row("b", 3, Cited, None),
        ];
        let c = Coverage::of(&rows);
        assert_eq!(c.sources.len(), 2);
        assert_eq!((c.sources[0].sentences, c.sources[0].cited), (3, 1));
        assert_eq!(c.sources[0].excused_text(), "2 heading");
        assert_eq!(c.sources[0].coded_percent(), 33);
        assert_eq!(
            (c.sources[1].unaccounted, c.sources[1].coded_percent()),
            (1, 66)
        );
        let md = c.markdown();
        assert!(md.contains("| `a` | 3 | 1 | 2 heading | 0 | 33% |"), "{md}");
        assert_eq!(c.json()[1]["unaccounted"], 1);
        assert_eq!(c.json()[0]["excused"]["heading"], 2);
    }
}
