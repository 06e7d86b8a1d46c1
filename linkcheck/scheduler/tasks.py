"""Celery tasks: thin wrappers that schedule the plain functions.

A check run: ``start_check_run`` (state queue) plans the run and sends one
chain per chunk, ``check_chunk`` (celery queue, any machine) ->
``record_chunk`` (state queue). The record that completes the run sends
``finish_check_run``, which sends ``write_report`` -> ``rebuild_site``.
Every task may run twice (late acks, redelivery after a crash) and is
idempotent; a lock in Redis keeps two runs of one job from overlapping.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

import kombu.exceptions
import redis
from celery import chain, group

from linkcheck.runs import chunked as fanout
from linkcheck.runs import progress
from linkcheck.scheduler.app import CHUNK_QUEUE, STATE_QUEUE, app, time_limits, visibility_timeout
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
    return Settings.from_env()


def _lock(settings: Settings, job: str, ttl: float | None = None) -> JobLock:
    # Alive while progress is made: no recorded chunk for this long = run is dead.
    ttl = ttl or visibility_timeout(settings) + time_limits(settings)[1]
    return JobLock(redis_client(app.conf.broker_url), job, ttl)


def _dispatch_chunks(run_id: int, chunks: list[list[str]], skip: set[int]) -> int:
    chains = [
        chain(
            check_chunk.s(urls, run_id, i).set(queue=CHUNK_QUEUE),
            record_chunk.s(run_id, i).set(queue=STATE_QUEUE),
        )
        for i, urls in enumerate(chunks) if i not in skip
    ]
    if chains:
        group(chains).apply_async()
    return len(chains)


# ------------------------------------------------------------------ check runs
@app.task(name="linkcheck.start_check_run", bind=True, **RETRY)
def start_check_run(self: Any, sources: list[str] | None = None) -> int | None:
    settings = _settings()
    token = f"check-run:{self.request.id}"
    lock = _lock(settings, "check-run")
    if not lock.acquire(token):
        log.info("a check run is already in progress (%s); this one is skipped", lock.holder())
        return None
    with Store.from_settings(settings) as store:
        run_id = store.run_of_lock(token)
        if run_id is None:
            fanout.abandon_stale_runs(store)  # we hold the lock: no other scheduled run is alive
            plan = fanout.plan_check_run(settings, store, sources, token=token)
            run_id, chunks, done = plan.run_id, plan.chunks, set()
        else:  # redelivered after planning: send what is not recorded yet
            chunks = (progress.planned(store, run_id) or {}).get("lists", [])
            done = progress.done_chunks(store, run_id)
    if not chunks:
        finish_check_run.delay(run_id, token)
        return run_id
    sent = _dispatch_chunks(run_id, chunks, done)
    log.info("check run %d: %d chunks sent", run_id, sent)
    return run_id


@app.task(name="linkcheck.check_chunk", bind=True, **RETRY)
def check_chunk(self: Any, urls: list[str], run_id: int, index: int) -> dict[str, Any]:
    """Runs on any worker; touches no state, returns the results as JSON."""
    settings = _settings()
    soft, _hard = time_limits(settings)
    log.info("run %d chunk %d: %d URLs", run_id, index, len(urls))
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
        # (a second report) rather than losing them.
        chain(write_report.si(run_id), rebuild_site.si()).apply_async()
        progress.mark_finished(store, run_id)
    if token:
        _lock(settings, "check-run").release(token)
    return status


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


# ------------------------------------------------------------------- GitHub
@app.task(name="linkcheck.refresh_github", bind=True, **RETRY)
def refresh_github(self: Any) -> dict[str, Any] | None:
    from linkcheck.metadata.github import refresh

    settings = _settings()
    token = f"github:{self.request.id}"
    lock = _lock(settings, "github", ttl=time_limits(settings)[1] + 60)
    if not lock.acquire(token):
        log.info("a GitHub refresh is already in progress; this one is skipped")
        return None
    try:
        with Store.from_settings(settings) as store:
            summary = refresh(settings, store)
    finally:
        lock.release(token)
    # Rebuild only when stored figures changed: an unchanged or paused run leaves the site alone.
    if summary.changed:
        rebuild_site.delay()
    return {"updated": summary.updated, "changed": summary.changed, "not_modified": summary.not_modified,
            "rate_limited": summary.rate_limited, "errors": len(summary.errors)}


# --------------------------------------------------------------------- PyPI
@app.task(name="linkcheck.refresh_pypi", bind=True, **RETRY)
def refresh_pypi(self: Any) -> dict[str, Any] | None:
    from linkcheck.metadata.pypi import refresh

    settings = _settings()
    token = f"pypi:{self.request.id}"
    lock = _lock(settings, "pypi", ttl=time_limits(settings)[1] + 60)
    if not lock.acquire(token):
        log.info("a PyPI refresh is already in progress; this one is skipped")
        return None
    try:
        with Store.from_settings(settings) as store:
            summary = refresh(settings, store)
    finally:
        lock.release(token)
    if summary.changed:  # as for GitHub: an unchanged or paused run leaves the site alone
        rebuild_site.delay()
    return {"updated": summary.updated, "changed": summary.changed, "not_modified": summary.not_modified,
            "rate_limited": summary.rate_limited, "errors": len(summary.errors)}
