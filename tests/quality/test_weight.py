"""The guide page with everything it loads weighs at most 100 KB over the wire and asks
nothing of any host but the site's own."""

from __future__ import annotations

from typing import Any

import pytest

from tests.quality.browsing import new_context, open_page
from tests.quality.conftest import StaticServer
from tests.quality.tools import VIEWPORTS

pytestmark = pytest.mark.browser

GUIDE = "task-queues.html"
BUDGET = 100 * 1024


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_guide_page_weight_and_no_outside_requests(
    browser: Any, site_server: StaticServer, html_pages: list[str], viewport: str
) -> None:
    assert GUIDE in html_pages, f"no {GUIDE} in the build"
    context, watch = new_context(browser, site_server.url, viewport=VIEWPORTS[viewport])
    try:
        mark = site_server.mark()
        page = open_page(context, watch, GUIDE)  # a fresh context: cold cache
        page.wait_for_load_state("networkidle")
        # Scroll to the end so lazily loaded images are counted too.
        page.evaluate("window.scrollTo(0, document.scrollingElement.scrollHeight)")
        page.wait_for_load_state("networkidle")
        served = site_server.since(mark)
    finally:
        context.close()

    hosts = {s.host for s in served}
    total = sum(s.nbytes for s in served)
    table = "\n  ".join(f"{s.nbytes:>8} B  {s.path}" for s in sorted(served, key=lambda s: -s.nbytes))
    print(f"\n{GUIDE} @ {viewport}: {total} B over the wire (headers included)\n  {table}")
    assert any(s.path.lstrip("/").startswith(GUIDE) for s in served), "the server never saw the page"
    problems = [f"asks a host other than the site: {url}" for url in watch.outside]
    if not hosts <= {site_server.url.removeprefix("http://")}:
        problems.append(f"unexpected Host headers: {hosts}")
    problems += [f"HTTP {s.status} for {s.path}" for s in served if s.status >= 400]
    if total > BUDGET:
        problems.append(f"loads {total} B > {BUDGET} B budget:\n  {table}")
    assert not problems, f"{GUIDE} @ {viewport}:\n  " + "\n  ".join(problems)
