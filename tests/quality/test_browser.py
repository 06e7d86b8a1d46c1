"""The built site in a real headless Chromium: layout, navigation, anchors, no-JS parity.

Every page of the build is opened at a phone and a desktop viewport (once, by the sweep in
tests/quality/sweep.py, for the gates that only look); a page that fails the layout gate is
shot into test-artifacts/screenshots/<build>/<viewport>/.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from tests.quality.browsing import new_context, open_page
from tests.quality.conftest import StaticServer, artifact_name, screenshot_dir
from tests.quality.sweep import Visit
from tests.quality.tools import REPO, VIEWPORTS
from tests.support.site import short_form

pytestmark = pytest.mark.browser

VIEWPORT_IDS = list(VIEWPORTS)


@pytest.mark.parametrize("viewport", VIEWPORT_IDS)
def test_every_page_fits_the_viewport(
    browser: Any, site_server: StaticServer, sweeps: Callable[[str], dict[str, Visit]], html_pages: list[str],
    artifacts: Path, viewport: str, request: pytest.FixtureRequest,
) -> None:
    """No horizontal scroll: document.scrollingElement.scrollWidth <= innerWidth, on every page,
    and no failed request or script error. A page that scrolls sideways is shot (full page) into
    test-artifacts/screenshots/<build>/<viewport>/ to show the culprit; `make screenshots` shoots
    every page for review."""
    build = request.node.callspec.params["site_dir"]
    visits = sweeps(viewport)
    problems: list[str] = []
    for path, record in visits.items():
        result = record.overflow
        if result["scrollWidth"] > result["innerWidth"]:
            culprits = "\n      ".join(result["culprits"]) or "(no element found)"
            problems.append(
                f"[{build}] {path} @ {viewport}: scrollWidth {result['scrollWidth']} > innerWidth "
                f"{result['innerWidth']}; sticking out:\n      {culprits}"
            )
            _shoot(browser, site_server, path, viewport, screenshot_dir(artifacts, request, viewport))
        problems += [f"{path}: request outside the site: {url}" for url in record.outside]
        problems += [f"{path}: failed request {failure}" for failure in record.failed]
        problems += [f"{path}: JavaScript error {error}" for error in record.page_errors]
    assert not problems, "layout:\n  " + "\n  ".join(problems)


def _shoot(browser: Any, server: StaticServer, path: str, viewport: str, shots: Path) -> None:
    context, watch = new_context(browser, server.url, viewport=VIEWPORTS[viewport])
    try:
        open_page(context, watch, path).screenshot(path=str(shots / f"{artifact_name(path)}.png"),
                                                   full_page=True)
    finally:
        context.close()


def _main_nav_links(page: Any) -> list[tuple[str, str]]:
    nav = page.locator("header nav, nav[aria-label='Main']").first
    assert nav.count() == 1, f"{page.url}: no site navigation (<header> <nav> or nav[aria-label=Main])"
    links = nav.locator("a[href]")
    return [(links.nth(i).inner_text().strip(), links.nth(i).get_attribute("href") or "")
            for i in range(links.count())]


# The navigation does not depend on stored data: walked on the build with data.
@pytest.mark.parametrize("site_dir", ["stored-data"], indirect=True, scope="package")
@pytest.mark.parametrize("viewport", VIEWPORT_IDS)
def test_navigation_reaches_every_page(
    browser: Any, site_server: StaticServer, html_pages: list[str], viewport: str
) -> None:
    """From the home page, clicking each main-navigation link lands on its page, marked current."""
    context, watch = new_context(browser, site_server.url, viewport=VIEWPORTS[viewport])
    problems: list[str] = []
    try:
        page = open_page(context, watch, "index.html")
        links = _main_nav_links(page)
        assert len(links) >= 2, f"main navigation has {len(links)} link(s): {links}"
        for label, href in links:
            page.goto("index.html")
            expected = urljoin(page.url, href)
            link = page.locator("header nav, nav[aria-label='Main']").first.get_by_role(
                "link", name=label, exact=True
            ).first
            with page.expect_navigation():
                link.click()
            if page.url.split("#")[0] != expected.split("#")[0]:
                problems.append(f"{label!r}: landed on {page.url}, expected {expected}")
                continue
            landed = urlsplit(page.url).path.lstrip("/") or "index.html"
            if landed not in html_pages:
                problems.append(f"{label!r}: {landed} is not a page of the build")
            if page.locator("h1").count() != 1:
                problems.append(f"{label!r}: {landed} has {page.locator('h1').count()} <h1>")
            elif not short_form(label, page.locator("h1").inner_text()):
                problems.append(f"{label!r}: not the title of {landed} or a short form of it "
                                f"({page.locator('h1').inner_text()!r})")
            current = page.locator("nav [aria-current='page']")
            if current.count() != 1 or current.first.inner_text().strip() != label:
                problems.append(f"{label!r}: {landed} does not mark its nav link aria-current=page")
        # And back home through the site name, the header's first link.
        with page.expect_navigation():
            page.locator("header a[href]").first.click()
        if urlsplit(page.url).path not in {"/", "/index.html"}:
            problems.append(f"the header's first link (site name) leads to {page.url}, not home")
    finally:
        context.close()
    assert not problems, "navigation:\n  " + "\n  ".join(problems)
    assert not watch.outside, f"requests outside the site: {watch.outside}"


def pages_wanting_toc() -> list[str]:
    """Output paths of content pages whose metadata asks for a table of contents (`toc: true`)."""
    wanted = []
    for source in sorted((REPO / "content" / "pages").glob("*.md")):
        head = source.read_text(encoding="utf-8").split("\n\n", 1)[0]
        meta = dict(
            (k.strip().lower(), v.strip()) for k, _, v in (line.partition(":") for line in head.splitlines())
        )
        if meta.get("toc", "").lower() in {"true", "yes", "1"}:
            wanted.append(f"{meta.get('slug') or source.stem}.html")
    return wanted


@pytest.mark.parametrize("viewport", VIEWPORT_IDS)
def test_in_page_links_land_on_their_anchor(
    sweeps: Callable[[str], dict[str, Visit]], html_pages: list[str], viewport: str
) -> None:
    """Skip link, table of contents and every other same-page #link: clicked (by the sweep), its
    target lands in the top half of the viewport (or the page is scrolled to its end)."""
    visits = sweeps(viewport)
    problems = [f"{p} @ {viewport}" for record in visits.values() for p in record.anchor_problems]
    checked = sum(len(record.anchors) for record in visits.values())
    toc_links = sum(record.toc_links for record in visits.values())
    toc_pages = {path for path, record in visits.items() if record.toc_links}
    assert checked > 0, "no same-page link on any page (not even the skip link)"
    for path in pages_wanting_toc():
        if path in html_pages and path not in toc_pages:
            problems.append(f"{path}: its source says `toc: true` but the page has no table of contents")
    assert not problems, f"in-page links ({checked} clicked, {toc_links} in tables of contents):\n  " + (
        "\n  ".join(problems)
    )


def test_every_page_is_complete_without_javascript(
    sweeps: Callable[[str], dict[str, Visit]]
) -> None:
    """With JavaScript disabled each page shows the same entries, links and headings as the sweep
    saw with it (at 1280 px, where the sweep loads each page that runs scripts again with scripts
    off; a page without any script or handler is the same either way)."""
    visits = sweeps("1280x800")
    problems: list[str] = []
    scripted = [path for path, record in visits.items() if record.scripted]
    assert "projects.html" in scripted, "the sweep saw no script on projects.html: SCRIPTED_JS is blind"
    for path, record in visits.items():
        full, bare = record.content, record.bare_content
        if not record.scripted:
            assert bare is None
            continue
        assert bare is not None and bare["headings"], f"{path}: not loaded without JavaScript"
        for key in ("ids", "links", "headings"):
            lost = sorted(set(full[key]) - set(bare[key]))
            if lost:
                problems.append(f"{path}: without JavaScript these {key} are missing: {lost[:10]}")
        if bare["entries"] < full["entries"]:
            problems.append(f"{path}: {bare['entries']} entries without JavaScript, {full['entries']} with")
    assert not problems, "pages depend on JavaScript:\n  " + "\n  ".join(problems)


def test_warning_signs_keep_their_colour(sweeps: Callable[[str], dict[str, Visit]], site_dir: Path,
                                         request: pytest.FixtureRequest) -> None:
    """"unmaintained", "archived" and "no release since ..." stand out from the vitals line's muted
    figures and links (computed colours, as the sweep saw them)."""
    signs = [(path, *sign) for path, record in sweeps("1280x800").items() for sign in record.content["signs"]]
    grey = [f"{path}: {text!r} is {colour}, as muted as its line" for path, text, colour, muted in signs
            if colour == muted]
    assert not grey, "\n  ".join(grey)
    if request.node.callspec.params["site_dir"] == "stored-data":
        assert any(text.startswith("no release since") for _, text, *_ in signs), "no sign of life seen"
    assert any(text in {"unmaintained", "archived"} for _, text, *_ in signs), "no badge seen"


# --- JavaScript features -------------------------------------------------------------------------
# Each script the theme ships must have a browser test here: name -> the test that covers it.
# (projects.js also: test_projects_filters_read_values_in_any_case_and_name_unknown_ones,
# test_projects_compare_side_by_side_with_the_choice_in_the_url)
KNOWN_SCRIPTS = {
    "projects.js": "test_projects_filters_and_sorting_work",
    # the search page's script and the two of Pagefind's bundle it loads (plugins/search)
    "search.js": "test_search.test_search_finds_the_right_entries",
    "pagefind.js": "test_search.test_search_finds_the_right_entries",
    "pagefind-worker.js": "test_search.test_search_finds_the_right_entries",
}

# The rows a reader sees, in page order: id, name, figures, brokers, and the fact keys the row
# answers yes or partly (its cells' classes under the table's column keys).
ROWS_JS = """() => [...document.querySelectorAll('table.grid tbody tr[data-project]')]
  .filter((tr) => !tr.hidden).map((tr) => {
    const heads = [...tr.closest('table').querySelectorAll('thead th')];
    const has = [...tr.cells].map((c, i) => [c, heads[i] && heads[i].dataset.k])
      .filter(([c, k]) => k && /a-(yes|partial)/.test(c.className)).map(([, k]) => k);
    return {id: tr.dataset.project, name: tr.querySelector('.pn a').textContent.trim(),
            stars: parseFloat(tr.dataset.stars), downloads: parseFloat(tr.dataset.dl),
            brokers: tr.dataset.b.split(' '), table: tr.closest('table').className, has};
  })"""
NAME_ORDER_JS = """(names) => names.every((n, i) => i === 0 || names[i - 1].localeCompare(n) <= 0)"""
SIDE_JS = """() => {
  const panel = document.querySelector('#compare');
  if (!panel || panel.hidden) return null;
  const table = panel.querySelector('table.side');
  return {names: [...table.querySelectorAll('thead th')].map((th) => th.textContent.trim()),
          rows: [...table.querySelectorAll('tbody tr')].map((tr) => [tr.cells[0].textContent.trim(),
                  ...[...tr.cells].slice(1).map((c) => c.textContent.replace(/\\s+/g, ' ').trim())]),
          sources: table.querySelectorAll('tbody td > a').length,
          wide: document.scrollingElement.scrollWidth > window.innerWidth};
}"""


def test_every_script_has_a_browser_test(site_dir: Path, html_pages: list[str]) -> None:
    scripts = {p.name for p in site_dir.rglob("*.js")}
    untested = sorted(scripts - set(KNOWN_SCRIPTS))
    assert not untested, f"scripts with no browser test in {__name__}.KNOWN_SCRIPTS: {untested}"


def _by_table(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        out.setdefault(row["table"], []).append(row)
    return out


def test_projects_filters_and_sorting_work(browser: Any, site_server: StaticServer,
                                           html_pages: list[str]) -> None:
    page_path = "projects.html"
    assert page_path in html_pages
    no_js, watch_no = new_context(browser, site_server.url, java_script_enabled=False)
    try:
        page = open_page(no_js, watch_no, page_path)
        bare = page.evaluate(ROWS_JS)
        assert len(bare) >= 2, "too few projects listed without JavaScript"
        assert not page.locator("form[data-projects-filters]").is_visible(), (
            "filter controls are shown without JavaScript, where they cannot work")
    finally:
        no_js.close()
    assert bare[0]["table"] == "grid grid-queue", "the first project a reader sees is not a task queue"

    context, watch = new_context(browser, site_server.url, viewport=VIEWPORTS["1280x800"])
    try:
        page = open_page(context, watch, page_path)
        form = page.locator("form[data-projects-filters]")
        assert form.is_visible(), "no visible filters with JavaScript on"
        assert page.evaluate(ROWS_JS) == bare, "the script changed the default order"
        assert "all" in page.locator(".filter-count").inner_text()
        page.select_option("select[name=sort]", "name")
        for table, rows in _by_table(page.evaluate(ROWS_JS)).items():
            names = [r["name"] for r in rows]
            assert page.evaluate(NAME_ORDER_JS, names), f"sort by name in {table}: {names}"
        assert "sort=name" in page.url
        page.select_option("select[name=sort]", "default")
        assert "sort=" not in page.url and page.evaluate(ROWS_JS) == bare  # the default stays implicit
        for key in ("downloads", "stars"):
            if page.locator(f"select[name=sort] option[value={key}]").count():
                page.select_option("select[name=sort]", key)
                for rows in _by_table(page.evaluate(ROWS_JS)).values():
                    figures = [r[key] for r in rows]
                    assert figures == sorted(figures, reverse=True), (key, figures)
        page.select_option("select[name=sort]", "default")
        box = page.locator("input[name=has][value=retries]")
        box.check()
        shown = page.evaluate(ROWS_JS)
        assert shown and all("retries" in r["has"] for r in shown), shown
        assert len(shown) < len(bare) and "has=retries" in page.url
        assert f"{len(shown)} of {len(bare)}" in page.locator(".filter-count").inner_text()
        # a shared URL restores the view
        again = open_page(context, watch, page.url.replace(site_server.url, ""))
        assert again.locator("input[name=has][value=retries]").is_checked()
        assert again.evaluate(ROWS_JS) == shown
        page.select_option("select[name=broker]", "rabbitmq")
        assert all("rabbitmq" in r["brokers"] and "retries" in r["has"] for r in page.evaluate(ROWS_JS))
        assert "broker=rabbitmq" in page.url
    finally:
        context.close()
    assert not watch.page_errors, f"JavaScript errors: {watch.page_errors}"


def test_projects_filters_read_values_in_any_case_and_name_unknown_ones(
        browser: Any, site_server: StaticServer, html_pages: list[str]) -> None:
    context, watch = new_context(browser, site_server.url, viewport=VIEWPORTS["360x740"])
    try:
        page = open_page(context, watch, "projects.html?broker=Redis&has=Retries,ASYNCIO")
        rows = page.evaluate(ROWS_JS)
        assert page.locator("select[name=broker]").input_value() == "redis"
        assert page.locator("input[name=has][value=retries]").is_checked()
        assert page.locator("input[name=has][value=asyncio]").is_checked()
        assert rows and all("redis" in r["brokers"] and {"retries", "asyncio"} <= set(r["has"]) for r in rows)
        assert not page.locator(".filter-problems").is_visible()
        page = open_page(context, watch, "projects.html?broker=redsi&has=retries,asyncoi&compare=celry,rq")
        problems = page.locator(".filter-problems")
        assert problems.is_visible()
        text = problems.inner_text()
        assert "Unknown broker 'redsi' — did you mean Redis?" in text, text
        assert "Unknown feature 'asyncoi' — did you mean async def tasks?" in text, text
        assert "Unknown project 'celry' — did you mean Celery?" in text, text
        # what is known still applies: retries is ticked, no broker filter, RQ picked
        assert page.locator("select[name=broker]").input_value() == ""
        assert page.locator("input[name=has][value=retries]").is_checked()
        assert page.locator("tr#entry-rq .pick input").is_checked()
        assert page.locator("details.tools").evaluate("(d) => d.open"), "the tools stay closed on a problem"
    finally:
        context.close()
    assert not watch.page_errors, f"JavaScript errors: {watch.page_errors}"


@pytest.mark.parametrize("viewport", VIEWPORT_IDS)
def test_projects_compare_side_by_side_with_the_choice_in_the_url(
        browser: Any, site_server: StaticServer, html_pages: list[str], viewport: str) -> None:
    context, watch = new_context(browser, site_server.url, viewport=VIEWPORTS[viewport])
    try:
        page = open_page(context, watch, "projects.html?compare=celery,rq")
        side = page.evaluate(SIDE_JS)
        assert side is not None, "?compare=celery,rq shows no side-by-side panel"
        assert side["names"] == ["Celery", "RQ (Redis Queue)"]
        labels = [r[0] for r in side["rows"]]
        assert {"Brokers and backends", "Native asyncio", "Periodic scheduling", "Rate limits"} <= set(labels)
        brokers = next(r for r in side["rows"] if r[0] == "Brokers and backends")
        assert "RabbitMQ" in brokers[1] and "Redis" in brokers[2] and brokers[1].count("docs") == 1
        assert side["sources"] >= 8 and not side["wide"], side
        assert page.locator("#compare").evaluate("(el) => el.getBoundingClientRect().top < innerHeight")
        full = page.locator("#compare .compare-bar a[href='compare/celery-vs-rq.html']")
        assert full.count() == 1, "no link to the generated page of the pair"
        # choosing a third updates the view and the URL; a fourth is not offered
        page.locator("tr#entry-dramatiq .pick input").check()
        assert page.evaluate(SIDE_JS)["names"] == ["Celery", "RQ (Redis Queue)", "Dramatiq"]
        assert "compare=celery,rq,dramatiq" in page.url
        assert page.locator("tr#entry-huey .pick input").is_disabled()
        assert not page.evaluate(SIDE_JS)["wide"], "three side by side scroll sideways"
        page.locator("tr#entry-celery .pick input").uncheck()
        assert page.evaluate(SIDE_JS)["names"] == ["RQ (Redis Queue)", "Dramatiq"]
        assert "compare=rq,dramatiq" in page.url
        page.locator(".pick-bar button").click()  # Clear
        assert page.evaluate(SIDE_JS) is None and "compare=" not in page.url
    finally:
        context.close()
    assert not watch.page_errors, f"JavaScript errors: {watch.page_errors}"
