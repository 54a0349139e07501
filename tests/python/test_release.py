"""What users do with a release: read it with pandas, Polars, pyarrow and DuckDB, join its
tables, validate it with frictionless, check its checksums and cite it.

The expected columns below restate crates/model/src/tables.rs as the contract promises them to
users; a change there that users would notice should fail here.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import hashlib
import json
import re
import tomllib
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path

import duckdb
import frictionless
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from conftest import DATASET, copy_dataset, dataset_meta, describe, files_under, release_name, run_release

TABLES = [
    "countries",
    "people",
    "organizations",
    "sources",
    "visits",
    "meetings",
    "meeting_participants",
    "recognitions",
    "statements",
    "disputes",
    "dispute_events",
    "agreements",
    "cooperation",
    "offices",
    "redirects",
    "events",
    "inferences",
    "evidence",
    "source_sentences",
]
# Derived at release from other tables, with no authoring file.
DERIVED_TABLES = ["meeting_participants", "events", "inferences", "evidence", "source_sentences"]
FACT_TABLES = [
    "visits",
    "meetings",
    "recognitions",
    "statements",
    "disputes",
    "dispute_events",
    "agreements",
    "cooperation",
    "offices",
]
PRECISIONS = ["day", "month", "year", "decade", "century", "range"]
CERTAINTIES = ["certain", "uncertain", "approximate", "uncertain_approximate"]

# Column kinds.
ID = "id"  # a primary key or free-form id: Utf8
TEXT = "text"  # Utf8
PDATE = "partial-date"  # the date as written: Utf8
DATE = "date"  # <x>_min, <x>_max: date32
COUNTRY = "country"  # alpha-3 code: utf8 like countries.id, a foreign key to it
VOCAB = "vocabulary"  # dictionary<int32, utf8>
INT = "integer"  # int64
LIST = "list"  # list<utf8 not null>


def ref(table: str) -> str:
    """The kind of an id column that refers to `table`'s id."""
    return f"ref:{table}"


def date(name: str, nullable: bool = False) -> list[tuple[str, str, bool]]:
    return [
        (name, PDATE, nullable),
        # Empty where that end is open or unknown (`1997-07/..`, `1997-07/`).
        (f"{name}_min", DATE, True),
        (f"{name}_max", DATE, True),
        (f"{name}_precision", VOCAB, nullable),
        (f"{name}_certainty", VOCAB, nullable),
    ]


