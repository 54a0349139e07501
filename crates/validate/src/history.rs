//! Ids never break: every id of every published release is a record's or redirected, and
//! the redirects themselves lead somewhere, without cycles.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use diplomacy_model::{Dataset, DatasetMeta, TableName};

use crate::diagnostic::{Code, Diagnostic, LineIndex};
use crate::releases::published_releases;
use crate::schema::closest;

/// Where each `[[redirects]]` entry's `from` and `to` are in `redirects.toml`, by index.
struct Places {
    text: String,
    lines: LineIndex,
    /// Byte offsets of `from` and `to` of each entry (the entry's start where one is absent).
    entries: Vec<(usize, usize)>,
}

impl Places {
    fn read(path: &Path) -> Option<Self> {
        let text = std::fs::read_to_string(path).ok()?;
        if crate::chunk::too_deep(&text).is_some() {
            return None;
        }
        let arena = toml_spanner::Arena::new();
        let doc = toml_spanner::parse(&text, &arena).ok()?.into_table();
        let mut entries = Vec::new();
        for item in doc
            .get("redirects")
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
        {
            let start = item.span().start as usize;
            let at = |key: &str| {
                item.as_table()
                    .and_then(|t| t.get(key))
                    .map_or(start, |v| v.span().start as usize)
            };
            entries.push((at("from"), at("to")));
        }
        let lines = LineIndex::new(&text);
        Some(Self {
            text,
            lines,
            entries,
        })
    }

    fn position(&self, offset: usize) -> (u32, u32) {
        self.lines.position(&self.text, offset)
    }
}

/// The authoring file of a table, e.g. `visits.toml`.
fn file_of(table: TableName) -> &'static str {
    diplomacy_model::AUTHORING_FILES
        .iter()
        .find(|(_, t)| *t == table)
        .map_or("dataset.toml", |(f, _)| *f)
}

