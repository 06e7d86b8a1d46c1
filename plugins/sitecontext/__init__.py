"""Pelican plugin: the theme's helpers (docs/site.md lists them).

Filters: ``compact`` (84.8k), ``dmy`` (30 Nov 2026), ``month_year``, ``iso_date``,
``license_label``, ``value_label``. Globals: ``BUILD_TIME`` (unix time of this build),
``site`` (the helpers module: ``site.latest_release(entry)``, ``site.status_badge(entry)``,
``site.needs(entries)``, ``site.recently_added(entries, now)``, ...). No data, no network.
Compiled templates are kept for the life of the process (templatecache.py).
"""

from __future__ import annotations

import time
from typing import Any

from pelican import signals

from . import helpers
from .templatecache import share_compiled_templates

__all__ = ["register", "helpers"]


def _value_label(value: Any) -> str:
    return helpers.VALUE_LABELS.get(str(value), str(value))


def add_helpers(pelican: Any) -> None:
    # JINJA_FILTERS / JINJA_GLOBALS are read when generators are created, after `initialized`
    settings = pelican.settings
    filters = dict(settings.get("JINJA_FILTERS") or {})
    filters.update({
        "compact": helpers.compact_number,
        "dmy": helpers.day_month_year,
        "month_year": helpers.month_year,
        "iso_date": helpers.iso_date,
        "license_label": helpers.license_label,
        "code_breaks": helpers.code_breaks,
        "soft_breaks": helpers.soft_breaks,
        "value_label": _value_label,
    })
    settings["JINJA_FILTERS"] = filters
    build_time = float(settings.get("BUILD_TIME") or time.time())
    settings["BUILD_TIME"] = build_time
    extra = dict(settings.get("JINJA_GLOBALS") or {})
    extra.update({"site": helpers, "BUILD_TIME": build_time})
    settings["JINJA_GLOBALS"] = extra


def page_overrides(content: Any) -> None:
    """PAGE_OVERRIDES = {slug: {metadata: value}}: labels for a page whose source must stay verbatim
    (the guide is the original seed text, front matter included)."""
    overrides = (getattr(content, "settings", None) or {}).get("PAGE_OVERRIDES") or {}
    for key, value in overrides.get(getattr(content, "slug", None), {}).items():
        setattr(content, key, value)
        content.metadata[key] = value


def register() -> None:
    signals.initialized.connect(add_helpers)
    signals.content_object_init.connect(page_overrides)
    signals.generator_init.connect(share_compiled_templates)
