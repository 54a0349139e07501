"""`py_release.py DIR OUT`: the release script a data person typically writes: tomllib,
jsonschema per record, pandas for unique ids and references, substring checks for quotes,
then `to_csv` and `to_parquet` of every table (and of the evidence table)."""

import pathlib
import sys

import pandas as pd
from jsonschema import Draft202012Validator

import common


def main():
    dir_, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    docs = common.load(dir_)
    validators = {f: Draft202012Validator(s) for f, s in common.record_schemas().items()}
    problems = []
    for name, record in common.records(docs):
        for err in validators[name].iter_errors(record):
            problems.append(f"{name}: {err.message}")

    tables, evidence = {}, []
    for name, key in common.FILES.items():
        if key is None:
            continue
        rows = docs[name].get(key, [])
        for r in rows:
            for i, ev in enumerate(r.get("evidence", []), 1):
                evidence.append(
                    {"id": f"{r['id']}/{i}", "table": key, "record": r["id"], "position": i, **ev}
                )
        tables[key] = pd.DataFrame([{k: v for k, v in r.items() if k not in ("evidence", "excused", "inferred")} for r in rows])
    ev = pd.DataFrame(evidence)

    all_ids = pd.concat([t["id"] for t in tables.values()], ignore_index=True)
    dup = all_ids[all_ids.duplicated()]
    problems += [f"duplicate id {i}" for i in dup]

    def check(table, column, targets, explode=False, office=False):
        df = tables[table]
        if column not in df:
            return
        col = df[column].explode() if explode else df[column]
        col = col.dropna()
        if office:
            # COUNTRY:office refers to a country; anything else to a person or organization.
            has_office = col.str.contains(":")
            check_values(table, column, col[has_office].str.split(":").str[0], ["countries"])
            col = col[~has_office]
        check_values(table, column, col, targets)

    def check_values(table, column, col, targets):
        known = pd.concat([tables[t]["id"] for t in targets], ignore_index=True)
        bad = col[~col.isin(known)]
        problems.extend(f"{table}.{column}: unknown {v}" for v in bad)

    check("people", "country", ["countries"])
    check("visits", "guest_country", ["countries"])
    check("visits", "host_country", ["countries"])
    check("visits", "guest_person", ["people"])
    check("meetings", "location_country", ["countries"])
    check("meetings", "visit", ["visits"])
    check("meetings", "occasion", ["organizations"])
    check("meetings", "participants", ["people", "organizations"], explode=True, office=True)
    check("recognitions", "actor_country", ["countries"])
    check("recognitions", "subject_country", ["countries"])
    check("statements", "actor_country", ["countries"])
    check("statements", "speaker", ["people", "organizations"], office=True)
    check("statements", "about", ["countries", "organizations"], explode=True)
    check("statements", "dispute", ["disputes"])
    check("statements", "meeting", ["meetings"])
    check("disputes", "parties", ["countries"], explode=True)
    check("dispute_events", "dispute", ["disputes"])
    check("dispute_events", "actor_country", ["countries"])
    bad = ev[~ev["source"].isin(tables["sources"]["id"])]
    problems.extend(f"evidence: unknown source {s}" for s in bad["source"])

    texts = {
        s["id"]: common.normalise((dir_ / s["file"]).read_text(encoding="utf-8"))
        for s in docs["sources.toml"]["sources"]
    }
    for src, quote in zip(ev["source"], ev["quote"]):
        if common.normalise(quote) not in texts.get(src, ""):
            problems.append(f"quote not found in {src}")

    if problems:
        for p in problems[:20]:
            print(p, file=sys.stderr)
        print(f"{len(problems)} problem(s): nothing written", file=sys.stderr)
        sys.exit(1)

    tables["evidence"] = ev
    (out / "csv").mkdir(parents=True, exist_ok=True)
    (out / "parquet").mkdir(parents=True, exist_ok=True)
    for key, df in tables.items():
        df = df.sort_values("id")
        df.to_parquet(out / "parquet" / f"{key}.parquet", index=False)
        flat = df.copy()
        for c in flat.columns:
            if flat[c].map(lambda v: isinstance(v, list)).any():
                flat[c] = flat[c].map(lambda v: ";".join(v) if isinstance(v, list) else v)
        flat.to_csv(out / "csv" / f"{key}.csv", index=False)


if __name__ == "__main__":
    main()
