//! `cargo xtask release [DIR] [--out DIR] [--force]`: validate, then publish CSV, Parquet, a
//! Frictionless data package, a data card, a citation file and checksums, all or nothing.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use diplomacy_model::parquet::ParquetOptions;
use diplomacy_model::table::{Column, ColumnType};
use diplomacy_model::{
    Country, Dataset, DatasetMeta, Dispute, DisputeEvent, EvidenceRow, Meeting, Person,
    Recognition, Source, Table, Visit,
};
use diplomacy_validate::{ValidDataset, find_datasets, sha256_hex, validate_dir};
use serde_json::{Value, json};

use crate::validate::{datasets_root, display_path, print};

/// Where a release goes and how it is written.
pub(crate) struct ReleaseOptions {
    /// The directory the release directory is created under.
    pub(crate) out: PathBuf,
    /// Replace an existing release of the same version.
    pub(crate) force: bool,
    /// How Parquet files are written.
    pub(crate) parquet: ParquetOptions,
}

pub(crate) fn run(dir: Option<&Path>, out: Option<&Path>, force: bool) -> anyhow::Result<ExitCode> {
    let dir = match dir {
        Some(d) => d.to_path_buf(),
        None => {
            let root = datasets_root(None);
            let mut found = find_datasets(&root)?;
            match found.len() {
                1 => found.remove(0),
                0 => bail!("no dataset under {}", display_path(&root).display()),
                _ => bail!(
                    "several datasets under {}: name the one to release",
                    display_path(&root).display()
                ),
            }
        }
    };
    let out = out.map_or_else(|| crate::workspace_root().join("dist"), Path::to_path_buf);
    let report = validate_dir(&dir);
    print(&report);
    let Some(valid) = report.into_valid() else {
        eprintln!("validation failed: nothing was written");
        return Ok(ExitCode::FAILURE);
    };
    let options = ReleaseOptions {
        out,
        force,
        parquet: ParquetOptions::default(),
    };
    match release(valid, &options)? {
        Ok(path) => {
            println!("{}", display_path(&path).display());
            Ok(ExitCode::SUCCESS)
        }
        Err(message) => {
            eprintln!("{message}");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// Writes the release of a validated dataset. The outer error is a failure to write; the
/// inner one a refusal (an existing release without `force`).
pub(crate) fn release(
    valid: ValidDataset,
    options: &ReleaseOptions,
) -> anyhow::Result<Result<PathBuf, String>> {
    let ValidDataset { meta, mut data, .. } = valid;
    let meta = &meta;
    data.sort();
    let name = format!("{}-{}", meta.name, meta.version);
    let target = options.out.join(&name);
    if target.exists() && !options.force {
        return Ok(Err(format!(
            "{} already exists: a released version never changes; bump the version in dataset.toml, or pass --force",
            display_path(&target).display()
        )));
    }
    fs::create_dir_all(&options.out)
        .with_context(|| format!("creating {}", options.out.display()))?;
    let tmp = options
        .out
        .join(format!(".{name}.partial-{}", std::process::id()));
    if tmp.exists() {
        fs::remove_dir_all(&tmp)?;
    }
    let written = write_tree(&tmp, meta, &data, &options.parquet);
    if let Err(e) = written {
        let _ = fs::remove_dir_all(&tmp);
        return Err(e);
    }
    if target.exists() {
        let old = options
            .out
            .join(format!(".{name}.old-{}", std::process::id()));
        fs::rename(&target, &old).with_context(|| format!("moving {} aside", target.display()))?;
        if let Err(e) = fs::rename(&tmp, &target) {
            let _ = fs::rename(&old, &target);
            let _ = fs::remove_dir_all(&tmp);
            return Err(e).context("renaming the release into place");
        }
        fs::remove_dir_all(&old)?;
    } else if let Err(e) = fs::rename(&tmp, &target) {
        let _ = fs::remove_dir_all(&tmp);
        return Err(e).context("renaming the release into place");
    }
    Ok(Ok(target))
}

/// Every table's name, columns and row count, in release order.
struct TableInfo {
    name: &'static str,
    columns: &'static [Column],
    rows: usize,
    coverage: Option<(String, String)>,
}

fn info<T: Table>(
    rows: &[T],
    dates: impl Fn(&T) -> Option<(chrono::NaiveDate, chrono::NaiveDate)>,
) -> TableInfo {
    let mut lo: Option<chrono::NaiveDate> = None;
    let mut hi: Option<chrono::NaiveDate> = None;
    for (a, b) in rows.iter().filter_map(&dates) {
        lo = Some(lo.map_or(a, |l| l.min(a)));
        hi = Some(hi.map_or(b, |h| h.max(b)));
    }
    TableInfo {
        name: T::NAME.as_str(),
        columns: T::columns(),
        rows: rows.len(),
        coverage: lo.zip(hi).map(|(a, b)| (a.to_string(), b.to_string())),
    }
}

/// The days a date is known to cover; an open or unknown end counts as its known end.
fn span_of(d: &diplomacy_model::PartialDate) -> Option<(chrono::NaiveDate, chrono::NaiveDate)> {
    let (lo, hi) = (d.min_day(), d.max_day());
    Some((lo.or(hi)?, hi.or(lo)?))
}

fn write_tree(
    dir: &Path,
    meta: &DatasetMeta,
    data: &Dataset,
    parquet: &ParquetOptions,
) -> anyhow::Result<()> {
    let csv_dir = dir.join("csv");
    let parquet_dir = dir.join("parquet");
    fs::create_dir_all(&csv_dir)?;
    fs::create_dir_all(&parquet_dir)?;
    // CSV and Parquet are written side by side, one thread each.
    std::thread::scope(|scope| -> anyhow::Result<()> {
        let csv = scope.spawn(|| data.write_csv_dir(&csv_dir));
        data.write_parquet_dir(&parquet_dir, parquet)?;
        csv.join()
            .map_err(|_| anyhow::anyhow!("the CSV writer panicked"))??;
        Ok(())
    })?;
    let evidence_rows = [
        data.visits.iter().map(|r| r.evidence.len()).sum::<usize>(),
        data.meetings.iter().map(|r| r.evidence.len()).sum(),
        data.recognitions.iter().map(|r| r.evidence.len()).sum(),
        data.disputes.iter().map(|r| r.evidence.len()).sum(),
        data.dispute_events.iter().map(|r| r.evidence.len()).sum(),
    ]
    .iter()
    .sum();
    let tables = vec![
        info(&data.countries, |_: &Country| None),
        info(&data.people, |_: &Person| None),
        info(&data.sources, |s: &Source| span_of(&s.published)),
        info(&data.visits, |v: &Visit| span_of(&v.date)),
        info(&data.meetings, |m: &Meeting| span_of(&m.date)),
        info(&data.recognitions, |r: &Recognition| span_of(&r.date)),
        info(&data.disputes, |_: &Dispute| None),
        info(&data.dispute_events, |e: &DisputeEvent| {
            e.date.as_ref().and_then(span_of)
        }),
        TableInfo {
            rows: evidence_rows,
            ..info(&[] as &[EvidenceRow], |_| None)
        },
    ];

    // Every data file is hashed once, for the package and for SHA256SUMS.
    let mut hashes = hash_files(dir, &files_under(dir)?)?;
    let package = datapackage(meta, data, &tables, &hashes)?;
    fs::write(dir.join("datapackage.json"), package)?;
    fs::write(dir.join("README.md"), data_card(meta, data, &tables))?;
    fs::write(dir.join("CITATION.cff"), citation(meta))?;
    fs::write(dir.join("LICENSE"), license_text(&meta.license))?;
    let extra: Vec<PathBuf> = ["datapackage.json", "README.md", "CITATION.cff", "LICENSE"]
        .iter()
        .map(|f| dir.join(f))
        .collect();
    hashes.extend(hash_files(dir, &extra)?);

    let mut sums = String::new();
    for (rel, (_, hash)) in &hashes {
        let _ = writeln!(sums, "{hash}  {rel}");
    }
    fs::write(dir.join("SHA256SUMS"), sums)?;
    Ok(())
}

/// Each file's relative path, size and SHA-256, hashed on two threads.
fn hash_files(
    dir: &Path,
    files: &[PathBuf],
) -> anyhow::Result<std::collections::BTreeMap<String, (usize, String)>> {
    let half = files.len().div_ceil(2).max(1);
    let hash = |part: &[PathBuf]| -> anyhow::Result<Vec<(String, (usize, String))>> {
        part.iter()
            .map(|p| {
                let bytes = fs::read(p)?;
                Ok((relative(dir, p), (bytes.len(), sha256_hex(&bytes))))
            })
            .collect()
    };
    let parts: Vec<anyhow::Result<Vec<_>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(half)
            .map(|part| scope.spawn(move || hash(part)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("hashing panicked")))
            })
            .collect()
    });
    let mut out = std::collections::BTreeMap::new();
    for part in parts {
        out.extend(part?);
    }
    Ok(out)
}

