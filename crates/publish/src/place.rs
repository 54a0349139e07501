//! Putting a finished release in place: all or nothing, never destroying anything else.
//!
//! The release is built in `<out>/.<name>.partial-<pid>` while an advisory lock is held on
//! `<out>` itself (so no lock file is left behind), then moved to `<out>/<name>` in one
//! atomic step:
//!
//! - when nothing is at the target, with `renameat2(RENAME_NOREPLACE)`: if anything appeared
//!   there meanwhile, the rename fails instead of replacing it;
//! - when `force` replaces an earlier release, with `renameat2(RENAME_EXCHANGE)`: the old and
//!   the new release swap places in one step, and the old one, now in the temporary
//!   directory, is removed afterwards. At every instant the target holds a complete release.
//!
//! `force` replaces only a directory that is verifiably a release of the same dataset and
//! version, holding no file its `SHA256SUMS` does not list. A run that is killed leaves its
//! temporary directory behind; the next run into the same output removes it, matching the
//! exact name pattern of its own dataset, under the lock.

use std::fs::{self, File, TryLockError};
use std::io;
use std::path::{Path, PathBuf};

use crate::checksums::{files_under, relative};
use crate::error::{Error, IoContext};

/// A release being built beside its target. Dropping it before [`Staging::commit`] removes
/// the temporary directory.
#[derive(Debug)]
pub(crate) struct Staging {
    out: PathBuf,
    name: String,
    tmp: PathBuf,
    /// Held for the life of the staging: the advisory lock on `out`.
    _lock: File,
    committed: bool,
}

/// The temporary directory of a run of release `name`.
fn partial_name(name: &str, pid: u32) -> String {
    format!(".{name}.partial-{pid}")
}

/// Whether `file` is the temporary directory of some run of release `name`: exactly
/// `.<name>.partial-<digits>` or `.<name>.old-<digits>` (the latter from older versions).
fn is_leftover(file: &str, name: &str) -> bool {
    let Some(rest) = file.strip_prefix('.').and_then(|f| f.strip_prefix(name)) else {
        return false;
    };
    let digits = rest
        .strip_prefix(".partial-")
        .or_else(|| rest.strip_prefix(".old-"));
    digits.is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
}

impl Staging {
    /// Creates `out` if needed, takes the lock on it, removes what killed runs of this
    /// release left, and creates this run's temporary directory.
    pub(crate) fn begin(out: &Path, name: &str) -> Result<Self, Error> {
        fs::create_dir_all(out).op("create directory", out)?;
        let lock = File::open(out).op("open directory", out)?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(Error::Busy {
                    path: out.to_path_buf(),
                });
            }
            Err(TryLockError::Error(e)) => return Err(e).op("lock directory", out),
        }
        for entry in fs::read_dir(out).op("read directory", out)? {
            let entry = entry.op("read directory", out)?;
            let file = entry.file_name();
            if file.to_str().is_some_and(|f| is_leftover(f, name)) {
                let path = entry.path();
                remove_any(&path).op("remove the leftover of an interrupted release", &path)?;
            }
        }
        let tmp = out.join(partial_name(name, std::process::id()));
        fs::create_dir(&tmp).op("create directory", &tmp)?;
        Ok(Self {
            out: out.to_path_buf(),
            name: name.to_owned(),
            tmp,
            _lock: lock,
            committed: false,
        })
    }

    /// The temporary directory to write the release into.
    pub(crate) fn path(&self) -> &Path {
        &self.tmp
    }

    /// Moves the finished release to `<out>/<name>`. Without `force` an existing target is
    /// refused; with it, only a release of the same `dataset` and `version` is replaced.
    pub(crate) fn commit(
        mut self,
        force: bool,
        dataset: &str,
        version: &str,
    ) -> Result<PathBuf, Error> {
        let target = self.out.join(&self.name);
        fail::fail_point!("publish::before-commit");
        if !check_target(&target, force, dataset, version)? {
            match rename_noreplace(&self.tmp, &target) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    return Err(Error::Exists { path: target });
                }
                Err(e) => return Err(e).op("move the release into place at", &target),
            }
            self.committed = true;
        } else {
            exchange(&self.tmp, &target).op("swap the new release into place at", &target)?;
            self.committed = true;
            fail::fail_point!("publish::after-exchange");
            // The old release is now in the temporary directory. Should removing it fail,
            // the next run removes it as a leftover.
            let _ = fs::remove_dir_all(&self.tmp);
        }
        Ok(target)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.tmp);
        }
    }
}

