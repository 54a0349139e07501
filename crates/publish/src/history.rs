//! A release's place among the published versions: the version bump it needs (SemVer for
//! data), the `since` of its redirects, its `CHANGELOG.md` and its `changes.json`.
//!
//! # Versions of 0.x
//!
//! Versions follow Cargo's reading of SemVer. From 1.0.0, a MAJOR change needs the major
//! number raised, a MINOR change the minor number, a PATCH change the patch number. Before
//! 1.0.0 every number moves one place to the right: a MAJOR change needs the minor number
//! raised (0.1.3 -> 0.2.0), and a MINOR or PATCH change the patch number (0.1.3 -> 0.1.4);
//! in 0.0.x every change needs a new patch number, which Cargo already reads as breaking.

use std::fmt::Write as _;
use std::path::Path;

use diplomacy_model::{Dataset, DatasetMeta};
use diplomacy_validate::{PublishedRelease, published_releases};
use semver::Version;

use crate::diff::{Bump, Diff, Snapshot, diff};
use crate::error::{Error, IoContext};

/// The largest change a move from `old` to `new` allows, by Cargo's convention (see the
/// module docs); [`Bump::None`] where `new` is not above `old`.
///
/// ```
/// use diplomacy_publish::{Bump, allowed_bump};
/// let v = |s| semver::Version::parse(s).unwrap();
/// assert_eq!(allowed_bump(&v("1.2.3"), &v("1.3.0")), Bump::Minor);
/// assert_eq!(allowed_bump(&v("1.2.3"), &v("1.2.4")), Bump::Patch);
/// assert_eq!(allowed_bump(&v("0.1.0"), &v("0.2.0")), Bump::Major);
/// assert_eq!(allowed_bump(&v("0.1.0"), &v("0.1.1")), Bump::Minor);
/// assert_eq!(allowed_bump(&v("0.2.0"), &v("0.1.9")), Bump::None);
/// // Build metadata is no new version.
/// assert_eq!(allowed_bump(&v("1.0.0"), &v("1.0.0+build.2")), Bump::None);
/// ```
pub fn allowed_bump(old: &Version, new: &Version) -> Bump {
    let (old, new) = (&precedence(old), &precedence(new));
    if new <= old {
        return Bump::None;
    }
    let moved = |a: u64, b: u64| a != b;
    if moved(old.major, new.major) {
        return Bump::Major;
    }
    let same_numbers = old.minor == new.minor && old.patch == new.patch;
    if same_numbers {
        // Only the pre-release differs: a pre-release promises nothing.
        return Bump::Major;
    }
    match new.major {
        0 if moved(old.minor, new.minor) || new.minor == 0 => Bump::Major,
        0 => Bump::Minor,
        _ if moved(old.minor, new.minor) => Bump::Minor,
        _ => Bump::Patch,
    }
}

/// `v` without its build metadata: SemVer precedence ignores it, so `1.0.0+b` is the same
/// version as `1.0.0` (and may not carry other data).
fn precedence(v: &Version) -> Version {
    Version {
        build: semver::BuildMetadata::EMPTY,
        ..v.clone()
    }
}

/// The smallest version after `old` that allows a change of size `bump`.
///
/// ```
/// use diplomacy_publish::{Bump, next_version};
/// let v = |s| semver::Version::parse(s).unwrap();
/// assert_eq!(next_version(&v("1.2.3"), Bump::Major), v("2.0.0"));
/// assert_eq!(next_version(&v("1.2.3"), Bump::Minor), v("1.3.0"));
/// assert_eq!(next_version(&v("0.2.3"), Bump::Major), v("0.3.0"));
/// assert_eq!(next_version(&v("0.2.3"), Bump::Minor), v("0.2.4"));
/// assert_eq!(next_version(&v("0.0.3"), Bump::Major), v("0.0.4"));
/// ```
pub fn next_version(old: &Version, bump: Bump) -> Version {
    let (major, minor, patch) = (old.major, old.minor, old.patch);
    let (major, minor, patch) = match (major, bump) {
        (_, Bump::None) => (major, minor, patch),
        (0, Bump::Major) if minor > 0 => (0, minor + 1, 0),
        (0, _) => (0, minor, patch + 1),
        (_, Bump::Major) => (major + 1, 0, 0),
        (_, Bump::Minor) => (major, minor + 1, 0),
        (_, Bump::Patch) => (major, minor, patch + 1),
    };
    Version::new(major, minor, patch)
}

/// Refuses `version` where it is not above `previous` by as much as `changes` need.
///
/// Fails with [`Error::VersionTooLow`] naming each change and the bump it needs.
pub fn check_bump(previous: &Version, version: &Version, changes: &Diff) -> Result<(), Error> {
    let needed = changes.required();
    if allowed_bump(previous, version) >= needed {
        return Ok(());
    }
    Err(Error::VersionTooLow {
        version: version.to_string(),
        previous: previous.to_string(),
        needed,
        suggested: next_version(previous, needed).to_string(),
        reasons: changes
            .bumps
            .iter()
            .filter(|r| allowed_bump(previous, version) < r.bump)
            .map(|r| format!("{} needs a {} bump", r.change, r.bump))
            .collect(),
    })
}

