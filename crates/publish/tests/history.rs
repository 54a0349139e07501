//! Published versions: the version bump the changes need, redirects, the changelog, and the
//! diff of two versions, on small copies of the validator's fixture.

// Test helpers may unwrap: a panic there is a failed assertion with a backtrace.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::{Path, PathBuf};

use diplomacy_publish::{Bump, Error, ReleaseOptions, Snapshot, diff, release};
use diplomacy_validate::validate_dir;

const VISIT: &str = "2001-rus-jpn-duma-delegation-visit";
const SUMMARY: &str = "A Russian parliamentary delegation visits Japan to discuss trade.";
const QUOTE: &str = "A delegation of the Russian Duma visited Japan in 2001 to discuss trade.";

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let target = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &target);
        } else {
            fs::copy(&p, &target).unwrap();
        }
    }
}

/// A copy of the fixture to edit, and an empty directory of published releases.
/// Rewrites a release's `SHA256SUMS` for the files it lists as they are now: a release
/// edited on purpose to stand for an older one.
fn reseal(release: &Path) {
    let sums = fs::read_to_string(release.join("SHA256SUMS")).unwrap();
    let lines: String = sums
        .lines()
        .map(|line| {
            let (_, rel) = line.split_once("  ").unwrap();
            let bytes = fs::read(release.join(rel)).unwrap();
            format!("{}  {rel}\n", diplomacy_validate::sha256_hex(&bytes))
        })
        .collect();
    fs::write(release.join("SHA256SUMS"), lines).unwrap();
}

struct Project {
    _tmp: tempfile::TempDir,
    data: PathBuf,
    releases: PathBuf,
}

impl Project {
    fn new(version: &str) -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("data");
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/base"),
            &data,
        );
        let releases = tmp.path().join("releases");
        let p = Self {
            _tmp: tmp,
            data,
            releases,
        };
        p.set_version(version);
        p
    }

    fn edit(&self, file: &str, from: &str, to: &str) {
        let path = self.data.join(file);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{from} not in {file}");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }

    fn append(&self, file: &str, text: &str) {
        let path = self.data.join(file);
        let mut all = fs::read_to_string(&path).unwrap_or_default();
        all.push_str(text);
        fs::write(&path, all).unwrap();
    }

    fn set_version(&self, version: &str) {
        let path = self.data.join("dataset.toml");
        let text = fs::read_to_string(&path).unwrap();
        let line = text.lines().find(|l| l.starts_with("version = ")).unwrap();
        fs::write(
            &path,
            text.replace(line, &format!("version = \"{version}\"")),
        )
        .unwrap();
    }

    /// Releases into `out`, checked against the published releases.
    fn release_into(&self, out: &Path) -> Result<PathBuf, Error> {
        let report = validate_dir(&self.data);
        assert!(report.is_valid(), "{:?}", report.diagnostics);
        let mut options = ReleaseOptions::new(out);
        options.releases = Some(self.releases.clone());
        release(report.into_valid().unwrap(), &options)
    }

    /// Publishes: releases into the published releases.
    fn publish(&self) -> Result<PathBuf, Error> {
        self.release_into(&self.releases.clone())
    }
}

const NEW_VISIT: &str = r#"
[[visits]]
id = "2001-rus-jpn-second-duma-visit"
date = "2001"
guest_country = "RUS"
host_country = "JPN"
guest_office = "Delegation of the Russian Duma"
level = "delegation"
summary = "A Russian parliamentary delegation visits Japan."
[[visits.evidence]]
source = "fixture-chronicle"
quote = "A delegation of the Russian Duma visited Japan in 2001 to discuss trade."
"#;