/// Checks the redirects of `data` against the record `ids` (of every table, whether or not
/// `data` keeps the records) and, where `releases` is given, that every id published
/// there (for the dataset named in `meta`) is still a record's or redirected.
pub(crate) fn check(
    dir: &Path,
    meta: Option<&DatasetMeta>,
    ids: &HashMap<String, TableName>,
    data: &Dataset,
    releases: Option<&Path>,
    out: &mut Vec<Diagnostic>,
) {
    let redirects_path = dir.join(file_of(TableName::Redirects));
    let places = if data.redirects.is_empty() {
        None
    } else {
        Places::read(&redirects_path)
    };
    let line_of = |index: usize| {
        places
            .as_ref()
            .and_then(|p| Some(p.position(p.entries.get(index)?.0).0))
            .unwrap_or(1)
    };
    let mut at = |index: usize, to: bool, code: Code, message: String, hint: Option<String>| {
        let (line, column) = places
            .as_ref()
            .and_then(|p| {
                let &(from_at, to_at) = p.entries.get(index)?;
                Some(p.position(if to { to_at } else { from_at }))
            })
            .unwrap_or((1, 1));
        out.push(Diagnostic::new(
            redirects_path.clone(),
            (line, column),
            code,
            message,
            hint,
        ));
    };

    let mut froms: HashMap<&str, usize> = HashMap::new();
    for (i, r) in data.redirects.iter().enumerate() {
        let from = r.from.as_str();
        if let Some(first) = froms.get(from) {
            at(
                i,
                false,
                Code::DuplicateRedirect,
                format!(
                    "a second redirect from \"{from}\" (the first is at line {})",
                    line_of(*first)
                ),
                Some("an id leads to one record: keep one of them".to_owned()),
            );
            continue;
        }
        froms.insert(from, i);
        if let Some(table) = ids.get(from) {
            at(
                i,
                false,
                Code::RedirectFromExists,
                format!("\"{from}\" is redirected but is still the id of a record of {table}"),
                Some("a redirect is for an id that is no longer a record's: remove the redirect, or rename the record".to_owned()),
            );
        }
    }
    // The ids a dangling redirect may have meant, sorted once.
    let mut known: Option<Vec<String>> = None;
    for (i, r) in data.redirects.iter().enumerate() {
        let to = r.to.as_str();
        if !ids.contains_key(to) && !froms.contains_key(to) {
            let known = known.get_or_insert_with(|| {
                let mut k: Vec<String> = ids.keys().cloned().collect();
                k.sort_unstable();
                k
            });
            let hint = closest(to, known).map_or_else(
                || {
                    "`to` is the id of a record of any table, or another redirect's `from`"
                        .to_owned()
                },
                |c| format!("did you mean \"{c}\"?"),
            );
            at(
                i,
                true,
                Code::RedirectTargetMissing,
                format!(
                    "redirect from \"{}\" leads to \"{to}\", which is neither a record nor redirected",
                    r.from
                ),
                Some(hint),
            );
        }
    }

    // Cycles, each once, in one pass over the redirects: every redirect is walked at most
    // once, so a long chain costs linear time. A record's id ends a chain, as in
    // `Dataset::resolve`.
    let n = data.redirects.len();
    let mut state = vec![0u8; n]; // 0: not seen, 1: on the path walked, 2: done
    for start in 0..n {
        if state[start] != 0 || froms.get(data.redirects[start].from.as_str()) != Some(&start) {
            continue;
        }
        let mut path: Vec<usize> = Vec::new();
        let mut i = start;
        loop {
            if state[i] == 2 {
                break;
            }
            if state[i] == 1 {
                let from = path.iter().position(|&p| p == i).unwrap_or(0);
                let ring = &path[from..];
                // Reported at the redirect whose `from` sorts first, starting there.
                let first = (0..ring.len())
                    .min_by_key(|&k| data.redirects[ring[k]].from.as_str())
                    .unwrap_or(0);
                let mut cycle: Vec<&str> = (0..ring.len())
                    .map(|k| data.redirects[ring[(first + k) % ring.len()]].from.as_str())
                    .collect();
                cycle.push(cycle[0]);
                at(
                    ring[first],
                    false,
                    Code::RedirectCycle,
                    format!("redirects go round in a cycle: {}", cycle.join(" -> ")),
                    Some("point the last redirect at the record the id became".to_owned()),
                );
                break;
            }
            state[i] = 1;
            path.push(i);
            let to = data.redirects[i].to.as_str();
            match froms.get(to) {
                Some(&j) if !ids.contains_key(to) => i = j,
                _ => break,
            }
        }
        for p in path {
            state[p] = 2;
        }
    }

    let (Some(releases), Some(meta)) = (releases, meta) else {
        return;
    };
    let published = match published_releases(releases, meta.name.as_str()) {
        Ok(p) => p,
        Err(e) => {
            out.push(Diagnostic::new(
                releases.to_path_buf(),
                (1, 1),
                Code::UnreadableRelease,
                format!("could not read the published releases: {e}"),
                None,
            ));
            return;
        }
    };
    // id -> (its table, the releases that published it), in a stable order.
    let mut gone: BTreeMap<String, (TableName, Vec<String>)> = BTreeMap::new();
    // Every id any release published: the id a gone one became is most likely new.
    let mut ever: std::collections::HashSet<String> = std::collections::HashSet::new();
    for release in &published {
        // Read as the release was written (its own package and headers), never through
        // today's record types.
        let tables = match release.read_tables() {
            Ok(tables) => tables,
            Err(e) => {
                out.push(Diagnostic::new(
                    release.dir.clone(),
                    (1, 1),
                    Code::UnreadableRelease,
                    format!("could not read release {}: {e}", release.label()),
                    None,
                ));
                continue;
            }
        };
        for published in &tables {
            // The ids a release published: those of its record tables and its redirects.
            let Ok(table) = published.name.parse::<TableName>() else {
                continue;
            };
            if !(table.is_record_table() || table == TableName::Redirects) {
                continue;
            }
            for id in published.keys() {
                ever.insert(id.to_owned());
                if ids.contains_key(id) || froms.contains_key(id) {
                    continue;
                }
                gone.entry(id.to_owned())
                    .or_insert_with(|| (table, Vec::new()))
                    .1
                    .push(release.label());
            }
        }
    }
    for (id, (table, labels)) in gone {
        let mut same_table: Vec<String> = ids
            .iter()
            .filter(|(_, t)| **t == table)
            .map(|(i, _)| i.clone())
            .collect();
        same_table.sort_unstable();
        // The id it became: the most like it of the table's ids no release has published
        // (a rename makes a new id), else a near spelling of any of the table's ids.
        let new_ids: Vec<&String> = same_table.iter().filter(|i| !ever.contains(*i)).collect();
        let renamed = new_ids
            .iter()
            .map(|c| (strsim::normalized_damerau_levenshtein(&id, c), *c))
            .filter(|(similar, _)| *similar >= 0.5)
            .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
            .map(|(_, c)| c.as_str());
        let to = renamed
            .or_else(|| closest(&id, &same_table))
            .unwrap_or("<the id it became>");
        out.push(Diagnostic::new(
            dir.join(file_of(table)),
            (1, 1),
            Code::IdRemoved,
            format!(
                "id \"{id}\" of {table}, published in {}, is no longer in the dataset: a published id never breaks",
                labels.join(", ")
            ),
            Some(format!(
                "keep the id, or add to redirects.toml:\n    [[redirects]]\n    from = \"{id}\"\n    to = \"{to}\"\n    reason = \"...\""
            )),
        ));
    }
}
