"""Search (plugins/search, js/search.js) in a real Chromium, offline, on the built site.

- Pages load nothing for search until a reader uses it: no search script, no index byte.
- A reader reaches the header's field by keyboard, types "redis", "cron" or "django", and
  finds the catalog entries that are about it, once each: a project on its own page (where its
  description, every fact and note are), a hosted service at its anchor on its list.
- The results are keyboard-navigable, fit a 360 px screen, pass axe in light and dark and
  the Nu Html Checker, and nothing is requested from another host.
- Without JavaScript the search page says what to do instead.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.quality.browsing import OVERFLOW_JS, new_context, open_page
from tests.quality.conftest import StaticServer, screenshot_dir
from tests.quality.sweep import Visit, run_axe
from tests.quality.test_axe import BLOCKING, _fmt
from tests.quality.test_html_valid import run_vnu
from tests.quality.tools import VIEWPORTS, require_axe

pytestmark = pytest.mark.browser

SEARCH_PAGE = "search.html"
# What a page must not fetch before a reader searches: the search page's script, Pagefind's bundle.
SEARCH_ASSETS = ("/theme/js/search.js", "/pagefind/")

# query -> catalog entries a reader must find (a project's own page, a hosted service's anchor),
# all of them about the word:
# redis: RQ is "Redis Queue", arq and Huey run on Redis, Redis Cloud is hosted Redis;
# cron: APScheduler, arq and RQ Scheduler document cron schedules (arq only in its description);
# django: django-rq and django-tasks are Django integrations, Django Q2 a Django queue.
EXPECTED = {
    "redis": ["projects/rq.html", "projects/arq.html", "projects/huey.html",
              "hosted.html#entry-redis-cloud"],
    "cron": ["projects/apscheduler.html", "projects/arq.html", "projects/rq-scheduler.html"],
    "django": ["projects/django-rq.html", "projects/django-tasks.html", "projects/django-q2.html"],
}

STATUS = "[data-search-status]"
RESULT_LINKS = "ol.search-results > li > .search-title a"
HREFS_JS = f"() => [...document.querySelectorAll('{RESULT_LINKS}')].map((a) => a.getAttribute('href'))"
FOCUSED_JS = ("() => document.activeElement"
              " ? (document.activeElement.id || document.activeElement.getAttribute('href')) : null")


def _wait_for_results(page: Any, query: str) -> None:
    page.wait_for_function(
        "(q) => { const s = document.querySelector('[data-search-status]');"
        " return s && s.textContent.includes('“' + q + '”'); }", arg=query, timeout=15_000)


def _all_results(page: Any) -> list[str]:
    """Every result's href, asking for more until there are no more (the "More results" button)."""
    more = page.locator("[data-search-more] button")
    for _ in range(20):
        if not more.is_visible():
            break
        shown = page.locator(RESULT_LINKS).count()
        more.click()
        page.wait_for_function(f"() => document.querySelectorAll('{RESULT_LINKS}').length > {shown}")
    return list(page.evaluate(HREFS_JS))


