"""PyPI downloads of the last month for catalog projects with ``pypi:``, from pypistats.org.

``GET {PYPISTATS_API_URL}/packages/NAME/recent`` answers
``{"data": {"last_day": N, "last_week": N, "last_month": N}, "package": "NAME",
"type": "recent_downloads"}`` (https://pypistats.org/api/). pypistats updates its
figures once a day, so a figure younger than ``LINKCHECK_DOWNLOADS_MAX_AGE_HOURS``
is not asked for again. The same discipline as the PyPI refresh (shared client:
``metadata/http.py``): one failing project (5xx, malformed or oversized answer)
is recorded and its last good figure kept, never stalling the others; a 429
stops the run with its ``Retry-After`` stored as a pause (``api_pauses`` under
``pypistats``) and the projects not reached go first next run.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from linkcheck.metadata.http import ApiClient, UnusableAnswer
from linkcheck.metadata.pypi import NAME_RE, catalog_projects
from linkcheck.metadata.summary import RefreshSummary
from linkcheck.metadata.sweep import ProjectError, sweep
from linkcheck.settings import Settings
from linkcheck.store import Store

log = logging.getLogger(__name__)

API = "pypistats"  # the store's pause key
MAX_BYTES = 64 * 1024  # the answer is a few dozen bytes; anything this big is not it
MAX_COUNT = 10**12  # more downloads a month than any project has: a broken answer
# A figure is due again a 24th of the maximum age early (an hour for a day), so a schedule as
# long as the age refreshes every figure each time instead of every other time.
SLACK_SHARE = 1 / 24


@dataclass(kw_only=True)
class DownloadsSummary(RefreshSummary):
    fresh: int = 0  # figures younger than the maximum age: not asked for
    no_data: list[str] = field(default_factory=list)  # 404: pypistats has no figures for the name


def last_month(body: Any, name: str) -> int:
    """The last-month figure of a ``/recent`` answer; ``ProjectError`` for anything else."""
    data = body.get("data") if isinstance(body, dict) else None
    value = data.get("last_month") if isinstance(data, dict) else None
    if not isinstance(value, int) or isinstance(value, bool):
        raise ProjectError(f"{name}: pypistats' answer has no last_month figure")
    if not 0 <= value < MAX_COUNT:
        raise ProjectError(f"{name}: pypistats' last_month {value} is out of range; not stored")
    return value


def _due(store: Store, names: list[str], now: float, max_age: float) -> tuple[list[str], int]:
    """(names to ask, least recently tried first; how many have a fresh figure)."""
    rows = store.pypi_downloads_attempts()
    fresh = 0
    due: list[tuple[float, int, str]] = []
    for index, name in enumerate(names):
        row = rows.get(name) or {}
        fetched = float(row.get("fetched_at") or 0)
        if row.get("last_month") is not None and now - fetched < max_age * (1 - SLACK_SHARE):
            fresh += 1
            continue
        due.append((max(fetched, float(row.get("failed_at") or 0)), index, name))
    return [name for *_, name in sorted(due)], fresh


def _fetch(client: ApiClient, settings: Settings, name: str) -> int | None:
    """The figure, or None when pypistats has no data for ``name`` (404)."""
    url = f"{settings.pypistats_api_url}/packages/{quote(name, safe='')}/recent"
    try:
        resp = client.request("GET", url)
    except UnusableAnswer as exc:
        raise ProjectError(f"{name}: {exc}") from exc
    if resp.status_code == 404:
        return None
    if resp.status_code != 200:
        raise ProjectError(f"{name}: HTTP {resp.status_code} from pypistats")
    try:
        body = resp.json()
    except ValueError as exc:
        raise ProjectError(f"{name}: pypistats answered with malformed JSON") from exc
    return last_month(body, name)


def refresh(settings: Settings, store: Store, *, projects: list[str] | None = None,
            now: float | None = None) -> DownloadsSummary:
    """Pull last month's downloads for ``projects`` (PyPI names; default: the catalog's).

    Never raises for API trouble: everything ends up in the summary with all
    progress kept. ``summary.changed`` counts figures that differ from the stored ones.
    """
    wanted = projects if projects is not None else list(catalog_projects(settings.content_dir))
    names = [n for n in dict.fromkeys(wanted) if NAME_RE.fullmatch(n)]
    summary = DownloadsSummary(requested=len(names))
    clock = time.time() if now is None else now
    summary.run_id = store.start_run("downloads")
    due, summary.fresh = _due(store, names, clock, settings.downloads_max_age_hours * 3600)
    stored = store.pypi_downloads()
    attempted: set[str] = set()
    paused = store.api_paused_until(API)
    if due and clock < paused:
        summary.rate_limited = True
        summary.rate_limit_reason = "still waiting for pypistats' rate limit to end"
        summary.resume_after = paused
    elif due:
        client = ApiClient(settings.pypistats_api_url, timeout=settings.timeout,
                           connect_timeout=settings.connect_timeout, max_bytes=MAX_BYTES,
                           headers={"Accept": "application/json", "User-Agent": settings.agent},
                           count=lambda: setattr(summary, "requests", summary.requests + 1))

        def fetch(name: str) -> None:
            figure = _fetch(client, settings, name)
            attempted.add(name)
            if figure is None:
                summary.no_data.append(name)
                store.save_pypi_downloads_failure(name, "pypistats has no data (404)", clock)
                return
            summary.updated += 1
            if (stored.get(name) or {}).get("last_month") != figure:
                summary.changed += 1
            # the run's start: a daily schedule finds yesterday's figures exactly a day old
            store.save_pypi_downloads(name, figure, clock)

        def failed(name: str, why: str) -> None:
            attempted.add(name)
            store.save_pypi_downloads_failure(name, why, clock)

        sweep(due, fetch, failed, client=client, summary=summary, store=store, settings=settings,
              api=API, label="pypistats", base_url=settings.pypistats_api_url)
    summary.pending = [n for n in due if n not in attempted]
    store.finish_run(summary.run_id, status=summary.run_status, stats=summary.to_json())
    return summary
