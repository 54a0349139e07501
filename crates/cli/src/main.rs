//! `diplomacy`: scaffold, validate and release a dataset directory.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    /// `file:line:col: error[CODE]: message`; exits 1 if any.
    Validate {
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
    let _scenario = diplomacy::failpoints();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Validate { dir } => diplomacy::validate::run(&dir),
        Command::Release { dir, out, force } => diplomacy::release::run(&dir, &out, force),
        Command::New { dir, name } => diplomacy::new::run(&dir, name.as_deref()),
    };
    diplomacy::exit(result)
}
