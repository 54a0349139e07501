//! The `#:schema` directive that begins every authoring file, so editors (Taplo / Even
//! Better TOML, Tombi) complete and check the file against its JSON Schema.
//!
//! The first line (after an optional byte-order mark) must be `#:schema <path or URL>`, and
//! the path's last segment must be the file's own schema: `visits.schema.json` for
//! `visits.toml`, `dataset.schema.json` for `dataset.toml`. Where the schemas live is the
//! dataset's choice (the curated dataset points to the repository's `schema/`, another
//! dataset may keep copies or use a URL), so the rest of the path is not checked and a
//! relative path need not resolve (a wrong one is reported saying whether it names an
//! existing file). A file that is empty or only whitespace needs no directive
//! (it is an empty table, as an absent file is).

use crate::diagnostic::Code;
use crate::sink::{Sink, SourceFile};

/// The schema file name of an authoring file: `visits.toml` -> `visits.schema.json`.
pub(crate) fn schema_name(file: &str) -> String {
    format!("{}.schema.json", file.trim_end_matches(".toml"))
}

/// Reports a missing (W001, a warning) or wrong (E007) `#:schema` directive on the file's
/// first line.
pub(crate) fn check(file: &SourceFile, sink: &mut Sink) {
    let Some(text) = file.text.as_deref() else {
        return;
    };
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    if body.trim().is_empty() {
        return;
    }
    let bom = text.len() - body.len();
    let first = body.lines().next().unwrap_or("").trim_end_matches('\r');
    let expected = schema_name(file.name);
    let hint = Some(format!(
        "begin the file with `#:schema <path to {expected}>`, e.g. `#:schema ../../schema/{expected}` in this repository"
    ));
    let Some(value) = first.strip_prefix("#:schema") else {
        sink.at_pos(
            file,
            bom,
            Code::MissingSchemaDirective,
            format!("{} does not begin with a `#:schema` directive", file.name),
            Some(format!(
                "begin the file with `#:schema <path to {expected}>`, or run `diplomacy upgrade DIR`, which adds every missing directive and writes the schema files"
            )),
        );
        return;
    };
    let value = value.trim();
    let named = value.rsplit(['/', '\\']).next().unwrap_or("");
    if named != expected {
        let what = if value.is_empty() {
            "names no schema".to_owned()
        } else if value.contains("://") {
            format!("names `{named}`")
        } else {
            // A relative path is resolved from the file's directory, as editors do.
            let exists = file
                .path
                .parent()
                .is_some_and(|dir| dir.join(value).is_file());
            let exists = if exists {
                "which exists"
            } else {
                "not found from this file's directory"
            };
            format!("names `{named}` ({exists})")
        };
        sink.at_pos(
            file,
            bom,
            Code::SchemaDirective,
            format!(
                "the `#:schema` directive {what}, not the schema of {}, `{expected}`",
                file.name
            ),
            hint,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(name: &'static str, text: &str) -> Vec<String> {
        let dir = tempfile::tempdir().expect("temporary directory");
        std::fs::create_dir(dir.path().join("schema")).expect("schema directory");
        std::fs::write(dir.path().join("schema/visits.schema.json"), "{}").expect("write");
        let mut file = SourceFile::new(dir.path(), name);
        file.text = Some(text.to_owned());
        let mut sink = Sink::default();
        check(&file, &mut sink);
        sink.diagnostics.into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn the_directive_names_the_files_own_schema() {
        let ok = "#:schema schema/visits.schema.json\n[[visits]]\n";
        assert!(messages("visits.toml", ok).is_empty());
        let url = "#:schema https://example.org/s/visits.schema.json\r\n";
        assert!(messages("visits.toml", url).is_empty());
        assert!(messages("visits.toml", "\u{feff}#:schema x/visits.schema.json\n").is_empty());
        assert!(
            messages("visits.toml", "  \n").is_empty(),
            "an empty file needs none"
        );
        let wrong = messages("meetings.toml", "#:schema schema/visits.schema.json\n");
        assert_eq!(
            wrong,
            [
                "the `#:schema` directive names `visits.schema.json` (which exists), not the schema of meetings.toml, `meetings.schema.json`"
            ]
        );
        let second_line = messages("visits.toml", "# a comment\n#:schema visits.schema.json\n");
        assert_eq!(
            second_line,
            ["visits.toml does not begin with a `#:schema` directive"]
        );
        assert_eq!(
            messages("visits.toml", "#:schema\n"),
            [
                "the `#:schema` directive names no schema, not the schema of visits.toml, `visits.schema.json`"
            ]
        );
    }
}
