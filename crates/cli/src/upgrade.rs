//! `upgrade DIR`: brings a dataset written to an earlier layout up to date without changing
//! its data: every authoring file that lacks a `#:schema` directive gets one, pointing at
//! the dataset's own `schema/`, and the JSON Schema of every authoring file is written there.
//!
//! A file that has a directive keeps it, right or wrong (a wrong one is the curator's to
//! mend: `validate` names it); a file that is empty or absent needs none. Every file is
//! replaced atomically (written beside it, then renamed), and its bytes after the new first
//! line are the bytes it had.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use diplomacy_model::AUTHORING_FILES;
use diplomacy_model::schema::{authoring_schemas, schema_file_name};
use diplomacy_validate::validate_dir;

use crate::{print, shown};

/// What upgrading one dataset did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Upgraded {
    /// The authoring files that got a `#:schema` directive.
    pub directives: Vec<PathBuf>,
    /// The schema files written under `schema/`.
    pub schemas: Vec<PathBuf>,
}

/// Whether `text` (an authoring file) needs a directive: it has content and does not begin
/// with one.
fn lacks_directive(text: &str) -> bool {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    !body.trim().is_empty() && !body.starts_with("#:schema")
}

/// Writes `bytes` to `path` atomically: to a temporary file beside it, flushed, then renamed
/// over it.
fn replace(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = path.with_file_name(format!(".{name}.upgrade-{}", std::process::id()));
    let written = fs::write(&tmp, bytes)
        .and_then(|()| fs::File::open(&tmp)?.sync_all())
        .and_then(|()| fs::rename(&tmp, path));
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written.with_context(|| format!("could not write {}", path.display()))
}

/// Upgrades the dataset in `dir` (see the module docs).
pub fn upgrade(dir: &Path) -> anyhow::Result<Upgraded> {
    let mut done = Upgraded::default();
    let files = std::iter::once("dataset.toml").chain(AUTHORING_FILES.iter().map(|(f, _)| *f));
    for file in files {
        let path = dir.join(file);
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e).with_context(|| format!("could not read {}", path.display())),
        };
        if !lacks_directive(&text) {
            continue;
        }
        let (bom, body) = match text.strip_prefix('\u{feff}') {
            Some(body) => ("\u{feff}", body),
            None => ("", text.as_str()),
        };
        let directive = format!("#:schema schema/{}\n", schema_file_name(file));
        replace(&path, format!("{bom}{directive}{body}").as_bytes())?;
        done.directives.push(path);
    }
    // The schema files, where a directive now points at them or the dataset keeps its own.
    let schema_dir = dir.join("schema");
    if !done.directives.is_empty() || schema_dir.is_dir() {
        fs::create_dir_all(&schema_dir)
            .with_context(|| format!("could not create directory {}", schema_dir.display()))?;
        for (file, schema) in authoring_schemas() {
            let mut text = serde_json::to_string_pretty(&schema)?;
            text.push('\n');
            let path = schema_dir.join(schema_file_name(file));
            if fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
                replace(&path, text.as_bytes())?;
                done.schemas.push(path);
            }
        }
    }
    Ok(done)
}

/// Upgrades every dataset under `root`, then validates each, printing what was done and
/// what is left. Exit 1 where a dataset still has errors.
pub fn run(root: &Path) -> anyhow::Result<ExitCode> {
    let datasets = crate::datasets_under(root)?;
    let mut failed = false;
    for dir in &datasets {
        let done = upgrade(dir)?;
        for path in &done.directives {
            eprintln!("added a #:schema directive to {}", shown(path));
        }
        if !done.schemas.is_empty() {
            eprintln!(
                "wrote {} schema file(s) in {}",
                done.schemas.len(),
                shown(&dir.join("schema"))
            );
        }
        let report = validate_dir(dir);
        print(&report);
        if report.is_valid() {
            eprintln!("{}: up to date", shown(dir));
        } else {
            failed = true;
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
