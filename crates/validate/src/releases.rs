//! The published releases of a dataset: `<releases>/<name>-<version>/`, each with its
//! `datapackage.json` and `csv/` tables.
//!
//! A published release is read as it was written: its tables and their keys come from its
//! own `datapackage.json` and CSV headers, never through today's record types, so a column
//! the model gains (or loses) never makes an older release unreadable. Every file is read
//! with the checks authoring files get: a regular file, inside the release directory, at
//! most [`MAX_FILE_SIZE`](crate::MAX_FILE_SIZE) bytes; and it must match the release's
//! `SHA256SUMS`, so a published release changed since it was written is reported as
//! tampered with, by file, rather than read.

use std::path::{Path, PathBuf};

use diplomacy_model::ReleaseFiles;

/// The files of the published release in `dir`, with the validator's checks: each one a
/// regular file inside the release, at most [`MAX_FILE_SIZE`](crate::MAX_FILE_SIZE) bytes,
/// listed in the release's `SHA256SUMS` (which a published release must have) and matching
/// it. Errors are I/O errors naming the file.
fn release_files(dir: &Path) -> std::io::Result<ReleaseFiles> {
    ReleaseFiles::open(dir)
        .and_then(ReleaseFiles::require_checksums)
        .map(|files| files.with_limit(crate::MAX_FILE_SIZE))
        .map_err(io_error)
}

/// A model error as an I/O error with the same message.
fn io_error(e: diplomacy_model::Error) -> std::io::Error {
    let kind = match &e {
        diplomacy_model::Error::Io { source, .. } => source.kind(),
        diplomacy_model::Error::MissingDirectory { .. } => std::io::ErrorKind::NotFound,
        _ => std::io::ErrorKind::InvalidData,
    };
    std::io::Error::new(kind, e.to_string())
}

/// One table of a published release, as it was written: its CSV header and rows as text,
/// and what its `datapackage.json` says of it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PublishedTable {
    /// The table's name (`visits`), as the package names the resource.
    pub name: String,
    /// The table's primary key column, from its Table Schema (`id` where it names none).
    pub key: String,
    /// The Table Schema fields the package declares for the table, as JSON.
    pub fields: Vec<serde_json::Value>,
    /// The CSV header: every column, in order.
    pub header: Vec<String>,
    /// Every row's cells as text (empty for null), in the file's order.
    pub rows: Vec<Vec<String>>,
}

impl PublishedTable {
    /// Each row's key: the cell of the [`key`](Self::key) column.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        let at = self.header.iter().position(|h| *h == self.key);
        self.rows
            .iter()
            .filter_map(move |row| Some(row.get(at?)?.as_str()))
    }
}

/// One published release: its directory and version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedRelease {
    /// The release directory, e.g. `releases/japan-eurasia-diplomacy-0.1.0`.
    pub dir: PathBuf,
    /// The dataset's machine name, from `datapackage.json`.
    pub name: String,
    /// Its version, from `datapackage.json`.
    pub version: semver::Version,
}

impl PublishedRelease {
    /// `<name>-<version>`, as the release names itself.
    pub fn label(&self) -> String {
        format!("{}-{}", self.name, self.version)
    }

    /// Reads the name and version of the release in `dir` from its `datapackage.json`.
    ///
    /// Fails where the file cannot be read, is not JSON, or lacks a name or a SemVer version.
    pub fn read(dir: &Path) -> std::io::Result<Self> {
        let (package, invalid) = package(&release_files(dir)?)?;
        let field = |key: &str| {
            package
                .get(key)
                .and_then(serde_json::Value::as_str)
                .ok_or_else(|| invalid(format!("no \"{key}\"")))
        };
        let name = field("name")?.to_owned();
        let version = semver::Version::parse(field("version")?)
            .map_err(|e| invalid(format!("version: {e}")))?;
        Ok(Self {
            dir: dir.to_path_buf(),
            name,
            version,
        })
    }

