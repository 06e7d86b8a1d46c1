"""The search plugin on its own tiny site: the index Pagefind builds from it, the records it
stages (a page without its entries, each entry on its own: a project on its own page, a hosted
service cut out of its list), and search turned off."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest

from plugins.search.index import RECORDS_DIR, UNUSED_BUNDLE_FILES, pages_to_index, stage
from tests.support.site import build_own_site, soup

HERE = Path(__file__).resolve().parent
ENTRIES = {"entry-beanstalk-queue": "Beanstalk Queue", "entry-calendar-queue": "Calendar Queue",
           "entry-evil-queue": "Evil <img src=x onerror=window.pwned=1> Queue"}
# the projects' own pages (the catalog plugin's entry.page_url)
OWN_PAGES = {"entry-beanstalk-queue": "projects/beanstalk-queue.html",
             "entry-calendar-queue": "projects/calendar-queue.html",
             "entry-evil-queue": "projects/evil-queue.html"}
HOSTED = {"entry-tubeworks-cloud": "Tubeworks Cloud"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("search-site")
    return build_own_site(HERE, tmp / "out", tmp / "no-store.sqlite3")


def test_build_writes_the_search_page_and_the_index(site: Path) -> None:
    bundle = site / "pagefind"
    assert (site / "search.html").is_file()
    for name in ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json"):
        assert (bundle / name).is_file(), name
    assert list((bundle / "fragment").iterdir()) and list((bundle / "index").iterdir())
    assert not [n for n in UNUSED_BUNDLE_FILES if (bundle / n).exists()], "unused UI bundles published"
    # one record per indexed page (every page but the search page, the projects' own pages among
    # them) and one per entry without a page of its own (the hosted service)
    pages = pages_to_index(site, ["search.html"], "pagefind")
    assert "search.html" not in pages and "projects.html" in pages and "guide.html" in pages
    assert set(OWN_PAGES.values()) <= set(pages)
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == len(pages) + len(HOSTED)


def test_every_page_has_the_header_field_and_only_the_search_page_loads_the_script(site: Path) -> None:
    for name in ("index.html", "projects.html", "guide.html", "search.html"):
        page = soup(site / name)
        form = page.select_one("header form[role=search]")
        assert form is not None, name
        assert form["action"].endswith("search.html") and form["method"] == "get"
        field = form.select_one("input[name=q]")
        assert field is not None and page.select_one(f"label[for={field['id']}]") is not None
        scripts = [s.get("src", "") for s in page.find_all("script")]
        assert any(s.endswith("js/search.js") for s in scripts) == (name == "search.html"), (name, scripts)
        assert "pagefind" not in " ".join(str(link) for link in page.find_all("link")), name
    search = soup(site / "search.html")
    assert search.select_one("[data-search]")["data-search"].endswith("pagefind/pagefind.js")
    assert search.select_one('meta[name=robots][content=noindex]') is not None
    assert "needs JavaScript" in " ".join(search.select_one("[data-search-help]").get_text().split())
    assert search.select('[data-search-nojs] a[href$="projects.html"]')


def test_entries_become_records_of_their_own(site: Path, tmp_path: Path) -> None:
    staging = tmp_path / "staging"
    staged = stage(site, staging, ENTRIES, ["projects.html", "guide.html"], {"projects.html": "Projects"})
    assert (staged.pages, staged.entries) == (2, 3)

    page = lxml.html.parse(str(staging / "projects.html")).getroot()
    main = page.find(".//main")
    assert main.get("data-pagefind-body") == ""
    ignored = {el.get("id") for el in main.iter() if el.get("data-pagefind-ignore") == "all" and el.get("id")}
    assert ignored == set(ENTRIES), "the page's own record still holds entries"
    assert page.find(".//header").get("data-pagefind-body") is None  # chrome stays outside the body

    record = lxml.html.parse(str(staging / RECORDS_DIR / "projects" / "entry-evil-queue.html")).getroot()
    metas = {el.get("data-pagefind-meta"): el.text_content() for el in record.iter()
             if el.get("data-pagefind-meta")}
    assert metas == {"title": ENTRIES["entry-evil-queue"], "href": "projects.html#entry-evil-queue",
                     "where": "Projects"}
    text = record.find(".//main").text_content()
    assert "Says <script>window.pwned=2</script> and <b>bold</b>" in text  # text, as on the page
    assert record.find(".//script") is None and record.find(".//img") is None

    guide = lxml.html.parse(str(staging / "guide.html")).getroot()
    assert "heliotrope" in guide.find(".//main").text_content()
    assert not list((staging / RECORDS_DIR).glob("guide/*")), "a page without entries has no entry records"


def test_an_entry_with_its_own_page_is_found_there_once(site: Path, tmp_path: Path) -> None:
    staging = tmp_path / "staging"
    pages = ["hosted.html", "projects.html", *OWN_PAGES.values()]
    labels = {"projects.html": "Projects", "hosted.html": "Hosted"}
    staged = stage(site, staging, {**ENTRIES, **HOSTED}, pages, labels, OWN_PAGES)
    # every page is a page record; only the hosted service is cut out of its list
    assert (staged.pages, staged.entries, staged.entry_pages) == (5, 1, 3)
    assert not (staging / RECORDS_DIR / "projects").exists(), "a project's row became a second result"
    assert (staging / RECORDS_DIR / "hosted" / "entry-tubeworks-cloud.html").is_file()
    listing = lxml.html.parse(str(staging / "projects.html")).getroot().find(".//main")
    ignored = {el.get("id") for el in listing.iter() if el.get("data-pagefind-ignore") == "all"}
    assert set(OWN_PAGES) <= ignored, "the rows' words stay out of the projects page's record"

    own = lxml.html.parse(str(staging / "projects" / "evil-queue.html")).getroot()
    metas = {el.get("data-pagefind-meta"): el.text_content() for el in own.iter()
             if el.get("data-pagefind-meta")}
    assert metas == {"title": ENTRIES["entry-evil-queue"], "href": "projects/evil-queue.html",
                     "where": "Projects"}
    main = own.find(".//main")
    assert main.get("data-pagefind-body") == ""
    assert "Says <script>window.pwned=2</script> and <b>bold</b>" in main.text_content()  # as text
    assert own.find(".//main//script") is None and own.find(".//main//img") is None


def test_summary_rows_that_point_at_an_entry_are_left_to_the_entry(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "projects.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><title>P</title></head><body><main><h1>Projects</h1>'
        '<table><tr><th><a href="#entry-beanstalk-queue">Beanstalk Queue</a></th><td>tubes</td></tr></table>'
        '<ul><li id="entry-beanstalk-queue"><p>Beanstalk Queue</p></li><li id="entry-unknown">kept</li></ul>'
        '<p><a href="other.html#entry-beanstalk-queue">a link elsewhere stays</a></p></main></body></html>',
        encoding="utf-8")
    staged = stage(out, tmp_path / "staging", ENTRIES, ["projects.html"])
    assert (staged.pages, staged.entries) == (1, 1)
    main = lxml.html.parse(str(tmp_path / "staging" / "projects.html")).getroot().find(".//main")
    assert main.find(".//tr").get("data-pagefind-ignore") == "all"
    assert main.find(".//li[@id='entry-unknown']").get("data-pagefind-ignore") is None  # not a catalog id
    assert main.find(".//p[a]").get("data-pagefind-ignore") is None
    record = tmp_path / "staging" / RECORDS_DIR / "projects" / "entry-beanstalk-queue.html"
    where = [el.text_content() for el in lxml.html.parse(str(record)).getroot().iter()
             if el.get("data-pagefind-meta") == "where"]
    assert where == ["Projects"]  # no label given: the page's <h1>


def test_pagefind_settings_of_the_machine_do_not_change_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAGEFIND_OUTPUT_SUBDIR", "elsewhere")
    monkeypatch.setenv("PAGEFIND_ROOT_SELECTOR", "footer")
    out = build_own_site(HERE, tmp_path / "out", tmp_path / "no-store.sqlite3")
    assert (out / "pagefind" / "pagefind.js").is_file() and not (out / "elsewhere").exists()
    entry = json.loads((out / "pagefind" / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] > len(ENTRIES)


def test_search_turned_off_leaves_no_trace(tmp_path: Path) -> None:
    out = build_own_site(HERE, tmp_path / "out", tmp_path / "no-store.sqlite3", SEARCH={"page": None})
    assert not (out / "search.html").exists() and not (out / "pagefind").exists()
    assert soup(out / "projects.html").select_one("form[role=search]") is None


def test_an_unknown_setting_stops_the_build(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="SEARCH setting has unknown keys"):
        build_own_site(HERE, tmp_path / "out", tmp_path / "no-store.sqlite3", SEARCH={"pages": "s.html"})
