use std::process::ExitCode;

pub(crate) fn run_stub() -> anyhow::Result<ExitCode> {
    eprintln!("not yet implemented");
    Ok(ExitCode::from(2))
}

pub(crate) fn run(
    _records: usize,
    _out: &std::path::Path,
    _invalid: usize,
    _seed: u64,
) -> anyhow::Result<ExitCode> {
    run_stub()
}
