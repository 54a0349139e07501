"""Dates in a release against the `edtf` package (python-edtf), an independent EDTF reader.

Two sets of dates are checked:

- every date column of the release built by conftest.py (the curated data), and
- one date of every supported form, written by the release's own CSV and Parquet writers
  (`cargo run -p diplomacy-model --features parquet --example edtf_forms -- OUT`).

For each date: python-edtf parses the published string and prints it back unchanged (it is
valid EDTF), and its strict bounds (`lower_strict()`, `upper_strict()`) agree with `<x>_min`
and `<x>_max`. The rule where implementations legitimately differ:

- Qualifiers (`?`, `~`, `%`) do not move the bounds. python-edtf widens only its *fuzzy*
  bounds (`lower_fuzzy()`, `upper_fuzzy()`) for them, so only the strict bounds are compared.
- An open end (`1997-07/..`, `../1998`, `[1997-07..]`, `[..1960]`) is empty in the release
  and infinite in python-edtf.
- An unknown end (`1997-07/`, `/1998`) is empty in the release; python-edtf fills it with a
  guess (ten years from the known end). Only that it is a finite day on the right side of
  the known end is checked.

`<x>_precision` and `<x>_certainty` are checked against the shape of the string, and every
string against the JSON Schema pattern of `PartialDate` in `schema/`.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import subprocess
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from edtf import parse_edtf, struct_time_to_date

from conftest import ROOT, describe

DATE_TABLES = {
    "sources": ["published"],
    "visits": ["date"],
    "meetings": ["date"],
    "recognitions": ["date"],
    "dispute_events": ["date"],
}
PRECISIONS = {"day", "month", "year", "decade", "century", "range"}
CERTAINTIES = ["certain", "uncertain", "approximate", "uncertain_approximate"]

# One of each form the model supports; the example writes at least these.
EXPECTED_FORMS = {
    "1998",
    "1998-02",
    "1998-02-26",
    "1998?",
    "1998-02~",
    "1998%",
    "199X",
    "19XX",
    "1998-XX",
    "1997-07/1997-12",
    "1997?/1998~",
    "1997-07/..",
    "../1998",
    "1997-07/",
    "/1998",
    "[1997-07..]",
    "[..1960]",
}


def pattern() -> re.Pattern[str]:
    """The JSON Schema pattern of PartialDate, as published in schema/."""
    schema = json.loads((ROOT / "schema" / "visits.schema.json").read_text(encoding="utf-8"))
    return re.compile(schema["$defs"]["PartialDate"]["pattern"])


def as_day(bound) -> dt.date | float:
    """A python-edtf strict bound as a day, or ±inf."""
    if isinstance(bound, float):
        return bound
    return struct_time_to_date(bound)


def expected_precision(text: str) -> str:
    if "/" in text or text.startswith("["):
        return "range"
    stripped = text.rstrip("?~%")
    if re.fullmatch(r"\d{3}X", stripped):
        return "decade"
    if re.fullmatch(r"\d{2}XX", stripped):
        return "century"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", stripped):
        return "day"
    if re.fullmatch(r"\d{4}-\d{2}(-XX)?", stripped):
        return "month"
    return "year"


def expected_certainty(text: str) -> str:
    uncertain = "?" in text or "%" in text
    approximate = "~" in text or "%" in text
    return CERTAINTIES[int(uncertain) + 2 * int(approximate)]


def check_date(where: str, text: str, lo, hi, precision, certainty) -> list[str]:
    """Problems with one published date; empty when it agrees with python-edtf."""
    problems = []
    if not pattern().fullmatch(text):
        problems.append(f"{where}: {text!r} does not match the schema pattern")
    try:
        parsed = parse_edtf(text)
    except Exception as e:  # python-edtf raises its own exception types
        return problems + [f"{where}: python-edtf cannot parse {text!r}: {e}"]
    if str(parsed) != text:
        problems.append(f"{where}: python-edtf prints {text!r} as {str(parsed)!r}")
    open_start = text.startswith("..") or text.startswith("[..")
    open_end = text.endswith("/..") or text.endswith("..]")
    unknown_start = text.startswith("/")
    unknown_end = text.endswith("/")
    plo, phi = as_day(parsed.lower_strict()), as_day(parsed.upper_strict())
    if open_start:
        if lo is not None or plo != -math.inf:
            problems.append(f"{where}: open start: _min {lo}, python-edtf {plo}")
    elif unknown_start:
        if lo is not None or not isinstance(plo, dt.date) or (hi is not None and plo > hi):
            problems.append(f"{where}: unknown start: _min {lo}, python-edtf {plo}")
    elif lo != plo:
        problems.append(f"{where}: _min {lo}, python-edtf lower_strict {plo}")
    if open_end:
        if hi is not None or phi != math.inf:
            problems.append(f"{where}: open end: _max {hi}, python-edtf {phi}")
    elif unknown_end:
        if hi is not None or not isinstance(phi, dt.date) or (lo is not None and phi < lo):
            problems.append(f"{where}: unknown end: _max {hi}, python-edtf {phi}")
    elif hi != phi:
        problems.append(f"{where}: _max {hi}, python-edtf upper_strict {phi}")
    if lo is not None and hi is not None and lo > hi:
        problems.append(f"{where}: _min {lo} after _max {hi}")
    for day in (lo, hi):
        if day is not None and day.year < 1:
            problems.append(f"{where}: year {day.year}")
    if precision != expected_precision(text):
        problems.append(f"{where}: precision {precision!r}, expected {expected_precision(text)!r}")
    if certainty != expected_certainty(text):
        problems.append(f"{where}: certainty {certainty!r}, expected {expected_certainty(text)!r}")
    return problems


def check_table(path: Path, names: list[str]) -> tuple[list[str], set[str]]:
    """Problems with every date of a Parquet table, and the date strings seen."""
    table = pq.read_table(path)
    schema = table.schema
    problems, seen = [], set()
    for name in names:
        for suffix in ("_min", "_max"):
            field = schema.field(f"{name}{suffix}")
            if not field.nullable:
                problems.append(f"{path.name}: {field.name} is not nullable")
            if str(field.type) != "date32[day]":
                problems.append(f"{path.name}: {field.name} is {field.type}")
        for row in table.to_pylist():
            text = row[name]
            if text is None:
                continue
            seen.add(text)
            problems += check_date(
                f"{path.name}:{row['id']}.{name}",
                text,
                row[f"{name}_min"],
                row[f"{name}_max"],
                row[f"{name}_precision"],
                row[f"{name}_certainty"],
            )
    return problems, seen


@pytest.fixture(scope="module")
def forms_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output of the `edtf_forms` example: one visit per supported date form."""
    out = tmp_path_factory.mktemp("edtf-forms")
    cmd = [
        "cargo",
        "run",
        "-q",
        "-p",
        "diplomacy-model",
        "--features",
        "parquet",
        "--example",
        "edtf_forms",
        "--",
        str(out),
    ]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=3600, check=False)
    if proc.returncode != 0:
        pytest.fail(f"the edtf_forms example failed:\n{describe(proc)}", pytrace=False)
    return out


