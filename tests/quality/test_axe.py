"""axe-core, injected into Chromium, finds no serious or critical violation on any page,
in the light and in the dark colour scheme (prefers-color-scheme emulated)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.quality.browsing import new_context, open_page
from tests.quality.conftest import StaticServer
from tests.quality.tools import VIEWPORTS, require_axe

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}

RUN_AXE_JS = """
async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(' '), html: n.html.slice(0, 160),
                                summary: (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 240)})),
  }));
}
"""

# A page with faults axe must call serious or critical: the gate checks it can see.
CANARY = """<!DOCTYPE html><html><head><title>canary</title></head><body>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<p style="color:#bbb;background:#fff">low contrast text</p>
<button></button></body></html>"""


def run_axe(page: Any, axe_js: Path, *, inject: bool = True) -> list[dict[str, Any]]:
    if inject:
        page.add_script_tag(path=str(axe_js))
    assert page.evaluate("() => typeof axe === 'object' && typeof axe.run === 'function'"), "axe not loaded"
    return list(page.evaluate(RUN_AXE_JS))


def _fmt(path: str, scheme: str, v: dict[str, Any]) -> str:
    nodes = "\n      ".join(f"{n['target']}  {n['html']}\n        {n['summary']}" for n in v["nodes"][:6])
    more = f"\n      ... and {len(v['nodes']) - 6} more" if len(v["nodes"]) > 6 else ""
    return f"{path} [{scheme}] {v['impact']}: {v['id']} ({v['help']})\n      {nodes}{more}"


DARK_ONLY_FAULT = """<!DOCTYPE html><html lang="en"><head><title>dark canary</title><style>
p { color: #111; background: #fff; }
@media (prefers-color-scheme: dark) { p { color: #222; background: #000; } }
</style></head><body><main><p>readable only in light</p></main></body></html>"""


def test_axe_sees_a_broken_page(browser: Any) -> None:
    axe_js = require_axe()
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content(CANARY)
        ids = {v["id"] for v in run_axe(page, axe_js) if v["impact"] in BLOCKING}
        assert {"image-alt", "button-name", "color-contrast"} <= ids, f"axe found only {ids}"

        page.set_content(DARK_ONLY_FAULT)
        page.emulate_media(color_scheme="light")
        light = {v["id"] for v in run_axe(page, axe_js) if v["impact"] in BLOCKING}
        page.emulate_media(color_scheme="dark")
        dark = {v["id"] for v in run_axe(page, axe_js, inject=False) if v["impact"] in BLOCKING}
    finally:
        context.close()
    assert "color-contrast" not in light, f"light scheme: {light}"
    assert "color-contrast" in dark, f"the dark scheme's contrast fault went unseen: {dark}"


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_no_serious_accessibility_violations(
    browser: Any, site_server: StaticServer, html_pages: list[str], viewport: str
) -> None:
    """Each page is loaded once per viewport, axe injected once, then run in light and in dark."""
    axe_js = require_axe()
    found: list[str] = []
    context, watch = new_context(browser, site_server.url, viewport=VIEWPORTS[viewport])
    try:
        for path in html_pages:
            page = open_page(context, watch, path)
            injected = False
            for scheme in ("light", "dark"):
                page.emulate_media(color_scheme=scheme)
                assert page.evaluate(f"matchMedia('(prefers-color-scheme: {scheme})').matches")
                violations = run_axe(page, axe_js, inject=not injected)
                injected = True
                where = f"{path} @ {viewport}"
                found += [_fmt(where, scheme, v) for v in violations if v["impact"] in BLOCKING]
            page.close()
    finally:
        context.close()
    found += [f"request outside the site: {url}" for url in watch.outside]
    assert not found, f"{len(found)} serious/critical axe violation(s):\n  " + "\n  ".join(found)
