//! Reading a published release directory (`dist/<name>-<version>/`): its `datapackage.json`
//! says which tables it holds, and the caller says which format to read them in.

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::{Dataset, Error, ReleaseFiles, Table};

/// The file format of a release's tables, chosen when reading one with
/// [`Dataset::read_release`]. A release holds every table in both formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// `csv/<table>.csv`. Always available.
    Csv,
    /// `parquet/<table>.parquet`. Needs the crate feature `parquet`.
    #[cfg(feature = "parquet")]
    Parquet,
}

impl Format {
    /// The format's name as `datapackage.json` writes it (`"csv"`, `"parquet"`); also the
    /// name of the release's subdirectory and the tables' file extension.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            #[cfg(feature = "parquet")]
            Format::Parquet => "parquet",
        }
    }

    /// Where a table of this format lives, relative to the release directory.
    fn relative_path(self, table: &str) -> String {
        let ext = self.as_str();
        format!("{ext}/{table}.{ext}")
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The part of a Frictionless Data Package that says which files a release holds.
#[derive(Deserialize)]
struct Package {
    resources: Vec<Resource>,
}

#[derive(Deserialize)]
struct Resource {
    /// A relative path; Frictionless also allows a list of paths, which releases never use.
    path: serde_json::Value,
}

/// The release in `dir`, opened with [`ReleaseFiles`]' checks.
fn release_files(dir: &Path) -> Result<ReleaseFiles, Error> {
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => ReleaseFiles::open(dir),
        Ok(_) => Err(Error::NotARelease {
            path: dir.to_path_buf(),
            releases_inside: Vec::new(),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Error::MissingDirectory {
            path: dir.to_path_buf(),
        }),
        Err(source) => Err(Error::Io {
            path: dir.to_path_buf(),
            source,
        }),
    }
}

/// The release files `datapackage.json` lists, as written (`csv/visits.csv`, ...).
fn listed_files(files: &ReleaseFiles) -> Result<HashSet<String>, Error> {
    let dir = files.dir();
    if !files.exists("datapackage.json") {
        return Err(Error::NotARelease {
            path: dir.to_path_buf(),
            releases_inside: releases_inside(dir),
        });
    }
    let path = dir.join("datapackage.json");
    let bytes = files.read("datapackage.json")?;
    let package: Package = serde_json::from_slice(&bytes).map_err(|e| Error::Package {
        path: path.clone(),
        message: e.to_string(),
    })?;
    Ok(package
        .resources
        .into_iter()
        .filter_map(|r| match r.path {
            serde_json::Value::String(p) => Some(p),
            _ => None,
        })
        .collect())
}

/// The subdirectories of `dir` that are releases (hold a `datapackage.json`), sorted: the
/// likely meaning of a path one level too high.
fn releases_inside(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("datapackage.json").is_file())
        .collect();
    found.sort();
    found
}

/// Reads one table that the package lists, verified against the release's `SHA256SUMS`;
/// a table it does not list is empty (an older release, from before the table existed).
fn read_listed<T: Table>(
    files: &ReleaseFiles,
    listed: &HashSet<String>,
    format: Format,
) -> Result<Vec<T>, Error> {
    let rel = format.relative_path(T::NAME.as_str());
    if !listed.contains(&rel) {
        return Ok(Vec::new());
    }
    let path = files.dir().join(&rel);
    if !files.exists(&rel) {
        return Err(Error::MissingTable {
            path,
            table: T::NAME,
        });
    }
    match format {
        Format::Csv => {
            let mut file = files.open_file(&rel)?;
            let rows = crate::csv::read_csv(
                std::io::BufReader::new(&mut file),
                &path.display().to_string(),
            );
            // A file that does not match is refused before what was read of it is judged.
            file.finish()?;
            rows
        }
        #[cfg(feature = "parquet")]
        Format::Parquet => crate::parquet::read_parquet(files.open_checked(&rel)?, &path),
    }
}

impl Dataset {
    /// Reads a published release directory (`dist/<name>-<version>/`, or
    /// `releases/<name>-<version>/`) into typed records, evidence included, from its tables
    /// in the `format` chosen: [`Format::Csv`] always, [`Format::Parquet`] with the
    /// `parquet` feature. Both give the same records.
    ///
    /// The release's `datapackage.json` says which tables it holds: each one it lists must
    /// be there, and a table it does not list (one newer than the release) is empty.
    ///
    /// # Errors
    ///
    /// - [`Error::MissingDirectory`]: `dir` does not exist;
    /// - [`Error::NotARelease`]: `dir` has no `datapackage.json` (e.g. `dist/` instead of
    ///   `dist/<name>-<version>/`: the error lists the releases inside it);
    /// - [`Error::Package`]: `datapackage.json` is not a data package;
    /// - [`Error::NoTables`]: it lists no table in `format`;
    /// - [`Error::MissingTable`]: a table file it lists is missing;
    /// - [`Error::UnsafeFile`]: a file it names is not a regular file inside the release (a
    ///   FIFO, a link to `/dev/zero` or out of the release);
    /// - [`Error::Tampered`], [`Error::Unlisted`], [`Error::Checksums`]: where the release
    ///   has a `SHA256SUMS`, a file read does not match it, is not listed in it, or it is
    ///   malformed;
    /// - [`Error::Csv`], [`Error::Field`], [`Error::MissingColumn`] (and with Parquet,
    ///   `Error::Parquet`): a table is malformed, named by `file:line:column` where it can be.
    ///
    /// ```no_run
    /// use diplomacy_model::{Dataset, Format};
    ///
    /// let data = Dataset::read_release("dist/japan-eurasia-diplomacy-0.1.0", Format::Csv)?;
    /// println!("{} visits", data.visits.len());
    /// # Ok::<(), diplomacy_model::Error>(())
    /// ```
    pub fn read_release(dir: impl AsRef<Path>, format: Format) -> Result<Self, Error> {
        let dir = dir.as_ref();
        let files = release_files(dir)?;
        let listed = listed_files(&files)?;
        let any = listed
            .iter()
            .any(|p| p.starts_with(&format!("{}/", format.as_str())));
        if !any {
            return Err(Error::NoTables {
                path: dir.join("datapackage.json"),
                format: format.as_str(),
            });
        }
        /// Reads the tables the package lists.
        struct Listed<'a>(&'a ReleaseFiles, &'a HashSet<String>, Format);
        impl crate::TableReader for Listed<'_> {
            fn read<T: Table>(&mut self) -> Result<Vec<T>, Error> {
                read_listed(self.0, self.1, self.2)
            }
        }
        Dataset::read_tables(&mut Listed(&files, &listed, format))
    }
}