#[test]
fn a_correction_is_a_patch_and_the_changelog_shows_it_with_its_evidence() {
    let p = Project::new("1.0.0");
    p.publish().unwrap();
    p.edit(
        "visits.toml",
        SUMMARY,
        "A Duma delegation visits Japan to discuss trade.",
    );
    p.set_version("1.0.1");
    let path = p.publish().unwrap();
    let log = fs::read_to_string(path.join("CHANGELOG.md")).unwrap();
    assert!(log.contains("## 1.0.1\n\nChanges from 1.0.0:"), "{log}");
    assert!(log.contains(&format!("  - `{VISIT}`\n    - `summary`: `{SUMMARY}` → `A Duma delegation visits Japan to discuss trade.`")), "{log}");
    assert!(
        log.contains(&format!("    - evidence (fixture-chronicle): “{QUOTE}”")),
        "{log}"
    );
    // Newest first: the first release comes last.
    assert!(log.find("## 1.0.1").unwrap() < log.find("## 1.0.0").unwrap());
    let changes: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(path.join("changes.json")).unwrap()).unwrap();
    assert_eq!(changes["old"]["version"], "1.0.0");
    let visits = changes["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["table"] == "visits")
        .unwrap();
    assert_eq!(visits["changed"][0]["id"], VISIT);
    assert_eq!(visits["changed"][0]["fields"][0]["column"], "summary");
    assert_eq!(visits["changed"][0]["fields"][0]["old"], SUMMARY);
    assert_eq!(changes["bumps"][0]["bump"], "patch");
    // Both are listed in SHA256SUMS.
    let sums = fs::read_to_string(path.join("SHA256SUMS")).unwrap();
    assert!(sums.contains("  CHANGELOG.md\n") && sums.contains("  changes.json\n"));
}

#[test]
fn notes_explain_a_version_whose_records_did_not_change() {
    let p = Project::new("1.0.0");
    p.publish().unwrap();
    p.set_version("1.0.1");
    p.append(
        "dataset.toml",
        "notes = [\"The data card is rewritten.\", \"The page has a new filter.\"]\n",
    );
    let path = p.publish().unwrap();
    let log = fs::read_to_string(path.join("CHANGELOG.md")).unwrap();
    assert!(
        log.contains(
            "## 1.0.1\n\nThe data card is rewritten.\n\nThe page has a new filter.\n\nChanges from 1.0.0:\n\nNo changes to the records or columns."
        ),
        "{log}"
    );

    // One string is one note.
    p.set_version("1.0.2");
    p.edit(
        "dataset.toml",
        "notes = [\"The data card is rewritten.\", \"The page has a new filter.\"]",
        "notes = \"Only the page changed.\"",
    );
    let path = p.publish().unwrap();
    let log = fs::read_to_string(path.join("CHANGELOG.md")).unwrap();
    assert!(
        log.contains("## 1.0.2\n\nOnly the page changed.\n\nChanges from 1.0.1:"),
        "{log}"
    );
}

#[test]
fn an_added_record_needs_a_minor_bump() {
    let p = Project::new("1.0.0");
    p.publish().unwrap();
    p.append("visits.toml", NEW_VISIT);
    p.set_version("1.0.1");
    let err = p.publish().unwrap_err();
    match &err {
        Error::VersionTooLow {
            needed, suggested, ..
        } => assert_eq!((*needed, suggested.as_str()), (Bump::Minor, "1.1.0")),
        e => panic!("{e}"),
    }
    assert!(
        err.to_string()
            .contains("visits: 1 record added needs a MINOR bump"),
        "{err}"
    );
    assert!(err.is_refusal());
    // Nothing was written.
    assert!(!p.releases.join("validator-fixture-1.0.1").exists());
    p.set_version("1.1.0");
    let path = p.publish().unwrap();
    let log = fs::read_to_string(path.join("CHANGELOG.md")).unwrap();
    assert!(
        log.contains("- Added (1):\n  - `2001-rus-jpn-second-duma-visit`"),
        "{log}"
    );
}

