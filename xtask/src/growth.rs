//! `cargo xtask bench`'s growth figures: how `diplomacy validate` scales along each input
//! dimension where it once took quadratic time. Each dataset is a copy of
//! `tests/fixtures/base` with one dimension grown to n and to 10n; tenfold input should cost
//! about tenfold time, and a ratio t(10n)/t(n) of at most [`LINEAR_MAX`] counts as about
//! linear (a quadratic cost gives about 100).

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, bail};

use crate::bench::{measure_wall, sync};
use crate::workspace_root;

/// Each size is validated this many times and the fastest kept.
const RUNS: usize = 3;

/// The largest t(10n)/t(n) that counts as about linear: tenfold input, at most twenty times
/// the time (quadratic would be about a hundred).
const LINEAR_MAX: f64 = 20.0;

/// The dataset every growth dataset starts as a copy of.
const FIXTURE: &str = "tests/fixtures/base";

/// The words every sentence of the benchmark's source text begins with (217 bytes): quotes
/// that share a long prefix, so that a search comparing each quote at each place another
/// could start costs quotes times sentences times prefix.
const PREFIX: &str = "In February 1998 the Foreign Minister of Japan visited Kazakhstan for talks, as this invented chronicle records again and again in the same words and at the same length for the growth benchmark of the validator, round";

/// The id of the source the growth datasets add.
const SOURCE_ID: &str = "growth-chronicle";

/// One input dimension along which the validator once took quadratic time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dimension {
    /// One visit with K unknown keys (`x1 = 1` ... `xK = 1`), each reported as E011.
    UnknownKeys,
    /// `redirects.toml` with a chain `old-1 -> old-2 -> ... -> old-K -> <a visit>`.
    RedirectChain,
    /// K visits, each quoting in full one of K sentences that share a long prefix.
    SharedPrefixQuotes,
    /// One visit with K `[[visits.evidence]]`, each quoting another such sentence.
    EvidenceEntries,
}

impl Dimension {
    const ALL: [Dimension; 4] = [
        Dimension::UnknownKeys,
        Dimension::RedirectChain,
        Dimension::SharedPrefixQuotes,
        Dimension::EvidenceEntries,
    ];

