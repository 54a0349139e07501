"""The release's landing page, index.html, used as a reader uses it: typed into, clicked,
tabbed through and downloaded from, in Debian's Chromium driven by Debian's chromium-driver
through WebDriver (selenium, pinned in requirements.txt). Selenium's own driver download is
never used: the driver is the one on PATH.

The expected answers come from the release's CSV files, not from the page, so a page that
counts or filters wrongly fails here.
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from datetime import date
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("no Chromium on PATH (CI installs Debian's `chromium` package)")


@pytest.fixture(scope="module")
def driver():
    chromedriver = shutil.which("chromedriver")
    if not chromedriver:
        pytest.skip(
            "no chromedriver on PATH: these tests drive Chromium through WebDriver "
            "(Debian: apt-get install chromium-driver; .ci/run installs it)"
        )
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    browser = chromium()
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = browser
        for arg in (
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1280,2400",
            f"--user-data-dir={profile}",
        ):
            options.add_argument(arg)
        d = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
        d.set_script_timeout(30)
        try:
            yield d
        finally:
            d.quit()


@pytest.fixture(scope="module")
def page(release_dir: Path) -> str:
    path = release_dir / "index.html"
    assert path.is_file(), "the release has no index.html"
    return path.as_uri()


def read_csv(release_dir: Path, table: str) -> list[dict[str, str]]:
    with open(release_dir / "csv" / f"{table}.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def load(driver, url: str) -> None:
    driver.get("about:blank")
    driver.get(url)
    driver.execute_script("return document.readyState")


def fact_tables(driver) -> list[str]:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('section[data-fact] table.records'))"
        ".map(t => t.getAttribute('data-table'))"
    )


def shown_ids(driver, table: str) -> list[str]:
    """The ids of the record rows of `table` a reader sees (not hidden, in a shown section)."""
    return driver.execute_script(
        """const t = document.getElementById('t-' + arguments[0] + '-table');
        if (t.closest('section').hidden) return [];
        return Array.from(t.tBodies[0].rows)
          .filter(r => !r.classList.contains('q') && !r.hidden && r.offsetParent !== null)
          .map(r => r.id.slice(arguments[0].length + 1));""",
        table,
    )


def status(driver) -> str:
    return driver.find_element("id", "f-status").text


def stated_count(driver) -> int:
    text = status(driver)
    assert "records match" in text, text
    return int(text.split(" ", 1)[0])


def set_year(driver, year: int) -> None:
    box = driver.find_element("id", "f-year")
    box.clear()
    box.send_keys(str(year))


def date_columns(header: list[str]) -> tuple[str, str] | None:
    """The first partial date's day columns, as the page reads them."""
    for name in header:
        if f"{name}_min" in header and f"{name}_max" in header:
            return f"{name}_min", f"{name}_max"
    return None


def can_mean(row: dict[str, str], cols: tuple[str, str], year: int) -> bool:
    """Whether the row's date can mean a day of `year`: its first to last day, an open or
    unknown end taken at the known one (as the data card places such a date)."""
    lo, hi = row[cols[0]] or row[cols[1]], row[cols[1]] or row[cols[0]]
    if not lo:
        return False
    return date.fromisoformat(lo).year <= year <= date.fromisoformat(hi).year


