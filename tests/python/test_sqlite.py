"""The release's SQLite database and its Datasette metadata.json, as a reader uses them: Python's
sqlite3 finds every table with the CSV's rows and cells, keys that hold and search that finds a
quote; the data card's commands run; Datasette serves the database with its metadata."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shlex
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from conftest import dataset_meta

# How long Datasette may take to answer its first request.
DATASETTE_START_SECONDS = 60


def database_name() -> str:
    """The database's name: its file's stem, and Datasette's name for it."""
    return dataset_meta()["name"]


@pytest.fixture(scope="module")
def database(release_dir: Path) -> Path:
    path = release_dir / f"{database_name()}.sqlite"
    assert path.is_file(), f"no database at {path}"
    return path


@pytest.fixture(scope="module")
def con(database: Path):
    con = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def metadata(release_dir: Path) -> dict:
    with open(release_dir / "metadata.json", encoding="utf-8") as f:
        return json.load(f)


def csv_tables(release_dir: Path) -> list[str]:
    return sorted(p.stem for p in (release_dir / "csv").glob("*.csv"))


def read_csv(release_dir: Path, table: str) -> tuple[list[str], list[list[str]]]:
    with open(release_dir / "csv" / f"{table}.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def as_csv(value: object, is_list: bool) -> str:
    """A database value as the release's CSV writes it: lists `;`-joined, null empty."""
    if value is None:
        return ""
    if is_list:
        items = json.loads(value)
        assert isinstance(items, list) and all(isinstance(i, str) for i in items), value
        return ";".join(items)
    return str(value)


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def list_columns(metadata: dict, table: str) -> set[str]:
    """The columns of `table` that hold lists, as metadata.json describes them."""
    columns = metadata["databases"][database_name()]["tables"][table]["columns"]
    return {c for c, text in columns.items() if "JSON array" in text}


def test_every_csv_table_is_a_table_with_the_same_rows_and_cells(release_dir, con, metadata):
    tables = {
        name
        for (name,) in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%\\_fts%' ESCAPE '\\' "
            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
        )
    }
    assert tables == set(csv_tables(release_dir))
    for table in csv_tables(release_dir):
        header, rows = read_csv(release_dir, table)
        info = con.execute(f"PRAGMA table_info({ident(table)})").fetchall()
        assert [c[1] for c in info] == header, table
        # The key (the CSV's first column) is the primary key.
        assert [c[1] for c in info if c[5]] == [header[0]], table
        (count,) = con.execute(f"SELECT count(*) FROM {ident(table)}").fetchone()
        assert count == len(rows), table
        lists = [c in list_columns(metadata, table) for c in header]
        assert any(lists) or table not in ("countries", "disputes", "evidence"), table
        db_rows = con.execute(f"SELECT * FROM {ident(table)} ORDER BY rowid").fetchall()
        for csv_row, db_row in zip(rows, db_rows):
            assert [as_csv(v, is_list) for v, is_list in zip(db_row, lists)] == csv_row, f"{table} {csv_row[0]}"


def test_types_suit_readers(con, database):
    """Whole numbers are integers, days ISO text declared DATE, lists JSON arrays."""
    (cow,) = con.execute("SELECT typeof(cow_code) FROM countries WHERE cow_code IS NOT NULL LIMIT 1").fetchone()
    assert cow == "integer"
    decl = {row[1]: row[2] for row in con.execute("PRAGMA table_info(visits)")}
    assert decl["date_min"] == "DATE"
    day = con.execute("SELECT date_min FROM visits WHERE date_min IS NOT NULL LIMIT 1").fetchone()[0]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", day), day
    # Python's sqlite3 makes dates of them where asked to.
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, detect_types=sqlite3.PARSE_DECLTYPES) as typed:
        (first,) = typed.execute("SELECT date_min FROM visits WHERE date_min IS NOT NULL LIMIT 1").fetchone()
    assert first == dt.date.fromisoformat(day)
    (parties,) = con.execute("SELECT parties FROM disputes LIMIT 1").fetchone()
    assert isinstance(json.loads(parties), list)
    # json_each reads a list column: every country a dispute names is a country.
    (unknown,) = con.execute(
        "SELECT count(*) FROM disputes AS d, json_each(d.parties) AS p WHERE p.value NOT IN (SELECT id FROM countries)"
    ).fetchone()
    assert unknown == 0


def test_keys_hold(con, datapackage_path: Path):
    assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    # Every foreign key of the data package is declared in the database.
    package = json.loads(datapackage_path.read_text(encoding="utf-8"))
    for resource in package["resources"]:
        if not str(resource.get("path", "")).startswith("csv/"):
            continue
        declared = {
            (row[3], row[2], row[4]) for row in con.execute(f"PRAGMA foreign_key_list({ident(resource['name'])})")
        }
        for fk in resource["schema"].get("foreignKeys", []):
            target = fk["reference"]["resource"] or resource["name"]
            assert (fk["fields"], target, fk["reference"]["fields"]) in declared, (resource["name"], fk)


@pytest.fixture(scope="module")
def datapackage_path(release_dir: Path) -> Path:
    return release_dir / "datapackage.json"


def a_quote_and_word(release_dir: Path) -> tuple[str, str]:
    """The first evidence row's id and the longest word of its quote."""
    header, rows = read_csv(release_dir, "evidence")
    row = dict(zip(header, rows[0]))
    words = [w for w in re.split(r"[^\w]+", row["quote"]) if w.isalpha()]
    return row["id"], max(words, key=len).lower()


