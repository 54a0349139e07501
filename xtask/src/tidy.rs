//! Tidy checks: `ARCHITECTURE.md` and the code agree (rust-analyzer's tidy idea). The page
//! names only files that exist, and lists every table of the registry, in its order, with
//! its kind and meaning.

#[cfg(test)]
mod tests {
    use diplomacy_model::{TableKind, TableName, Vocabulary};

    use crate::workspace_root;

    fn architecture() -> String {
        std::fs::read_to_string(workspace_root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md")
    }

    /// The `## Tables` list as the registry says it should read.
    fn expected_tables() -> String {
        TableName::ALL
            .iter()
            .map(|t| {
                let kind = match t.kind() {
                    TableKind::Reference => "authored, referred to",
                    TableKind::Fact => "authored, cites evidence",
                    TableKind::Redirect => "authored, redirects",
                    _ => "derived",
                };
                format!("- `{}` ({kind}): {}", t.as_str(), t.description())
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn architecture_lists_every_table_of_the_registry() {
        let text = architecture();
        let section = text
            .split("\n## Tables\n")
            .nth(1)
            .and_then(|s| s.split("\n## ").next())
            .expect("a `## Tables` section");
        let listed: Vec<&str> = section.lines().filter(|l| l.starts_with("- `")).collect();
        let expected = expected_tables();
        assert_eq!(
            listed.join("\n"),
            expected,
            "ARCHITECTURE.md's `## Tables` disagrees with the registry; it should list:\n{expected}"
        );
    }

    #[test]
    fn architecture_names_only_files_that_exist() {
        let text = architecture();
        let root = workspace_root();
        let mut files = Vec::new();
        for dir in ["crates", "xtask"] {
            collect(&root.join(dir), &mut files);
        }
        let mut missing = Vec::new();
        for word in text.split('`').skip(1).step_by(2) {
            if let Some(name) = word
                .strip_suffix(".rs")
                .filter(|n| !n.contains(['/', ' ', '*']))
            {
                let file = format!("{name}.rs");
                if !files.iter().any(|f| f.ends_with(&format!("/{file}"))) {
                    missing.push(file);
                }
            }
        }
        assert!(
            missing.is_empty(),
            "ARCHITECTURE.md names files that do not exist: {missing:?}"
        );
    }

    fn collect(dir: &std::path::Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "target") {
                    collect(&path, out);
                }
            } else {
                out.push(path.to_string_lossy().into_owned());
            }
        }
    }
}