    /// A short name, for directory names and progress lines.
    fn slug(self) -> &'static str {
        match self {
            Dimension::UnknownKeys => "unknown-keys",
            Dimension::RedirectChain => "redirect-chain",
            Dimension::SharedPrefixQuotes => "shared-prefix-quotes",
            Dimension::EvidenceEntries => "evidence-entries",
        }
    }

    /// What grows, for the table (K is the size).
    fn label(self) -> &'static str {
        match self {
            Dimension::UnknownKeys => {
                "unknown keys in one record: one visit with K keys `x1 = 1` ... `xK = 1` (K errors E011)"
            }
            Dimension::RedirectChain => {
                "a chain of redirects: `old-1 -> old-2 -> ... -> old-K -> <a visit's id>` in `redirects.toml`"
            }
            Dimension::SharedPrefixQuotes => {
                "quotes sharing a long prefix: K visits, each quoting in full one of K sentences of one source that share their first 217 bytes"
            }
            Dimension::EvidenceEntries => {
                "evidence entries on one record: one visit with K `[[visits.evidence]]`, each quoting another such sentence"
            }
        }
    }

    /// n: chosen by measuring, so that validating the 10n dataset takes about 1 to 4 s on a
    /// 2-core machine, and the n dataset well above the fixed cost (35 to 60 ms there:
    /// start-up and the unmodified fixture's own validation). Measured before the fixes,
    /// unknown keys at K = 100,000 took 18.7 s (a scan of the record's keys per unknown key)
    /// and quotes sharing a prefix at K = 100,000 took 734 s (every quote compared at every
    /// place the prefix starts); at these n the ratios were 31x and 25x to 35x.
    fn n(self) -> usize {
        match self {
            Dimension::UnknownKeys => 10_000,
            Dimension::RedirectChain => 50_000,
            Dimension::SharedPrefixQuotes => 10_000,
            Dimension::EvidenceEntries => 10_000,
        }
    }

    /// Adds this dimension, at size `k`, to the copy of the fixture in `dir`.
    fn grow(self, dir: &Path, k: usize) -> anyhow::Result<()> {
        let mut visits = String::new();
        match self {
            Dimension::UnknownKeys => {
                add_source(dir, 1)?;
                visits.push_str(&visit("growth-visit"));
                for i in 1..=k {
                    let _ = writeln!(visits, "x{i} = 1");
                }
                visits.push_str(&evidence(1));
            }
            Dimension::RedirectChain => {
                add_source(dir, 1)?;
                visits.push_str(&visit("growth-visit"));
                visits.push_str(&evidence(1));
                let mut redirects = String::new();
                for i in 1..=k {
                    let to = if i < k {
                        format!("old-{}", i + 1)
                    } else {
                        "growth-visit".to_owned()
                    };
                    let _ = writeln!(
                        redirects,
                        "\n[[redirects]]\nfrom = \"old-{i}\"\nto = \"{to}\"\nreason = \"Renamed, for the growth benchmark.\""
                    );
                }
                append(dir, "redirects.toml", &redirects)?;
            }
            Dimension::SharedPrefixQuotes => {
                add_source(dir, k)?;
                for i in 1..=k {
                    visits.push_str(&visit(&format!("growth-visit-{i}")));
                    visits.push_str(&evidence(i));
                }
            }
            Dimension::EvidenceEntries => {
                add_source(dir, k)?;
                visits.push_str(&visit("growth-visit"));
                for i in 1..=k {
                    visits.push_str(&evidence(i));
                }
            }
        }
        append(dir, "visits.toml", &visits)
    }

    /// Whether a run at size `k` did the work it is meant to measure, from the diagnostics it
    /// printed (stderr): the K unknown keys each reported, and otherwise no error but the
    /// entailment family's (E09x): every quote found (no E042), the chain resolved (no E081
    /// or E083), the source's checksum right (no E052).
    fn check(self, k: usize, stderr: &str) -> anyhow::Result<()> {
        let mut unknown_fields = 0;
        for line in stderr.lines() {
            let Some((_, rest)) = line.split_once(": error[") else {
                continue;
            };
            let code = rest.split(']').next().unwrap_or(rest);
            match code {
                "E011" if self == Dimension::UnknownKeys => unknown_fields += 1,
                c if c.starts_with("E09") => {}
                _ => bail!("unexpected error: {line}"),
            }
        }
        if self == Dimension::UnknownKeys && unknown_fields != k {
            bail!("{k} unknown keys, but {unknown_fields} errors E011 reported");
        }
        Ok(())
    }
}

/// One input dimension's figures.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    /// What grows.
    label: &'static str,
    /// The smaller size; the larger is ten times it.
    n: usize,
    /// The fastest wall time at n, in seconds.
    small_s: f64,
    /// The fastest wall time at 10n, in seconds.
    large_s: f64,
}

impl Row {
    /// t(10n) / t(n).
    fn ratio(&self) -> f64 {
        self.large_s / self.small_s.max(f64::MIN_POSITIVE)
    }

    /// Whether the growth counts as about linear.
    fn linear(&self) -> bool {
        self.ratio() <= LINEAR_MAX
    }
}

/// The growth benchmark's figures.
#[derive(Debug, Clone)]
pub(crate) struct Growth {
    /// The unmodified fixture's validation, in seconds: the fixed cost in every figure.
    baseline_s: f64,
    /// One row per input dimension.
    rows: Vec<Row>,
}

