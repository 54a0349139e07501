//! `validate DIR`: every problem in every dataset under `DIR`, as `file:line:col`.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use diplomacy_validate::{Options, find_datasets, validate_dir_with};

use crate::{display_path, print};

/// Validates every dataset under `root` (a dataset directory, or a directory of them),
/// printing each problem to stderr. Exit 1 where any is found. With `releases`, every id
/// published there must still be a record's or be redirected.
pub fn run(root: &Path, releases: Option<&Path>) -> anyhow::Result<ExitCode> {
    let datasets = find_datasets(root)
        .with_context(|| format!("could not read directory {}", display_path(root).display()))?;
    if datasets.is_empty() {
        anyhow::bail!(
            "no dataset under {}: a dataset directory holds a dataset.toml (create one with `diplomacy new DIR`)",
            display_path(root).display()
        );
    }
    let mut problems = 0;
    for dir in &datasets {
        let mut options = Options::default();
        options.keep_records = false;
        options.releases = releases.map(Path::to_path_buf);
        let report = validate_dir_with(dir, &options);
        print(&report);
        problems += report.diagnostics.len();
        if report.is_valid() {
            eprintln!("{}: ok", display_path(dir).display());
        }
    }
    if problems > 0 {
        eprintln!("{problems} problem(s) found");
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}