    /// Reads every CSV table the release's `datapackage.json` lists, as it was written.
    ///
    /// Fails where the package or a table it lists cannot be read (missing, not a regular
    /// file, outside the release, too large, not CSV), naming the file.
    pub fn read_tables(&self) -> std::io::Result<Vec<PublishedTable>> {
        let files = release_files(&self.dir)?;
        let (package, invalid) = package(&files)?;
        let mut tables = Vec::new();
        let resources = package
            .get("resources")
            .and_then(serde_json::Value::as_array);
        for resource in resources.into_iter().flatten() {
            let Some(path) = resource.get("path").and_then(serde_json::Value::as_str) else {
                continue;
            };
            if !(path.starts_with("csv/") && path.ends_with(".csv")) {
                continue;
            }
            let name = resource
                .get("name")
                .and_then(serde_json::Value::as_str)
                .ok_or_else(|| invalid(format!("the resource {path:?} has no name")))?;
            let schema = resource.get("schema");
            let key = match schema.and_then(|s| s.get("primaryKey")) {
                Some(serde_json::Value::String(k)) => k.clone(),
                Some(serde_json::Value::Array(k)) => k
                    .first()
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or("id")
                    .to_owned(),
                _ => "id".to_owned(),
            };
            let fields = schema
                .and_then(|s| s.get("fields"))
                .and_then(serde_json::Value::as_array)
                .cloned()
                .unwrap_or_default();
            let file = self.dir.join(path);
            let bytes = files.read(path).map_err(io_error)?;
            // A byte-order mark (a CSV saved by a spreadsheet) is not part of the header.
            let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
            let bad_csv = |e: csv::Error| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("{}: {e}", file.display()),
                )
            };
            let mut reader = csv::ReaderBuilder::new().from_reader(bytes);
            let header = reader
                .headers()
                .map_err(bad_csv)?
                .iter()
                .map(str::to_owned)
                .collect();
            let rows = reader
                .records()
                .map(|r| r.map(|r| r.iter().map(str::to_owned).collect()))
                .collect::<Result<_, _>>()
                .map_err(bad_csv)?;
            tables.push(PublishedTable {
                name: name.to_owned(),
                key,
                fields,
                header,
                rows,
            });
        }
        Ok(tables)
    }
}

/// A release's `datapackage.json` as JSON, and how to say what is wrong with it.
fn package(
    files: &ReleaseFiles,
) -> std::io::Result<(serde_json::Value, impl Fn(String) -> std::io::Error + use<>)> {
    let path = files.dir().join("datapackage.json");
    let text = files.read("datapackage.json").map_err(io_error)?;
    let shown = path.display().to_string();
    let invalid = move |why: String| {
        std::io::Error::new(std::io::ErrorKind::InvalidData, format!("{shown}: {why}"))
    };
    let package = serde_json::from_slice(&text).map_err(|e| invalid(e.to_string()))?;
    Ok((package, invalid))
}

/// The releases of the dataset named `name` under `releases`: each subdirectory whose
/// `datapackage.json` names that dataset, oldest version first. A missing `releases`
/// directory holds none; a subdirectory without a `datapackage.json` is not a release and is
/// passed over, unless its name is that of a release of this dataset (`<name>-<version>`),
/// which is an error, as is a package that cannot be read: a published version that cannot
/// be read stops the caller rather than being skipped.
pub fn published_releases(releases: &Path, name: &str) -> std::io::Result<Vec<PublishedRelease>> {
    let entries = match std::fs::read_dir(releases) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut found = Vec::new();
    for entry in entries {
        let dir = entry?.path();
        if std::fs::symlink_metadata(dir.join("datapackage.json")).is_err() {
            let named_like_one = dir
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_prefix(name)?.strip_prefix('-'))
                .is_some_and(|v| semver::Version::parse(v).is_ok());
            if named_like_one {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    format!(
                        "{} is named as a published release but has no datapackage.json",
                        dir.display()
                    ),
                ));
            }
            continue;
        }
        let release = PublishedRelease::read(&dir)?;
        if release.name == name {
            found.push(release);
        }
    }
    found.sort_by(|a, b| a.version.cmp(&b.version));
    Ok(found)
}
