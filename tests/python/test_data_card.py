"""The release's data card: every Python and SQL snippet in it runs as written, from the
directory that holds the release, and it says what a reader needs to know."""

from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb


def blocks(release_dir: Path, language: str) -> list[str]:
    card = (release_dir / "README.md").read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", card, flags=re.S)


def test_every_python_snippet_runs(release_dir, monkeypatch, capsys):
    snippets = blocks(release_dir, "python")
    assert len(snippets) >= 4
    monkeypatch.chdir(release_dir.parent)
    for code in snippets:
        exec(compile(code, "data card", "exec"), {})  # noqa: S102 - the snippet is the test
    assert capsys.readouterr().out


def test_every_sql_snippet_runs_in_duckdb(release_dir, monkeypatch):
    snippets = blocks(release_dir, "sql")
    assert snippets
    monkeypatch.chdir(release_dir.parent)
    db = duckdb.connect()
    for code in snippets:
        rows = db.sql(code).fetchall()
        assert rows, code


def test_the_card_says_what_the_data_cannot(release_dir):
    card = (release_dir / "README.md").read_text(encoding="utf-8")
    assert "## Coverage and limits" in card
    assert "not how many there were" in card
    assert "pd.to_datetime" in card
    assert os.path.basename(release_dir) in card