#[test]
fn in_0x_a_breaking_change_needs_a_minor_bump_and_others_a_patch_bump() {
    let p = Project::new("0.1.0");
    p.publish().unwrap();
    p.append("visits.toml", NEW_VISIT);
    p.set_version("0.1.1");
    p.publish().unwrap();
    // A record removed without a redirect breaks its id: 0.1.2 is too low.
    let text = fs::read_to_string(p.data.join("visits.toml")).unwrap();
    let cut = text
        .find("\n[[visits]]\nid = \"2001-rus-jpn-second-duma-visit\"")
        .unwrap();
    fs::write(p.data.join("visits.toml"), &text[..cut]).unwrap();
    p.set_version("0.1.2");
    let err = p.release_into(&p.releases.join("../dist")).unwrap_err();
    assert!(
        matches!(&err, Error::VersionTooLow { needed: Bump::Major, suggested, .. } if suggested == "0.2.0"),
        "{err}"
    );
}

#[test]
fn a_lower_or_reused_version_is_refused() {
    let p = Project::new("1.0.0");
    p.publish().unwrap();
    p.edit("visits.toml", SUMMARY, "A Duma delegation visits Japan.");
    // The same version with other data, even into another directory.
    let err = p.release_into(&p.releases.join("../dist")).unwrap_err();
    assert!(
        matches!(&err, Error::VersionReused { version, .. } if version == "1.0.0"),
        "{err}"
    );
    assert!(
        err.to_string().contains("visits: 1 record corrected"),
        "{err}"
    );
    // Build metadata makes no new version (SemVer precedence ignores it).
    p.set_version("1.0.0+build.2");
    let err = p.release_into(&p.releases.join("../dist")).unwrap_err();
    assert!(
        matches!(&err, Error::VersionReused { version, .. } if version == "1.0.0+build.2"),
        "{err}"
    );
    // A version below the latest published.
    p.set_version("0.9.0");
    let err = p.release_into(&p.releases.join("../dist")).unwrap_err();
    assert!(
        matches!(&err, Error::VersionNotNewer { latest, .. } if latest == "1.0.0"),
        "{err}"
    );
    // The same version with the same data is the published release again.
    let q = Project::new("1.0.0");
    q.publish().unwrap();
    let again = q.release_into(&q.releases.join("../dist")).unwrap();
    let published = q.releases.join("validator-fixture-1.0.0");
    for file in ["SHA256SUMS", "CHANGELOG.md", "csv/visits.csv"] {
        assert_eq!(
            fs::read(again.join(file)).unwrap(),
            fs::read(published.join(file)).unwrap(),
            "{file}"
        );
    }
}

#[test]
fn a_rename_with_a_redirect_is_minor_and_keeps_the_version_that_made_it() {
    let p = Project::new("1.0.0");
    p.publish().unwrap();
    p.edit("visits.toml", VISIT, "2001-rus-jpn-duma-visit");
    p.append(
        "redirects.toml",
        &format!("#:schema redirects.schema.json\n[[redirects]]\nfrom = \"{VISIT}\"\nto = \"2001-rus-jpn-duma-visit\"\nreason = \"Shorter id.\"\n"),
    );
    p.set_version("1.1.0");
    let path = p.publish().unwrap();
    let redirects = fs::read_to_string(path.join("csv/redirects.csv")).unwrap();
    assert_eq!(
        redirects,
        format!("from_id,to_id,reason,since\n{VISIT},2001-rus-jpn-duma-visit,Shorter id.,1.1.0\n")
    );
    let log = fs::read_to_string(path.join("CHANGELOG.md")).unwrap();
    assert!(
        log.contains(&format!(
            "- Redirected (1):\n  - `{VISIT}` → `2001-rus-jpn-duma-visit`: Shorter id."
        )),
        "{log}"
    );
    // A later version keeps `since` at the version that made the redirect.
    p.edit("visits.toml", SUMMARY, "A Duma delegation visits Japan.");
    p.set_version("1.1.1");
    let path = p.publish().unwrap();
    let redirects = fs::read_to_string(path.join("csv/redirects.csv")).unwrap();
    assert!(redirects.ends_with(",Shorter id.,1.1.0\n"), "{redirects}");
    let log = fs::read_to_string(path.join("CHANGELOG.md")).unwrap();
    for v in ["## 1.1.1", "## 1.1.0", "## 1.0.0"] {
        assert!(log.contains(v), "{log}");
    }
}

