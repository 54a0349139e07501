"""The release's citation and catalogue metadata: CITATION.cff with its release date, version
and the sources as references; .zenodo.json for a DOI; Croissant 1.1 with list columns declared
as arrays; the page's JSON-LD with its release date and the sources it is based on. Each is
checked against dataset.toml and sources.toml, not against itself."""

from __future__ import annotations

import json
import re
import tomllib

import yaml

from conftest import DATASET, dataset_meta


def sources() -> list[dict]:
    with open(DATASET / "sources.toml", "rb") as f:
        return tomllib.load(f)["sources"]


def test_citation_cff_has_release_date_version_and_sources(release_dir):
    meta = dataset_meta()
    cff = yaml.safe_load((release_dir / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "dataset"
    assert cff["version"] == meta["version"]
    if "released" in meta:
        assert str(cff["date-released"]) == meta["released"]
    titles = [r["title"] for r in cff["references"]]
    assert sorted(titles) == sorted(s["title"] for s in sources())
    for r in cff["references"]:
        assert r["authors"] and r["type"]


def test_zenodo_json_describes_the_deposit(release_dir):
    meta = dataset_meta()
    z = json.loads((release_dir / ".zenodo.json").read_text(encoding="utf-8"))
    assert z["upload_type"] == "dataset"
    assert z["version"] == meta["version"]
    assert z["license"]["id"] == meta["license"].lower()
    assert z["creators"] and all(c["name"] for c in z["creators"])
    if "released" in meta:
        assert z["publication_date"] == meta["released"]


def test_croissant_1_1_declares_list_columns_as_arrays(release_dir):
    c = json.loads((release_dir / "croissant.json").read_text(encoding="utf-8"))
    assert c["conformsTo"] == "http://mlcommons.org/croissant/1.1"
    assert c["@context"]["isArray"] == "cr:isArray"
    package = json.loads((release_dir / "datapackage.json").read_text(encoding="utf-8"))
    lists = {
        (r["name"], f["name"])
        for r in package["resources"]
        if "schema" in r
        for f in r["schema"]["fields"]
        if f.get("type") == "array" or f.get("format") == "list" or "arrayItem" in f
    }
    arrays = {
        tuple(f["@id"].split("/", 1))
        for rs in c["recordSet"]
        for f in rs["field"]
        if f.get("isArray")
    }
    assert arrays, "no list column declared as an array"
    for rs in c["recordSet"]:
        for f in rs["field"]:
            if f.get("isArray"):
                assert f["source"]["transform"] == {"separator": ";"}, f["@id"]
    if lists:
        assert lists == arrays
    meta = dataset_meta()
    if "released" in meta:
        assert c["datePublished"] == meta["released"]
    assert sorted(w["name"] for w in c["isBasedOn"]) == sorted(s["title"] for s in sources())


def test_page_json_ld_has_release_date_and_sources(release_dir):
    html = (release_dir / "index.html").read_text(encoding="utf-8")
    m = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert m, "no JSON-LD in index.html"
    ld = json.loads(m.group(1))
    meta = dataset_meta()
    if "released" in meta:
        assert ld["datePublished"] == meta["released"]
    assert {w["name"] for w in ld["isBasedOn"]} == {s["title"] for s in sources()}
    # The stated coverage comes from the records' dates, not a source's archiving bound.
    assert not ld["temporalCoverage"].endswith("2026-11-30")