/// Builds each dimension's datasets at n and 10n under `work/growth/` and times `ours
/// validate` on each (the fastest of [`RUNS`]); the datasets are removed after.
pub(crate) fn measure(ours: &Path, work: &Path) -> anyhow::Result<Growth> {
    let fixture = workspace_root().join(FIXTURE);
    let dir = work.join("growth");
    if dir.exists() {
        fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    // The copies keep the fixture's `#:schema ../../schema/...` directives: `validate` checks
    // only that each names its own file's schema, so they read the same from any directory.
    let base = dir.join("fixture");
    copy_dir(&fixture, &base)?;
    sync();
    eprintln!("bench: growth: the unmodified fixture (best of {RUNS})");
    let baseline_s = fastest(ours, &base, |stderr| {
        if stderr.contains(": error[") {
            bail!("{FIXTURE} does not validate:\n{stderr}");
        }
        Ok(())
    })?;
    let mut rows = Vec::new();
    for dimension in Dimension::ALL {
        let n = dimension.n();
        let mut times = [0.0; 2];
        for (time, k) in times.iter_mut().zip([n, 10 * n]) {
            let data = dir.join(format!("{}-{k}", dimension.slug()));
            copy_dir(&fixture, &data)?;
            dimension.grow(&data, k)?;
            sync();
            eprintln!(
                "bench: growth: {} K = {k} (best of {RUNS})",
                dimension.slug()
            );
            *time = fastest(ours, &data, |stderr| {
                dimension
                    .check(k, stderr)
                    .with_context(|| format!("{} K = {k}", dimension.slug()))
            })?;
            let _ = fs::remove_dir_all(&data);
        }
        rows.push(Row {
            label: dimension.label(),
            n,
            small_s: times[0],
            large_s: times[1],
        });
    }
    let _ = fs::remove_dir_all(&dir);
    Ok(Growth { baseline_s, rows })
}

/// The fastest of [`RUNS`] runs of `ours validate data`, each run's diagnostics passed to
/// `check`. Exit code 1 (errors found) is accepted; any other failure is not.
fn fastest(
    ours: &Path,
    data: &Path,
    check: impl Fn(&str) -> anyhow::Result<()>,
) -> anyhow::Result<f64> {
    let mut best = f64::INFINITY;
    for _ in 0..RUNS {
        let mut cmd = Command::new(ours);
        cmd.arg("validate").arg(data);
        let (wall_s, stderr) = measure_wall(cmd, &[0, 1])?;
        check(&stderr)?;
        best = best.min(wall_s);
    }
    Ok(best)
}

/// The report's section: a heading, what is measured, and the table.
pub(crate) fn render(growth: &Growth) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "## Growth per input dimension\n");
    let _ = writeln!(
        s,
        "Each row is an input dimension along which `diplomacy validate` once took quadratic time, since fixed: the benchmark checks that it stays linear. The dataset is a copy of `{FIXTURE}` with that one dimension grown to size n and to 10n (sources: `xtask/src/growth.rs`), and `diplomacy validate DIR` (the release binary above) is timed on each, the fastest of {RUNS} runs under `/usr/bin/time`. Tenfold input should take about tenfold time: a ratio t(10n)/t(n) of at most {LINEAR_MAX:.0} counts as about linear, while quadratic cost would give about 100. Each n is chosen so that the 10n run takes about 0.3 to 3 s and the n run stays well above the fixed cost of starting up and validating the fixture itself ({} s here, unmodified), which is part of both times and pulls every ratio down: a ratio well under 10 means fixed cost, not sublinear growth. Each run's diagnostics are checked, so the time is that of the work described: every unknown key reported (E011, so `validate` exits 1 there; the time is measured all the same), every quote found in its source, the redirect chain resolved, and no other error but the entailment rules' (E09x).\n",
        secs(growth.baseline_s)
    );
    let _ = writeln!(
        s,
        "| input dimension (size K) | n | t(n) s | t(10n) s | t(10n) / t(n) | about linear (<= {LINEAR_MAX:.0}x) |"
    );
    let _ = writeln!(s, "| --- | ---: | ---: | ---: | ---: | --- |");
    for row in &growth.rows {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {:.1}x | {} |",
            row.label,
            row.n,
            secs(row.small_s),
            secs(row.large_s),
            row.ratio(),
            if row.linear() { "met" } else { "missed" }
        );
    }
    let _ = writeln!(s);
    s
}

/// The rows of the report's targets table, one per dimension.
pub(crate) fn targets(growth: &Growth) -> String {
    let mut s = String::new();
    for row in &growth.rows {
        let what = row.label.split(':').next().unwrap_or(row.label);
        let _ = writeln!(
            s,
            "| validate about linear in {what}: t(10n) <= {LINEAR_MAX:.0} t(n) | {} | {:.1}x ({} s at 10n) | {} |",
            row.n,
            row.ratio(),
            secs(row.large_s),
            if row.linear() { "met" } else { "missed" }
        );
    }
    s
}

/// Seconds to the millisecond.
fn secs(s: f64) -> String {
    format!("{s:.3}")
}

