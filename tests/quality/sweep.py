"""One visit per page and viewport, shared by the browser gates.

The layout, accessibility, weight, in-page link, search and no-JavaScript gates each used to
open every page on their own (and the layout gate took a full-page screenshot of each): up to
five loads of every page per viewport, the most expensive part of the test suite. A sweep opens
each page once per viewport (in one tab per chunk of pages, with the HTTP cache off, so the bytes
it counts are what a first visit costs) and records what each gate asserts on:

- the requests and their bytes (after scrolling to the end, so lazy images count), requests
  outside the site, failed requests and script errors;
- whether the page runs any script of its own; at 1280 px, for a page that does, the search field
  is focused and whatever that loads is recorded apart (search must load nothing until used),
  and the page is loaded again with JavaScript off;
- horizontal overflow, the page's height, its visible ids, links and headings (what the page
  must also show without JavaScript), axe-core's violations in the light and the dark scheme
  (colour rules only: the dark scheme changes colours only);
- last, as a reader would, every same-page ``#link`` is clicked (a skip link by keyboard) and
  where its target lands is recorded.

Network quiet is awaited as an event (every request started has ended and the server has
logged it), not as Playwright's half second of network idle.

The gates then assert on the records; each still fails on its own, naming page and viewport.
The sweeps of both builds and viewports run once per session, in chunks shared out among the
xdist workers (conftest.py ``sweeps``).
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tests.quality.browsing import CONTENT_JS, OVERFLOW_JS, new_context, open_page
from tests.quality.conftest import Served, StaticServer

SCHEMES = ("light", "dark")

# axe-core's run, lean: no CSS selector, ancestry or XPath of each node (the most expensive part
# of a run on a small page). Only when a page has violations is it run again with selectors, to
# name the elements in the failure message. Of axe's preloads, media only: the CSS object model
# (a third of a run) serves css-orientation-lock alone, an experimental rule a run leaves out.
RUN_AXE_JS = """
async ([rules, lean]) => {
  const options = {resultTypes: ['violations'], preload: {assets: ['media']}};
  if (lean) Object.assign(options, {selectors: false, ancestry: false, xpath: false, elementRef: false});
  if (rules) options.runOnly = {type: 'rule', values: rules};
  const r = await axe.run(document, options);
  return r.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: (n.target || []).join(' '), html: n.html.slice(0, 160),
                                summary: (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 240)})),
  }));
}
"""


@functools.cache
def _axe_source(axe_js: Path) -> str:
    return axe_js.read_text(encoding="utf-8") + "\n;0"


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
    scripted: bool = False  # the page runs JavaScript of its own (SCRIPTED_JS)
    bare_content: dict[str, Any] | None = None  # CONTENT_JS with JavaScript off (scripted pages, 1280 px)
    toc_links: int = 0  # same-page links in a table of contents
    anchors: list[dict[str, Any]] = field(default_factory=list)  # one per same-page link clicked
    anchor_problems: list[str] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Visit:
        """A visit read back from its ``dataclasses.asdict`` form (shared between xdist workers)."""
        return cls(**{**data, "served": [Served(**s) for s in data["served"]]})


def run_axe(page: Any, axe_js: Path, *, inject: bool = True,
            rules: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is; ``rules``: only those rules. ``inject``:
    evaluate axe's source first (a sweep's tab has it as an init script instead, Tab)."""
    if inject:
        page.evaluate(_axe_source(axe_js))
    assert page.evaluate("() => typeof axe === 'object' && typeof axe.run === 'function'"), "axe not loaded"
    rules_arg = list(rules) if rules else None
    violations = list(page.evaluate(RUN_AXE_JS, [rules_arg, True]))
    return list(page.evaluate(RUN_AXE_JS, [rules_arg, False])) if violations else violations