def test_full_text_search_finds_a_quote(release_dir, con):
    evidence_id, word = a_quote_and_word(release_dir)
    found = [
        i
        for (i,) in con.execute(
            "SELECT e.id FROM evidence_fts JOIN evidence AS e ON e.rowid = evidence_fts.rowid WHERE evidence_fts MATCH ?",
            (word,),
        )
    ]
    assert evidence_id in found, (word, found)


def test_metadata_describes_every_table_view_and_column(con, metadata):
    meta = dataset_meta()
    assert metadata["title"] == meta["title"]
    assert metadata["license"] == meta["license"]
    tables = metadata["databases"][database_name()]["tables"]
    objects = con.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE '%\\_fts%' ESCAPE '\\' "
        "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
    ).fetchall()
    assert sorted(tables) == sorted(name for (name,) in objects)
    for name, described in tables.items():
        assert described["description"].strip(), name
        columns = [row[1] for row in con.execute(f"PRAGMA table_info({ident(name)})")]
        assert sorted(described["columns"]) == sorted(columns), name
        assert all(text.strip() for text in described["columns"].values()), name
        if "fts_table" in described:
            (sql,) = con.execute("SELECT sql FROM sqlite_master WHERE name = ?", (described["fts_table"],)).fetchone()
            assert f'content="{name}"' in sql, sql
    assert tables["evidence"]["fts_table"] == "evidence_fts"


def test_the_card_s_sqlite_commands_run(release_dir, monkeypatch):
    """The data card's `sqlite3` commands, run through Python's sqlite3, and its Datasette
    command names the release's files."""
    card = (release_dir / "README.md").read_text(encoding="utf-8")
    assert "## SQLite and Datasette" in card
    lines = [
        line
        for block in re.findall(r"```sh\n(.*?)```", card, flags=re.S)
        for line in block.splitlines()
    ]
    monkeypatch.chdir(release_dir.parent)
    queries = [shlex.split(line) for line in lines if line.startswith("sqlite3 ")]
    assert len(queries) >= 2, lines
    for args in queries:
        path, sql = args[-2], args[-1]
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            assert db.execute(sql).fetchall(), sql
    datasette = [shlex.split(line) for line in lines if line.startswith("datasette ")]
    assert len(datasette) == 1, lines
    args = datasette[0]
    assert Path(args[1]).is_file() and args[1].endswith(".sqlite")
    assert Path(args[args.index("--metadata") + 1]).is_file()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url: str) -> object:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - a local server
        return json.load(response)


@pytest.fixture(scope="module")
def datasette(release_dir: Path, database: Path, tmp_path_factory: pytest.TempPathFactory):
    """Datasette serving the database with metadata.json on a free local port: its base URL."""
    port = free_port()
    log = tmp_path_factory.mktemp("datasette") / "datasette.log"
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "datasette",
                "serve",
                str(database),
                "--metadata",
                str(release_dir / "metadata.json"),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + DATASETTE_START_SECONDS
        while True:
            if proc.poll() is not None:
                pytest.fail(f"datasette exited {proc.returncode}:\n{log.read_text(encoding='utf-8')}", pytrace=False)
            try:
                get_json(f"{base}/-/versions.json")
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"datasette did not answer in {DATASETTE_START_SECONDS} s:\n{log.read_text(encoding='utf-8')}",
                        pytrace=False,
                    )
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_datasette_searches_the_quotes(release_dir, datasette):
    evidence_id, word = a_quote_and_word(release_dir)
    query = urllib.parse.urlencode({"_search": word, "_shape": "array", "_size": "max"})
    rows = get_json(f"{datasette}/{database_name()}/evidence.json?{query}")
    assert evidence_id in [r["id"] for r in rows], (word, rows[:3])


def test_datasette_runs_sql_and_shows_the_metadata(release_dir, datasette, metadata):
    _, visits = read_csv(release_dir, "visits")
    query = urllib.parse.urlencode({"sql": "SELECT count(*) AS n FROM visits_named", "_shape": "array"})
    rows = get_json(f"{datasette}/{database_name()}.json?{query}")
    assert rows == [{"n": len(visits)}]
    served = get_json(f"{datasette}/-/metadata.json")
    assert served["title"] == metadata["title"]
    assert served["databases"][database_name()]["tables"]["visits"]["fts_table"] == "visits_fts"
    tables = get_json(f"{datasette}/{database_name()}.json")["tables"]
    by_name = {t["name"]: t for t in tables}
    assert by_name["evidence"]["fts_table"] == "evidence_fts"
    assert by_name["visits"]["count"] == len(visits)


def test_every_column_works_unquoted_in_sqlite_and_duckdb(release_dir: Path, database: Path):
    """Every column of every table can be named in SQL without quotes, in SQLite and in DuckDB:
    no column is a reserved word (`table`, `from`, `to` and `end` were)."""
    import duckdb

    con = sqlite3.connect(database)
    duck = duckdb.connect()
    problems = []
    for path in sorted((release_dir / "parquet").glob("*.parquet")):
        table = path.stem
        columns = [r[1] for r in con.execute(f"PRAGMA table_info({table})")]
        assert columns, f"{table}: not in the database"
        duck.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{path}')")
        for column in columns:
            query = f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL ORDER BY {column} LIMIT 1"
            for name, run in (("sqlite", con.execute), ("duckdb", duck.execute)):
                try:
                    run(query).fetchall()
                except Exception as e:  # noqa: BLE001 - every failure is reported below
                    problems.append(f"{name}: {table}.{column}: {e}")
    assert not problems, "\n".join(problems)
