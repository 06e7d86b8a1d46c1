"""The schedule for real: redis-server, celery worker and beat subprocesses, a
loopback fake site. No eager mode anywhere."""

from __future__ import annotations

import json
import shutil
import time
from urllib.parse import urlsplit

import pytest

from linkcheck.engine.chunking import host_key
from linkcheck.runs import progress
from tests.support.fakegithub import FakeGitHub, serve_fake_github

from .conftest import Deployment, FakeSite, Procs, wait_for, write_content

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]


def _done_run(d: Deployment) -> dict | None:
    with d.store() as store:
        runs = [r for r in store.runs("check") if r["status"] == "done"]
    return runs[0] if runs else None


def _finished_and_reported(d: Deployment) -> dict | None:
    run = _done_run(d)
    if run is None or not (d.reports_dir / "latest.json").exists():
        return None
    report = json.loads((d.reports_dir / "latest.json").read_text())
    return run if report["run"]["id"] == run["id"] else None


def _github_repo(d: Deployment, repo: str) -> dict | None:
    with d.store() as store:
        return store.github_repo(repo)


def _recorded(d: Deployment, run_id: int) -> list[str]:
    with d.store() as store:
        return [r["url"] for r in store.db.execute("SELECT url FROM checks WHERE run_id = ?", (run_id,))]


def test_beat_runs_checks_writes_report_and_rebuilds_site(
    deployment: Deployment, fake_site: FakeSite, procs: Procs
) -> None:
    d = deployment
    d.env["LINKCHECK_CHECK_INTERVAL_HOURS"] = str(3 / 3600)  # every 3 seconds
    procs.worker("chunks", "celery", concurrency=2)
    procs.worker("state", "state")
    started = time.time()
    procs.beat()

    run = wait_for(lambda: _finished_and_reported(d), 90, "a finished, reported check run", procs)
    assert run["finished_at"] > started
    urls = fake_site.urls()
    recorded = _recorded(d, run["id"])
    assert sorted(recorded) == sorted(urls)  # every link once
    with d.store() as store:
        results = store.run_results(run["id"])
        plan = progress.planned(store, run["id"])
        state = progress.progress(store, run["id"])
    assert results[f"{fake_site.bases[0]}/missing"].verdict == "error"
    assert results[f"{fake_site.bases[1]}/ok/1"].verdict == "ok"
    # chunks were fanned out and no host spans two chunks
    assert plan is not None and state is not None and state.chunks_done == state.chunks_total
    assert len(plan["lists"]) > 1
    hosts = [{host_key(u) for u in chunk} for chunk in plan["lists"]]
    assert sum(map(len, hosts)) == len(set().union(*hosts))
    assert run["stats"]["recorded"] == len(urls)

    report = json.loads((d.reports_dir / "latest.json").read_text())
    assert report["run"]["id"] == run["id"]
    assert (d.reports_dir / "latest.md").read_text()

    # the site is rebuilt after the run, with the run's data in it
    health = d.site_dir / "link-health.html"
    wait_for(lambda: health.exists() and health.stat().st_mtime >= run["finished_at"], 60,
             "the rebuilt site", procs)
    page = health.read_text()
    assert urlsplit(f"{fake_site.bases[0]}/missing").netloc in page
    assert (d.site_dir / "links.html").exists()

    # beat keeps its schedule state in the var folder
    assert list((d.root / "var").glob("celerybeat-schedule*"))


