//! `new DIR`: scaffold a minimal dataset that validates, to start from.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use diplomacy_model::Id;
use diplomacy_model::schema::{authoring_schemas, schema_file_name};
use diplomacy_validate::sha256_hex;

use crate::shown;

/// The example source text: plainly an example, and the one quote the visit cites.
const SOURCE_TEXT: &str = "Example source text. Replace this file with the archived text of a real \
source, byte for byte as received, and record its SHA-256 in sources.toml.\n\
\n\
In this example, Example Envoy, the Special Envoy of Example Country A, visited Example Country B in May 2001.\n";

/// The quote the example visit cites: a clause of [`SOURCE_TEXT`].
const QUOTE: &str =
    "Example Envoy, the Special Envoy of Example Country A, visited Example Country B in May 2001";

/// The files of a new dataset, with `{name}`, `{sha256}` and `{quote}` to fill in. Each
/// begins with its schema directive.
const FILES: &[(&str, &str)] = &[
    (
        "dataset.toml",
        r#"name = "{name}"
title = "{name}"
version = "0.1.0"
description = "Describe what the dataset covers: which countries, which years, which kinds of record."
license = "CC-BY-4.0"
keywords = ["diplomacy"]
# Every date, country, person, organization and office a record states must be stated by one
# of its quotes, or marked inferred ([[<table>.inferred]] with field, basis and reason); and
# every sentence of every source is cited by a record or excused under its source
# ([[sources.excused]] with a quote and a reason; `diplomacy ledger` lists what is left).
require = ["entailment", "ledger"]
"#,
    ),
    (
        "countries.toml",
        r#"# Countries referred to by any record (ISO 3166-1 alpha-3). Crosswalk ids (iso2,
# cow_code, wikidata) only where verified. The two below are placeholders (XAA and XAB are
# codes ISO 3166-1 leaves to users): replace them with the countries of your sources.

[[countries]]
id = "XAA"
name = "Example Country A"

[[countries]]
id = "XAB"
name = "Example Country B"
"#,
    ),
    (
        "people.toml",
        r#"# Each person named in the source texts, once.

[[people]]
id = "example-envoy"
name = "Example Envoy"
country = "XAA"
"#,
    ),
    (
        "sources.toml",
        r#"# The archived source texts: each file under sources/ is a byte-for-byte copy of the
# text as received; `sha256sum sources/<file>` gives its sha256.

[[sources]]
id = "example-source"
title = "Example source"
publisher = "Not named in the text"
published = "2001"
file = "sources/example-source.txt"
sha256 = "{sha256}"
rights = "An example text written for this scaffold; replace it."

# The sentences no record holds, each with its reason.
[[sources.excused]]
quote = "Example source text. Replace this file with the archived text of a real source"
reason = "no_fact"
note = "Instructions for the scaffold, not a statement of fact."
"#,
    ),
    (
        "visits.toml",
        r#"# Trips of a person or delegation to another country. Every record cites a verbatim
# quote (three words or more) from an archived source, and every value it states is in the
# words of one of its quotes (the quote below names both countries, the envoy, the office and
# "May 2001"). A value the text does not state but a careful reader infers is marked:
#
# [[visits.inferred]]
# field = "host_country"
# basis = "geography"   # or calendar, identity, attribution, count, other
# reason = "Why the value follows from the text."

[[visits]]
id = "2001-05-xaa-xab-special-envoy-visit"
date = "2001-05"
guest_country = "XAA"
host_country = "XAB"
guest_person = "example-envoy"
guest_office = "Special Envoy"
level = "other"
summary = "The Special Envoy of Example Country A visited Example Country B."

[[visits.evidence]]
source = "example-source"
quote = "{quote}"
"#,
    ),
    (
        "redirects.toml",
        r#"# Ids that were published and are no longer a record's, each leading to the record it
# became: a published id never breaks. After renaming or merging a published record, add:
#
# [[redirects]]
# from = "the-old-id"
# to = "the-new-id"
# reason = "Why the id changed."
"#,
    ),
];