/// Checks what is at `target`: false where nothing is; true where a release that `force`
/// may replace is; an error where the release exists and `force` is off, or where
/// what is there is not a release of `dataset` at `version`.
pub(crate) fn check_target(
    target: &Path,
    force: bool,
    dataset: &str,
    version: &str,
) -> Result<bool, Error> {
    match fs::symlink_metadata(target) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e).op("inspect", target),
        Ok(_) if !force => Err(Error::Exists {
            path: target.to_path_buf(),
        }),
        Ok(meta) => verify_release(target, &meta, dataset, version).map(|()| true),
    }
}

/// Removes a directory tree, or a file or symbolic link, without following links.
fn remove_any(path: &Path) -> io::Result<()> {
    if fs::symlink_metadata(path)?.is_dir() {
        fs::remove_dir_all(path)
    } else {
        fs::remove_file(path)
    }
}

/// Checks that `path` (with metadata `meta`, not followed) is a release of `dataset` at
/// `version` holding nothing but the files its `SHA256SUMS` lists.
fn verify_release(
    path: &Path,
    meta: &fs::Metadata,
    dataset: &str,
    version: &str,
) -> Result<(), Error> {
    let refuse = |reason: String| Error::NotARelease {
        path: path.to_path_buf(),
        reason,
    };
    if meta.file_type().is_symlink() {
        return Err(refuse("it is a symbolic link".into()));
    }
    if !meta.is_dir() {
        return Err(refuse("it is not a directory".into()));
    }
    let package = path.join("datapackage.json");
    let text = fs::read_to_string(&package)
        .map_err(|_| refuse("it has no readable datapackage.json".into()))?;
    let json: serde_json::Value = serde_json::from_str(&text)
        .map_err(|_| refuse("its datapackage.json is not JSON".into()))?;
    let (found_name, found_version) = (json["name"].as_str(), json["version"].as_str());
    if found_name != Some(dataset) || found_version != Some(version) {
        return Err(refuse(format!(
            "its datapackage.json names {} {}",
            found_name.unwrap_or("no dataset"),
            found_version.unwrap_or("and no version")
        )));
    }
    let sums = fs::read_to_string(path.join("SHA256SUMS"))
        .map_err(|_| refuse("it has no readable SHA256SUMS".into()))?;
    let listed: std::collections::BTreeSet<&str> = sums
        .lines()
        .filter_map(|l| l.split_once("  ").map(|(_, f)| f))
        .chain(["SHA256SUMS"])
        .collect();
    let files = files_under(path).map_err(|e| refuse(format!("it cannot be read: {e}")))?;
    let mut extra: Vec<String> = files
        .iter()
        .map(|f| relative(path, f))
        .filter(|f| !listed.contains(f.as_str()))
        .collect();
    if !extra.is_empty() {
        extra.truncate(5);
        return Err(refuse(format!(
            "it holds files that are not part of the release: {}",
            extra.join(", ")
        )));
    }
    Ok(())
}

