"""The search page of the plugin's own tiny site in Chromium: entries found by their words (a
project on its own page, once; a hosted service on its list, at its anchor), markup in catalog
text shown as text (never run), and chrome kept out of the index."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.quality.browsing import new_context, open_page
from tests.quality.conftest import StaticServer, serving
from tests.quality.tools import CHROMIUM_ARGS, require_chromium
from tests.support.site import build_own_site

pytestmark = pytest.mark.browser

HERE = Path(__file__).resolve().parent
TITLES_JS = ("() => [...document.querySelectorAll('ol.search-results > li > .search-title a')]"
             ".map((a) => a.textContent)")
HREFS_JS = ("() => [...document.querySelectorAll('ol.search-results a[href]')]"
            ".map((a) => a.getAttribute('href'))")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaticServer]:
    tmp = tmp_path_factory.mktemp("search-page")
    with serving(build_own_site(HERE, tmp / "out", tmp / "no-store.sqlite3")) as srv:
        yield srv


@pytest.fixture(scope="module")
def page(server: StaticServer) -> Iterator[Any]:
    chromium = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS)
        context, watch = new_context(browser, server.url)
        try:
            yield open_page(context, watch, "search.html")
        finally:
            browser.close()
        assert not watch.outside and not watch.page_errors, (watch.outside, watch.page_errors)


def _search(page: Any, query: str) -> dict[str, Any]:
    field = page.locator("#site-search-q")
    field.fill("")
    field.fill(query)
    page.keyboard.press("Enter")
    page.wait_for_function("(q) => document.querySelector('[data-search-status]').textContent.includes(q)",
                           arg=query, timeout=15_000)
    return {"titles": page.evaluate(TITLES_JS), "hrefs": page.evaluate(HREFS_JS),
            "status": page.locator("[data-search-status]").inner_text()}


def test_a_project_is_found_by_its_own_words_on_its_own_page(page: Any) -> None:
    found = _search(page, "beanstalkd")  # its summary (the projects page shows it too)
    assert found["titles"] == ["Beanstalk Queue"]
    assert found["hrefs"] == ["projects/beanstalk-queue.html"]
    found = _search(page, "zephyrworkers")  # only in two descriptions: both, each once
    assert sorted(found["hrefs"]) == ["projects/beanstalk-queue.html", "projects/calendar-queue.html"]
    assert found["titles"] and set(found["titles"]) == {"Beanstalk Queue", "Calendar Queue"}
    assert page.locator("ol.search-results .search-where").first.inner_text() == "Projects"


def test_an_entry_without_its_own_page_links_to_its_anchor(page: Any) -> None:
    found = _search(page, "quillbroker")
    assert found["titles"] == ["Tubeworks Cloud"]
    assert found["hrefs"] == ["hosted.html#entry-tubeworks-cloud"]
    assert page.locator("ol.search-results .search-where").first.inner_text() == "Hosted"


def test_a_page_section_is_found_under_its_heading(page: Any) -> None:
    found = _search(page, "heliotrope")
    assert found["titles"] == ["A guide"], found
    assert any(h.startswith("guide.html#") for h in found["hrefs"]), found  # the section's own anchor


def test_markup_in_catalog_text_stays_text(page: Any) -> None:
    found = _search(page, "quokkamarkup")
    assert found["titles"] == ["Evil <img src=x onerror=window.pwned=1> Queue"], found
    excerpt = page.locator("ol.search-results .search-excerpt").first.inner_text()
    assert "Says <script>window.pwned=2</script> and <b>bold</b>" in excerpt, excerpt  # as on the page
    results = page.locator("ol.search-results")
    assert results.locator("img, script, b").count() == 0
    assert results.locator("mark").count() >= 1  # Pagefind's highlight is the only element kept
    assert page.evaluate("() => window.pwned === undefined")


def test_chrome_and_words_nobody_wrote_find_nothing(page: Any) -> None:
    # "Stack" is only in the footer ("... Task Queues on Full Stack Python"): chrome, not content
    assert _search(page, "stack")["status"] == "No results for “stack”"
    assert _search(page, "xylophonequeue")["status"] == "No results for “xylophonequeue”"