class Requests:
    """The requests a page has started and those that ended (finished or failed): what
    "the network is quiet" means, awaited as an event instead of Playwright's 500 ms of
    network idle per wait (which was a third of the gates' time)."""

    def __init__(self, page: Any, server: StaticServer) -> None:
        self.origin = server.url
        self.mark = server.mark()
        self.started: list[str] = []
        self.ended = 0
        self.local_finished = 0  # answered by the site's server, so in its log
        page.on("request", lambda req: self.started.append(req.url))
        page.on("requestfinished", self._finished)
        page.on("requestfailed", lambda _req: self._end())

    def _end(self) -> None:
        self.ended += 1

    def _finished(self, request: Any) -> None:
        self.ended += 1
        if request.url.startswith(self.origin):
            self.local_finished += 1

    def settle(self, page: Any, server: StaticServer, *, timeout: float = 10.0) -> None:
        """Wait until every request the page started has ended and the server has logged each
        one it answered (it logs after the last byte is written). Counted since the tab opened:
        the favicon of the page before may finish after the next page has started."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            # A round trip to the page lets Playwright deliver the request events fired so far.
            page.evaluate("() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)))")
            if self.ended >= len(self.started) and len(server.since(self.mark)) >= self.local_finished:
                return
            time.sleep(0.005)
        raise AssertionError(f"{page.url}: requests still open after {timeout:.0f} s: "
                             f"{len(self.started)} started, {self.ended} ended")


# Whether a page runs any JavaScript of its own: without it, the page is the same with scripts off
# and nothing it does can fetch anything when a field gets focus.
SCRIPTED_JS = """
() => document.scripts.length > 0 || [...document.querySelectorAll('*')].some((el) =>
  [...el.attributes].some((a) => /^on/i.test(a.name) || /^\\s*javascript:/i.test(a.value)))
"""

IMAGES_LOADED_JS = """
() => Promise.all([...document.images].filter((img) => !img.complete).map((img) =>
  new Promise((done) => { img.addEventListener('load', done); img.addEventListener('error', done); })))
