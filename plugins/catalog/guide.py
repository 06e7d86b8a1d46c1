"""The guide page: our advice for today first, then the founding text, framed by where it comes from.

A page whose metadata names an ``advice`` file (``PAGE_OVERRIDES`` in pelicanconf.py gives the
guide ``advice: guide/today.md``, a path under the content folder) is shown by the ``guide``
template as two parts:

1. the advice: that Markdown file (our prose), its ``Title`` as the heading, dated by the last
   change of the file or of the projects catalog (git, else file time), with each marker
   paragraph ``[advice:KEY]`` replaced by the projects that meet the need KEY
   (``linkcheck.catalog.needs``, the same machinery as the home page) and the sourced facts that
   make each fit, or, for ``[advice:side-by-side]``, the generated side-by-side pages;
2. the page's own text, its headings one level down (its ``<h1>`` becomes the heading of the part),
   introduced by its ``origin`` metadata: who wrote it, when, and the document it is kept from.

The page's own source is not touched: the founding text stays word for word. Every project named
in the advice is a catalog entry; every reason is one of its facts with the fact's source.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown.extensions.toc import slugify
from pelican.readers import MarkdownReader

from linkcheck.catalog import Catalog, CatalogError, Entry, Fact, did_you_mean
from linkcheck.catalog.needs import NEEDS, Match, Need, match
from linkcheck.catalog.schema import BOOLEAN_FACTS, fact_label

from .compare import YES_PHRASES, _labels, _list_phrase
from .dates import last_changed

MARKER_RE = re.compile(r"<p>\s*\[advice:([^\]\s]*)\]\s*</p>")
STRAY_RE = re.compile(r"\[advice:[^\]]*\]")
SIDE_BY_SIDE = "side-by-side"
HEADING_TAG_RE = re.compile(r"<(/?)h([1-5])\b")
FIRST_HEADING_RE = re.compile(r"\s*(<h2\b[^>]*>.*?</h2>)", re.S)
ID_RE = re.compile(r'\bid="([^"]+)"')
ORIGINAL_ID = "original-guide"  # the founding text's part: the contents list links it
SHOWN = 3  # projects named per need: a short list to start from, the projects page has the rest
ORIGIN_KEYS = ("title", "site", "author", "url", "first", "last", "source")
# An editor's note (HTML, ours) shown before the founding text, outside it: what has changed since.
ORIGIN_OPTIONAL = ("note",)
TAG_RE = re.compile(r"<[^>]+>")

# What a "no" means to a reader weighing a project (the "yes" side: compare.YES_PHRASES).
NO_PHRASES: dict[str, str] = {
    "asyncio": "no async def tasks",
    "scheduling": "no periodic scheduling of its own",
    "retries": "no automatic retries",
    "priorities": "no task priorities",
    "rate_limits": "no rate limits",
    "results": "no stored task results",
    "monitoring": "no monitoring web UI",
    "in_process": "runs outside your process",
    "cron": "no cron expressions",
    "persistence": "jobs do not survive a restart",
    "durable": "no durable execution",
    "metrics": "no Prometheus metrics",
}
assert set(NO_PHRASES) == set(BOOLEAN_FACTS), "every boolean fact reads as a 'no' too"
# List facts whose compare phrase does not read as a reason on its own ("self-hosted server").
LABELLED_LISTS = ("hosting",)


@dataclass(frozen=True)
class Reason:
    """One fact behind a project's place under a need: how it reads, its answer (yes, partial,
    no, list, unknown) and the fact with its source (None: unknown, no citation)."""

    text: str
    answer: str
    fact: Fact | None


def reason(entry: Entry, key: str, catalog: Catalog | None) -> Reason:
    f = entry.facts.get(key)
    kind = entry.kind
    if f is None:
        return Reason(f"{fact_label(key, kind)}: unknown", "unknown", None)
    if f.is_list:
        values = _labels(catalog, f)
        if key in LABELLED_LISTS:
            return Reason(f"{fact_label(key, kind).lower()}: {', '.join(values)}", "list", f)
        return Reason(_list_phrase(key, kind, values), "list", f)
    if f.answer == "no":
        return Reason(NO_PHRASES[key], "no", f)
    return Reason(YES_PHRASES[key], f.answer, f)


def reasons(entry: Entry, need: Need, catalog: Catalog | None = None) -> list[Reason]:
    """The facts that make ``entry`` meet ``need``, then the ones a reader weighs for it."""
    return [reason(entry, key, catalog) for key in need.facts]


def demote(html: str) -> str:
    """Every heading one level down (h1 -> h2, ...; h6 stays): the page's text becomes a part."""
    return HEADING_TAG_RE.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", html)


