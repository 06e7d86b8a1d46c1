"""The plugin's one settings dict, ``GITHUB_DATA`` in pelicanconf.py, with defaults."""

from __future__ import annotations

from typing import Any

from linkcheck.settings import DEFAULT_STORE, plugin_options

DEFAULTS: dict[str, Any] = {
    # SQLite store to read, relative to the folder holding content/ (pelicanconf.py passes the
    # checker's LINKCHECK_STORE).
    "store": DEFAULT_STORE,
    # "Inactive" badge when the last push is older than this many days.
    "inactive_days": 365,
    # Build time as a unix timestamp for "3 months ago"; None means now (tests pin it).
    "now": None,
    # GitHub descriptions longer than this are cut (with an ellipsis) on the page.
    "description_chars": 200,
}


def github_data_settings(pelican_settings: dict[str, Any]) -> dict[str, Any]:
    return plugin_options(pelican_settings, "GITHUB_DATA", DEFAULTS)