/// Creates a dataset in `dir` that validates: dataset.toml, two countries, one person, one
/// archived source with its checksum, one visit citing it, an empty redirects.toml, and the
/// JSON Schema of every authoring file under `schema/` with each file's `#:schema` directive
/// pointing at it.
///
/// `dir` must not exist or be empty. The dataset is built beside it and renamed into place,
/// so nothing is half-written.
pub fn create(dir: &Path, name: Option<&str>) -> anyhow::Result<()> {
    let name = match name {
        Some(n) => n.to_owned(),
        None => name_from_dir(dir)?,
    };
    name.parse::<Id>().map_err(|e| {
        anyhow::anyhow!(
            "{e}: pass a machine name with --name (lower-case letters, digits, hyphens)"
        )
    })?;
    if let Ok(mut entries) = fs::read_dir(dir) {
        if entries.next().is_some() {
            bail!("{} exists and is not empty", shown(dir));
        }
    } else if dir.exists() {
        bail!("{} exists and is not a directory", shown(dir));
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent)
        .with_context(|| format!("could not create directory {}", parent.display()))?;
    let tmp = parent.join(format!(".{name}.new-{}", std::process::id()));
    let written = write_files(&tmp, &name);
    let placed = written.and_then(|()| {
        fs::rename(&tmp, dir)
            .with_context(|| format!("could not move the new dataset to {}", dir.display()))
    });
    if placed.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    placed
}

fn write_files(tmp: &Path, name: &str) -> anyhow::Result<()> {
    let write = |rel: &str, text: &str| -> anyhow::Result<()> {
        let path = tmp.join(rel);
        fs::write(&path, text).with_context(|| format!("could not write {}", path.display()))
    };
    for sub in ["", "sources", "schema"] {
        let path = tmp.join(sub);
        fs::create_dir_all(&path)
            .with_context(|| format!("could not create directory {}", path.display()))?;
    }
    write("sources/example-source.txt", SOURCE_TEXT)?;
    let sha256 = sha256_hex(SOURCE_TEXT.as_bytes());
    for (file, schema) in authoring_schemas() {
        let mut text = serde_json::to_string_pretty(&schema)?;
        text.push('\n');
        write(&format!("schema/{}", schema_file_name(file)), &text)?;
    }
    for (file, template) in FILES {
        let body = template
            .replace("{name}", name)
            .replace("{sha256}", &sha256)
            .replace("{quote}", QUOTE);
        let directive = format!("#:schema schema/{}\n", schema_file_name(file));
        write(file, &format!("{directive}{body}"))?;
    }
    Ok(())
}

/// A machine name from the directory's last component: lower-cased, runs of other
/// characters turned into single hyphens.
fn name_from_dir(dir: &Path) -> anyhow::Result<String> {
    let base = dir
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_lowercase();
    let mut name = String::new();
    for c in base.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            name.push(c);
        } else if !name.is_empty() && !name.ends_with('-') {
            name.push('-');
        }
    }
    let name = name.trim_end_matches('-').to_owned();
    if name.is_empty() {
        bail!(
            "cannot make a dataset name from {}: pass --name",
            dir.display()
        );
    }
    Ok(name)
}

/// `diplomacy new DIR [--name NAME]`: creates the dataset and says what to do next.
pub fn run(dir: &Path, name: Option<&str>) -> anyhow::Result<ExitCode> {
    create(dir, name)?;
    let dir = shown(dir);
    println!("created {dir}");
    println!("next: edit its TOML files, then");
    println!("  diplomacy validate {dir}");
    println!("  diplomacy release {dir} --out dist");
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quote_is_in_the_source_text() {
        assert!(SOURCE_TEXT.contains(QUOTE));
    }

    #[test]
    fn names_come_from_the_directory() {
        assert_eq!(
            name_from_dir(Path::new("/x/My Data_set 2")).unwrap(),
            "my-data-set-2"
        );
        assert!(name_from_dir(Path::new("/x/___")).is_err());
    }

    #[test]
    fn a_non_empty_directory_is_refused_and_left_alone() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("keep.txt"), "mine").unwrap();
        assert!(create(tmp.path(), Some("x")).is_err());
        assert_eq!(
            fs::read_to_string(tmp.path().join("keep.txt")).unwrap(),
            "mine"
        );
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
    }
}