"""

# Only colours change with the colour scheme (the dark block of site.css sets colour custom
# properties, checked by test_axe.py), so in the dark scheme axe runs its colour rules only.
DARK_RULES = ("color-contrast", "link-in-text-block")


class Tab:
    """One browser page that a sweep's visits share, and what it saw: reusing it spares a
    renderer process per visit (the most expensive part of a visit after axe). Its context
    routes every request (browsing.new_context), and routing turns Playwright's HTTP cache
    off, so each visit still fetches everything a first visit fetches."""

    def __init__(self, browser: Any, server: StaticServer, viewport: dict[str, int], *,
                 axe_js: Path | None = None, **options: Any) -> None:
        self.context, self.watch = new_context(browser, server.url, viewport=viewport, **options)
        if axe_js is not None:
            # In every page the tab opens, before the page's own scripts: sent to the browser once,
            # where evaluating it per visit sent its 650 kB through the driver each time.
            self.context.add_init_script(script=_axe_source(axe_js))
        self.page = self.watch.attach(self.context.new_page())
        self.requests = Requests(self.page, server)

    def close(self) -> None:
        self.context.close()


def _since(items: list[str], start: int) -> list[str]:
    return list(items[start:])


def visit(tab: Tab, server: StaticServer, path: str, axe_js: Path | None, bare: Tab | None = None) -> Visit:
    """``path`` opened in ``tab`` (which has axe as an init script when ``axe_js`` is given): what
    it loaded and how it looks; with ``bare`` (a tab with JavaScript off), whether it runs scripts
    and, if so, what it shows without them and what focusing the search field fetches."""
    page, watch, requests = tab.page, tab.watch, tab.requests
    record = Visit(path, host=server.url.removeprefix("http://"))
    counts = len(watch.outside), len(watch.failed), len(watch.page_errors)
    mark = server.mark()
    open_page(tab.context, watch, path, page=page)
    record.scripted = bool(page.evaluate(SCRIPTED_JS))
    # Scroll to the end so lazily loaded images are counted too, then wait for them.
    page.evaluate("window.scrollTo(0, document.scrollingElement.scrollHeight)")
    page.evaluate(IMAGES_LOADED_JS)
    requests.settle(page, server)
    record.served = server.since(mark)
    page.evaluate("window.scrollTo(0, 0)")
    field_ = page.locator("#site-search-q")
    if bare is not None and record.scripted and field_.count():
        before = len(requests.started)
        field_.focus()  # a plain form: even focus fetches nothing
        requests.settle(page, server)
        record.search_loads = [urlsplit(u).path for u in requests.started[before:]]
        page.evaluate("document.activeElement && document.activeElement.blur()")
    record.overflow = page.evaluate(OVERFLOW_JS)
    record.height = page.evaluate("document.scrollingElement.scrollHeight")
    record.content = page.evaluate(CONTENT_JS)
    if axe_js is not None:
        for scheme in SCHEMES:
            page.emulate_media(color_scheme=scheme)
            assert page.evaluate(f"matchMedia('(prefers-color-scheme: {scheme})').matches")
            record.axe[scheme] = run_axe(page, axe_js, inject=False,
                                         rules=DARK_RULES if scheme == "dark" else None)
        page.emulate_media(color_scheme="light")
    _click_in_page_links(page, record)
    requests.settle(page, server)
    record.outside = _since(watch.outside, counts[0])
    # The browser asks for the favicon after load, at a moment of its own: when that is after the
    # last settle, the next visit's navigation aborts it. Any other failure counts.
    record.failed = [f for f in _since(watch.failed, counts[1])
                     if not (f.endswith("net::ERR_ABORTED") and "favicon" in f.rsplit(":", 1)[0])]
    record.page_errors = _since(watch.page_errors, counts[2])
    if bare is not None and record.scripted:
        open_page(bare.context, bare.watch, path, page=bare.page)
        record.bare_content = bare.page.evaluate(CONTENT_JS)  # evaluation still runs with scripts off
    return record


def sweep(browser: Any, server: StaticServer, pages: list[str], viewport: dict[str, int],
          axe_js: Path | None, *, without_js: bool = False) -> dict[str, Visit]:
    """Each of ``pages`` visited at ``viewport`` in one tab; ``without_js``: the scripted ones
    also without JavaScript, and with the search field focused."""
    tab = Tab(browser, server, viewport, axe_js=axe_js)
    bare = Tab(browser, server, viewport, java_script_enabled=False) if without_js else None
    try:
        return {path: visit(tab, server, path, axe_js, bare) for path in pages}
    finally:
        tab.close()
        if bare is not None:
            bare.close()


# Every same-page link clicked in turn, in the page: brought into view and focused (a skip link
# shows on focus only), hit-tested at the centre of its first box (a link under a sticky header
# or another box is one a reader cannot click), clicked, and where its target then sits. One
# round trip per page: driving each click from Playwright cost more than the rest of a visit.
# No frame is awaited: reading a box or hit-testing brings style, layout and scroll up to date
# first, and a same-page link scrolls its target into place when clicked (waiting two frames
# per step gave the same figures on every page, in five times as long).
IN_PAGE_LINKS_JS = """
async () => {
  const describe = (el) => el ? el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.classList.length ? '.' + [...el.classList].join('.') : '') : 'nothing';
  const out = [];
  for (const a of document.querySelectorAll("a[href^='#']:not([href='#'])")) {
    const href = a.getAttribute('href');
    if (a.getClientRects().length === 0 || !a.checkVisibility({visibilityProperty: true})) continue;
    a.scrollIntoView({block: 'nearest'});
    a.focus();
    const r = a.getClientRects()[0];  // a link broken over two lines: its first box, as a click aims
    if (!(r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0
          && r.left < innerWidth && r.top < innerHeight)) {
      out.push({href, problem: 'is off-screen even when focused'});
      continue;
    }
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    if (!hit || !(hit === a || a.contains(hit))) {
      out.push({href, problem: `is covered by ${describe(hit)} at its centre`});
      continue;
    }
    const before = location.hash;
    const changed = new Promise((r) => {
      addEventListener('hashchange', r, {once: true});
      setTimeout(r, 2000);
    });
    a.click();
    if (before !== href) await changed;
    const el = document.getElementById(decodeURIComponent(href.slice(1)));
    if (!el) { out.push({href, exists: false}); continue; }
    const t = el.getBoundingClientRect();
    const se = document.scrollingElement;
    out.push({href, exists: true, top: t.top, bottom: t.bottom, innerHeight: innerHeight,
              atBottom: scrollY + innerHeight >= se.scrollHeight - 2, hash: location.hash});
  }
  return out;
}
"""

TOC_LINKS = "nav.toc a[href^='#'], nav[aria-label='Contents'] a[href^='#']"


def _click_in_page_links(page: Any, record: Visit) -> None:
    """Skip link, table of contents and every other same-page #link: clicked as a reader would,
    and where its target landed (IN_PAGE_LINKS_JS)."""
    path = record.path
    record.toc_links = page.locator(TOC_LINKS).count()
    for state in page.evaluate(IN_PAGE_LINKS_JS):
        href = state["href"]
        if "problem" in state:
            record.anchor_problems.append(f"{path}: link {href} {state['problem']}")
            continue
        record.anchors.append(state)
        if not state["exists"]:
            record.anchor_problems.append(f"{path}: {href} has no element with id={href[1:]!r}")
        elif state["hash"] != href:
            record.anchor_problems.append(f"{path}: clicking {href} left the address at {state['hash']!r}")
        elif not (-2 <= state["top"] <= state["innerHeight"] * 0.5 or state["atBottom"]):
            record.anchor_problems.append(
                f"{path}: after clicking {href} its target is at top={state['top']:.0f}px of a "
                f"{state['innerHeight']}px viewport")
