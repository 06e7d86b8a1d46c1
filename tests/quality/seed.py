"""A store full of real-looking data, so the gates and `make screenshots` see the site as it looks
once checks and refreshes have run: link marks (mostly working links; a few moved, blocked and
broken ones, a broken fact source among them), the link-health page's tables and chart, GitHub
figures near the real ones (frameworks far above the queues they ship, an archived repository, a
long-quiet one), PyPI releases, PyPI downloads of the last month, and the project events the
refreshes record (the news page).

Test data only, written through the real Store API (no network): the figures approximate what
GitHub and PyPI showed for these projects in 2025 and are never shown on the real site.
"""

from __future__ import annotations

import time
import zlib
from pathlib import Path
from typing import Any

from linkcheck.catalog import load_catalog
from linkcheck.engine.verdict import verdict_of
from linkcheck.inventory.collect import collect
from linkcheck.model import Result
from linkcheck.store import Store

DAY = 86400.0

# owner/name -> (stars, latest release, days since it, days since the last push, licence)
REPOS: dict[str, tuple[int, str, int, int, str]] = {
    "fastapi/fastapi": (90_400, "0.118.0", 9, 1, "MIT"),
    # consistent with the catalog's text: django.tasks is new in Django 6.0
    "django/django": (85_100, "6.0.1", 33, 0, "BSD-3-Clause"),
    "apache/airflow": (41_200, "3.1.0", 40, 0, "Apache-2.0"),
    "celery/celery": (26_800, "v5.5.3", 160, 2, "NOASSERTION"),
    "PrefectHQ/prefect": (20_300, "3.4.22", 6, 0, "Apache-2.0"),
    "spotify/luigi": (18_400, "3.6.0", 300, 60, "Apache-2.0"),
    "dagster-io/dagster": (13_900, "1.11.13", 8, 0, "Apache-2.0"),
    "dbader/schedule": (12_100, "1.2.2", 640, 380, "MIT"),
    "rq/rq": (10_400, "v2.6.0", 55, 6, "NOASSERTION"),
    "mher/flower": (6_900, "v2.0.1", 760, 120, "NOASSERTION"),
    "agronholm/apscheduler": (6_800, "3.11.0", 290, 12, "MIT"),
    "coleifer/huey": (5_500, "2.5.4", 70, 15, "MIT"),
    "hatchet-dev/hatchet": (5_600, "v0.71.3", 4, 0, "MIT"),
    "Bogdanp/dramatiq": (4_900, "v1.18.0", 120, 20, "LGPL-3.0"),
    "ag2ai/faststream": (4_600, "0.6.0", 25, 1, "Apache-2.0"),
    "pgmq/pgmq": (3_900, "v1.7.0", 30, 3, "PostgreSQL"),
    "python-arq/arq": (2_400, "v0.26.3", 300, 50, "MIT"),
    "rq/django-rq": (1_900, "v3.1", 90, 25, "MIT"),
    "celery/django-celery-beat": (1_800, "v2.8.1", 150, 14, "NOASSERTION"),
    "taskiq-python/taskiq": (1_600, "0.11.18", 45, 10, "MIT"),
    "rq/rq-scheduler": (1_450, "v0.14.0", 520, 200, "MIT"),
    "Parallels/rq-dashboard": (1_500, "v0.8.5", 230, 40, "BSD-2-Clause"),
    "closeio/tasktiger": (1_450, "v0.25.0", 250, 30, "MIT"),
    "janbjorge/pgqueuer": (1_300, "v0.21.1", 12, 2, "MIT"),
    "procrastinate-org/procrastinate": (1_150, "3.5.2", 20, 1, "MIT"),
    "sibson/redbeat": (950, "v2.3.2", 400, 100, "Apache-2.0"),
    "dbos-inc/dbos-transact-py": (900, "2.3.0", 10, 0, "MIT"),
    "temporalio/sdk-python": (850, "1.18.1", 14, 1, "MIT"),
    "tobymao/saq": (820, "v0.25.2", 35, 9, "MIT"),
    "celery/django-celery-results": (720, "v2.6.0", 200, 30, "NOASSERTION"),
    "django-q2/django-q2": (560, "v1.8.0", 180, 40, "MIT"),
    # the catalog's text: "Since version 0.12.0 the database and RQ backends are separate packages"
    "RealOrangeOne/django-tasks": (520, "0.12.0", 30, 4, "BSD-3-Clause"),
    "TkTech/chancy": (460, "v0.24.3", 60, 8, "MIT"),
    "danihodovic/celery-exporter": (450, "v0.12.1", 200, 90, "MIT"),
    "dcramer/taskmaster": (440, "0.8.0", 4200, 4000, "Apache-2.0"),
    "modal-labs/modal-client": (420, "v1.1.4", 3, 0, "Apache-2.0"),
    "Bogdanp/dramatiq_dashboard": (330, "v0.4.0", 1350, 1330, "LGPL-3.0"),  # long quiet
    "tastyware/streaq": (210, "v4.0.0", 20, 2, "MIT"),
    "mercadona/rele": (170, "1.16.0", 330, 90, "Apache-2.0"),
    "inngest/inngest-py": (110, "0.5.9", 12, 1, "Apache-2.0"),
    "mdawar/rq-exporter": (90, "v2.1.0", 900, 880, "MIT"),  # archived on GitHub below
    "oban-bg/oban-py": (80, "v0.2.0", 15, 3, "Apache-2.0"),
    "restatedev/sdk-python": (70, "v0.9.1", 20, 2, "MIT"),
    "RealOrangeOne/django-tasks-db": (20, "0.1.0", 60, 20, "BSD-3-Clause"),
}
ARCHIVED = frozenset({"mdawar/rq-exporter", "dcramer/taskmaster"})
# PyPI downloads of the last month (pypistats.org), by PyPI name
DOWNLOADS: dict[str, int] = {
    "fastapi": 92_000_000, "django": 24_000_000, "apache-airflow": 26_000_000, "celery": 11_800_000,
    "prefect": 6_300_000, "dagster": 3_900_000, "apscheduler": 9_400_000, "schedule": 3_100_000,
    "rq": 2_300_000, "flower": 2_100_000, "huey": 730_000, "dramatiq": 960_000, "faststream": 610_000,
    "arq": 880_000, "django-rq": 780_000, "django-celery-beat": 3_600_000, "taskiq": 370_000,
    "rq-scheduler": 610_000, "rq-dashboard": 150_000, "tasktiger": 61_000, "pgqueuer": 64_000,
    "procrastinate": 150_000, "celery-redbeat": 920_000, "dbos": 41_000, "temporalio": 3_200_000,
    "saq": 120_000, "django-celery-results": 2_700_000, "django-q2": 210_000, "django-tasks": 190_000,
    "chancy": 3_100, "taskmaster": 420, "modal": 1_300_000, "dramatiq-dashboard": 14_000,
    "streaq": 5_200, "rele": 8_300, "inngest": 120_000, "rq-exporter": 9_800, "oban": 900,
    "restate-sdk": 22_000, "django-tasks-db": 1_900, "hatchet-sdk": 260_000, "luigi": 640_000,
    "pgmq": 52_000, "periodiq": 6_100, "dramatiq-crontab": 18_000,
}