/// Every file under `dir`, sorted by relative path.
fn files_under(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort_by_key(|p| relative(dir, p));
    Ok(out)
}

fn relative(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn field_schema(column: &Column) -> Value {
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
                    diplomacy_model::PartialDate::PATTERN
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

fn datapackage(
    meta: &DatasetMeta,
    data: &Dataset,
    tables: &[TableInfo],
    hashes: &std::collections::BTreeMap<String, (usize, String)>,
) -> anyhow::Result<String> {
    let file = |rel: &str| {
        hashes
            .get(rel)
            .cloned()
            .ok_or_else(|| anyhow::anyhow!("{rel} was not written"))
    };
    let mut resources = Vec::new();
    for t in tables {
        let csv_rel = format!("csv/{}.csv", t.name);
        let (csv_len, csv_hash) = file(&csv_rel)?;
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
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "bytes": csv_len,
            "hash": format!("sha256:{csv_hash}"),
            "dialect": {"delimiter": ",", "quoteChar": "\"", "doubleQuote": true, "header": true},
            "schema": {
                "fields": t.columns.iter().map(field_schema).collect::<Vec<_>>(),
                "missingValues": [""],
                "primaryKey": ["id"],
                "foreignKeys": foreign_keys,
            },
        }));
    }
    for t in tables {
        let rel = format!("parquet/{}.parquet", t.name);
        let (len, hash) = file(&rel)?;
        resources.push(json!({
            "name": format!("{}-parquet", t.name),
            // A file resource: Frictionless checks its bytes and hash; its typed schema is
            // the Parquet file's own (and the CSV resource's Table Schema).
            "type": "file",
            "path": rel,
            "format": "parquet",
            "mediatype": "application/vnd.apache.parquet",
            "bytes": len,
            "hash": format!("sha256:{hash}"),
            "description": format!("The {} table as Parquet: the same rows and columns as csv/{}.csv, typed.", t.name, t.name),
        }));
    }
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
        "resources": resources,
    });
    let mut text = serde_json::to_string_pretty(&package)?;
    text.push('\n');
    Ok(text)
}

