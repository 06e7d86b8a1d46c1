"""Store rows shaped for templates: formatted figures, ages relative to the build (no Pelican here).

Everything in a row came from GitHub and is untrusted: values are type-checked
here and escaped by the templates; URLs are only kept when they are http(s).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from linkcheck.timefmt import to_timestamp, utc_iso

DAY = 86400.0
UNITS = ((365 * DAY, "year"), (30 * DAY, "month"), (DAY, "day"), (3600.0, "hour"), (60.0, "minute"))


def parse_time(value: Any) -> float | None:
    """Unix time of an ISO 8601 timestamp as GitHub writes them ("2024-05-01T12:00:00Z")."""
    return to_timestamp(value) if isinstance(value, str) else None


def iso(ts: float) -> str:
    return utc_iso(ts) or ""


def date(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%d")


def ago(ts: float, now: float) -> str:
    """ "3 months ago" from the build time ``now``; a timestamp in the future reads "just now"."""
    seconds = now - ts
    if seconds < 60:
        return "just now"
    for size, unit in UNITS:
        if seconds >= size:
            count = int(seconds // size)
            return f"{count} {unit}{'' if count == 1 else 's'} ago"
    return "just now"


def thousands(value: int | None) -> str | None:
    return None if value is None else f"{value:,}"


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _text(value: Any, limit: int | None = None) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    value = " ".join(value.split())
    if limit and len(value) > limit:
        value = value[: limit - 1].rstrip() + "…"
    return value


def _web_url(value: Any) -> str | None:
    return value if isinstance(value, str) and value.startswith(("https://", "http://")) else None


def _moment(value: Any, now: float) -> dict[str, str] | None:
    ts = parse_time(value)
    if ts is None:
        return None
    return {"iso": iso(ts), "date": date(ts), "ago": ago(ts, now), "ts": str(int(ts))}


def threshold_words(days: float) -> str:
    """ "18 months" for 548 days, "2 years" for 730, "90 days" below two months."""
    if days < 60:
        return f"{days:g} days"
    months = round(days / 30.44)
    return f"{months // 12} years" if months % 12 == 0 and months >= 24 else f"{months} months"


def figures(row: dict[str, Any], now: float, *, quiet_after_days: float = 548.0,
            description_chars: int = 200) -> dict[str, Any]:
    """One stored repository for the theme (``partials/vitals.html``, the comparisons)."""
    data = row.get("data") or {}
    pushed = _moment(data.get("pushed_at"), now)
    released = _moment(data.get("release_published_at"), now)
    stars = _int(data.get("stars"))
    forks = _int(data.get("forks"))
    issues = _int(data.get("open_issues"))
    pushed_ts = parse_time(data.get("pushed_at"))
    license_id = _text(data.get("license"), 60)
    return {
        "repo": row.get("repo"),
        "state": row.get("state"),
        "missing": row.get("state") == "missing",
        "blocked": row.get("state") == "blocked",  # GitHub blocks access: "repository unavailable"
        "block_reason": _text(data.get("block_reason"), 40),
        "renamed_to": _text(row.get("renamed_to")),
        "stars": stars,
        "stars_text": thousands(stars),
        "forks": forks,
        "forks_text": thousands(forks),
        "open_issues": issues,
        "open_issues_text": thousands(issues),
        "pushed": pushed,
        "release_tag": _text(data.get("release_tag"), 60),
        "released": released,
        "license": license_id,
        "language": _text(data.get("language"), 60),
        "description": _text(data.get("description"), description_chars),
        "homepage": _web_url(data.get("homepage")),
        "archived": data.get("archived") is True,
        "inactive": pushed_ts is not None and now - pushed_ts > quiet_after_days * DAY,
        # what "inactive" means, for the badge's title (the threshold is a setting)
        "inactive_note": f"no push to the repository in {threshold_words(quiet_after_days)}",
        "fetched": _moment(iso(row["fetched_at"]), now) if row.get("fetched_at") else None,
        # for sorting: no data sorts last
        "sort_stars": stars if stars is not None else -1,
        "sort_pushed": int(pushed_ts) if pushed_ts is not None else 0,
    }


def pypi_release(row: dict[str, Any], now: float) -> dict[str, Any] | None:
    """One stored PyPI project for the theme (the vital signs' latest release); None when PyPI had nothing.

    ``released`` is a timezone-aware datetime (None when unknown); every string
    came from PyPI and is escaped by the template; URLs are kept only when http(s).
    """
    data = row.get("data") or {}
    version = _text(data.get("version"), 60)
    if row.get("state") != "ok" or version is None:
        return None
    ts = parse_time(data.get("released"))
    urls = data.get("urls") if isinstance(data.get("urls"), dict) else {}
    return {
        "name": row.get("name"),
        "version": version,
        "released": dt.datetime.fromtimestamp(ts, dt.UTC) if ts is not None else None,
        "released_moment": _moment(data.get("released"), now),
        "requires_python": _text(data.get("requires_python"), 60),
        "yanked": data.get("yanked") is True,
        "yanked_reason": _text(data.get("yanked_reason"), 120),
        "urls": {label: url for label, url in ((_text(k, 60), _web_url(v)) for k, v in urls.items())
                 if label and url},
        "fetched": _moment(iso(row["fetched_at"]), now) if row.get("fetched_at") else None,
    }


def downloads_figure(row: dict[str, Any] | None) -> dict[str, Any] | None:
    """``{"last_month": int, "fetched_at": float}`` from ``Store.pypi_downloads``; None without a
    usable figure (the site says nothing then)."""
    if not row:
        return None
    count = _int(row.get("last_month"))
    fetched = row.get("fetched_at")
    if count is None or count < 0 or not isinstance(fetched, int | float) or isinstance(fetched, bool):
        return None
    return {"last_month": count, "fetched_at": float(fetched)}