def _stable(text: str) -> int:
    """A number per name that is the same in every run (str hashes are salted)."""
    return zlib.crc32(text.encode())


def _reason(url: str, fact_sources: dict[str, str]) -> str:
    """Mostly working links, as a real catalog has: a few moved, blocked and broken ones (a broken
    fact source among them: the scheduling docs of the first project that has that fact)."""
    if fact_sources.get(url) == "scheduling-first":
        return "not_found"
    n = _stable(url) % 100
    if n < 3:
        return "not_found"
    if n < 4:
        return "server_error"
    if n < 10:
        return "moved_permanently"
    if n < 12:
        return "bot_blocked"
    if n < 13:
        return "redirect_temporary"
    return "ok"


def _result(url: str, reason: str, when: float) -> Result:
    status = {"ok": 200, "moved_permanently": 200, "not_found": 404, "bot_blocked": 403,
              "server_error": 503, "redirect_temporary": 200, "timeout": None}.get(reason)
    moved = reason in {"moved_permanently", "redirect_temporary"}
    final = url.rstrip("/") + "/moved-to-a-new-location" if moved else None
    return Result(
        url=url, verdict=verdict_of(reason), reason=reason,
        message=f"seeded for the quality gates: {reason}", status=status, final_url=final,
        redirects=[(301 if reason == "moved_permanently" else 302, final)] if final else [],
        title="A page title", checked_at=when, elapsed=0.4, attempts=1,
    )


def seed_store(store_path: Path, repo_root: Path, repos: list[str] | None = None, *, links: bool = True,
               github: bool = True, archive: bool = True, downloads: bool = True) -> int:
    """Three check runs a day apart over every external link of content/, plus GitHub and PyPI data.

    ``links`` / ``github`` choose what is seeded (``make screenshots`` shows each data state; PyPI
    releases and downloads come with ``github``, ``downloads=False`` leaves the downloads out);
    ``archive`` records an archived copy for every other broken link; project events (an
    earlier release, the archived repository, a rename, an inactive classifier, a yanked
    release) come with the PyPI data. ``repos``: the GitHub
    repositories to seed (default: every one the catalog names).
    Returns the number of URLs recorded (0 without ``links``)."""
    catalog = load_catalog(repo_root / "content")
    projects = catalog.section("projects")
    if repos is None:
        repos = sorted({e.github_repo for e in projects if e.github_repo})
    found = collect([repo_root / "content"], root=repo_root)
    urls = sorted(found)
    now = time.time()
    with Store(store_path, broken_after_runs=2, broken_after_hours=1.0) as store:
        if links:
            first = next(e for e in projects if e.fact("scheduling"))
            marked = {first.facts["scheduling"].source: "scheduling-first"}
            _seed_links(store, found, urls, now, archive, marked)
        if github:
            _seed_github(store, repos, now)
            _seed_pypi(store, sorted({e.pypi for e in projects if e.pypi}), {
                e.pypi: e.github_repo for e in projects if e.pypi}, now, downloads)
            _seed_events(store, projects, now)
    return len(urls) if links else 0


