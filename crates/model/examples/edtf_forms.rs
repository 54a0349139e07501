//! Every supported date form, written as a release writes it and read back.
//!
//! Writes one visit per form to `OUT/csv/` and `OUT/parquet/` (the release's CSV and Parquet
//! writers, so `date_min`, `date_max`, `date_precision` and `date_certainty` are as a release
//! publishes them), reads both back, and fails unless every date comes back unchanged. The
//! Python reader tests (`tests/python/test_edtf.py`) check the written bounds against the
//! `edtf` package.
//!
//! `cargo run -p diplomacy-model --features parquet --example edtf_forms -- OUT`

use diplomacy_model::parquet::ParquetOptions;
use diplomacy_model::{Dataset, Visit};

/// One date of each supported form.
const FORMS: &[&str] = &[
    "1998",
    "1998-02",
    "1998-02-26",
    "2000-02",
    "1998?",
    "1998~",
    "1998%",
    "1998-02?",
    "1998-02~",
    "1998-02-26%",
    "199X",
    "19XX",
    "199X?",
    "1998-XX",
    "1998-XX-XX",
    "1998-02-XX",
    "1997-07/1997-12",
    "1997/1998-02-26",
    "1997?/1998~",
    "1997-07-01%/1997-08",
    "1997-07/..",
    "1997-07?/..",
    "../1998",
    "../1998-02-26~",
    "1997-07/",
    "/1998",
    "/1998-02?",
    "[1997-07..]",
    "[1997-07-15..]",
    "[..1960]",
    "[..1960-06]",
    "0001",
    "9999-12-31",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args()
        .nth(1)
        .ok_or("usage: edtf_forms <output directory>")?;
    let out = std::path::Path::new(&out);
    let mut data = Dataset::default();
    for (i, form) in FORMS.iter().enumerate() {
        let visit: Visit = toml::from_str(&format!(
            r#"
            id = "form-{i:02}"
            date = {form:?}
            guest_country = "AZE"
            host_country = "JPN"
            guest_office = "President"
            level = "head_of_state"
            summary = "A visit dated {form}."
            "#
        ))?;
        data.visits.push(visit);
    }
    std::fs::create_dir_all(out.join("csv"))?;
    std::fs::create_dir_all(out.join("parquet"))?;
    data.write_csv_dir(out.join("csv"))?;
    data.write_parquet_dir(out.join("parquet"), &ParquetOptions::default())?;
    let from_csv = Dataset::read_csv_dir(out.join("csv"))?;
    let from_parquet = Dataset::read_parquet_dir(out.join("parquet"))?;
    for (name, back) in [("CSV", from_csv), ("Parquet", from_parquet)] {
        if back.visits != data.visits {
            return Err(
                format!("the dates read back from {name} differ from those written").into(),
            );
        }
    }
    println!(
        "{} date forms written to {} and read back",
        FORMS.len(),
        out.display()
    );
    Ok(())
}
