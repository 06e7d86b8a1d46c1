"""Pelican plugin: catalog news for returning readers, as a page and an Atom feed.

- ``news.html`` (``NEWS['page']``, template ``news.html``): new entries, releases of catalog
  projects and status changes, newest first, grouped by month (items.py says where each date
  comes from);
- ``feeds/news.atom.xml`` (``NEWS['feed']``): the same items as Atom 1.0, written only when
  SITEURL is absolute (``make publish``); the local build says so on the page instead;
- ``NEWS_PAGE_URL`` and ``NEWS_FEED_URL`` in the template context (None when not written), for
  the links in the footer, the home page and the ``<link rel="alternate">`` of every page;
- the page in ``sitemap.xml`` (``SITEMAP_EXTRA``), dated by its newest item.

Reads the catalog (after ``catalog_loaded``, so ``entry.pypi_release`` of plugins/github_data is
there), the store's project events (read only; no store, no events) and git blame of the catalog
files (local, bounded by ``NEWS['git_timeout']``). The build never touches the network.
Settings: one ``NEWS`` dict, see ``settings.py``.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from pelican import signals
from pelican.generators import Generator

from linkcheck.settings import plugin_store_path
from linkcheck.store import Store

from .feed import write_feed
from .gitstatus import StatusChange, status_changes
from .items import NewsItem, by_month, changes_first, collect
from .settings import news_settings

__all__ = ["register", "NewsGenerator"]

logger = logging.getLogger(__name__)
DAY = 86400.0
TITLE = "What's new"


def _siteurl(settings: dict[str, Any]) -> str | None:
    siteurl = str(settings.get("SITEURL") or "").rstrip("/")
    return siteurl if siteurl.startswith(("http://", "https://")) else None


def load_events(path: Path, since: float) -> list[dict[str, Any]]:
    """The store's project events seen since ``since``, newest first; none when there is no store."""
    if not path.exists():  # don't create a store just by building the site
        return []
    with Store(path) as store:
        return store.project_events(since=since)


def catalog_status_changes(entries: list[Any], timeout: float) -> list[StatusChange]:
    """The git-dated status changes of every catalog entry with a ``status:`` line."""
    by_file: dict[Path, dict[int, tuple[str, str]]] = defaultdict(dict)
    for entry in entries:
        line = (getattr(entry, "field_lines", None) or {}).get("status")
        if getattr(entry, "status", None) and line:
            by_file[Path(entry.path)][line] = (entry.id, entry.status)
    return [change for path, lines in by_file.items()
            for change in status_changes(path, lines, timeout=timeout)]


class NewsGenerator(Generator):
    """Collects the items once the catalog and its data are in the context; writes page and feed."""

    def generate_context(self) -> None:
        self.items: list[NewsItem] = []
        options = self.options = news_settings(self.settings)
        catalog = self.context.get("catalog")
        if not options["page"]:
            return
        if catalog is None:
            logger.warning("news: no catalog in the context: list 'news' after 'catalog' in PLUGINS")
            return
        now = float(options["now"]) if options["now"] is not None else time.time()
        since = now - float(options["days"]) * DAY
        store = plugin_store_path(self.settings, options["store"])
        self.items = collect(
            catalog.entries, pages=self.context.get("catalog_pages") or {},
            events=load_events(store, since),
            status_changes=catalog_status_changes(catalog.entries, float(options["git_timeout"])),
            now=now, days=float(options["days"]), max_items=int(options["max_items"]))
        kinds: dict[str, int] = defaultdict(int)
        for item in self.items:
            kinds[item.kind] += 1
        logger.info("news: %d items (%s) from the catalog, %s and git", len(self.items),
                    ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "none", store)
        # in the sitemap, dated by the newest item (the catalog plugin writes it after this)
        extra = [e for e in self.settings.get("SITEMAP_EXTRA") or [] if e[0] != options["page"]]
        newest = self.items[0].when.timestamp() if self.items else None
        self.settings["SITEMAP_EXTRA"] = [*extra, (options["page"], newest)]

    def generate_output(self, writer: Any) -> None:
        page = getattr(self, "options", {}).get("page")
        if not page or self.context.get("catalog") is None:
            return
        feed = self.settings.get("NEWS_FEED_URL")
        changes, rest = changes_first(self.items)
        writer.write_file(
            page, self.get_template(self.options["template"]), self.context,
            relative_urls=self.settings.get("RELATIVE_URLS", False), url=page,
            # a page-like object so the base template's navigation state is right
            page=SimpleNamespace(url=page, title=TITLE, slug="news"),
            news_items=self.items, news_changes=changes, news_months=by_month(rest),
            news_days=self.options["days"], news_max_items=self.options["max_items"],
        )
        siteurl = _siteurl(self.settings)
        if feed and siteurl:
            count = write_feed(
                Path(self.output_path) / feed, self.items, siteurl=siteurl, page=page, feed=feed,
                title=f"{self.settings.get('SITENAME', '')}: {TITLE.lower()}",
                author=str(self.settings.get("AUTHOR") or ""),
                language=str(self.settings.get("DEFAULT_LANG", "en")),
                subtitle="New catalog entries, releases of catalog projects and status changes.")
            logger.info("news: wrote %s (%d entries)", feed, count)


def initialized(pelican: Any) -> None:
    options = news_settings(pelican.settings)
    page = options["page"]
    pelican.settings["NEWS_PAGE_URL"] = page
    # a feed needs absolute links: only a build with an absolute SITEURL writes it (make publish)
    writes_feed = bool(page and options["feed"] and _siteurl(pelican.settings))
    pelican.settings["NEWS_FEED_URL"] = options["feed"] if writes_feed else None
    if page and options["feed"] and not writes_feed:
        logger.info("news: %s not written: SITEURL is not absolute (make publish writes it)", options["feed"])


def _get_generators(_pelican: Any) -> type[NewsGenerator]:
    return NewsGenerator


def register() -> None:
    signals.initialized.connect(initialized)
    signals.get_generators.connect(_get_generators)
