//! `diplomacy`: scaffold, validate and release a dataset directory.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[global_allocator]
static GLOBAL: diplomacy_cli::alloc::Allocator = diplomacy_cli::alloc::Allocator;

/// Scaffold, validate and release datasets of diplomatic visits, meetings, recognitions,
/// statements and disputes, each record proved by a verbatim quote from an archived source.
#[derive(Debug, Parser)]
#[command(name = "diplomacy", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check a dataset: schema, then rules. Prints each problem as
    /// `file:line:col: error[CODE]: message` (or `warning[CODE]`); exits 1 on any error.
    Validate {
        /// A dataset directory (holding dataset.toml), or a directory of datasets.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// A directory of published releases: every id they published must still be a
        /// record's or be redirected in redirects.toml.
        #[arg(long)]
        releases: Option<PathBuf>,
        /// Exit 1 on warnings too (for CI).
        #[arg(long)]
        deny_warnings: bool,
    },
    /// List each source's sentences and how each is accounted for (cited by records, or
    /// excused with a reason): by default only those left to cite or excuse, as
    /// `path:line:col`. Exits 1 while any is left.
    Ledger {
        /// The dataset directory.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Only this source (its id).
        #[arg(long)]
        source: Option<String>,
        /// Every sentence, with the records that cite it or the reason it is excused.
        #[arg(long)]
        all: bool,
    },
    /// Bring a dataset written to an earlier layout up to date without changing its data:
    /// add the missing `#:schema` directives and write the schema files under `schema/`.
    Upgrade {
        /// A dataset directory (holding dataset.toml), or a directory of datasets.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Validate, then write the release to `<out>/<name>-<version>/`, all or nothing.
    Release {
        /// The dataset directory.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The directory the release is written in.
        #[arg(long, default_value = "dist")]
        out: PathBuf,
        /// Replace an existing release of the same version (only a release of this dataset).
        #[arg(long)]
        force: bool,
        /// A directory of published releases: the version must be above the latest by as
        /// much as the changes need, and the changelog lists them.
        #[arg(long)]
        releases: Option<PathBuf>,
        /// Print how long validating and writing took, and the processor time of each part
        /// of the writing: CSV, Parquet, SQLite (stderr).
        #[arg(long)]
        timings: bool,
    },
    /// Show what changed between two versions: records added, removed, redirected and
    /// changed field by field, per table. Each side is a release or a dataset directory.
    Diff {
        /// The older version.
        old: PathBuf,
        /// The newer version.
        new: PathBuf,
        /// Print JSON instead of Markdown.
        #[arg(long)]
        json: bool,
    },
    /// Serve the dataset to an editor: a Language Server Protocol server over stdin and
    /// stdout, with every rule checked as you type, completion of ids, hover, go to
    /// definition and quick fixes. Logs go to stderr.
    Lsp {
        /// A dataset directory, or a directory of datasets (default: the editor's workspace
        /// folder, else the current directory). A file opened elsewhere is served with the
        /// dataset it belongs to.
        dir: Option<PathBuf>,
        /// A directory of published releases: every id they published must still be a
        /// record's or be redirected (as `validate --releases`).
        #[arg(long)]
        releases: Option<PathBuf>,
    },
    /// Create a minimal dataset that validates, to start from.
    New {
        /// The directory to create (it must not exist, or be empty).
        dir: PathBuf,
        /// The dataset's machine name (default: from the directory's name).
        #[arg(long)]
        name: Option<String>,
    },
}

fn main() -> ExitCode {
    let _scenario = diplomacy_cli::failpoints();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Validate {
            dir,
            releases,
            deny_warnings,
        } => diplomacy_cli::validate::run(&dir, releases.as_deref(), deny_warnings),
        Command::Ledger { dir, source, all } => {
            diplomacy_cli::ledger::run(&dir, source.as_deref(), all)
        }
        Command::Upgrade { dir } => diplomacy_cli::upgrade::run(&dir),
        Command::Release {
            dir,
            out,
            force,
            releases,
            timings,
        } => diplomacy_cli::release::run(&dir, &out, force, releases.as_deref(), timings),
        Command::Diff { old, new, json } => diplomacy_cli::diff::run(&old, &new, json),
        Command::Lsp { dir, releases } => {
            diplomacy_cli::lsp::run(dir.as_deref(), releases.as_deref())
        }
        Command::New { dir, name } => diplomacy_cli::new::run(&dir, name.as_deref()),
    };
    diplomacy_cli::exit(result)
}
