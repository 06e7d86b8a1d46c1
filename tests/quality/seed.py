"""A store full of data, so the gates also see the site as it looks once checks have run:
link badges (ok, moved, broken, blocked), the link-health page's tables and chart, GitHub
figures (archived, inactive, missing), and PyPI releases with the project events the
refreshes record (the news page). Written through the real Store API, no network.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from linkcheck.engine.verdict import verdict_of
from linkcheck.inventory.collect import collect
from linkcheck.model import Result
from linkcheck.store import Store

# One reason per URL in turn: every kind of badge the theme can show.
REASONS = ("ok", "moved_permanently", "not_found", "bot_blocked", "ok", "timeout", "anchor_missing",
           "redirect_temporary", "server_error", "ok")
DAY = 86400.0


def _result(url: str, reason: str, when: float) -> Result:
    status = {"ok": 200, "moved_permanently": 200, "not_found": 404, "bot_blocked": 403,
              "server_error": 503, "anchor_missing": 200, "redirect_temporary": 200}.get(reason)
    moved = reason in {"moved_permanently", "redirect_temporary"}
    tail = "/a-rather-long-new-location/that-should-wrap-on-a-phone-screen"
    final = url.rstrip("/") + tail if moved else None
    return Result(
        url=url, verdict=verdict_of(reason), reason=reason,
        message=f"seeded for the quality gates: {reason}", status=status, final_url=final,
        redirects=[(301 if reason == "moved_permanently" else 302, final)] if final else [],
        title="A page title", checked_at=when, elapsed=0.4, attempts=1,
    )


def seed_store(store_path: Path, repo_root: Path, repos: list[str], *, links: bool = True,
               github: bool = True, archive: bool = True, pypi: bool | None = None) -> int:
    """Three check runs a day apart over every external link of content/, plus GitHub rows.

    ``links`` / ``github`` choose what is seeded (``make screenshots`` shows each data state);
    ``archive`` records an archived copy for every other broken link; ``pypi`` (default: as
    ``github``) the PyPI release of every catalog project and a few project events.
    Returns the number of URLs recorded (0 without ``links``)."""
    found = collect([repo_root / "content"], root=repo_root)
    urls = sorted(found)
    now = time.time()
    with Store(store_path, broken_after_runs=2, broken_after_hours=1.0) as store:
        if links:
            _seed_links(store, found, urls, now, archive)
        if github:
            _seed_github(store, repos, now)
        if (github if pypi is None else pypi):
            _seed_pypi(store, repo_root, now)
    return len(urls) if links else 0


def _seed_links(store: Store, found: dict[str, Any], urls: list[str], now: float, archive: bool) -> None:
    for days_ago in (2, 1, 0):
        when = now - days_ago * DAY
        run_id = store.start_run("check", started_at=when)
        store.record_locations((url, link.locations) for url, link in found.items())
        store.record_results(run_id, [_result(u, REASONS[i % len(REASONS)], when)
                                      for i, u in enumerate(urls)])
        store.finish_run(run_id, status="done", stats={"urls": len(urls)})
    if archive:
        dead = {"not_found", "server_error"}
        failing = [u for i, u in enumerate(urls) if REASONS[i % len(REASONS)] in dead]
        for url in failing[::2]:
            stamp = "20240101000000"
            store.save_archive_lookup(url, f"https://web.archive.org/web/{stamp}/{url}", stamp)


def _seed_github(store: Store, repos: list[str], now: float) -> None:
    for i, repo in enumerate(repos):
        if i % 5 == 4:
            store.save_github_repo(repo, state="missing", data={})
            continue
        pushed = now - (i * 97 % 800) * DAY
        store.save_github_repo(repo, state="ok", data={
            "name_with_owner": repo,
            "stars": 1234567 // (i + 1),
            "forks": 4321 // (i + 1),
            "open_issues": 87 + i,
            "pushed_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(pushed)),
            "release_tag": f"v{i + 1}.2.3-a-long-release-tag-name",
            "release_published_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(pushed - DAY)),
            "license": "NOASSERTION" if i % 4 == 3 else "BSD-3-Clause",
            "language": "Python",
            "description": "Distributed task queue with <b>markup</b> & an unusually long "
                           "description that should wrap rather than push the layout sideways.",
            "homepage": "https://example.org/",
            "archived": i % 3 == 2,
        })


def _iso(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def _seed_pypi(store: Store, repo_root: Path, now: float) -> None:
    """A release of every catalog project on PyPI, an earlier one seen as an event for every
    third, and one event of each other kind the refreshes record, on catalog projects."""
    from linkcheck.catalog import load_catalog

    entries = [e for e in load_catalog(repo_root / "content").section("projects") if e.pypi]
    for i, name in enumerate(dict.fromkeys(e.pypi for e in entries)):
        released = now - (i * 11 % 150 + 1) * DAY
        store.save_pypi_project(name, state="ok", etag=None, fetched_at=now, data={
            "name": name, "version": f"{i % 7 + 1}.{i % 4}.{i}", "released": _iso(released),
            "requires_python": ">=3.9", "yanked": False, "urls": {}, "summary": f"{name} on PyPI",
            "inactive": False, "yanked_versions": [],
        })
        if i % 3 == 0:
            store.record_project_event(f"pypi:{name}", "release", {
                "version": f"{i % 7 + 1}.{i % 4}.{i}rc1-a-rather-long-pre-release-name",
                "released": _iso(released - 9 * DAY), "previous": "0.9"}, released - 8 * DAY)
    with_repo = [e for e in entries if e.github_repo]
    for kind, entry, detail in (
        ("archived", with_repo[0], {"repo": with_repo[0].github_repo}),
        ("renamed", with_repo[1], {"from": with_repo[1].github_repo,
                                   "to": f"{with_repo[1].github_repo}-under-a-much-longer-new-name"}),
        ("inactive-classifier", entries[2], {"version": "1.0.0"}),
        ("yanked", entries[3], {"version": "0.0.1-yanked-for-a-bad-build"}),
    ):
        project = f"github:{entry.github_repo}" if kind in ("archived", "renamed") else f"pypi:{entry.pypi}"
        store.record_project_event(project, kind, detail, now - 2 * DAY)
