"""The sentence ledger in a release: `source_sentences` places every sentence of every archived
source by byte offsets (checked here against the archived bytes), says how each is accounted for,
and agrees with the evidence anchors, the data card and the data package."""

from __future__ import annotations

import re
import tomllib
from collections import Counter

import pandas as pd

from conftest import DATASET


def archived_texts() -> dict[str, bytes]:
    with open(DATASET / "sources.toml", "rb") as f:
        sources = tomllib.load(f)["sources"]
    return {s["id"]: (DATASET / s["file"]).read_bytes() for s in sources}


def sentences(release_dir) -> pd.DataFrame:
    return pd.read_parquet(release_dir / "parquet" / "source_sentences.parquet")


def test_every_sentence_is_placed_in_its_archived_bytes(release_dir):
    texts = archived_texts()
    s = sentences(release_dir)
    assert len(s) > 80
    assert set(s["source"].astype(str)) == set(texts)
    for row in s.itertuples():
        piece = texts[row.source][row.start_byte : row.end_byte].decode("utf-8")
        assert piece == piece.strip() and re.search(r"\w", piece), row.id
        assert row.id == f"{row.source}/{row.sentence}"
    # Numbered from 1 in text order, without gaps or overlaps.
    for source, group in s.groupby(s["source"].astype(str)):
        group = group.sort_values("sentence")
        assert list(group["sentence"]) == list(range(1, len(group) + 1)), source
        assert (group["start_byte"].iloc[1:].to_numpy() >= group["end_byte"].iloc[:-1].to_numpy()).all(), source


def test_every_sentence_is_accounted_for_and_statuses_agree(release_dir):
    s = sentences(release_dir)
    status = s["status"].astype(str)
    meta = tomllib.loads((DATASET / "dataset.toml").read_text())
    if "ledger" in meta.get("require", []):
        assert (status != "unaccounted").all(), list(s.loc[status == "unaccounted", "id"])
    cited = s["records"].map(len) > 0
    assert (cited == (status == "cited")).all()
    assert (s["reason"].notna() == (status == "excused")).all()


def test_each_quote_anchor_lies_in_sentences_that_list_its_record(release_dir):
    s = sentences(release_dir)
    e = pd.read_parquet(release_dir / "parquet" / "evidence.parquet")
    assert e["start_byte"].notna().all() and e["end_byte"].notna().all()
    merged = e.merge(s, on="source", suffixes=("", "_s"))
    overlap = merged[(merged["start_byte_s"] < merged["end_byte"]) & (merged["start_byte"] < merged["end_byte_s"])]
    assert set(overlap["id"]) == set(e["id"]), "a quote overlaps no sentence"
    listed = overlap.apply(lambda r: r["record"] in list(r["records"]), axis=1)
    assert listed.all(), overlap.loc[~listed, ["id", "id_s"]].head().to_dict("records")
    # Each quote names the sentence it begins in: the first one it overlaps.
    first = overlap.groupby("id")["sentence_s"].min()
    assert (e.set_index("id")["sentence"] == first).all()


def test_card_and_package_state_the_counts_of_the_table(release_dir):
    import json

    s = sentences(release_dir)
    package = json.loads((release_dir / "datapackage.json").read_text())
    card = (release_dir / "README.md").read_text()
    by_source = {c["source"]: c for c in package["sentenceLedger"]}
    for source, group in s.groupby(s["source"].astype(str)):
        counts = Counter(group["status"].astype(str))
        reasons = Counter(group["reason"].dropna().astype(str))
        c = by_source[source]
        assert c["sentences"] == len(group)
        assert c["cited"] == counts["cited"]
        assert c["unaccounted"] == counts["unaccounted"]
        assert c["excused"] == dict(reasons)
        section = card.split("## Every sentence accounted for", 1)[1]
        line = next(l for l in section.splitlines() if l.startswith(f"| `{source}` |"))
        cells = [x.strip() for x in line.strip("|").split("|")]
        assert cells[1:3] == [str(len(group)), str(counts["cited"])], line
        assert cells[4] == str(counts["unaccounted"]), line