/// The files a release adds from its history.
#[derive(Debug)]
pub(crate) struct History {
    /// `CHANGELOG.md`.
    pub(crate) changelog: String,
    /// `changes.json`: the changes against the previous published version.
    pub(crate) changes: String,
}

fn read_all(published: &[PublishedRelease]) -> Result<Vec<Snapshot>, Error> {
    published
        .iter()
        .map(|p| Snapshot::read_release(&p.dir))
        .collect()
}

fn first_release(records: usize) -> String {
    format!("First published release: {records} records.\n\n")
}

/// Checks the version of `meta` against the releases published under `releases`, fills in
/// the `since` of each redirect, and writes the changelog and the change list.
///
/// Fails with [`Error::VersionReused`] where the version is published with other data,
/// [`Error::VersionNotNewer`] where a newer version is published, [`Error::VersionTooLow`]
/// where the bump is smaller than the changes need.
pub(crate) fn prepare(
    dir: &Path,
    meta: &DatasetMeta,
    data: &mut Dataset,
    releases: Option<&Path>,
) -> Result<History, Error> {
    let version = Version::parse(&meta.version).map_err(|e| Error::Unreadable {
        path: "dataset.toml".into(),
        reason: format!("version {:?} is not SemVer: {e}", meta.version),
    })?;
    let published = match releases {
        Some(dir) => published_releases(dir, meta.name.as_str()).op("read releases in", dir)?,
        None => Vec::new(),
    };
    let snapshots = read_all(&published)?;
    // A redirect keeps the version that first published it.
    for r in &mut data.redirects {
        r.since = snapshots
            .iter()
            .rev()
            .find_map(|s| s.redirect_since().remove(r.from.as_str()))
            .or_else(|| Some(meta.version.clone()));
    }
    // The snapshot of this version is taken only where there is a published one to compare.
    let current = match published.is_empty() {
        true => None,
        false => Some(Snapshot::of_dir(meta, data, dir)?),
    };
    let current = current.as_ref();
    let version = precedence(&version);
    if let (Some(i), Some(current)) = (
        published
            .iter()
            .position(|p| precedence(&p.version) == version),
        current,
    ) {
        let changes = diff(&snapshots[i], current);
        if !changes.is_empty() {
            return Err(Error::VersionReused {
                version: meta.version.clone(),
                changes: changes.bumps.iter().map(|r| r.change.clone()).collect(),
            });
        }
    }
    if let Some(latest) = published
        .last()
        .filter(|p| precedence(&p.version) > version)
    {
        return Err(Error::VersionNotNewer {
            version: meta.version.clone(),
            latest: latest.version.to_string(),
        });
    }
    // The published versions before this one, oldest first, with their snapshots.
    let earlier: Vec<(&PublishedRelease, &Snapshot)> = published
        .iter()
        .zip(&snapshots)
        .filter(|(p, _)| precedence(&p.version) < version)
        .collect();
    let against = earlier
        .last()
        .zip(current)
        .map(|((p, s), current)| (p, diff(s, current)));
    if let Some((p, changes)) = &against {
        check_bump(&p.version, &version, changes)?;
    }

    let mut log = String::new();
    let _ = writeln!(log, "# Changelog of {}\n", meta.name);
    let _ = writeln!(
        log,
        "Every published version, newest first. A version follows SemVer for data: MAJOR for a \
         column removed or renamed or a meaning changed, MINOR for records or columns added or \
         ids redirected, PATCH for corrections; before 1.0.0 each moves one place right \
         (a MAJOR change raises the minor number, any other the patch number).\n"
    );
    let _ = writeln!(log, "## {}\n", meta.version);
    for note in &meta.notes {
        let _ = writeln!(log, "{}\n", crate::markdown::text(note));
    }
    match &against {
        Some((p, changes)) => {
            let _ = writeln!(log, "Changes from {}:\n", p.version);
            log.push_str(&changes.to_markdown(3));
        }
        None => log.push_str(&first_release(data.len())),
    }
    for i in (0..earlier.len()).rev() {
        let (p, s) = earlier[i];
        let _ = writeln!(log, "## {}\n", p.version);
        match i.checked_sub(1).map(|j| earlier[j]) {
            Some((before, old)) => {
                let _ = writeln!(log, "Changes from {}:\n", before.version);
                log.push_str(&diff(old, s).to_markdown(3));
            }
            None => log.push_str(&first_release(s.records())),
        }
    }
    while log.ends_with("\n\n") {
        log.pop();
    }
    let changes = match &against {
        Some((_, changes)) => changes.to_json()?,
        None => {
            let mut text = serde_json::to_string_pretty(&serde_json::json!({
                "old": null,
                "new": {"name": meta.name.as_str(), "version": meta.version},
                "tables": [],
                "bumps": [],
            }))
            .map_err(|source| Error::Json {
                file: "changes.json",
                source,
            })?;
            text.push('\n');
            text
        }
    };
    Ok(History {
        changelog: log,
        changes,
    })
}
