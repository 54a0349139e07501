"""Ordinary research questions, each answered by one short query on the release (DuckDB over
Parquet, pandas, or the SQLite database), and each answer checked against the authored records
(datasets/.../*.toml) rather than against the release itself."""

from __future__ import annotations

import re
import sqlite3
import tomllib
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from conftest import DATASET, dataset_meta


def authored(table: str) -> list[dict]:
    path = DATASET / f"{table}.toml"
    if not path.exists():
        return []
    with open(path, "rb") as f:
        return tomllib.load(f).get(table, [])


@pytest.fixture(scope="module")
def db(release_dir: Path):
    con = duckdb.connect()
    for p in sorted((release_dir / "parquet").glob("*.parquet")):
        con.execute(f"CREATE VIEW {p.stem} AS SELECT * FROM read_parquet('{p}')")
    yield con
    con.close()


def test_a_head_of_state_or_government_visits_in_date_order_with_country_names(db):
    rows = db.execute(
        """SELECT v.id, v.date_min, g.name AS guest, h.name AS host
           FROM visits v JOIN countries g ON g.id = v.guest_country
           LEFT JOIN countries h ON h.id = v.host_country
           WHERE v.level IN ('head_of_state', 'head_of_government')
           ORDER BY v.date_min NULLS LAST, v.id"""
    ).fetchall()
    want = {v["id"] for v in authored("visits") if v["level"] in ("head_of_state", "head_of_government")}
    assert {r[0] for r in rows} == want and want
    days = [r[1] for r in rows if r[1] is not None]
    assert days == sorted(days)
    names = {c["id"]: c["name"] for c in authored("countries")}
    for v in authored("visits"):
        if v["id"] in want:
            row = next(r for r in rows if r[0] == v["id"])
            assert row[2] == names[v["guest_country"]]
            assert row[3] == (names[v["host_country"]] if "host_country" in v else None)


def test_b_meetings_per_year_and_country_pair(db):
    rows = db.execute(
        """WITH c AS (SELECT DISTINCT meeting, country FROM meeting_participants WHERE country IS NOT NULL)
           SELECT year(m.date_min) AS year, a.country AS one, b.country AS other, count(DISTINCT m.id) AS n
           FROM meetings m JOIN c a ON a.meeting = m.id JOIN c b ON b.meeting = m.id AND a.country < b.country
           GROUP BY ALL ORDER BY year, one, other"""
    ).fetchall()
    people = {p["id"]: p["country"] for p in authored("people")}
    want: Counter = Counter()
    for m in authored("meetings"):
        countries = set()
        for p in m["participants"]:
            if ":" in p:
                countries.add(p.split(":", 1)[0])
            elif p in people:
                countries.add(people[p])
        # The year a date starts in, where it has a known start (`[..2019]` has none).
        start = re.match(r"^\[?(\d{4})", m["date"])
        year = int(start.group(1)) if start else None
        for a in countries:
            for b in countries:
                if a < b and year is not None:
                    want[(year, a, b)] += 1
    got = {(r[0], r[1], r[2]): r[3] for r in rows if r[0] is not None}
    # Every pair the authored records give is counted (a date whose start is open has no year).
    assert got == dict(want)
    assert got


def test_c_japanese_people_in_the_most_records_with_their_offices(db):
    rows = db.execute(
        """SELECT p.id, p.name, count(DISTINCT e.id) AS records,
                  (SELECT list(DISTINCT o.office ORDER BY o.office) FROM offices o WHERE o.person = p.id) AS offices
           FROM events e, unnest(e.people) AS u(person) JOIN people p ON p.id = u.person
           WHERE p.country = 'JPN' GROUP BY p.id, p.name ORDER BY records DESC, p.id"""
    ).fetchall()
    assert rows
    top = rows[0]
    offices = sorted({o["office"] for o in authored("offices") if o["person"] == top[0]})
    assert sorted(top[3] or []) == offices
    # The count agrees with the events that name the person.
    n = db.execute("SELECT count(*) FROM events WHERE list_contains(people, ?)", [top[0]]).fetchone()[0]
    assert n == top[2]


def test_e_stated_positions_on_another_country_with_who_stated_them(db):
    rows = db.execute(
        """SELECT s.id, s.actor_country, s.speaker, p.name AS speaker_name, s.about
           FROM statements s LEFT JOIN people p ON p.id = s.speaker
           WHERE s.kind = 'stated_position' AND len(list_filter(s.about, lambda x: x <> s.actor_country)) > 0
           ORDER BY s.date_min NULLS LAST, s.id"""
    ).fetchall()
    want = {
        s["id"]
        for s in authored("statements")
        if s["kind"] == "stated_position" and any(a != s["actor_country"] for a in s.get("about", []))
    }
    assert {r[0] for r in rows} == want and want
    names = {p["id"]: p["name"] for p in authored("people")}
    for r in rows:
        assert r[3] == names.get(r[2])


CENTRAL_ASIA_AND_CAUCASUS = ["ARM", "AZE", "GEO", "KAZ", "KGZ", "TJK", "TKM", "UZB"]


def test_f_recognition_relations_and_embassy_dates_per_country(db):
    rows = db.execute(
        """SELECT c.id, c.name,
                  min(r.date) FILTER (WHERE r.kind = 'recognition') AS recognised,
                  min(r.date) FILTER (WHERE r.kind = 'diplomatic_relations_established') AS relations,
                  min(r.date) FILTER (WHERE r.kind = 'embassy_opened') AS embassy
           FROM countries c LEFT JOIN recognitions r ON r.subject_country = c.id AND r.actor_country = 'JPN'
           WHERE c.id IN ('ARM','AZE','GEO','KAZ','KGZ','TJK','TKM','UZB') GROUP BY c.id, c.name ORDER BY c.id"""
    ).fetchall()
    have = {c["id"] for c in authored("countries")}
    assert [r[0] for r in rows] == sorted(c for c in CENTRAL_ASIA_AND_CAUCASUS if c in have)
    for r in rows:
        for kind, got in zip(("recognition", "diplomatic_relations_established", "embassy_opened"), r[2:]):
            dates = sorted(
                x["date"]
                for x in authored("recognitions")
                if x["kind"] == kind and x["subject_country"] == r[0] and x["actor_country"] == "JPN"
            )
            assert got == (dates[0] if dates else None), (r[0], kind)


def test_h_full_provenance_of_a_record_in_sqlite(release_dir):
    name = dataset_meta()["name"]
    con = sqlite3.connect(release_dir / f"{name}.sqlite")
    record = authored("visits")[0]["id"]
    rows = con.execute(
        """SELECT e.quote, e.start_byte, e.end_byte, e.prefix, e.suffix, s.title, s.publisher, s.url, s.archived, s.kind
           FROM evidence e JOIN sources s ON s.id = e.source WHERE e.record = ? ORDER BY e.position""",
        (record,),
    ).fetchall()
    con.close()
    cited = authored("visits")[0]["evidence"]
    assert [r[0] for r in rows] == [c["quote"] for c in cited]
    titles = {s["id"]: s["title"] for s in authored("sources")}
    assert [r[5] for r in rows] == [titles[c["source"]] for c in cited]
    for r in rows:
        assert r[1] is not None and r[2] is not None and r[1] < r[2]
