"""Benchmark: what refreshing GitHub data for 500 projects costs, against the loopback fake API.

Serves ``tests/support/fakegithub.py`` (GitHub's REST and GraphQL shapes) with
``--repos`` repositories and runs ``linkcheck.metadata.github.refresh`` three ways:

1. with a token (GraphQL, 100 repositories per query): requests used.
   Target: <= 5 requests for 500 repositories.
2. without a token (REST + conditional requests), twice: the second refresh of
   unchanged repositories must get only 304 Not Modified answers.
3. without a token under GitHub's unauthenticated limit (60 requests/hour):
   how many runs the stop-and-resume takes to get through the catalog.

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

from linkcheck.metadata.github import refresh  # noqa: E402
from linkcheck.settings import Settings  # noqa: E402
from linkcheck.store import Store  # noqa: E402
from tests.support.fakegithub import FakeGitHub, serve_fake_github  # noqa: E402

TOKEN = "ghp_benchmarkTOKEN"
REQUEST_TARGET = 5


def settings(tmp: Path, api: str, token: str, name: str) -> Settings:
    return Settings.from_env(var_dir=tmp, store_path=tmp / f"{name}.sqlite3", reports_dir=tmp / "reports",
                             content_dir=tmp / "content", output_dir=tmp / "output",
                             github_api_url=api, github_token=token)


def timed(s: Settings, repos: list[str], **kw: object) -> tuple[object, float]:
    with Store(s.store_path) as store:
        start = time.perf_counter()
        summary = refresh(s, store, repos=repos, **kw)
        return summary, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repos", type=int, default=500)
    parser.add_argument("--hourly-limit", type=int, default=60, help="unauthenticated REST limit")
    args = parser.parse_args()

    fake = FakeGitHub(token=TOKEN)
    repos = [f"org{i % 37}/queue-{i}" for i in range(args.repos)]
    for i, repo in enumerate(repos):
        fake.add_repo(repo, stargazers_count=i * 13, release=None if i % 5 == 0 else f"v{i}.0")
    ok = True
    with tempfile.TemporaryDirectory() as tmpdir, serve_fake_github(fake) as api:
        tmp = Path(tmpdir)
        print(f"GitHub refresh of {len(repos)} repositories against the loopback fake API")

        graphql, wall = timed(settings(tmp, api, TOKEN, "graphql"), repos)
        met = graphql.requests <= REQUEST_TARGET and graphql.updated == len(repos)
        ok &= met
        print(f"  with token (GraphQL): {graphql.requests} requests, {graphql.updated} repositories "
              f"stored, {wall:.2f} s  [target <= {REQUEST_TARGET} requests: {'met' if met else 'MISSED'}]")

        rest = settings(tmp, api, "", "rest")
        first, wall = timed(rest, repos)
        print(f"  without token, first refresh (REST): {first.requests} requests "
              f"({first.updated} repositories + latest releases), {wall:.2f} s")
        fake.seen.clear()
        second, wall = timed(rest, repos)
        statuses = Counter(s.status for s in fake.seen)
        met = set(statuses) == {304} and second.not_modified == len(repos)
        ok &= met
        print(f"  without token, second refresh of unchanged repositories: {second.requests} requests, "
              f"statuses {dict(statuses)}, {wall:.2f} s  [only 304s: {'met' if met else 'MISSED'}]")

        fake.limits["core"] = args.hourly_limit
        fake.refill()
        limited = settings(tmp, api, "", "limited")
        runs, now, pending, total = 0, time.time(), None, 0
        while pending != [] and runs < 10 * len(repos):
            summary, _ = timed(limited, repos, now=now)
            runs += 1
            total += summary.requests
            pending = summary.pending
            if summary.rate_limited:
                fake.refill()  # the hour passes
                now = (summary.resume_after or now) + 1
        print(f"  without token at {args.hourly_limit} requests/hour: {runs} runs ({runs - 1} pauses for the "
              f"reset), {total} requests, nothing lost between runs: {pending == []}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
