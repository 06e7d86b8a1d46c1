"""Scheduled GitHub, PyPI and downloads refreshes rebuild the site only when stored figures
changed (issue 14 item 7): a real worker against the loopback fake GitHub API, fake PyPI and
fake pypistats.
Rebuilds are observed in the worker's task log, the figures in the store and the site."""

from __future__ import annotations

import re
import shutil

import pytest

from tests.support.fakegithub import FakeGitHub, serve_fake_github
from tests.support.fakepypi import FakePyPI, serve_fake_pypi
from tests.support.fakepypistats import FakePyPIStats, serve_fake_pypistats

from .conftest import Deployment, FakeSite, Procs, wait_for, write_content

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]

TASK_RE = re.compile(r"Task (linkcheck\.\w+)\[[^\]]+\] (received|succeeded in [\d.]+s: (.*))$", re.M)


def _events(log: str) -> list[tuple[str, str, str]]:
    """(task, 'received' | 'succeeded', its return value) in the worker's order."""
    return [(m.group(1), m.group(2).split()[0], m.group(3) or "") for m in TASK_RE.finditer(log)]


def test_refreshes_rebuild_the_site_only_when_stored_figures_changed(
    deployment: Deployment, fake_site: FakeSite, procs: Procs
) -> None:
    d = deployment
    content = d.root / "content"
    shutil.rmtree(content)
    write_content(content, fake_site.urls(), repo="acme/fastqueue")
    projects_yaml = content / "catalog" / "projects.yaml"
    projects_yaml.write_text(projects_yaml.read_text() + "  pypi: fastqueue\n")
    github, pypi, stats = FakeGitHub(), FakePyPI(), FakePyPIStats()
    github.add_repo("acme/fastqueue", stargazers_count=4242)
    pypi.add("fastqueue", version="1.0.0", source="https://github.com/acme/fastqueue")
    stats.add("fastqueue", 123_456)

    with serve_fake_github(github) as gh_api, serve_fake_pypi(pypi) as pypi_api, \
            serve_fake_pypistats(stats) as stats_api:
        d.env["GITHUB_API_URL"] = gh_api
        d.env["PYPI_API_URL"] = pypi_api
        d.env["PYPISTATS_API_URL"] = stats_api
        worker = procs.worker("state", "state")  # refreshes and rebuilds run on the state queue

        def settle(task: str) -> list[tuple[str, str, str]]:
            """Send ``task`` as beat does; once it succeeded, a marker task on the same queue:
            when the marker is done, anything the refresh queued (a rebuild) has run before it."""
            log = worker.log
            before = len(_events(log.read_text(errors="replace")))

            def last_is(name: str) -> list | None:
                ev = _events(log.read_text(errors="replace"))[before:]
                return ev if any(t == name and what == "succeeded" for t, what, _ in ev) else None

            d.send(task)
            wait_for(lambda: last_is(task), 60, task, procs)
            d.send("linkcheck.watch_runs")
            return wait_for(lambda: last_is("linkcheck.watch_runs"), 60, f"what {task} queued", procs)

        def rebuilds(ev: list[tuple[str, str, str]]) -> int:
            return sum(1 for t, what, _ in ev if t == "linkcheck.rebuild_site" and what == "succeeded")

        def summary(ev: list[tuple[str, str, str]], task: str) -> str:
            return next(v for t, what, v in ev if t == task and what == "succeeded")

        # first refreshes: figures are new, the site is rebuilt after each
        ev = settle("linkcheck.refresh_github")
        assert "'changed': 1" in summary(ev, "linkcheck.refresh_github") and rebuilds(ev) == 1, ev
        ev = settle("linkcheck.refresh_pypi")
        assert "'changed': 1" in summary(ev, "linkcheck.refresh_pypi") and rebuilds(ev) == 1, ev
        page = (d.site_dir / "projects.html").read_text()
        assert 'data-stars="4242"' in page and "1.0.0" in page

        # unchanged: every answer a 304, nothing changed, no rebuild queued
        github.seen.clear()
        pypi.seen.clear()
        ev = settle("linkcheck.refresh_github") + settle("linkcheck.refresh_pypi")
        assert github.seen and all(s.status == 304 for s in github.seen), [s.status for s in github.seen]
        assert pypi.seen and all(s.status == 304 for s in pypi.seen), [s.status for s in pypi.seen]
        assert "'changed': 0" in summary(ev, "linkcheck.refresh_github")
        assert "'changed': 0" in summary(ev, "linkcheck.refresh_pypi")
        assert not any(t == "linkcheck.rebuild_site" for t, _, _ in ev), ev

        # changed upstream: new stars, a new release -> one rebuild each, with the new figures
        github.repos["acme/fastqueue"]["stargazers_count"] = 5000
        ev = settle("linkcheck.refresh_github")
        assert "'changed': 1" in summary(ev, "linkcheck.refresh_github") and rebuilds(ev) == 1, ev
        pypi.release("fastqueue", "1.1.0", "2026-11-29T08:00:00Z")
        ev = settle("linkcheck.refresh_pypi")
        assert "'changed': 1" in summary(ev, "linkcheck.refresh_pypi") and rebuilds(ev) == 1, ev
        page = (d.site_dir / "projects.html").read_text()
        assert 'data-stars="5000"' in page and "1.1.0" in page

        # downloads: through the same task body; a new figure -> one rebuild, a fresh one is not asked
        ev = settle("linkcheck.refresh_downloads")
        assert "'changed': 1" in summary(ev, "linkcheck.refresh_downloads") and rebuilds(ev) == 1, ev
        ev = settle("linkcheck.refresh_downloads")
        assert "'changed': 0" in summary(ev, "linkcheck.refresh_downloads"), ev
        assert not any(t == "linkcheck.rebuild_site" for t, _, _ in ev), ev
        assert stats.count() == 1  # the second run found the figure fresh
    with d.store() as store:
        assert store.github_repo("acme/fastqueue")["data"]["stars"] == 5000
        assert store.pypi_project("fastqueue")["data"]["version"] == "1.1.0"
        assert store.pypi_downloads()["fastqueue"]["last_month"] == 123_456
