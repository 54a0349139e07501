//! `CITATION.cff` (how to cite the release) and `.zenodo.json` (what Zenodo needs to give it a
//! DOI).

use std::fmt::Write as _;

use diplomacy_model::{Dataset, DatasetMeta};
use serde_json::{Value, json};

use crate::error::Error;

/// A YAML double-quoted scalar: JSON string syntax, which YAML reads the same, with every
/// character JSON leaves bare but YAML refuses or reads otherwise escaped as `\uXXXX`.
fn yaml(s: &str) -> String {
    let json = serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned());
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if yaml_escapes(c) {
            let _ = write!(out, "\\u{:04X}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// The characters JSON writes bare that a YAML double-quoted scalar may not hold as they are:
/// DEL and the C1 controls (not YAML-printable; NEL, U+0085, is a line break that YAML folds
/// to a space), the line and paragraph separators (line breaks in YAML 1.1), the byte-order
/// mark, and the noncharacters U+FFFE and U+FFFF. All are in the Basic Multilingual Plane.
fn yaml_escapes(c: char) -> bool {
    matches!(
        c,
        '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
    )
}

/// The text of `CITATION.cff` (Citation File Format 1.2): the release, and the sources its
/// records quote as references.
pub(crate) fn citation(meta: &DatasetMeta, data: &Dataset) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "cff-version: 1.2.0");
    let _ = writeln!(
        s,
        "message: \"If you use this dataset, please cite it as below.\""
    );
    let _ = writeln!(s, "type: dataset");
    let _ = writeln!(s, "title: {}", yaml(&meta.title));
    let _ = writeln!(s, "version: {}", yaml(&meta.version));
    let _ = writeln!(s, "license: {}", yaml(&meta.license));
    let _ = writeln!(s, "abstract: {}", yaml(&meta.description));
    let _ = writeln!(s, "authors:");
    if meta.authors.is_empty() {
        let _ = writeln!(
            s,
            "  - name: {}",
            yaml(&format!("{} contributors", meta.title))
        );
    }
    for a in &meta.authors {
        let _ = writeln!(s, "  - name: {}", yaml(a));
    }
    if !meta.keywords.is_empty() {
        let _ = writeln!(s, "keywords:");
        for k in &meta.keywords {
            let _ = writeln!(s, "  - {}", yaml(k));
        }
    }
    if let Some(url) = &meta.homepage {
        let _ = writeln!(s, "url: {}", yaml(url));
    }
    if let Some(url) = &meta.repository {
        let _ = writeln!(s, "repository-code: {}", yaml(url));
    }
    if let Some(day) = &meta.released {
        let _ = writeln!(s, "date-released: {}", yaml(day));
    }
    if let Some(doi) = &meta.doi {
        let _ = writeln!(s, "doi: {}", yaml(doi));
    }
    if !data.sources.is_empty() {
        // The archived texts the records quote; the publisher stands as author, as a source
        // names no person.
        let _ = writeln!(s, "references:");
        for src in &data.sources {
            let _ = writeln!(s, "  - type: generic");
            let _ = writeln!(s, "    title: {}", yaml(&src.title));
            let _ = writeln!(s, "    authors:");
            let _ = writeln!(s, "      - name: {}", yaml(&src.publisher));
            let _ = writeln!(s, "    publisher:");
            let _ = writeln!(s, "      name: {}", yaml(&src.publisher));
            if let Some(year) = src
                .published
                .min_day()
                .zip(src.published.max_day())
                .and_then(|(a, b)| {
                    (chrono::Datelike::year(&a) == chrono::Datelike::year(&b))
                        .then(|| chrono::Datelike::year(&a))
                })
            {
                let _ = writeln!(s, "    year: {year}");
            }
            if let Some(url) = &src.url {
                let _ = writeln!(s, "    url: {}", yaml(url));
            }
            let _ = writeln!(
                s,
                "    notes: {}",
                yaml(&format!(
                    "Published: {} (EDTF). Archived in the dataset as {}.",
                    src.published, src.file
                ))
            );
        }
    }
    s
}

/// The text of `.zenodo.json`: the deposit metadata Zenodo reads from a repository release,
/// so that a release can get a DOI.
pub(crate) fn zenodo(meta: &DatasetMeta) -> Result<String, Error> {
    let creators: Vec<Value> = crate::croissant::authors(meta)
        .into_iter()
        .map(|name| json!({"name": name}))
        .collect();
    let mut v = json!({
        "upload_type": "dataset",
        "title": format!("{} ({})", meta.title, meta.version),
        "description": meta.description,
        "version": meta.version,
        "license": {"id": meta.license.to_lowercase()},
        "access_right": "open",
        "creators": creators,
        "keywords": meta.keywords,
    });
    if let Some(day) = &meta.released {
        v["publication_date"] = json!(day);
    }
    if let Some(doi) = &meta.doi {
        v["doi"] = json!(doi);
    }
    let mut related = Vec::new();
    if let Some(url) = &meta.repository {
        related.push(
            json!({"identifier": url, "relation": "isSupplementTo", "resource_type": "software"}),
        );
    }
    if let Some(url) = &meta.homepage {
        related.push(json!({"identifier": url, "relation": "isDocumentedBy"}));
    }
    if !related.is_empty() {
        v["related_identifiers"] = json!(related);
    }
    let mut text = serde_json::to_string_pretty(&v).map_err(|source| Error::Json {
        file: ".zenodo.json",
        source,
    })?;
    text.push('\n');
    Ok(text)
}

