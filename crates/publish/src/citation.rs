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
/// name is not read as a person's), title, version, licence and, where the dataset has
/// one, its homepage. The year of release is left out: a release records no date, so that
/// two releases of the same inputs are byte-identical.
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
    if let Some(url) = &meta.homepage {
        let _ = writeln!(s, "  url       = {{{}}},", url.replace(['{', '}', ' '], ""));
    }
    s.push('}');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

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
        meta.homepage = Some("https://example.org/d".into());
        assert!(bibtex(&meta).contains("  url       = {https://example.org/d},\n}"));
    }
}
