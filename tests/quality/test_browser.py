"""The built site in a real headless Chromium: layout, navigation, anchors, no-JS parity.

Every page of the build is opened at a phone and a desktop viewport; a full-page
screenshot of each goes to test-artifacts/screenshots/<build>/<viewport>/.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from tests.quality.browsing import OVERFLOW_JS, new_context, open_page
from tests.quality.conftest import StaticServer, artifact_name, screenshot_dir
from tests.quality.tools import REPO, VIEWPORTS

pytestmark = pytest.mark.browser

VIEWPORT_IDS = list(VIEWPORTS)


@pytest.mark.parametrize("viewport", VIEWPORT_IDS)
def test_every_page_fits_the_viewport(
    browser: Any, site_server: StaticServer, html_pages: list[str], artifacts: Path, viewport: str,
    request: pytest.FixtureRequest,
) -> None:
    """No horizontal scroll: document.scrollingElement.scrollWidth <= innerWidth, on every page.
    A full-page screenshot of each goes to test-artifacts/screenshots/<build>/<viewport>/."""
    build = request.node.callspec.params["site_dir"]
    shots = screenshot_dir(artifacts, request, viewport)
    context, watch = new_context(browser, site_server.url, viewport=VIEWPORTS[viewport])
    problems: list[str] = []
    try:
        for path in html_pages:
            page = open_page(context, watch, path)
            shot = shots / f"{artifact_name(path)}.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 0
            result = page.evaluate(OVERFLOW_JS)
            if result["scrollWidth"] > result["innerWidth"]:
                culprits = "\n      ".join(result["culprits"]) or "(no element found)"
                problems.append(
                    f"[{build}] {path} @ {viewport}: scrollWidth {result['scrollWidth']} > innerWidth "
                    f"{result['innerWidth']}; sticking out:\n      {culprits}"
                )
            page.close()
    finally:
        context.close()
    assert not problems, "horizontal scrolling:\n  " + "\n  ".join(problems)
    assert not watch.outside, f"requests outside the site: {watch.outside}"
    assert not watch.failed, f"failed requests: {watch.failed}"
    assert not watch.page_errors, f"JavaScript errors: {watch.page_errors}"


def _main_nav_links(page: Any) -> list[tuple[str, str]]:
    nav = page.locator("header nav, nav[aria-label='Main']").first
    assert nav.count() == 1, f"{page.url}: no site navigation (<header> <nav> or nav[aria-label=Main])"
    links = nav.locator("a[href]")
    return [(links.nth(i).inner_text().strip(), links.nth(i).get_attribute("href") or "")
            for i in range(links.count())]


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


IN_VIEW_JS = """
(el) => {
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0
    && r.left < window.innerWidth && r.top < window.innerHeight;
}
"""

SCROLLED_TO_JS = """
(id) => {
  const el = document.getElementById(id);
  if (!el) return {exists: false};
  const r = el.getBoundingClientRect();
  const se = document.scrollingElement;
  const atBottom = window.scrollY + window.innerHeight >= se.scrollHeight - 2;
  return {exists: true, top: r.top, bottom: r.bottom, innerHeight: window.innerHeight, atBottom,
          hash: location.hash};
}
"""


@pytest.mark.parametrize("viewport", VIEWPORT_IDS)
def test_in_page_links_land_on_their_anchor(
    browser: Any, site_server: StaticServer, html_pages: list[str], viewport: str
) -> None:
    """Skip link, table of contents and every other same-page #link: click it, land on the target."""
    context, watch = new_context(browser, site_server.url, viewport=VIEWPORTS[viewport])
    problems: list[str] = []
    toc_links = 0
    toc_pages: set[str] = set()
    checked = 0
    try:
        for path in html_pages:
            page = open_page(context, watch, path)
            anchors = page.locator("a[href^='#']:not([href='#'])")
            hrefs = [anchors.nth(i).get_attribute("href") or "" for i in range(anchors.count())]
            in_toc = page.locator("nav.toc a[href^='#'], nav[aria-label='Contents'] a[href^='#']").count()
            toc_links += in_toc
            if in_toc:
                toc_pages.add(path)
            for i, href in enumerate(hrefs):
                target = href[1:]
                link = anchors.nth(i)
                if link.evaluate("(a) => a.getClientRects().length === 0"):
                    continue  # not rendered at this width (the projects table on a phone)
                link.scroll_into_view_if_needed()
                if link.evaluate(IN_VIEW_JS):
                    link.click()
                else:
                    # A skip link shows on focus only: use it as a keyboard user would.
                    link.focus()
                    if not link.evaluate(IN_VIEW_JS):
                        problems.append(f"{path} @ {viewport}: link {href} is off-screen even when focused")
                        continue
                    page.keyboard.press("Enter")
                page.wait_for_function("(h) => location.hash === h", arg=href, timeout=5000)
                state = page.evaluate(SCROLLED_TO_JS, target)
                checked += 1
                if not state["exists"]:
                    problems.append(f"{path}: {href} has no element with id={target!r}")
                elif not (-2 <= state["top"] <= state["innerHeight"] * 0.5 or state["atBottom"]):
                    problems.append(
                        f"{path} @ {viewport}: after clicking {href} its target is at "
                        f"top={state['top']:.0f}px of a {state['innerHeight']}px viewport"
                    )
            page.close()
    finally:
        context.close()
    assert checked > 0, "no same-page link on any page (not even the skip link)"
    for path in pages_wanting_toc():
        if path in html_pages and path not in toc_pages:
            problems.append(f"{path}: its source says `toc: true` but the page has no table of contents")
    assert not problems, f"in-page links ({checked} clicked, {toc_links} in tables of contents):\n  " + (
        "\n  ".join(problems)
    )


