//! The rules no schema can say: unique ids, references, evidence, source files.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path};

use sha2::{Digest, Sha256};
use toml_spanner::{Item, Span};

use diplomacy_model::{Citation, CountryCode, Participant};

use crate::diagnostic::Code;
use crate::load::{Loaded, Sink, SourceFile, Tables};
use crate::schema::closest;

/// The span of `key`'s value in a record, or of the record itself.
fn span_of(item: &Item<'_>, key: &str) -> Span {
    item.as_table()
        .and_then(|t| t.get(key))
        .map_or(item.span(), Item::span)
}

/// The span of the `index`-th item of the list `key` in a record.
fn span_in_list(item: &Item<'_>, key: &str, index: usize) -> Span {
    item.as_table()
        .and_then(|t| t.get(key))
        .and_then(|v| v.as_array())
        .and_then(|a| a.get(index))
        .map_or_else(|| span_of(item, key), Item::span)
}

/// The span of `field` of the `index`-th evidence entry of a record.
fn evidence_span(item: &Item<'_>, index: usize, field: &str) -> Span {
    item.as_table()
        .and_then(|t| t.get("evidence"))
        .and_then(|v| v.as_array())
        .and_then(|a| a.get(index))
        .map_or_else(|| item.span(), |e| span_of(e, field))
}

/// Whitespace runs collapsed to one space, so line breaks in a source do not matter.
fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

struct Ctx<'a, 's> {
    sink: &'a mut Sink<'s>,
    countries: HashSet<CountryCode>,
    country_names: Vec<String>,
    failed_ids: &'a HashSet<String>,
}

impl Ctx<'_, '_> {
    fn country(&mut self, file: &SourceFile, span: Span, field: &str, code: &CountryCode) {
        if !self.countries.contains(code) && !self.failed_ids.contains(code.as_str()) {
            let hint = closest(code.as_str(), &self.country_names)
                .map(|c| {
                    format!("did you mean \"{c}\"? Countries must be listed in countries.toml")
                })
                .or_else(|| Some("add the country to countries.toml".to_owned()));
            self.sink.at(
                file,
                span,
                Code::UnknownCountry,
                format!("unknown country \"{code}\" in `{field}`"),
                hint,
            );
        }
    }

    fn reference(
        &mut self,
        file: &SourceFile,
        span: Span,
        field: &str,
        id: &str,
        known: &HashSet<&str>,
        table: &str,
    ) {
        if !known.contains(id) && !self.failed_ids.contains(id) {
            self.sink.at(
                file,
                span,
                Code::DanglingReference,
                format!("`{field}` refers to \"{id}\", which is not in {table}.toml"),
                None,
            );
        }
    }
}

fn ids<'a, T>(records: &'a [Loaded<'_, '_, T>], id: impl Fn(&'a T) -> &'a str) -> HashSet<&'a str> {
    records.iter().map(|r| id(&r.record)).collect()
}