HEADING_LINE_RE = re.compile(r"^#{1,6}\s+(.*?)\s*(?:\{#([^}\s]+)\})?\s*$")


def _first_line(path: Path, wanted: Callable[[str], bool]) -> int | None:
    """The 1-based number of the first line of ``path`` that is ``wanted`` (None: none, or unreadable)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    return next((number for number, line in enumerate(lines, 1) if wanted(line)), None)


def _line_of(path: Path, needle: str) -> int:
    return _first_line(path, lambda line: needle in line) or 1


def _heading_line(path: Path, anchor: str) -> int | None:
    """The line of the Markdown heading whose id is ``anchor`` ({#anchor}, or its text's slug)."""
    def wanted(line: str) -> bool:
        found = HEADING_LINE_RE.match(line)
        return bool(found) and anchor in (found.group(2), slugify(found.group(1), "-"))
    return _first_line(path, wanted)


def _metadata_line(path: Path, key: str) -> int | None:
    """The line of a Markdown file's ``Key:`` metadata."""
    return _first_line(path, lambda line: line.lower().startswith(f"{key}:"))


def _date(value: Any, what: str) -> dt.date:
    try:
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise CatalogError(Path("pelicanconf.py"), 1, f"PAGE_OVERRIDES origin {what} {value!r} is not a date",
                           "write it as YYYY-MM-DD") from exc


def origin_of(page: Any) -> dict[str, Any] | None:
    """The page's ``origin`` metadata, checked, with ``years`` ("2014–2016") from its dates."""
    origin = getattr(page, "origin", None)
    if not origin:
        return None
    allowed = {*ORIGIN_KEYS, *ORIGIN_OPTIONAL}
    if not isinstance(origin, dict) or not set(ORIGIN_KEYS) <= set(origin) <= allowed:
        got = sorted(origin) if isinstance(origin, dict) else type(origin).__name__
        raise CatalogError(Path("pelicanconf.py"), 1, f"PAGE_OVERRIDES origin of {page.slug!r} has {got}",
                           "give exactly " + ", ".join(ORIGIN_KEYS) + " (and optionally note)")
    first, last = _date(origin["first"], "first"), _date(origin["last"], "last")
    years = str(first.year) if first.year == last.year else f"{first.year}–{last.year}"
    return {"note": "", **origin, "first": first, "last": last, "years": years}


class GuideFramer:
    """Renders the advice of every page that names one; ``generator`` is the CatalogGenerator
    (its settings, Jinja environment, context and catalog)."""

    def __init__(self, generator: Any) -> None:
        self.generator = generator
        self.settings = generator.settings
        self.content_dir = Path(generator.options["content_dir"] or self.settings["PATH"])

    def frame(self, page: Any) -> None:
        advice = getattr(page, "advice", None)
        if not advice:
            return
        path = self.content_dir / str(advice)
        if not path.is_file():
            # named where it is set: the page's own metadata, else PAGE_OVERRIDES
            line = _metadata_line(Path(page.source_path), "advice")
            where = Path(page.source_path) if line else Path("pelicanconf.py")
            raise CatalogError(where, line or 1, f"advice file {advice} of {page.url} not found under "
                               f"{self.content_dir}", "name a Markdown file under the content folder")
        html, metadata = MarkdownReader(self.settings).read(str(path))
        title = str(metadata.get("title") or "").strip()
        if not title:
            raise CatalogError(path, 1, "advice file has no Title", "start it with 'Title: ...'")
        html = self._render_markers(html, path)
        catalog_files = self.generator.catalog.files if self.generator.catalog else []
        projects_files = [p for p in catalog_files if p.stem == "projects"]
        original = demote(page._content)
        head = FIRST_HEADING_RE.match(original)
        page.advice_title = title
        page.advice_id = slugify(title, "-")
        page.advice_html = html
        page.advice_toc = [item for item in self.generator._toc(html) if item["level"] == 3]
        page.advice_updated = last_changed([path, *projects_files])
        page.original_id = ORIGINAL_ID
        page.original_head = head.group(1) if head else ""
        # the contents entry starts with the heading it lands on ("Task queues: the original guide")
        page.original_title = " ".join(TAG_RE.sub("", page.original_head).split())
        page.original_body = original[head.end():] if head else original
        page.original_toc = [item for item in self.generator._toc(page._content) if item["level"] == 2]
        page.origin_info = origin_of(page)
        # the sitemap dates the page by these too (outputs.page_dates)
        page.extra_sources = [path, *projects_files]
        self._check_ids(page, path, html, original)

    def _check_ids(self, page: Any, path: Path, advice: str, original: str) -> None:
        """The two parts share one page: an id used twice would break its #links. The error names
        the heading that makes the id: in the advice file, else in the page's own source."""
        ours = ID_RE.findall(advice) + [page.advice_id, ORIGINAL_ID]
        theirs = set(ID_RE.findall(original))
        for one in ours:
            if one in theirs or ours.count(one) > 1:
                where, line = path, _heading_line(path, one)
                if line is None and one == page.advice_id:  # the advice's own heading: its Title
                    line = _metadata_line(path, "title")
                if line is None and page.source_path:
                    where, line = Path(page.source_path), _heading_line(Path(page.source_path), one)
                raise CatalogError(where, line or 1, f"id {one!r} is used twice on {page.url}",
                                   "give one of the headings another {#id}")

    def _render_markers(self, html: str, path: Path) -> str:
        keys = [*NEEDS, SIDE_BY_SIDE]

        def render(found: re.Match[str]) -> str:
            key = found.group(1)
            if key not in keys:
                raise CatalogError(path, _line_of(path, f"[advice:{key}]"), f"unknown marker [advice:{key}]",
                                   did_you_mean(key, keys) + "use one of "
                                   + ", ".join(f"[advice:{k}]" for k in keys))
            if key == SIDE_BY_SIDE:
                return self._render("partials/advice_pairs.html", comparisons=self.generator.comparisons)
            found = self.matches(key)
            shown = {e.id for e in found.entries} if found else set()
            # the generated side-by-side pages of two projects shown together
            pairs = [c for c in self.generator.comparisons if {e.id for e in c.entries} <= shown]
            return self._render("partials/advice_need.html", need=NEEDS[key], match=found, pairs=pairs,
                                reasons=lambda entry: reasons(entry, NEEDS[key], self.generator.catalog))

        html = MARKER_RE.sub(render, html)
        stray = STRAY_RE.search(html)
        if stray:
            raise CatalogError(path, _line_of(path, stray.group(0)),
                               f"marker {stray.group(0)} is not a paragraph of its own",
                               "put the marker alone on its line, with a blank line before and after")
        return html

    def matches(self, key: str) -> Match | None:
        catalog = self.generator.catalog
        found = match(catalog.section("projects") if catalog else [], (key,), limit=SHOWN)
        return found[0] if found else None

    def _render(self, template: str, **extra: Any) -> str:
        context = self.generator.context
        return self.generator.env.get_template(template).render(**context, **extra)


def frame_guides(generator: Any, pages: list[Any]) -> None:
    framer = GuideFramer(generator)
    for page in pages:
        framer.frame(page)
