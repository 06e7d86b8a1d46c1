"""The plugin's one settings dict, ``GITHUB_DATA`` in pelicanconf.py, with defaults."""

from __future__ import annotations

from typing import Any

from linkcheck.settings import DEFAULT_STORE, Settings, plugin_options

DEFAULTS: dict[str, Any] = {
    # SQLite store to read, relative to the folder holding content/ (pelicanconf.py passes the
    # checker's LINKCHECK_STORE).
    "store": DEFAULT_STORE,
    # "Long" for a project, in days: the "inactive" badge (no push for this long) and the signs of
    # life ("no release since ..."). pelicanconf.py passes the checker's LINKCHECK_QUIET_AFTER_DAYS,
    # so the site and the report share one threshold.
    "quiet_after_days": Settings.quiet_after_days,
    # Build time as a unix timestamp for "3 months ago"; None means now (tests pin it).
    "now": None,
    # GitHub descriptions longer than this are cut (with an ellipsis) on the page.
    "description_chars": 200,
}


def github_data_settings(pelican_settings: dict[str, Any]) -> dict[str, Any]:
    return plugin_options(pelican_settings, "GITHUB_DATA", DEFAULTS)