#[test]
fn diff_of_a_release_and_a_dataset_in_markdown_and_json() {
    let p = Project::new("1.0.0");
    let old = p.publish().unwrap();
    p.edit("visits.toml", VISIT, "2001-rus-jpn-duma-visit");
    p.edit("visits.toml", "date = \"2001\"", "date = \"2001-05\"");
    p.append(
        "redirects.toml",
        &format!("#:schema redirects.schema.json\n[[redirects]]\nfrom = \"{VISIT}\"\nto = \"2001-rus-jpn-duma-visit\"\nreason = \"Shorter id.\"\n"),
    );
    p.append("visits.toml", NEW_VISIT);
    let d = diff(
        &Snapshot::read(&old).unwrap(),
        &Snapshot::read(&p.data).unwrap(),
    );
    assert_eq!(d.required(), Bump::Minor);
    let md = d.to_markdown(2);
    assert!(
        md.starts_with(
            "Smallest version bump these changes need: MINOR (after 1.0.0: 1.1.0 or later).\n"
        ),
        "{md}"
    );
    let expected = format!(
        "## visits\n\n\
         - Added (1):\n  - `2001-rus-jpn-second-duma-visit`\n\
         - Redirected (1):\n  - `{VISIT}` → `2001-rus-jpn-duma-visit`: Shorter id.\n    \
         - `date`: `2001` → `2001-05`\n    - `date_min`: `2001-01-01` → `2001-05-01`\n    \
         - `date_max`: `2001-12-31` → `2001-05-31`\n    - `date_precision`: `year` → `month`\n    \
         - evidence (fixture-chronicle): “{QUOTE}”\n"
    );
    assert!(md.contains(&expected), "{md}");
    assert!(md.contains("## redirects\n\n- Added (1):"), "{md}");
    let json: serde_json::Value = serde_json::from_str(&d.to_json().unwrap()).unwrap();
    let visits = &json["tables"][0];
    assert_eq!(visits["table"], "visits");
    assert_eq!(
        visits["added"],
        serde_json::json!(["2001-rus-jpn-second-duma-visit"])
    );
    assert_eq!(visits["redirected"][0]["from"], VISIT);
    assert_eq!(visits["redirected"][0]["table"], "visits");
    assert_eq!(visits["redirected"][0]["fields"][0]["new"], "2001-05");
    assert_eq!(json["old"]["version"], "1.0.0");
    // The same version, compared with itself, has no changes.
    let same = diff(
        &Snapshot::read(&old).unwrap(),
        &Snapshot::read(&old).unwrap(),
    );
    assert!(same.is_empty());
    assert_eq!(
        same.to_markdown(2),
        "No changes to the records or columns.\n\n"
    );
}

#[test]
fn diff_reports_columns_added_and_removed() {
    let p = Project::new("1.0.0");
    let old = p.publish().unwrap();
    // An older release without the `notes` column of people, and with a column since removed.
    let path = old.join("csv/people.csv");
    let text = fs::read_to_string(&path).unwrap();
    let edited: String = text
        .lines()
        .map(|l| {
            let (rest, _notes) = l.rsplit_once(',').unwrap();
            format!("{rest},x\n")
        })
        .collect::<String>()
        .replacen(
            "name,other_names,country,x",
            "name,other_names,country,honorific",
            1,
        );
    fs::write(&path, edited).unwrap();
    // Read as published: an edited file no longer matches the release's SHA256SUMS.
    let err = Snapshot::read(&old).unwrap_err().to_string();
    assert!(
        err.contains("people.csv") && err.contains("tampered with"),
        "{err}"
    );
    reseal(&old);
    let d = diff(
        &Snapshot::read(&old).unwrap(),
        &Snapshot::read(&p.data).unwrap(),
    );
    let people = d.tables.iter().find(|t| t.table == "people").unwrap();
    assert_eq!(people.columns_added, ["notes"]);
    assert_eq!(people.columns_removed, ["honorific"]);
    // Cells of a column one side lacks are not compared.
    assert!(people.changed.is_empty(), "{people:?}");
    assert_eq!(d.required(), Bump::Major);
    assert!(
        d.bumps
            .iter()
            .any(|r| r.bump == Bump::Major
                && r.change == "people: column honorific removed or renamed"),
        "{:?}",
        d.bumps
    );
}

