//! The data licence: its Data Package entry and the `LICENSE` file.

use serde_json::{Value, json};

/// The Data Package `licenses` entry of an SPDX identifier.
pub(crate) fn license_json(spdx: &str) -> Value {
    match spdx {
        "CC-BY-4.0" => json!({
            "name": "CC-BY-4.0",
            "title": "Creative Commons Attribution 4.0 International",
            "path": "https://creativecommons.org/licenses/by/4.0/",
        }),
        other => json!({"name": other}),
    }
}

/// The text of `LICENSE`: the licence's full text where it is shipped, otherwise a pointer
/// to its SPDX identifier.
pub(crate) fn license_text(spdx: &str) -> String {
    match spdx {
        "CC-BY-4.0" => include_str!("../licenses/CC-BY-4.0.txt").to_owned(),
        other => format!("This dataset is licensed under {other} (SPDX identifier).\n"),
    }
}
