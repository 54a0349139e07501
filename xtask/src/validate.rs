//! `cargo xtask validate [DIR] [--releases DIR]`: the `diplomacy validate` command, over
//! `datasets/` and against the published `releases/` by default; `--deny-warnings` makes
//! warnings fail too.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::workspace_root;

/// `dir` as given (relative to the current directory), or `datasets/` of the workspace.
pub(crate) fn datasets_root(dir: Option<&Path>) -> PathBuf {
    match dir {
        Some(d) => d.to_path_buf(),
        None => workspace_root().join("datasets"),
    }
}

/// `dir` as given, or the workspace's `releases/`.
pub(crate) fn releases_root(dir: Option<&Path>) -> PathBuf {
    dir.map_or_else(|| workspace_root().join("releases"), Path::to_path_buf)
}

pub(crate) fn run(
    dir: Option<&Path>,
    releases: Option<&Path>,
    deny_warnings: bool,
) -> anyhow::Result<ExitCode> {
    diplomacy_cli::validate::run(
        &datasets_root(dir),
        Some(&releases_root(releases)),
        deny_warnings,
    )
}
