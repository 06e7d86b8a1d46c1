"""Pelican plugin: GitHub figures and PyPI release data of catalog projects, read from the store.

On the catalog plugin's ``catalog_loaded`` signal, every project entry with a
GitHub repository gets ``entry.github`` (a dict from ``figures.figures``) when
the store has data for it, else None ("not fetched yet" in the theme). It also
attaches ``entry.pypi_release`` (``figures.pypi_release``) to entries with a
``pypi:`` name the store has usable PyPI data for, else None. It also
registers the Jinja filter ``github_by_stars``, the projects page's default
order. The build never touches the network: ``python -m linkcheck github``
fills the store. Settings: one ``GITHUB_DATA`` dict, see ``settings.py``.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from blinker import signal
from pelican import signals

from linkcheck.settings import plugin_store_path
from linkcheck.store import Store

from .figures import by_stars, figures, pypi_release
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


def attach_github(catalog: Any, settings: dict[str, Any] | None = None, **_: Any) -> None:
    options = github_data_settings(settings or {})
    path = plugin_store_path(settings or {"PATH": "content"}, options["store"])
    rows = load_rows(path)
    pypi_rows = load_pypi_rows(path)
    now = float(options["now"]) if options["now"] is not None else time.time()
    shown = 0
    for entry in getattr(catalog, "entries", []):
        row = rows.get((entry.github_repo or "").lower()) if entry.section == "projects" else None
        entry.github = figures(row, now, inactive_days=options["inactive_days"],
                               description_chars=options["description_chars"]) if row else None
        shown += row is not None
        pypi_row = pypi_rows.get(getattr(entry, "pypi", None) or "") if entry.section == "projects" else None
        entry.pypi_release = pypi_release(pypi_row, now) if pypi_row else None
    logger.info("github_data: figures for %d projects, PyPI data for %d, from %s", shown,
                sum(1 for e in getattr(catalog, "entries", []) if getattr(e, "pypi_release", None)), path)


def add_filters(pelican: Any) -> None:
    # JINJA_FILTERS is read when generators are created, which is after `initialized`
    filters = dict(pelican.settings.get("JINJA_FILTERS") or {})
    filters["github_by_stars"] = by_stars
    pelican.settings["JINJA_FILTERS"] = filters


def register() -> None:
    signals.initialized.connect(add_filters)
    catalog_loaded.connect(attach_github)