#[cfg(target_os = "linux")]
fn rename_noreplace(from: &Path, to: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
        Ok(()) => Ok(()),
        // A file system without renameat2 flags: the lock is held and the target was just
        // seen absent, so a plain rename of a directory onto nothing is the fallback.
        Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS) => fs::rename(from, to),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn rename_noreplace(from: &Path, to: &Path) -> io::Result<()> {
    if to.exists() {
        return Err(io::ErrorKind::AlreadyExists.into());
    }
    fs::rename(from, to)
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(|e| {
        if matches!(e, rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS) {
            io::Error::new(
                io::ErrorKind::Unsupported,
                "this file system cannot swap two directories atomically; remove the old release and run again",
            )
        } else {
            e.into()
        }
    })
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "replacing a release atomically needs Linux; remove the old release and run again",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftovers_match_only_their_exact_pattern() {
        let name = "ds-1.0.0";
        assert!(is_leftover(".ds-1.0.0.partial-123", name));
        assert!(is_leftover(".ds-1.0.0.old-9", name));
        for other in [
            "ds-1.0.0",
            ".ds-1.0.0.partial-",
            ".ds-1.0.0.partial-12a",
            ".ds-1.0.0.partial-12/x",
            ".ds-1.0.0.partial-1.bak",
            ".ds-1.0.1.partial-12",
            ".ds-1.0.0.partial-12 ",
            "ds-1.0.0.partial-12",
            ".ds-1.0.0x.partial-12",
            ".other.partial-12",
        ] {
            assert!(!is_leftover(other, name), "{other}");
        }
    }

    #[test]
    fn staging_is_removed_unless_committed() {
        let out = tempfile::tempdir().unwrap();
        let tmp = {
            let s = Staging::begin(out.path(), "ds-1.0.0").unwrap();
            fs::write(s.path().join("a"), "x").unwrap();
            s.path().to_path_buf()
        };
        assert!(!tmp.exists());
        assert_eq!(fs::read_dir(out.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_second_run_into_the_same_output_is_refused_while_the_first_holds_it() {
        let out = tempfile::tempdir().unwrap();
        let first = Staging::begin(out.path(), "ds-1.0.0").unwrap();
        // flock is per open file description: a second open in this process conflicts too.
        let err = Staging::begin(out.path(), "ds-1.0.0").unwrap_err();
        assert!(matches!(err, Error::Busy { .. }), "{err}");
        drop(first);
        assert!(Staging::begin(out.path(), "ds-1.0.0").is_ok());
    }

    #[test]
    fn leftovers_of_killed_runs_are_removed_and_nothing_else() {
        let out = tempfile::tempdir().unwrap();
        let keep = [
            "ds-1.0.0.partial-5",
            ".ds-1.0.0.partial-5x",
            ".ds-2.0.0.partial-5",
            "notes.txt",
        ];
        for k in keep {
            fs::create_dir(out.path().join(k)).unwrap();
        }
        fs::create_dir(out.path().join(".ds-1.0.0.partial-4")).unwrap();
        fs::write(out.path().join(".ds-1.0.0.partial-4/big"), "x").unwrap();
        fs::create_dir(out.path().join(".ds-1.0.0.old-4")).unwrap();
        let s = Staging::begin(out.path(), "ds-1.0.0").unwrap();
        assert!(!out.path().join(".ds-1.0.0.partial-4").exists());
        assert!(!out.path().join(".ds-1.0.0.old-4").exists());
        for k in keep {
            assert!(out.path().join(k).exists(), "{k}");
        }
        drop(s);
    }

    #[test]
    fn commit_refuses_an_existing_target_without_force_and_leaves_it() {
        let out = tempfile::tempdir().unwrap();
        fs::create_dir(out.path().join("ds-1.0.0")).unwrap();
        fs::write(out.path().join("ds-1.0.0/thesis.docx"), "work").unwrap();
        let s = Staging::begin(out.path(), "ds-1.0.0").unwrap();
        let err = s.commit(false, "ds", "1.0.0").unwrap_err();
        assert!(matches!(err, Error::Exists { .. }), "{err}");
        let s = Staging::begin(out.path(), "ds-1.0.0").unwrap();
        let err = s.commit(true, "ds", "1.0.0").unwrap_err();
        assert!(matches!(err, Error::NotARelease { .. }), "{err}");
        assert_eq!(
            fs::read_to_string(out.path().join("ds-1.0.0/thesis.docx")).unwrap(),
            "work"
        );
        // Only the target is left: both runs cleaned up.
        assert_eq!(fs::read_dir(out.path()).unwrap().count(), 1);
    }

    #[test]
    fn force_refuses_a_regular_file_and_a_symlink() {
        let out = tempfile::tempdir().unwrap();
        fs::write(out.path().join("ds-1.0.0"), "a file").unwrap();
        let s = Staging::begin(out.path(), "ds-1.0.0").unwrap();
        let err = s.commit(true, "ds", "1.0.0").unwrap_err();
        assert!(err.to_string().contains("not a directory"), "{err}");
        assert_eq!(
            fs::read_to_string(out.path().join("ds-1.0.0")).unwrap(),
            "a file"
        );
        fs::remove_file(out.path().join("ds-1.0.0")).unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), out.path().join("ds-1.0.0")).unwrap();
        let s = Staging::begin(out.path(), "ds-1.0.0").unwrap();
        let err = s.commit(true, "ds", "1.0.0").unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
    }
}
