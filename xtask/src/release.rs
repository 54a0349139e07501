//! `cargo xtask release [DIR] [--out DIR] [--releases DIR] [--force] [--timings]` and `cargo xtask
//! publish`: the `diplomacy release` command, with the workspace's defaults (the dataset
//! under `datasets/`, the output `dist/`, the published `releases/`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::bail;
use diplomacy_cli::display_path;
use diplomacy_validate::find_datasets;

use crate::validate::datasets_root;

/// The only dataset under `datasets/`.
pub(crate) fn the_dataset() -> anyhow::Result<PathBuf> {
    let root = datasets_root(None);
    let mut found = find_datasets(&root)?;
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => bail!("no dataset under {}", display_path(&root).display()),
        _ => bail!(
            "several datasets under {}: name the one to release",
            display_path(&root).display()
        ),
    }
}

pub(crate) fn run(
    dir: Option<&Path>,
    out: Option<&Path>,
    releases: Option<&Path>,
    force: bool,
    timings: bool,
) -> anyhow::Result<ExitCode> {
    let dir = match dir {
        Some(d) => d.to_path_buf(),
        None => the_dataset()?,
    };
    let out = out.map_or_else(|| crate::workspace_root().join("dist"), Path::to_path_buf);
    let releases = crate::validate::releases_root(releases);
    diplomacy_cli::release::run(&dir, &out, force, Some(&releases), timings)
}

/// Publishes the dataset: its release, checked against `releases/`, written into
/// `releases/` itself. A version already published is refused, never replaced.
pub(crate) fn publish(dir: Option<&Path>) -> anyhow::Result<ExitCode> {
    let dir = match dir {
        Some(d) => d.to_path_buf(),
        None => the_dataset()?,
    };
    let releases = crate::validate::releases_root(None);
    diplomacy_cli::release::run(&dir, &releases, false, Some(&releases), false)
}
