"""Crosswalk ids of every dataset's `countries.toml`, checked against packages that ship them.

A crosswalk id is filled only where a shipped, well-kept package confirms it:

- the id (ISO 3166-1 alpha-3, or ISO 3166-3 for former countries such as SUN) and `iso2`
  against `pycountry` (`pycountry.countries`, `pycountry.historic_countries`);
- `cow_code` (Correlates of War state number) against the `cown` column of the `countrycode`
  package: looked up by alpha-3, or, for a former country that `countrycode` lists under no
  alpha-3 of its own, by the ISO 3166-3 name through `countrycode`'s English name patterns
  (so SUN, "USSR, Union of Soviet Socialist Republics", is matched like any other name);
- `wikidata`: no installable package ships Wikidata ids of countries, so no id can be
  confirmed and the column must stay empty.

These tests read the authoring files only; they build no release.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pycountry
import pytest
from countrycode import countrycode

ROOT = Path(__file__).resolve().parents[2]
COUNTRY_FILES = sorted(ROOT.glob("datasets/*/countries.toml"))


def iso_entry(alpha3: str):
    """The pycountry entry of an ISO 3166-1 or ISO 3166-3 alpha-3 code, or None."""
    return pycountry.countries.get(alpha_3=alpha3) or pycountry.historic_countries.get(
        alpha_3=alpha3
    )


def iso2_problem(alpha3: str, iso2: str | None) -> str | None:
    """Why the alpha-3 id (and the iso2 code, where filled) is not confirmed, or None."""
    entry = iso_entry(alpha3)
    if entry is None:
        return f"{alpha3}: not an ISO 3166-1 or ISO 3166-3 alpha-3 code in pycountry"
    if iso2 is not None and iso2 != entry.alpha_2:
        return f"{alpha3}: iso2 {iso2!r}, pycountry says {entry.alpha_2!r}"
    return None


def shipped_cow_code(alpha3: str) -> int | None:
    """The COW state number `countrycode` ships for this country, or None if it ships none."""
    code = countrycode(alpha3, origin="iso3c", destination="cown")
    if code is None:
        former = pycountry.historic_countries.get(alpha_3=alpha3)
        if former is not None:
            code = countrycode(former.name, origin="country.name", destination="cown")
    return None if code is None else int(code)


def cow_problem(alpha3: str, cow_code: int) -> str | None:
    """Why a filled cow_code is not confirmed by `countrycode`, or None."""
    shipped = shipped_cow_code(alpha3)
    if shipped is None:
        return f"{alpha3}: countrycode ships no COW code, cannot confirm {cow_code}"
    if shipped != cow_code:
        return f"{alpha3}: cow_code {cow_code}, countrycode says {shipped}"
    return None


def shipped_gw_code(alpha3: str) -> int | None:
    """The Gleditsch-Ward number `countrycode` ships for an alpha-3 code (a former country by
    its ISO 3166-3 name)."""
    code = countrycode(alpha3, origin="iso3c", destination="gwn")
    if code is None:
        former = pycountry.historic_countries.get(alpha_3=alpha3)
        if former is not None:
            code = countrycode(former.name, origin="country.name", destination="gwn")
    return int(code) if code is not None else None


def gw_problem(alpha3: str, gw_code: int) -> str | None:
    """Why a filled gw_code is not confirmed by `countrycode`, or None."""
    shipped = shipped_gw_code(alpha3)
    if shipped is None:
        return f"{alpha3}: countrycode ships no Gleditsch-Ward code, cannot confirm {gw_code}"
    if shipped != gw_code:
        return f"{alpha3}: gw_code {gw_code}, countrycode says {shipped}"
    return None


def wikidata_problem(alpha3: str, wikidata: str) -> str | None:
    """Why a filled wikidata id is not confirmed: always, as no shipped package has them."""
    return f"{alpha3}: wikidata {wikidata!r} filled, but no shipped package confirms Wikidata ids"


def crosswalk_problems(country: dict) -> list[str]:
    """Every crosswalk id of one `[[countries]]` record that no package confirms."""
    alpha3 = country["id"]
    problems = [iso2_problem(alpha3, country.get("iso2"))]
    if "cow_code" in country:
        problems.append(cow_problem(alpha3, country["cow_code"]))
    if "gw_code" in country:
        problems.append(gw_problem(alpha3, country["gw_code"]))
    if "wikidata" in country:
        problems.append(wikidata_problem(alpha3, country["wikidata"]))
    return [p for p in problems if p is not None]


def load_countries(path: Path) -> list[dict]:
    with open(path, "rb") as f:
        return tomllib.load(f).get("countries", [])


def test_a_dataset_has_countries() -> None:
    assert COUNTRY_FILES, "no datasets/*/countries.toml found"
    assert all(load_countries(p) for p in COUNTRY_FILES)


@pytest.mark.parametrize("path", COUNTRY_FILES, ids=lambda p: p.parent.name)
def test_every_filled_crosswalk_id_is_confirmed(path: Path) -> None:
    problems = [p for c in load_countries(path) for p in crosswalk_problems(c)]
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("path", COUNTRY_FILES, ids=lambda p: p.parent.name)
def test_every_country_the_package_codes_has_its_gleditsch_ward_number(path: Path) -> None:
    """Gleditsch-Ward numbers beside COW: filled wherever the shipped list has one."""
    missing = [
        c["id"] for c in load_countries(path) if "gw_code" not in c and shipped_gw_code(c["id"]) is not None
    ]
    assert missing == []


def test_the_soviet_union_is_found_in_iso_3166_3_and_coded_like_russia() -> None:
    assert iso2_problem("SUN", "SU") is None
    assert shipped_cow_code("SUN") == 365
    assert shipped_cow_code("RUS") == 365


@pytest.mark.parametrize(
    "country",
    [
        {"id": "JPN", "iso2": "JA"},  # wrong alpha-2
        {"id": "JAP", "iso2": "JP"},  # not an alpha-3 code
        {"id": "JPN", "iso2": "JP", "cow_code": 741},  # wrong COW number (Japan is 740)
        {"id": "GEO", "iso2": "GE", "cow_code": 371},  # Armenia's COW number on Georgia
        {"id": "SUN", "iso2": "SU", "cow_code": 364},  # wrong COW number for a former country
        {"id": "JPN", "iso2": "JP", "wikidata": "Q17"},  # unverifiable, so not allowed
    ],
    ids=["iso2", "alpha3", "cow", "cow-swapped", "cow-historic", "wikidata"],
)
def test_a_wrong_or_unconfirmed_value_is_rejected(country: dict) -> None:
    assert crosswalk_problems(country) != []


def test_a_confirmed_record_passes() -> None:
    assert crosswalk_problems({"id": "JPN", "iso2": "JP", "cow_code": 740}) == []
    assert crosswalk_problems({"id": "KAZ"}) == []
