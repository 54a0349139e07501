//! The release's catalogue metadata, built once: the schema.org `Dataset` JSON-LD embedded in
//! `index.html` and the MLCommons Croissant 1.1 description `croissant.json`.

use diplomacy_model::table::{Column, ColumnType};
use diplomacy_model::{DatasetMeta, TemporalCoverage};
use serde_json::{Value, json};

use crate::checksums::FileHashes;
use crate::error::Error;
use crate::tree::TableInfo;

/// What catalogues are told of a release; the one source of the JSON-LD and of Croissant.
#[derive(Debug, Clone)]
pub(crate) struct Metadata {
    /// Machine name of the dataset.
    pub(crate) name: String,
    /// Human title.
    pub(crate) title: String,
    /// What the dataset covers.
    pub(crate) description: String,
    /// Version of the data.
    pub(crate) version: String,
    /// The licence's URL where it is known, otherwise its SPDX id.
    pub(crate) license: String,
    /// Who compiled it.
    pub(crate) creators: Vec<String>,
    /// Keywords for catalogues.
    pub(crate) keywords: Vec<String>,
    /// The first and last day of the fact records' dates, stated and inferred apart; catalogues
    /// are told [`TemporalCoverage::all`].
    pub(crate) temporal: TemporalCoverage,
    /// The names of the countries the records concern, sorted.
    pub(crate) spatial: Vec<String>,
    /// Every file described: relative path, bytes, SHA-256.
    pub(crate) files: FileHashes,
    /// How to cite the release, as one line of text.
    pub(crate) citation: String,
    /// Where the dataset lives, where it says: its homepage, else its repository.
    pub(crate) url: Option<String>,
    /// The DOI of this version, as a URL, where one is registered.
    pub(crate) identifier: Option<String>,
    /// The day this version is released, where it says.
    pub(crate) released: Option<String>,
    /// The sources the records are based on, as schema.org `CreativeWork`s.
    pub(crate) based_on: Vec<Value>,
}

/// The sources as schema.org `CreativeWork`s: title, publisher, date as written (EDTF), and
/// URL where the source gives one.
fn based_on(data: &diplomacy_model::Dataset) -> Vec<Value> {
    data.sources
        .iter()
        .map(|s| {
            let mut v = json!({
                "@type": "CreativeWork",
                "name": s.title,
                "publisher": {"@type": "Organization", "name": s.publisher},
                "temporal": s.published.to_string(),
            });
            if let Some(url) = &s.url {
                v["url"] = json!(url);
            }
            v
        })
        .collect()
}

/// The URL of a licence given by its SPDX id, where it is known.
pub(crate) fn license_url(spdx: &str) -> Option<&'static str> {
    match spdx {
        "CC-BY-4.0" => Some("https://creativecommons.org/licenses/by/4.0/"),
        "CC0-1.0" => Some("https://creativecommons.org/publicdomain/zero/1.0/"),
        "CC-BY-SA-4.0" => Some("https://creativecommons.org/licenses/by-sa/4.0/"),
        "ODbL-1.0" => Some("https://opendatacommons.org/licenses/odbl/1-0/"),
        _ => None,
    }
}

/// The authors as cited: the dataset's authors, or its title's contributors.
pub(crate) fn authors(meta: &DatasetMeta) -> Vec<String> {
    if meta.authors.is_empty() {
        vec![format!("{} contributors", meta.title)]
    } else {
        meta.authors.clone()
    }
}

/// The citation of a release as one line: authors, title, version, licence.
pub(crate) fn citation_line(meta: &DatasetMeta) -> String {
    format!(
        "{}. {}, version {}. {}.",
        authors(meta).join(", "),
        meta.title,
        meta.version,
        meta.license
    )
}