def _search_from_header(page: Any, query: str) -> None:
    """As a keyboard user: Tab from the top of the page to the header's field, type, Enter."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED_JS) == "site-search-q":
            break
    else:
        raise AssertionError(f"{page.url}: 12 Tab presses never reached the header's search field")
    page.keyboard.type(query)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path.endswith(SEARCH_PAGE), page.url
    _wait_for_results(page, query)


def _land_on(page: Any, expected: str) -> None:
    """Follow the result ``expected`` (shown among the first results, "More results" clicked as
    needed) and check where the reader is."""
    link = page.locator(f"{RESULT_LINKS}[href='{expected}']")
    more = page.locator("[data-search-more] button")
    for _ in range(20):
        if link.count() or not more.is_visible():
            break
        more.click()
    title = link.inner_text()
    with page.expect_navigation():
        link.click()
    assert page.url.endswith(expected), page.url
    target, _, anchor = expected.partition("#")
    if not anchor:  # a project's own page: its name is the page's heading
        assert page.locator("main h1").inner_text() == title, expected
        return
    assert page.evaluate("(id) => document.querySelector(':target')?.id", anchor) == anchor
    top = page.evaluate("(id) => document.getElementById(id).getBoundingClientRect().top", anchor)
    assert -2 <= top < VIEWPORTS["1280x800"]["height"] / 2, f"{expected}: entry at top={top}px"


# Search reads the same index on both builds (only figures differ): its behaviour is tested on
# the build with data, as readers get it; the sweeps check every page of both builds.
WITH_DATA = pytest.mark.parametrize("site_dir", ["stored-data"], indirect=True, scope="package")


def test_pages_load_nothing_for_search_until_used(
    sweeps: Callable[[str], dict[str, Visit]]
) -> None:
    """Every page but the search page (the sweep at 1280 px): no search script or index byte on
    load, nor when the header's field gets focus (tried on every page that runs a script: a page
    without one cannot fetch anything on focus); nothing from another host."""
    visits = sweeps("1280x800")
    loaded: list[str] = []
    for path, record in visits.items():
        if path == SEARCH_PAGE:
            continue
        assert record.search_loads is not None
        assert record.content, f"{path}: not visited"
        loaded += [f"{path}: {s.path}" for s in record.served if s.path.startswith(SEARCH_ASSETS)]
        loaded += [f"{path} (field focused): {p}" for p in record.search_loads if p.startswith(SEARCH_ASSETS)]
        assert not record.outside, f"{path}: requests outside the site: {record.outside}"
    assert not loaded, "search assets fetched before anyone searched:\n  " + "\n  ".join(loaded)


@WITH_DATA
@pytest.mark.parametrize("query", list(EXPECTED))
def test_search_finds_the_right_entries(
    browser: Any, site_server: StaticServer, html_pages: list[str], query: str
) -> None:
    assert SEARCH_PAGE in html_pages, f"no {SEARCH_PAGE} in the build"
    context, watch = new_context(browser, site_server.url, viewport=VIEWPORTS["1280x800"])
    mark = site_server.mark()
    try:
        page = open_page(context, watch, "task-queues.html")
        _search_from_header(page, query)
        first = list(page.evaluate(HREFS_JS))
        assert 0 < len(first) <= 10, f"{query!r}: {len(first)} results on the first screen"
        seen = [href for href in first if href in EXPECTED[query]]
        assert seen, f"{query!r}: none of {EXPECTED[query]} among the first results {first}"
        found = _all_results(page)
        missing = [href for href in EXPECTED[query] if href not in found]
        assert not missing, f"{query!r}: {missing} not found; results: {found}"
        assert len(found) == len(set(found)), f"{query!r}: a result twice: {found}"
        # a project is one result, its own page: never its row on the projects page as well
        rows = [href for href in found if href.startswith("projects.html#")]
        assert not rows, f"{query!r}: projects found on their rows besides their own pages: {rows}"
        # every result is a page of the site or an entry's anchor on it
        for href in found:
            target, _, anchor = href.partition("#")
            assert target in html_pages, f"{query!r}: result {href} is not a page of the build"
            assert not anchor or anchor.startswith("entry-"), href
        status = page.locator(STATUS).inner_text()
        assert f"{len(found)} result" in status, status
        # a result lands on its entry: a project's own page under its name, or the entry on its
        # list, highlighted and in view
        for expected in dict.fromkeys([seen[0], *(h for h in EXPECTED[query] if "#" in h)]):
            page.goto(f"{site_server.url}/{SEARCH_PAGE}?q={query}")
            _wait_for_results(page, query)
            _land_on(page, expected)
    finally:
        context.close()
    served = site_server.since(mark)
    assert any(s.path.startswith("/pagefind/") for s in served), "the index was never fetched"
    errors = [f"{s.status} {s.path}" for s in served if s.status >= 400]
    assert not errors, errors
    assert not watch.outside, f"requests outside the site: {watch.outside}"
    assert not watch.page_errors and not watch.failed, (watch.page_errors, watch.failed)


@WITH_DATA
def test_the_guides_advice_is_found_by_its_own_words(browser: Any, site_server: StaticServer) -> None:
    """"nightly" is only in the guide's advice ("a nightly job in Django"): the guide is a result,
    with the need's section under it."""
    context, watch = new_context(browser, site_server.url, viewport=VIEWPORTS["1280x800"])
    try:
        page = open_page(context, watch, "index.html")
        _search_from_header(page, "nightly")
        assert _all_results(page) == ["task-queues.html"]
        sections = page.evaluate("() => [...document.querySelectorAll('.search-sections a')]"
                                 ".map((a) => a.getAttribute('href'))")
        assert "task-queues.html#django" in sections, sections
        # the search page offers example queries: buttons that run the search in place
        page.goto(f"{site_server.url}/{SEARCH_PAGE}")
        examples = page.locator("[data-search-examples] button")
        assert examples.count() >= 3 and examples.first.is_visible()
        assert not page.locator("p[data-search-nojs]").is_visible()
        page.locator("[data-search-examples] button", has_text="PostgreSQL").click()
        _wait_for_results(page, "PostgreSQL")
        assert "projects/procrastinate.html" in _all_results(page)
        assert page.locator("#site-search-q").input_value() == "PostgreSQL" and "q=PostgreSQL" in page.url
    finally:
        context.close()
    assert not watch.outside and not watch.page_errors, (watch.outside, watch.page_errors)


