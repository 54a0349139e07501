//! A published release's files, read only as the release wrote them: each one a regular file
//! inside the release directory, read no further than its length, and, where the release has
//! a `SHA256SUMS`, matching the SHA-256 it lists.
//!
//! A link to `/dev/zero`, a FIFO, or a path that leads out of the release is refused by name
//! instead of being read until memory runs out or forever; a file changed after the release
//! was written is refused as not the published one.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek as _};
use std::path::{Path, PathBuf};

use sha2::{Digest as _, Sha256};

use crate::Error;

/// The file every release lists its files' SHA-256 in, one `<hex>  <path>` line each, as
/// `sha256sum -c` reads it.
pub const CHECKSUMS_FILE: &str = "SHA256SUMS";

/// The SHA-256 of `bytes` as lower-case hex, the form `SHA256SUMS` (and a dataset's
/// `sources.toml`) records.
///
/// ```
/// assert_eq!(
///     diplomacy_model::sha256_hex(b"abc"),
///     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/// );
/// ```
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The SHA-256 of everything `reader` gives, as lower-case hex, with how many bytes it gave:
/// what [`sha256_hex`] gives for the same bytes, read through a fixed 256 KiB buffer, so a
/// file of gigabytes is hashed in that much memory.
///
/// ```
/// let (bytes, hash) = diplomacy_model::sha256_hex_reader(&b"abc"[..])?;
/// assert_eq!(bytes, 3);
/// assert_eq!(hash, diplomacy_model::sha256_hex(b"abc"));
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// # Errors
///
/// The first error reading gives (an interrupted read is tried again).
pub fn sha256_hex_reader(mut reader: impl Read) -> std::io::Result<(u64, String)> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut total = 0u64;
    loop {
        match reader.read(&mut buf) {
            Ok(0) => return Ok((total, hex(&hasher.finalize()))),
            Ok(n) => {
                hasher.update(&buf[..n]);
                total += n as u64;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// Lower-case hex of a digest.
fn hex(digest: &[u8]) -> String {
    use std::fmt::Write as _;
    digest.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The files of one release directory, opened with the checks above.
///
/// ```no_run
/// use diplomacy_model::ReleaseFiles;
///
/// let files = ReleaseFiles::open("releases/japan-eurasia-diplomacy-0.5.0")?;
/// let package = files.read("datapackage.json")?; // verified against SHA256SUMS
/// # Ok::<(), diplomacy_model::Error>(())
/// ```
#[derive(Debug)]
pub struct ReleaseFiles {
    dir: PathBuf,
    canonical: PathBuf,
    /// Relative path -> its SHA-256 as hex, from `SHA256SUMS`; `None` where the release has
    /// no such file.
    sums: Option<HashMap<String, String>>,
    /// The largest file read, in bytes.
    limit: u64,
}

impl ReleaseFiles {
    /// Opens the release in `dir`, reading its `SHA256SUMS` where it has one.
    ///
    /// # Errors
    ///
    /// [`Error::MissingDirectory`] where `dir` does not exist; [`Error::UnsafeFile`] where
    /// `SHA256SUMS` is there but is not a regular file inside the release;
    /// [`Error::Checksums`] where a line of it is not `<64 hex digits>  <path>`.
    pub fn open(dir: impl AsRef<Path>) -> Result<Self, Error> {
        let dir = dir.as_ref();
        let canonical = dir.canonicalize().map_err(|source| {
            if source.kind() == std::io::ErrorKind::NotFound {
                Error::MissingDirectory {
                    path: dir.to_path_buf(),
                }
            } else {
                Error::Io {
                    path: dir.to_path_buf(),
                    source,
                }
            }
        })?;
        let mut files = Self {
            dir: dir.to_path_buf(),
            canonical,
            sums: None,
            limit: u64::MAX,
        };
        if std::fs::symlink_metadata(dir.join(CHECKSUMS_FILE)).is_ok() {
            let mut text = String::new();
            let path = dir.join(CHECKSUMS_FILE);
            files
                .open_unverified(CHECKSUMS_FILE)?
                .0
                .read_to_string(&mut text)
                .map_err(|source| Error::Io {
                    path: path.clone(),
                    source,
                })?;
            files.sums = Some(
                parse_sums(&text).map_err(|(line, reason)| Error::Checksums {
                    path,
                    line,
                    reason,
                })?,
            );
        }
        Ok(files)
    }

    /// Refuses files larger than `bytes` ([`Error::UnsafeFile`]) from here on.
    #[must_use]
    pub fn with_limit(mut self, bytes: u64) -> Self {
        self.limit = bytes;
        self
    }

    /// Requires the release to have a `SHA256SUMS`, as every published one does.
    ///
    /// # Errors
    ///
    /// [`Error::NoChecksums`] where it has none.
    pub fn require_checksums(self) -> Result<Self, Error> {
        if self.sums.is_none() {
            return Err(Error::NoChecksums {
                path: self.dir.clone(),
            });
        }
        Ok(self)
    }

    /// The release directory, as given.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether the release has a `SHA256SUMS` its files are verified against.
    pub fn is_verified(&self) -> bool {
        self.sums.is_some()
    }

    /// Whether a file `rel` (a path relative to the release, `csv/visits.csv`) exists, as
    /// anything.
    pub fn exists(&self, rel: &str) -> bool {
        std::fs::symlink_metadata(self.dir.join(rel)).is_ok()
    }

    /// Reads the whole file `rel`, verified.
    ///
    /// # Errors
    ///
    /// See [`open_file`](Self::open_file); also [`Error::Io`] on a failed read.
    pub fn read(&self, rel: &str) -> Result<Vec<u8>, Error> {
        let mut file = self.open_file(rel)?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(|source| Error::Io {
            path: self.dir.join(rel),
            source,
        })?;
        file.finish()?;
        Ok(bytes)
    }

    /// Opens the file `rel` to be read once from start to end; [`VerifiedFile::finish`]
    /// checks it against `SHA256SUMS` once read.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] (`NotFound`) where it is missing;
    /// [`Error::UnsafeFile`] where it is not a regular file or leads out of the release;
    /// [`Error::Unlisted`] where the release has a `SHA256SUMS` that does not list it.
    pub fn open_file(&self, rel: &str) -> Result<VerifiedFile, Error> {
        let expected = self.expected(rel)?;
        let (file, path) = self.open_unverified(rel)?;
        Ok(VerifiedFile {
            file,
            path,
            hasher: expected.is_some().then(Sha256::new),
            expected,
        })
    }

    /// Opens the file `rel` for random access (a Parquet reader's), after reading it once
    /// through to check it against `SHA256SUMS`.
    ///
    /// # Errors
    ///
    /// As [`open_file`](Self::open_file), and [`Error::Tampered`] where it does not match.
    pub fn open_checked(&self, rel: &str) -> Result<File, Error> {
        let mut verified = self.open_file(rel)?;
        let path = verified.path.clone();
        std::io::copy(&mut verified, &mut std::io::sink()).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        let mut file = verified.finish()?.into_inner();
        file.rewind().map_err(|source| Error::Io { path, source })?;
        Ok(file)
    }

    /// The SHA-256 `SHA256SUMS` lists for `rel`: `None` where the release has no
    /// `SHA256SUMS`.
    fn expected(&self, rel: &str) -> Result<Option<String>, Error> {
        let Some(sums) = &self.sums else {
            return Ok(None);
        };
        match sums.get(rel) {
            Some(hex) => Ok(Some(hex.clone())),
            None => Err(Error::Unlisted {
                path: self.dir.join(rel),
            }),
        }
    }

    /// Opens `rel` if it is a regular file inside the release, limited to its length.
    fn open_unverified(&self, rel: &str) -> Result<(std::io::Take<File>, PathBuf), Error> {
        let path = self.dir.join(rel);
        let unsafe_file = |reason: &'static str| Error::UnsafeFile {
            path: path.clone(),
            reason,
        };
        let io = |source| Error::Io {
            path: path.clone(),
            source,
        };
        let real = path.canonicalize().map_err(io)?;
        if !real.starts_with(&self.canonical) {
            return Err(unsafe_file("it leads out of the release directory"));
        }
        let meta = std::fs::metadata(&real).map_err(io)?;
        if !meta.is_file() {
            return Err(unsafe_file("it is not a regular file"));
        }
        if meta.len() > self.limit {
            return Err(unsafe_file("it is larger than the size limit"));
        }
        let file = File::open(&real).map_err(io)?;
        // Never past the length it had when opened: a file that grows is not read forever.
        Ok((file.take(meta.len()), path))
    }
}

/// `SHA256SUMS` as a map, or the line (from 1) that is not `<hex>  <path>` and why.
fn parse_sums(text: &str) -> Result<HashMap<String, String>, (usize, &'static str)> {
    let mut sums = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.is_empty() {
            continue;
        }
        let (hex, path) = line
            .split_once("  ")
            .or_else(|| line.split_once(" *"))
            .ok_or((i + 1, "not `<sha256>  <path>`"))?;
        if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err((i + 1, "the checksum is not 64 hex digits"));
        }
        if sums
            .insert(path.to_owned(), hex.to_ascii_lowercase())
            .is_some()
        {
            return Err((i + 1, "the path is listed twice"));
        }
    }
    Ok(sums)
}

/// A release file being read once through, hashed as it is read.
#[derive(Debug)]
pub struct VerifiedFile {
    file: std::io::Take<File>,
    path: PathBuf,
    hasher: Option<Sha256>,
    expected: Option<String>,
}

impl Read for VerifiedFile {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.file.read(buf)?;
        if let Some(hasher) = &mut self.hasher {
            hasher.update(&buf[..n]);
        }
        Ok(n)
    }
}