def test_typing_in_the_search_updates_the_count(driver, page: str) -> None:
    load(driver, page)
    assert status(driver) == ""
    box = driver.find_element("id", "f-q")
    box.send_keys("Hashimoto")
    tables = fact_tables(driver)
    shown = {t: shown_ids(driver, t) for t in tables}
    total = sum(len(v) for v in shown.values())
    assert 0 < total, status(driver)
    assert stated_count(driver) == total, status(driver)
    # Every shown record says it in its own fields or quotes; no hidden one does, whatever the
    # titles of its sources say.
    own = driver.execute_script(
        """return Array.from(document.querySelectorAll('section[data-fact] table.records tbody tr:not(.q)'))
          .map(r => {
            let s = r.textContent;
            const q = r.nextElementSibling;
            if (q && q.classList.contains('q')) q.querySelectorAll('blockquote').forEach(b => s += ' ' + b.textContent);
            return [r.id, r.hidden, s.toLowerCase().includes('hashimoto')];
          });"""
    )
    assert own
    for row_id, hidden, says in own:
        assert hidden != says, f"{row_id}: hidden={hidden}, its own text names Hashimoto: {says}"
    box.send_keys("-no-such-name")
    assert stated_count(driver) == 0
    box.clear()
    box.send_keys(" ")  # an input event on an empty search clears the filter
    assert status(driver) == ""


@pytest.mark.parametrize("year", [1997, 2006, 2020])
def test_a_year_shows_the_records_whose_dates_can_mean_it(
    driver, page: str, release_dir: Path, year: int
) -> None:
    load(driver, page)
    set_year(driver, year)
    total = 0
    for table in fact_tables(driver):
        rows = read_csv(release_dir, table)
        cols = date_columns(list(rows[0])) if rows else None
        expected = sorted(r["id"] for r in rows if cols and can_mean(r, cols, year))
        got = sorted(shown_ids(driver, table))
        assert got == expected, f"{table} in {year}: shown {got}, expected {expected}"
        total += len(expected)
    assert stated_count(driver) == total, status(driver)


def test_an_open_ended_date_is_not_every_later_year(
    driver, page: str, release_dir: Path
) -> None:
    rows = read_csv(release_dir, "visits")
    open_ended = [r for r in rows if r["date_min"] and not r["date_max"]]
    if not open_ended:
        pytest.skip("no visit with an open end in this release")
    load(driver, page + "?year=2020")
    shown = set(shown_ids(driver, "visits"))
    for r in open_ended:
        start = date.fromisoformat(r["date_min"]).year
        assert (r["id"] in shown) == (start == 2020), r["id"]


def test_the_csv_download_holds_the_rows_shown(driver, page: str, release_dir: Path) -> None:
    load(driver, page + "?country=KAZ")
    driver.execute_script(
        """window.__blobs = [];
        const make = URL.createObjectURL.bind(URL);
        URL.createObjectURL = b => { window.__blobs.push(b); return make(b); };"""
    )
    button = driver.find_element("css selector", "#t-visits button.csv")
    assert button.text == "Download these rows (CSV)"
    button.click()
    text = driver.execute_async_script(
        "const done = arguments[arguments.length - 1]; window.__blobs[0].text().then(done);"
    )
    got = list(csv.DictReader(io.StringIO(text)))
    shown = shown_ids(driver, "visits")
    assert 0 < len(shown) < len(read_csv(release_dir, "visits"))
    assert [r["id"] for r in got] == shown
    released = {r["id"]: r for r in read_csv(release_dir, "visits")}
    evidence = read_csv(release_dir, "evidence")
    for r in got:
        want = released[r["id"]]
        for col, value in r.items():
            if col in want:
                assert value == want[col], f"{r['id']}.{col}: {value!r} != {want[col]!r}"
        quotes = [
            e["quote"] for e in evidence if e["record_table"] == "visits" and e["record"] == r["id"]
        ]
        assert sorted(r["quotes"].split("\n")) == sorted(quotes), r["id"]


