//! `cargo xtask schema [--check]`: the JSON Schema files under `schema/`, and the list of
//! tables in `ARCHITECTURE.md`, generated from the model.

use std::process::ExitCode;

use anyhow::Context;
use diplomacy_model::schema::{authoring_schemas, schema_file_name};

use crate::workspace_root;

/// Every schema file's name and its generated text.
pub(crate) fn generated() -> anyhow::Result<Vec<(String, String)>> {
    authoring_schemas()
        .into_iter()
        .map(|(file, schema)| {
            let mut text = serde_json::to_string_pretty(&schema)?;
            text.push('\n');
            Ok((schema_file_name(file), text))
        })
        .collect()
}

/// Files under `schema/` that differ from the model, are missing, or are stale.
pub(crate) fn drift() -> anyhow::Result<Vec<String>> {
    let dir = workspace_root().join("schema");
    let mut problems = Vec::new();
    let expected = generated()?;
    for (name, text) in &expected {
        match std::fs::read_to_string(dir.join(name)) {
            Ok(found) if &found == text => {}
            Ok(_) => problems.push(format!("schema/{name} differs from the model")),
            Err(_) => problems.push(format!("schema/{name} is missing")),
        }
    }
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".json") && !expected.iter().any(|(n, _)| *n == name) {
                problems.push(format!("schema/{name} is not generated from the model"));
            }
        }
    }
    let architecture = std::fs::read_to_string(workspace_root().join("ARCHITECTURE.md"))?;
    if crate::tidy::with_tables(&architecture).as_deref() != Some(architecture.as_str()) {
        problems.push("ARCHITECTURE.md's list of tables differs from the registry".to_owned());
    }
    problems.sort();
    Ok(problems)
}

pub(crate) fn run(check: bool) -> anyhow::Result<ExitCode> {
    if check {
        let problems = drift()?;
        for p in &problems {
            eprintln!("{p}");
        }
        if !problems.is_empty() {
            eprintln!("run `cargo xtask schema` and commit the result");
            return Ok(ExitCode::FAILURE);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let dir = workspace_root().join("schema");
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    for (name, text) in generated()? {
        let path = dir.join(&name);
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        println!("wrote schema/{name}");
    }
    let path = workspace_root().join("ARCHITECTURE.md");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let made = crate::tidy::with_tables(&text)
        .with_context(|| format!("{} has no generated list of tables", path.display()))?;
    if made != text {
        std::fs::write(&path, made).with_context(|| format!("writing {}", path.display()))?;
        println!("wrote ARCHITECTURE.md's list of tables");
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    /// A stale `schema/` fails `cargo test`.
    #[test]
    fn committed_schema_matches_the_model() {
        let problems = super::drift().unwrap();
        assert!(
            problems.is_empty(),
            "{problems:?}: run `cargo xtask schema`"
        );
    }
}
