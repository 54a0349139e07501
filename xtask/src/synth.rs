//! `cargo xtask synth --records N --out DIR [--invalid K] [--seed S]`: a deterministic
//! synthetic dataset in the authoring layout, for benchmarks and scale tests.
//!
//! About N records across all tables, with the shape of real data: mixed date precisions and
//! intervals, lists of 1–5 items, valid references, a few thousand people and sources, and
//! evidence quotes cut from generated source texts of realistic size, so checking them is real
//! work. `--invalid K` plants K known faults, listed in `FAULTS.txt`.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

const WORDS: &[&str] = &[
    "minister",
    "visit",
    "talks",
    "cooperation",
    "summit",
    "agreement",
    "energy",
    "relations",
    "delegation",
    "economic",
    "treaty",
    "region",
    "security",
    "dialogue",
    "partnership",
    "declaration",
    "government",
    "president",
    "foreign",
    "trade",
    "development",
    "bilateral",
    "issues",
    "meeting",
    "signed",
    "discussed",
    "confirmed",
    "framework",
    "investment",
    "culture",
    "exchange",
    "program",
    "negotiations",
    "peace",
    "stability",
    "prosperity",
];

const LEVELS: &[&str] = &[
    "head_of_state",
    "head_of_government",
    "foreign_minister",
    "minister",
    "parliamentarian",
    "delegation",
    "other",
];
const MEETING_KINDS: &[&str] = &[
    "summit",
    "foreign_ministers",
    "vice_ministerial",
    "audience",
    "other",
];
const RECOGNITION_KINDS: &[&str] = &[
    "recognition",
    "diplomatic_relations_established",
    "diplomatic_relations_restored",
    "embassy_opened",
];
const EVENT_KINDS: &[&str] = &[
    "agreement",
    "declaration",
    "memorandum",
    "negotiation",
    "position",
    "meeting",
];
const STATEMENT_KINDS: &[&str] = &[
    "policy_announcement",
    "policy",
    "stated_aim",
    "stated_position",
    "joint_statement",
    "joint_position",
];
const ORGANIZATION_KINDS: &[&str] = &[
    "intergovernmental_organization",
    "organ",
    "dialogue_framework",
    "bilateral_commission",
    "other",
];

struct Gen {
    rng: fastrand::Rng,
}

impl Gen {
    fn pick<'a>(&mut self, xs: &'a [&'a str]) -> &'a str {
        xs[self.rng.usize(..xs.len())]
    }

    fn date(&mut self) -> String {
        let y = self.rng.u32(1950..=2025);
        let m = self.rng.u32(1..=12);
        let d = self.rng.u32(1..=28);
        match self.rng.u8(..20) {
            0..=6 => format!("{y:04}-{m:02}-{d:02}"),
            7..=11 => format!("{y:04}-{m:02}"),
            12..=14 => format!("{y:04}"),
            // The EDTF forms the sources call for: uncertain or approximate, a decade,
            // "on or after", an open end.
            15 => format!("{y:04}-{m:02}?"),
            16 => format!("{}X", y / 10),
            17 => format!("[{y:04}-{m:02}..]"),
            18 => format!("{y:04}-{m:02}/.."),
            _ => {
                // An interval ends after the month it starts in (a zero-length one is an error).
                let m2 = self.rng.u32(m..=12);
                let y2 = if m2 == m { y + 1 } else { y };
                format!("{y:04}-{m:02}/{y2:04}-{m2:02}")
            }
        }
    }

    fn sentence(&mut self) -> String {
        let n = self.rng.usize(10..20);
        let mut s = String::new();
        for i in 0..n {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(self.pick(WORDS));
        }
        // A number makes sentences, and so quotes, distinct.
        let _ = write!(s, " {}.", self.rng.u32(..1_000_000));
        let mut c = s.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect())
            .unwrap_or(s)
    }
}

/// The `#:schema` directive that begins every authoring file (the dataset is written two
/// levels below the workspace in the usual layout; the validator checks only the file name).
fn directive(table: &str) -> String {
    format!("#:schema ../../schema/{table}.schema.json\n")
}

/// A TOML basic string.
fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn country_code(i: usize) -> String {
    let a = b'A' + (i / 676 % 26) as u8;
    let b = b'A' + (i / 26 % 26) as u8;
    let c = b'A' + (i % 26) as u8;
    String::from_utf8(vec![a, b, c]).unwrap_or_default()
}

