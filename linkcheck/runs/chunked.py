"""A check run split into host-disjoint chunks: the plain functions behind the
Celery tasks (no Celery import here; unit tests call these directly).

plan_check_run (state machine) -> check_chunk (any machine, returns JSON)
-> record_chunk (state machine, idempotent) -> finish_check_run (once).

Opening, recording and closing are ``runs.service.CheckRun``: the same rules
as a CLI run (the offline policy is judged over the whole run, since one chunk
may hold a single host).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from linkcheck.engine import chunking
from linkcheck.engine.check import CheckOptions, check_urls
from linkcheck.model import Result
from linkcheck.runs import progress
from linkcheck.runs.service import CheckRun, is_network_failure
from linkcheck.store import Store

log = logging.getLogger(__name__)


@dataclass
class CheckPlan:
    run_id: int
    chunks: list[list[str]]


@dataclass
class ChunkOutcome:
    results: list[Result] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)  # left when the chunk ran out of time

    def to_json(self) -> dict[str, Any]:
        return {"results": [r.to_json() for r in self.results], "unchecked": list(self.unchecked)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ChunkOutcome:
        return cls([Result.from_json(r) for r in data.get("results", [])], list(data.get("unchecked", [])))


def default_sources(settings: Any) -> list[Path]:
    """What a scheduled run checks: the published site (when built) and content/."""
    candidates = [Path(settings.site_output_dir or settings.output_dir), Path(settings.content_dir)]
    return [p for p in candidates if p.exists()]


def plan_check_run(settings: Any, store: Store, sources: list[str | Path] | None = None, *,
                   token: str | None = None, slots: int = 1) -> CheckPlan:
    """Open the run (``CheckRun.open``: collect, filter, record locations) and split it
    into host-disjoint chunks (``chunking.plan``: ``settings.chunk_size`` URLs each, or
    sized for ``slots`` worker processes checking chunks side by side). ``token`` names
    the lock holder, so whoever finishes the run can release it."""
    sources = list(sources) if sources else list(default_sources(settings))
    if not sources:
        raise FileNotFoundError(f"nothing to check: neither {settings.output_dir} nor "
                                f"{settings.content_dir} exists")
    run = CheckRun.open(settings, store, sources, root=Path(settings.content_dir).resolve().parent)
    assert run.run_id is not None
    chunks = chunking.plan(run.links, slots, settings.chunk_size)
    progress.plan(store, run.run_id, chunks, token=token)
    log.info("check run %d: %d links in %d chunks (%s)", run.run_id, len(run.links), len(chunks),
             f"at most {settings.chunk_size} URLs each" if settings.chunk_size
             else f"sized for {slots} worker process(es)")
    return CheckPlan(run.run_id, chunks)


def check_chunk(settings: Any, urls: list[str], *, budget: float | None = None) -> ChunkOutcome:
    """Check one chunk. Stops after ``budget`` seconds (below the task's time
    limit) and returns what it has, naming the URLs it did not get to."""
    options = CheckOptions.from_settings(settings)
    got: dict[str, Result] = {}

    async def run() -> None:
        coro = check_urls(urls, options, on_result=lambda r: got.__setitem__(r.url, r))
        if budget is None:
            await coro
        else:
            try:
                await asyncio.wait_for(coro, budget)
            except TimeoutError:
                log.warning("chunk ran out of time after %.0fs: %d of %d checked",
                            budget, len(got), len(urls))

    asyncio.run(run())
    return ChunkOutcome([got[u] for u in urls if u in got], [u for u in urls if u not in got])


def record_chunk(store: Store, run_id: int, index: int, outcome: ChunkOutcome) -> bool:
    """Record a chunk's results (idempotent) under the run's offline policy. True when
    every chunk of the run is in and the run is not finished yet: time to call
    ``finish_check_run`` (a redelivered last chunk may say so twice; finishing is idempotent)."""
    run = CheckRun.resume(store, run_id)
    written = run.record_all(outcome.results, chunk=index)
    held = sum(1 for r in outcome.results if is_network_failure(r))
    first = progress.mark_chunk_done(store, run_id, index, results=len(outcome.results), held=held,
                                     unchecked=outcome.unchecked)
    log.info("run %d chunk %d: %d new, %d held%s", run_id, index, written, held,
             "" if first else " (redelivered)")
    state = progress.progress(store, run_id)
    return state is not None and state.complete and not state.finished


def finish_check_run(store: Store, run_id: int) -> str:
    """Close the run (``CheckRun.close``: the offline rule over the whole run); returns its status."""
    state = progress.progress(store, run_id)
    stats = CheckRun.resume(store, run_id).close(
        total=state.urls_total if state else 0,
        extra={"chunks": state.chunks_total if state else 0,
               "unchecked": len(progress.unchecked(store, run_id))},
    )
    status = "offline" if stats["offline"] else "done"
    log.info("check run %d %s: %s", run_id, status, stats)
    return status


def abandon_stale_runs(store: Store) -> list[int]:
    """Close scheduled runs left 'running' by a deployment that died (called by the
    holder of the run lock, so no other scheduled run can be alive). A late chunk of
    such a run may still be recorded; it changes nothing for the new run."""
    stale = []
    for run in store.runs("check"):
        state = progress.progress(store, run["id"])
        if run["status"] == "running" and state is not None and not state.finished:
            store.finish_run(run["id"], status="failed",
                             stats={"abandoned": True, "chunks": state.chunks_total,
                                    "chunks_done": state.chunks_done, "recorded": state.recorded})
            stale.append(run["id"])
    if stale:
        log.warning("closed abandoned check runs %s", stale)
    return stale