CONTENT_JS = """
() => {
  const main = document.querySelector('main') || document.body;
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  return {
    ids: [...main.querySelectorAll('[id]')].filter(visible).map((e) => e.id),
    links: [...main.querySelectorAll('a[href]')].filter(visible).map((a) => a.getAttribute('href')),
    headings: [...main.querySelectorAll('h1,h2,h3,h4,h5,h6')].filter(visible)
                .map((h) => h.textContent.trim().replace(/\\s+/g, ' ')),
    entries: [...main.querySelectorAll('.entry, [data-entry], tbody tr')].filter(visible).length,
  };
}
"""


def test_every_page_is_complete_without_javascript(
    browser: Any, site_server: StaticServer, html_pages: list[str]
) -> None:
    """With JavaScript disabled each page shows the same entries, links and headings."""
    with_js, watch = new_context(browser, site_server.url, viewport=VIEWPORTS["1280x800"])
    no_js, watch_no = new_context(browser, site_server.url, viewport=VIEWPORTS["1280x800"],
                                  java_script_enabled=False)
    problems: list[str] = []
    try:
        for path in html_pages:
            a = open_page(with_js, watch, path)
            b = open_page(no_js, watch_no, path)
            full = a.evaluate(CONTENT_JS)
            # Evaluation from the test still runs with page scripts disabled.
            bare = b.evaluate(CONTENT_JS)
            assert b.evaluate("() => document.querySelectorAll('main, body').length") >= 1
            for key in ("ids", "links", "headings"):
                lost = sorted(set(full[key]) - set(bare[key]))
                if lost:
                    problems.append(f"{path}: without JavaScript these {key} are missing: {lost[:10]}")
            if bare["entries"] < full["entries"]:
                problems.append(
                    f"{path}: {bare['entries']} entries without JavaScript, {full['entries']} with"
                )
            a.close()
            b.close()
    finally:
        with_js.close()
        no_js.close()
    assert not problems, "pages depend on JavaScript:\n  " + "\n  ".join(problems)


# --- JavaScript features -------------------------------------------------------------------------
# Each script the theme ships must have a browser test here: name -> the test that covers it.
KNOWN_SCRIPTS = {
    "projects.js": "test_projects_filters_and_sorting_work",
    # the search page's script and the two of Pagefind's bundle it loads (plugins/search)
    "search.js": "test_search.test_search_finds_the_right_entries",
    "pagefind.js": "test_search.test_search_finds_the_right_entries",
    "pagefind-worker.js": "test_search.test_search_finds_the_right_entries",
}

