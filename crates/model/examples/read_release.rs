//! Reads a release directory into typed records and prints a summary.
//!
//! `cargo run -p diplomacy-model --example read_release -- dist/japan-eurasia-diplomacy-0.1.0`

use diplomacy_model::{Dataset, VisitLevel};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .ok_or("usage: read_release <release directory>")?;
    let data = Dataset::read_release(&dir)?;
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
        println!(
            "{:<16} {} -> {}  {}",
            v.date, v.guest_country, v.host_country, v.summary
        );
        for c in &v.evidence {
            println!("    \"{}\" ({})", c.quote, c.source);
        }
    }
    Ok(())
}
