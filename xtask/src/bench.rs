//! `cargo xtask bench [--records N ...] [--out DIR]`: our `validate` and `release` against the
//! Python a data person would write (jsonschema, pandas) and against Polars and DuckDB
//! converting our CSVs, on synthetic datasets of N records, then how `validate` grows along
//! each hostile input dimension ([`crate::growth`]; alone with `--growth-only`). Every
//! measurement is a child process run under `/usr/bin/time`, so wall time and peak RSS are
//! real. Prints the tables and writes them to `BENCHMARKS.md`.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use anyhow::{Context, bail};

use crate::workspace_root;

/// A Python measurement whose estimate (linear in N from the largest smaller N) exceeds this
/// many seconds is skipped, unless `--python-budget` says otherwise.
pub(crate) const PYTHON_BUDGET_S: f64 = 400.0;

/// The name `synth` gives the dataset, as released: `<name>-<version>`.
const RELEASE_NAME: &str = "synthetic-1.0.0";

const MIB: f64 = 1024.0 * 1024.0;

/// Our runs are repeated this many times and the fastest kept.
const OURS_RUNS: usize = 3;

/// One child process, measured.
#[derive(Debug, Clone, Default)]
struct Run {
    wall_s: f64,
    rss_mib: f64,
    out_mib: Option<f64>,
    /// The child's own timing, where it prints one (schema-only loops).
    inner: Vec<(String, f64)>,
}

/// What became of one measurement.
#[derive(Debug, Clone)]
enum Outcome {
    Ran(Run),
    Skipped(String),
}

impl Outcome {
    fn run(&self) -> Option<&Run> {
        match self {
            Outcome::Ran(r) => Some(r),
            Outcome::Skipped(_) => None,
        }
    }
}

/// The measurements, in table order.
const ROWS: &[(&str, &str)] = &[
    ("ours_validate", "ours: `diplomacy validate`"),
    (
        "ours_release",
        "ours: `diplomacy release` (validate + CSV + Parquet + SQLite + package)",
    ),
    (
        "py_validate",
        "Python: `py_validate.py` (tomllib + jsonschema + rules)",
    ),
    (
        "py_schema_only",
        "Python: `py_schema_only.py` (parse untimed; jsonschema and fastjsonschema loops)",
    ),
    (
        "py_release",
        "Python: `py_release.py` (tomllib + jsonschema + pandas + to_csv/to_parquet)",
    ),
    ("polars", "Polars: our CSVs to Parquet (`py_convert.py`)"),
    ("duckdb", "DuckDB: our CSVs to Parquet (`py_convert.py`)"),
];

