//! The published releases of a dataset: `<releases>/<name>-<version>/`, each with its
//! `datapackage.json` and `csv/` tables.

use std::path::{Path, PathBuf};

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
        let path = dir.join("datapackage.json");
        let text = std::fs::read_to_string(&path)?;
        let invalid = |why: String| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("{}: {why}", path.display()),
            )
        };
        let package: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| invalid(e.to_string()))?;
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
}

/// The releases of the dataset named `name` under `releases`: each subdirectory whose
/// `datapackage.json` names that dataset, oldest version first. A missing `releases`
/// directory holds none; a subdirectory without a `datapackage.json` is not a release and is
/// passed over; one whose package cannot be read is an error.
pub fn published_releases(releases: &Path, name: &str) -> std::io::Result<Vec<PublishedRelease>> {
    let entries = match std::fs::read_dir(releases) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut found = Vec::new();
    for entry in entries {
        let dir = entry?.path();
        if !dir.join("datapackage.json").is_file() {
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
