//! `cargo xtask validate [DIR]`: every problem in every dataset, as `file:line:col`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use diplomacy_validate::{Options, Report, find_datasets, validate_dir_with};

use crate::workspace_root;

/// `dir` as given (relative to the current directory), or `datasets/` of the workspace.
pub(crate) fn datasets_root(dir: Option<&Path>) -> PathBuf {
    match dir {
        Some(d) => d.to_path_buf(),
        None => workspace_root().join("datasets"),
    }
}

/// A path as short as it can be shown: relative to the current directory where it lies
/// under it.
pub(crate) fn display_path(path: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(&cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
}

/// Prints a report's diagnostics to stderr, with paths shortened.
pub(crate) fn print(report: &Report) {
    for d in &report.diagnostics {
        let mut d = d.clone();
        d.path = display_path(&d.path);
        eprintln!("{d}");
    }
}

pub(crate) fn run(dir: Option<&Path>) -> anyhow::Result<ExitCode> {
    let root = datasets_root(dir);
    let datasets = find_datasets(&root)
        .with_context(|| format!("reading {}", display_path(&root).display()))?;
    if datasets.is_empty() {
        anyhow::bail!(
            "no dataset under {}: a dataset directory holds a dataset.toml",
            display_path(&root).display()
        );
    }
    let mut problems = 0;
    for dir in &datasets {
        let mut options = Options::default();
        options.keep_records = false;
        let report = validate_dir_with(dir, &options);
        print(&report);
        problems += report.diagnostics.len();
        if report.is_valid() {
            let shown = display_path(dir).display().to_string();
            eprintln!("{}: ok", diplomacy_validate::escape_controls(&shown));
        }
    }
    if problems > 0 {
        eprintln!("{problems} problem(s) found");
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}
