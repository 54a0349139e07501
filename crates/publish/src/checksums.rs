//! Listing and hashing the files of a release.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use diplomacy_model::sha256_hex_reader;

use crate::error::{Error, IoContext};

/// A file of a release: its size in bytes and its SHA-256 (lower-case hex).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileInfo {
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256, lower-case hex.
    pub sha256: String,
}

/// Every file's path relative to the release, `/`-separated, with its size and hash.
pub type FileHashes = BTreeMap<String, FileInfo>;

/// Hashes `files` (paths under `dir`) on two threads; keys are paths relative to `dir`.
pub(crate) fn hash_files(dir: &Path, files: &[PathBuf]) -> Result<FileHashes, Error> {
    let half = files.len().div_ceil(2).max(1);
    let hash = |part: &[PathBuf]| -> Result<Vec<(String, FileInfo)>, Error> {
        part.iter()
            .map(|p| {
                // Streamed: the database alone may be gigabytes.
                let file = fs::File::open(p).op("read", p)?;
                let (bytes, sha256) = sha256_hex_reader(file).op("read", p)?;
                let info = FileInfo { bytes, sha256 };
                Ok((relative(dir, p), info))
            })
            .collect()
    };
    let parts: Vec<Result<Vec<_>, Error>> = std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(half)
            .map(|part| scope.spawn(move || hash(part)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    let mut out = BTreeMap::new();
    for part in parts {
        out.extend(part?);
    }
    Ok(out)
}

/// Every file under `dir` (not following symbolic links), sorted by relative path.
pub(crate) fn files_under(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d)? {
            let entry = entry?;
            if entry.file_type()?.is_dir() {
                stack.push(entry.path());
            } else {
                out.push(entry.path());
            }
        }
    }
    out.sort_by_key(|p| relative(dir, p));
    Ok(out)
}

/// `path` relative to `dir`, `/`-separated.
pub(crate) fn relative(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The text of `SHA256SUMS`: one `<hash>  <path>` line per file, sorted by path.
pub(crate) fn sha256sums(hashes: &FileHashes) -> String {
    hashes
        .iter()
        .map(|(rel, f)| format!("{}  {rel}\n", f.sha256))
        .collect()
}
