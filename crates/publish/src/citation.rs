//! `CITATION.cff`: how to cite the release.

use std::fmt::Write as _;

use diplomacy_model::DatasetMeta;

/// A YAML double-quoted scalar (JSON string syntax is valid YAML).
fn yaml(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
}

/// The text of `CITATION.cff` (Citation File Format 1.2).
pub(crate) fn citation(meta: &DatasetMeta) -> String {
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
    s
}
