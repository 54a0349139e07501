//! Checking a dataset as the editor has it: the open documents' texts are written into a
//! private copy of the dataset directory (the other authoring files copied, the archived
//! texts under `sources/` hard-linked, or copied where they cannot be), the validator runs
//! there, and its diagnostics are brought back to the real paths.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use diplomacy_validate::{Diagnostic, Options, validate_dir_with};

/// The private copy of one dataset directory, removed when dropped.
#[derive(Debug)]
pub(crate) struct Mirror {
    real: PathBuf,
    copy: tempfile::TempDir,
}

/// Every file name of a dataset directory the validator reads as TOML.
pub(crate) fn toml_files() -> impl Iterator<Item = &'static str> {
    std::iter::once("dataset.toml").chain(diplomacy_model::AUTHORING_FILES.iter().map(|(f, _)| *f))
}

impl Mirror {
    /// A new, empty copy of the dataset directory `real`.
    pub(crate) fn new(real: &Path) -> std::io::Result<Self> {
        let copy = tempfile::Builder::new()
            .prefix("diplomacy-lsp-")
            .tempdir()?;
        Ok(Self {
            real: real.to_path_buf(),
            copy,
        })
    }

    /// Validates the dataset with the texts of `open` (by real path) in place of the files.
    pub(crate) fn check(
        &self,
        open: &HashMap<PathBuf, &str>,
        options: &Options,
    ) -> std::io::Result<Vec<Diagnostic>> {
        self.sync(open)?;
        let report = validate_dir_with(self.copy.path(), options);
        let mut out = report.diagnostics;
        for d in &mut out {
            d.path = self.back(&d.path);
            for l in &mut d.labels {
                l.path = self.back(&l.path);
            }
        }
        Ok(out)
    }

    /// A path of the copy as the real directory's.
    fn back(&self, path: &Path) -> PathBuf {
        path.strip_prefix(self.copy.path())
            .map_or_else(|_| path.to_path_buf(), |rest| self.real.join(rest))
    }

    /// Makes the copy what the editor sees: each TOML file from its open text or the disk,
    /// and `sources/` linked file by file.
    fn sync(&self, open: &HashMap<PathBuf, &str>) -> std::io::Result<()> {
        let copy = self.copy.path();
        for name in toml_files() {
            let (real, to) = (self.real.join(name), copy.join(name));
            // Never write through a link to the real file: the old copy goes first.
            remove(&to)?;
            if let Some(text) = open.get(&real) {
                std::fs::write(&to, text)?;
            } else {
                mirror_entry(&real, &to)?;
            }
        }
        sync_dir(&self.real.join("sources"), &copy.join("sources"), 0)
    }
}

fn remove(path: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Copies one entry: a regular file by a hard link or else a copy; anything else (a FIFO, a
/// device, a link) as a symbolic link to the real path, so the validator reports what it is
/// without this copy reading it.
fn mirror_entry(real: &Path, to: &Path) -> std::io::Result<()> {
    let meta = match std::fs::symlink_metadata(real) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    if meta.is_file() {
        if std::fs::hard_link(real, to).is_err() {
            std::fs::copy(real, to)?;
        }
        return Ok(());
    }
    #[cfg(unix)]
    std::os::unix::fs::symlink(real, to)?;
    Ok(())
}

/// Mirrors the directory `real` into `to`: entries already linked to the same file are kept,
/// the others replaced, those gone removed. Directories are followed a few levels deep.
fn sync_dir(real: &Path, to: &Path, depth: usize) -> std::io::Result<()> {
    let entries = match std::fs::read_dir(real) {
        Ok(e) => e,
        Err(_) => return remove(to),
    };
    if !to.is_dir() {
        remove(to)?;
        std::fs::create_dir_all(to)?;
    }
    let mut seen = std::collections::HashSet::new();
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        let (from, dest) = (entry.path(), to.join(&name));
        seen.insert(name);
        let meta = std::fs::symlink_metadata(&from)?;
        if meta.is_dir() {
            if depth < 4 {
                sync_dir(&from, &dest, depth + 1)?;
            }
            continue;
        }
        if meta.is_file() && same_file(&meta, &dest) {
            continue;
        }
        remove(&dest)?;
        mirror_entry(&from, &dest)?;
    }
    for entry in std::fs::read_dir(to)? {
        let entry = entry?;
        if !seen.contains(&entry.file_name()) {
            remove(&entry.path())?;
        }
    }
    Ok(())
}

/// Whether `dest` is a regular file with the same contents as the one `meta` describes: the
/// same inode (a hard link), or a copy of the same size and modification time.
fn same_file(meta: &std::fs::Metadata, dest: &Path) -> bool {
    let Ok(d) = std::fs::symlink_metadata(dest) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        if d.ino() == meta.ino() && d.dev() == meta.dev() {
            return true;
        }
    }
    d.is_file() && d.len() == meta.len() && d.modified().ok() == meta.modified().ok()
}