def test_every_form_agrees_with_python_edtf(forms_dir: Path):
    problems, seen = check_table(forms_dir / "parquet" / "visits.parquet", ["date"])
    assert not problems, "\n".join(problems)
    assert EXPECTED_FORMS <= seen, f"forms not written: {sorted(EXPECTED_FORMS - seen)}"


def test_every_form_reads_the_same_from_csv(forms_dir: Path):
    """The CSV cells (empty where an end is open) say what the Parquet cells say."""
    import csv

    parquet = {r["id"]: r for r in pq.read_table(forms_dir / "parquet" / "visits.parquet").to_pylist()}
    with open(forms_dir / "csv" / "visits.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(parquet)
    for row in rows:
        p = parquet[row["id"]]
        for col in ("date", "date_precision", "date_certainty"):
            assert row[col] == p[col], (row["id"], col)
        for col in ("date_min", "date_max"):
            expected = "" if p[col] is None else p[col].isoformat()
            assert row[col] == expected, (row["id"], col, row[col], expected)


@pytest.mark.parametrize("table", sorted(DATE_TABLES))
def test_release_dates_agree_with_python_edtf(release_dir: Path, table: str):
    problems, _ = check_table(release_dir / "parquet" / f"{table}.parquet", DATE_TABLES[table])
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "text",
    ["02/1998", "1998-2", "1998-13", "1998-02-32", "/", "../..", "1998/1999/2000", "[1998]", "1XXX", "1998-02-26T10:00:00"],
)
def test_schema_pattern_refuses_malformed_dates(text: str):
    """The pattern is a superset of the dates the model accepts (`0000` and `1998-02-30`
    match it and are refused by the model with a reason), but it refuses malformed text."""
    assert not pattern().fullmatch(text)
