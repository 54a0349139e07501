//! `cargo xtask validate [DIR]`: the `diplomacy validate` command, over `datasets/` by default.

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

pub(crate) fn run(dir: Option<&Path>) -> anyhow::Result<ExitCode> {
    diplomacy::validate::run(&datasets_root(dir))
}
