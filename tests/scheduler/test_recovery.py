"""Scheduled runs that always finish (issue 18), with real processes: redis-server,
celery workers and beats. The run watchdog re-sends a chunk that shows no sign of
life (no heartbeat, not queued); the broker's visibility timeout stays long.

Recovery times measured here are printed (run with -s to see them)."""

from __future__ import annotations

import time

import pytest

from linkcheck.store import Store

from .conftest import Deployment, FakeSite, Procs, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]


def _runs(d: Deployment) -> list[dict]:
    with d.store() as store:
        return store.runs("check")


def _finished(d: Deployment, run_id: int | None = None) -> dict | None:
    done = [r for r in _runs(d) if r["status"] == "done" and (run_id is None or r["id"] == run_id)]
    return done[0] if done else None


def _recorded(store: Store, run_id: int) -> list[str]:
    return sorted(store.run_results(run_id))


def _default_limits(d: Deployment) -> None:
    """Celery's task limit and visibility timeout at their defaults (1800 s, 2400 s)."""
    for key in ("LINKCHECK_TASK_TIME_LIMIT", "LINKCHECK_VISIBILITY_TIMEOUT"):
        d.env.pop(key, None)


def test_a_job_dropped_from_the_broker_is_sent_again(
    deployment: Deployment, fake_site: FakeSite, procs: Procs, redis_server
) -> None:
    d = deployment
    _default_limits(d)
    d.env["LINKCHECK_CHUNK_STALL_AFTER"] = "8"
    d.env["LINKCHECK_WATCH_INTERVAL"] = "2"
    procs.worker("state", "state")
    d.send("linkcheck.start_check_run")
    client = redis_server.client()
    wait_for(lambda: client.llen("celery") >= 3, 30, "chunks in the queue", procs)
    lost = client.rpop("celery")  # the next job a worker would take, gone for good
    assert lost
    dropped_at = time.monotonic()
    procs.worker("chunks", "celery", concurrency=2)

    run = wait_for(lambda: _finished(d), 60, "the run to finish without the dropped job", procs)
    recovered = time.monotonic() - dropped_at
    print(f"\ndropped job: run finished {recovered:.1f}s after the job was dropped (stall_after 8s)")
    with d.store() as store:
        assert _recorded(store, run["id"]) == sorted(fake_site.urls())  # every link, once
        chunks = store.run_chunks(run["id"])
    assert sorted(c["attempts"] for c in chunks)[-1] == 2  # exactly the lost chunk was sent twice
    assert sum(c["attempts"] for c in chunks) == len(chunks) + 1


@pytest.mark.long
def test_worker_sigkilled_at_default_settings_recovers_within_a_minute(
    deployment: Deployment, fake_site: FakeSite, procs: Procs
) -> None:
    d = deployment
    _default_limits(d)  # and the watchdog at its defaults: stall after 40 s, a look every 10 s
    fake_site.delay[0] = 30.0  # the slow host holds its chunk in flight
    procs.worker("state", "state")
    doomed = procs.worker("doomed", "celery")
    d.send("linkcheck.start_check_run")
    wait_for(lambda: fake_site.slow_hits(), 60, "the slow chunk in flight", procs)
    doomed.kill()  # SIGKILL to the worker and its pool child, mid-chunk
    killed_at = time.monotonic()
    fake_site.delay[0] = 0.0
    procs.worker("rescue", "celery")

    # while silent, `linkcheck runs` tells which chunk stalled and what happens next
    run = wait_for(lambda: _finished(d), 100, "the run to complete after the kill", procs)
    finished = time.monotonic() - killed_at
    resent = [t - killed_at for t in fake_site.slow_hits() if t > killed_at]
    assert resent, "the killed chunk was sent again"
    print(f"\nSIGKILL: chunk sent again {resent[0]:.1f}s after the kill, run finished {finished:.1f}s after")
    assert resent[0] < 60  # stall_after 40 s + one watch interval 10 s + start-up
    with d.store() as store:
        assert _recorded(store, run["id"]) == sorted(fake_site.urls())
        assert store.run_results(run["id"])[f"{fake_site.slow_base}/slow"].verdict == "ok"
        assert len(store.runs("check")) == 1
        slow_chunk = [c for c in store.run_chunks(run["id"]) if f"{fake_site.slow_base}/slow" in c["urls"]][0]
    assert slow_chunk["attempts"] == 2 and slow_chunk["stalled_since"] is not None