def test_tab_reaches_the_filters_and_focus_is_visible(driver, page: str) -> None:
    from selenium.webdriver.common.keys import Keys

    load(driver, page)
    body = driver.find_element("tag name", "body")
    body.send_keys(Keys.TAB)
    skip = driver.switch_to.active_element
    assert skip.text == "Skip to the records"
    assert skip.is_displayed()
    skip.send_keys(Keys.ENTER)
    reached = None
    for _ in range(5):
        driver.switch_to.active_element.send_keys(Keys.TAB)
        el = driver.switch_to.active_element
        if el.get_attribute("id") == "f-q":
            reached = el
            break
    assert reached is not None, "Tab from the skip link does not reach the text filter"
    outline = driver.execute_script(
        "const s = getComputedStyle(arguments[0]); return [s.outlineStyle, s.outlineWidth];",
        reached,
    )
    assert outline[0] != "none" and float(outline[1].rstrip("px")) >= 2, outline
    # On through the filters: each control is reached in turn, its focus visible too.
    seen = []
    for _ in range(4):
        driver.switch_to.active_element.send_keys(Keys.TAB)
        el = driver.switch_to.active_element
        seen.append(el.get_attribute("id") or el.tag_name)
        style = driver.execute_script(
            "return getComputedStyle(arguments[0]).outlineStyle", el
        )
        assert style != "none", seen
    assert seen[:3] == ["f-country", "f-year", "f-kind"], seen


def test_a_record_link_opens_its_record_even_when_filtered(
    driver, page: str, release_dir: Path
) -> None:
    visit = read_csv(release_dir, "visits")[0]["id"]
    load(driver, page + "?year=1&country=JPN#visits-" + visit)
    row = driver.find_element("id", f"visits-{visit}")
    assert row.is_displayed(), "the linked record is hidden by the filters"
    link = row.find_element("css selector", "a.perma")
    assert link.get_attribute("href").endswith(f"#visits-{visit}")
    in_view = driver.execute_script(
        "const r = arguments[0].getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight;",
        row,
    )
    assert in_view


def test_a_redirected_record_link_reaches_the_new_record(
    driver, page: str, release_dir: Path
) -> None:
    ids = {
        t: {r["id"] for r in read_csv(release_dir, t)}
        for t in ("visits", "meetings", "statements", "recognitions", "dispute_events")
    }
    redirects = read_csv(release_dir, "redirects")
    pair = next(
        ((t, r["from_id"], r["to_id"]) for r in redirects for t in ids if r["to_id"] in ids[t]), None
    )
    if pair is None:
        pytest.skip("no redirect to a record of a fact table in this release")
    table, old, new = pair
    load(driver, f"{page}#{table}-{old}")
    assert driver.current_url.endswith(f"#{table}-{new}"), driver.current_url
    row = driver.find_element("id", f"{table}-{new}")
    assert "target" in row.get_attribute("class").split()


def test_a_dispute_says_as_of_when(driver, page: str, release_dir: Path) -> None:
    load(driver, page)
    for d in read_csv(release_dir, "disputes"):
        cell = driver.find_element("css selector", f'[id="disputes-{d["id"]}"] td[data-l="status"]')
        assert cell.text.startswith(d["status"] + ", as of "), cell.text
        day = cell.find_element("tag name", "time").get_attribute("datetime")
        events = [e for e in read_csv(release_dir, "dispute_events") if e["dispute"] == d["id"]]
        # An event's last day; one day between two bounds (`[a..b]`) counts as its first.
        days = [
            (e["date_min"] or e["date_max"])
            if e["date"].startswith("[")
            else (e["date_max"] or e["date_min"])
            for e in events
        ]
        latest = max((d for d in days if d), default="")
        assert day >= latest, (d["id"], day, latest)
        # The dispute's heading over its events says the same.
        heading = driver.find_element(
            "css selector", f'#groups-dispute_events h3 a[href="#disputes-{d["id"]}"]'
        ).find_element("xpath", "..")
        assert f'({d["status"].replace("_", " ")}, as of {day})' in heading.text, heading.text