struct Source {
    id: String,
    sentences: Vec<String>,
    /// The filler sentences, which state no record's values: each is excused
    /// (`no_fact`), so that every sentence is accounted for.
    filler: Vec<String>,
}

/// The sentence that states a record's values, from the record's TOML: its dates in words
/// (`26 February 1998`), its countries, people and organizations by name, its offices; so
/// that every value is stated by the record's quote, as the entailment rules ask.
fn fact_sentence(record: &str, n: usize) -> String {
    let mut parts: Vec<String> = Vec::new();
    for line in record.lines() {
        let Some((key, value)) = line.split_once(" = ") else {
            continue;
        };
        let values: Vec<&str> = if value.starts_with('[') {
            value
                .trim_matches(['[', ']'])
                .split(", ")
                .map(|v| v.trim_matches('"'))
                .filter(|v| !v.is_empty())
                .collect()
        } else {
            vec![value.trim_matches('"')]
        };
        for v in values {
            match key {
                "date" => parts.push(date_words(v)),
                "guest_office" => parts.push(v.to_owned()),
                "guest_country"
                | "host_country"
                | "location_country"
                | "actor_country"
                | "subject_country"
                | "counterpart_country"
                | "parties"
                | "about"
                | "participants"
                | "speaker"
                | "guest_person"
                | "occasion" => {
                    parts.push(name_words(v));
                }
                _ => {}
            }
        }
    }
    format!("Record {n} concerns {}.", parts.join(", "))
}

/// A value that names a country, person or organization, as a text names it.
fn name_words(v: &str) -> String {
    if let Some((country, office)) = v.split_once(':') {
        format!("Country {country} {office}")
    } else if let Some(n) = v.strip_prefix("person-") {
        format!("Person {n}")
    } else if let Some(n) = v.strip_prefix("org-") {
        format!("Organization {n}")
    } else if v.len() == 3 && v.bytes().all(|b| b.is_ascii_uppercase()) {
        format!("Country {v}")
    } else {
        v.to_owned()
    }
}

/// An EDTF date in words: each date it writes as `day Month year`, `Month year`, `year`, or
/// a decade as `1990s`.
fn date_words(edtf: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let mut out = Vec::new();
    for token in edtf.split(['/', '[', ']', ',', '{', '}']) {
        let token = token.trim_matches(['.', '?', '~', '%']);
        let mut parts = token.split('-');
        let Some(year) = parts.next().filter(|y| y.len() == 4) else {
            continue;
        };
        let year = match year.find('X') {
            Some(at) => format!("{}0s", &year[..at]),
            None => year.to_owned(),
        };
        let month = parts
            .next()
            .map(|m| m.trim_matches(['?', '~', '%']))
            .and_then(|m| m.parse::<usize>().ok())
            .filter(|m| (1..=12).contains(m));
        let day = parts
            .next()
            .map(|d| d.trim_matches(['?', '~', '%']))
            .and_then(|d| d.parse::<u32>().ok());
        out.push(match (month, day) {
            (Some(m), Some(d)) => format!("{d} {} {year}", MONTHS[m - 1]),
            (Some(m), None) => format!("{} {year}", MONTHS[m - 1]),
            _ => year,
        });
    }
    out.join(" and ")
}

pub(crate) fn run(
    records: usize,
    out: &Path,
    invalid: usize,
    seed: u64,
) -> anyhow::Result<ExitCode> {
    let stats = synth(records, out, invalid, seed)?;
    println!("{stats}");
    Ok(ExitCode::SUCCESS)
}

