//! `ledger DIR`: every source's sentences, and how each is accounted for.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use diplomacy_model::SentenceStatus;
use diplomacy_validate::{SourceLedger, escape_controls};

use crate::{print, shown};

/// Prints the sentence ledger of every source of the dataset in `dir` (or of the one source
/// `source`) to stdout: a line per source with its counts, then the sentences left to cite
/// or excuse as `path:line:col`, or with `all`, every sentence with its records or reason.
/// Exit 1 where a sentence is left or the dataset cannot be read.
pub fn run(dir: &Path, source: Option<&str>, all: bool) -> anyhow::Result<ExitCode> {
    let ledgers = match diplomacy_validate::ledgers(dir) {
        Ok(l) => l,
        Err(report) => {
            print(&report);
            eprintln!(
                "{}: the dataset has errors other than unaccounted sentences; mend them first",
                shown(dir)
            );
            return Ok(ExitCode::FAILURE);
        }
    };
    if let Some(id) = source
        && !ledgers.iter().any(|l| l.source.id.as_str() == id)
    {
        anyhow::bail!(
            "no source \"{}\" with a divided text in {}",
            escape_controls(id),
            shown(dir)
        );
    }
    let mut left = 0;
    let mut out = String::new();
    for l in ledgers
        .iter()
        .filter(|l| source.is_none_or(|id| l.source.id.as_str() == id))
    {
        left += render(dir, l, all, &mut out);
    }
    print!("{out}");
    Ok(if left > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Writes one source's ledger; returns how many of its sentences are unaccounted.
fn render(dir: &Path, l: &SourceLedger, all: bool, out: &mut String) -> usize {
    let counts = l.ledger.counts();
    let entries = l.ledger.entries();
    let _ = writeln!(
        out,
        "{}: {} sentence(s): {} cited, {} excused, {} unaccounted",
        l.source.id,
        entries.len(),
        counts.cited,
        counts.excused,
        counts.unaccounted
    );
    let path = shown(&dir.join(&l.source.file));
    let mut line = 1;
    let mut line_start = 0;
    let mut scanned = 0;
    for (n, e) in entries.iter().enumerate() {
        let status = e.status();
        if !all && status != SentenceStatus::Unaccounted {
            continue;
        }
        // Lines and columns from 1, columns in characters.
        let at = e.sentence.start;
        for (i, b) in l.text.as_bytes()[scanned..at].iter().enumerate() {
            if *b == b'\n' {
                line += 1;
                line_start = scanned + i + 1;
            }
        }
        scanned = at;
        let column = l.text[line_start..at].chars().count() + 1;
        let how = match status {
            SentenceStatus::Cited => {
                let mut ids: Vec<&str> = e
                    .records
                    .iter()
                    .map(|&r| l.records[r as usize].as_str())
                    .collect();
                ids.dedup();
                format!("cited by {}", ids.join(", "))
            }
            SentenceStatus::Excused => {
                format!("excused: {}", e.reason.map_or("", |r| r.as_str()))
            }
            _ => "unaccounted".to_owned(),
        };
        let words: Vec<&str> = l.text[e.sentence.start..e.sentence.end]
            .split_whitespace()
            .collect();
        let _ = writeln!(
            out,
            "{path}:{line}:{column}: sentence {}: {how}\n    {}",
            n + 1,
            escape_controls(&words.join(" "))
        );
    }
    counts.unaccounted
}
