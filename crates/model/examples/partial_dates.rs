//! Partial dates: parse, inspect, sort.
//!
//! `cargo run -p diplomacy-model --example partial_dates`

use diplomacy_model::{DateError, PartialDate};

fn main() -> Result<(), DateError> {
    let mut dates: Vec<PartialDate> = ["1998-02-26", "1997-07/1997-12", "1998", "1998-02"]
        .iter()
        .map(|s| s.parse())
        .collect::<Result<_, _>>()?;
    dates.sort();
    for d in &dates {
        println!(
            "{d:<16} {:<6} {} .. {}",
            d.precision(),
            d.first_day(),
            d.last_day()
        );
    }
    match "2019-02-29".parse::<PartialDate>() {
        Err(e) => println!("rejected: {e}"),
        Ok(d) => println!("unexpectedly accepted {d}"),
    }
    Ok(())
}
