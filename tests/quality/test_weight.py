"""Weight and height: the guide, the projects page, every side-by-side page and every project's own
page load at most their budget over the wire and ask nothing of any host but the site's own; the
projects page is at most 100 KB of HTML and at most 15 phone screens (640 px) tall at 360 px wide."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.quality.browsing import new_context, open_page
from tests.quality.conftest import StaticServer
from tests.quality.sweep import Visit
from tests.quality.tools import VIEWPORTS

pytestmark = pytest.mark.browser

GUIDE = "task-queues.html"
PROJECTS = "projects.html"
KB = 1024
# Everything a page loads (HTML, CSS, scripts, images; headers included), cold cache. The projects
# page has its own: 100 KB of HTML (HTML_BUDGET) plus the stylesheet and its script.
BUDGET = 100 * KB
PROJECTS_BUDGET = 150 * KB
HTML_BUDGET = 100 * KB
SCREEN = 640
MAX_SCREENS = 15


def gated(html_pages: list[str]) -> list[str]:
    return [GUIDE, PROJECTS] + [p for p in html_pages if p.startswith(("compare/", "projects/"))]


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_page_weight_and_no_outside_requests(
    sweeps: Callable[[str], dict[str, Visit]], html_pages: list[str], viewport: str
) -> None:
    pages = gated(html_pages)
    assert GUIDE in html_pages and PROJECTS in html_pages, "no guide or projects page in the build"
    assert len(pages) >= 2 + 8 or not any(p.startswith("compare/") for p in html_pages)
    assert any(p.startswith("projects/") for p in pages), "no project's own page in the build"
    visits = sweeps(viewport)  # each page in a fresh context: a cold cache
    problems: list[str] = []
    for path in pages:
        if path not in visits:
            continue  # a generated page the empty-store sweep leaves to its siblings (swept_pages)
        record = visits[path]
        served = record.served
        hosts = {s.host for s in served}
        total = sum(s.nbytes for s in served)
        html = sum(s.nbytes for s in served if s.path.lstrip("/").split("?")[0] == path)
        table = "\n    ".join(f"{s.nbytes:>8} B  {s.path}" for s in sorted(served, key=lambda s: -s.nbytes))
        print(f"\n{path} @ {viewport}: {total} B over the wire, {html} B of HTML (headers included)")
        assert html, f"the server never saw {path}"
        budget = PROJECTS_BUDGET if path == PROJECTS else BUDGET
        problems += [f"{path}: asks a host other than the site: {url}" for url in record.outside]
        if not hosts <= {record.host}:
            problems.append(f"{path}: unexpected Host headers: {hosts}")
        problems += [f"{path}: HTTP {s.status} for {s.path}" for s in served if s.status >= 400]
        if total > budget:
            problems.append(f"{path} loads {total} B > {budget} B budget:\n    {table}")
        if html > HTML_BUDGET:
            problems.append(f"{path} is {html} B of HTML > {HTML_BUDGET} B")
    assert not problems, f"@ {viewport}:\n  " + "\n  ".join(problems)


def test_projects_page_is_at_most_fifteen_phone_screens_tall(
    browser: Any, site_server: StaticServer, html_pages: list[str]
) -> None:
    """With the script on (filters closed, as a phone reader first sees them) and without it."""
    heights = {}
    for script in (True, False):
        context, watch = new_context(browser, site_server.url, viewport={"width": 360, "height": SCREEN},
                                     java_script_enabled=script)
        try:
            page = open_page(context, watch, PROJECTS)
            heights[script] = page.evaluate("document.scrollingElement.scrollHeight")
            rows = page.locator("tr[data-project]").count()
        finally:
            context.close()
    print(f"\n{PROJECTS} @ 360 px: {heights[True]} px with the script, {heights[False]} px without "
          f"({heights[True] / SCREEN:.1f} screens of {SCREEN} px, {rows} projects)")
    assert rows >= 10
    for script, height in heights.items():
        assert height <= MAX_SCREENS * SCREEN, (
            f"{PROJECTS} is {height} px tall at 360 px ({'with' if script else 'without'} JavaScript): "
            f"{height / SCREEN:.1f} screens of {SCREEN} px > {MAX_SCREENS}")
