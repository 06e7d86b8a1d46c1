"""The plugin's one settings dict, ``NEWS`` in pelicanconf.py, with defaults."""

from __future__ import annotations

from typing import Any

from linkcheck.settings import DEFAULT_STORE, plugin_options

DEFAULTS: dict[str, Any] = {
    # Output path of the news page, or None for no news at all (no page, no feed, no links to them).
    "page": "news.html",
    # Template of that page (theme/templates/<name>.html).
    "template": "news",
    # Output path of the Atom feed of the same items, or None for no feed. Written only when SITEURL
    # is absolute (make publish): a feed's links must be absolute, and a local preview has no address.
    "feed": "feeds/news.atom.xml",
    # The window: items dated within this many days before the build, at most max_items of them
    # (newest first). The page and the feed show the same items.
    "days": 180,
    "max_items": 50,
    # SQLite store to read (PyPI releases, project events), relative to the folder holding content/;
    # pelicanconf.py passes the checker's LINKCHECK_STORE. No store: releases and events are left out.
    "store": DEFAULT_STORE,
    # Seconds each local git command may take (status changes are dated by git blame); past it, the
    # status changes of that file are left out.
    "git_timeout": 10.0,
    # Build time as a unix timestamp for the window; None means now (tests pin it).
    "now": None,
}


def news_settings(pelican_settings: dict[str, Any]) -> dict[str, Any]:
    return plugin_options(pelican_settings, "NEWS", DEFAULTS)
