"""axe-core, injected into Chromium, finds no serious or critical violation on any page,
in the light and in the dark colour scheme (prefers-color-scheme emulated)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from tests.quality.sweep import DARK_RULES, SCHEMES, Visit, run_axe
from tests.quality.tools import REPO, VIEWPORTS, require_axe

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}

# A page with faults axe must call serious or critical: the gate checks it can see.
CANARY = """<!DOCTYPE html><html><head><title>canary</title></head><body>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<p style="color:#bbb;background:#fff">low contrast text</p>
<button></button></body></html>"""


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
    sweeps: Callable[[str], dict[str, Visit]], viewport: str
) -> None:
    """Every page, at each viewport, in light and in dark (axe is the sweep tab's init script)."""
    require_axe()
    found: list[str] = []
    visits = sweeps(viewport)
    for path, record in visits.items():
        assert set(record.axe) == set(SCHEMES), f"{path}: axe ran for {sorted(record.axe)}"
        for scheme, violations in record.axe.items():
            found += [_fmt(f"{path} @ {viewport}", scheme, v) for v in violations if v["impact"] in BLOCKING]
        found += [f"{path}: request outside the site: {url}" for url in record.outside]
    assert not found, f"{len(found)} serious/critical axe violation(s):\n  " + "\n  ".join(found)


# What a dark-scheme block may set: colours only. Then the dark scheme can fail only axe's colour
# rules (sweep.DARK_RULES), the only ones the sweeps run in it.
COLOUR_PROPERTY = re.compile(
    r"--[\w-]+|color|background(-color)?|border(-\w+)?-color|outline-color|fill|stroke")
DARK_BLOCK = re.compile(r"@media\s*\(prefers-color-scheme:\s*dark\)\s*\{((?:[^{}]*\{[^{}]*\})*)\s*\}")


def test_the_dark_scheme_changes_colours_only() -> None:
    css = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "theme" / "static").rglob("*.css"))
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    blocks = DARK_BLOCK.findall(css)
    assert blocks and len(blocks) == css.count("prefers-color-scheme: dark"), "a dark block was not read"
    declarations = [d.strip() for block in blocks for body in re.findall(r"\{([^{}]*)\}", block)
                    for d in body.split(";") if d.strip()]
    assert declarations
    other = [d for d in declarations if not COLOUR_PROPERTY.fullmatch(d.split(":", 1)[0].strip())]
    assert not other, f"the dark scheme changes more than colours, so axe must run all rules in it: {other}"
    assert "color-contrast" in DARK_RULES