def _seed_links(store: Store, found: dict[str, Any], urls: list[str], now: float, archive: bool,
                fact_sources: dict[str, str]) -> None:
    reasons = {u: _reason(u, fact_sources) for u in urls}
    # one link failed only in the last run: "being rechecked", not broken yet
    flaky = next((u for u in urls if reasons[u] == "ok" and _stable(u) % 100 == 50), None)
    for days_ago in (2, 1, 0):
        when = now - days_ago * DAY
        run_id = store.start_run("check", started_at=when)
        store.record_locations((url, link.locations) for url, link in found.items())
        store.record_results(run_id, [
            _result(u, "timeout" if (u == flaky and days_ago == 0) else reasons[u], when) for u in urls])
        store.finish_run(run_id, status="done", stats={"urls": len(urls)})
    if archive:
        failing = [u for u in urls if reasons[u] in {"not_found", "server_error"}]
        for url in failing[::2]:
            stamp = "20240101000000"
            store.save_archive_lookup(url, f"https://web.archive.org/web/{stamp}/{url}", stamp)


def _iso(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def _repo_figures(repo: str) -> tuple[int, str, int, int, str]:
    """The figures of a repository the table above does not know: modest and stable."""
    if repo in REPOS:
        return REPOS[repo]
    n = _stable(repo)
    return (50 + n % 900, f"v1.{n % 9}.{n % 5}", 10 + n % 200, 1 + n % 60, "MIT")


def _seed_github(store: Store, repos: list[str], now: float) -> None:
    for repo in repos:
        stars, tag, released_days, pushed_days, licence = _repo_figures(repo)
        store.save_github_repo(repo, state="ok", data={
            "name_with_owner": repo,
            "stars": stars,
            "forks": stars // 8,
            "open_issues": 20 + stars // 200,
            "pushed_at": _iso(now - pushed_days * DAY),
            "release_tag": tag,
            "release_published_at": _iso(now - released_days * DAY),
            "license": licence,
            "language": "Python",
            "description": f"{repo.split('/')[1]}: <b>markup</b> & text from GitHub, escaped on the site",
            "homepage": "https://example.org/",
            "archived": repo in ARCHIVED,
        })


def _seed_pypi(store: Store, names: list[str], repo_of: dict[str, str | None], now: float,
               downloads: bool) -> None:
    for name in names:
        repo = repo_of.get(name)
        _, tag, released_days, _, _ = _repo_figures(repo or name)
        store.save_pypi_project(name, state="ok", etag=None, fetched_at=now, data={
            "name": name,
            "version": tag.removeprefix("v"),
            "released": _iso(now - released_days * DAY),
            "requires_python": ">=3.9",
            "yanked": False,
            "yanked_reason": None,
            "urls": {"Source": f"https://github.com/{repo}"} if repo else {},
            "source_repo": repo.lower() if repo else None,
        })
        if downloads:
            store.save_pypi_downloads(name, DOWNLOADS.get(name, 1_000 + _stable(name) % 9_000), now)


def _seed_events(store: Store, projects: list[Any], now: float) -> None:
    """What the refreshes record when they see a change (the news page): a release candidate
    before the latest release of every fourth project (a pre-release, which news leaves out),
    the archived repository's flag, one rename, an inactive classifier and a yanked release,
    each on a catalog project."""
    with_pypi = [e for e in projects if e.pypi and not e.part_of]
    for entry in with_pypi[::4]:
        _, tag, released_days, _, _ = _repo_figures(entry.github_repo or entry.pypi)
        major, _, rest = tag.removeprefix("v").partition(".")
        earlier = f"{major}.{rest}rc1" if rest else f"{major}rc1"
        when = now - (released_days + 21) * DAY
        store.record_project_event(f"pypi:{entry.pypi}", "release",
                                   {"version": earlier, "released": _iso(when)}, when + DAY)
    archived = next(e for e in projects if e.github_repo in ARCHIVED and not e.status)
    store.record_project_event(f"github:{archived.github_repo}", "archived",
                               {"repo": archived.github_repo}, now - 3 * DAY)
    renamed = next(e for e in with_pypi if e.github_repo and e.github_repo not in ARCHIVED)
    store.record_project_event(f"github:{renamed.github_repo}", "renamed",
                               {"from": renamed.github_repo, "to": f"{renamed.github_repo}-project"},
                               now - 5 * DAY)
    store.record_project_event(f"pypi:{with_pypi[-1].pypi}", "inactive-classifier",
                               {"version": "1.0.0"}, now - 7 * DAY)
    store.record_project_event(f"pypi:{with_pypi[-2].pypi}", "yanked", {"version": "0.9.1"}, now - 9 * DAY)
