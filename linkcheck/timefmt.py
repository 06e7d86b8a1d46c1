"""How times are written everywhere (CLI, reports, site): UTC, one format each."""

from __future__ import annotations

import datetime as dt


def utc_human(ts: float | None) -> str | None:
    """'2026-11-29 04:48 UTC', or None when there is no time."""
    if ts is None:
        return None
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def utc_iso(ts: float | None) -> str | None:
    """'2026-11-29T04:48:00Z' (for JSON and <time datetime>), or None when there is no time."""
    if ts is None:
        return None
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