pub(crate) fn check<'f>(
    dir: &Path,
    tables: &Tables<'_, '_>,
    file_of: &dyn Fn(&str) -> Option<&'f SourceFile>,
    sink: &mut Sink<'_>,
) {
    let Some(files) = [
        "countries.toml",
        "people.toml",
        "sources.toml",
        "visits.toml",
        "meetings.toml",
        "recognitions.toml",
        "disputes.toml",
        "dispute_events.toml",
    ]
    .iter()
    .map(|n| file_of(n))
    .collect::<Option<Vec<_>>>() else {
        return;
    };
    let [
        countries_f,
        people_f,
        sources_f,
        visits_f,
        meetings_f,
        recognitions_f,
        disputes_f,
        events_f,
    ] = files[..]
    else {
        return;
    };

    let mut ctx = Ctx {
        sink,
        countries: tables.countries.iter().map(|c| c.record.id).collect(),
        country_names: tables
            .countries
            .iter()
            .map(|c| c.record.id.to_string())
            .collect(),
        failed_ids: &tables.failed_ids,
    };

    // Ids are unique across the whole dataset.
    let mut seen: HashMap<String, (&SourceFile, usize)> = HashMap::new();
    let mut all_ids: Vec<(&SourceFile, u32, &Item<'_>, String)> = Vec::new();
    all_ids.extend(
        tables
            .countries
            .iter()
            .map(|r| (countries_f, r.offset, r.item, r.record.id.to_string())),
    );
    all_ids.extend(
        tables
            .people
            .iter()
            .map(|r| (people_f, r.offset, r.item, r.record.id.to_string())),
    );
    all_ids.extend(
        tables
            .sources
            .iter()
            .map(|r| (sources_f, r.offset, r.item, r.record.id.to_string())),
    );
    all_ids.extend(
        tables
            .visits
            .iter()
            .map(|r| (visits_f, r.offset, r.item, r.record.id.to_string())),
    );
    all_ids.extend(
        tables
            .meetings
            .iter()
            .map(|r| (meetings_f, r.offset, r.item, r.record.id.to_string())),
    );
    all_ids.extend(
        tables
            .recognitions
            .iter()
            .map(|r| (recognitions_f, r.offset, r.item, r.record.id.to_string())),
    );
    all_ids.extend(
        tables
            .disputes
            .iter()
            .map(|r| (disputes_f, r.offset, r.item, r.record.id.to_string())),
    );
    all_ids.extend(
        tables
            .dispute_events
            .iter()
            .map(|r| (events_f, r.offset, r.item, r.record.id.to_string())),
    );
    for (file, offset, item, id) in all_ids {
        ctx.sink.offset = offset;
        let span = span_of(item, "id");
        if let Some((first_file, first_span)) = seen.get(&id) {
            let text = first_file.text.as_deref().unwrap_or("");
            let (line, col) = first_file.lines.position(text, *first_span);
            ctx.sink.at(
                file,
                span,
                Code::DuplicateId,
                format!(
                    "duplicate id \"{id}\": already used at {}:{line}:{col}",
                    first_file.path.display()
                ),
                Some("ids are unique across every table of the dataset".to_owned()),
            );
        } else {
            seen.insert(id, (file, span.start as usize + offset as usize));
        }
    }

    let people = ids(&tables.people, |p| p.id.as_str());
    let sources = ids(&tables.sources, |s| s.id.as_str());
    let visits = ids(&tables.visits, |v| v.id.as_str());
    let meetings = ids(&tables.meetings, |m| m.id.as_str());
    let disputes = ids(&tables.disputes, |d| d.id.as_str());

    for r in &tables.people {
        ctx.sink.offset = r.offset;
        ctx.country(
            people_f,
            span_of(r.item, "country"),
            "country",
            &r.record.country,
        );
    }
    for r in &tables.visits {
        ctx.sink.offset = r.offset;
        let v = &r.record;
        ctx.country(
            visits_f,
            span_of(r.item, "guest_country"),
            "guest_country",
            &v.guest_country,
        );
        ctx.country(
            visits_f,
            span_of(r.item, "host_country"),
            "host_country",
            &v.host_country,
        );
        if let Some(p) = &v.guest_person {
            ctx.reference(
                visits_f,
                span_of(r.item, "guest_person"),
                "guest_person",
                p.as_str(),
                &people,
                "people",
            );
        }
    }
    for r in &tables.meetings {
        ctx.sink.offset = r.offset;
        let m = &r.record;
        if let Some(c) = &m.location_country {
            ctx.country(
                meetings_f,
                span_of(r.item, "location_country"),
                "location_country",
                c,
            );
        }
        for (i, p) in m.participants.iter().enumerate() {
            let span = span_in_list(r.item, "participants", i);
            match p {
                Participant::Person(id) => {
                    ctx.reference(
                        meetings_f,
                        span,
                        "participants",
                        id.as_str(),
                        &people,
                        "people",
                    );
                }
                Participant::Office { country, .. } => {
                    ctx.country(meetings_f, span, "participants", country);
                }
            }
        }
        if let Some(v) = &m.visit {
            ctx.reference(
                meetings_f,
                span_of(r.item, "visit"),
                "visit",
                v.as_str(),
                &visits,
                "visits",
            );
        }
    }
    for r in &tables.recognitions {
        ctx.sink.offset = r.offset;
        let x = &r.record;
        ctx.country(
            recognitions_f,
            span_of(r.item, "actor_country"),
            "actor_country",
            &x.actor_country,
        );
        ctx.country(
            recognitions_f,
            span_of(r.item, "subject_country"),
            "subject_country",
            &x.subject_country,
        );
    }
    for r in &tables.disputes {
        ctx.sink.offset = r.offset;
        for (i, c) in r.record.parties.iter().enumerate() {
            ctx.country(disputes_f, span_in_list(r.item, "parties", i), "parties", c);
        }
    }
    for r in &tables.dispute_events {
        ctx.sink.offset = r.offset;
        let e = &r.record;
        ctx.reference(
            events_f,
            span_of(r.item, "dispute"),
            "dispute",
            e.dispute.as_str(),
            &disputes,
            "disputes",
        );
        ctx.country(
            events_f,
            span_of(r.item, "actor_country"),
            "actor_country",
            &e.actor_country,
        );
        if let Some(c) = &e.counterpart_country {
            ctx.country(
                events_f,
                span_of(r.item, "counterpart_country"),
                "counterpart_country",
                c,
            );
        }
        if let Some(m) = &e.meeting {
            ctx.reference(
                events_f,
                span_of(r.item, "meeting"),
                "meeting",
                m.as_str(),
                &meetings,
                "meetings",
            );
        }
    }

    // Source files: inside the dataset, present, unchanged. Their texts, normalised, for the
    // quote check.
    let texts = source_texts(dir, tables, sources_f, ctx.sink);

    let mut evidence =
        |file: &SourceFile, offset: u32, item: &Item<'_>, list: &[Citation], what: &str| {
            ctx.sink.offset = offset;
            if list.is_empty() {
                ctx.sink.at(
                    file,
                    item.span(),
                    Code::MissingEvidence,
                    format!("{what} has no evidence"),
                    Some(format!(
                        "add a [[{}.evidence]] table with a source and a verbatim quote",
                        file.name.trim_end_matches(".toml")
                    )),
                );
            }
            for (i, c) in list.iter().enumerate() {
                let source_span = evidence_span(item, i, "source");
                if !sources.contains(c.source.as_str())
                    && !tables.failed_ids.contains(c.source.as_str())
                {
                    ctx.sink.at(
                        file,
                        source_span,
                        Code::DanglingReference,
                        format!(
                            "`evidence[{i}].source` refers to \"{}\", which is not in sources.toml",
                            c.source
                        ),
                        None,
                    );
                    continue;
                }
                let quote = normalise(&c.quote);
                let quote_span = evidence_span(item, i, "quote");
                if quote.is_empty() {
                    ctx.sink.at(
                        file,
                        quote_span,
                        Code::EmptyQuote,
                        format!("`evidence[{i}].quote` is blank"),
                        None,
                    );
                    continue;
                }
                if let Some(Some(text)) = texts.get(c.source.as_str())
                    && memchr::memmem::find(text.as_bytes(), quote.as_bytes()).is_none()
                {
                    ctx.sink.at(
                        file,
                        quote_span,
                        Code::QuoteNotFound,
                        format!(
                            "`evidence[{i}].quote` is not in the archived text of source \"{}\"",
                            c.source
                        ),
                        Some(
                            "copy the quote exactly from the source; only whitespace may differ"
                                .to_owned(),
                        ),
                    );
                }
            }
        };
    for r in &tables.visits {
        evidence(
            visits_f,
            r.offset,
            r.item,
            &r.record.evidence,
            &format!("visit \"{}\"", r.record.id),
        );
    }
    for r in &tables.meetings {
        evidence(
            meetings_f,
            r.offset,
            r.item,
            &r.record.evidence,
            &format!("meeting \"{}\"", r.record.id),
        );
    }
    for r in &tables.recognitions {
        evidence(
            recognitions_f,
            r.offset,
            r.item,
            &r.record.evidence,
            &format!("recognition \"{}\"", r.record.id),
        );
    }
    for r in &tables.disputes {
        evidence(
            disputes_f,
            r.offset,
            r.item,
            &r.record.evidence,
            &format!("dispute \"{}\"", r.record.id),
        );
    }
    for r in &tables.dispute_events {
        evidence(
            events_f,
            r.offset,
            r.item,
            &r.record.evidence,
            &format!("dispute event \"{}\"", r.record.id),
        );
    }
}

