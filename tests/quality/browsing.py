"""Helpers shared by the browser gates: contexts that never leave loopback."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit


@dataclass
class Watch:
    """What a browser context did that a gate must see: outside requests, page errors."""

    origin: str
    outside: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def is_local(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in {"data", "blob", "about"}:
            return True
        return f"{parts.scheme}://{parts.netloc}" == self.origin

    def attach(self, page: Any) -> Any:
        page.on("pageerror", lambda exc: self.page_errors.append(f"{page.url}: {exc}"))
        page.on("console", lambda msg: msg.type == "error"
                and self.console_errors.append(f"{page.url}: {msg.text}"))
        page.on("requestfailed", lambda req: self.is_local(req.url)
                and self.failed.append(f"{req.url}: {req.failure}"))
        page.on("response", lambda resp: self.is_local(resp.url) and resp.status >= 400
                and self.failed.append(f"{resp.url}: HTTP {resp.status}"))
        return page


def new_context(browser: Any, origin: str, **options: Any) -> tuple[Any, Watch]:
    """A fresh context (cold cache) whose requests outside ``origin`` are recorded and aborted."""
    watch = Watch(origin=origin)
    context = browser.new_context(base_url=origin, **options)

    def guard(route: Any) -> None:
        url = route.request.url
        if watch.is_local(url):
            route.continue_()
        else:
            watch.outside.append(url)
            route.abort("blockedbyclient")

    context.set_default_timeout(10_000)
    context.route("**/*", guard)
    return context, watch


def open_page(context: Any, watch: Watch, path: str, *, page: Any = None) -> Any:
    """``path`` loaded in ``page`` (a new page of ``context``, watched, by default), fonts ready."""
    page = page or watch.attach(context.new_page())
    response = page.goto(path, wait_until="load")
    assert response is not None and response.ok, f"{path}: HTTP {response.status if response else '?'}"
    page.evaluate("document.fonts ? document.fonts.ready.then(() => true) : true")
    return page


# Elements that stick out to the right of the viewport, outermost first: the culprits of a
# horizontal scroll (an element whose parent also sticks out is left to its parent).
OVERFLOW_JS = """
() => {
  const iw = window.innerWidth;
  const se = document.scrollingElement;
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    if (el.classList.length) s += '.' + [...el.classList].join('.');
    return s;
  };
  const out = [];
  if (se.scrollWidth > iw) {
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.right <= iw + 0.5) continue;
      const p = el.parentElement && el.parentElement.getBoundingClientRect();
      if (p && p.right > iw + 0.5 && el.parentElement !== document.body) continue;
      const text = (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 60);
      out.push(`${describe(el)} right=${Math.round(r.right)}px "${text}"`);
      if (out.length >= 8) break;
    }
  }
  return {scrollWidth: se.scrollWidth, innerWidth: iw, culprits: out};
}
"""


# What a page shows in its <main>: the no-JavaScript gate compares this with and without scripts.
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
    // warning signs of a vitals line: [text, their colour, the line's muted colour]
    signs: [...main.querySelectorAll('.vitals .badge, .vitals .v-sign')].filter(visible).map((e) =>
      [e.textContent.trim(), getComputedStyle(e).color, getComputedStyle(e.closest('.vitals')).color]),
  };
}
"""
