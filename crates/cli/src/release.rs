//! `release DIR --out OUT [--releases DIR] [--force]`: validate, check the version against the
//! published releases, then write the release, all or nothing.

use std::path::Path;
use std::process::ExitCode;

use diplomacy_publish::{ReleaseOptions, release};
use diplomacy_validate::{Options, validate_dir_with};

use crate::{display_path, interrupt_flag, print};

/// Validates the dataset in `dir` and writes its release under `out`. Exit 1 where the
/// dataset has problems or the release is refused (it exists, the target is not a release,
/// another run holds `out`, the version is published or too low for the changes since the
/// latest release under `releases`); 130 when interrupted; 2 where writing fails.
pub fn run(
    dir: &Path,
    out: &Path,
    force: bool,
    releases: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let cancel = interrupt_flag();
    let mut validate = Options::default();
    validate.releases = releases.map(Path::to_path_buf);
    let report = validate_dir_with(dir, &validate);
    print(&report);
    let Some(valid) = report.into_valid() else {
        eprintln!("validation failed: nothing was written");
        return Ok(ExitCode::FAILURE);
    };
    let mut options = ReleaseOptions::new(out);
    options.force = force;
    options.cancel = Some(cancel);
    options.releases = releases.map(Path::to_path_buf);
    match release(valid, &options) {
        Ok(path) => {
            println!("{}", display_path(&path).display());
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            // The message names the path and the operation, and the cause.
            eprintln!("error: {e}");
            Ok(match e {
                diplomacy_publish::Error::Cancelled => ExitCode::from(130),
                e if e.is_refusal() => ExitCode::FAILURE,
                _ => ExitCode::from(2),
            })
        }
    }
}
