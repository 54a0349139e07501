//! The project's task runner: `cargo xtask <command>`.

mod bench;
mod growth;
mod lsp_bench;
mod release;
mod schema;
mod synth;
mod tidy;
mod validate;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

// The `diplomacy` binary's allocator, so that what is measured is what users run.
#[global_allocator]
static GLOBAL: diplomacy_cli::alloc::Allocator = diplomacy_cli::alloc::Allocator;

/// Tasks for the Japan–Eurasia diplomacy dataset and its crates.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check every authoring file: schema, then rules. Prints each problem as
    /// `file:line:col: error[CODE]: message`; exits 1 if any.
    Validate {
        /// A dataset directory, or a directory of datasets (default: `datasets/`).
        dir: Option<PathBuf>,
        /// The published releases whose ids must not break (default: `releases/`).
        #[arg(long)]
        releases: Option<PathBuf>,
        /// Exit 1 on warnings too.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Validate, then write the release to `dist/<name>-<version>/` (or under `--out`).
    Release {
        /// The dataset directory (default: the only dataset under `datasets/`).
        dir: Option<PathBuf>,
        /// The directory the release is written under (default: `dist/`).
        #[arg(long)]
        out: Option<PathBuf>,
        /// The published releases the version is checked against (default: `releases/`).
        #[arg(long)]
        releases: Option<PathBuf>,
        /// Replace an existing release of the same version.
        #[arg(long)]
        force: bool,
        /// Print how long validating and writing took (stderr).
        #[arg(long)]
        timings: bool,
    },
    /// Publish: release the dataset into `releases/`, checked against the versions there;
    /// a version already published is refused.
    Publish {
        /// The dataset directory (default: the only dataset under `datasets/`).
        dir: Option<PathBuf>,
    },
    /// Show what changed between two versions (release or dataset directories): records
    /// added, removed, redirected and changed field by field, per table.
    Diff {
        /// The older version.
        old: PathBuf,
        /// The newer version.
        new: PathBuf,
        /// Print JSON instead of Markdown.
        #[arg(long)]
        json: bool,
    },
    /// Regenerate the JSON Schema files under `schema/` from the model.
    Schema {
        /// Do not write; exit 1 where the committed files differ from the model.
        #[arg(long)]
        check: bool,
    },
    /// Write a deterministic synthetic dataset in the authoring layout.
    Synth {
        /// About how many records to write, across all tables.
        #[arg(long)]
        records: usize,
        /// The dataset directory to create.
        #[arg(long)]
        out: PathBuf,
        /// Plant this many known faults.
        #[arg(long, default_value_t = 0)]
        invalid: usize,
        /// The random seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Benchmark `validate` and `release` against Python, Polars and DuckDB on synthetic
    /// datasets; writes `BENCHMARKS.md`.
    Bench {
        /// The dataset sizes, in records.
        #[arg(long, num_args = 1.., default_values_t = [10_000, 100_000, 1_000_000])]
        records: Vec<usize>,
        /// The working directory for datasets and outputs (default: `target/bench/`).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Skip a Python measurement estimated to take longer than this many seconds.
        #[arg(long, default_value_t = bench::PYTHON_BUDGET_S)]
        python_budget: f64,
        /// Also time a first build of xtask from nothing and its first release (several
        /// minutes; the build goes to a fresh target directory under the working directory).
        #[arg(long)]
        build: bool,
        /// Only the growth benchmark (`diplomacy validate` on datasets grown to n and 10n
        /// along each input dimension that was once quadratic): print its table, under a
        /// minute; `BENCHMARKS.md` is not rewritten.
        #[arg(long)]
        growth_only: bool,
        /// Only the language server's latency, on the curated dataset and on each synthetic
        /// dataset of `--records` already on disk: print its table; `BENCHMARKS.md` is not
        /// rewritten.
        #[arg(long)]
        lsp_only: bool,
    },
}

/// The workspace root, whatever the current directory.
///
/// `cargo xtask` (that is, `cargo run`) sets `CARGO_MANIFEST_DIR` for the run, and that is
/// used first: a build shared through `CARGO_TARGET_DIR` with another checkout (a fresh
/// clone's test) is not rebuilt, and the path compiled into it may be that checkout's, since
/// deleted. Run directly, the binary falls back to the path it was built from.
pub(crate) fn workspace_root() -> PathBuf {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    manifest
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

fn main() -> ExitCode {
    let _scenario = diplomacy_cli::failpoints();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Validate {
            dir,
            releases,
            deny_warnings,
        } => validate::run(dir.as_deref(), releases.as_deref(), deny_warnings),
        Command::Release {
            dir,
            out,
            releases,
            force,
            timings,
        } => release::run(
            dir.as_deref(),
            out.as_deref(),
            releases.as_deref(),
            force,
            timings,
        ),
        Command::Publish { dir } => release::publish(dir.as_deref()),
        Command::Diff { old, new, json } => diplomacy_cli::diff::run(&old, &new, json),
        Command::Schema { check } => schema::run(check),
        Command::Synth {
            records,
            out,
            invalid,
            seed,
        } => synth::run(records, &out, invalid, seed),
        Command::Bench {
            records,
            out,
            python_budget,
            build,
            growth_only,
            lsp_only,
        } => {
            if growth_only {
                bench::growth_only(out.as_deref())
            } else if lsp_only {
                bench::lsp_only(&records, out.as_deref())
            } else {
                bench::run(&records, out.as_deref(), python_budget, build)
            }
        }
    };
    diplomacy_cli::exit(result)
}
