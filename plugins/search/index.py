"""The search index: what Pagefind reads, running it, and what stays in the output.

Pagefind indexes whole HTML files, and one page lists dozens of catalog entries, so the
written site is first copied into a staging folder in the form the index wants:

- each page, with ``data-pagefind-body`` on its ``<main>`` (the header, navigation and
  footer are chrome) and its catalog entries left out (``data-pagefind-ignore="all"``);
- each catalog entry as a record of its own: the entry's element from the page, under an
  ``<h1>`` with its name, and metadata ``href`` (``hosted.html#entry-redis-cloud``) and ``where``
  (the title of the page that shows it), so a result lands on the entry itself;
- except an entry with a page of its own (a project: ``projects/rq.html``): that page is its one
  result, titled with the entry's name and labelled with the page that lists it ("Projects"),
  and the entry's element on the list is left out, so a project is found once, on the page
  that holds all its words (its description, every fact and note).

Entries are found by their element id, ``entry-<catalog id>``, for ids the catalog knows:
nothing depends on how an entry is laid out inside. Every record carries ``href``, a
path from the site root, so the search page links results relative to itself.
"""

from __future__ import annotations

import copy
import logging
import os
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import lxml.html
from lxml.etree import SubElement

logger = logging.getLogger(__name__)

ENTRY_ID_PREFIX = "entry-"
# Staged entry records live here; their Pagefind URL is never shown (the `href` meta is).
RECORDS_DIR = "_search-records"
# The bundles of Pagefind's own interfaces: the theme has its own (js/search.js), so these
# are never loaded and are not published.
UNUSED_BUNDLE_FILES = (
    "pagefind-ui.js", "pagefind-ui.css",
    "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css",
    "pagefind-highlight.js",
)


@dataclass(frozen=True)
class Staged:
    pages: int  # page records, the entries' own pages among them
    entries: int  # entry records cut out of a list
    entry_pages: int = 0  # pages that are an entry's own (its one result)


@dataclass(frozen=True)
class Built:
    pages: int
    entries: int  # entries found: records cut out of a list plus entries' own pages
    files: int
    nbytes: int


def _text(element: lxml.html.HtmlElement | None) -> str:
    return " ".join((element.text_content() if element is not None else "").split())


def _meta(parent: lxml.html.HtmlElement, key: str, value: str) -> None:
    """Pagefind metadata taken from an element's text (no escaping rules to get wrong),
    kept out of the indexed words (ignore="index": metadata inside is still read)."""
    node = SubElement(parent, "p", {"data-pagefind-meta": key, "data-pagefind-ignore": "index"})
    node.text = value


def _document(lang: str, title: str) -> tuple[lxml.html.HtmlElement, lxml.html.HtmlElement]:
    doc = lxml.html.document_fromstring(
        '<html><head><meta charset="utf-8"><title></title></head>'
        "<body><main data-pagefind-body></main></body></html>")
    doc.set("lang", lang)
    doc.find(".//title").text = title
    return doc, doc.find(".//main")