@pytest.mark.long
@pytest.mark.timeout(300)
def test_worker_sigkilled_without_beat_recovers_within_three_minutes(
    deployment: Deployment, fake_site: FakeSite, procs: Procs
) -> None:
    """Issue 24: recovery must not depend on beat. The watchdog used to renew itself with a
    delayed message, held in memory by the worker that reserved it: SIGKILL that worker (here
    the only one, both queues, as `make scheduler` runs it) with no beat, and nothing looked
    again until the visibility timeout (40 minutes at defaults) brought the chunk back."""
    d = deployment
    _default_limits(d)  # and the watchdog at its defaults: stall after 40 s, a look every 10 s
    fake_site.delay[0] = 30.0  # the slow host holds its chunk in flight
    doomed = procs.worker("doomed", "celery,state", concurrency=2)
    d.send("linkcheck.start_check_run")
    wait_for(lambda: fake_site.slow_hits(), 60, "the slow chunk in flight", procs)
    doomed.kill()  # SIGKILL to the worker and its pool children: no beat anywhere
    killed_at = time.monotonic()
    fake_site.delay[0] = 0.0
    procs.worker("rescue", "celery,state", concurrency=2)

    run = wait_for(lambda: _finished(d), 240, "the run to complete after the kill, without beat", procs)
    finished = time.monotonic() - killed_at
    resent = [t - killed_at for t in fake_site.slow_hits() if t > killed_at]
    assert resent, "the killed chunk was sent again"
    print(f"\nSIGKILL, no beat: chunk sent again {resent[0]:.1f}s after the kill, run finished "
          f"{finished:.1f}s after")
    assert resent[0] <= 180  # stall_after 40 s + one watch interval 10 s + start-up; 2400 s before
    with d.store() as store:
        assert _recorded(store, run["id"]) == sorted(fake_site.urls())
        assert store.run_results(run["id"])[f"{fake_site.slow_base}/slow"].verdict == "ok"
    assert "watch_runs[" not in (d.logs / "rescue.log").read_text()  # no watch task sent or run


@pytest.mark.long
def test_two_beats_start_one_run_per_interval(
    deployment: Deployment, fake_site: FakeSite, procs: Procs
) -> None:
    d = deployment
    interval = 6.0
    d.env["LINKCHECK_CHECK_INTERVAL_HOURS"] = str(interval / 3600)
    procs.worker("chunks", "celery", concurrency=2)
    procs.worker("state", "state", concurrency=2)
    # two machines (or a restart in a new folder): separate schedule files
    procs.start("beat-a", ["beat", "--loglevel=INFO", "-s", str(d.root / "a-schedule")])
    procs.start("beat-b", ["beat", "--loglevel=INFO", "-s", str(d.root / "b-schedule")])
    first = wait_for(lambda: _runs(d), 30, "the first run (at start)", procs)[0]
    window = 4 * interval
    time.sleep(window + 1)
    procs.stop_all()
    runs = [r for r in _runs(d) if r["started_at"] <= first["started_at"] + window]
    starts = [r["started_at"] for r in runs]
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    print(f"\ntwo beats: {len(runs)} runs in {window:.0f}s at a {interval:.0f}s interval; gaps {gaps}")
    assert 4 <= len(runs) <= 5  # the run at start + one per interval (not two per interval)
    assert all(g >= interval / 2 for g in gaps)
    with d.store() as store:
        for r in runs:
            if r["status"] == "done":
                assert _recorded(store, r["id"]) == sorted(fake_site.urls())
