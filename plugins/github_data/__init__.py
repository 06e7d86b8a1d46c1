"""Pelican plugin: GitHub figures and PyPI release data of catalog projects, read from the store.

On the catalog plugin's ``catalog_loaded`` signal, every project entry with a
GitHub repository gets ``entry.github`` (a dict from ``figures.figures``) when
the store has data for it, else None ("not fetched yet" in the theme). It also
attaches ``entry.pypi_release`` (``figures.pypi_release``) to entries with a
``pypi:`` name the store has usable PyPI data for, else None;
``entry.downloads`` (``{"last_month": int, "fetched_at": float}``, PyPI downloads
of the last month from pypistats.org) when the store has a figure, else None; and
``entry.signs``, the signs of life of ``linkcheck.metadata.vitality`` (an empty
list when there is no data or nothing to say). The projects page's default
order is ``linkcheck.catalog.ranking``'s. The build never touches the network:
``python -m linkcheck github`` (and ``pypi``, ``downloads``) fill the store.
Settings: one ``GITHUB_DATA`` dict, see ``settings.py``.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from blinker import signal

from linkcheck.metadata.vitality import for_entry
from linkcheck.settings import plugin_store_path
from linkcheck.store import Store

from .figures import downloads_figure, figures, pypi_release
from .settings import github_data_settings

__all__ = ["register", "load_rows"]

logger = logging.getLogger(__name__)

# The catalog plugin's signal, by name: blinker returns the same object.
catalog_loaded = signal("catalog_loaded")


def load_rows(path: Path) -> dict[str, dict[str, Any]]:
    """Stored repositories keyed by lower-case ``owner/name``; empty when there is no store yet."""
    if not path.exists():  # don't create a store just by building the site
        return {}
    with Store(path) as store:
        return {repo.lower(): row for repo, row in store.github_repos().items()}


def load_pypi_rows(path: Path) -> dict[str, dict[str, Any]]:
    """Stored PyPI projects by name; empty when there is no store yet."""
    if not path.exists():
        return {}
    with Store(path) as store:
        return store.pypi_projects()


def load_downloads(path: Path) -> dict[str, dict[str, Any]]:
    """PyPI downloads of the last month by name (only good figures); empty when there is no store yet."""
    if not path.exists():
        return {}
    with Store(path) as store:
        return store.pypi_downloads()


def attach_github(catalog: Any, settings: dict[str, Any] | None = None, **_: Any) -> None:
    options = github_data_settings(settings or {})
    path = plugin_store_path(settings or {"PATH": "content"}, options["store"])
    rows = load_rows(path)
    pypi_rows = load_pypi_rows(path)
    downloads = load_downloads(path)
    now = float(options["now"]) if options["now"] is not None else time.time()
    quiet_after_days = float(options["quiet_after_days"])
    shown = 0
    for entry in getattr(catalog, "entries", []):
        project = entry.section == "projects"
        row = rows.get((entry.github_repo or "").lower()) if project else None
        entry.github = figures(row, now, quiet_after_days=quiet_after_days,
                               description_chars=options["description_chars"]) if row else None
        shown += row is not None
        name = getattr(entry, "pypi", None) or ""
        pypi_row = pypi_rows.get(name) if project else None
        entry.pypi_release = pypi_release(pypi_row, now) if pypi_row else None
        entry.downloads = downloads_figure(downloads.get(name)) if project else None
        entry.signs = (for_entry(entry, rows, pypi_rows, now=now, quiet_after_days=quiet_after_days)
                       if project else [])
    entries = getattr(catalog, "entries", [])
    logger.info("github_data: figures for %d projects, PyPI data for %d, downloads for %d, signs for %d, "
                "from %s", shown, sum(1 for e in entries if getattr(e, "pypi_release", None)),
                sum(1 for e in entries if getattr(e, "downloads", None)),
                sum(1 for e in entries if getattr(e, "signs", None)), path)


def register() -> None:
    catalog_loaded.connect(attach_github)