impl Metadata {
    /// The metadata of the release of `meta` whose files are `files`.
    pub(crate) fn new(
        meta: &DatasetMeta,
        data: &diplomacy_model::Dataset,
        files: FileHashes,
        temporal: TemporalCoverage,
        spatial: Vec<String>,
    ) -> Self {
        Self {
            name: meta.name.as_str().to_owned(),
            title: meta.title.clone(),
            description: meta.description.clone(),
            version: meta.version.clone(),
            license: license_url(&meta.license).map_or_else(|| meta.license.clone(), Into::into),
            creators: authors(meta),
            keywords: meta.keywords.clone(),
            temporal,
            spatial,
            files,
            citation: citation_line(meta),
            url: meta.homepage.clone().or_else(|| meta.repository.clone()),
            identifier: meta.doi.as_ref().map(|d| format!("https://doi.org/{d}")),
            released: meta.released.clone(),
            based_on: based_on(data),
        }
    }

    fn creators_json(&self) -> Vec<Value> {
        self.creators
            .iter()
            .map(|c| json!({"@type": "Organization", "name": c}))
            .collect()
    }
}

/// The media type of a release file, by its extension.
pub(crate) fn media_type(path: &str) -> &'static str {
    if let Some(format) = crate::format::format_of(path) {
        return format.media_type();
    }
    match path.rsplit_once('.').map(|(_, e)| e) {
        Some("sqlite") => crate::sqlite::MEDIA_TYPE,
        Some("json") => "application/json",
        Some("md") => "text/markdown",
        Some("cff") => "application/x-yaml",
        Some("html") => "text/html",
        _ => "text/plain",
    }
}

/// The schema.org `Dataset` of the release (for `<script type="application/ld+json">`).
pub(crate) fn json_ld(m: &Metadata) -> Value {
    let mut v = json!({
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": m.title,
        "alternateName": m.name,
        "description": m.description,
        "version": m.version,
        "license": m.license,
        "isAccessibleForFree": true,
        "creator": m.creators_json(),
        "keywords": m.keywords,
        "spatialCoverage": m.spatial.iter().map(|n| json!({"@type": "Place", "name": n})).collect::<Vec<_>>(),
        "distribution": m.files.iter().map(|(path, f)| json!({
            "@type": "DataDownload",
            "name": path,
            "contentUrl": path,
            "encodingFormat": media_type(path),
            "contentSize": format!("{} B", f.bytes),
            "sha256": f.sha256,
        })).collect::<Vec<_>>(),
        "citation": m.citation,
    });
    if let Some((lo, hi)) = m.temporal.all() {
        v["temporalCoverage"] = json!(format!("{lo}/{hi}"));
    }
    if let Some(url) = &m.url {
        v["url"] = json!(url);
    }
    m.common(&mut v);
    v
}

impl Metadata {
    /// What the JSON-LD and Croissant say alike: identifier, release date, sources.
    fn common(&self, v: &mut Value) {
        if let Some(id) = &self.identifier {
            v["identifier"] = json!(id);
        }
        if let Some(day) = &self.released {
            v["datePublished"] = json!(day);
        }
        if !self.based_on.is_empty() {
            v["isBasedOn"] = json!(self.based_on);
        }
    }
}

/// The Croissant `dataType` of a column.
fn data_type(c: &Column) -> &'static str {
    match c.ty {
        ColumnType::Integer => "sc:Integer",
        ColumnType::Date => "sc:Date",
        _ => "sc:Text",
    }
}

/// The JSON-LD context of Croissant 1.1: 1.0's, and the terms of array fields.
fn croissant_context() -> Value {
    json!({
        "@language": "en",
        "@vocab": "https://schema.org/",
        "citeAs": "cr:citeAs",
        "column": "cr:column",
        "conformsTo": "dct:conformsTo",
        "cr": "http://mlcommons.org/croissant/",
        "rai": "http://mlcommons.org/croissant/RAI/",
        "data": {"@id": "cr:data", "@type": "@json"},
        "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
        "dct": "http://purl.org/dc/terms/",
        "examples": {"@id": "cr:examples", "@type": "@json"},
        "extract": "cr:extract",
        "field": "cr:field",
        "fileProperty": "cr:fileProperty",
        "fileObject": "cr:fileObject",
        "fileSet": "cr:fileSet",
        "format": "cr:format",
        "includes": "cr:includes",
        "isArray": "cr:isArray",
        "arrayShape": "cr:arrayShape",
        "isLiveDataset": "cr:isLiveDataset",
        "jsonPath": "cr:jsonPath",
        "key": "cr:key",
        "md5": "cr:md5",
        "parentField": "cr:parentField",
        "path": "cr:path",
        "recordSet": "cr:recordSet",
        "references": "cr:references",
        "regex": "cr:regex",
        "repeated": "cr:repeated",
        "replace": "cr:replace",
        "sc": "https://schema.org/",
        "separator": "cr:separator",
        "source": "cr:source",
        "subField": "cr:subField",
        "transform": "cr:transform",
    })
}

