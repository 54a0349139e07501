//! The Frictionless Data Package (`datapackage.json`) of a release.

use diplomacy_model::table::{Column, ColumnType};
use diplomacy_model::{Dataset, DatasetMeta, PartialDate};
use serde_json::{Value, json};

use crate::checksums::{FileHashes, FileInfo};
use crate::error::Error;
use crate::format::FORMATS;
use crate::license::license_json;
use crate::tree::TableInfo;

/// The Table Schema field of a column.
pub(crate) fn field_schema(column: &Column) -> Value {
    let (ty, format_note) = match column.ty {
        ColumnType::Integer => ("integer", None),
        ColumnType::Date => ("date", None),
        ColumnType::List => ("string", Some(" A list: items joined with ';'.")),
        _ => ("string", None),
    };
    let mut constraints = serde_json::Map::new();
    // An empty list is an empty CSV cell, which Table Schema reads as missing: lists are
    // never `required` there.
    let required = !column.nullable && column.ty != ColumnType::List;
    constraints.insert("required".into(), Value::Bool(required));
    match column.ty {
        ColumnType::Vocabulary(values) => {
            constraints.insert("enum".into(), json!(values));
        }
        ColumnType::CountryCode => {
            constraints.insert("pattern".into(), json!("[A-Z]{3}"));
        }
        ColumnType::PartialDate => {
            constraints.insert(
                "pattern".into(),
                json!(
                    PartialDate::PATTERN
                        .trim_start_matches('^')
                        .trim_end_matches('$')
                ),
            );
        }
        _ => {}
    }
    if column.name == "id" {
        constraints.insert("unique".into(), Value::Bool(true));
    }
    json!({
        "name": column.name,
        "type": ty,
        "description": format!("{}{}", column.description, format_note.unwrap_or("")),
        "constraints": constraints,
    })
}

/// The text of `datapackage.json`: per table, a CSV resource with its Table Schema and a file
/// resource in every other format ([`FORMATS`]), with every file's size and hash.
pub(crate) fn datapackage(
    meta: &DatasetMeta,
    data: &Dataset,
    tables: &[TableInfo],
    hashes: &FileHashes,
    coverage: &crate::coverage::Coverage,
) -> Result<String, Error> {
    let file = |rel: &str| -> Result<&FileInfo, Error> {
        hashes.get(rel).ok_or_else(|| Error::Io {
            op: "describe",
            path: rel.into(),
            source: std::io::ErrorKind::NotFound.into(),
        })
    };
    let mut resources = Vec::new();
    for t in tables {
        let csv_rel = FORMATS[0].file(t.name);
        let csv = file(&csv_rel)?;
        let foreign_keys: Vec<Value> = t
            .columns
            .iter()
            .filter_map(|c| {
                c.references.map(|fk| {
                    json!({
                        "fields": c.name,
                        "reference": {"resource": fk.table.as_str(), "fields": fk.column},
                    })
                })
            })
            .collect();
        resources.push(json!({
            "name": t.name,
            "path": csv_rel,
            "profile": "tabular-data-resource",
            "format": FORMATS[0].name(),
            "mediatype": FORMATS[0].media_type(),
            "encoding": "utf-8",
            "bytes": csv.bytes,
            "hash": format!("sha256:{}", csv.sha256),
            "dialect": {"delimiter": ",", "quoteChar": "\"", "doubleQuote": true, "header": true},
            "schema": {
                "fields": t.columns.iter().map(field_schema).collect::<Vec<_>>(),
                "missingValues": [""],
                "primaryKey": [t.columns[0].name],
                "foreignKeys": foreign_keys,
            },
        }));
        if t.name == diplomacy_model::TableName::Evidence.as_str()
            && let Some(resource) = resources.last_mut()
        {
            // The quotes are the sources' words, not the dataset's.
            resource["description"] = json!(format!(
                "The verbatim quotes that support each record. The quotes are third-party material: the dataset's licence ({}) covers its records and its own words, not the quoted texts, which remain their authors' and publishers'.",
                meta.license
            ));
        }
    }
    // Every other format's files: file resources. Frictionless checks their bytes and hash;
    // their typed schema is the file's own (and the CSV resource's Table Schema).
    for format in &FORMATS[1..] {
        for t in tables {
            let rel = format.file(t.name);
            let f = file(&rel)?;
            resources.push(json!({
                "name": format!("{}-{}", t.name, format.name()),
                "type": "file",
                "path": rel,
                "format": format.name(),
                "mediatype": format.media_type(),
                "bytes": f.bytes,
                "hash": format!("sha256:{}", f.sha256),
                "description": format!("The {} table as {}: the same rows and columns as {}, typed.", t.name, format.title(), FORMATS[0].file(t.name)),
            }));
        }
    }
    // The database: one file of every table, described as a file (its tables are the CSV
    // resources' rows, with the same Table Schemas).
    let database = crate::sqlite::file_name(meta);
    let f = file(&database)?;
    resources.push(json!({
        "name": "sqlite",
        "type": "file",
        "path": database,
        "format": "sqlite",
        "mediatype": crate::sqlite::MEDIA_TYPE,
        "bytes": f.bytes,
        "hash": format!("sha256:{}", f.sha256),
        "description": "Every table in one SQLite database: the same rows and columns as the CSV files, with primary and foreign keys, views with names beside codes (<table>_named) and full-text search (<table>_fts); lists are JSON arrays. metadata.json describes it for Datasette.",
    }));
    let sources: Vec<Value> = data
        .sources
        .iter()
        .map(|s| {
            let mut v = json!({"title": s.title, "publisher": s.publisher, "published": s.published.to_string()});
            if let Some(url) = &s.url {
                v["path"] = json!(url);
            }
            v
        })
        .collect();
    let package = json!({
        "profile": "data-package",
        "name": meta.name.as_str(),
        "title": meta.title,
        "version": meta.version,
        "description": meta.description,
        "keywords": meta.keywords,
        "licenses": [license_json(&meta.license)],
        "contributors": meta.authors.iter().map(|a| json!({"title": a, "role": "author"})).collect::<Vec<_>>(),
        "sources": sources,
        // How each source's sentences are accounted for (table `source_sentences`): a
        // property of this dataset's packages beside the Frictionless ones.
        "sentenceLedger": coverage.json(),
        "resources": resources,
    });
    let mut text = serde_json::to_string_pretty(&package).map_err(|source| Error::Json {
        file: "datapackage.json",
        source,
    })?;
    text.push('\n');
    Ok(text)
}