fn license_json(spdx: &str) -> Value {
    match spdx {
        "CC-BY-4.0" => json!({
            "name": "CC-BY-4.0",
            "title": "Creative Commons Attribution 4.0 International",
            "path": "https://creativecommons.org/licenses/by/4.0/",
        }),
        other => json!({"name": other}),
    }
}

fn license_text(spdx: &str) -> String {
    match spdx {
        "CC-BY-4.0" => include_str!("../licenses/CC-BY-4.0.txt").to_owned(),
        other => format!("This dataset is licensed under {other} (SPDX identifier).\n"),
    }
}

/// A YAML double-quoted scalar (JSON string syntax is valid YAML).
fn yaml(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
}

fn citation(meta: &DatasetMeta) -> String {
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

fn type_name(c: &Column) -> &'static str {
    match c.ty {
        ColumnType::Text => "string",
        ColumnType::Id => "string (id)",
        ColumnType::CountryCode => "category (alpha-3)",
        ColumnType::Vocabulary(_) => "category",
        ColumnType::Integer => "integer",
        ColumnType::PartialDate => "string (partial date)",
        ColumnType::Date => "date",
        ColumnType::List => "list of strings",
        _ => "string",
    }
}

fn md(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn data_card(meta: &DatasetMeta, data: &Dataset, tables: &[TableInfo]) -> String {
    let mut s = String::new();
    let v = &meta.version;
    let name = format!("{}-{v}", meta.name);
    let _ = writeln!(s, "# {} ({v})\n", meta.title);
    let _ = writeln!(s, "{}\n", meta.description);
    let _ = writeln!(
        s,
        "Licence: {} (see `LICENSE`). Cite with `CITATION.cff`. Verify the files with `sha256sum -c SHA256SUMS`.\n",
        meta.license
    );
    let _ = writeln!(s, "## Tables\n");
    let _ = writeln!(
        s,
        "Every table is in `csv/<table>.csv` and `parquet/<table>.parquet`; rows are sorted by `id`.\n"
    );
    let _ = writeln!(s, "| table | rows | dates covered |");
    let _ = writeln!(s, "| --- | ---: | --- |");
    for t in tables {
        let cov = t
            .coverage
            .as_ref()
            .map_or_else(|| "".to_owned(), |(a, b)| format!("{a} to {b}"));
        let _ = writeln!(s, "| `{}` | {} | {cov} |", t.name, t.rows);
    }
    let _ = writeln!(
        s,
        "\nA date is published as five columns: `<x>` as the source gives it, in EDTF (`1998`, `1998-02`, `1998-02-26`; `1998?` uncertain, `1998~` approximate, `1998%` both; `199X`, `19XX`, `1998-XX`; an interval `1997-07/1997-12`, with an open `1997-07/..` or unknown `1997-07/` end; on or after `[1997-07..]`, on or before `[..1960]`), `<x>_min` and `<x>_max` (the first and last day it can mean, empty where that end is open or unknown), `<x>_precision` (`day`, `month`, `year`, `decade`, `century` or `range`) and `<x>_certainty` (`certain`, `uncertain`, `approximate` or `uncertain_approximate`). Filter on `_min`/`_max`, never on a day the source does not give. Lists are Parquet `list<string>` and `;`-joined in CSV; an empty CSV cell is null.\n"
    );
    for t in tables {
        let _ = writeln!(s, "### `{}`\n", t.name);
        let _ = writeln!(s, "| column | type | nullable | meaning |");
        let _ = writeln!(s, "| --- | --- | --- | --- |");
        for c in t.columns {
            let mut meaning = md(&c.description);
            if let ColumnType::Vocabulary(values) = c.ty {
                let _ = write!(
                    meaning,
                    " One of: {}.",
                    values
                        .iter()
                        .map(|v| format!("`{v}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            if let Some(fk) = c.references {
                let _ = write!(meaning, " References `{}.{}`.", fk.table, fk.column);
            }
            let _ = writeln!(
                s,
                "| `{}` | {} | {} | {} |",
                c.name,
                type_name(c),
                if c.nullable { "yes" } else { "no" },
                meaning
            );
        }
        let _ = writeln!(s);
    }
    let _ = writeln!(s, "## Sources\n");
    let _ = writeln!(
        s,
        "Every fact-bearing record cites at least one verbatim quote (table `evidence`) from these sources. The release publishes the quotes and the sources' metadata, not their texts.\n"
    );
    let _ = writeln!(s, "| id | title | publisher | published | rights |");
    let _ = writeln!(s, "| --- | --- | --- | --- | --- |");
    for src in &data.sources {
        let _ = writeln!(
            s,
            "| `{}` | {} | {} | {} | {} |",
            src.id,
            md(&src.title),
            md(&src.publisher),
            src.published,
            md(&src.rights)
        );
    }
    let _ = writeln!(s, "\n## Loading\n");
    let _ = writeln!(
        s,
        "```python\nimport pandas as pd\nvisits = pd.read_parquet(\"{name}/parquet/visits.parquet\")\n```\n"
    );
    let _ = writeln!(
        s,
        "```python\nimport polars as pl\nvisits = pl.read_parquet(\"{name}/parquet/visits.parquet\")\nevidence = pl.read_parquet(\"{name}/parquet/evidence.parquet\")\nvisits.join(evidence, left_on=\"id\", right_on=\"record\")\n```\n"
    );
    let _ = writeln!(
        s,
        "```sql\n-- DuckDB\nSELECT date, guest_country, host_country, level FROM '{name}/parquet/visits.parquet' ORDER BY date_min;\n```\n"
    );
    let _ = writeln!(
        s,
        "```rust\n// cargo add diplomacy-model\nlet data = diplomacy_model::Dataset::read_release(\"{name}\")?;\nprintln!(\"{{}} visits\", data.visits.len());\n```\n"
    );
    let _ = writeln!(s, "## Citing\n");
    let authors = if meta.authors.is_empty() {
        format!("{} contributors", meta.title)
    } else {
        meta.authors.join(", ")
    };
    let _ = writeln!(
        s,
        "{authors}. *{}*, version {v}. {}.",
        meta.title, meta.license
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn curated() -> ValidDataset {
        let dir = crate::workspace_root().join("datasets/japan-eurasia-diplomacy");
        let report = validate_dir(&dir);
        assert!(report.is_valid(), "{:?}", report.diagnostics);
        report.into_valid().unwrap()
    }

    fn options(out: &Path) -> ReleaseOptions {
        ReleaseOptions {
            out: out.to_path_buf(),
            force: false,
            parquet: ParquetOptions::default(),
        }
    }

    #[test]
    fn release_round_trips_through_csv_and_parquet() {
        let valid = curated();
        let tmp = tempfile::tempdir().unwrap();
        let path = release(valid.clone(), &options(tmp.path()))
            .unwrap()
            .unwrap();
        let mut expected = valid.data.clone();
        expected.sort();
        let from_csv = Dataset::read_release(&path).unwrap();
        assert_eq!(from_csv, expected);
        let from_parquet = Dataset::read_parquet_dir(path.join("parquet")).unwrap();
        assert_eq!(from_parquet, expected);
        // Nothing but the release is left in the output directory.
        let entries: Vec<_> = fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(entries.len(), 1);
    }

    #[test]
    fn releases_are_byte_identical_and_refuse_to_overwrite() {
        let valid = curated();
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let pa = release(valid.clone(), &options(a.path())).unwrap().unwrap();
        let pb = release(valid.clone(), &options(b.path())).unwrap().unwrap();
        let fa = files_under(&pa).unwrap();
        let fb = files_under(&pb).unwrap();
        assert_eq!(fa.len(), fb.len());
        assert!(fa.len() >= 9 * 2 + 5);
        for (x, y) in fa.iter().zip(&fb) {
            assert_eq!(relative(&pa, x), relative(&pb, y));
            assert_eq!(
                fs::read(x).unwrap(),
                fs::read(y).unwrap(),
                "{}",
                x.display()
            );
        }
        // A second release of the same version is refused, and leaves the first intact.
        let before = fs::read(pa.join("SHA256SUMS")).unwrap();
        assert!(release(valid.clone(), &options(a.path())).unwrap().is_err());
        assert_eq!(fs::read(pa.join("SHA256SUMS")).unwrap(), before);
        // --force replaces it.
        let mut forced = options(a.path());
        forced.force = true;
        assert!(release(valid.clone(), &forced).unwrap().is_ok());
        assert_eq!(fs::read(pa.join("SHA256SUMS")).unwrap(), before);
    }

    #[test]
    fn checksums_cover_every_file() {
        let valid = curated();
        let tmp = tempfile::tempdir().unwrap();
        let path = release(valid.clone(), &options(tmp.path()))
            .unwrap()
            .unwrap();
        let sums = fs::read_to_string(path.join("SHA256SUMS")).unwrap();
        let files = files_under(&path).unwrap();
        assert_eq!(sums.lines().count(), files.len() - 1);
        for line in sums.lines() {
            let (hash, rel) = line.split_once("  ").unwrap();
            assert_eq!(
                hash,
                sha256_hex(&fs::read(path.join(rel)).unwrap()),
                "{rel}"
            );
        }
        let package: Value =
            serde_json::from_str(&fs::read_to_string(path.join("datapackage.json")).unwrap())
                .unwrap();
        assert_eq!(package["resources"].as_array().unwrap().len(), 18);
    }
}
