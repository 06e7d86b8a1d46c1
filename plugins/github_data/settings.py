"""The plugin's one settings dict, ``GITHUB_DATA`` in pelicanconf.py, with defaults."""

from __future__ import annotations

from typing import Any

DEFAULTS: dict[str, Any] = {
    # SQLite store to read; None means the checker's own (LINKCHECK_STORE / var/).
    "store": None,
    # "Inactive" badge when the last push is older than this many days.
    "inactive_days": 365,
    # Build time as a unix timestamp for "3 months ago"; None means now (tests pin it).
    "now": None,
    # GitHub descriptions longer than this are cut (with an ellipsis) on the page.
    "description_chars": 200,
}


def github_data_settings(pelican_settings: dict[str, Any]) -> dict[str, Any]:
    given = pelican_settings.get("GITHUB_DATA") or {}
    unknown = sorted(set(given) - set(DEFAULTS))
    if unknown:
        raise ValueError(f"GITHUB_DATA setting has unknown keys {unknown}; known: {sorted(DEFAULTS)}")
    return {**DEFAULTS, **given}
