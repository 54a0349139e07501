//! Partial dates: parse, inspect, sort.
//!
//! `cargo run -p diplomacy-model --example partial_dates`

use diplomacy_model::{DateError, PartialDate};

fn main() -> Result<(), DateError> {
    let mut dates: Vec<PartialDate> = [
        "1998-02-26",
        "1997-07/1997-12",
        "1998",
        "1998-02~",
        "199X",
        "1997-07/..",
        "[..1960]",
    ]
    .iter()
    .map(|s| s.parse())
    .collect::<Result<_, _>>()?;
    dates.sort();
    let day = |d: Option<chrono::NaiveDate>| d.map_or_else(|| "..".to_owned(), |d| d.to_string());
    for d in &dates {
        println!(
            "{d:<16} {:<8} {:<12} {} .. {}",
            d.precision(),
            d.certainty(),
            day(d.min_day()),
            day(d.max_day())
        );
    }
    for bad in ["2019-02-29", "0000", "1998-02-26/1998-02-26"] {
        match bad.parse::<PartialDate>() {
            Err(e) => println!("rejected: {e}"),
            Ok(d) => println!("unexpectedly accepted {d}"),
        }
    }
    Ok(())
}