/// Copies the regular files and directories under `from` to `to` (created).
fn copy_dir(from: &Path, to: &Path) -> anyhow::Result<()> {
    fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    for entry in fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let target = to.join(entry.file_name());
        if kind.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else if kind.is_file() {
            fs::copy(entry.path(), &target)
                .with_context(|| format!("copying {}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// Appends `text` to the table file `name` of `dir`, created with its `#:schema` directive
/// where missing.
fn append(dir: &Path, name: &str, text: &str) -> anyhow::Result<()> {
    let path = dir.join(name);
    let mut content = if path.exists() {
        fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?
    } else {
        let schema = name.trim_end_matches(".toml");
        format!("#:schema ../../schema/{schema}.schema.json\n")
    };
    if !content.ends_with('\n') {
        content.push('\n');
    }
    content.push_str(text);
    fs::write(&path, content).with_context(|| format!("writing {}", path.display()))
}

/// Writes the growth source's text, `sentences` sentences of [`PREFIX`] and a number, one a
/// line, and adds the source with its SHA-256 to `sources.toml`.
fn add_source(dir: &Path, sentences: usize) -> anyhow::Result<()> {
    let mut text = String::with_capacity(sentences * (PREFIX.len() + 10));
    for i in 1..=sentences {
        let _ = writeln!(text, "{}", sentence(i));
    }
    let file = format!("sources/{SOURCE_ID}.txt");
    let path = dir.join(&file);
    fs::write(&path, &text).with_context(|| format!("writing {}", path.display()))?;
    let sha256 = diplomacy_validate::sha256_hex(text.as_bytes());
    append(
        dir,
        "sources.toml",
        &format!(
            "\n[[sources]]\nid = \"{SOURCE_ID}\"\ntitle = \"Growth benchmark chronicle\"\npublisher = \"cargo xtask bench\"\npublished = \"2024\"\nfile = \"{file}\"\nsha256 = \"{sha256}\"\nrights = \"Invented for the benchmark; no rights reserved.\"\n"
        ),
    )
}

/// Sentence `i` of the growth source: [`PREFIX`], then the number. No sentence is a part of
/// another (`round 1.` is not in `round 11.`), so each quote is found once.
fn sentence(i: usize) -> String {
    format!("{PREFIX} {i}.")
}

/// A visit that sentence `i` (any of them) states, without its evidence.
fn visit(id: &str) -> String {
    format!(
        "\n[[visits]]\nid = \"{id}\"\ndate = \"1998-02\"\nguest_country = \"JPN\"\nhost_country = \"KAZ\"\nguest_office = \"Foreign Minister\"\nlevel = \"foreign_minister\"\nsummary = \"Japan's Foreign Minister visits Kazakhstan for talks.\"\n"
    )
}

/// An evidence entry quoting sentence `i` of the growth source in full.
fn evidence(i: usize) -> String {
    format!(
        "[[visits.evidence]]\nsource = \"{SOURCE_ID}\"\nquote = \"{}\"\n",
        sentence(i)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each dimension's dataset is what the benchmark says it measures: the unknown keys
    /// each reported and nothing else, the others valid without a warning.
    #[test]
    fn growth_datasets_report_what_they_are_meant_to() {
        let fixture = workspace_root().join(FIXTURE);
        for dimension in Dimension::ALL {
            let tmp = tempfile::tempdir().unwrap();
            let dir = tmp.path().join("data");
            copy_dir(&fixture, &dir).unwrap();
            dimension.grow(&dir, 12).unwrap();
            let report = diplomacy_validate::validate_dir(&dir);
            let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code.as_str()).collect();
            if dimension == Dimension::UnknownKeys {
                assert_eq!(codes, ["E011"; 12], "{:#?}", report.diagnostics);
            } else {
                assert!(codes.is_empty(), "{dimension:?}: {:#?}", report.diagnostics);
            }
        }
    }

    #[test]
    fn check_counts_unknown_keys_and_refuses_other_errors() {
        let e011 = "d/visits.toml:40:1: error[E011]: unknown field `x1`\n";
        assert!(Dimension::UnknownKeys.check(1, e011).is_ok());
        assert!(Dimension::UnknownKeys.check(2, e011).is_err());
        let e042 = "d/visits.toml:9:9: error[E042]: quote not found\n";
        assert!(Dimension::EvidenceEntries.check(1, e042).is_err());
        let e090 = "d/visits.toml:9:9: error[E090]: not entailed\n";
        assert!(Dimension::SharedPrefixQuotes.check(1, e090).is_ok());
        assert!(Dimension::RedirectChain.check(1, "d: ok\n").is_ok());
    }
}