@pytest.mark.parametrize("name,width", [("desktop", 1280), ("wide", 2400), ("phone", 390)])
def test_quotes_are_in_view_at_every_width(driver, page: str, name: str, width: int) -> None:
    driver.set_window_size(width, 2400)
    try:
        load(driver, page)
        # Every quote of every table lies within the window's width, unclipped, even where a
        # wide table scrolls sideways.
        boxes = driver.execute_script(
            """return Array.from(document.querySelectorAll('table.records tr.q .quote'))
              .map(b => { const r = b.getBoundingClientRect(), s = b.closest('.scroll').getBoundingClientRect();
                          return [b.closest('table').id, r.left, r.right, s.left, s.right, b.offsetWidth]; });"""
        )
        assert boxes
        for table, left, right, s_left, s_right, w in boxes:
            assert s_left <= left and right <= s_right + 0.5 and right <= width and w > 0, (
                name, table, left, right, s_left, s_right
            )
        # The tables of events are as wide as the page, no wider: nothing to scroll to.
        wide = driver.execute_script(
            """return ['visits', 'meetings', 'recognitions', 'statements', 'dispute_events', 'disputes']
              .map(t => document.querySelector('#t-' + t + ' > .scroll'))
              .filter(s => s && s.scrollWidth > s.clientWidth + 1).map(s => s.parentNode.id);"""
        )
        if width >= 1280:
            assert not wide, (name, wide)
        # A name beside each code: a country's, a person's.
        names = driver.execute_script(
            """return Array.from(document.querySelectorAll('#t-visits td small.code')).slice(0, 6)
              .map(c => [c.previousElementSibling.textContent, c.textContent]);"""
        )
        assert names and all(name and name != code for name, code in names), names
        ARTIFACTS.mkdir(exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / f"page-browser-{name}.png"))
    finally:
        driver.set_window_size(1280, 2400)


def test_the_page_asks_for_nothing_but_itself(driver, page: str) -> None:
    load(driver, page + "?country=RUS")
    driver.find_element("css selector", "#t-visits button.csv").click()
    fetched = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
        ".concat(performance.getEntriesByType('navigation').map(e => e.name))"
    )
    assert all(u.startswith(("file:", "blob:", "data:")) for u in fetched), fetched


@pytest.mark.parametrize("width", [390, 1280])
def test_the_timeline_opens_where_the_records_are(driver, page: str, width: int) -> None:
    driver.set_window_size(width, 1600)
    try:
        load(driver, page)
        fig = driver.find_element("css selector", "#timeline figure")
        first, frm, to = (int(fig.get_attribute(a)) for a in ("data-first", "data-from", "data-to"))
        assert first < frm <= to
        # The years whose ticks are in view, right of the lanes' names.
        seen = driver.execute_script(
            """const box = document.querySelector('#timeline .svg'), b = box.getBoundingClientRect();
            const names = document.querySelector('#timeline .labels').getBoundingClientRect();
            return Array.from(box.querySelectorAll('text.tick')).filter(t => {
              if (t.getAttribute('display') === 'none') return false;
              const r = t.getBoundingClientRect();
              return r.left >= names.right && r.right <= b.right;
            }).map(t => +t.textContent);"""
        )
        assert seen, "no year in view"
        assert frm - 5 <= min(seen) <= frm + 5, (frm, seen)
        # Zoom in from the keyboard: fewer years in view, more ticks apart.
        box = driver.find_element("css selector", "#timeline .svg")
        before = driver.execute_script("return arguments[0].querySelector('svg').getBoundingClientRect().width", box)
        box.send_keys("+")
        after = driver.execute_script("return arguments[0].querySelector('svg').getBoundingClientRect().width", box)
        assert after > before * 1.4
    finally:
        driver.set_window_size(1280, 2400)


def test_the_timeline_follows_the_filters(driver, page: str, release_dir: Path) -> None:
    load(driver, page + "?country=GEO")
    marks = driver.execute_script(
        """return Array.from(document.querySelectorAll('#timeline svg a')).map(a =>
          [a.getAttribute('href').slice(1), getComputedStyle(a).display !== 'none']);"""
    )
    assert marks
    for target, drawn in marks:
        row_shown = driver.execute_script(
            "const r = document.getElementById(arguments[0]); return !!r && !r.hidden && !r.closest('section').hidden;",
            target,
        )
        assert drawn == row_shown, target
    assert any(d for _, d in marks) and not all(d for _, d in marks)