CARDS_JS = """() => [...document.querySelectorAll('ul.catalog-projects > li[data-project]')]
  .filter((li) => !li.hidden).map((li) => ({id: li.dataset.project, name: li.dataset.name,
    stars: parseFloat(li.dataset.stars), features: li.dataset.features.split(' '),
    brokers: li.dataset.brokers.split(' ')}))"""
ROWS_JS = """() => [...document.querySelectorAll('table.compare tbody tr')].filter((tr) => !tr.hidden)
  .map((tr) => ({id: tr.dataset.project, name: tr.dataset.name, stars: parseFloat(tr.dataset.stars)}))"""
# the order a reader sees in the table; the cards keep the same order within each group
NAME_ORDER_JS = """(names) => names.every((n, i) => i === 0 || names[i - 1].localeCompare(n) <= 0)"""


def test_every_script_has_a_browser_test(site_dir: Path, html_pages: list[str]) -> None:
    scripts = {p.name for p in site_dir.rglob("*.js")}
    untested = sorted(scripts - set(KNOWN_SCRIPTS))
    assert not untested, f"scripts with no browser test in {__name__}.KNOWN_SCRIPTS: {untested}"


def test_projects_filters_and_sorting_work(browser: Any, site_server: StaticServer,
                                           html_pages: list[str]) -> None:
    page_path = "projects.html"
    assert page_path in html_pages
    no_js, watch_no = new_context(browser, site_server.url, java_script_enabled=False)
    try:
        page = open_page(no_js, watch_no, page_path)
        bare = page.evaluate(CARDS_JS)
        bare_rows = page.evaluate(ROWS_JS)
        assert len(bare) >= 2, "too few projects listed without JavaScript"
        assert sorted(r["id"] for r in bare_rows) == sorted(c["id"] for c in bare), "table and cards differ"
        assert not page.locator("form[data-projects-filters]").is_visible(), (
            "filter controls are shown without JavaScript, where they cannot work")
    finally:
        no_js.close()
    stars = [r["stars"] for r in bare_rows]
    assert stars == sorted(stars, reverse=True), f"the no-JavaScript order is not most stars first: {stars}"

    context, watch = new_context(browser, site_server.url, viewport=VIEWPORTS["1280x800"])
    try:
        page = open_page(context, watch, page_path)
        form = page.locator("form[data-projects-filters]")
        if form.count() == 0:
            pytest.skip("projects.html has nothing to filter or sort (no facts, no GitHub data)")
        assert form.is_visible(), "no visible filters with JavaScript on"
        assert "All" in page.locator(".filter-count").inner_text()
        page.select_option("select[name=sort]", "name")
        names = [r["name"] for r in page.evaluate(ROWS_JS)]
        assert page.evaluate(NAME_ORDER_JS, names), f"sort by name: {names}"
        default_sort = page.locator("select[name=sort] option").first.get_attribute("value")
        assert ("sort=name" in page.url) == (default_sort != "name"), page.url  # the default stays implicit
        rows = [r["id"] for r in page.evaluate(ROWS_JS)]
        assert sorted(rows) == sorted(c["id"] for c in page.evaluate(CARDS_JS)), "table and cards disagree"
        boxes = page.locator("input[name=has]")
        if boxes.count():
            key = boxes.first.get_attribute("value")
            boxes.first.check()
            shown = page.evaluate(CARDS_JS)
            assert shown and all(key in c["features"] for c in shown), (key, shown)
            assert f"has={key}" in page.url
            count = page.locator(".filter-count").inner_text()
            assert f"{len(shown)} of {len(bare)}" in count or "All" in count
            # a shared URL restores the view
            again = open_page(context, watch, page.url.replace(site_server.url, ""))
            assert again.locator(f"input[name=has][value={key}]").is_checked()
            assert again.evaluate(CARDS_JS) == shown
            assert sorted(r["id"] for r in again.evaluate(ROWS_JS)) == sorted(c["id"] for c in shown)
        brokers = page.locator("select[name=broker] option")
        if brokers.count() > 1:
            value = brokers.nth(1).get_attribute("value")
            page.select_option("select[name=broker]", value)
            assert all(value in c["brokers"] for c in page.evaluate(CARDS_JS))
    finally:
        context.close()
    assert not watch.page_errors, f"JavaScript errors: {watch.page_errors}"