@WITH_DATA
def test_results_are_keyboard_navigable(browser: Any, site_server: StaticServer) -> None:
    context, watch = new_context(browser, site_server.url, viewport=VIEWPORTS["1280x800"])
    try:
        page = open_page(context, watch, "index.html")
        _search_from_header(page, "django")
        field = page.locator("#site-search-q")
        field.focus()
        hrefs = page.evaluate("() => [...document.querySelectorAll('ol.search-results a[href]')]"
                              ".map((a) => a.getAttribute('href'))")
        assert len(hrefs) >= 3
        page.keyboard.press("ArrowDown")
        assert page.evaluate(FOCUSED_JS) == hrefs[0]
        page.keyboard.press("ArrowDown")
        assert page.evaluate(FOCUSED_JS) == hrefs[1]
        page.keyboard.press("ArrowUp")
        page.keyboard.press("ArrowUp")
        assert page.evaluate(FOCUSED_JS) == "site-search-q", "↑ from the first result goes back to the field"
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Escape")
        assert page.evaluate(FOCUSED_JS) == "site-search-q", "Esc on a result goes back to the field"
        assert field.input_value() == "django"
        page.keyboard.press("Escape")  # in the field: clears it and the results
        assert field.input_value() == ""
        page.wait_for_function(f"() => document.querySelectorAll('{RESULT_LINKS}').length === 0")
        assert "q=" not in page.url
        # typing searches as you type, and Enter on a result follows it
        page.keyboard.type("redis")
        _wait_for_results(page, "redis")
        page.keyboard.press("ArrowDown")
        target = page.evaluate(FOCUSED_JS)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.endswith(target), (page.url, target)
    finally:
        context.close()
    assert not watch.outside and not watch.page_errors, (watch.outside, watch.page_errors)


@WITH_DATA
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_open_results_fit_pass_axe_and_vnu(
    browser: Any, site_server: StaticServer, artifacts: Path, tmp_path: Path, viewport: str,
    request: pytest.FixtureRequest,
) -> None:
    """Results shown: no sideways scroll, no serious axe violation (light and dark), valid HTML."""
    axe_js = require_axe()
    shots = screenshot_dir(artifacts, request, viewport)
    context, watch = new_context(browser, site_server.url, viewport=VIEWPORTS[viewport])
    problems: list[str] = []
    try:
        page = open_page(context, watch, f"{SEARCH_PAGE}?q=django")
        _wait_for_results(page, "django")
        page.locator("[data-search-more] button").click()  # the longer list, sections included
        page.wait_for_function(f"() => document.querySelectorAll('{RESULT_LINKS}').length > 10")
        result = page.evaluate(OVERFLOW_JS)
        if result["scrollWidth"] > result["innerWidth"]:
            problems.append(f"scrollWidth {result['scrollWidth']} > {result['innerWidth']}: "
                            f"{result['culprits']}")
        # the DOM as the script left it (before axe adds its own <script>), for vnu below
        rendered = tmp_path / "search-results.html"
        rendered.write_text("<!DOCTYPE html>\n" + page.evaluate("() => document.documentElement.outerHTML"),
                            encoding="utf-8")
        injected = False
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            page.screenshot(path=str(shots / f"search-results-{scheme}.png"), full_page=True)
            violations = run_axe(page, axe_js, inject=not injected)
            injected = True
            problems += [_fmt(f"{SEARCH_PAGE}?q=django @ {viewport}", scheme, v)
                         for v in violations if v["impact"] in BLOCKING]
    finally:
        context.close()
    errors = [m for m in run_vnu([rendered]) if m.get("type") in {"error", "non-document-error"}]
    problems += [f"vnu: {m.get('message')} [{str(m.get('extract', ''))[:120]}]" for m in errors]
    assert not problems, "search results:\n  " + "\n  ".join(problems)
    assert not watch.outside, f"requests outside the site: {watch.outside}"


def test_search_page_without_javascript_says_what_to_do(browser: Any, site_server: StaticServer) -> None:
    context, watch = new_context(browser, site_server.url, java_script_enabled=False)
    try:
        page = open_page(context, watch, f"{SEARCH_PAGE}?q=redis")
        assert "needs JavaScript" in page.locator("[data-search-help]").inner_text()
        links = page.locator("[data-search-nojs] a[href]")
        assert links.count() >= 3, "no pages to browse instead"
        # the example queries as words for the browser's Find, their links (which need JS) hidden
        assert "PostgreSQL" in page.locator("p[data-search-nojs]").inner_text()
        assert not page.locator("[data-search-examples]").is_visible()
        assert page.locator("#site-search-q").is_visible(), "the search field is still there"
    finally:
        context.close()
    assert not watch.outside