# (column, kind, nullable), in order.
COLUMNS: dict[str, list[tuple[str, str, bool]]] = {
    "countries": [
        ("id", ID, False),
        ("name", TEXT, False),
        ("other_names", LIST, False),
        ("iso2", TEXT, True),
        ("cow_code", INT, True),
        ("gw_code", INT, True),
        ("wikidata", TEXT, True),
        ("notes", TEXT, True),
    ],
    "people": [
        ("id", ID, False),
        ("name", TEXT, False),
        ("family_name", TEXT, True),
        ("given_name", TEXT, True),
        ("other_names", LIST, False),
        ("country", COUNTRY, False),
        ("notes", TEXT, True),
    ],
    "organizations": [
        ("id", ID, False),
        ("name", TEXT, False),
        ("other_names", LIST, False),
        ("kind", VOCAB, False),
        ("wikidata", TEXT, True),
        ("notes", TEXT, True),
    ],
    "meeting_participants": [
        ("id", ID, False),
        ("meeting", ref("meetings"), False),
        ("participant", TEXT, False),
        ("person", ref("people"), True),
        ("organization", ref("organizations"), True),
        ("country", COUNTRY, True),
        ("office", TEXT, True),
    ],
    "statements": [
        ("id", ID, False),
        *date("date", nullable=True),
        ("actor_country", COUNTRY, False),
        ("speaker", TEXT, True),
        ("kind", VOCAB, False),
        ("about", LIST, False),
        ("dispute", ref("disputes"), True),
        ("meeting", ref("meetings"), True),
        ("summary", TEXT, False),
        ("notes", TEXT, True),
        ("occurrences", VOCAB, True),
    ],
    "redirects": [
        ("from_id", ID, False),
        ("to_id", ID, False),
        ("reason", TEXT, False),
        ("since", TEXT, True),
    ],
    "sources": [
        ("id", ID, False),
        ("title", TEXT, False),
        ("publisher", TEXT, False),
        *date("published"),
        ("url", TEXT, True),
        ("file", TEXT, False),
        ("sha256", TEXT, False),
        ("rights", TEXT, False),
        ("language", TEXT, True),
        ("notes", TEXT, True),
        ("kind", VOCAB, True),
        *date("archived", nullable=True),
        ("segment", VOCAB, False),
    ],
    "visits": [
        ("id", ID, False),
        *date("date"),
        ("guest_country", COUNTRY, False),
        ("host_country", COUNTRY, True),
        ("guest_person", ref("people"), True),
        ("guest_office", TEXT, False),
        ("level", VOCAB, False),
        ("summary", TEXT, False),
        ("notes", TEXT, True),
        ("occurrences", VOCAB, True),
    ],
    "meetings": [
        ("id", ID, False),
        *date("date"),
        ("location_country", COUNTRY, True),
        ("location", TEXT, True),
        ("participants", LIST, False),
        ("kind", VOCAB, False),
        ("occasion", ref("organizations"), True),
        ("visit", ref("visits"), True),
        ("summary", TEXT, False),
        ("notes", TEXT, True),
        ("occurrences", VOCAB, True),
    ],
    "recognitions": [
        ("id", ID, False),
        *date("date"),
        ("actor_country", COUNTRY, False),
        ("subject_country", COUNTRY, False),
        ("kind", VOCAB, False),
        ("summary", TEXT, True),
        ("notes", TEXT, True),
        ("occurrences", VOCAB, True),
    ],
    "disputes": [
        ("id", ID, False),
        ("name", TEXT, False),
        ("other_names", LIST, False),
        ("kind", VOCAB, False),
        ("parties", LIST, False),
        ("status", VOCAB, False),
        ("summary", TEXT, True),
        ("notes", TEXT, True),
        ("occurrences", VOCAB, True),
    ],
    "dispute_events": [
        ("id", ID, False),
        ("dispute", ref("disputes"), False),
        *date("date", nullable=True),
        ("kind", VOCAB, False),
        ("actor_country", COUNTRY, False),
        ("counterpart_country", COUNTRY, True),
        ("meeting", ref("meetings"), True),
        ("summary", TEXT, False),
        ("notes", TEXT, True),
        ("occurrences", VOCAB, True),
    ],
    "agreements": [
        ("id", ID, False),
        *date("date", nullable=True),
        ("kind", VOCAB, False),
        ("title", TEXT, True),
        ("documents", INT, True),
        ("parties", LIST, False),
        ("signatories", LIST, False),
        ("fields", LIST, False),
        ("visit", ref("visits"), True),
        ("meeting", ref("meetings"), True),
        ("summary", TEXT, False),
        ("notes", TEXT, True),
        ("occurrences", VOCAB, True),
    ],
    "cooperation": [
        ("id", ID, False),
        *date("date", nullable=True),
        ("parties", LIST, False),
        ("fields", LIST, False),
        ("framework", ref("organizations"), True),
        ("policy", ref("statements"), True),
        ("summary", TEXT, False),
        ("notes", TEXT, True),
        ("occurrences", VOCAB, True),
    ],
    "offices": [
        ("id", ID, False),
        ("person", ref("people"), False),
        ("office", TEXT, False),
        ("country", COUNTRY, True),
        *date("date", nullable=True),
        ("summary", TEXT, False),
        ("notes", TEXT, True),
        ("occurrences", VOCAB, True),
    ],
    "source_sentences": [
        ("id", ID, False),
        ("source", ref("sources"), False),
        ("sentence", INT, False),
        ("start_byte", INT, False),
        ("end_byte", INT, False),
        ("status", VOCAB, False),
        ("reason", VOCAB, True),
        ("records", LIST, False),
    ],
    "evidence": [
        ("id", ID, False),
        ("record_table", VOCAB, False),
        ("record", ID, False),
        ("position", INT, False),
        ("source", ref("sources"), False),
        ("quote", TEXT, False),
        ("role", VOCAB, False),
        ("supports", LIST, False),
        ("occurrence", INT, True),
        ("start_byte", INT, True),
        ("end_byte", INT, True),
        ("sentence", INT, True),
        ("prefix", TEXT, True),
        ("suffix", TEXT, True),
    ],
    "events": [
        ("id", ID, False),
        ("record_table", VOCAB, False),
        ("record", ID, False),
        ("kind", TEXT, False),
        *date("date"),
        ("date_kind", VOCAB, False),
        ("sort_key", INT, False),
        ("countries", LIST, False),
        ("country_names", LIST, False),
        ("people", LIST, False),
        ("person_names", LIST, False),
        ("summary", TEXT, True),
        ("quote", TEXT, True),
        ("source", ref("sources"), True),
        ("inferred", LIST, False),
    ],
    "inferences": [
        ("id", ID, False),
        ("record_table", VOCAB, False),
        ("record", ID, False),
        ("field", TEXT, False),
        ("basis", VOCAB, False),
        ("reason", TEXT, False),
    ],
}

# Vocabularies the contract lists in full: the Table Schema's enum must be exactly these.
VOCAB_EXACT = {
    ("visits", "level"): [
        "head_of_state",
        "head_of_government",
        "foreign_minister",
        "minister",
        "parliamentarian",
        "delegation",
        "other",
    ],
    ("meetings", "kind"): ["summit", "foreign_ministers", "vice_ministerial", "audience", "other"],
    ("events", "date_kind"): ["day", "one_of", "period", "as_of"],
}
# Vocabularies the contract lists with "...": the enum must contain at least these.
VOCAB_AT_LEAST = {
    ("recognitions", "kind"): [
        "recognition",
        "diplomatic_relations_established",
        "diplomatic_relations_restored",
        "embassy_opened",
    ],
    ("disputes", "kind"): ["territorial", "armed_conflict"],
    ("dispute_events", "kind"): [
        "agreement",
        "declaration",
        "memorandum",
        "negotiation",
        "position",
        "meeting",
    ],
    ("evidence", "record_table"): FACT_TABLES,
}


def columns_of_kind(table: str, kind: str) -> list[str]:
    return [c for (c, k, _) in COLUMNS[table] if k == kind]


def expected_foreign_keys() -> set[tuple[str, str, str]]:
    """(table, column, referenced table) for every scalar reference column."""
    fks = set()
    for table, cols in COLUMNS.items():
        for column, kind, _ in cols:
            if kind == COUNTRY:
                fks.add((table, column, "countries"))
            elif kind.startswith("ref:"):
                fks.add((table, column, kind.removeprefix("ref:")))
    return fks


def parquet_path(release: Path, table: str) -> Path:
    return release / "parquet" / f"{table}.parquet"


