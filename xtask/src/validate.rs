use std::process::ExitCode;

pub(crate) fn run_stub() -> anyhow::Result<ExitCode> {
    eprintln!("not yet implemented");
    Ok(ExitCode::from(2))
}

pub(crate) fn run(_dir: Option<&std::path::Path>) -> anyhow::Result<ExitCode> {
    run_stub()
}
