"""The plugin's one settings dict, ``LINKHEALTH`` in pelicanconf.py, with defaults."""

from __future__ import annotations

from typing import Any

DEFAULTS: dict[str, Any] = {
    # SQLite store to read; None means the checker's own (LINKCHECK_STORE / var/).
    "store_path": None,
    # Broken-for-readers rule; None means the checker's settings (LINKCHECK_BROKEN_AFTER_*).
    "broken_after_runs": None,
    "broken_after_hours": None,
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
    given = pelican_settings.get("LINKHEALTH") or {}
    unknown = sorted(set(given) - set(DEFAULTS))
    if unknown:
        raise ValueError(f"LINKHEALTH setting has unknown keys {unknown}; known: {sorted(DEFAULTS)}")
    return {**DEFAULTS, **given}