def csv_path(release: Path, table: str) -> Path:
    return release / "csv" / f"{table}.csv"


@cache
def _arrow(path: str) -> pa.Table:
    return pq.read_table(path)


@cache
def _csv(path: str) -> tuple[list[str], list[list[str]]]:
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, strict=True))
    assert rows, f"{path} is empty: it has no header"
    return rows[0], rows[1:]


@pytest.fixture(scope="module")
def arrow(release_dir: Path):
    """table name -> pyarrow Table read from the release's Parquet."""
    return lambda table: _arrow(str(parquet_path(release_dir, table)))


@pytest.fixture(scope="module")
def csv_table(release_dir: Path):
    """table name -> (header, rows) read from the release's CSV with an RFC 4180 reader."""
    return lambda table: _csv(str(csv_path(release_dir, table)))


@pytest.fixture(scope="module")
def datapackage(release_dir: Path) -> dict:
    with open(release_dir / "datapackage.json", encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="module")
def csv_resources(datapackage: dict) -> dict[str, dict]:
    """table name -> the datapackage.json resource of its CSV."""
    out = {}
    for resource in datapackage["resources"]:
        path = resource.get("path")
        if isinstance(path, str) and path.startswith("csv/") and path.endswith(".csv"):
            out[path.removeprefix("csv/").removesuffix(".csv")] = resource
    return out


@pytest.fixture(scope="module")
def db():
    con = duckdb.connect()
    yield con
    con.close()


def key(table: str) -> str:
    """The table's primary key column: `from_id` for redirects, `id` elsewhere."""
    return "from_id" if table == "redirects" else "id"


def ids(arrow, table: str) -> list[str]:
    return arrow(table).column(key(table)).to_pylist()


def sql_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


# --- the release directory ------------------------------------------------------------------


def test_release_directory_layout(release_dir: Path, release_out: Path | None):
    assert release_dir.name == release_name()
    top = sorted(p.name for p in release_dir.iterdir())
    assert top == sorted(
        [
            "csv",
            "parquet",
            "datapackage.json",
            "SHA256SUMS",
            "README.md",
            "CITATION.cff",
            ".zenodo.json",
            "LICENSE",
            "croissant.json",
            "index.html",
            "CHANGELOG.md",
            "changes.json",
            f"{dataset_meta()['name']}.sqlite",
            "metadata.json",
        ]
    )
    assert sorted(p.name for p in (release_dir / "csv").iterdir()) == sorted(f"{t}.csv" for t in TABLES)
    assert sorted(p.name for p in (release_dir / "parquet").iterdir()) == sorted(
        f"{t}.parquet" for t in TABLES
    )
    if release_out is not None:
        # Nothing beside the release: no staging directory or temporary file left behind.
        assert [p.name for p in release_out.iterdir()] == [release_name()]


# --- every reader loads every table ---------------------------------------------------------


@pytest.mark.parametrize("table", TABLES)
def test_every_reader_loads_the_table_with_the_csv_row_count(release_dir, csv_table, db, table):
    header, rows = csv_table(table)
    expected_columns = [c for (c, _, _) in COLUMNS[table]]
    path = parquet_path(release_dir, table)

    pa_table = pq.read_table(path)
    pd_frame = pd.read_parquet(path)
    pl_frame = pl.read_parquet(path)
    duck = db.sql(f"SELECT * FROM {sql_path(path)}")
    duck_rows = duck.fetchall()

    counts = {
        "csv": len(rows),
        "pyarrow": pa_table.num_rows,
        "pandas": len(pd_frame),
        "polars": pl_frame.height,
        "duckdb": len(duck_rows),
        "pandas read_csv": len(pd.read_csv(csv_path(release_dir, table), dtype=str, keep_default_na=False)),
        "polars read_csv": pl.read_csv(csv_path(release_dir, table), infer_schema=False).height,
    }
    assert len(set(counts.values())) == 1, f"row counts differ: {counts}"
    assert len(rows) > 0, f"{table} is empty: every table of our dataset has records"

    assert header == expected_columns
    assert pa_table.column_names == expected_columns
    assert list(pd_frame.columns) == expected_columns
    assert pl_frame.columns == expected_columns
    assert duck.columns == expected_columns


# --- column types, reader by reader ---------------------------------------------------------


def expected_arrow_type(kind: str) -> pa.DataType:
    if kind in (ID, TEXT, PDATE, COUNTRY) or kind.startswith("ref:"):
        return pa.string()
    if kind == VOCAB:
        return pa.dictionary(pa.int32(), pa.string())
    if kind == DATE:
        return pa.date32()
    if kind == INT:
        return pa.int64()
    if kind == LIST:
        return pa.list_(pa.field("item", pa.string(), nullable=False))
    raise AssertionError(kind)


