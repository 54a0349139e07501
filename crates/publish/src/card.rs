//! The data card (`README.md`) of a release.

use crate::markdown::text;
use std::fmt::Write as _;

use chrono::NaiveDate;

use diplomacy_model::table::{Column, ColumnType};
use diplomacy_model::{
    CountryCode, Dataset, DatasetMeta, EventRow, Requirement, Subject, TemporalCoverage,
};

use crate::tree::TableInfo;

/// The type of a column as the data card names it.
fn type_name(c: &Column) -> &'static str {
    match c.ty {
        ColumnType::Text => "string",
        ColumnType::Id => "string (id)",
        ColumnType::CountryCode => "category (alpha-3)",
        ColumnType::Vocabulary(_) => "category",
        ColumnType::Integer => "integer",
        ColumnType::PartialDate => "string (partial date)",
        ColumnType::Date => "date",
        ColumnType::List => "list of strings",
        _ => "string",
    }
}

/// Text made safe for a Markdown table cell: pipes escaped, and line breaks (a carriage
/// return is one too in CommonMark) made spaces, so no text ends its row.
fn md(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// A country as the card names it in prose: its name from the `countries` table and its
/// code, or the code alone.
fn country_label(data: &Dataset, code: CountryCode) -> String {
    match data.countries.iter().find(|c| c.id == code) {
        Some(c) => format!("{} (`{code}`)", crate::markdown::text(&c.name)),
        None => format!("`{code}`"),
    }
}

/// The first two countries of the first meeting (by id) in which two countries took part:
/// the card's example of a question across `meeting_participants`.
fn meeting_with_two_countries(data: &Dataset) -> Option<(CountryCode, CountryCode)> {
    let rows = data.meeting_participants();
    rows.chunk_by(|a, b| a.meeting == b.meeting)
        .find_map(|meeting| {
            let mut countries = meeting.iter().filter_map(|p| p.country);
            let first = countries.next()?;
            let second = countries.find(|c| *c != first)?;
            Some((first, second))
        })
}

/// A country the first statement (by id) about a country is about: the card's example of a
/// filter on a list column.
fn statement_about_a_country(data: &Dataset) -> Option<CountryCode> {
    data.statements.iter().find_map(|st| {
        st.about.iter().find_map(|subject| match subject {
            Subject::Country(c) => Some(*c),
            Subject::Organization(_) => None,
        })
    })
}

/// The card's section on how each value is known: stated by a quote, or inferred (table
/// `inferences`), with how to keep only the stated ones.
fn stated_and_inferred(s: &mut String, meta: &DatasetMeta, data: &Dataset, name: &str) {
    let rows = data.inference_rows();
    let several = data.records_of_several_events();
    let _ = writeln!(s, "## Stated and inferred values\n");
    let checked = if meta.require.contains(&Requirement::Entailment) {
        "The validator checks it for every date, country, person, organization and office of every fact-bearing record: the quote that states a value holds its words (a name form the `countries`, `people` or `organizations` table lists, each found in some source text), or, for a date, its year, month name and day."
    } else {
        "This dataset does not ask the validator to enforce it: values no quote states are reported as warnings, not errors."
    };
    let _ = writeln!(
        s,
        "A value is stated by one of its record's quotes, or it is inferred: what a careful reader knows but the text does not say. {checked} Each quote says what it does for its record (`evidence.role`: `claim`, or `dateline`, `title`, `context`) and, where it supports only some fields, which (`evidence.supports`).\n"
    );
    if rows.is_empty() {
        let _ = writeln!(s, "This release marks no value inferred.\n");
    } else {
        let mut by_basis: std::collections::BTreeMap<&str, usize> =
            std::collections::BTreeMap::new();
        for r in &rows {
            *by_basis.entry(r.basis.as_str()).or_default() += 1;
        }
        let counts: Vec<String> = by_basis.iter().map(|(b, n)| format!("{n} `{b}`")).collect();
        let _ = writeln!(
            s,
            "{} values are inferred ({}); table `inferences` lists each with its basis and reason. To keep only what the texts state, blank the inferred values, e.g. for visits in pandas:\n",
            rows.len(),
            counts.join(", ")
        );
        let _ = writeln!(
            s,
            "```python\nimport pandas as pd\nvisits = pd.read_parquet(\"{name}/parquet/visits.parquet\")\ninf = pd.read_parquet(\"{name}/parquet/inferences.parquet\").query(\"record_table == 'visits'\")\nstated = visits.mask(pd.DataFrame({{c: visits[\"id\"].isin(inf.loc[[c == f or c.startswith(f + \"_\") for f in inf[\"field\"]], \"record\"]) for c in visits.columns}}))\n```\n"
        );
    }
    if several > 0 {
        let _ = writeln!(
            s,
            "{several} records stand for several events whose number the text does not give (`occurrences` = `several`): count them as at least one event, not as one.\n"
        );
    }
}

/// What the card says of the fact records' dates: the span of their extents, of those the
/// texts state and of those records infer, and how far their widest bounds reach (the same
/// the page says).
fn coverage(t: &TemporalCoverage) -> String {
    let when = |span: Option<(NaiveDate, NaiveDate)>| {
        span.map_or_else(String::new, |(lo, hi)| format!("from {lo} to {hi}"))
    };
    let Some(all) = t.all() else {
        return "No record has a date.".to_owned();
    };
    let mut s = format!(
        "The records' dates run {}: a date counts with the days it names (a day, month or year whole, a period end to end), and a date known by one bound or only between two (`[..1960]`, `[1999-12..2026-11]`) counts as the day it is placed on, as in `events.sort_key`. Catalogues (`croissant.json`, the page) are given this span.",
        when(Some(all))
    );
    if t.stated.bounds().is_some() {
        let _ = write!(
            s,
            " The dates the texts state ({} records) run {}.",
            t.stated_records,
            when(t.stated.bounds())
        );
    }
    if t.inferred.bounds().is_some() {
        let _ = write!(
            s,
            " The dates records infer rather than state ({} records; `inferences` says why, and `events.inferred` holds `date`) run {}.",
            t.inferred_records,
            when(t.inferred.bounds())
        );
    }
    if t.widest != Some(all) {
        let _ = write!(
            s,
            " At their widest, every day the dates can mean runs {}.",
            when(t.widest)
        );
    }
    if t.undated_records > 0 {
        let _ = write!(
            s,
            " {} empty: {} in {} table, not in `events`.",
            if t.undated_records == 1 {
                "1 record leaves its date".to_owned()
            } else {
                format!("{} records leave their date", t.undated_records)
            },
            if t.undated_records == 1 {
                "it is"
            } else {
                "they are"
            },
            if t.undated_records == 1 {
                "its"
            } else {
                "their"
            }
        );
    }
    s
}

/// The country most events name (the first by code among equals): the card's example of a
/// timeline.
fn busiest_country(events: &[EventRow]) -> Option<CountryCode> {
    let mut counts: std::collections::BTreeMap<CountryCode, usize> =
        std::collections::BTreeMap::new();
    for e in events {
        for c in &e.countries {
            *counts.entry(*c).or_default() += 1;
        }
    }
    let most = counts.values().copied().max()?;
    counts.into_iter().find(|(_, n)| *n == most).map(|(c, _)| c)
}

/// The card's section on the SQLite database: what it holds, how to open it in Datasette
/// and `sqlite3`, with a view and a search of the dataset's own tables.
fn sqlite_section(
    s: &mut String,
    meta: &DatasetMeta,
    data: &Dataset,
    tables: &[TableInfo],
    name: &str,
) {
    let file = crate::sqlite::file_name(meta);
    let (views, searches) = crate::sqlite::layout(tables);
    let _ = writeln!(s, "## SQLite and Datasette\n");
    let _ = writeln!(
        s,
        "Every table is also in one SQLite database, `{file}`, with the same rows and columns: each table's key is its primary key, each reference a foreign key with an index, and a vocabulary column checks its values. Lists are JSON arrays of strings (read them with `json_each`); `<x>_min` and `<x>_max` are days as ISO text (`YYYY-MM-DD`, declared `DATE`); whole numbers are integers.\n"
    );
    let list = |items: Vec<&str>| {
        items
            .iter()
            .map(|i| format!("`{i}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !views.is_empty() {
        let _ = writeln!(
            s,
            "Views put names beside codes and ids: {}.\n",
            list(views.iter().map(|v| v.name.as_str()).collect())
        );
    }
    if !searches.is_empty() {
        let _ = writeln!(
            s,
            "Full-text search (SQLite FTS5, English stemming) covers {}.\n",
            searches
                .iter()
                .map(|f| format!(
                    "`{}` in `{}` ({})",
                    f.table,
                    f.name,
                    list(f.columns.clone())
                ))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let _ = writeln!(
        s,
        "Browse and search it in [Datasette](https://datasette.io/), with every table and column described by `metadata.json`:\n"
    );
    let _ = writeln!(
        s,
        "```sh\ndatasette {name}/{file} --metadata {name}/metadata.json\n```\n"
    );
    let view = views.iter().find(|v| v.table == "visits");
    let search = searches.iter().find(|f| f.table == "visits");
    // A word of the first visit's summary, for the search example.
    let word = data.visits.first().and_then(|v| {
        v.summary
            .split(|c: char| !c.is_alphabetic())
            .find(|w| w.chars().count() >= 6)
            .map(str::to_lowercase)
    });
    let mut queries = Vec::new();
    if let Some(v) = view {
        queries.push(format!(
            "sqlite3 -header {name}/{file} \"SELECT id, date, {} FROM {} ORDER BY date_min LIMIT 5\"",
            v.labels.join(", "),
            v.name
        ));
    }
    if let (Some(f), Some(word)) = (search, word) {
        queries.push(format!(
            "sqlite3 -header {name}/{file} \"SELECT t.id, t.summary FROM {fts} JOIN {table} AS t ON t.rowid = {fts}.rowid WHERE {fts} MATCH '{word}'\"",
            fts = f.name,
            table = f.table
        ));
    }
    if !queries.is_empty() {
        let _ = writeln!(s, "```sh\n{}\n```\n", queries.join("\n"));
    }
    if let Some(v) = view {
        let _ = writeln!(
            s,
            "```python\nimport sqlite3, pandas as pd\ncon = sqlite3.connect(\"{name}/{file}\")\nvisits = pd.read_sql(\"SELECT * FROM {}\", con, parse_dates=[\"date_min\", \"date_max\"])\nprint(visits[[\"id\", \"date_min\", {}]])\n```\n",
            v.name,
            v.labels
                .iter()
                .map(|l| format!("\"{l}\""))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
}

/// The data card, `README.md`: what each table and column means, the sources, how to load
/// and cite the release.
pub(crate) fn data_card(
    meta: &DatasetMeta,
    data: &Dataset,
    tables: &[TableInfo],
    ledger: &crate::coverage::Coverage,
    temporal: &TemporalCoverage,
) -> String {
    let mut s = String::new();
    let v = &meta.version;
    let name = format!("{}-{v}", meta.name);
    let _ = writeln!(s, "# {} ({v})\n", text(&meta.title));
    let _ = writeln!(s, "{}\n", text(&meta.description));
    let _ = writeln!(
        s,
        "Licence: {} (see `LICENSE`). Cite with `CITATION.cff`. Verify the files with `sha256sum -c SHA256SUMS`.\n",
        text(meta.license.as_str())
    );
    let _ = writeln!(
        s,
        "Open `index.html` in a browser to read the release: a timeline, every table with each record's quotes, filters by country, year, kind and text, and every file with its checksum. `croissant.json` describes the release for dataset catalogues (Croissant 1.1), and `.zenodo.json` for a deposit on Zenodo, which gives it a DOI.\n"
    );
    let _ = writeln!(s, "## Coverage and limits\n");
    let _ = writeln!(
        s,
        "The records are what the {n} archived source texts listed under Sources mention, and no more: they are not a complete record of the events they describe. A count in this release (of summits, of visits) is how many these texts mention, not how many there were. A record states no more than its quotes: where a source gives no day, place, person or counterpart, the field is empty, and dates are exactly as precise as the sources give them (see below). Summaries are the dataset's own words, supported by the record's quotes (table `evidence`). Crosswalk ids (ISO codes, Correlates of War numbers, Wikidata items) are filled only where a shipped, well-kept package verifies them.\n",
        n = data.sources.len()
    );
    let _ = writeln!(s, "{}\n", coverage(temporal));
    stated_and_inferred(&mut s, meta, data, &name);
    let _ = writeln!(s, "## Tables\n");
    let _ = writeln!(
        s,
        "Every table is in {}; rows are sorted by `id`.\n",
        crate::format::FORMATS
            .iter()
            .map(|f| format!("`{}`", f.file("<table>")))
            .collect::<Vec<_>>()
            .join(" and ")
    );
    let _ = writeln!(s, "| table | rows | dates covered |");
    let _ = writeln!(s, "| --- | ---: | --- |");
    for t in tables {
        let cov = t
            .coverage
            .as_ref()
            .map_or_else(|| "".to_owned(), |(a, b)| format!("{a} to {b}"));
        let _ = writeln!(s, "| `{}` | {} | {cov} |", t.name, t.rows);
    }
    let _ = writeln!(
        s,
        "\nA date is published as five columns: `<x>` as the source gives it, in EDTF (`1998`, `1998-02`, `1998-02-26`; `1998?` uncertain, `1998~` approximate, `1998%` both; `199X`, `19XX`, `1998-XX`; an interval `1997-07/1997-12`, with an open `1997-07/..` or unknown `1997-07/` end; on or after `[1997-07..]`, on or before `[..1960]`, one day between two bounds `[1999-12..2026-11]`), `<x>_min` and `<x>_max` (the first and last day it can mean, empty where that end is open or unknown), `<x>_precision` (`day`, `month`, `year`, `decade`, `century` or `range`) and `<x>_certainty` (`certain`, `uncertain`, `approximate` or `uncertain_approximate`). Filter on `_min`/`_max`, never on a day the source does not give. Lists are Parquet `list<string>` and `;`-joined in CSV; an empty CSV cell is null.\n"
    );
    for t in tables {
        let _ = writeln!(s, "### `{}`\n", t.name);
        let _ = writeln!(s, "| column | type | nullable | meaning |");
        let _ = writeln!(s, "| --- | --- | --- | --- |");
        for c in t.columns {
            let mut meaning = md(&c.description);
            if let ColumnType::Vocabulary(values) = c.ty {
                let _ = write!(
                    meaning,
                    " One of: {}.",
                    values
                        .iter()
                        .map(|v| format!("`{v}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            if let Some(fk) = c.references {
                let _ = write!(meaning, " References `{}.{}`.", fk.table, fk.column);
            }
            let _ = writeln!(
                s,
                "| `{}` | {} | {} | {} |",
                c.name,
                type_name(c),
                if c.nullable { "yes" } else { "no" },
                meaning
            );
        }
        let _ = writeln!(s);
    }
    let _ = writeln!(s, "## Sources\n");
    let _ = writeln!(
        s,
        "Every fact-bearing record cites at least one verbatim quote (table `evidence`) from these sources. The release publishes the quotes and the sources' metadata, not their texts. The quotes are third-party material: the dataset's licence ({}) covers its records and its own words, not the quoted texts, which remain their authors' and publishers'; each source's `rights` says only what its text shows.\n",
        text(meta.license.as_str())
    );
    let _ = writeln!(s, "| id | title | publisher | published | rights |");
    let _ = writeln!(s, "| --- | --- | --- | --- | --- |");
    for src in &data.sources {
        let _ = writeln!(
            s,
            "| `{}` | {} | {} | {} | {} |",
            src.id,
            text(&src.title),
            text(&src.publisher),
            src.published,
            text(&src.rights)
        );
    }
    let _ = writeln!(s);
    s.push_str(&ledger.markdown());
    let _ = writeln!(s, "## Loading\n");
    let _ = writeln!(
        s,
        "Paths below are relative to the directory that holds this release. Every snippet runs as written.\n"
    );
    if data.visits.is_empty() {
        // A dataset with no visits: read the first table that has rows.
        if let Some(t) = tables.iter().find(|t| t.rows > 0) {
            let table = t.name;
            let _ = writeln!(
                s,
                "```python\nimport pandas as pd\n{table} = pd.read_parquet(\"{name}/parquet/{table}.parquet\")\nprint({table})\n```\n"
            );
            let _ = writeln!(
                s,
                "```python\nimport polars as pl\n{table} = pl.read_parquet(\"{name}/parquet/{table}.parquet\")\nprint({table})\n```\n"
            );
            let _ = writeln!(
                s,
                "```sql\n-- DuckDB\nSELECT * FROM '{name}/parquet/{table}.parquet' LIMIT 10;\n```\n"
            );
        }
    } else {
        let _ = writeln!(
            s,
            "```python\nimport pandas as pd\nvisits = pd.read_parquet(\"{name}/parquet/visits.parquet\")\n```\n"
        );
        let _ = writeln!(
            s,
            "```python\nimport polars as pl\nvisits = pl.read_parquet(\"{name}/parquet/visits.parquet\")\nevidence = pl.read_parquet(\"{name}/parquet/evidence.parquet\")\nvisits.join(evidence, left_on=\"id\", right_on=\"record\")\n```\n"
        );
        let _ = writeln!(
            s,
            "```sql\n-- DuckDB\nSELECT date, guest_country, host_country, level FROM '{name}/parquet/visits.parquet' ORDER BY date_min;\n```\n"
        );
    }
    let _ = writeln!(
        s,
        "```rust\n// diplomacy-model, from the dataset's repository (not on crates.io yet)\nlet data = diplomacy_model::Dataset::read_release(\"{name}\", diplomacy_model::Format::Csv)?;\nprintln!(\"{{}} visits\", data.visits.len());\n```\n"
    );
    sqlite_section(&mut s, meta, data, tables, &name);
    let _ = writeln!(s, "## Dates in pandas, and sorting partial dates\n");
    let _ = writeln!(
        s,
        "pandas reads Parquet `date32` columns as Python `date` objects, on which `.dt` does not work; `pd.to_datetime` makes them datetimes. To sort partial dates chronologically, sort on their start: `<x>_min`, or `<x>_max` where `_min` is empty (an open or unknown start: the record is known only as of that day, and is placed on it, not before every other); then on `<x>_max`, an empty one last (an open or unknown end); then on `<x>_min`, an empty one last. In SQL: `ORDER BY coalesce(date_min, date_max), date_max NULLS LAST, date_min NULLS LAST`. Table `events` holds this order as `sort_key`, for every fact table at once.\n"
    );
    if !data.visits.is_empty() {
        let _ = writeln!(
            s,
            "```python\nimport pandas as pd\nvisits = pd.read_parquet(\"{name}/parquet/visits.parquet\")\nvisits[\"start\"] = pd.to_datetime(visits[\"date_min\"].fillna(visits[\"date_max\"]))\nvisits = visits.sort_values([\"start\", \"date_max\", \"date_min\"], na_position=\"last\")\nprint(visits[[\"date\", \"start\", \"guest_country\", \"host_country\"]])\n```\n"
        );
    }
    let events = data.event_rows();
    if let Some(c) = busiest_country(&events) {
        let _ = writeln!(s, "## A timeline of every table\n");
        let _ = writeln!(
            s,
            "Table `events` has one row per dated record of every fact table, with its date (the five date columns, `date_kind` and `sort_key`), the countries and people it names with their names beside the codes, its summary, and its first quote with its source. The timeline of {}, in true order, with how surely each date is known:\n",
            country_label(data, c)
        );
        let _ = writeln!(
            s,
            "```python\nimport pandas as pd\nevents = pd.read_parquet(\"{name}/parquet/events.parquet\")\ntimeline = events[events[\"countries\"].apply(lambda c: \"{c}\" in c)].sort_values(\"sort_key\")\nprint(timeline[[\"date\", \"date_precision\", \"date_certainty\", \"record_table\", \"summary\", \"quote\"]])\n```\n"
        );
        let _ = writeln!(
            s,
            "```sql\n-- DuckDB\nSELECT date, date_kind, date_certainty, record_table, kind, summary, quote, source FROM '{name}/parquet/events.parquet' WHERE list_contains(countries, '{c}') ORDER BY sort_key;\n```\n"
        );
    }
    let pair = meeting_with_two_countries(data);
    let about = statement_about_a_country(data);
    if pair.is_some() || about.is_some() {
        let _ = writeln!(s, "## Common questions\n");
    }
    if let Some((a, b)) = pair {
        let _ = writeln!(
            s,
            "Every meeting in which both {} and {} took part, from `meeting_participants` (one row per participant, with the participant's country):\n",
            country_label(data, a),
            country_label(data, b)
        );
        let _ = writeln!(
            s,
            "```python\nimport polars as pl\nmp = pl.read_parquet(\"{name}/parquet/meeting_participants.parquet\")\nmeetings = pl.read_parquet(\"{name}/parquet/meetings.parquet\")\nboth = mp.filter(pl.col(\"country\").is_in([\"{a}\", \"{b}\"])).group_by(\"meeting\").agg(pl.col(\"country\").n_unique().alias(\"n\")).filter(pl.col(\"n\") == 2)\nprint(meetings.join(both, left_on=\"id\", right_on=\"meeting\").select(\"id\", \"date\", \"kind\", \"summary\"))\n```\n"
        );
        let _ = writeln!(
            s,
            "```python\nimport pandas as pd\nmp = pd.read_parquet(\"{name}/parquet/meeting_participants.parquet\")\nn = mp[mp[\"country\"].isin([\"{a}\", \"{b}\"])].groupby(\"meeting\")[\"country\"].nunique()\nprint(sorted(n[n == 2].index))\n```\n"
        );
        let _ = writeln!(
            s,
            "```sql\n-- DuckDB: the same meetings, then every quote behind them\nSELECT e.record, e.source, e.quote FROM '{name}/parquet/evidence.parquet' e WHERE e.record IN (SELECT meeting FROM '{name}/parquet/meeting_participants.parquet' WHERE country IN ('{a}', '{b}') GROUP BY meeting HAVING count(DISTINCT country) = 2);\n```\n"
        );
    }
    if let Some(c) = about {
        let _ = writeln!(
            s,
            "Every statement about a country, here {}, with its speaker and quotes (`about` is a list):\n",
            country_label(data, c)
        );
        let _ = writeln!(
            s,
            "```python\nimport polars as pl\nstatements = pl.read_parquet(\"{name}/parquet/statements.parquet\")\nevidence = pl.read_parquet(\"{name}/parquet/evidence.parquet\")\nabout_country = statements.filter(pl.col(\"about\").list.contains(\"{c}\"))\nprint(about_country.join(evidence, left_on=\"id\", right_on=\"record\").select(\"id\", \"kind\", \"speaker\", \"quote\"))\n```\n"
        );
    }
    let _ = writeln!(s, "## Citing\n");
    let authors = if meta.authors.is_empty() {
        format!("{} contributors", meta.title)
    } else {
        meta.authors.join(", ")
    };
    let _ = writeln!(
        s,
        "{}. *{}*, version {v}. {}.",
        text(&authors),
        text(&meta.title),
        text(meta.license.as_str())
    );
    s
}