def _write(doc: lxml.html.HtmlElement, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(lxml.html.tostring(doc, doctype="<!DOCTYPE html>", encoding="utf-8"))


def pages_to_index(output: Path, skip: Iterable[str], bundle: str) -> list[str]:
    """Paths (posix, relative to ``output``) of the written HTML pages the index covers."""
    skipped = set(skip)
    return [rel for rel in sorted(p.relative_to(output).as_posix() for p in output.rglob("*.html"))
            if rel not in skipped and not rel.startswith(f"{bundle}/")]


def _summaries(main: lxml.html.HtmlElement, ids: set[str]) -> list[lxml.html.HtmlElement]:
    """Table rows and list items that link to an entry on the same page (``href="#entry-rq"``):
    summaries of an entry (the projects comparison table), which the entry's record covers."""
    found = []
    for a in main.iter("a"):
        if (a.get("href") or "").removeprefix("#") in ids and a.get("href", "").startswith("#"):
            holder = next((el for el in a.iterancestors() if el.tag in {"tr", "li"}), None)
            if holder is not None and holder.get("id") not in ids:
                found.append(holder)
    return found


def stage(output: Path, staging: Path, entries: Mapping[str, str], pages: Iterable[str],
          labels: Mapping[str, str] | None = None, own_pages: Mapping[str, str] | None = None) -> Staged:
    """Write what Pagefind indexes into ``staging``. ``entries`` maps a catalog entry's element
    id (``entry-rq``) to its name; an element with an id the catalog does not know stays page text.
    ``labels``: page path -> the short name shown beside its entries (default: the page's title).
    ``own_pages``: element id -> the path of the entry's own page (``projects/rq.html``), which is
    then the entry's only result: its element on a list is left out."""
    labels = labels or {}
    own_pages = own_pages or {}
    page_of = {path: element_id for element_id, path in own_pages.items()}
    listed_on: dict[str, str] = {}  # element id -> label of the page listing an entry with its own page
    own_docs: list[tuple[str, str, lxml.html.HtmlElement, lxml.html.HtmlElement]] = []  # rel, id, doc, main
    n_pages = n_entries = 0
    for rel in pages:
        doc = lxml.html.document_fromstring((output / rel).read_bytes())
        main = next(doc.iter("main"), None)
        if main is None:
            logger.debug("search: %s has no <main>, not indexed", rel)
            continue
        lang = doc.get("lang") or "en"
        title = _text(next(main.iter("h1"), None)) or _text(doc.find(".//title"))
        found = [el for el in main.iter() if isinstance(el.tag, str) and el.get("id") in entries]
        for element in found:
            element_id = element.get("id")
            element.set("data-pagefind-ignore", "all")  # the page's record keeps its own text only
            if own_pages.get(element_id, rel) != rel:
                listed_on.setdefault(element_id, labels.get(rel) or title)  # its own page is its result
                continue
            name = entries[element_id]
            record, body = _document(lang, name)
            heading = SubElement(body, "h1", {"data-pagefind-meta": "title"})
            heading.text = name
            _meta(body, "href", f"{rel}#{element_id}")
            _meta(body, "where", labels.get(rel) or title)
            content = copy.deepcopy(element)
            content.tag = "div"  # an <li> out of its list
            content.tail = None
            content.attrib.pop("data-pagefind-ignore")
            body.append(content)
            _write(record, staging / RECORDS_DIR / Path(rel).with_suffix("") / f"{element_id}.html")
            n_entries += 1
        for summary in _summaries(main, {el.get("id") for el in found}):
            summary.set("data-pagefind-ignore", "all")
        main.set("data-pagefind-body", "")
        _meta(main, "href", rel)
        n_pages += 1
        if rel in page_of:  # an entry's own page: written once the page listing it is known
            own_docs.append((rel, page_of[rel], doc, main))
            continue
        _meta(main, "title", title)
        _write(doc, staging / rel)
    for rel, element_id, doc, main in own_docs:
        _meta(main, "title", entries[element_id])
        if element_id in listed_on:
            _meta(main, "where", listed_on[element_id])
        _write(doc, staging / rel)
    return Staged(n_pages, n_entries, len(own_docs))


def pagefind_executable() -> Path:
    """The Pagefind binary of the ``pagefind-bin`` wheel (a dependency: no download at build time)."""
    try:
        from pagefind_bin import get_executable
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise RuntimeError("search: the pagefind-bin package is missing: pip install -e .") from exc
    try:
        return Path(get_executable())
    except FileNotFoundError as exc:
        raise RuntimeError(f"search: pagefind-bin has no Pagefind binary for this platform ({exc}); "
                           "set SEARCH = {'page': None} in pelicanconf.py to build without search") from exc


def run_pagefind(staging: Path, bundle_dir: Path, exclude: list[str], timeout: float) -> str:
    """Index ``staging`` into ``bundle_dir``; returns Pagefind's log. Run from the staging folder
    and without PAGEFIND_* variables, so no pagefind.yml or environment of the machine changes
    what is built."""
    cmd = [str(pagefind_executable()), "--site", str(staging), "--output-path", str(bundle_dir)]
    if exclude:
        cmd += ["--exclude-selectors", ", ".join(exclude)]  # one comma-separated selector list
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("PAGEFIND_")}
    try:
        proc = subprocess.run(cmd, cwd=staging, env=env, capture_output=True, text=True,
                              timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        raise RuntimeError(f"search: Pagefind did not finish within {timeout:g}s") from exc
    log = f"{proc.stdout}\n{proc.stderr}".strip()
    if proc.returncode != 0:
        tail = "\n".join(log.splitlines()[-20:])
        raise RuntimeError(f"search: Pagefind failed (exit {proc.returncode}):\n{tail}")
    return log


def prune(bundle_dir: Path) -> None:
    for name in UNUSED_BUNDLE_FILES:
        (bundle_dir / name).unlink(missing_ok=True)


def build_index(output: Path, entries: Mapping[str, str], *, labels: Mapping[str, str], skip: Iterable[str],
                bundle: str, exclude: list[str], timeout: float, staging: Path,
                own_pages: Mapping[str, str] | None = None) -> Built:
    """Stage the written site, index it into ``output/bundle`` and drop what is never loaded."""
    staged = stage(output, staging, entries, pages_to_index(output, skip, bundle), labels, own_pages)
    bundle_dir = output / bundle
    shutil.rmtree(bundle_dir, ignore_errors=True)  # no fragments of an earlier build left behind
    if not staged.pages:  # Pagefind refuses an empty site; the search page then says it has no index
        logger.warning("search: no page with a <main> to index; %s/ not written", bundle)
        return Built(0, 0, 0, 0)
    log = run_pagefind(staging, bundle_dir, exclude, timeout)
    logger.debug("search: Pagefind said:\n%s", log)
    prune(bundle_dir)
    files = [p for p in bundle_dir.rglob("*") if p.is_file()]
    return Built(staged.pages, staged.entries + staged.entry_pages, len(files),
                 sum(p.stat().st_size for p in files))