#[derive(Debug)]
struct Size {
    n: usize,
    summary: String,
    results: Vec<(&'static str, Outcome)>,
    /// Per table: our Parquet file's bytes and Polars' for the same CSV.
    parquet: Vec<(String, u64, Option<u64>)>,
}

/// A first build and release from nothing, as on a fresh clone.
#[derive(Debug)]
struct ColdBuild {
    build_s: f64,
    release_s: f64,
}

impl Size {
    fn get(&self, key: &str) -> Option<&Run> {
        self.results
            .iter()
            .find(|(k, _)| *k == key)
            .and_then(|(_, o)| o.run())
    }
}

pub(crate) fn run(
    records: &[usize],
    out: Option<&Path>,
    python_budget: f64,
    build: bool,
) -> anyhow::Result<ExitCode> {
    let root = workspace_root();
    let work = work_dir(&root, out)?;
    let python = ensure_venv(&root)?;
    let ours = build_ours(&root)?;
    let bench_dir = root.join("bench");

    let mut records = records.to_vec();
    records.sort_unstable();
    records.dedup();
    let mut sizes: Vec<Size> = Vec::new();
    for &n in &records {
        let dir = work.join(format!("n{n}"));
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        let data = dir.join("data");
        eprintln!("bench: N = {n}: synth");
        let summary = crate::synth::synth(n, &data, 0, 1)?;
        let mut results: Vec<(&'static str, Outcome)> = Vec::new();

        sync();

        eprintln!("bench: N = {n}: ours validate (best of {OURS_RUNS})");
        let validate = best_of(OURS_RUNS, None, || {
            let mut cmd = Command::new(&ours);
            cmd.arg("validate").arg(&data);
            cmd
        })?;
        results.push(("ours_validate", Outcome::Ran(validate)));

        eprintln!("bench: N = {n}: ours release (best of {OURS_RUNS})");
        let ours_out = dir.join("release-ours");
        let release = best_of(OURS_RUNS, Some(&ours_out), || {
            let mut cmd = Command::new(&ours);
            cmd.arg("release")
                .arg(&data)
                .arg("--out")
                .arg(&ours_out)
                .arg("--timings");
            cmd
        })?;
        results.push(("ours_release", Outcome::Ran(release)));
        let csv_dir = ours_out.join(RELEASE_NAME).join("csv");

        let py = |script: &str| {
            let mut cmd = Command::new(&python);
            cmd.arg(bench_dir.join(script)).current_dir(&bench_dir);
            cmd
        };
        let jobs: Vec<(&'static str, Command, Option<PathBuf>)> = vec![
            (
                "py_validate",
                {
                    let mut c = py("py_validate.py");
                    c.arg(&data);
                    c
                },
                None,
            ),
            (
                "py_schema_only",
                {
                    let mut c = py("py_schema_only.py");
                    c.arg(&data);
                    c
                },
                None,
            ),
            (
                "py_release",
                {
                    let mut c = py("py_release.py");
                    c.arg(&data).arg(dir.join("release-py"));
                    c
                },
                Some(dir.join("release-py")),
            ),
            (
                "polars",
                {
                    let mut c = py("py_convert.py");
                    c.arg(&csv_dir).arg(dir.join("polars")).arg("polars");
                    c
                },
                Some(dir.join("polars")),
            ),
            (
                "duckdb",
                {
                    let mut c = py("py_convert.py");
                    c.arg(&csv_dir).arg(dir.join("duckdb")).arg("duckdb");
                    c
                },
                Some(dir.join("duckdb")),
            ),
        ];
        for (key, cmd, output) in jobs {
            if let Some(estimate) = estimate(&sizes, key, n)
                && estimate > python_budget
            {
                eprintln!("bench: N = {n}: {key} skipped (estimated {estimate:.0} s)");
                results.push((
                    key,
                    Outcome::Skipped(format!(
                        "skipped: estimated {estimate:.0} s from the smaller N (budget {python_budget:.0} s)"
                    )),
                ));
                continue;
            }
            eprintln!("bench: N = {n}: {key}");
            results.push((key, Outcome::Ran(measure(cmd, output.as_deref())?)));
            sync();
        }
        let parquet = parquet_sizes(
            &ours_out.join(RELEASE_NAME).join("parquet"),
            &dir.join("polars"),
        )?;
        // The datasets and releases of the larger sizes are big: keep only the numbers.
        if n >= 1_000_000 {
            let _ = fs::remove_dir_all(&dir);
        }
        sizes.push(Size {
            n,
            summary,
            results,
            parquet,
        });
    }
    // How validation grows along each hostile input dimension: quick (well under a minute).
    let growth = crate::growth::measure(&ours, &work)?;

    let cold = if build {
        Some(cold_build(&root, &work)?)
    } else {
        None
    };

    let lsp = lsp_rows(&ours, &root, &work, &records)?;

    let report = render(&sizes, python_budget, cold.as_ref(), &lsp, &growth);
    println!("{report}");
    let path = root.join("BENCHMARKS.md");
    fs::write(&path, report).with_context(|| format!("writing {}", path.display()))?;
    eprintln!("bench: wrote {}", path.display());
    Ok(ExitCode::SUCCESS)
}

/// The language server's latency ([`crate::lsp_bench`]): the `diplomacy` binary users
/// install, on the curated dataset and on each synthetic one of `records` still on disk.
fn lsp_rows(
    ours: &Path,
    root: &Path,
    work: &Path,
    records: &[usize],
) -> anyhow::Result<Vec<LspRow>> {
    let mut lsp = Vec::new();
    let curated = root.join("datasets/japan-eurasia-diplomacy");
    eprintln!("bench: lsp on the curated dataset");
    lsp.push((
        "curated dataset".to_owned(),
        LSP_TARGET_CURATED_MS,
        crate::lsp_bench::measure(ours, &curated, "visits.toml", 30)?,
    ));
    for &n in records {
        let data = work.join(format!("n{n}/data"));
        if !data.exists() {
            continue;
        }
        eprintln!("bench: N = {n}: lsp");
        let edits = if n >= 100_000 { 20 } else { 30 };
        lsp.push((
            format!("synthetic, N = {n}"),
            LSP_TARGET_100K_MS,
            crate::lsp_bench::measure(ours, &data, "visits.toml", edits)?,
        ));
    }
    Ok(lsp)
}

/// `cargo xtask bench --lsp-only`: the language server's latency alone, its table printed;
/// `BENCHMARKS.md` is left as it is.
pub(crate) fn lsp_only(records: &[usize], out: Option<&Path>) -> anyhow::Result<ExitCode> {
    let root = workspace_root();
    let work = work_dir(&root, out)?;
    let ours = build_ours(&root)?;
    let lsp = lsp_rows(&ours, &root, &work, records)?;
    for (what, target, l) in &lsp {
        println!(
            "{what}: median {:.1} ms, p95 {:.1} ms over {} edits (target p95 <= {target:.0} ms), peak {} MiB",
            l.median_ms,
            l.p95_ms,
            l.edits,
            l.peak_mib
                .map_or_else(|| "?".to_owned(), |m| format!("{m:.0}"))
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `cargo xtask bench --growth-only`: the growth benchmark alone ([`crate::growth`]), its
/// table printed; `BENCHMARKS.md` is left as it is.
pub(crate) fn growth_only(out: Option<&Path>) -> anyhow::Result<ExitCode> {
    let root = workspace_root();
    let work = work_dir(&root, out)?;
    let ours = build_ours(&root)?;
    let growth = crate::growth::measure(&ours, &work)?;
    println!("{}", crate::growth::render(&growth));
    Ok(ExitCode::SUCCESS)
}

/// The directory the bench writes its datasets in (`out`, or `target/bench`), created, once
/// `/usr/bin/time`, which every measurement runs under, is known to be there.
fn work_dir(root: &Path, out: Option<&Path>) -> anyhow::Result<PathBuf> {
    if !Path::new("/usr/bin/time").is_file() {
        bail!("/usr/bin/time is needed to measure time and peak memory (apt-get install time)");
    }
    let work = out.map_or_else(|| root.join("target/bench"), Path::to_path_buf);
    fs::create_dir_all(&work).with_context(|| format!("creating {}", work.display()))?;
    Ok(work.canonicalize()?)
}

/// Builds the binary users install (`cargo install diplomacy-cli`: the release profile and
/// allocator xtask shares) and returns its path.
fn build_ours(root: &Path) -> anyhow::Result<PathBuf> {
    eprintln!("bench: building the diplomacy binary");
    check(
        Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args(["build", "--release", "--quiet", "-p", "diplomacy-cli"])
            .current_dir(root),
    )?;
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    Ok(target.join("release/diplomacy"))
}

/// Per Parquet file of our release: its bytes and those of Polars' file of the same table.
fn parquet_sizes(ours: &Path, polars: &Path) -> anyhow::Result<Vec<(String, u64, Option<u64>)>> {
    let mut out = Vec::new();
    for entry in fs::read_dir(ours).with_context(|| format!("reading {}", ours.display()))? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let theirs = fs::metadata(polars.join(&name)).ok().map(|m| m.len());
        out.push((name, entry.metadata()?.len(), theirs));
    }
    out.sort();
    Ok(out)
}

/// Builds xtask from nothing into a fresh target directory, as `cargo xtask release` does on
/// a fresh clone, then releases the curated dataset with it; removes the build after.
fn cold_build(root: &Path, work: &Path) -> anyhow::Result<ColdBuild> {
    let target = work.join("cold-target");
    let _ = fs::remove_dir_all(&target);
    eprintln!("bench: cold build of xtask into {}", target.display());
    let start = Instant::now();
    check(
        Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args(["build", "--release", "--package", "xtask", "--timings"])
            .env("CARGO_TARGET_DIR", &target)
            .current_dir(root),
    )?;
    let build_s = start.elapsed().as_secs_f64();
    let out = work.join("cold-release");
    let _ = fs::remove_dir_all(&out);
    let start = Instant::now();
    check(
        Command::new(target.join("release/xtask"))
            .arg("release")
            .arg("--out")
            .arg(&out),
    )?;
    let release_s = start.elapsed().as_secs_f64();
    // The timings page is kept beside the benchmarks' work; the build itself is large.
    let timings = target.join("cargo-timings/cargo-timing.html");
    let _ = fs::copy(&timings, work.join("cold-build-timings.html"));
    let _ = fs::remove_dir_all(&target);
    let _ = fs::remove_dir_all(&out);
    Ok(ColdBuild { build_s, release_s })
}

/// The project venv's Python, created (and the bench packages installed) where missing.
fn ensure_venv(root: &Path) -> anyhow::Result<PathBuf> {
    let venv = root.join(".venv");
    let python = venv.join("bin/python");
    let requirements = root.join("tests/python/requirements.txt");
    if !python.is_file() {
        eprintln!("bench: creating {}", venv.display());
        check(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
        check(
            Command::new(&python)
                .args(["-m", "pip", "install", "-q", "-r"])
                .arg(&requirements),
        )?;
    }
    let ok = Command::new(&python)
        .args([
            "-c",
            "import jsonschema, fastjsonschema, pandas, polars, duckdb, pyarrow",
        ])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("bench: installing {} into the venv", requirements.display());
        check(
            Command::new(&python)
                .args(["-m", "pip", "install", "-q", "-r"])
                .arg(&requirements),
        )?;
    }
    Ok(python)
}

fn check(cmd: &mut Command) -> anyhow::Result<()> {
    let status = cmd.status().with_context(|| format!("running {cmd:?}"))?;
    if !status.success() {
        bail!("{cmd:?} failed: {status}");
    }
    Ok(())
}

/// The estimated time of a Python measurement at `n`, linear from the largest smaller N it ran
/// at; `None` for ours and where there is nothing to go by.
fn estimate(sizes: &[Size], key: &str, n: usize) -> Option<f64> {
    if !key.starts_with("py_") {
        return None;
    }
    sizes
        .iter()
        .rev()
        .find_map(|s| s.get(key).map(|r| r.wall_s * n as f64 / s.n.max(1) as f64))
}

/// Flushes written files to disk, so that writeback does not run during the next measurement.
pub(crate) fn sync() {
    let _ = Command::new("sync").status();
}

/// The fastest of `runs` runs of the command `make` builds (ours are cheap to repeat; the
/// Python ones are run once). `output` is removed before each run and measured after it.
fn best_of(runs: usize, output: Option<&Path>, make: impl Fn() -> Command) -> anyhow::Result<Run> {
    let mut best: Option<Run> = None;
    for _ in 0..runs.max(1) {
        if let Some(dir) = output
            && dir.exists()
        {
            fs::remove_dir_all(dir)?;
        }
        let run = measure(make(), output)?;
        sync();
        if best.as_ref().is_none_or(|b| run.wall_s < b.wall_s) {
            best = Some(run);
        }
    }
    best.context("no run")
}

/// Runs `cmd` under `/usr/bin/time`; fails if it fails.
fn measure(cmd: Command, output: Option<&Path>) -> anyhow::Result<Run> {
    measure_accepting(cmd, output, &[0]).map(|(run, _)| run)
}

/// Runs `cmd` under `/usr/bin/time` as [`measure`] does, but accepts any exit code in
/// `accept` (`validate` exits 1 where it finds errors): its wall seconds and what it printed
/// on stderr (`validate`'s diagnostics).
pub(crate) fn measure_wall(cmd: Command, accept: &[i32]) -> anyhow::Result<(f64, String)> {
    measure_accepting(cmd, None, accept).map(|(run, stderr)| (run.wall_s, stderr))
}

/// Runs `cmd` under `/usr/bin/time`; fails unless it exits with a code in `accept`. The run's
/// figures, and its stderr.
fn measure_accepting(
    cmd: Command,
    output: Option<&Path>,
    accept: &[i32],
) -> anyhow::Result<(Run, String)> {
    let time_file = std::env::temp_dir().join(format!("xtask-bench-time-{}", std::process::id()));
    let mut timed = Command::new("/usr/bin/time");
    timed
        .arg("-f")
        .arg("%e %M")
        .arg("-o")
        .arg(&time_file)
        .arg(cmd.get_program())
        .args(cmd.get_args());
    if let Some(dir) = cmd.get_current_dir() {
        timed.current_dir(dir);
    }
    let start = Instant::now();
    let result = timed.output().with_context(|| format!("running {cmd:?}"))?;
    let wall_s = start.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&result.stdout).into_owned();
    if !result.status.code().is_some_and(|c| accept.contains(&c)) {
        bail!(
            "{cmd:?} failed ({}):\n{}\n{}",
            result.status,
            stdout,
            String::from_utf8_lossy(&result.stderr)
        );
    }
    let time = fs::read_to_string(&time_file).context("reading /usr/bin/time's output")?;
    let _ = fs::remove_file(&time_file);
    // The last line: earlier ones are notes such as "Command exited with non-zero status".
    let rss_kib: f64 = time
        .lines()
        .last()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .with_context(|| format!("unexpected /usr/bin/time output {time:?}"))?;
    // A Python script's own loops ("jsonschema_s 1.23" on stdout), and our release's
    // phases ("timings: validate 0.52 s, write 0.55 s" on stderr).
    let mut inner: Vec<(String, f64)> = stdout
        .lines()
        .filter_map(|l| {
            let (k, v) = l.split_once(' ')?;
            let k = k.strip_suffix("_s")?;
            Some((format!("{k} loop"), v.trim().parse().ok()?))
        })
        .collect();
    let stderr = String::from_utf8_lossy(&result.stderr).into_owned();
    // Then the processor time of each part of the write ("csv 0.48 s, parquet 1.14 s, ...").
    let lines = [
        ("timings: ", " phase"),
        ("timings of the write's parts (processor): ", " CPU"),
    ];
    for (prefix, suffix) in lines {
        if let Some(line) = stderr.lines().find_map(|l| l.strip_prefix(prefix)) {
            for part in line.split(", ") {
                if let Some((k, v)) = part.strip_suffix(" s").and_then(|p| p.split_once(' ')) {
                    inner.push((format!("{k}{suffix}"), v.parse().unwrap_or(f64::NAN)));
                }
            }
        }
    }
    let out_mib = match output {
        Some(dir) => Some(dir_bytes(dir)? as f64 / MIB),
        None => None,
    };
    Ok((
        Run {
            wall_s,
            rss_mib: rss_kib / 1024.0,
            out_mib,
            inner,
        },
        stderr,
    ))
}

fn dir_bytes(dir: &Path) -> anyhow::Result<u64> {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).with_context(|| format!("reading {}", d.display()))? {
            let entry = entry?;
            let meta = entry.metadata()?;
            if meta.is_dir() {
                stack.push(entry.path());
            } else {
                total += meta.len();
            }
        }
    }
    Ok(total)
}

fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    let mem = fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        })
        .map_or_else(
            || "unknown".to_owned(),
            |kib| format!("{:.1} GiB", kib / 1024.0 / 1024.0),
        );
    let model = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|v| v.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let python = Command::new(workspace_root().join(".venv/bin/python"))
        .arg("-c")
        .arg("import sys, jsonschema, fastjsonschema, pandas, polars, duckdb; print(sys.version.split()[0], 'jsonschema', jsonschema.__version__ if hasattr(jsonschema, '__version__') else '', 'fastjsonschema', fastjsonschema.VERSION, 'pandas', pandas.__version__, 'polars', polars.__version__, 'duckdb', duckdb.__version__)")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    format!("{cpus} CPUs (nproc; {model}), {mem} memory (MemTotal). Python {python}.")
}

