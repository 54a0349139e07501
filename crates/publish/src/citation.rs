//! `CITATION.cff` (how to cite the release) and `.zenodo.json` (what Zenodo needs to give it a
//! DOI).

use std::fmt::Write as _;

use diplomacy_model::{Dataset, DatasetMeta};
use serde_json::{Value, json};

use crate::error::Error;

/// A YAML double-quoted scalar (JSON string syntax is valid YAML).
fn yaml(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
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