/// A BibTeX value: the characters BibTeX or LaTeX read specially escaped, braces balanced.
fn bib(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(ch);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The release as one BibTeX `@misc` entry: its authors (each braced, so that a group's
/// name is not read as a person's), title, version, licence, and where `dataset.toml` gives
/// them, the year of release (`released`), the DOI and the homepage or repository. No date
/// is taken from the clock, so that two releases of the same inputs are byte-identical.
pub(crate) fn bibtex(meta: &DatasetMeta) -> String {
    let authors: Vec<String> = if meta.authors.is_empty() {
        vec![format!("{} contributors", meta.title)]
    } else {
        meta.authors.clone()
    };
    let key: String = format!("{}-{}", meta.name.as_str(), meta.version)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let mut s = String::new();
    let _ = writeln!(s, "@misc{{{key},");
    let _ = writeln!(
        s,
        "  author    = {{{}}},",
        authors
            .iter()
            .map(|a| format!("{{{}}}", bib(a)))
            .collect::<Vec<_>>()
            .join(" and ")
    );
    let _ = writeln!(s, "  title     = {{{{{}}}}},", bib(&meta.title));
    let _ = writeln!(s, "  version   = {{{}}},", bib(&meta.version));
    let _ = writeln!(
        s,
        "  howpublished = {{Dataset, version {}}},",
        bib(&meta.version)
    );
    let _ = writeln!(s, "  note      = {{Licence: {}}},", bib(&meta.license));
    if let Some(year) = meta.released.as_deref().and_then(|d| d.get(..4)) {
        let _ = writeln!(s, "  year      = {{{}}},", bib(year));
    }
    if let Some(doi) = &meta.doi {
        let _ = writeln!(s, "  doi       = {{{}}},", doi.replace(['{', '}', ' '], ""));
    }
    if let Some(url) = meta.homepage.as_ref().or(meta.repository.as_ref()) {
        let _ = writeln!(s, "  url       = {{{}}},", url.replace(['{', '}', ' '], ""));
    }
    s.push('}');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// YAML 1.2's printable characters (`c-printable`), less the line breaks YAML folds.
    fn yaml_printable(c: char) -> bool {
        matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{a0}'..='\u{d7ff}' | '\u{10000}'..)
            || (('\u{e000}'..='\u{fffd}').contains(&c) && c != '\u{feff}')
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// Any text, controls and noncharacters included, becomes a scalar of printable
        /// characters only, which a JSON reader (YAML reads JSON strings the same) reads back
        /// as the text.
        #[test]
        fn yaml_scalars_hold_any_text(text in "\\PC*|[\u{0}-\u{ff}\u{2028}\u{2029}\u{feff}\u{fffe}\u{ffff}]{0,24}") {
            let scalar = yaml(&text);
            proptest::prop_assert!(scalar.starts_with('"') && scalar.ends_with('"'));
            proptest::prop_assert!(scalar.chars().all(yaml_printable), "{scalar:?}");
            proptest::prop_assert!(!scalar.contains('\n'));
            let back: String = serde_json::from_str(&scalar).map_err(|e| {
                proptest::test_runner::TestCaseError::fail(format!("{scalar:?}: {e}"))
            })?;
            proptest::prop_assert_eq!(back, text);
        }
    }

    #[test]
    fn bibtex_escapes_and_balances_braces() {
        let mut meta: DatasetMeta = serde_json::from_value(serde_json::json!({
            "name": "d", "title": r"T {x} & 50% _y_ \ z", "version": "1.2.0",
            "description": "x", "license": "CC-BY-4.0",
        }))
        .unwrap_or_else(|e| panic!("{e}"));
        meta.authors = vec!["A & B Group".into()];
        let b = bibtex(&meta);
        assert!(b.starts_with("@misc{d-1.2.0,\n"), "{b}");
        assert!(
            b.contains(r"title     = {{T \{x\} \& 50\% \_y\_ \textbackslash{} z}},"),
            "{b}"
        );
        assert!(b.contains(r"author    = {{A \& B Group}},"), "{b}");
        assert!(b.contains("version   = {1.2.0},"), "{b}");
        assert!(!b.contains("url"), "{b}");
        let depth = b.chars().try_fold(0i32, |d, c| {
            let d = d + i32::from(c == '{') - i32::from(c == '}');
            (d >= 0).then_some(d)
        });
        // Escaped braces (`\{`) count too, and balance in pairs here.
        assert_eq!(depth, Some(0), "{b}");
        assert!(!b.contains("year"), "{b}");
        meta.homepage = Some("https://example.org/d".into());
        meta.released = Some("2026-12-07".into());
        let b = bibtex(&meta);
        assert!(b.contains("  year      = {2026},\n"), "{b}");
        assert!(
            b.contains("  url       = {https://example.org/d},\n}"),
            "{b}"
        );
    }
}