/// Checks every source's `file` and `sha256`, and returns each source's normalised text
/// (`None` where it could not be read, so its quotes are not reported twice).
fn source_texts<'t>(
    dir: &Path,
    tables: &'t Tables<'_, '_>,
    file: &SourceFile,
    sink: &mut Sink<'_>,
) -> HashMap<&'t str, Option<String>> {
    let root = dir.canonicalize().ok();
    let mut out = HashMap::new();
    for r in &tables.sources {
        sink.offset = r.offset;
        let s = &r.record;
        let span = span_of(r.item, "file");
        let text = read_source(
            dir,
            root.as_deref(),
            &s.file,
            span,
            &s.sha256,
            r.item,
            file,
            sink,
        );
        out.insert(s.id.as_str(), text.map(|t| normalise(&t)));
    }
    out
}

#[allow(clippy::too_many_arguments)] // one call site; the spans are what make the messages precise
fn read_source(
    dir: &Path,
    root: Option<&Path>,
    rel: &str,
    span: Span,
    sha256: &str,
    item: &Item<'_>,
    file: &SourceFile,
    sink: &mut Sink<'_>,
) -> Option<String> {
    let rel_path = Path::new(rel);
    let escapes = rel_path.is_absolute()
        || rel.starts_with('/')
        || rel.starts_with('\\')
        || rel_path
            .components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir));
    if escapes {
        sink.at(
            file,
            span,
            Code::PathEscapes,
            format!("`file` {rel:?} leaves the dataset directory"),
            Some("give a path inside the dataset, e.g. \"sources/<id>.txt\"".to_owned()),
        );
        return None;
    }
    let path = dir.join(rel_path);
    let canonical = match path.canonicalize() {
        Ok(p) => p,
        Err(_) => {
            sink.at(
                file,
                span,
                Code::MissingSourceFile,
                format!("`file` {rel:?} does not exist"),
                Some("archive the source text there, byte for byte".to_owned()),
            );
            return None;
        }
    };
    if let Some(root) = root
        && !canonical.starts_with(root)
    {
        sink.at(
            file,
            span,
            Code::PathEscapes,
            format!("`file` {rel:?} leads outside the dataset directory (through a symbolic link)"),
            None,
        );
        return None;
    }
    let size = std::fs::metadata(&canonical).map(|m| m.len()).unwrap_or(0);
    if size > crate::MAX_FILE_SIZE || !canonical.is_file() {
        sink.at(
            file,
            span,
            Code::TooLarge,
            format!(
                "`file` {rel:?} is not a regular file under {} bytes",
                crate::MAX_FILE_SIZE
            ),
            None,
        );
        return None;
    }
    let bytes = match std::fs::read(&canonical) {
        Ok(b) => b,
        Err(e) => {
            sink.at(
                file,
                span,
                Code::Unreadable,
                format!("cannot read `file` {rel:?}: {e}"),
                None,
            );
            return None;
        }
    };
    let digest = Sha256::digest(&bytes);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    if hex != sha256 {
        sink.at(
            file,
            span_of(item, "sha256"),
            Code::ChecksumMismatch,
            format!("`sha256` does not match {rel}: the file's SHA-256 is {hex}"),
            Some("an archived text never changes; if the source was re-archived on purpose, update sha256".to_owned()),
        );
    }
    match String::from_utf8(bytes) {
        Ok(t) => Some(t),
        Err(_) => {
            sink.at(
                file,
                span,
                Code::NotUtf8,
                format!("`file` {rel:?} is not UTF-8 text"),
                None,
            );
            None
        }
    }
}
