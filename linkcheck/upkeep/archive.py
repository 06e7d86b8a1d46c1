"""Internet Archive snapshots for broken links (Wayback availability API).

Run by the scheduled job after a check, never by the site build: the build
only reads the ``archive`` table this fills. Look-ups are cached in the store
and repeated only when stale, so a daily job asks the archive about each
broken link about once a month.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import requests

from linkcheck.metadata.http import AnswerTooLarge, read_capped
from linkcheck.store import LinkStatus, Store

log = logging.getLogger(__name__)

# A found snapshot rarely changes; a missing one may appear once the archive crawls.
FOUND_MAX_AGE = 30 * 86400.0
MISSING_MAX_AGE = 7 * 86400.0
REQUEST_TIMEOUT = 20.0
REQUEST_INTERVAL = 0.2  # be gentle with archive.org: look-ups run one at a time


def _user_agent(settings: Any) -> str:
    return settings.agent


def _is_stale(cached: dict[str, Any] | None, now: float) -> bool:
    if cached is None:
        return True
    max_age = FOUND_MAX_AGE if cached.get("snapshot_url") else MISSING_MAX_AGE
    return now - float(cached["looked_up_at"]) >= max_age


def _wayback_timestamp(status: LinkStatus | None) -> str | None:
    """Ask for the snapshot closest to when the link last worked."""
    if status is None or status.last_ok is None:
        return None
    return dt.datetime.fromtimestamp(status.last_ok, dt.UTC).strftime("%Y%m%d%H%M%S")


def _safe_snapshot_url(raw: object) -> str | None:
    """The API answer is outside data: accept only an http(s) URL, prefer https for archive.org."""
    if not isinstance(raw, str):
        return None
    parts = urlsplit(raw.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    if parts.scheme == "http" and parts.hostname in ("web.archive.org", "archive.org"):
        return "https" + raw.strip()[4:]
    return raw.strip()


def query_wayback(
    session: requests.Session, api_url: str, url: str, timestamp: str | None = None, *,
    max_bytes: int,
) -> tuple[str | None, str | None]:
    """(snapshot_url, snapshot_timestamp) or (None, None) when the archive has none.

    Raises ``requests.RequestException``, ``ValueError`` or ``AnswerTooLarge`` (more than
    ``max_bytes``) when the API itself fails, so the caller does not cache a failure as
    "no snapshot"."""
    params = {"url": url}
    if timestamp:
        params["timestamp"] = timestamp
    resp = session.get(api_url, params=params, timeout=REQUEST_TIMEOUT, stream=True)
    read_capped(resp, "the Internet Archive", max_bytes, 4 * REQUEST_TIMEOUT)
    resp.raise_for_status()
    data = resp.json()
    snapshots = data.get("archived_snapshots") if isinstance(data, dict) else None
    closest = snapshots.get("closest") if isinstance(snapshots, dict) else None
    if not isinstance(closest, dict) or not closest.get("available"):
        return None, None
    if str(closest.get("status", "200"))[:1] not in ("2", "3"):
        return None, None  # an archived error page is no help to readers
    snapshot = _safe_snapshot_url(closest.get("url"))
    stamp = closest.get("timestamp")
    return snapshot, str(stamp) if snapshot and stamp else None


def lookup_archives(
    settings: Any,
    store: Store,
    urls: Iterable[str] | None = None,
    *,
    now: float | None = None,
    session: requests.Session | None = None,
) -> int:
    """Look up snapshots for broken links (or for ``urls``), caching results.

    Returns how many look-ups were made (cache hits not counted). API failures
    are logged and left uncached so the next run tries again.
    """
    now = time.time() if now is None else now
    statuses = store.link_statuses(now=now)
    # by default only links readers are told are broken get an archived-copy link
    wanted = sorted(u for u, s in statuses.items() if s.broken) if urls is None else list(dict.fromkeys(urls))
    cached = store.archive_lookups()
    todo = [u for u in wanted if _is_stale(cached.get(u), now)]
    if not todo:
        return 0
    own_session = session is None
    http = session or requests.Session()
    http.headers.setdefault("User-Agent", _user_agent(settings))
    done = 0
    try:
        for i, url in enumerate(todo):
            if i:
                time.sleep(REQUEST_INTERVAL)
            try:
                snapshot, stamp = query_wayback(
                    http, settings.wayback_api_url, url, _wayback_timestamp(statuses.get(url)),
                    max_bytes=settings.api_max_bytes,
                )
            except AnswerTooLarge as exc:
                log.warning("archive look-up failed for %s: %s", url, exc)
                continue
            except (requests.RequestException, ValueError) as exc:
                log.warning("archive look-up failed for %s: %s", url, type(exc).__name__)
                continue
            store.save_archive_lookup(url, snapshot, stamp)
            done += 1
            log.info("archive: %s -> %s", url, snapshot or "no snapshot")
    finally:
        if own_session:
            http.close()
    return done
