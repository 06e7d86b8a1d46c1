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


def to_timestamp(value: object) -> float | None:
    """Unix time of a timestamp, a date/datetime or an ISO 8601 string ("...Z" too); None for
    anything else and for times that do not come back as a UTC date (year 9999 with an
    offset, huge numbers): stored data never stops the build."""
    ts: float | None = None
    try:
        if isinstance(value, bool):
            return None
        if isinstance(value, int | float):
            ts = float(value)
        elif isinstance(value, dt.datetime):
            ts = (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).timestamp()
        elif isinstance(value, dt.date):
            ts = dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC).timestamp()
        elif isinstance(value, str) and value.strip():
            parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            ts = (parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)).timestamp()
        if ts is not None:
            dt.datetime.fromtimestamp(ts, dt.UTC)  # must come back too
    except (ValueError, OverflowError, OSError):
        return None
    return ts