@pytest.mark.parametrize("table", TABLES)
def test_pyarrow_schema(release_dir, table):
    schema = pq.read_schema(parquet_path(release_dir, table))
    problems = []
    for column, kind, nullable in COLUMNS[table]:
        field = schema.field(column)
        want = expected_arrow_type(kind)
        if kind == LIST:
            # The list's item name is the writer's choice; its type and nullability are not.
            if not (pa.types.is_list(field.type) and field.type.value_type == pa.string()):
                problems.append(f"{column}: {field.type}, expected {want}")
            elif field.type.value_field.nullable:
                problems.append(f"{column}: list items are nullable, expected `string not null`")
        elif field.type != want:
            problems.append(f"{column}: {field.type}, expected {want}")
        if field.nullable != nullable:
            problems.append(f"{column}: nullable={field.nullable}, expected {nullable}")
        description = (field.metadata or {}).get(b"description", b"").decode()
        if not description.strip():
            problems.append(f"{column}: no `description` in the field metadata")
        if pa.types.is_floating(field.type) or pa.types.is_decimal(field.type):
            problems.append(f"{column}: float type {field.type}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("table", TABLES)
def test_polars_types(release_dir, table):
    schema = pl.read_parquet(parquet_path(release_dir, table)).schema
    problems = []
    for column, kind, _ in COLUMNS[table]:
        dtype = schema[column]
        if kind == DATE:
            ok = dtype == pl.Date
        elif kind == VOCAB:
            ok = isinstance(dtype, (pl.Categorical, pl.Enum)) or dtype in (pl.Categorical, pl.Enum)
        elif kind == LIST:
            ok = dtype == pl.List(pl.String)
        elif kind == INT:
            ok = dtype.is_integer()
        else:
            ok = dtype == pl.String
        if not ok or dtype.is_float():
            problems.append(f"{column} ({kind}): {dtype}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("table", TABLES)
def test_pandas_types(release_dir, table):
    frame = pd.read_parquet(parquet_path(release_dir, table))
    problems = []
    for column, kind, _ in COLUMNS[table]:
        series = frame[column]
        dtype = series.dtype
        values = series.dropna().tolist()
        if pd.api.types.is_float_dtype(dtype):
            problems.append(f"{column} ({kind}): float dtype {dtype}")
            continue
        if kind == DATE:
            ok = pd.api.types.is_datetime64_any_dtype(dtype) or all(
                type(v) is dt.date for v in values
            )
        elif kind == VOCAB:
            ok = isinstance(dtype, pd.CategoricalDtype)
        elif kind == INT:
            ok = pd.api.types.is_integer_dtype(dtype)
        elif kind == LIST:
            ok = all(
                not isinstance(v, str) and all(isinstance(item, str) for item in v) for v in values
            )
        else:
            ok = pd.api.types.is_string_dtype(dtype) and all(isinstance(v, str) for v in values)
        if not ok:
            sample = values[:1]
            problems.append(f"{column} ({kind}): dtype {dtype}, values like {sample!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("table", TABLES)
def test_duckdb_types(release_dir, db, table):
    described = db.sql(f"DESCRIBE SELECT * FROM {sql_path(parquet_path(release_dir, table))}").fetchall()
    types = {row[0]: row[1] for row in described}
    problems = []
    for column, kind, _ in COLUMNS[table]:
        ty = types[column]
        if kind == DATE:
            ok = ty == "DATE"
        elif kind == LIST:
            ok = ty == "VARCHAR[]"
        elif kind == INT:
            ok = ty == "BIGINT"
        elif kind in (COUNTRY, VOCAB):
            ok = ty == "VARCHAR" or ty.startswith("ENUM")
        else:
            ok = ty == "VARCHAR"
        if not ok:
            problems.append(f"{column} ({kind}): {ty}")
    assert not problems, "\n".join(problems)


# --- dates ----------------------------------------------------------------------------------


def _point(text: str, last: bool) -> tuple[dt.date, str]:
    """The first (or last) day of `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, and its precision."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return dt.date.fromisoformat(text), "day"
    if re.fullmatch(r"\d{4}-\d{2}", text):
        year, month = int(text[:4]), int(text[5:])
        day = calendar.monthrange(year, month)[1] if last else 1
        return dt.date(year, month, day), "month"
    if re.fullmatch(r"\d{4}", text):
        year = int(text)
        return (dt.date(year, 12, 31) if last else dt.date(year, 1, 1)), "year"
    raise ValueError(f"{text!r} is not YYYY, YYYY-MM or YYYY-MM-DD")


def interpret(written: str) -> tuple[dt.date, dt.date, str]:
    """(first day, last day, precision) of a level-0 date as written. The other EDTF forms
    are checked against the `edtf` package in test_edtf.py."""
    if "/" in written:
        start, end = written.split("/")
        return _point(start, False)[0], _point(end, True)[0], "range"
    first, precision = _point(written, False)
    return first, _point(written, True)[0], precision


DATE_TABLES = [t for t in TABLES if any(k == PDATE for (_, k, _) in COLUMNS[t])]


@pytest.mark.parametrize("table", DATE_TABLES)
def test_dates_are_consistent(arrow, table):
    data = arrow(table).to_pylist()
    problems = []
    for name in columns_of_kind(table, PDATE):
        for row in data:
            written, lo, hi, precision, certainty = (
                row[name],
                row[f"{name}_min"],
                row[f"{name}_max"],
                row[f"{name}_precision"],
                row[f"{name}_certainty"],
            )
            where = f"{row['id']}.{name} = {written!r}"
            if written is None:
                if (lo, hi, precision, certainty) != (None, None, None, None):
                    problems.append(
                        f"{where}: null date with _min/_max/_precision/_certainty {lo}, {hi}, {precision}, {certainty}"
                    )
                continue
            if precision not in PRECISIONS:
                problems.append(f"{where}: precision {precision!r}")
            if certainty not in CERTAINTIES:
                problems.append(f"{where}: certainty {certainty!r}")
            if lo is not None and hi is not None and lo > hi:
                problems.append(f"{where}: _min {lo} after _max {hi}")
            if lo is None and hi is None:
                problems.append(f"{where}: neither _min nor _max")
            if not re.fullmatch(r"\d{4}(-\d{2}){0,2}(/\d{4}(-\d{2}){0,2})?", written):
                # Qualified, unspecified, open and unknown forms: test_edtf.py.
                continue
            try:
                expected = interpret(written)
            except ValueError as e:
                problems.append(f"{where}: {e}")
                continue
            if (lo, hi, precision) != expected:
                problems.append(f"{where}: ({lo}, {hi}, {precision}), expected {expected}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("table", DATE_TABLES)
def test_duckdb_date_ranges(release_dir, db, table):
    """The same facts as a DuckDB user sees them: _min <= _max, known precisions."""
    path = sql_path(parquet_path(release_dir, table))
    for name in columns_of_kind(table, PDATE):
        bad = db.sql(
            f"SELECT id FROM {path} WHERE {name}_min > {name}_max "
            f"OR {name}_precision NOT IN ('day', 'month', 'year', 'decade', 'century', 'range') "
            f"OR {name}_certainty NOT IN ('certain', 'uncertain', 'approximate', 'uncertain_approximate')"
        ).fetchall()
        assert bad == [], f"{table}.{name}: {bad}"


# --- keys -----------------------------------------------------------------------------------


@pytest.mark.parametrize("table", TABLES)
def test_primary_key_unique_and_rows_sorted_by_id(arrow, csv_table, table):
    values = ids(arrow, table)
    assert None not in values
    dupes = [k for k, n in Counter(values).items() if n > 1]
    assert dupes == [], f"duplicate ids in {table}: {dupes}"
    assert values == sorted(values), f"{table} is not sorted by id"
    header, rows = csv_table(table)
    assert [r[header.index(key(table))] for r in rows] == values


def test_datapackage_declares_every_foreign_key(csv_resources):
    declared = set()
    for table, resource in csv_resources.items():
        for fk in resource.get("schema", {}).get("foreignKeys", []):
            fields = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
            target = fk["reference"]
            target_fields = target["fields"] if isinstance(target["fields"], list) else [target["fields"]]
            target_table = resource_table(csv_resources, target.get("resource", ""), table)
            for f, tf in zip(fields, target_fields, strict=True):
                assert tf == "id", fk
                declared.add((table, f, target_table))
    missing = expected_foreign_keys() - declared
    assert not missing, f"foreign keys missing from datapackage.json: {sorted(missing)}"


def resource_table(csv_resources: dict[str, dict], name: str, this_table: str) -> str:
    """The table of the resource a foreign key names ("" is the resource itself)."""
    if name == "":
        return this_table
    for table, resource in csv_resources.items():
        if resource.get("name") == name:
            return table
    raise AssertionError(f"a foreign key refers to resource {name!r}, which is no CSV resource")


def declared_foreign_keys(csv_resources) -> set[tuple[str, str, str]]:
    out = set()
    for table, resource in csv_resources.items():
        for fk in resource.get("schema", {}).get("foreignKeys", []):
            fields = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
            for f in fields:
                out.add((table, f, resource_table(csv_resources, fk["reference"].get("resource", ""), table)))
    return out


def test_every_foreign_key_resolves_duckdb(release_dir, db, csv_resources):
    """Every foreign key, declared or expected, resolves with a DuckDB anti-join on the Parquet."""
    problems = []
    for table, column, target in sorted(declared_foreign_keys(csv_resources) | expected_foreign_keys()):
        child = sql_path(parquet_path(release_dir, table))
        parent = sql_path(parquet_path(release_dir, target))
        dangling = db.sql(
            f"SELECT DISTINCT c.{column} FROM {child} c "
            f"ANTI JOIN {parent} p ON CAST(c.{column} AS VARCHAR) = CAST(p.id AS VARCHAR) "
            f"WHERE c.{column} IS NOT NULL"
        ).fetchall()
        if dangling:
            problems.append(f"{table}.{column} -> {target}.id: {[d[0] for d in dangling]}")
    assert not problems, "\n".join(problems)


def test_every_foreign_key_resolves_pandas(release_dir):
    problems = []
    frames = {t: pd.read_parquet(parquet_path(release_dir, t)) for t in TABLES}
    for table, column, target in sorted(expected_foreign_keys()):
        values = frames[table][column].dropna().astype(str)
        dangling = sorted(set(values[~values.isin(set(frames[target]["id"].astype(str)))]))
        if dangling:
            problems.append(f"{table}.{column} -> {target}.id: {dangling}")
    # The list columns: parties are country codes; participants are people ids or COUNTRY:office.
    countries = set(frames["countries"]["id"].astype(str))
    people = set(frames["people"]["id"].astype(str)) | set(frames["organizations"]["id"].astype(str))
    for dispute, parties in zip(frames["disputes"]["id"], frames["disputes"]["parties"]):
        if len(parties) == 0:
            problems.append(f"disputes {dispute}: no parties")
        for code in parties:
            if code not in countries:
                problems.append(f"disputes {dispute}: party {code!r} is not in countries.id")
    for meeting, participants in zip(frames["meetings"]["id"], frames["meetings"]["participants"]):
        for p in participants:
            m = re.fullmatch(r"([A-Z]{3}):(.+)", p)
            if p in people:
                continue
            if m and m.group(1) in countries and m.group(2).strip() == m.group(2) and m.group(2):
                continue
            problems.append(
                f"meetings {meeting}: participant {p!r} is neither a person or organization id nor COUNTRY:office"
            )
    assert not problems, "\n".join(problems)


def test_every_fact_bearing_record_has_evidence(arrow):
    evidence = arrow("evidence").to_pylist()
    problems = []
    cited: dict[str, set[str]] = defaultdict(set)
    for row in evidence:
        cited[row["record_table"]].add(row["record"])
        if row["record_table"] not in FACT_TABLES:
            problems.append(f"evidence {row['id']}: table {row['table']!r} bears no facts")
    for table in FACT_TABLES:
        for record in ids(arrow, table):
            if record not in cited[table]:
                problems.append(f"{table} {record}: no evidence row")
        for record in cited[table] - set(ids(arrow, table)):
            problems.append(f"evidence cites {table} {record!r}, which does not exist")
    assert not problems, "\n".join(problems)


def test_evidence_ids_and_positions(arrow):
    rows = arrow("evidence").to_pylist()
    problems = []
    positions: dict[tuple[str, str], list[int]] = defaultdict(list)
    for row in rows:
        positions[(row["record_table"], row["record"])].append(row["position"])
        if row["id"] != f"{row['record']}/{row['position']}":
            problems.append(f"evidence {row['id']}: expected id {row['record']}/{row['position']}")
        if not row["quote"] or not row["quote"].strip():
            problems.append(f"evidence {row['id']}: empty quote")
    for key, found in positions.items():
        if sorted(found) != list(range(1, len(found) + 1)):
            problems.append(f"{key}: positions {sorted(found)}, expected 1..{len(found)}")
    assert not problems, "\n".join(problems)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_quotes_are_in_the_archived_sources_and_checksums_match(arrow):
    """The release's sources name their archived texts by path and SHA-256; every quote is in
    its source's text (up to runs of white space)."""
    sources = {row["id"]: row for row in arrow("sources").to_pylist()}
    texts = {}
    problems = []
    for sid, row in sources.items():
        path = DATASET / row["file"]
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != row["sha256"]:
            problems.append(f"sources {sid}: sha256 {row['sha256']} is not that of {row['file']}")
        texts[sid] = _squash(data.decode("utf-8"))
    for row in arrow("evidence").to_pylist():
        if _squash(row["quote"]) not in texts[row["source"]]:
            problems.append(f"evidence {row['id']}: quote not in source {row['source']}: {row['quote'][:80]!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("table", [t for t in TABLES if t != "evidence"])
def test_release_holds_every_authoring_record(arrow, table):
    if table in DERIVED_TABLES:
        pytest.skip(f"{table} is derived, not authored")
    path = DATASET / f"{table}.toml"
    records = []
    if path.exists():
        with open(path, "rb") as f:
            records = tomllib.load(f).get(table, [])
    # The authoring files key redirects by `from`; the release calls the column `from_id`.
    authored_key = "from" if table == "redirects" else "id"
    assert sorted(r[authored_key] for r in records) == ids(arrow, table)
    if table in FACT_TABLES:
        expected = sorted(
            (table, r["id"], i, e["source"], e["quote"])
            for r in records
            for i, e in enumerate(r.get("evidence", []), start=1)
        )
        found = sorted(
            (e["record_table"], e["record"], e["position"], e["source"], e["quote"])
            for e in arrow("evidence").to_pylist()
            if e["record_table"] == table
        )
        assert found == expected


def test_countries_crosswalk_is_complete(arrow):
    problems = []
    for row in arrow("countries").to_pylist():
        c = row["id"]
        if not re.fullmatch(r"[A-Z]{3}", c):
            problems.append(f"{c}: id is not alpha-3")
        if not (row["iso2"] and re.fullmatch(r"[A-Z]{2}", row["iso2"])):
            problems.append(f"{c}: iso2 {row['iso2']!r}")
        if not (isinstance(row["cow_code"], int) and row["cow_code"] > 0):
            problems.append(f"{c}: cow_code {row['cow_code']!r}")
        # Wikidata ids only where a shipped source verifies them (test_crosswalk.py): none does.
        if row["wikidata"] is not None and not re.fullmatch(r"Q[1-9][0-9]*", row["wikidata"]):
            problems.append(f"{c}: wikidata {row['wikidata']!r}")
    assert not problems, "\n".join(problems)


# --- CSV ------------------------------------------------------------------------------------


@pytest.mark.parametrize("table", TABLES)
def test_csv_encoding_and_line_ends(release_dir, table):
    data = csv_path(release_dir, table).read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf"), "CSV starts with a BOM"
    data.decode("utf-8")  # raises if not UTF-8
    assert data.endswith(b"\n"), "CSV does not end with a line end"
    assert b"\r" not in data, "CSV has a carriage return (line ends must be \\n)"


@pytest.mark.parametrize("table", TABLES)
def test_csv_cells(csv_table, table):
    header, rows = csv_table(table)
    problems = []
    for n, row in enumerate(rows, start=2):
        if len(row) != len(header):
            problems.append(f"line {n}: {len(row)} cells, header has {len(header)}")
            continue
        for column, cell in zip(header, row):
            if cell[:1] in ("=", "+", "@"):
                problems.append(f"line {n} {column}: spreadsheet-formula text {cell[:40]!r}")
    assert not problems, "\n".join(problems)


def render(value, kind: str) -> str:
    """A Parquet value as the CSV writes it."""
    if value is None:
        return ""
    if kind == LIST:
        return ";".join(value)
    if kind == DATE:
        return value.isoformat()
    return str(value)


@pytest.mark.parametrize("table", TABLES)
def test_csv_and_parquet_agree(arrow, csv_table, table):
    header, rows = csv_table(table)
    parquet_rows = arrow(table).to_pylist()
    assert len(rows) == len(parquet_rows)
    problems = []
    for csv_row, pq_row in zip(rows, parquet_rows):
        for column, kind, _ in COLUMNS[table]:
            value = pq_row[column]
            if kind == LIST:
                for item in value:
                    if ";" in item or item == "" or item != item.strip():
                        problems.append(f"{pq_row['id']}.{column}: item {item!r} cannot be ;-joined")
            if isinstance(value, str) and value == "":
                problems.append(f"{pq_row['id']}.{column}: empty string (CSV would read it as null)")
            cell = csv_row[header.index(column)]
            if cell != render(value, kind):
                problems.append(f"{pq_row['id']}.{column}: CSV {cell!r} != Parquet {value!r}")
    assert not problems, "\n".join(problems[:50])


# --- datapackage.json -----------------------------------------------------------------------


def test_datapackage_resources(release_dir, datapackage):
    resources = datapackage["resources"]
    names = [r["name"] for r in resources]
    assert len(names) == len(set(names)), f"duplicate resource names: {names}"
    paths = sorted(r["path"] for r in resources)
    database = f"{dataset_meta()['name']}.sqlite"
    assert paths == sorted([f"csv/{t}.csv" for t in TABLES] + [f"parquet/{t}.parquet" for t in TABLES] + [database])
    for r in resources:
        assert (release_dir / r["path"]).is_file(), r["path"]
    meta = dataset_meta()
    assert datapackage.get("name") == meta["name"]
    assert datapackage.get("version") == meta["version"]


@pytest.mark.parametrize("table", TABLES)
def test_csv_table_schema(csv_resources, csv_table, table):
    resource = csv_resources[table]
    schema = resource["schema"]
    header, _ = csv_table(table)
    fields = {f["name"]: f for f in schema["fields"]}
    assert [f["name"] for f in schema["fields"]] == header
    pk = schema.get("primaryKey")
    assert pk in (key(table), [key(table)]), f"primaryKey {pk!r}"
    problems = []
    for column, kind, nullable in COLUMNS[table]:
        field = fields[column]
        ftype = field.get("type", "string")
        constraints = field.get("constraints", {})
        if kind == DATE:
            ok = ftype == "date"
        elif kind == INT:
            ok = ftype == "integer"
        elif kind == LIST:
            # A ;-joined cell: a string, or a frictionless list with delimiter ";".
            ok = ftype == "string" or (ftype == "list" and field.get("delimiter") == ";")
        else:
            ok = ftype == "string"
        if not ok:
            problems.append(f"{column} ({kind}): type {ftype!r} {field}")
        required = constraints.get("required", False)
        if kind != LIST and required == nullable:
            problems.append(f"{column}: required={required}, but nullable={nullable}")
        if kind == VOCAB:
            enum = constraints.get("enum")
            if not enum:
                problems.append(f"{column}: vocabulary without an enum constraint")
            elif column.endswith("_precision") and enum != PRECISIONS:
                problems.append(f"{column}: enum {enum}, expected {PRECISIONS}")
            elif column.endswith("_certainty") and enum != CERTAINTIES:
                problems.append(f"{column}: enum {enum}, expected {CERTAINTIES}")
            elif (table, column) in VOCAB_EXACT and enum != VOCAB_EXACT[(table, column)]:
                problems.append(f"{column}: enum {enum}, expected {VOCAB_EXACT[(table, column)]}")
            elif (table, column) in VOCAB_AT_LEAST and not set(VOCAB_AT_LEAST[(table, column)]) <= set(enum):
                problems.append(f"{column}: enum {enum} lacks {VOCAB_AT_LEAST[(table, column)]}")
        if not field.get("description", "").strip():
            problems.append(f"{column}: no description")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("table", TABLES)
def test_vocabulary_values_are_in_their_enum(arrow, csv_resources, table):
    fields = {f["name"]: f for f in csv_resources[table]["schema"]["fields"]}
    problems = []
    for column in columns_of_kind(table, VOCAB):
        enum = set(fields[column].get("constraints", {}).get("enum", []))
        values = set(v for v in arrow(table).column(column).to_pylist() if v is not None)
        if values - enum:
            problems.append(f"{column}: {sorted(values - enum)} not in {sorted(enum)}")
    assert not problems, "\n".join(problems)


def report_problems(report) -> str:
    lines = []
    for task in report.tasks:
        errors = task.errors
        for error in errors[:5]:
            lines.append(f"{task.name}: {error.type}: {error.message[:300]}")
        if len(errors) > 5:
            lines.append(f"{task.name}: ... {len(errors) - 5} more errors")
    for error in report.errors[:5]:
        lines.append(f"package: {error.type}: {error.message[:300]}")
    return "\n".join(lines)


def test_frictionless_validates_the_csv_resources(release_dir, datapackage):
    """The CSV resources alone, with their Table Schemas and foreign keys among them."""
    descriptor = dict(datapackage)
    descriptor["resources"] = [r for r in datapackage["resources"] if str(r.get("path", "")).endswith(".csv")]
    report = frictionless.Package(descriptor, basepath=str(release_dir)).validate()
    assert report.valid, "frictionless reports the CSV resources invalid:\n" + report_problems(report)
    assert sorted(task.stats.get("rows") or 0 for task in report.tasks) == sorted(
        pq.read_metadata(parquet_path(release_dir, t)).num_rows for t in TABLES
    )


PARQUET_IN_FRICTIONLESS = """\
How frictionless 5 treats a Parquet resource: it reads the file with pyarrow and converts it to
pandas, so each list<string> cell arrives as a numpy array. Without a Table Schema it infers one
and crashes on such a column (ValueError: the truth value of an array is ambiguous); with one,
an `array` or `list` field rejects every cell (type-error) and only an `any` field accepts it.
It cannot count the bytes or hash of a Parquet resource it reads as a table (byte-count and
hash-count errors), so a tabular Parquet resource must not carry `bytes` or `hash`; SHA256SUMS
covers the files. Two ways a release validates: give each Parquet resource the table's Table
Schema with its list fields typed `any` (then frictionless checks types, enums, required and
foreign keys in the Parquet too), or declare the Parquet resources `"type": "file"` (then it
checks only their bytes and hash)."""


def test_frictionless_validates_the_package(release_dir, datapackage):
    """What `frictionless validate datapackage.json` does, as a user runs it."""
    path = release_dir / "datapackage.json"
    try:
        report = frictionless.validate(str(path))
    except Exception as e:  # noqa: BLE001 - name the resource frictionless cannot read
        culprits = []
        for resource in datapackage["resources"]:
            try:
                frictionless.Resource(resource, basepath=str(release_dir)).validate()
            except Exception as inner:  # noqa: BLE001
                culprits.append(f"{resource['name']} ({resource['path']}): {type(inner).__name__}: {inner}")
        pytest.fail(
            f"frictionless cannot validate the package: {type(e).__name__}: {e}\n"
            + "resources it fails on:\n"
            + "\n".join(culprits)
            + "\n"
            + PARQUET_IN_FRICTIONLESS,
            pytrace=False,
        )
    if not report.valid:
        pytest.fail("frictionless reports the package invalid:\n" + report_problems(report), pytrace=False)
    validated = {task.name for task in report.tasks}
    assert len(validated) == len(datapackage["resources"]), f"frictionless validated only {validated}"


# --- SHA256SUMS, CITATION.cff, README.md, LICENSE -------------------------------------------


def test_sha256sums(release_dir):
    text = (release_dir / "SHA256SUMS").read_text(encoding="utf-8")
    assert text.endswith("\n")
    listed = {}
    for line in text.splitlines():
        m = re.fullmatch(r"([0-9a-f]{64})  (\S.*)", line)
        assert m, f"not a sha256sum line: {line!r}"
        digest, path = m.groups()
        assert path not in listed, f"{path} listed twice"
        assert not path.startswith(("/", "./")) and ".." not in path.split("/"), path
        listed[path] = digest
    files = sorted(
        p.relative_to(release_dir).as_posix() for p in release_dir.rglob("*") if p.is_file()
    )
    assert sorted(listed) == [f for f in files if f != "SHA256SUMS"]
    wrong = [p for p, d in listed.items() if hashlib.sha256((release_dir / p).read_bytes()).hexdigest() != d]
    assert wrong == [], f"hashes that do not match: {wrong}"


def test_citation_cff(release_dir):
    cff = yaml.safe_load((release_dir / "CITATION.cff").read_text(encoding="utf-8"))
    assert isinstance(cff, dict)
    assert cff.get("cff-version") == "1.2.0"
    assert isinstance(cff.get("message"), str) and cff["message"].strip()
    assert isinstance(cff.get("title"), str) and cff["title"].strip()
    authors = cff.get("authors")
    assert isinstance(authors, list) and authors, "no authors"
    for author in authors:
        assert isinstance(author, dict) and (author.get("name") or author.get("family-names")), author
    assert str(cff.get("version")) == dataset_meta()["version"]
    if "license" in cff:
        assert cff["license"] == dataset_meta()["license"]


def test_readme_and_license(release_dir):
    readme = (release_dir / "README.md").read_text(encoding="utf-8")
    missing = [t for t in TABLES if t not in readme]
    assert not missing, f"README.md does not describe {missing}"
    assert dataset_meta()["version"] in readme
    license_text = (release_dir / "LICENSE").read_text(encoding="utf-8")
    assert re.search(r"Attribution 4\.0|CC[- ]BY[- ]4\.0", license_text), "LICENSE is not CC BY 4.0"


# --- whole releases -------------------------------------------------------------------------


def test_release_is_deterministic(release_dir, release_out, tmp_path):
    """A second release, of a copy of the dataset elsewhere, is byte for byte the same."""
    if release_out is None:
        pytest.skip("DIPLOMACY_RELEASE_DIR names a release built elsewhere")
    dataset = copy_dataset(tmp_path / "elsewhere" / DATASET.name)
    out = tmp_path / "out"
    proc = run_release(out, dataset)
    assert proc.returncode == 0, describe(proc)
    again = out / release_name()
    assert files_under(again) == files_under(release_dir)
    differ = [
        f
        for f in files_under(release_dir)
        if (release_dir / f).is_file() and (release_dir / f).read_bytes() != (again / f).read_bytes()
    ]
    assert differ == [], f"files that differ between two releases: {differ}"


def test_invalid_dataset_releases_nothing(invalid_release):
    proc, out, fault = invalid_release.proc, invalid_release.out, invalid_release.fault
    assert proc.returncode == 1, describe(proc)
    assert files_under(out) == [], f"a failed release left {files_under(out)} in --out"
    # Every problem is reported as file:line:col, naming the file.
    output = proc.stdout + proc.stderr
    assert re.search(rf"{re.escape(fault.file)}:\d+:\d+:", output), describe(proc)
