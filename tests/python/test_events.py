"""The `events` table: a timeline of every fact table in one query, in true order, with how
surely each date is known and a quote for each; and the data card's sorting advice, run as
written, agreeing with `sort_key`."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest

def parquet(release_dir: Path, table: str) -> str:
    return str(release_dir / "parquet" / f"{table}.parquet")


@pytest.fixture(scope="module")
def db(release_dir: Path):
    """DuckDB with a view per table of the release."""
    con = duckdb.connect()
    for path in sorted((release_dir / "parquet").glob("*.parquet")):
        con.sql(f"CREATE VIEW {path.stem} AS SELECT * FROM '{path}'")
    yield con
    con.close()


def start_of(row) -> object:
    """Where a date is placed: its first day, or its last where its start is open."""
    return row["date_min"] if not pd.isna(row["date_min"]) else row["date_max"]


def assert_in_true_order(rows: pd.DataFrame) -> None:
    """Each row starts no earlier than the one before, and among equal starts ends no
    earlier (an open end last), as the data card says."""
    last = None
    for _, row in rows.iterrows():
        key = (
            start_of(row),
            pd.isna(row["date_max"]),
            None if pd.isna(row["date_max"]) else row["date_max"],
        )
        if last is not None:
            assert (key[0], key[1]) >= (last[0], last[1]), (last, key)
            if (key[0], key[1]) == (last[0], last[1]) and not key[1]:
                assert key[2] >= last[2], (last, key)
        last = key


def test_one_row_per_dated_fact_record(release_dir):
    events = pd.read_parquet(parquet(release_dir, "events"))
    # The fact tables: those whose records cite evidence.
    evidence = pd.read_parquet(parquet(release_dir, "evidence"))
    expected = set()
    for table in sorted(evidence["record_table"].astype(str).unique()):
        frame = pd.read_parquet(parquet(release_dir, table))
        if "date" in frame.columns:
            expected |= {(table, r) for r in frame.loc[frame["date"].notna(), "id"]}
    assert set(zip(events["record_table"].astype(str), events["record"])) == expected
    assert len(events) == len(expected)
    assert (events["id"] == events["record_table"].astype(str) + "/" + events["record"]).all()


def test_country_and_person_names_match_their_tables(db):
    mismatched = db.sql(
        """
        SELECT u.id, u.code, u.name, c.name
        FROM (SELECT id, unnest(countries) AS code, unnest(country_names) AS name FROM events) u
        LEFT JOIN countries c ON c.id = u.code
        WHERE c.name IS DISTINCT FROM u.name
        UNION ALL
        SELECT u.id, u.person, u.name, p.name
        FROM (SELECT id, unnest(people) AS person, unnest(person_names) AS name FROM events) u
        LEFT JOIN people p ON p.id = u.person
        WHERE p.name IS DISTINCT FROM u.name
        """
    ).fetchall()
    assert mismatched == []
    assert db.sql("SELECT count(*) FROM events WHERE len(people) > 0").fetchall()[0][0] > 0
    assert db.sql("SELECT count(*) FROM events WHERE len(countries) = 0").fetchall()[0][0] == 0


def test_the_northern_territories_in_true_order_in_one_query(db):
    """Every dated record of the dispute (its events, and the statements about it), oldest
    first, each with its date, how precisely and surely it is known, and one quote."""
    timeline = db.sql(
        """
        SELECT date, date_min, date_max, date_precision, date_certainty, date_kind, quote, source
        FROM events
        WHERE record IN (SELECT id FROM dispute_events WHERE dispute = 'northern-territories'
                         UNION SELECT id FROM statements WHERE dispute = 'northern-territories')
        ORDER BY sort_key
        """
    ).df()
    assert len(timeline) >= 10
    assert timeline[["date", "date_precision", "date_certainty", "quote", "source"]].notna().all().all()
    assert_in_true_order(timeline)
    dates = list(timeline["date"])
    # After the Second World War, then the 1956 declaration, then 1960; what Moscow has said
    # "many times" up to the article of 2019-05-10 comes last, not first.
    assert dates.index("[1945..]") < dates.index("1956") < dates.index("1960-01-27")
    assert dates[-1] == "[..2019-05-10]"
    assert dates.index("2019-05-10") < dates.index("[..2019-05-10]")


def test_all_events_sorted_across_precisions_with_uncertain_ones_flagged(db):
    rows = db.sql(
        """
        SELECT id, date, date_min, date_max, date_precision, date_kind,
               date_certainty <> 'certain' AS uncertain
        FROM events ORDER BY sort_key, id
        """
    ).df()
    assert rows["date_precision"].nunique() >= 4
    assert {"day", "one_of", "as_of"} <= set(rows["date_kind"]) <= {"day", "one_of", "period", "as_of"}
    assert_in_true_order(rows)
    flagged = rows[rows["uncertain"]]
    assert len(flagged) > 0
    assert flagged["date"].str.contains(r"[?~%]").all()
    assert not rows.loc[~rows["uncertain"], "date"].str.contains(r"[?~%]").any()
    # A year and a day of that year: the year (which starts first) comes first, whatever the
    # precision; a day known to the day is a `day`.
    assert (rows.loc[rows["date_precision"] == "day", "date_kind"] == "day").all()


def card(release_dir: Path) -> str:
    return (release_dir / "README.md").read_text(encoding="utf-8")


def test_the_cards_pandas_sorting_runs_as_written_and_agrees_with_sort_key(release_dir, monkeypatch):
    snippets = [
        code
        for code in re.findall(r"```python\n(.*?)```", card(release_dir), flags=re.S)
        if "sort_values" in code and "date_max" in code
    ]
    assert len(snippets) == 1, snippets
    monkeypatch.chdir(release_dir.parent)
    scope: dict = {}
    exec(compile(snippets[0], "data card", "exec"), scope)  # noqa: S102 - the card is the test
    by_card = scope["visits"]
    events = pd.read_parquet(parquet(release_dir, "events"))
    by_key = events[events["record_table"].astype(str) == "visits"].sort_values("sort_key", kind="stable")
    # The same dates in the same order (records with the same days may come in either order).
    days = lambda f: [(r["date_min"], r["date_max"]) for _, r in f.iterrows()]  # noqa: E731
    assert days(by_card) == days(by_key)


def test_the_cards_sql_order_agrees_with_sort_key(release_dir, db):
    text = card(release_dir)
    advice = re.search(r"In SQL: `(ORDER BY [^`]+)`", text)
    assert advice, "the card gives no SQL order"
    keys = [k for (k,) in db.sql(f"SELECT sort_key FROM events {advice.group(1)}").fetchall()]
    assert keys == sorted(keys)
    # Literally, for the `_min` and `_max` of another table too.
    order = advice.group(1)
    keys = db.sql(
        f"SELECT e.sort_key FROM statements s JOIN events e ON e.record = s.id {order.replace('date_', 's.date_')}"
    ).fetchall()
    assert [k for (k,) in keys] == sorted(k for (k,) in keys)


def test_the_coverage_is_the_facts_not_the_sources(release_dir, db):
    """croissant.json's temporalCoverage runs from the first day a fact's date is placed on to
    the last day a date names: a day, a month or a year whole, a period to its end, and a date
    known by one bound or only between two, the day it is placed on."""
    import json

    croissant = json.loads((release_dir / "croissant.json").read_text(encoding="utf-8"))
    first, last = croissant["temporalCoverage"].split("/")
    first_day, last_day, widest = db.sql(
        """
        SELECT min(coalesce(date_min, date_max)),
               max(CASE WHEN date_kind IN ('day', 'period')
                          OR (date_kind = 'one_of' AND date_precision <> 'range')
                        THEN date_max ELSE coalesce(date_min, date_max) END),
               max(date_max)
        FROM events
        """
    ).fetchall()[0]
    assert (first, last) == (str(first_day), str(last_day))
    assert last <= str(widest)
    assert f"The records' dates run from {first} to {last}" in card(release_dir)
    sources = db.sql("SELECT max(published_max) FROM sources").fetchall()[0][0]
    # An undated page's archiving bound is no event: the coverage stops at the last event.
    assert last < str(sources)