/// Writes the dataset; returns a one-line summary.
pub(crate) fn synth(
    records: usize,
    out: &Path,
    invalid: usize,
    seed: u64,
) -> anyhow::Result<String> {
    let mut g = Gen {
        rng: fastrand::Rng::with_seed(seed),
    };
    fs::create_dir_all(out.join("sources"))
        .with_context(|| format!("creating {}", out.display()))?;
    let n_countries = 60;
    let n_people = (records / 50).clamp(10, 3000);
    let n_sources = (records / 500).clamp(5, 2000);
    let n_disputes = (records / 1000).clamp(2, 500);
    let n_organizations = (records / 200).clamp(3, 1000);
    let rest =
        records.saturating_sub(n_countries + n_people + n_sources + n_disputes + n_organizations);
    let n_visits = rest * 35 / 100;
    let n_meetings = rest * 25 / 100;
    let n_recognitions = rest * 10 / 100;
    let n_statements = rest * 18 / 100;
    let n_events = rest - n_visits - n_meetings - n_recognitions - n_statements;

    fs::write(
        out.join("dataset.toml"),
        format!(
            "{}name = \"synthetic\"\ntitle = \"Synthetic diplomacy dataset\"\nversion = \"1.0.0\"\ndescription = \"Generated by cargo xtask synth (seed {seed}, {records} records) for benchmarks.\"\nlicense = \"CC-BY-4.0\"\n",
            directive("dataset")
        ),
    )?;

    let mut s = String::new();
    for i in 0..n_countries {
        let c = country_code(i);
        let _ = writeln!(
            s,
            "[[countries]]\nid = \"{c}\"\nname = \"Country {c}\"\niso2 = \"{}\"\ncow_code = {}\nwikidata = \"Q{}\"\n",
            &c[1..],
            i + 1,
            1000 + i
        );
    }
    fs::write(out.join("countries.toml"), directive("countries") + &s)?;

    s.clear();
    let mut person_country = Vec::with_capacity(n_people);
    for i in 0..n_people {
        let c = country_code(g.rng.usize(..n_countries));
        person_country.push(c.clone());
        let _ = writeln!(
            s,
            "[[people]]\nid = \"person-{i}\"\nname = \"Person {i}\"\ncountry = \"{c}\"\n"
        );
    }
    fs::write(out.join("people.toml"), directive("people") + &s)?;

    s.clear();
    for i in 0..n_organizations {
        let _ = writeln!(
            s,
            "[[organizations]]\nid = \"org-{i}\"\nname = \"Organization {i}\"\nkind = \"{}\"\n",
            g.pick(ORGANIZATION_KINDS)
        );
    }
    fs::write(
        out.join("organizations.toml"),
        directive("organizations") + &s,
    )?;

    // The sources' filler sentences now; each record adds the sentence that states its
    // values, and the texts are written once every record is.
    let mut sources: Vec<Source> = (0..n_sources)
        .map(|i| {
            let filler: Vec<String> = (0..g.rng.usize(150..250)).map(|_| g.sentence()).collect();
            Source {
                id: format!("source-{i}"),
                sentences: filler.clone(),
                filler,
            }
        })
        .collect();
    let mut facts = 0usize;

    // Each record cites the sentence that states its values (added to a source's text), and
    // at times one other sentence of a source.
    let mut evidence = |g: &mut Gen, s: &mut String, table: &str| {
        let start = s.rfind(&format!("[[{table}]]\n")).unwrap_or(0);
        facts += 1;
        let fact = fact_sentence(&s[start..], facts);
        let k = g.rng.usize(..sources.len());
        let at = g.rng.usize(..=sources[k].sentences.len());
        sources[k].sentences.insert(at, fact.clone());
        let _ = writeln!(
            s,
            "[[{table}.evidence]]\nsource = \"{}\"\nquote = {}\n",
            sources[k].id,
            q(&fact)
        );
        if g.rng.bool() {
            let src = &sources[g.rng.usize(..sources.len())];
            let sentence = &src.sentences[g.rng.usize(..src.sentences.len())];
            if *sentence != fact {
                let _ = writeln!(
                    s,
                    "[[{table}.evidence]]\nsource = \"{}\"\nquote = {}\n",
                    src.id,
                    q(sentence)
                );
            }
        }
    };
    let country = |g: &mut Gen| country_code(g.rng.usize(..n_countries));

    s.clear();
    // Each visit's date, so meetings linked to a visit take place during it.
    let mut visit_dates = Vec::with_capacity(n_visits);
    for i in 0..n_visits {
        // A guest person serves the guest country; guest and host differ.
        let person = g.rng.bool().then(|| g.rng.usize(..n_people));
        let a = person.map_or_else(|| country(&mut g), |p| person_country[p].clone());
        let mut b = country(&mut g);
        while b == a {
            b = country(&mut g);
        }
        let date = g.date();
        let _ = writeln!(
            s,
            "[[visits]]\nid = \"visit-{i}\"\ndate = \"{date}\"\nguest_country = \"{a}\"\nhost_country = \"{b}\""
        );
        visit_dates.push(date);
        if let Some(p) = person {
            let _ = writeln!(s, "guest_person = \"person-{p}\"");
        }
        let _ = writeln!(
            s,
            "guest_office = \"Minister of {}\"\nlevel = \"{}\"\nsummary = {}\n",
            g.pick(WORDS),
            g.pick(LEVELS),
            q(&g.sentence())
        );
        evidence(&mut g, &mut s, "visits");
    }
    fs::write(out.join("visits.toml"), directive("visits") + &s)?;

    s.clear();
    for i in 0..n_meetings {
        let n = g.rng.usize(1..=5);
        let participants: Vec<String> = (0..n)
            .map(|_| match g.rng.u8(..8) {
                0 | 1 => format!("\"{}:Foreign Minister\"", country(&mut g)),
                2 => format!("\"org-{}\"", g.rng.usize(..n_organizations)),
                _ => format!("\"person-{}\"", g.rng.usize(..n_people)),
            })
            .collect();
        let visit = (n_visits > 0 && g.rng.u8(..3) == 0).then(|| g.rng.usize(..n_visits));
        // A meeting during a visit has the visit's date.
        let date = visit.map_or_else(|| g.date(), |v| visit_dates[v].clone());
        let _ = writeln!(s, "[[meetings]]\nid = \"meeting-{i}\"\ndate = \"{date}\"");
        if g.rng.bool() {
            let _ = writeln!(s, "location_country = \"{}\"", country(&mut g));
        }
        let _ = writeln!(
            s,
            "participants = [{}]\nkind = \"{}\"",
            participants.join(", "),
            g.pick(MEETING_KINDS)
        );
        if let Some(v) = visit {
            let _ = writeln!(s, "visit = \"visit-{v}\"");
        }
        if g.rng.u8(..6) == 0 {
            let _ = writeln!(s, "occasion = \"org-{}\"", g.rng.usize(..n_organizations));
        }
        let _ = writeln!(s, "summary = {}\n", q(&g.sentence()));
        evidence(&mut g, &mut s, "meetings");
    }
    fs::write(out.join("meetings.toml"), directive("meetings") + &s)?;

    s.clear();
    for i in 0..n_recognitions {
        let actor = country(&mut g);
        let mut subject = country(&mut g);
        while subject == actor {
            subject = country(&mut g);
        }
        let _ = writeln!(
            s,
            "[[recognitions]]\nid = \"recognition-{i}\"\ndate = \"{}\"\nactor_country = \"{}\"\nsubject_country = \"{}\"\nkind = \"{}\"\n",
            g.date(),
            actor,
            subject,
            g.pick(RECOGNITION_KINDS)
        );
        evidence(&mut g, &mut s, "recognitions");
    }
    fs::write(
        out.join("recognitions.toml"),
        directive("recognitions") + &s,
    )?;

    s.clear();
    for i in 0..n_statements {
        let _ = writeln!(s, "[[statements]]\nid = \"statement-{i}\"");
        // Some statements are dated only as the text is: no date.
        if g.rng.u8(..5) > 0 {
            let _ = writeln!(s, "date = \"{}\"", g.date());
        }
        let actor = country(&mut g);
        let _ = writeln!(s, "actor_country = \"{actor}\"");
        match g.rng.u8(..4) {
            0 => {}
            1 => {
                let _ = writeln!(s, "speaker = \"{actor}:Foreign Minister\"");
            }
            _ => {
                let _ = writeln!(s, "speaker = \"person-{}\"", g.rng.usize(..n_people));
            }
        }
        let mut about: Vec<String> = Vec::new();
        for _ in 0..g.rng.usize(0..=4) {
            let subject = if g.rng.u8(..4) == 0 {
                format!("\"org-{}\"", g.rng.usize(..n_organizations))
            } else {
                format!("\"{}\"", country(&mut g))
            };
            if !about.contains(&subject) {
                about.push(subject);
            }
        }
        let _ = writeln!(
            s,
            "kind = \"{}\"\nabout = [{}]",
            g.pick(STATEMENT_KINDS),
            about.join(", ")
        );
        if g.rng.u8(..5) == 0 {
            let _ = writeln!(s, "dispute = \"dispute-{}\"", g.rng.usize(..n_disputes));
        }
        if n_meetings > 0 && g.rng.u8(..5) == 0 {
            let _ = writeln!(s, "meeting = \"meeting-{}\"", g.rng.usize(..n_meetings));
        }
        let _ = writeln!(s, "summary = {}\n", q(&g.sentence()));
        evidence(&mut g, &mut s, "statements");
    }
    fs::write(out.join("statements.toml"), directive("statements") + &s)?;

    s.clear();
    for i in 0..n_disputes {
        let mut parties: Vec<String> = Vec::new();
        let n = g.rng.usize(2..=3);
        while parties.len() < n {
            let c = format!("\"{}\"", country(&mut g));
            if !parties.contains(&c) {
                parties.push(c);
            }
        }
        let _ = writeln!(
            s,
            "[[disputes]]\nid = \"dispute-{i}\"\nname = \"Dispute {i}\"\nother_names = [\"Conflict {i}\"]\nkind = \"territorial\"\nparties = [{}]\nstatus = \"unresolved\"\n",
            parties.join(", ")
        );
        evidence(&mut g, &mut s, "disputes");
    }
    fs::write(out.join("disputes.toml"), directive("disputes") + &s)?;

    s.clear();
    for i in 0..n_events {
        let _ = writeln!(
            s,
            "[[dispute_events]]\nid = \"event-{i}\"\ndispute = \"dispute-{}\"",
            g.rng.usize(..n_disputes)
        );
        if g.rng.u8(..5) > 0 {
            let _ = writeln!(s, "date = \"{}\"", g.date());
        }
        let _ = writeln!(
            s,
            "kind = \"{}\"\nactor_country = \"{}\"\nsummary = {}\n",
            g.pick(EVENT_KINDS),
            country(&mut g),
            q(&g.sentence())
        );
        evidence(&mut g, &mut s, "dispute_events");
    }
    fs::write(
        out.join("dispute_events.toml"),
        directive("dispute_events") + &s,
    )?;

    s.clear();
    for (i, src) in sources.iter().enumerate() {
        let mut text = String::new();
        for (k, sentence) in src.sentences.iter().enumerate() {
            text.push_str(sentence);
            text.push(if k % 5 == 4 { '\n' } else { ' ' });
        }
        let hash = diplomacy_validate::sha256_hex(text.as_bytes());
        fs::write(out.join(format!("sources/{}.txt", src.id)), &text)?;
        let _ = writeln!(
            s,
            "[[sources]]\nid = \"{}\"\ntitle = \"Source {i}\"\npublisher = \"Publisher {}\"\npublished = \"{}\"\nfile = \"sources/{}.txt\"\nsha256 = \"{hash}\"\nrights = \"Synthetic text.\"\n",
            src.id,
            i % 17,
            g.date(),
            src.id
        );
        for sentence in &src.filler {
            let _ = writeln!(
                s,
                "[[sources.excused]]\nquote = {}\nreason = \"no_fact\"\n",
                q(sentence)
            );
        }
    }
    fs::write(out.join("sources.toml"), directive("sources") + &s)?;

    let faults = plant(out, invalid)?;
    let total = n_countries
        + n_people
        + n_organizations
        + n_statements
        + n_sources
        + n_visits
        + n_meetings
        + n_recognitions
        + n_disputes
        + n_events;
    Ok(format!(
        "wrote {total} records ({n_visits} visits, {n_meetings} meetings, {n_recognitions} recognitions, {n_statements} statements, {n_disputes} disputes, {n_events} dispute events, {n_people} people, {n_organizations} organizations, {n_sources} sources) and {faults} planted fault(s) to {}",
        out.display()
    ))
}

