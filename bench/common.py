"""Shared helpers for the benchmark scripts: load the authoring files, build the per-record
JSON Schemas from the committed schema/*.schema.json, and the rule checks (unique ids,
references, quotes) the Rust validator makes."""

import json
import pathlib
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent

# file -> key of its array of tables (None: the whole file is one record)
FILES = {
    "dataset.toml": None,
    "countries.toml": "countries",
    "people.toml": "people",
    "organizations.toml": "organizations",
    "sources.toml": "sources",
    "visits.toml": "visits",
    "meetings.toml": "meetings",
    "recognitions.toml": "recognitions",
    "statements.toml": "statements",
    "disputes.toml": "disputes",
    "dispute_events.toml": "dispute_events",
}


def load(dir_):
    """Every authoring file, parsed with tomllib: {file: dict}."""
    dir_ = pathlib.Path(dir_)
    out = {}
    for name in FILES:
        with open(dir_ / name, "rb") as f:
            out[name] = tomllib.load(f)
    return out


def record_schemas():
    """{file: schema of one record}, as the Rust validator builds them."""
    out = {}
    for name, key in FILES.items():
        schema = json.loads((ROOT / "schema" / name.replace(".toml", ".schema.json")).read_text())
        if key is None:
            out[name] = schema
        else:
            out[name] = {
                "$schema": schema["$schema"],
                "$defs": schema["$defs"],
                "$ref": schema["properties"][key]["items"]["$ref"],
            }
    return out


def records(docs):
    """[(file, record)] for every record of every file."""
    out = []
    for name, key in FILES.items():
        doc = docs[name]
        if key is None:
            out.append((name, doc))
        else:
            out.extend((name, r) for r in doc.get(key, []))
    return out


def normalise(s):
    return " ".join(s.split())


def rule_checks(dir_, docs):
    """Unique ids, references and quotes, with plain Python sets; returns a list of problems."""
    dir_ = pathlib.Path(dir_)
    problems = []
    seen = set()
    ids = {}
    for name, key in FILES.items():
        if key is None:
            continue
        table = set()
        for r in docs[name].get(key, []):
            rid = r.get("id")
            if rid in seen:
                problems.append(f"{name}: duplicate id {rid}")
            seen.add(rid)
            table.add(rid)
        ids[key] = table
    countries, people, sources = ids["countries"], ids["people"], ids["sources"]
    visits, disputes = ids["visits"], ids["disputes"]
    organizations, meetings = ids["organizations"], ids["meetings"]
    named = people | organizations

    def participant(name, part):
        if ":" in part:
            ref(name, part.split(":", 1)[0], countries, "country")
        else:
            ref(name, part, named, "person or organization")

    def ref(name, value, known, what):
        if value is not None and value not in known:
            problems.append(f"{name}: unknown {what} {value!r}")

    for p in docs["people.toml"].get("people", []):
        ref("people.toml", p.get("country"), countries, "country")
    for v in docs["visits.toml"].get("visits", []):
        ref("visits.toml", v.get("guest_country"), countries, "country")
        ref("visits.toml", v.get("host_country"), countries, "country")
        ref("visits.toml", v.get("guest_person"), people, "person")
    for m in docs["meetings.toml"].get("meetings", []):
        ref("meetings.toml", m.get("location_country"), countries, "country")
        ref("meetings.toml", m.get("visit"), visits, "visit")
        ref("meetings.toml", m.get("occasion"), organizations, "organization")
        for part in m.get("participants", []):
            participant("meetings.toml", part)
    for r in docs["recognitions.toml"].get("recognitions", []):
        ref("recognitions.toml", r.get("actor_country"), countries, "country")
        ref("recognitions.toml", r.get("subject_country"), countries, "country")
    for st in docs["statements.toml"].get("statements", []):
        ref("statements.toml", st.get("actor_country"), countries, "country")
        if st.get("speaker") is not None:
            participant("statements.toml", st["speaker"])
        for subject in st.get("about", []):
            ref("statements.toml", subject, countries | organizations, "country or organization")
        ref("statements.toml", st.get("dispute"), disputes, "dispute")
        ref("statements.toml", st.get("meeting"), meetings, "meeting")
    for d in docs["disputes.toml"].get("disputes", []):
        for c in d.get("parties", []):
            ref("disputes.toml", c, countries, "country")
    for e in docs["dispute_events.toml"].get("dispute_events", []):
        ref("dispute_events.toml", e.get("dispute"), disputes, "dispute")
        ref("dispute_events.toml", e.get("actor_country"), countries, "country")

    texts = {}
    for s in docs["sources.toml"].get("sources", []):
        texts[s["id"]] = normalise((dir_ / s["file"]).read_text(encoding="utf-8"))
    for name, key in FILES.items():
        if key in (None, "countries", "people", "organizations", "sources"):
            continue
        for r in docs[name].get(key, []):
            for ev in r.get("evidence", []):
                text = texts.get(ev.get("source"))
                if text is None:
                    problems.append(f"{name}: unknown source {ev.get('source')!r}")
                elif normalise(ev.get("quote", "")) not in text:
                    problems.append(f"{name}: quote not found in {ev.get('source')}")
    return problems
