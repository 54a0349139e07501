//! `release DIR --out OUT [--releases DIR] [--force]`: validate, check the version against the
//! published releases, then write the release, all or nothing.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use diplomacy_publish::{ReleaseOptions, release};
use diplomacy_validate::{Options, validate_dir_with};

use crate::{interrupt_flag, print, shown};

/// Returns to the start of the line and clears it (ANSI), for a status line on a terminal.
const CLEAR_LINE: &str = "\r\x1b[2K";

/// Prints where a release is, on one status line of a terminal.
fn show_progress(p: &diplomacy_publish::Progress) {
    eprint!(
        "{CLEAR_LINE}writing table {} ({} rows; {} tables done)",
        p.table, p.rows, p.done
    );
}

/// Validates the dataset in `dir` and writes its release under `out`. Exit 1 where the
/// dataset has problems or the release is refused (it exists, the target is not a release,
/// another run holds `out`, the version is published or too low for the changes since the
/// latest release under `releases`); 130 when interrupted; 2 where writing fails. With
/// `timings`, prints how long validating and writing took to stderr, and the processor time
/// of each part of the writing ([`diplomacy_publish::Timings`]).
pub fn run(
    dir: &Path,
    out: &Path,
    force: bool,
    releases: Option<&Path>,
    timings: bool,
) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let cancel = interrupt_flag();
    // On a terminal, say what is happening; in a log, stay quiet.
    let terminal = std::io::stderr().is_terminal();
    if terminal {
        eprint!("validating {}…", shown(dir));
    }
    let mut validate = Options::default();
    validate.releases = releases.map(Path::to_path_buf);
    let report = validate_dir_with(dir, &validate);
    if terminal {
        eprint!("{CLEAR_LINE}");
    }
    print(&report);
    let Some(valid) = report.into_valid() else {
        eprintln!("validation failed: nothing was written");
        return Ok(ExitCode::FAILURE);
    };
    let mut options = ReleaseOptions::new(out);
    options.force = force;
    options.cancel = Some(cancel);
    options.releases = releases.map(Path::to_path_buf);
    if terminal {
        options.progress = Some(show_progress);
    }
    let parts = timings.then(|| std::sync::Arc::new(diplomacy_publish::Timings::default()));
    options.timings = parts.clone();
    let validated = started.elapsed();
    let released = release(valid, &options);
    if let Some(parts) = parts {
        eprintln!(
            "timings: validate {:.3} s, write {:.3} s",
            validated.as_secs_f64(),
            (started.elapsed() - validated).as_secs_f64()
        );
        let parts: Vec<String> = parts
            .parts()
            .iter()
            .map(|(part, time)| format!("{part} {:.3} s", time.as_secs_f64()))
            .collect();
        eprintln!(
            "timings of the write's parts (processor): {}",
            parts.join(", ")
        );
    }
    if terminal {
        eprint!("{CLEAR_LINE}");
    }
    match released {
        Ok(path) => {
            println!("{}", shown(&path));
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
