"""Joins between a table and the table its keys reference work with no cast, in pandas,
Polars and DuckDB, for every foreign key the release's datapackage.json declares; and the
questions the data card answers run as written."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl


def foreign_keys(release_dir: Path) -> list[tuple[str, str, str]]:
    package = json.loads((release_dir / "datapackage.json").read_text())
    out = []
    for resource in package["resources"]:
        for fk in resource.get("schema", {}).get("foreignKeys", []):
            out.append((resource["name"], fk["fields"], fk["reference"]["resource"]))
    assert out, "datapackage.json declares no foreign key"
    return sorted(out)


def parquet(release_dir: Path, table: str) -> str:
    return str(release_dir / "parquet" / f"{table}.parquet")


def test_polars_joins_every_foreign_key_without_a_cast(release_dir):
    problems = []
    for table, column, target in foreign_keys(release_dir):
        child = pl.read_parquet(parquet(release_dir, table))
        parent = pl.read_parquet(parquet(release_dir, target))
        try:
            joined = child.filter(pl.col(column).is_not_null()).join(
                parent, left_on=column, right_on="id", how="inner"
            )
        except Exception as e:  # noqa: BLE001 - the message is the finding
            problems.append(f"{table}.{column} -> {target}.id: {e}")
            continue
        if joined.height != child.filter(pl.col(column).is_not_null()).height:
            problems.append(f"{table}.{column} -> {target}.id: rows lost in the join")
    assert not problems, "\n".join(problems)


def test_pandas_merges_every_foreign_key_without_a_cast(release_dir):
    problems = []
    for table, column, target in foreign_keys(release_dir):
        child = pd.read_parquet(parquet(release_dir, table))
        parent = pd.read_parquet(parquet(release_dir, target))
        rows = child[child[column].notna()]
        try:
            merged = rows.merge(parent, left_on=column, right_on="id", how="inner")
        except Exception as e:  # noqa: BLE001
            problems.append(f"{table}.{column} -> {target}.id: {e}")
            continue
        if len(merged) != len(rows):
            problems.append(f"{table}.{column} -> {target}.id: {len(rows) - len(merged)} rows lost")
    assert not problems, "\n".join(problems)


def test_duckdb_joins_every_foreign_key_without_a_cast(release_dir):
    db = duckdb.connect()
    problems = []
    for table, column, target in foreign_keys(release_dir):
        child, parent = parquet(release_dir, table), parquet(release_dir, target)
        n = db.sql(f"SELECT count(*) FROM '{child}' WHERE \"{column}\" IS NOT NULL").fetchall()[0][0]
        m = db.sql(
            f"SELECT count(*) FROM '{child}' c JOIN '{parent}' p ON c.\"{column}\" = p.id"
        ).fetchall()[0][0]
        if n != m:
            problems.append(f"{table}.{column} -> {target}.id: {n - m} rows lost")
    assert not problems, "\n".join(problems)


def test_japan_russia_meetings_from_meeting_participants(release_dir):
    """The data card's question: every meeting in which Japan and Russia both took part."""
    mp = pl.read_parquet(parquet(release_dir, "meeting_participants"))
    both = (
        mp.filter(pl.col("country").is_in(["JPN", "RUS"]))
        .group_by("meeting")
        .agg(pl.col("country").n_unique().alias("n"))
        .filter(pl.col("n") == 2)
    )
    assert both.height >= 1
    # The same answer in DuckDB, from the same file.
    db = duckdb.connect()
    rows = db.sql(
        f"SELECT meeting FROM '{parquet(release_dir, 'meeting_participants')}' "
        "WHERE country IN ('JPN', 'RUS') GROUP BY meeting HAVING count(DISTINCT country) = 2"
    ).fetchall()
    assert sorted(r[0] for r in rows) == sorted(both["meeting"].to_list())


def test_pandas_dates_become_datetimes_as_the_data_card_says(release_dir):
    visits = pd.read_parquet(parquet(release_dir, "visits"))
    # pandas may read date32 as Python dates (object dtype), where .dt does not work;
    # pd.to_datetime turns them into datetimes, as the data card shows.
    years = pd.to_datetime(visits["date_min"]).dt.year
    assert years.min() >= 1900
