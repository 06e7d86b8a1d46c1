"""The sweep (sweep.py) sees what its gates fail on: pages with known faults, swept the way the
site's pages are, must come back with those faults recorded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.quality.conftest import serving
from tests.quality.sweep import sweep
from tests.quality.tools import VIEWPORTS, require_axe

pytestmark = pytest.mark.browser

FILLER = "<p>Filler.</p>" * 60

# Same-page links a reader cannot use, and two that work (the skip link shows on focus only).
LINKS = f"""<!DOCTYPE html><html lang="en"><head><title>links</title><style>
.skip:not(:focus) {{ position: absolute; left: -9999px; }}
.skip:focus {{ position: fixed; top: 0; left: 0; z-index: 2; background: #ff0; }}
#cover {{ position: fixed; top: 0; left: 0; width: 100%; height: 120px; background: #fff; }}
#low {{ scroll-margin-top: 600px; }}
</style></head><body>
<a class="skip" href="#main">Skip to content</a>
<div id="cover"><a href="#main">under nothing</a></div>
<main id="main" style="padding-top: 140px">
<p><a href="#gone">to nowhere</a> <a href="#low">lands low</a> <a href="#end">to the end</a></p>
{FILLER}<h2 id="low">Low</h2>{FILLER}<p>Covered: <a href="#end" style="position: fixed; top: 40px">x</a></p>
<h2 id="end">End</h2></main></body></html>"""

# Faults axe calls serious or critical, one of them in the dark scheme only.
AXE = """<!DOCTYPE html><html><head><title>axe</title><style>
p { color: #111; background: #fff; }
@media (prefers-color-scheme: dark) { p { color: #222; background: #000; } }
</style></head><body><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><button></button>
<p>readable only in light</p></body></html>"""


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("faulty")
    (root / "links.html").write_text(LINKS, encoding="utf-8")
    (root / "axe.html").write_text(AXE, encoding="utf-8")
    plain = '<!DOCTYPE html><html lang="en"><head><title>plain</title></head><body><main><h1>Fine</h1></main>'
    (root / "plain.html").write_text(plain + "</body></html>", encoding="utf-8")
    return root


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_sweep_clicks_every_same_page_link_and_names_those_a_reader_cannot_use(
        browser: Any, faulty: Path, viewport: str) -> None:
    with serving(faulty) as server:
        record = sweep(browser, server, ["links.html"], VIEWPORTS[viewport], None)["links.html"]
    problems = "\n".join(record.anchor_problems)

    assert "links.html: #gone has no element with id='gone'" in problems
    assert "#low its target is at top=600px" in problems.replace("after clicking ", "")
    assert "link #end is covered by div#cover at its centre" in problems
    assert len(record.anchor_problems) == 3, problems
    landed = {a["href"]: a for a in record.anchors if a["exists"]}
    assert landed["#main"]["hash"] == "#main", "the skip link, shown on focus, was not clicked"
    assert landed["#end"]["atBottom"]


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_sweep_runs_axe_in_both_schemes_on_every_page_its_tab_opens(
        browser: Any, faulty: Path, viewport: str) -> None:
    axe_js = require_axe()
    pages = ["plain.html", "axe.html"]  # axe (the tab's init script) is in the second page too
    with serving(faulty) as server:
        records = sweep(browser, server, pages, VIEWPORTS[viewport], axe_js)

    def found(scheme: str) -> set[str]:
        return {v["id"] for v in records["axe.html"].axe[scheme] if v["impact"] in {"serious", "critical"}}

    assert {"image-alt", "button-name", "html-has-lang"} <= found("light")
    assert "color-contrast" not in found("light")
    assert found("dark") == {"color-contrast"}
    assert records["plain.html"].axe == {"light": [], "dark": []}
