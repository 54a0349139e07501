//! `validate DIR`: every problem in every dataset under `DIR`, as `file:line:col`.

use std::path::Path;
use std::process::ExitCode;

use diplomacy_validate::{Options, validate_dir_with};

use crate::{print, shown};

/// Validates every dataset under `root` (a dataset directory, or a directory of them),
/// printing each problem to stderr. Exit 1 where an error is found, or a warning with
/// `deny_warnings`. With `releases`, every id published there must still be a record's or
/// be redirected.
pub fn run(root: &Path, releases: Option<&Path>, deny_warnings: bool) -> anyhow::Result<ExitCode> {
    let datasets = crate::datasets_under(root)?;
    let (mut errors, mut warnings) = (0, 0);
    for dir in &datasets {
        let mut options = Options::default();
        options.keep_records = false;
        options.releases = releases.map(Path::to_path_buf);
        let report = validate_dir_with(dir, &options);
        print(&report);
        errors += report.errors();
        warnings += report.warnings();
        if report.is_valid() {
            let with = match report.warnings() {
                0 => String::new(),
                n => format!(" ({n} warning(s))"),
            };
            eprintln!("{}: ok{with}", shown(dir));
        }
    }
    if errors > 0 || (deny_warnings && warnings > 0) {
        eprintln!("{errors} error(s), {warnings} warning(s) found");
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}
