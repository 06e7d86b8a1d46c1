"""One visit per page and viewport, shared by the browser gates.

The layout, accessibility, weight, in-page link, search and no-JavaScript gates each used to
open every page on their own (and the layout gate took a full-page screenshot of each): up to
five loads of every page per viewport, the most expensive part of the test suite. A sweep opens
each page once per viewport in a fresh context (a cold cache, so the bytes it counts are what a
first visit costs) and records what each gate asserts on:

- the requests and their bytes (after scrolling to the end, so lazy images count), requests
  outside the site, failed requests and script errors;
- then the search field is focused: whatever that loads is recorded apart (search must load
  nothing until used);
- horizontal overflow, the page's height, its visible ids, links and headings (what the page
  must also show without JavaScript), axe-core's violations in the light and the dark scheme;
- last, as a reader would, every same-page ``#link`` is clicked (a skip link by keyboard) and
  where its target lands is recorded.

The gates then assert on the records; each still fails on its own, naming page and viewport.
A sweep runs once per build and viewport for the whole session (conftest.py ``sweeps``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.quality.browsing import CONTENT_JS, OVERFLOW_JS, new_context, open_page
from tests.quality.conftest import Served, StaticServer

SCHEMES = ("light", "dark")

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


@dataclass
class Visit:
    path: str
    host: str = ""  # the Host the site was served as during the visit (127.0.0.1:PORT)
    served: list[Served] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    overflow: dict[str, Any] = field(default_factory=dict)
    height: int = 0
    axe: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # scheme -> violations
    search_loads: list[str] = field(default_factory=list)  # paths fetched when the field got focus
    content: dict[str, Any] = field(default_factory=dict)  # CONTENT_JS: ids, links, headings, entries
    toc_links: int = 0  # same-page links in a table of contents
    anchors: list[dict[str, Any]] = field(default_factory=list)  # one per same-page link clicked
    anchor_problems: list[str] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Visit:
        """A visit read back from its ``dataclasses.asdict`` form (shared between xdist workers)."""
        return cls(**{**data, "served": [Served(**s) for s in data["served"]]})


def run_axe(page: Any, axe_js: Path, *, inject: bool = True) -> list[dict[str, Any]]:
    if inject:
        page.add_script_tag(path=str(axe_js))
    assert page.evaluate("() => typeof axe === 'object' && typeof axe.run === 'function'"), "axe not loaded"
    return list(page.evaluate(RUN_AXE_JS))


def visit(browser: Any, server: StaticServer, path: str, viewport: dict[str, int],
          axe_js: Path | None) -> Visit:
    """``path`` opened in a fresh context at ``viewport``: what it loaded and how it looks."""
    context, watch = new_context(browser, server.url, viewport=viewport)
    record = Visit(path, host=server.url.removeprefix("http://"))
    try:
        mark = server.mark()
        page = open_page(context, watch, path)
        page.wait_for_load_state("networkidle")
        # Scroll to the end so lazily loaded images are counted too.
        page.evaluate("window.scrollTo(0, document.scrollingElement.scrollHeight)")
        page.wait_for_load_state("networkidle")
        record.served = server.since(mark)
        page.evaluate("window.scrollTo(0, 0)")
        field_ = page.locator("#site-search-q")
        if field_.count():
            mark = server.mark()
            field_.focus()  # a plain form: even focus fetches nothing
            page.wait_for_load_state("networkidle")
            record.search_loads = [s.path for s in server.since(mark)]
            page.evaluate("document.activeElement && document.activeElement.blur()")
        record.overflow = page.evaluate(OVERFLOW_JS)
        record.height = page.evaluate("document.scrollingElement.scrollHeight")
        record.content = page.evaluate(CONTENT_JS)
        if axe_js is not None:
            for scheme in SCHEMES:
                page.emulate_media(color_scheme=scheme)
                assert page.evaluate(f"matchMedia('(prefers-color-scheme: {scheme})').matches")
                record.axe[scheme] = run_axe(page, axe_js, inject=scheme == SCHEMES[0])
            page.emulate_media(color_scheme="light")
        _click_in_page_links(page, record)
    finally:
        context.close()
    record.outside, record.failed, record.page_errors = watch.outside, watch.failed, watch.page_errors
    return record


def sweep(browser: Any, server: StaticServer, pages: list[str], viewport: dict[str, int],
          axe_js: Path | None) -> dict[str, Visit]:
    return {path: visit(browser, server, path, viewport, axe_js) for path in pages}


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


def _click_in_page_links(page: Any, record: Visit) -> None:
    """Skip link, table of contents and every other same-page #link: clicked as a reader would
    (a skip link, shown on focus only, by keyboard), and where its target landed."""
    path = record.path
    anchors = page.locator("a[href^='#']:not([href='#'])")
    hrefs = [anchors.nth(i).get_attribute("href") or "" for i in range(anchors.count())]
    record.toc_links = page.locator("nav.toc a[href^='#'], nav[aria-label='Contents'] a[href^='#']").count()
    for i, href in enumerate(hrefs):
        link = anchors.nth(i)
        if link.evaluate("(a) => a.getClientRects().length === 0") or not link.is_visible():
            continue  # not rendered at this width, or inside a closed <details>
        link.scroll_into_view_if_needed()
        if link.evaluate(IN_VIEW_JS):
            link.click()
        else:
            link.focus()
            if not link.evaluate(IN_VIEW_JS):
                record.anchor_problems.append(f"{path}: link {href} is off-screen even when focused")
                continue
            page.keyboard.press("Enter")
        page.wait_for_function("(h) => location.hash === h", arg=href, timeout=5000)
        state = page.evaluate(SCROLLED_TO_JS, href[1:])
        record.anchors.append({"href": href, **state})
        if not state["exists"]:
            record.anchor_problems.append(f"{path}: {href} has no element with id={href[1:]!r}")
        elif not (-2 <= state["top"] <= state["innerHeight"] * 0.5 or state["atBottom"]):
            record.anchor_problems.append(
                f"{path}: after clicking {href} its target is at top={state['top']:.0f}px of a "
                f"{state['innerHeight']}px viewport")
