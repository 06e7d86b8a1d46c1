"""Benchmark: what refreshing GitHub and PyPI data for 500 projects costs, against loopback fakes.

Serves ``tests/support/fakegithub.py`` (GitHub's REST and GraphQL shapes) and
``tests/support/fakepypi.py`` (PyPI's JSON API) with ``--repos`` projects and runs
``linkcheck.metadata.github.refresh`` and ``linkcheck.metadata.pypi.refresh``:

1. GitHub with a token (GraphQL, 100 repositories per query): requests used.
   Target: <= 5 requests for 500 repositories.
2. GitHub without a token (REST + conditional requests), twice: the second
   refresh of unchanged repositories must get only 304 Not Modified answers.
3. GitHub without a token under the unauthenticated limit (60 requests/hour):
   how many runs the stop-and-resume takes to get through the catalog.
4. PyPI, twice: the second refresh of unchanged projects must cost only 304s.
5. Failures, with a token: one permanently failing repository (blocked by
   GitHub) and one GraphQL batch that times out at 100 aliases; plus one PyPI
   project that always answers 503. Target: every other project is refreshed
   in the same run.

Prints figures; exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from linkcheck.metadata import github, pypi  # noqa: E402
from linkcheck.settings import Settings  # noqa: E402
from linkcheck.store import Store  # noqa: E402
from tests.support.fakegithub import FakeGitHub, serve_fake_github  # noqa: E402
from tests.support.fakepypi import FakePyPI, serve_fake_pypi  # noqa: E402

TOKEN = "ghp_benchmarkTOKEN"
REQUEST_TARGET = 5
BACKOFF = 0.5  # seconds before retrying a timed-out GraphQL query (default 2 s)


def settings(tmp: Path, api: str, pypi_api: str, token: str, name: str) -> Settings:
    return Settings.from_env(var_dir=tmp, store_path=tmp / f"{name}.sqlite3", reports_dir=tmp / "reports",
                             content_dir=tmp / "content", output_dir=tmp / "output",
                             github_api_url=api, github_token=token, pypi_api_url=pypi_api,
                             github_backoff=BACKOFF)


def timed(fn, s: Settings, **kw: object) -> tuple[object, float]:
    with Store(s.store_path) as store:
        start = time.perf_counter()
        summary = fn(s, store, **kw)
        return summary, time.perf_counter() - start


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repos", type=int, default=500)
    parser.add_argument("--hourly-limit", type=int, default=60, help="unauthenticated REST limit")
    args = parser.parse_args()

    fake = FakeGitHub(token=TOKEN)
    fake_pypi = FakePyPI()
    repos = [f"org{i % 37}/queue-{i}" for i in range(args.repos)]
    projects = {f"queue-{i}": repo for i, repo in enumerate(repos)}
    for i, repo in enumerate(repos):
        fake.add_repo(repo, stargazers_count=i * 13, release=None if i % 5 == 0 else f"v{i}.0")
        fake_pypi.add(f"queue-{i}", version=f"{i}.0", source=f"https://github.com/{repo}")
    ok = True
    with tempfile.TemporaryDirectory() as tmpdir, serve_fake_github(fake) as api, \
            serve_fake_pypi(fake_pypi) as pypi_api:
        tmp = Path(tmpdir)
        print(f"Metadata refresh of {len(repos)} projects against loopback fakes of GitHub and PyPI")

        graphql, wall = timed(github.refresh, settings(tmp, api, pypi_api, TOKEN, "graphql"), repos=repos)
        met = graphql.requests <= REQUEST_TARGET and graphql.updated == len(repos)
        ok &= met
        print(f"  GitHub with token (GraphQL): {graphql.requests} requests, {graphql.updated} repositories "
              f"stored, {wall:.2f} s  [target <= {REQUEST_TARGET} requests: {verdict(met)}]")

        rest = settings(tmp, api, pypi_api, "", "rest")
        first, wall = timed(github.refresh, rest, repos=repos)
        print(f"  GitHub without token, first refresh (REST): {first.requests} requests "
              f"({first.updated} repositories + latest releases), {wall:.2f} s")
        fake.seen.clear()
        second, wall = timed(github.refresh, rest, repos=repos)
        statuses = Counter(s.status for s in fake.seen)
        met = set(statuses) == {304} and second.not_modified == len(repos)
        ok &= met
        print(f"  GitHub without token, second refresh of unchanged repositories: {second.requests} requests,"
              f" statuses {dict(statuses)}, {wall:.2f} s  [only 304s: {verdict(met)}]")

        first_p, wall = timed(pypi.refresh, rest, projects=projects)
        met = first_p.updated == len(projects) and not first_p.errors
        ok &= met
        print(f"  PyPI, first refresh: {first_p.requests} requests, {first_p.updated} projects stored, "
              f"{wall:.2f} s  [all stored: {verdict(met)}]")
        fake_pypi.seen.clear()
        second_p, wall = timed(pypi.refresh, rest, projects=projects)
        statuses = Counter(s.status for s in fake_pypi.seen)
        met = set(statuses) == {304} and second_p.not_modified == len(projects)
        ok &= met
        print(f"  PyPI, second refresh of unchanged projects: {second_p.requests} requests, "
              f"statuses {dict(statuses)}, {wall:.2f} s  [only 304s: {verdict(met)}]")

        # failures: one blocked repository, one 100-alias batch that times out, one broken PyPI project
        failing = settings(tmp, api, pypi_api, TOKEN, "failing")
        blocked, slow_batch_member = repos[7], repos[250]
        fake.blocked.add(blocked.lower())
        fake.timeout_from, fake.timeout_only_with = 100, slow_batch_member
        fake_pypi.broken.add("queue-7")
        fake.seen.clear()
        gh, wall = timed(github.refresh, failing, repos=repos)
        sizes = [s.body.count("repository(owner:") for s in fake.seen]
        met = (gh.updated == len(repos) - 1 and list(gh.blocked) == [blocked] and not gh.pending
               and not gh.errors)
        ok &= met
        print(f"  GitHub with token, one blocked repository and one batch timing out at 100 aliases: "
              f"{gh.requests} requests (aliases per query {sizes}), {gh.updated} repositories stored, "
              f"{len(gh.blocked)} blocked, {len(gh.pending)} left over, {wall:.2f} s "
              f"[every other refreshed in the same run: {verdict(met)}]")
        for _ in range(2):  # run after run, the failing one never freezes the others
            for repo in repos[100:150]:
                fake.repos[repo.lower()]["stargazers_count"] += 1
            again, _ = timed(github.refresh, failing, repos=repos)
            met = again.changed == 50 and again.updated == len(repos) - 1
            ok &= met
        print(f"  GitHub, two more runs with 50 repositories changed each time: {again.changed} changed "
              f"stored in the last, blocked one still {list(again.blocked.values())} "
              f"[others keep refreshing: {verdict(met)}]")
        fake_pypi.seen.clear()
        pp, wall = timed(pypi.refresh, failing, projects=projects)
        met = pp.updated == len(projects) - 1 and pp.failed == ["queue-7"] and not pp.pending
        ok &= met
        print(f"  PyPI with one project answering 503: {pp.requests} requests, {pp.updated} stored, "
              f"failed {pp.failed}, {wall:.2f} s  [every other refreshed in the same run: {verdict(met)}]")
        fake.blocked.clear()
        fake.timeout_from = fake.timeout_only_with = None

        fake.limits["core"] = args.hourly_limit
        fake.refill()
        limited = settings(tmp, api, pypi_api, "", "limited")
        runs, now, pending, total = 0, time.time(), None, 0
        while pending != [] and runs < 10 * len(repos):
            summary, _ = timed(github.refresh, limited, repos=repos, now=now)
            runs += 1
            total += summary.requests
            pending = summary.pending
            if summary.rate_limited:
                fake.refill()  # the hour passes
                now = (summary.resume_after or now) + 1
        print(f"  GitHub without token at {args.hourly_limit} requests/hour: {runs} runs ({runs - 1} pauses "
              f"for the reset), {total} requests, nothing lost between runs: {pending == []}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
