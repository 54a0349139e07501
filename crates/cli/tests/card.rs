//! The release of a dataset made by `diplomacy new` speaks of no country the dataset does not
//! hold: the data card, the page and the catalogue metadata take their examples from the
//! dataset's own records.

// Test helpers may unwrap: a panic there is a failed assertion with a backtrace.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::process::Command;

/// Countries (names, adjectives, codes) and places the curated dataset's examples once
/// named in every release.
const FOREIGN: &[&str] = &[
    "Japan",
    "Japanese",
    "Russia",
    "Russian",
    "Kazakhstan",
    "KAZ",
    "JPN",
    "RUS",
    "Azerbaijan",
    "AZE",
    "Kuril",
    "Karabakh",
];

/// Whether `word` occurs in `text` as a whole word (not inside a longer run of letters or
/// digits).
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[test]
fn whole_words_only() {
    assert!(has_word("in Japan.", "Japan"));
    assert!(has_word("`JPN`", "JPN"));
    assert!(!has_word("Japanese", "Japan"));
    assert!(!has_word("RUSSIA", "RUS"));
    assert!(!has_word("kazan", "KAZ"));
}

#[test]
fn a_new_dataset_s_release_names_no_country_it_does_not_hold() {
    let tmp = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_diplomacy"))
            .args(args)
            .current_dir(tmp.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "diplomacy {args:?}: {out:?}");
    };
    run(&["new", "x"]);
    run(&["release", "x", "--out", "dist"]);

    // The words the scaffold's own records use are allowed: only other countries are not.
    let countries = fs::read_to_string(tmp.path().join("x/countries.toml")).unwrap();
    let held: Vec<&str> = FOREIGN
        .iter()
        .copied()
        .filter(|w| has_word(&countries, w))
        .collect();
    assert!(
        held.is_empty(),
        "the scaffold should hold only placeholder countries, not {held:?}"
    );

    let release = tmp.path().join("dist/x-0.1.0");
    for file in [
        "README.md",
        "index.html",
        "datapackage.json",
        "croissant.json",
    ] {
        let text = fs::read_to_string(release.join(file)).unwrap();
        let found: Vec<&str> = FOREIGN
            .iter()
            .copied()
            .filter(|w| has_word(&text, w))
            .collect();
        assert!(found.is_empty(), "{file} names {found:?}");
    }

    // The card's examples come from the dataset's records instead.
    let card = fs::read_to_string(release.join("README.md")).unwrap();
    assert!(card.contains("visits.parquet"), "{card}");
}
