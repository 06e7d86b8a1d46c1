"""Celery tasks: thin wrappers that schedule the plain functions.

A check run: ``start_check_run`` (state queue) plans the run and sends one
chain per chunk, ``check_chunk`` (celery queue, any machine) ->
``record_chunk`` (state queue). The record that completes the run sends
``finish_check_run``, which sends ``write_report`` -> ``rebuild_site``.
Every task may run twice (late acks, redelivery after a crash) and is
idempotent; a lock in Redis keeps two runs of one job from overlapping.
The run watchdog (``look_after_runs``) is no task on a schedule: every worker
that consumes the state queue runs it from a thread (``watchdog.py``).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
import uuid
from typing import Any

import kombu.exceptions
import redis
from celery import chain, signals

from linkcheck.runs import chunked as fanout
from linkcheck.runs import progress, watch
from linkcheck.scheduler import liveness, watchdog, workers
from linkcheck.scheduler.app import (
    CHUNK_QUEUE,
    SETTINGS,
    STATE_QUEUE,
    app,
    time_limits,
    visibility_timeout,
)
from linkcheck.scheduler.broker import redis_client
from linkcheck.scheduler.locks import JobLock
from linkcheck.settings import Settings
from linkcheck.store import Store

log = logging.getLogger(__name__)

# Passing trouble worth retrying with backoff: the broker or a network blip,
# a store busy beyond its own 60 s wait.
RETRYABLE: tuple[type[BaseException], ...] = (
    ConnectionError,
    TimeoutError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    kombu.exceptions.OperationalError,
    sqlite3.OperationalError,
)
RETRY = {
    "autoretry_for": RETRYABLE,
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
}


def _settings() -> Settings:
    return SETTINGS  # built once by the app (scheduler/app.py)


def _lock(settings: Settings, job: str, ttl: float | None = None) -> JobLock:
    # Alive while progress is made: no recorded chunk for this long = run is dead.
    ttl = ttl or visibility_timeout(settings) + time_limits(settings)[1]
    return JobLock(redis_client(app.conf.broker_url), job, ttl)


def _send_chunk(store: Store, run_id: int, idx: int, urls: list[str], *,
                attempts_seen: int | None = None) -> bool:
    """Dispatch one chunk (check anywhere, then record here), counting the attempt
    in the store first: with ``attempts_seen``, only if nobody re-sent it meanwhile."""
    if attempts_seen is None:
        attempts_seen = next((c["attempts"] for c in store.run_chunks(run_id) if c["idx"] == idx), 0)
    if not store.mark_chunk_sent(run_id, idx, attempts_seen=attempts_seen):
        return False
    attempt = attempts_seen + 1
    chain(
        check_chunk.s(urls, run_id, idx, attempt).set(
            queue=CHUNK_QUEUE, task_id=watch.job_id("check", run_id, idx, attempt)),
        record_chunk.s(run_id, idx).set(
            queue=STATE_QUEUE, task_id=watch.job_id("record", run_id, idx, attempt)),
    ).apply_async()
    return True


def _dispatch_chunks(store: Store, run_id: int) -> int:
    """Send every chunk not sent yet (a redelivered start sends nothing twice)."""
    sent = 0
    for c in store.run_chunks(run_id):
        if c["done_at"] is None and c["attempts"] == 0:
            sent += _send_chunk(store, run_id, c["idx"], c["urls"], attempts_seen=0)
    return sent


# ------------------------------------------------------------------ check runs
@app.task(name="linkcheck.start_check_run", bind=True, **RETRY)
def start_check_run(self: Any, sources: list[str] | None = None, scheduled: bool = False,
                    startup: bool = False) -> int | None:
    """Open and dispatch a check run. ``scheduled`` (beat): at most one run per
    interval, however many beat processes send it; ``startup``: only when the store
    has no check run within the last interval (a fresh deployment checks at once)."""
    settings = _settings()
    token = f"check-run:{self.request.id}"
    lock = _lock(settings, "check-run")
    if not lock.acquire(token):
        log.info("a check run is already in progress (%s); this one is skipped", lock.holder())
        return None
    interval = settings.check_interval_hours * 3600
    with Store.from_settings(settings) as store:
        run_id = store.run_of_lock(token)
        if run_id is None:
            skip = None
            if startup and interval > 0:
                recent = [r for r in store.runs("check") if r["started_at"] > time.time() - interval]
                if recent:
                    skip = f"run {recent[-1]['id']} started less than one interval ago"
            if skip is None and scheduled and interval > 0 and not store.claim_schedule(
                    "check-run", min_gap=interval / 2, token=token):
                skip = "another beat already started this interval's run"
            if skip is not None:
                log.info("scheduled check run skipped: %s", skip)
                lock.release(token)
                return None
            fanout.abandon_stale_runs(store)  # we hold the lock: no other scheduled run is alive
            # chunks sized for the processes that will check them (none up yet: this machine's)
            slots = workers.queue_slots(app, CHUNK_QUEUE) or os.cpu_count() or 1
            plan = fanout.plan_check_run(settings, store, sources, token=token, slots=slots)
            run_id = plan.run_id
        sent = _dispatch_chunks(store, run_id)
        empty = not store.run_chunks(run_id)
    if empty:
        finish_check_run.delay(run_id, token)
        return run_id
    log.info("check run %d: %d chunks sent", run_id, sent)
    return run_id


@app.task(name="linkcheck.check_chunk", bind=True, **RETRY)
def check_chunk(self: Any, urls: list[str], run_id: int, index: int, attempt: int = 1) -> dict[str, Any]:
    """Runs on any worker; touches no store, beats a heartbeat in Redis, returns JSON."""
    settings = _settings()
    soft, _hard = time_limits(settings)
    log.info("run %d chunk %d (attempt %d): %d URLs", run_id, index, attempt, len(urls))
    with liveness.heartbeat(redis_client(app.conf.broker_url), run_id, index, attempt,
                            every=max(1.0, settings.chunk_stall_after / 6)):
        # Stop a little before the soft limit so that partial results still travel on.
        return fanout.check_chunk(settings, urls, budget=max(1.0, soft * 0.9 - 1)).to_json()


@app.task(name="linkcheck.record_chunk", bind=True, **RETRY)
def record_chunk(self: Any, outcome: dict[str, Any], run_id: int, index: int) -> bool:
    settings = _settings()
    with Store.from_settings(settings) as store:
        complete = fanout.record_chunk(store, run_id, index, fanout.ChunkOutcome.from_json(outcome))
        token = (progress.planned(store, run_id) or {}).get("token")
    if token:
        _lock(settings, "check-run").extend(token)  # heartbeat: the run is alive
    if complete:
        finish_check_run.delay(run_id, token)
    return complete


@app.task(name="linkcheck.finish_check_run", bind=True, **RETRY)
def finish_check_run(self: Any, run_id: int, token: str | None = None) -> str:
    settings = _settings()
    with Store.from_settings(settings) as store:
        state = progress.progress(store, run_id)
        if state is not None and state.finished:
            return "already finished"
        status = fanout.finish_check_run(store, run_id)
        # Follow-ups first, then the mark: a crash in between repeats them
        # (a second report) rather than losing them. An offline run judged
        # nothing: a short note, no rebuild.
        if status == "offline":
            write_offline_report.delay(run_id)
        else:
            chain(write_report.si(run_id), rebuild_site.si()).apply_async()
        progress.mark_finished(store, run_id)
    if token:
        _lock(settings, "check-run").release(token)
    return status


# ------------------------------------------------------------- the watchdog
def look_after_runs(settings: Settings) -> dict[str, Any]:
    """Look at every running scheduled run: re-send stalled chunks, finish runs whose
    chunks are all in. Called by each state worker's watchdog thread (``watchdog.py``),
    one worker per ``watch_interval``; logs only what it does."""
    client = redis_client(app.conf.broker_url)
    now = time.time()
    resent: list[tuple[int, int]] = []
    active = 0
    with Store.from_settings(settings) as store:
        for run in store.runs("check"):
            plan = store.run_plan(run["id"])
            if run["status"] != "running" or plan is None:
                continue
            active += 1
            chunks = store.run_chunks(run["id"])
            attempts = {c["idx"]: c["attempts"] for c in chunks if c["done_at"] is None}
            beats = liveness.heartbeats(client, run["id"], attempts)
            queued = liveness.queued_chunks(client, [CHUNK_QUEUE, STATE_QUEUE], run["id"], attempts)
            views = watch.judge_chunks(chunks, beats, queued, now=now, stall_after=settings.chunk_stall_after,
                                       started_at=run["started_at"])
            for view, chunk in zip(views, chunks, strict=True):
                if view.state == "done":
                    continue
                store.note_chunk_liveness(run["id"], view.idx, seen_at=beats.get(view.idx),
                                          stalled_since=view.stalled_since)
                if view.state == "stalled" and _send_chunk(store, run["id"], view.idx, chunk["urls"],
                                                           attempts_seen=chunk["attempts"]):
                    log.warning("run watchdog: run %d chunk %d: no sign of life since %.0fs ago; "
                                "sent again (attempt %d)", run["id"], view.idx, now - (view.last_sign or now),
                                chunk["attempts"] + 1)
                    resent.append((run["id"], view.idx))
            state = progress.progress(store, run["id"])
            last_in = max((c["done_at"] or 0.0 for c in chunks), default=0.0)
            # the record of the last chunk sends the finish itself: only one lost on the way
            # (its worker died) is sent again, so a healthy run never needs the watchdog
            if (state is not None and state.complete and not state.finished
                    and now - last_in >= settings.chunk_stall_after):
                log.warning("run watchdog: run %d has every chunk in since %.0fs but was not finished; "
                            "finishing it", run["id"], now - last_in)
                finish_check_run.delay(run["id"], plan.get("token"))
    return {"active": active, "resent": resent}


@app.task(name="linkcheck.watch_runs", bind=True, **RETRY)
def watch_runs(self: Any) -> dict[str, Any]:
    """One look at the runs on demand (the workers' watchdog threads look by themselves)."""
    return look_after_runs(_settings())


def _start_watchdog(sender: Any = None, **_: Any) -> None:
    """A worker that consumes the state queue (it holds the store) keeps the watch."""
    queues = sender.app.amqp.queues.consume_from if sender is not None else {}
    if STATE_QUEUE not in queues:
        return
    settings = _settings()
    watchdog.start_once(redis_client(app.conf.broker_url), lambda: look_after_runs(settings),
                        settings.watch_interval, name=f"{getattr(sender, 'hostname', '')}:{uuid.uuid4().hex}")


def _stop_watchdog(**_: Any) -> None:
    watchdog.stop()


signals.worker_ready.connect(_start_watchdog, weak=False)
signals.worker_shutdown.connect(_stop_watchdog, weak=False)


# ---------------------------------------------------------- reports and site
@app.task(name="linkcheck.write_report", bind=True, **RETRY)
def write_report(self: Any, run_id: int | None = None) -> dict[str, str]:
    from linkcheck.report.build import write_report as write
    from linkcheck.report.deliver import deliver

    settings = _settings()
    with Store.from_settings(settings) as store:
        report = write(settings, store, run_id)
    outcomes = deliver(settings, report)
    paths = report.paths
    log.info("report of run %s written to %s; delivered: %s", run_id, paths.md,
             ", ".join(f"{o.channel}={'ok' if o.ok else 'failed'}" for o in outcomes) or "nowhere")
    return {"md": str(paths.md), "json": str(paths.json), "html": str(paths.html)}


@app.task(name="linkcheck.write_offline_report", bind=True, **RETRY)
def write_offline_report(self: Any, run_id: int) -> str:
    from linkcheck.report.build import write_offline_report as write

    settings = _settings()
    with Store.from_settings(settings) as store:
        path = write(settings, store, run_id)
    log.warning("check run %d had no network: nothing judged, no rebuild (%s)", run_id, path)
    return str(path)


@app.task(name="linkcheck.rebuild_site", bind=True, **RETRY)
def rebuild_site(self: Any) -> str:
    from linkcheck.scheduler.sitebuild import build_site

    settings = _settings()
    _soft, hard = time_limits(settings)
    # Builds queue up rather than skip: the later one carries the newer data.
    token = f"build:{self.request.id}"
    lock = _lock(settings, "build", ttl=hard)
    if not lock.acquire(token, wait=hard * 0.8):
        raise TimeoutError("another site build holds the lock")  # retried with backoff
    try:
        return str(build_site(settings, conf=settings.pelican_conf, timeout=hard * 0.8))
    finally:
        lock.release(token)


# ------------------------------------------------- GitHub, PyPI and downloads
def _refresh_metadata(task: Any, job: str, label: str, refresh: Any) -> dict[str, Any] | None:
    """One metadata refresh under its job lock; the site is rebuilt only when stored
    figures changed (an unchanged or paused run leaves it alone)."""
    settings = _settings()
    token = f"{job}:{task.request.id}"
    lock = _lock(settings, job, ttl=time_limits(settings)[1] + 60)
    if not lock.acquire(token):
        log.info("a %s refresh is already in progress; this one is skipped", label)
        return None
    try:
        with Store.from_settings(settings) as store:
            summary = refresh(settings, store)
    finally:
        lock.release(token)
    if summary.changed:
        rebuild_site.delay()
    return {"updated": summary.updated, "changed": summary.changed, "not_modified": summary.not_modified,
            "rate_limited": summary.rate_limited, "errors": len(summary.errors)}


@app.task(name="linkcheck.refresh_github", bind=True, **RETRY)
def refresh_github(self: Any) -> dict[str, Any] | None:
    from linkcheck.metadata.github import refresh

    return _refresh_metadata(self, "github", "GitHub", refresh)


@app.task(name="linkcheck.refresh_pypi", bind=True, **RETRY)
def refresh_pypi(self: Any) -> dict[str, Any] | None:
    from linkcheck.metadata.pypi import refresh

    return _refresh_metadata(self, "pypi", "PyPI", refresh)


@app.task(name="linkcheck.refresh_downloads", bind=True, **RETRY)
def refresh_downloads(self: Any) -> dict[str, Any] | None:
    from linkcheck.metadata.downloads import refresh

    return _refresh_metadata(self, "downloads", "downloads", refresh)
