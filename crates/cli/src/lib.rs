//! The commands of the `diplomacy` tool, as a library, so that the workspace's `cargo xtask`
//! runs exactly the same code: [`validate::run`], [`release::run`], [`diff::run`], [`new::run`],
//! [`upgrade::run`], and the language server, [`lsp::run`].
//!
//! Exit codes: 0 success; 1 the dataset has problems, or the release was refused; 2 the
//! command could not run (bad arguments, an I/O failure); 3 it ran out of memory
//! ([`alloc::EXIT_OUT_OF_MEMORY`]); 130 a release was interrupted.
#![deny(missing_docs)]

pub mod alloc;
pub mod diff;
pub mod ledger;
pub mod lsp;
pub mod new;
pub mod release;
pub mod upgrade;
pub mod validate;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use diplomacy_validate::Report;

/// A path as short as it can be shown: relative to the current directory where it lies
/// under it.
pub fn display_path(path: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(&cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
}

/// The dataset directories under `root` (itself, or the directories holding a
/// `dataset.toml` below it); none is an error that says how to make one.
pub fn datasets_under(root: &Path) -> anyhow::Result<Vec<PathBuf>> {
    use anyhow::Context as _;
    let datasets = diplomacy_validate::find_datasets(root)
        .with_context(|| format!("could not read directory {}", shown(root)))?;
    if datasets.is_empty() {
        anyhow::bail!(
            "no dataset under {}: a dataset directory holds a dataset.toml (create one with `diplomacy new DIR`)",
            shown(root)
        );
    }
    Ok(datasets)
}

/// A path as the terminal is shown it: shortened ([`display_path`]), and with its control
/// characters escaped, so a hostile directory name cannot drive the terminal.
pub fn shown(path: &Path) -> String {
    diplomacy_validate::escape_controls(&display_path(path).display().to_string()).into_owned()
}

/// Prints a report's diagnostics to stderr, with paths shortened.
pub fn print(report: &Report) {
    for d in &report.diagnostics {
        let mut d = d.clone();
        d.path = display_path(&d.path);
        eprintln!("{d}");
    }
}

/// Turns a command's outcome into the process's exit code, printing an error.
pub fn exit(result: anyhow::Result<ExitCode>) -> ExitCode {
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!(
                "error: {}",
                diplomacy_validate::escape_controls(&format!("{e:#}"))
            );
            ExitCode::from(2)
        }
    }
}

/// Sets up the fail points named in the `FAILPOINTS` environment variable (with the
/// `failpoints` feature; otherwise nothing). Keep the value alive for the run.
#[must_use]
pub fn failpoints() -> impl Sized {
    #[cfg(feature = "failpoints")]
    {
        fail::FailScenario::setup()
    }
}

/// A flag set by Ctrl-C (SIGINT) or SIGTERM, for a long command to stop cleanly at its next
/// step. A second signal ends the process at once (exit 130), leaving what the next run
/// cleans up.
pub fn interrupt_flag() -> std::sync::Arc<std::sync::atomic::AtomicBool> {
    let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    #[cfg(unix)]
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        // The order matters: the conditional shutdown sees the flag before this signal sets it.
        let _ = signal_hook::flag::register_conditional_shutdown(signal, 130, flag.clone());
        let _ = signal_hook::flag::register(signal, flag.clone());
    }
    flag
}
