"""PyPI release data for catalog projects with a ``pypi:`` name, from PyPI's JSON API.

``GET {PYPI_API_URL}/pypi/NAME/json`` gives, for the latest release: its
version, the upload time of its files, ``requires_python``, whether it is
yanked, the project URLs, the summary and the "Development Status" classifier;
and over every release, which are yanked. The signs of life
(``metadata/vitality.py``) read these; a change seen between two fetches is
recorded as a project event (``metadata/events.py``). Requests carry ``If-None-Match`` with the stored
ETag (PyPI documents ETags on its JSON API), so an unchanged project costs one
304. The same discipline as the GitHub refresh (shared client:
``metadata/http.py``): one failing project is recorded and retried next run,
never stalling the others; a 429 stops the run with its ``Retry-After`` stored
as a pause; every answer is untrusted and type-checked before it is stored.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from linkcheck.metadata.events import pypi_changes, record_events
from linkcheck.metadata.http import ApiClient, OffOrigin
from linkcheck.metadata.summary import RefreshSummary
from linkcheck.metadata.sweep import ProjectError, sweep
from linkcheck.settings import Settings
from linkcheck.store import Store

log = logging.getLogger(__name__)

API = "pypi"  # the store's pause key
MAX_REDIRECTS = 3
MAX_URLS = 20  # project URLs kept per project
MAX_RELEASES = 5000  # releases looked at for yanked ones (the biggest projects have ~1000)
MAX_FILES = 200  # files looked at per release
MAX_YANKED = 20  # yanked versions kept, newest first
MAX_CLASSIFIERS = 500
INACTIVE = "Development Status :: 7 - Inactive"
EARLIEST_YEAR = 2000
FUTURE_SLACK = 2 * 86400.0
NAME_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# project_urls labels that name the source repository (PyPI's own "well-known" labels, lower-cased)
SOURCE_LABELS = ("source", "source code", "sourcecode", "repository", "code", "github", "git",
                 "homepage", "home")
GITHUB_URL_RE = re.compile(r"^https?://(?:www\.)?github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?/?(?:[#?].*)?$",
                           re.IGNORECASE)


class PypiError(Exception):
    """PyPI refused the whole run (unexpected answer); the message is secret-free."""


@dataclass(kw_only=True)
class PypiSummary(RefreshSummary):
    missing: list[str] = field(default_factory=list)  # 404 on PyPI: the catalog name is wrong
    source_mismatch: dict[str, str] = field(default_factory=dict)  # name -> what PyPI declares

    @property
    def problems(self) -> bool:
        """Something in the catalog needs a maintainer (exit code 1)."""
        return bool(self.missing or self.source_mismatch)


# ------------------------------------------------------------------ parsing
def _str(value: Any, limit: int = 200) -> str | None:
    return value[:limit] if isinstance(value, str) and value.strip() else None


def _web_url(value: Any) -> str | None:
    if not isinstance(value, str) or len(value) > 2000:
        return None
    value = value.strip()
    return value if urlsplit(value).scheme in ("http", "https") and urlsplit(value).netloc else None


def _plausible(value: str, now: float) -> bool:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)  # PyPI's upload_time is UTC without a zone
        ts = parsed.astimezone(UTC).timestamp()
    except (ValueError, OverflowError, OSError):
        return False
    return datetime(EARLIEST_YEAR, 1, 1, tzinfo=UTC).timestamp() <= ts <= now + FUTURE_SLACK


def github_repo_of(url: str | None) -> str | None:
    """``owner/name`` (lower case) of a GitHub repository URL, else None."""
    match = GITHUB_URL_RE.match(url or "")
    return f"{match.group(1)}/{match.group(2)}".lower() if match else None


def normalise(body: dict[str, Any], name: str, now: float) -> tuple[dict[str, Any], list[str]]:
    """What we keep of a ``/pypi/NAME/json`` body, and messages for values rejected as implausible."""
    info = body.get("info") if isinstance(body.get("info"), dict) else {}
    raw_files = body.get("urls") if isinstance(body.get("urls"), list) else []
    files = [f for f in raw_files if isinstance(f, dict)]
    rejected: list[str] = []
    uploads = sorted(t for f in files if isinstance(t := f.get("upload_time_iso_8601"), str))
    released = uploads[0] if uploads else None  # the release's first file is when it came out
    if released is not None and not _plausible(released, now):
        rejected.append(f"{name}: upload time {released[:40]!r} is not a plausible date; not stored")
        released = None
    urls: dict[str, str] = {}
    raw_urls = info.get("project_urls")
    if isinstance(raw_urls, dict):
        for label, url in list(raw_urls.items())[:MAX_URLS]:
            if isinstance(label, str) and (good := _web_url(url)):
                urls[label[:60]] = good
    home = _web_url(info.get("home_page"))
    if home and home not in urls.values():
        urls.setdefault("Homepage", home)
    version = _str(info.get("version"), 100)
    classifiers = info.get("classifiers") if isinstance(info.get("classifiers"), list) else []
    statuses = [c for c in classifiers[:MAX_CLASSIFIERS]
                if isinstance(c, str) and c.startswith("Development Status ::")]
    yanked_versions, newest_yanked = _yanked_releases(body.get("releases"))
    return {
        "name": _str(info.get("name"), 200),
        "version": version,
        "released": released,
        "requires_python": _str(info.get("requires_python"), 100),
        # info.yanked describes the release info describes: the latest one
        "yanked": info.get("yanked") is True,
        "yanked_reason": _str(info.get("yanked_reason"), 200) if info.get("yanked") is True else None,
        "urls": urls,
        "source_repo": _source_repo(urls),
        "summary": _str(info.get("summary"), 300),
        "development_status": _str(statuses[0].split("::", 1)[1].strip(), 60) if statuses else None,
        "inactive": INACTIVE in statuses,
        "yanked_versions": yanked_versions,
        "newest_yanked": newest_yanked,
    }, rejected


def _yanked_releases(releases: Any) -> tuple[list[str], str | None]:
    """(yanked versions, newest upload first; the newest release's version when it is yanked).

    A release counts as yanked when every one of its files is (PyPI yanks releases whole)."""
    if not isinstance(releases, dict):
        return [], None
    dated = []
    for version, files in list(releases.items())[:MAX_RELEASES]:
        kept = [f for f in files[:MAX_FILES] if isinstance(f, dict)] if isinstance(files, list) else []
        if not isinstance(version, str) or not version.strip() or not kept:
            continue
        first = min((t for f in kept if isinstance(t := f.get("upload_time_iso_8601"), str)), default="")
        dated.append((first, version[:100], all(f.get("yanked") is True for f in kept)))
    dated.sort(reverse=True)
    newest = dated[0][1] if dated and dated[0][2] else None
    return [version for _, version, yanked in dated if yanked][:MAX_YANKED], newest


def _source_repo(urls: dict[str, str]) -> str | None:
    """The GitHub repository PyPI's project URLs declare as the source, preferring source-like labels."""
    by_label = {label.strip().lower(): url for label, url in urls.items()}
    for label in SOURCE_LABELS:
        repo = github_repo_of(by_label.get(label))
        if repo:
            return repo
    for url in urls.values():
        repo = github_repo_of(url)
        if repo:
            return repo
    return None


def catalog_projects(content_dir: Path) -> dict[str, str | None]:
    """``{pypi name: catalog GitHub repo or None}`` for every catalog project with ``pypi:``."""
    from linkcheck.catalog import load_catalog  # late: the catalog module is optional for callers

    out: dict[str, str | None] = {}
    for entry in load_catalog(content_dir).section("projects"):
        name = getattr(entry, "pypi", None)
        if name:
            out.setdefault(name, entry.github_repo)
    return out


# ------------------------------------------------------------------- refresh
class _Run:
    def __init__(self, settings: Settings, store: Store, summary: PypiSummary, now: float,
                 repos: dict[str, str | None]) -> None:
        self.settings = settings
        self.store = store
        self.summary = summary
        self.now = now
        self.repos = repos
        self.stored = store.pypi_projects()
        self.attempted: set[str] = set()

    def fail(self, name: str, message: str) -> None:
        self.attempted.add(name)
        self.store.fail_pypi_project(name, message, self.now)


def _fetch(client: ApiClient, run: _Run, name: str) -> None:
    base = run.settings.pypi_api_url
    stored = run.stored.get(name)
    usable = stored if stored and stored["state"] == "ok" else None
    etag = usable["etag"] if usable else None
    resp = client.request("GET", f"{base}/pypi/{quote(name, safe='')}/json", etag=etag)
    hops = 0
    while resp.status_code in (301, 302, 307, 308):  # a non-canonical name: PyPI points at the right one
        hops += 1
        location = resp.headers.get("location")
        if not location or hops > MAX_REDIRECTS:
            raise ProjectError(f"{name}: redirect without usable Location (HTTP {resp.status_code})")
        if location.startswith("/"):
            location = base + location
        try:
            resp = client.request("GET", location, etag=etag)
        except OffOrigin as exc:
            raise ProjectError(f"{name}: {exc}") from exc
    run.attempted.add(name)
    if resp.status_code == 304 and usable:
        run.summary.not_modified += 1
        ours = (run.repos.get(name) or "").lower() or None
        if usable["data"].get("catalog_repo") != ours:  # the catalog's repo changed, PyPI did not
            run.store.save_pypi_project(name, state="ok", data={**usable["data"], "catalog_repo": ours},
                                        etag=usable["etag"])
        else:
            run.store.touch_pypi_project(name)
        return
    if resp.status_code in (404, 410):
        if stored is None or stored["state"] != "missing":
            run.summary.changed += 1
        run.store.save_pypi_project(name, state="missing", data=(usable or {}).get("data") or {}, etag=None)
        return
    if resp.status_code != 200:
        raise ProjectError(f"{name}: HTTP {resp.status_code} from PyPI")
    try:
        body = resp.json()
    except ValueError as exc:
        raise ProjectError(f"{name}: PyPI answered with malformed JSON") from exc
    if not isinstance(body, dict) or not isinstance(body.get("info"), dict):
        raise ProjectError(f"{name}: PyPI's answer has no project info")
    data, rejected = normalise(body, name, run.now)
    run.summary.rejected.extend(rejected)
    if data["version"] is None:
        raise ProjectError(f"{name}: PyPI's answer names no version")
    data["catalog_repo"] = (run.repos.get(name) or "").lower() or None
    run.summary.updated += 1
    if usable is None or usable["data"] != data:
        run.summary.changed += 1
    run.store.save_pypi_project(name, state="ok", data=data, etag=resp.headers.get("etag"))
    # a project fetched for the first time has no history: nothing "changed" (events.py)
    if usable is not None:
        record_events(run.store, f"pypi:{name}", pypi_changes(usable["data"], data), run.now)


def _order(store: Store, names: list[str]) -> list[str]:
    """Least recently tried first: projects never fetched, and those a stopped run missed, lead."""
    stored = store.pypi_projects()

    def key(item: tuple[int, str]) -> tuple[float, int]:
        index, name = item
        row = stored.get(name) or {}
        return (max(float(row.get("fetched_at") or 0), float(row.get("failed_at") or 0)), index)

    return [name for _, name in sorted(enumerate(names), key=key)]


def mismatches(store: Store, names: list[str] | None = None) -> dict[str, tuple[str, str]]:
    """``{pypi name: (catalog repo, repo PyPI declares)}`` where the two disagree."""
    out = {}
    for name, row in store.pypi_projects().items():
        if names is not None and name not in names:
            continue
        data = row["data"]
        ours, theirs = data.get("catalog_repo"), data.get("source_repo")
        if row["state"] == "ok" and ours and theirs and ours.lower() != theirs.lower():
            out[name] = (ours, theirs)
    return out


def refresh(settings: Settings, store: Store, *, projects: dict[str, str | None] | None = None,
            now: float | None = None) -> PypiSummary:
    """Pull PyPI release data for ``projects`` (``{name: catalog repo}``; default: the catalog's).

    Never raises for API trouble: everything ends up in the summary with all
    progress kept. ``summary.changed`` counts stored data that changed.
    """
    wanted = projects if projects is not None else catalog_projects(settings.content_dir)
    names = [n for n in dict.fromkeys(wanted) if NAME_RE.fullmatch(n)]
    summary = PypiSummary(requested=len(names))
    clock = time.time() if now is None else now
    run = _Run(settings, store, summary, clock, dict(wanted))
    summary.run_id = store.start_run("pypi")
    due = _order(store, names)
    paused = store.api_paused_until(API)
    if clock < paused:
        summary.rate_limited = True
        summary.rate_limit_reason = "still waiting for PyPI's rate limit to end"
        summary.resume_after = paused
        run.attempted = set(due)  # nothing asked, nothing left behind by this run
    elif due:
        client = ApiClient(settings.pypi_api_url, timeout=settings.timeout,
                           connect_timeout=settings.connect_timeout,
                           headers={"Accept": "application/json",
                                    "User-Agent": settings.agent},
                           count=lambda: setattr(summary, "requests", summary.requests + 1))
        sweep(due, lambda name: _fetch(client, run, name), run.fail, client=client, summary=summary,
              store=store, settings=settings, api=API, label="PyPI", base_url=settings.pypi_api_url)
    summary.pending = [n for n in due if n not in run.attempted]
    rows = store.pypi_projects()
    summary.missing = [n for n in names if (rows.get(n) or {}).get("state") == "missing"]
    summary.source_mismatch = {n: theirs for n, (_, theirs) in mismatches(store, names).items()}
    store.finish_run(summary.run_id, status=summary.run_status, stats=summary.to_json())
    return summary
