"""Field-level provenance in a release: every inferred value is listed in `inferences` with
its basis and reason, every quote has a role, and a user keeps only what the texts state with
one line of pandas."""

from __future__ import annotations

import pandas as pd


def stated_only(table: pd.DataFrame, inf: pd.DataFrame) -> pd.DataFrame:
    """The card's one line: blank every inferred value (and the columns derived from it)."""
    return table.mask(pd.DataFrame({c: table["id"].isin(inf.loc[[c == f or c.startswith(f + "_") for f in inf["field"]], "record"]) for c in table.columns}))


def test_keeping_only_stated_values_blanks_exactly_the_inferred_ones(release_dir):
    inferences = pd.read_parquet(release_dir / "parquet" / "inferences.parquet")
    assert list(inferences.columns) == ["id", "record_table", "record", "field", "basis", "reason"]
    assert inferences["reason"].str.strip().str.len().gt(0).all()
    tables = sorted(inferences["record_table"].astype(str).unique()) or ["visits"]
    for name in tables:
        table = pd.read_parquet(release_dir / "parquet" / f"{name}.parquet")
        inf = inferences[inferences["record_table"].astype(str) == name]
        stated = stated_only(table, inf)
        assert stated.shape == table.shape
        for _, row in inf.iterrows():
            i = table.index[table["id"] == row["record"]]
            assert len(i) == 1, (name, row["record"])
            assert row["field"] in table.columns, (name, row["field"])
            assert pd.isna(stated.loc[i[0], row["field"]]), (name, row["record"], row["field"])
        # Nothing else is blanked: every cell not inferred keeps its value.
        inferred = pd.DataFrame(
            {
                c: table["id"].isin(
                    inf.loc[[c == f or c.startswith(f + "_") for f in inf["field"]], "record"]
                )
                for c in table.columns
            }
        )
        same = (stated.astype(str) == table.astype(str)) | (stated.isna() & table.isna())
        assert (same | inferred).all().all(), name
        assert int(inferred.to_numpy().sum()) >= len(inf), name


def test_every_quote_has_a_role(release_dir):
    evidence = pd.read_parquet(release_dir / "parquet" / "evidence.parquet")
    assert set(evidence["role"].astype(str)) <= {"claim", "dateline", "title", "context"}
    assert evidence["role"].notna().all()


def test_every_quote_is_anchored_in_its_source_bytes(release_dir):
    """The evidence table's offsets point at the quote's words in the archived text (read
    from the repository: a release publishes the sources' metadata, not their texts)."""
    from conftest import DATASET

    evidence = pd.read_parquet(release_dir / "parquet" / "evidence.parquet")
    sources = pd.read_parquet(release_dir / "parquet" / "sources.parquet").set_index("id")
    texts = {sid: (DATASET / row["file"]).read_bytes() for sid, row in sources.iterrows()}
    assert evidence["start_byte"].notna().all() and evidence["end_byte"].notna().all()
    for _, row in evidence.iterrows():
        text = texts[row["source"]]
        start, end = int(row["start_byte"]), int(row["end_byte"])
        passage = text[start:end].decode("utf-8")
        assert passage.split() == row["quote"].split(), row["id"]
        if isinstance(row["prefix"], str):
            assert text[:start].decode("utf-8").endswith(row["prefix"]), row["id"]
        if isinstance(row["suffix"], str):
            assert text[end:].decode("utf-8").startswith(row["suffix"]), row["id"]