impl VerifiedFile {
    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads whatever is left and checks the whole against `SHA256SUMS`, giving the file
    /// back.
    ///
    /// # Errors
    ///
    /// [`Error::Tampered`] where the file's SHA-256 is not the one listed; [`Error::Io`] on
    /// a failed read.
    pub fn finish(mut self) -> Result<std::io::Take<File>, Error> {
        std::io::copy(&mut self, &mut std::io::sink()).map_err(|source| Error::Io {
            path: self.path.clone(),
            source,
        })?;
        if let (Some(hasher), Some(listed)) = (self.hasher, self.expected) {
            let actual = hex(&hasher.finalize());
            if actual != listed {
                return Err(Error::Tampered {
                    path: self.path,
                    listed,
                    actual,
                });
            }
        }
        Ok(self.file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that gives a few bytes at a time and is interrupted now and then, as a pipe
    /// or a slow disk may be.
    struct Trickle<'a> {
        bytes: &'a [u8],
        calls: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            self.calls += 1;
            if self.calls.is_multiple_of(3) {
                return Err(std::io::ErrorKind::Interrupted.into());
            }
            let n = buf.len().min(self.bytes.len()).min(7919);
            buf[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    #[test]
    fn a_streamed_hash_is_the_hash_of_the_whole() {
        // Longer than the buffer, and not a multiple of it.
        let bytes: Vec<u8> = (0..700_001u32)
            .map(|i| (i.wrapping_mul(31) >> 3) as u8)
            .collect();
        let whole = sha256_hex(&bytes);
        assert_eq!(
            sha256_hex_reader(&bytes[..]).unwrap(),
            (700_001, whole.clone())
        );
        let trickle = Trickle {
            bytes: &bytes,
            calls: 0,
        };
        assert_eq!(sha256_hex_reader(trickle).unwrap(), (700_001, whole));
        assert_eq!(sha256_hex_reader(&b""[..]).unwrap().0, 0);
    }

    #[test]
    fn a_failed_read_is_an_error_not_a_hash() {
        struct Broken;
        impl Read for Broken {
            fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("disk gone"))
            }
        }
        assert!(sha256_hex_reader(Broken).is_err());
    }
}