/// The text of `croissant.json`: the same metadata, the files of every format and the
/// database as `cr:FileObject`s with their hashes, and one `cr:RecordSet` per table read from
/// its CSV.
pub(crate) fn croissant(m: &Metadata, tables: &[TableInfo]) -> Result<String, Error> {
    let distribution: Vec<Value> = m
        .files
        .iter()
        .filter(|(p, _)| crate::format::format_of(p).is_some() || crate::sqlite::is_database(p))
        .map(|(path, f)| {
            json!({
                "@type": "cr:FileObject",
                "@id": path,
                "name": path,
                "contentUrl": path,
                "contentSize": format!("{} B", f.bytes),
                "encodingFormat": media_type(path),
                "sha256": f.sha256,
            })
        })
        .collect();
    let record_sets: Vec<Value> = tables
        .iter()
        .map(|t| {
            let file = crate::format::FORMATS[0].file(t.name);
            let fields: Vec<Value> = t
                .columns
                .iter()
                .map(|c| {
                    let mut description = c.description.to_string();
                    if c.ty == ColumnType::List {
                        description.push_str(" A list: items joined with ';'.");
                    }
                    let mut f = json!({
                        "@type": "cr:Field",
                        "@id": format!("{}/{}", t.name, c.name),
                        "name": c.name,
                        "description": description,
                        "dataType": data_type(c),
                        "source": {"fileObject": {"@id": file}, "extract": {"column": c.name}},
                    });
                    if c.ty == ColumnType::List {
                        // A list of strings: the CSV cell split at ';' (Croissant 1.1).
                        f["isArray"] = json!(true);
                        f["arrayShape"] = json!("-1");
                        f["source"]["transform"] = json!({"separator": ";"});
                    }
                    if let Some(fk) = c.references {
                        f["references"] =
                            json!({"field": {"@id": format!("{}/{}", fk.table.as_str(), fk.column)}});
                    }
                    f
                })
                .collect();
            let mut set = json!({
                "@type": "cr:RecordSet",
                "@id": t.name,
                "name": t.name,
                "description": format!("The {} table ({} rows).", t.name, t.rows),
                "field": fields,
            });
            if t.columns.iter().any(|c| c.name == "id") {
                set["key"] = json!({"@id": format!("{}/id", t.name)});
            }
            set
        })
        .collect();
    let mut v = json!({
        "@context": croissant_context(),
        "@type": "sc:Dataset",
        "conformsTo": "http://mlcommons.org/croissant/1.1",
        "name": m.name,
        "alternateName": m.title,
        "description": m.description,
        "version": m.version,
        "license": m.license,
        "creator": m.creators_json(),
        "keywords": m.keywords,
        "citeAs": m.citation,
        "spatialCoverage": m.spatial,
        "distribution": distribution,
        "recordSet": record_sets,
    });
    if let Some((lo, hi)) = m.temporal.all() {
        v["temporalCoverage"] = json!(format!("{lo}/{hi}"));
    }
    v["url"] = json!(m.url.as_deref().unwrap_or("index.html"));
    m.common(&mut v);
    let mut text = serde_json::to_string_pretty(&v).map_err(|source| Error::Json {
        file: "croissant.json",
        source,
    })?;
    text.push('\n');
    Ok(text)
}