/// Plants `k` faults in `visits.toml`, one per record, cycling through kinds; lists them in
/// `FAULTS.txt` as `<code> <record id>`.
fn plant(out: &Path, k: usize) -> anyhow::Result<usize> {
    if k == 0 {
        return Ok(0);
    }
    let path = out.join("visits.toml");
    let text = fs::read_to_string(&path)?;
    let mut blocks: Vec<String> = text.split("[[visits]]\n").map(str::to_owned).collect();
    let mut list = String::new();
    let mut planted = 0;
    let n = blocks.len();
    for i in 0..k.min(n.saturating_sub(1)) {
        // Spread the faults over the file, one record each.
        let at = 1 + (i * (n - 1) / k.max(1)) % (n - 1);
        let b = &mut blocks[at];
        let id = b
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("id = \""))
            .map(|l| l.trim_end_matches('"').to_owned())
            .unwrap_or_default();
        let (code, new) = match i % 5 {
            0 => (
                "E022",
                replace_line(b, "guest_country = ", "guest_country = \"ZZZ\""),
            ),
            1 => (
                "E042",
                b.replacen("quote = \"", "quote = \"Invented words ", 1),
            ),
            2 => ("E030", replace_line(b, "date = ", "date = \"2019-02-29\"")),
            3 => ("E013", replace_line(b, "level = ", "level = \"emperor\"")),
            _ => ("E011", b.replacen("summary = ", "summry = ", 1)),
        };
        *b = new;
        let _ = writeln!(list, "{code} {id}");
        planted += 1;
    }
    fs::write(&path, blocks.join("[[visits]]\n"))?;
    fs::write(out.join("FAULTS.txt"), list)?;
    Ok(planted)
}