def test_columns_sort_and_quotes_move_with_their_records(
    driver, page: str, release_dir: Path
) -> None:
    load(driver, page)
    rows = {r["id"]: r for r in read_csv(release_dir, "visits")}
    header = driver.find_element(
        "css selector", '#t-visits-table thead th:nth-child(2) button.sort'
    )
    assert header.text.startswith("date")

    def order() -> list[str]:
        return shown_ids(driver, "visits")

    def start(i: str) -> str:
        return rows[i]["date_min"] or rows[i]["date_max"]

    header.click()
    up = order()
    assert sorted(up) == sorted(rows)
    dated = [i for i in up if start(i)]
    assert [start(i) for i in dated] == sorted(start(i) for i in dated), up
    assert up[len(dated):] == [i for i in up if not start(i)], "undated rows come last"
    header.click()
    down = [i for i in order() if start(i)]
    assert [start(i) for i in down] == sorted((start(i) for i in down), reverse=True)
    # Every record's quotes are still the row right under it.
    pairs = driver.execute_script(
        """return Array.from(document.querySelectorAll('#t-visits-table tr.q'))
          .map(q => [q.getAttribute('data-for'), q.previousElementSibling.id]);"""
    )
    assert pairs and all(prev == f"visits-{rec}" for rec, prev in pairs), pairs


def test_a_country_has_its_records_in_order(driver, page: str) -> None:
    load(driver, page)
    Select = pytest.importorskip("selenium.webdriver.support.select").Select
    Select(driver.find_element("id", "f-country")).select_by_value("KAZ")
    view = driver.find_element("id", "country-view")
    assert view.is_displayed()
    assert view.find_element("tag name", "h3").text.startswith("Kazakhstan")
    items = driver.execute_script(
        """return Array.from(document.querySelectorAll('#country-view li')).map(li => {
          const r = document.getElementById(li.getAttribute('data-id')), d = r.querySelector('td[data-s]');
          return [r.id, d ? d.getAttribute('data-s') : null];
        });"""
    )
    shown = [f"{t}-{i}" for t in fact_tables(driver) for i in shown_ids(driver, t)]
    assert sorted(i for i, _ in items) == sorted(shown)
    assert len(items) == stated_count(driver)
    keys = [int(s) for _, s in items if s is not None]
    assert keys == sorted(keys)
    assert all(s is not None for _, s in items[: len(keys)]), "undated records come last"
    Select(driver.find_element("id", "f-country")).select_by_value("")
    assert not view.is_displayed()


# How long one axe run over the page may take.
AXE_TIMEOUT_SECONDS = 180


@pytest.mark.parametrize("width,query", [(1280, ""), (390, "?country=KAZ&year=1998")])
def test_axe_finds_no_wcag_a_or_aa_violation(driver, page: str, width: int, query: str) -> None:
    axe = pytest.importorskip("axe_selenium_python")
    script = Path(axe.__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
    if not script.is_file():
        pytest.skip(f"axe-selenium-python ships no axe.min.js at {script}")
    driver.set_window_size(width, 2400)
    # axe checks every node of the whole page: seconds alone, far more on a busy machine.
    driver.set_script_timeout(AXE_TIMEOUT_SECONDS)
    try:
        load(driver, page + query)
        driver.execute_script(script.read_text(encoding="utf-8"))
        violations = driver.execute_async_script(
            """const done = arguments[arguments.length - 1];
            axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})
              .then(r => done(r.violations.map(v => [v.id, v.impact, v.nodes.length,
                 v.nodes.slice(0, 3).map(n => n.target.join(' '))])))
              .catch(e => done([['axe failed', String(e), 0, []]]));"""
        )
        assert violations == [], violations
    finally:
        driver.set_script_timeout(30)
        driver.set_window_size(1280, 2400)
