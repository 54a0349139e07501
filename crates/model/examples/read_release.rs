//! Reads a release directory into typed records and prints a summary.
//!
//! `cargo run -p diplomacy-model --example read_release -- dist/japan-eurasia-diplomacy-0.1.0`

use diplomacy_model::{Dataset, Format, VisitLevel};

fn main() -> std::process::ExitCode {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: read_release <release directory>");
        return std::process::ExitCode::from(2);
    };
    match run(&dir) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // e.g. "dist: not a release directory: it has no datapackage.json; the releases
            // inside it: dist/japan-eurasia-diplomacy-0.1.0"
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(dir: &str) -> Result<(), diplomacy_model::Error> {
    let data = Dataset::read_release(dir, Format::Csv)?;
    println!(
        "{} countries, {} people, {} sources, {} visits, {} meetings, {} recognitions, {} disputes, {} dispute events",
        data.countries.len(),
        data.people.len(),
        data.sources.len(),
        data.visits.len(),
        data.meetings.len(),
        data.recognitions.len(),
        data.disputes.len(),
        data.dispute_events.len()
    );
    for v in data
        .visits
        .iter()
        .filter(|v| v.level == VisitLevel::HeadOfState)
    {
        // Look the host country up by its id (an ISO 3166 alpha-3 code), where the source
        // names one.
        let host = v.host_country.as_ref().map_or("(not stated)", |code| {
            data.country(code.as_str())
                .map_or(code.as_str(), |c| c.name.as_str())
        });
        println!(
            "{:<16} {} -> {}  {}",
            v.date, v.guest_country, host, v.summary
        );
        for c in &v.evidence {
            println!("    \"{}\" ({})", c.quote, c.source);
        }
    }
    Ok(())
}
