"""Pelican plugin: link health from the checker's store, read at build time.

- ``entry.health`` for every catalog entry (via the catalog plugin's
  ``catalog_loaded`` signal); the theme marks broken links (annotate.py) and says when links were checked.
- Broken external links in written pages get a "broken link" marker with an
  icon and, where the archive has a snapshot, an "archived copy" link.
- A link-health page (``LINKHEALTH['page']``): tiles and a history chart (inline SVG) of the
  same groups (work, failed, not checked), broken links in plain words, moved and unverified ones.

The build never touches the network: it only reads the SQLite store (archive
snapshots are looked up by ``python -m linkcheck archive``, not here). No
store yet means no data: entries say "not checked yet". Settings: one
``LINKHEALTH`` dict, see ``settings.py``.
"""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path
from typing import Any

from blinker import signal
from pelican import signals

from linkcheck.settings import plugin_store_path

from .annotate import annotate_counted, links_line
from .data import HealthData
from .generator import LinkHealthGenerator
from .settings import linkhealth_settings

__all__ = ["register"]

logger = logging.getLogger(__name__)

# The catalog plugin's signal, by name: blinker returns the same object.
catalog_loaded = signal("catalog_loaded")


class _Build:
    """State of the current build; reset by each Pelican ``initialized``."""

    options: dict[str, Any] = {}
    data: HealthData | None = None
    output_path: Path | None = None


def initialized(pelican: Any) -> None:
    options = linkhealth_settings(pelican.settings)
    where = {**options, "store_path": plugin_store_path(pelican.settings, options["store_path"])}
    _Build.options = options
    _Build.output_path = Path(pelican.output_path)
    # The theme's footer links the page only when this plugin writes it.
    pelican.settings["LINKHEALTH_PAGE_URL"] = options.get("page")
    _Build.data = HealthData.load(
        where["store_path"],
        broken_after_runs=where["broken_after_runs"],
        broken_after_hours=where["broken_after_hours"],
        history_runs=options["history_runs"],
    )
    if _Build.data is None:
        logger.info("linkhealth: no store at %s yet; links show as not checked", where["store_path"])
    else:
        logger.info("linkhealth: %d checked links, %d broken for readers",
                    len(_Build.data.links), len(_Build.data.by_state("broken")))
    # The footer's one line per page: when links were last checked (None: not yet).
    pelican.settings["LINKHEALTH_LAST_CHECKED"] = _Build.data.last_checked_ts if _Build.data else None
    if options.get("page"):  # in the sitemap, dated by the last check (none before one)
        extra = [e for e in pelican.settings.get("SITEMAP_EXTRA") or [] if e[0] != options["page"]]
        checked = pelican.settings["LINKHEALTH_LAST_CHECKED"]
        pelican.settings["SITEMAP_EXTRA"] = [*extra, (options["page"], checked)]
    LinkHealthGenerator.data = _Build.data
    LinkHealthGenerator.options = options


def attach_entry_health(catalog: Any, settings: Any = None, **_: Any) -> None:
    data = _Build.data
    for entry in getattr(catalog, "entries", []):
        entry.health = data.health(entry.url) if data else None


def annotate_written(path: str, context: Any = None) -> None:
    data = _Build.data
    if not _Build.options.get("annotate", True) or not str(path).endswith(".html"):
        return
    target = Path(path)
    page = _Build.options.get("page")
    if page and _Build.output_path and target.resolve() == (_Build.output_path / page).resolve():
        return  # the link-health page states each link's health itself
    text = target.read_text(encoding="utf-8")
    # before any check there is nothing to mark, but the footer line still goes on a page without links
    new, _marked, states = annotate_counted(text, data.health) if data else (text, 0, Counter())
    new = links_line(new, states)
    if new != text:
        target.write_text(new, encoding="utf-8")


def _get_generators(_pelican: Any) -> type[LinkHealthGenerator]:
    return LinkHealthGenerator


def register() -> None:
    signals.initialized.connect(initialized)
    signals.get_generators.connect(_get_generators)
    signals.content_written.connect(annotate_written)
    catalog_loaded.connect(attach_entry_health)
