"""The plugin's one settings dict, ``LINKHEALTH`` in pelicanconf.py, with defaults."""

from __future__ import annotations

from typing import Any

from linkcheck.settings import DEFAULT_STORE, Settings, plugin_options

DEFAULTS: dict[str, Any] = {
    # SQLite store to read, relative to the folder holding content/ (pelicanconf.py passes the
    # checker's LINKCHECK_STORE).
    "store_path": DEFAULT_STORE,
    # Broken-for-readers rule (pelicanconf.py passes the checker's LINKCHECK_BROKEN_AFTER_*).
    "broken_after_runs": Settings.broken_after_runs,
    "broken_after_hours": Settings.broken_after_hours,
    # Output path of the link-health page, or None for no page.
    "page": "link-health.html",
    # Template of that page (theme/templates/<name>.html).
    "template": "link_health",
    # Runs shown in the history chart (the most recent ones).
    "history_runs": 60,
    # Mark broken external links inside written pages.
    "annotate": True,
}


def linkhealth_settings(pelican_settings: dict[str, Any]) -> dict[str, Any]:
    return plugin_options(pelican_settings, "LINKHEALTH", DEFAULTS)