fn replace_line(block: &str, prefix: &str, with: &str) -> String {
    block
        .lines()
        .map(|l| if l.starts_with(prefix) { with } else { l })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `diplomacy` binary's commands, on a synthetic dataset outside the curated layout.
    #[test]
    fn the_diplomacy_commands_validate_and_release_a_synthetic_dataset() {
        let data = tempfile::tempdir().unwrap();
        let out = tempfile::tempdir().unwrap();
        synth(500, data.path(), 0, 3).unwrap();
        let ok = std::process::ExitCode::SUCCESS;
        assert_eq!(
            // Errors only: the synthetic quotes are random words that state none of their
            // records' values, so the entailment rules warn.
            diplomacy_cli::validate::run(data.path(), None, false).unwrap(),
            ok
        );
        let released =
            diplomacy_cli::release::run(data.path(), out.path(), false, None, false).unwrap();
        assert_eq!(released, ok);
        let dirs: Vec<_> = fs::read_dir(out.path()).unwrap().collect();
        assert_eq!(dirs.len(), 1);
        let dir = dirs.into_iter().next().unwrap().unwrap().path();
        for f in [
            "SHA256SUMS",
            "datapackage.json",
            "index.html",
            "csv/visits.csv",
        ] {
            assert!(dir.join(f).is_file(), "{f}");
        }
        // A second release of the same version is refused.
        let again =
            diplomacy_cli::release::run(data.path(), out.path(), false, None, false).unwrap();
        assert_eq!(again, std::process::ExitCode::FAILURE);
    }

    #[test]
    fn synthetic_data_validates_clean_and_is_deterministic() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        synth(3000, a.path(), 0, 7).unwrap();
        synth(3000, b.path(), 0, 7).unwrap();
        for f in [
            "visits.toml",
            "meetings.toml",
            "sources.toml",
            "sources/source-0.txt",
        ] {
            assert_eq!(
                fs::read(a.path().join(f)).unwrap(),
                fs::read(b.path().join(f)).unwrap(),
                "{f}"
            );
        }
        let report = diplomacy_validate::validate_dir(a.path());
        assert!(
            report.is_valid(),
            "{:#?}",
            &report.diagnostics[..report.diagnostics.len().min(5)]
        );
        let data = report.into_valid().unwrap().data;
        assert!(data.len() >= 2900 && data.len() <= 3000, "{}", data.len());
        assert!(data.meetings.iter().any(|m| m.participants.len() == 5));
    }

    #[test]
    fn planted_faults_are_each_found() {
        let dir = tempfile::tempdir().unwrap();
        synth(2000, dir.path(), 10, 3).unwrap();
        let faults = fs::read_to_string(dir.path().join("FAULTS.txt")).unwrap();
        assert_eq!(faults.lines().count(), 10);
        let report = diplomacy_validate::validate_dir(dir.path());
        for line in faults.lines() {
            let (code, _) = line.split_once(' ').unwrap();
            assert!(
                report.diagnostics.iter().any(|d| d.code.as_str() == code),
                "{code} not reported"
            );
        }
        assert!(
            report.diagnostics.len() >= 10,
            "{}",
            report.diagnostics.len()
        );
    }
}

#[cfg(test)]
mod chunk_tests {
    use super::*;

    /// Parsing in small chunks reports exactly what parsing whole files reports.
    #[test]
    fn chunked_parsing_keeps_positions() {
        let dir = tempfile::tempdir().unwrap();
        synth(1500, dir.path(), 7, 5).unwrap();
        let whole = diplomacy_validate::validate_dir(dir.path());
        let mut options = diplomacy_validate::Options::default();
        options.chunk_size = 2048;
        let chunked = diplomacy_validate::validate_dir_with(dir.path(), &options);
        assert!(whole.diagnostics.len() >= 7);
        assert_eq!(whole.diagnostics, chunked.diagnostics);
    }
}