fn f(x: f64) -> String {
    if x >= 100.0 {
        format!("{x:.0}")
    } else if x >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

fn ratio(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => Some(a / b),
        _ => None,
    }
}

fn show(x: Option<f64>, suffix: &str) -> String {
    x.map_or_else(|| "n/a".to_owned(), |x| format!("{}{suffix}", f(x)))
}

fn verdict(ok: Option<bool>) -> &'static str {
    match ok {
        Some(true) => "met",
        Some(false) => "missed",
        None => "not measured",
    }
}

/// The language server's target on the curated dataset: diagnostics within 50 ms of an edit.
const LSP_TARGET_CURATED_MS: f64 = 50.0;
/// Its target on a 100k-record synthetic dataset (applied to the smaller ones too).
const LSP_TARGET_100K_MS: f64 = 300.0;

/// One language-server measurement: what it ran on, its target in milliseconds, its figures.
type LspRow = (String, f64, crate::lsp_bench::Latency);

fn render(
    sizes: &[Size],
    python_budget: f64,
    cold: Option<&ColdBuild>,
    lsp: &[LspRow],
    growth: &crate::growth::Growth,
) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Benchmarks\n");
    let _ = writeln!(
        s,
        "Written by `cargo xtask bench` (sources: `xtask/src/bench.rs`, `bench/*.py`); rerun it to refresh. Each dataset is `cargo xtask synth --records N` (seed 1). Every figure is a separate child process under `/usr/bin/time`: wall seconds, peak resident memory (max RSS), and the size of what it wrote; ours are the fastest of {OURS_RUNS} runs, the others one run each, with `sync` between runs so that writeback of one run does not slow the next. The Python scripts run in the project venv (`.venv`, from `tests/python/requirements.txt`).\n"
    );
    let _ = writeln!(s, "Machine: {}\n", machine());
    let _ = writeln!(s, "What is measured:\n");
    let _ = writeln!(
        s,
        "- **ours**: the `diplomacy` binary users install (`cargo build --release -p diplomacy-cli`: the release profile and the allocator `cargo xtask` uses too), `diplomacy validate DIR` and `diplomacy release DIR --out TMP --timings`; the release prints how long it validated and how long it wrote (sorting, changelog, CSV, Parquet, SQLite, package, data card, page, checksums, the move into place): the write phase; and the processor time of the CSV, Parquet and SQLite writers' own work, each summed over its threads (`csv CPU`, `parquet CPU`, `sqlite CPU`: they run at once, so their sum may exceed the write phase). Our schema checking is not timed on its own: it runs inside `validate` with parsing and the rules, so the schema-only ratio below divides Python's schema loop by our *whole* validate, a lower bound on the schema-only ratio."
    );
    let _ = writeln!(
        s,
        "- **py_validate.py**: tomllib of every file, `jsonschema.Draft202012Validator(...).iter_errors` per record with the committed `schema/*.schema.json`, then unique ids, references and quotes (whitespace-normalised substring of the source text) with sets."
    );
    let _ = writeln!(
        s,
        "- **py_schema_only.py**: parsing and validator construction untimed; the in-process seconds of the loop over the already-parsed records with jsonschema, and with fastjsonschema (compiled). Wall and RSS are of the whole process."
    );
    let _ = writeln!(
        s,
        "- **py_release.py**: the script a data person typically writes: tomllib, jsonschema per record, pandas for ids and references, substring checks for quotes, `to_csv` and `to_parquet` of every table and of the evidence table. No derived date columns, no data package, no checksums: less work than ours."
    );
    let _ = writeln!(
        s,
        "- **Polars / DuckDB**: `py_convert.py` reading our release's CSVs and writing Parquet with each engine's defaults, one process per engine: the conversion step alone, no validation (the wall time includes starting Python and importing the engine, about 0.3 s).\n"
    );
    let _ = writeln!(
        s,
        "A Python measurement whose time, estimated linearly from the largest smaller N, would exceed {python_budget:.0} s is skipped and marked so.\n"
    );

    for size in sizes {
        let _ = writeln!(s, "## N = {}\n", size.n);
        let _ = writeln!(s, "`synth`: {}\n", size.summary);
        let _ = writeln!(s, "| run | wall s | peak RSS MiB | output MiB | notes |");
        let _ = writeln!(s, "| --- | ---: | ---: | ---: | --- |");
        for (key, label) in ROWS {
            let Some((_, outcome)) = size.results.iter().find(|(k, _)| k == key) else {
                continue;
            };
            match outcome {
                Outcome::Ran(r) => {
                    let notes = r
                        .inner
                        .iter()
                        .map(|(k, v)| format!("{k} {} s", f(*v)))
                        .collect::<Vec<_>>()
                        .join("; ");
                    let _ = writeln!(
                        s,
                        "| {label} | {} | {} | {} | {notes} |",
                        f(r.wall_s),
                        f(r.rss_mib),
                        r.out_mib.map_or_else(|| "".to_owned(), f)
                    );
                }
                Outcome::Skipped(why) => {
                    let _ = writeln!(s, "| {label} | — | — | — | {why} |");
                }
            }
        }
        let ours_v = size.get("ours_validate");
        let ours_r = size.get("ours_release");
        let py_v = size.get("py_validate");
        let py_r = size.get("py_release");
        let inner = |key: &str| {
            size.get("py_schema_only").and_then(|r| {
                r.inner
                    .iter()
                    .find(|(k, _)| *k == format!("{key} loop"))
                    .map(|(_, v)| *v)
            })
        };
        let _ = writeln!(s, "\n| ratio | value |");
        let _ = writeln!(s, "| --- | ---: |");
        let _ = writeln!(
            s,
            "| validate: Python / ours (wall) | {} |",
            show(ratio(py_v.map(|r| r.wall_s), ours_v.map(|r| r.wall_s)), "x")
        );
        let _ = writeln!(
            s,
            "| release: Python script / ours (wall) | {} |",
            show(ratio(py_r.map(|r| r.wall_s), ours_r.map(|r| r.wall_s)), "x")
        );
        let _ = writeln!(
            s,
            "| release: ours / Python script (peak RSS) | {} |",
            show(
                ratio(ours_r.map(|r| r.rss_mib), py_r.map(|r| r.rss_mib)),
                "x"
            )
        );
        let _ = writeln!(
            s,
            "| schema-only: jsonschema loop / our whole validate (lower bound) | {} |",
            show(ratio(inner("jsonschema"), ours_v.map(|r| r.wall_s)), "x")
        );
        let _ = writeln!(
            s,
            "| schema-only: fastjsonschema loop / our whole validate (lower bound) | {} |",
            show(
                ratio(inner("fastjsonschema"), ours_v.map(|r| r.wall_s)),
                "x"
            )
        );
        let _ = writeln!(s);
    }

    for size in sizes {
        if size.parquet.is_empty() {
            continue;
        }
        let _ = writeln!(s, "## Parquet size per table, N = {}\n", size.n);
        let _ = writeln!(s, "| table | ours bytes | Polars bytes | ours / Polars |");
        let _ = writeln!(s, "| --- | ---: | ---: | ---: |");
        for (name, ours, polars) in &size.parquet {
            let _ = writeln!(
                s,
                "| {} | {ours} | {} | {} |",
                name.trim_end_matches(".parquet"),
                polars.map_or_else(|| "n/a".to_owned(), |p| p.to_string()),
                show(ratio(Some(*ours as f64), polars.map(|p| p as f64)), "")
            );
        }
        let _ = writeln!(s);
    }

    if !lsp.is_empty() {
        let _ = writeln!(s, "## The language server\n");
        let _ = writeln!(
            s,
            "`diplomacy lsp DIR` (the release build of the binary users install) with a client that speaks the protocol over stdio as an editor does: it opens `visits.toml`, then edits it one change at a time (each appends a comment line, so every check validates the whole dataset and the diagnostics stay the same), and times each edit from `didChange` sent to the diagnostics of that version received. Peak memory is the server's VmHWM; compare it with `diplomacy validate`'s peak RSS above.\n"
        );
        let _ = writeln!(
            s,
            "| dataset | edits | median ms | p95 ms | server peak RSS MiB |"
        );
        let _ = writeln!(s, "| --- | ---: | ---: | ---: | ---: |");
        for (what, _, l) in lsp {
            let _ = writeln!(
                s,
                "| {what} | {} | {} | {} | {} |",
                l.edits,
                f(l.median_ms),
                f(l.p95_ms),
                show(l.peak_mib, "")
            );
        }
        let _ = writeln!(s);
    }

    s.push_str(&crate::growth::render(growth));

    // The targets of each size where both sides ran.
    let _ = writeln!(s, "## Targets\n");
    let _ = writeln!(s, "| target | N | figure | verdict |");
    let _ = writeln!(s, "| --- | ---: | --- | --- |");
    for sz in sizes {
        let wall = |k: &str| sz.get(k).map(|r| r.wall_s);
        let r = ratio(wall("py_validate"), wall("ours_validate"));
        let _ = writeln!(
            s,
            "| validate >= 50x Python | {} | {} | {} |",
            sz.n,
            show(r, "x"),
            verdict(r.map(|x| x >= 50.0))
        );
        let r = ratio(wall("py_release"), wall("ours_release"));
        let _ = writeln!(
            s,
            "| release >= 30x the Python script | {} | {} | {} |",
            sz.n,
            show(r, "x"),
            verdict(r.map(|x| x >= 30.0))
        );
        let write = sz
            .get("ours_release")
            .and_then(|r| r.inner.iter().find(|(k, _)| k == "write phase"))
            .map(|(_, v)| *v);
        let polars = wall("polars");
        let _ = writeln!(
            s,
            "| write phase (records to CSV, Parquet, package, page) <= Polars CSV to Parquet | {} | {} s vs {} s | {} |",
            sz.n,
            show(write, ""),
            show(polars, ""),
            verdict(write.zip(polars).map(|(w, p)| w <= p))
        );
        // Like for like: our CSV and Parquet writers' own processor time (records already in
        // memory as rows), against Polars reading the CSVs and writing Parquet.
        let part = |k: &str| {
            sz.get("ours_release")
                .and_then(|r| r.inner.iter().find(|(p, _)| p == k))
                .map(|(_, v)| *v)
        };
        let formats = part("csv CPU").zip(part("parquet CPU")).map(|(c, p)| c + p);
        let _ = writeln!(
            s,
            "| CSV and Parquet writing alone (processor s, no database) <= Polars CSV to Parquet | {} | {} s vs {} s | {} |",
            sz.n,
            show(formats, ""),
            show(polars, ""),
            verdict(formats.zip(polars).map(|(w, p)| w <= p))
        );
        let over: Vec<String> = sz
            .parquet
            .iter()
            .filter_map(|(name, ours, polars)| {
                let polars = (*polars)?;
                (*ours > polars).then(|| {
                    format!(
                        "{} (+{} bytes)",
                        name.trim_end_matches(".parquet"),
                        ours - polars
                    )
                })
            })
            .collect();
        let compared = sz.parquet.iter().filter(|(_, _, p)| p.is_some()).count();
        let _ = writeln!(
            s,
            "| Parquet <= Polars, table by table | {} | {} of {compared} tables larger{} | {} |",
            sz.n,
            over.len(),
            if over.is_empty() {
                String::new()
            } else {
                format!(": {}", over.join(", "))
            },
            verdict((compared > 0).then_some(over.is_empty()))
        );
        if sz.n >= 1_000_000 {
            for key in ["ours_validate", "ours_release"] {
                let rss = sz.get(key).map(|r| r.rss_mib);
                let _ = writeln!(
                    s,
                    "| peak RSS <= 1 GiB ({key}) | {} | {} MiB | {} |",
                    sz.n,
                    show(rss, ""),
                    verdict(rss.map(|x| x <= 1024.0))
                );
            }
        }
    }
    let at = |n: usize| sizes.iter().find(|sz| sz.n == n);
    if let (Some(a), Some(b)) = (at(100_000), at(1_000_000)) {
        for key in ["ours_validate", "ours_release"] {
            let r = ratio(b.get(key).map(|r| r.wall_s), a.get(key).map(|r| r.wall_s));
            let _ = writeln!(
                s,
                "| 1M <= 10.5x the 100k time ({key}) | 1000000 | {} | {} |",
                show(r, "x"),
                verdict(r.map(|x| x <= 10.5))
            );
        }
    }
    for (what, target, l) in lsp {
        let _ = writeln!(
            s,
            "| `diplomacy lsp`: diagnostics after an edit, p95 <= {target:.0} ms | {what} | median {} ms, p95 {} ms over {} edits | {} |",
            f(l.median_ms),
            f(l.p95_ms),
            l.edits,
            verdict(Some(l.p95_ms <= *target))
        );
    }
    s.push_str(&crate::growth::targets(growth));
    match cold {
        Some(c) => {
            let _ = writeln!(
                s,
                "| first `cargo xtask release` on a fresh clone <= 3 min | | {} s (build {} s, release {} s) | {} |",
                f(c.build_s + c.release_s),
                f(c.build_s),
                f(c.release_s),
                verdict(Some(c.build_s + c.release_s <= 180.0))
            );
        }
        None => {
            let _ = writeln!(
                s,
                "| first `cargo xtask release` on a fresh clone <= 3 min | | not run here (`cargo xtask bench --build`) | not measured |"
            );
        }
    }
    s
}