def test_a_run_is_split_for_the_processes_of_the_check_workers(
    deployment: Deployment, fake_site: FakeSite, procs: Procs
) -> None:
    from linkcheck.scheduler.app import CHUNK_QUEUE, make_app
    from linkcheck.scheduler.workers import queue_slots
    from linkcheck.settings import Settings

    d = deployment
    d.env["LINKCHECK_CHUNK_SIZE"] = "0"  # the default: sized from the inventory and the workers
    app = make_app(Settings.from_env(broker_url=d.env["LINKCHECK_BROKER_URL"], var_dir=d.root / "var"))
    assert queue_slots(app, CHUNK_QUEUE, timeout=0.5) is None  # nobody to ask yet
    procs.worker("chunks", "celery", concurrency=3)
    procs.worker("state", "state", concurrency=2)  # its processes check no chunk: not counted
    wait_for(lambda: queue_slots(app, CHUNK_QUEUE, timeout=0.5) == 3, 60, "the workers to answer", procs)
    d.send("linkcheck.start_check_run")
    run = wait_for(lambda: _done_run(d), 90, "the run to finish", procs)
    with d.store() as store:
        lists = progress.planned(store, run["id"])["lists"]
    # five hosts, three processes: a chunk each (more would leave a chunk with too few hosts)
    assert len(lists) == 3
    hosts = [{host_key(u) for u in chunk} for chunk in lists]
    assert sum(map(len, hosts)) == len(set().union(*hosts)) == 5
    assert sorted(_recorded(d, run["id"])) == sorted(fake_site.urls())


def _slow_chunk_in_flight(fake_site: FakeSite) -> bool:
    return bool(fake_site.slow_hits())


def test_worker_killed_mid_chunk_run_completes_with_every_link_once(
    deployment: Deployment, fake_site: FakeSite, procs: Procs
) -> None:
    d = deployment
    fake_site.delay[0] = 30.0  # the slow host holds its chunk in flight
    procs.worker("state", "state")
    doomed = procs.worker("doomed", "celery")
    d.send("linkcheck.start_check_run")
    wait_for(lambda: _slow_chunk_in_flight(fake_site), 60, "the slow chunk in flight", procs)
    killed_at = time.monotonic()
    doomed.kill()  # SIGKILL to the worker and its pool child, mid-chunk
    fake_site.delay[0] = 0.0
    procs.worker("rescue", "celery")

    run = wait_for(lambda: _finished_and_reported(d), 90, "the run to complete after the kill", procs)
    urls = fake_site.urls()
    recorded = _recorded(d, run["id"])
    assert sorted(recorded) == sorted(urls)  # nothing lost, nothing twice
    assert [t for t in fake_site.slow_hits() if t > killed_at], "the killed chunk was redelivered"
    with d.store() as store:
        assert len(store.runs("check")) == 1
        assert store.run_results(run["id"])[f"{fake_site.slow_base}/slow"].verdict == "ok"


def test_redis_restart_mid_run_completes(
    deployment: Deployment, fake_site: FakeSite, procs: Procs, redis_server
) -> None:
    d = deployment
    fake_site.delay[0] = 2.5  # in flight across the restart; HEAD + GET fit the chunk budget
    procs.worker("state", "state")
    procs.worker("chunks", "celery")
    d.send("linkcheck.start_check_run")
    wait_for(lambda: _slow_chunk_in_flight(fake_site), 60, "the slow chunk in flight", procs)
    redis_server.stop()  # clean shutdown: the append-only file keeps the queues
    time.sleep(1.0)
    redis_server.start()

    run = wait_for(lambda: _finished_and_reported(d), 120, "the run to complete after the restart", procs)
    assert sorted(_recorded(d, run["id"])) == sorted(fake_site.urls())
    assert all(p.popen.poll() is None for p in procs.started), "workers survived the restart"


def test_beat_refreshes_github_and_rebuilds_the_site(
    deployment: Deployment, fake_site: FakeSite, procs: Procs
) -> None:
    d = deployment
    content = d.root / "content"
    shutil.rmtree(content)
    write_content(content, fake_site.urls(), repo="acme/fastqueue")
    fake = FakeGitHub()
    fake.add_repo("acme/fastqueue", stargazers_count=4242)
    with serve_fake_github(fake) as api:
        d.env["GITHUB_API_URL"] = api
        d.env["LINKCHECK_GITHUB_INTERVAL_HOURS"] = str(3 / 3600)
        procs.worker("state", "state")
        procs.beat()
        wait_for(lambda: _github_repo(d, "acme/fastqueue"), 60, "GitHub figures in the store", procs)
        projects = d.site_dir / "projects.html"
        wait_for(lambda: projects.exists() and 'data-stars="4242"' in projects.read_text(), 60,
                 "the site rebuilt with the GitHub figures", procs)
    with d.store() as store:
        assert store.github_repo("acme/fastqueue")["data"]["stars"] == 4242
        assert store.runs("github")
