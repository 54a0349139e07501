//! `diff OLD NEW [--json]`: what changed between two versions of a dataset, each a release
//! directory or a dataset directory.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use diplomacy_publish::{Snapshot, diff, markdown_text};

use crate::shown;

/// Prints the changes from `old` to `new` to stdout: Markdown, or JSON with `json`.
/// Exit 0 whether or not anything changed; 2 where a side cannot be read.
pub fn run(old: &Path, new: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let read = |p: &Path| Snapshot::read(p).with_context(|| format!("could not read {}", shown(p)));
    let (old, new) = (read(old)?, read(new)?);
    let changes = diff(&old, &new);
    if json {
        print!("{}", changes.to_json()?);
    } else {
        println!(
            "# Changes from {} {} to {} {}\n",
            markdown_text(&old.name),
            markdown_text(&old.version),
            markdown_text(&new.name),
            markdown_text(&new.version)
        );
        print!("{}", changes.to_markdown(2));
    }
    Ok(ExitCode::SUCCESS)
}
