//! Checking a dataset as the editor has it: the validator reads the open documents' texts
//! in place of their files, and one validation [`Session`] per dataset directory checks
//! again only what an edit can change.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use diplomacy_validate::{Diagnostic, Options, Session};

/// The validation session of one dataset directory.
#[derive(Debug)]
pub(crate) struct Checker {
    dir: PathBuf,
    session: Session,
}

/// Every file name of a dataset directory the validator reads as TOML.
pub(crate) fn toml_files() -> impl Iterator<Item = &'static str> {
    std::iter::once("dataset.toml").chain(diplomacy_model::AUTHORING_FILES.iter().map(|(f, _)| *f))
}

impl Checker {
    /// A checker of the dataset directory `dir`, with `options`.
    pub(crate) fn new(dir: &Path, options: &Options) -> Self {
        Self {
            dir: dir.to_path_buf(),
            session: Session::new(options.clone()),
        }
    }

    /// Validates the dataset with the texts of `open` (by path) in place of the files.
    pub(crate) fn check(&mut self, open: &HashMap<PathBuf, &str>) -> Vec<Diagnostic> {
        let texts: Vec<(&str, &str)> = toml_files()
            .filter_map(|name| Some((name, *open.get(&self.dir.join(name))?)))
            .collect();
        self.session.validate_open(&self.dir, &texts).diagnostics
    }
}