#[test]
fn a_redirect_to_another_table_is_followed_and_a_published_redirect_is_no_change() {
    let p = Project::new("1.0.0");
    let old = p.publish().unwrap();
    // The summit becomes the dispute event that records it.
    let path = p.data.join("meetings.toml");
    let text = fs::read_to_string(&path).unwrap();
    let start = text
        .find("[[meetings]]\nid = \"2001-jpn-rus-summit\"")
        .unwrap();
    let end = text[start + 1..]
        .find("\n[[meetings]]\n")
        .map_or(text.len(), |e| start + 1 + e + 1);
    fs::write(&path, format!("{}{}", &text[..start], &text[end..])).unwrap();
    p.edit(
        "dispute_events.toml",
        "meeting = \"2001-jpn-rus-summit\"\n",
        "",
    );
    p.append(
        "redirects.toml",
        "#:schema redirects.schema.json\n[[redirects]]\nfrom = \"2001-jpn-rus-summit\"\nto = \"2001-jpn-rus-joint-statement\"\nreason = \"Recorded as the statement.\"\n",
    );
    p.set_version("1.1.0");
    let new = p.publish().unwrap();
    let d = diff(
        &Snapshot::read(&old).unwrap(),
        &Snapshot::read(&new).unwrap(),
    );
    let meetings = d.tables.iter().find(|t| t.table == "meetings").unwrap();
    assert!(meetings.removed.is_empty(), "{meetings:?}");
    assert_eq!(meetings.redirected[0].to, "2001-jpn-rus-joint-statement");
    assert_eq!(
        meetings.redirected[0].table.as_deref(),
        Some("dispute_events")
    );
    assert!(
        d.to_markdown(2).contains(
            "  - `2001-jpn-rus-summit` → `2001-jpn-rus-joint-statement` (now in dispute_events): Recorded as the statement.\n"
        ),
        "{}",
        d.to_markdown(2)
    );
    // The release's redirects carry `since`, the dataset directory's do not: no change.
    let d = diff(
        &Snapshot::read(&new).unwrap(),
        &Snapshot::read(&p.data).unwrap(),
    );
    assert!(d.is_empty(), "{d:?}");
}

/// A column renamed in the model (`redirects.from` is `from_id` since 0.5.0): a release
/// written before the rename against the dataset now is a rename, a MAJOR change; two
/// releases written before it are no rename at all.
#[test]
fn a_renamed_column_is_a_rename_only_across_the_rename() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let release = |v: &str| {
        Snapshot::read(&root.join(format!("releases/japan-eurasia-diplomacy-{v}"))).unwrap()
    };
    let (v031, v040) = (release("0.3.1"), release("0.4.0"));
    let before = diff(&v031, &v040).to_markdown(2);
    assert!(!before.contains("renamed"), "{before}");
    let now = Snapshot::read(&root.join("datasets/japan-eurasia-diplomacy")).unwrap();
    let across = diff(&v040, &now);
    assert_eq!(across.required(), Bump::Major);
    let md = across.to_markdown(2);
    assert!(
        md.contains("## redirects\n\n- Column `from_id`: renamed from `from`.\n- Column `to_id`: renamed from `to`.\n"),
        "{md}"
    );
    // The renamed columns' cells compare with the new ones: no redirect reads as changed.
    assert!(!md.contains("from_id: "), "{md}");
}
