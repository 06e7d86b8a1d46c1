"""Pelican plugin: full-text search over every page and catalog entry, with Pagefind.

- A search page (``SEARCH['page']``, template ``search.html``) whose script
  (``theme/static/js/search.js``) loads Pagefind's bundle on the first query.
- ``SEARCH_PAGE_URL`` and ``SEARCH_BUNDLE_URL`` in the template context: the header's
  search field (``partials/search_form.html``) is a plain form that goes to the search
  page, so other pages load nothing for search until a reader uses it.
- After the site is written (Pelican's ``finalized``), the index: each page's ``<main>``
  and each catalog entry as a result of its own that links to its anchor, or to the entry's own
  page where it has one (``entry.page_url``, set by the catalog plugin: projects) (index.py).

The Pagefind binary comes in the ``pagefind-bin`` wheel; indexing reads only the output
folder (no network). Settings: one ``SEARCH`` dict, see ``settings.py``.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from blinker import signal
from pelican import signals
from pelican.generators import Generator

from .index import ENTRY_ID_PREFIX, build_index
from .settings import search_settings

__all__ = ["register"]

logger = logging.getLogger(__name__)

# The catalog plugin's signal, by name: blinker returns the same object.
catalog_loaded = signal("catalog_loaded")


class _Build:
    """State of the current build; reset by each Pelican ``initialized``."""

    options: dict[str, Any] = {}
    entries: dict[str, str] = {}  # element id (entry-rq) -> entry name
    own_pages: dict[str, str] = {}  # element id -> the entry's own page (projects/rq.html)
    labels: dict[str, str] = {}  # page URL -> its navigation label, shown beside its entries


class SearchPageGenerator(Generator):
    """Writes the search page (nothing when ``SEARCH['page']`` is None)."""

    def generate_output(self, writer: Any) -> None:
        page = _Build.options.get("page")
        if not page:
            return
        _Build.labels = {p.url: getattr(p, "sidebartitle", None) or p.title
                         for p in self.context.get("pages", [])}
        writer.write_file(
            page,
            self.get_template(_Build.options["template"]),
            self.context,
            relative_urls=self.settings.get("RELATIVE_URLS", False),
            url=page,
            # a page-like object so the base template's navigation state is right
            page=SimpleNamespace(url=page, title="Search", slug="search"),
        )


def initialized(pelican: Any) -> None:
    options = search_settings(pelican.settings)
    _Build.options = options
    _Build.entries = {}
    _Build.own_pages = {}
    _Build.labels = {}
    page = options.get("page")
    pelican.settings["SEARCH_PAGE_URL"] = page
    pelican.settings["SEARCH_BUNDLE_URL"] = f"{options['bundle']}/pagefind.js" if page else None


def remember_entries(catalog: Any, **_: Any) -> None:
    entries = list(getattr(catalog, "entries", []))
    _Build.entries = {f"{ENTRY_ID_PREFIX}{e.id}": e.name for e in entries}
    _Build.own_pages = {f"{ENTRY_ID_PREFIX}{e.id}": e.page_url for e in entries
                        if getattr(e, "page_url", None)}


def index_site(pelican: Any) -> None:
    options = _Build.options
    if not options.get("page"):
        return
    output = Path(pelican.output_path)
    with tempfile.TemporaryDirectory(prefix="search-staging-") as tmp:
        built = build_index(output, _Build.entries, labels=_Build.labels,
                            skip=[options["page"], *options["skip"]],
                            bundle=options["bundle"], exclude=list(options["exclude"]),
                            timeout=float(options["timeout"]), staging=Path(tmp),
                            own_pages=_Build.own_pages)
    logger.info("search: %d pages and %d catalog entries indexed into %s/ (%d files, %.0f KB), "
                "loaded by the search page only", built.pages, built.entries, options["bundle"],
                built.files, built.nbytes / 1024)


def _get_generators(_pelican: Any) -> type[SearchPageGenerator]:
    return SearchPageGenerator


def register() -> None:
    signals.initialized.connect(initialized)
    signals.get_generators.connect(_get_generators)
    signals.finalized.connect(index_site)
    catalog_loaded.connect(remember_entries)
