"""The release's landing page, index.html, as a browser shows it.

Runs Debian's Chromium headless (`apt-get install chromium`) on the page from `file://`:
`--dump-dom` gives the DOM after the page's script has run, so the tests read what a reader
sees, with no browser driver. Screenshots at desktop and phone widths are written to
tests/python/artifacts/ (git-ignored) for people to look at.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import tempfile
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM_TIMEOUT_SECONDS = 120


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("no Chromium on PATH (CI installs Debian's `chromium` package)")


def run_chromium(*args: str) -> str:
    """Runs headless Chromium with a fresh profile and returns its standard output."""
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        cmd = [
            chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            "--virtual-time-budget=10000",
            *args,
        ]
        proc = subprocess.run(
            cmd, capture_output=True, text=True, timeout=CHROMIUM_TIMEOUT_SECONDS, check=False
        )
    assert proc.returncode == 0, f"{cmd} exited {proc.returncode}: {proc.stderr[-2000:]}"
    return proc.stdout


class Rows(HTMLParser):
    """The record rows of the DOM: (row id, hidden) for every `tr` of a `table.records` body,
    and the text of every `application/ld+json` script."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, bool]] = []
        self.json_ld: list[str] = []
        self._in_records = 0
        self._in_tbody = False
        self._in_json = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table" and "records" in (a.get("class") or "").split():
            self._in_records += 1
        elif tag == "tbody" and self._in_records:
            self._in_tbody = True
        elif tag == "tr" and self._in_tbody and "q" not in (a.get("class") or "").split():
            # (A record's quotes are a row of their own under it, `tr.q`, not a record.)
            self.rows.append((a.get("id") or "", "hidden" in a))
        elif tag == "script" and a.get("type") == "application/ld+json":
            self._in_json = True
            self.json_ld.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self._in_records:
            self._in_records -= 1
        elif tag == "tbody":
            self._in_tbody = False
        elif tag == "script":
            self._in_json = False

    def handle_data(self, data: str) -> None:
        if self._in_json:
            self.json_ld[-1] += data


def dom(url: str) -> Rows:
    parser = Rows()
    parser.feed(run_chromium("--dump-dom", url))
    return parser


def record_ids(release_dir: Path) -> dict[str, list[str]]:
    """Every table's ids, from its CSV."""
    out = {}
    for path in sorted((release_dir / "csv").glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        if rows and "id" in rows[0]:
            out[path.stem] = [r["id"] for r in rows]
    return out


@pytest.fixture(scope="module")
def page(release_dir: Path) -> Path:
    path = release_dir / "index.html"
    assert path.is_file(), "the release has no index.html"
    return path


@pytest.fixture(scope="module")
def unfiltered(page: Path) -> Rows:
    return dom(page.as_uri())


def test_every_record_is_in_the_rendered_dom(release_dir: Path, unfiltered: Rows) -> None:
    seen = {row_id for row_id, _ in unfiltered.rows}
    assert not any(hidden for _, hidden in unfiltered.rows), "an unfiltered page hides rows"
    missing = [
        f"{table}-{i}"
        for table, ids in record_ids(release_dir).items()
        # Quotes are shown beside their records; sentences are counted, not listed.
        if table not in ("evidence", "source_sentences")
        for i in ids
        if f"{table}-{i}" not in seen
    ]
    assert not missing, f"rows missing from the page: {missing[:10]}"


def test_every_quote_is_beside_its_record(release_dir: Path, page: Path) -> None:
    html = page.read_text(encoding="utf-8")
    with open(release_dir / "csv" / "evidence.csv", newline="", encoding="utf-8") as f:
        quotes = [r["quote"] for r in csv.DictReader(f)]
    # The page escapes &, <, > and " (and leaves ' as it is).
    missing = [q for q in quotes if escape(q, quote=False).replace('"', "&quot;") not in html]
    assert not missing, f"quotes not on the page: {missing[:5]}"


@pytest.mark.parametrize(
    "query",
    ["?country=AZE", "#country=AZE", "?q=tokyo", "#year=1998", "?kind=summit"],
)
def test_a_filtered_url_narrows_the_rows(page: Path, unfiltered: Rows, query: str) -> None:
    filtered = dom(page.as_uri() + query)
    total = len(unfiltered.rows)
    visible = [i for i, hidden in filtered.rows if not hidden]
    assert len(filtered.rows) == total, "filtering removes rows from the DOM instead of hiding"
    assert 0 < len(visible) < total, f"{query}: {len(visible)} of {total} rows visible"
    if "AZE" in query:
        assert any(i.startswith("visits-") for i in visible) or any(
            i.startswith("meetings-") for i in visible
        )


def test_json_ld_describes_the_dataset(release_dir: Path, unfiltered: Rows) -> None:
    assert len(unfiltered.json_ld) == 1
    ld = json.loads(unfiltered.json_ld[0])
    assert ld["@context"].startswith("https://schema.org")
    assert ld["@type"] == "Dataset"
    for key in (
        "name",
        "description",
        "version",
        "license",
        "creator",
        "temporalCoverage",
        "spatialCoverage",
        "keywords",
        "distribution",
        "citation",
    ):
        assert ld.get(key), f"JSON-LD lacks {key}"
    sums = {}
    for line in (release_dir / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ", 1)
        sums[name] = digest
    described = {d["contentUrl"]: d for d in ld["distribution"]}
    assert set(described) == set(sums) - {"index.html", "SHA256SUMS"}
    for url, d in described.items():
        assert d["@type"] == "DataDownload"
        assert d["sha256"] == sums[url], url
        assert d["encodingFormat"]


def test_croissant_matches_the_files(release_dir: Path) -> None:
    cr = json.loads((release_dir / "croissant.json").read_text(encoding="utf-8"))
    assert cr["conformsTo"] == "http://mlcommons.org/croissant/1.1"
    assert cr["@context"]["cr"] == "http://mlcommons.org/croissant/"
    sums = dict(
        reversed(line.split("  ", 1))
        for line in (release_dir / "SHA256SUMS").read_text().splitlines()
    )
    for fo in cr["distribution"]:
        assert fo["sha256"] == sums[fo["contentUrl"]]
    names = {rs["name"] for rs in cr["recordSet"]}
    assert {p.stem for p in (release_dir / "csv").glob("*.csv")} == names
    for rs in cr["recordSet"]:
        with open(release_dir / "csv" / f"{rs['name']}.csv", newline="", encoding="utf-8") as f:
            header = next(csv.reader(f))
        assert [fl["name"] for fl in rs["field"]] == header


@pytest.mark.parametrize("name,width,height", [("desktop", 1280, 2400), ("phone", 390, 2400)])
def test_screenshots(page: Path, name: str, width: int, height: int) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    out = ARTIFACTS / f"page-{name}.png"
    out.unlink(missing_ok=True)
    run_chromium(f"--window-size={width},{height}", f"--screenshot={out}", page.as_uri())
    assert out.is_file() and out.stat().st_size > 10_000, f"no screenshot at {out}"
