"""Progress of a chunked check run, read from the store's run tables.

Kept in SQLite, not Redis, so ``python -m linkcheck runs`` works without the
broker and progress survives a Redis restart. Every mark is idempotent per
(run, chunk): a redelivered chunk marks nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from linkcheck.model import Result
from linkcheck.store import Store


@dataclass(frozen=True)
class RunProgress:
    run_id: int
    chunks_total: int
    chunks_done: int
    urls_total: int
    recorded: int  # results written for this run so far
    finished: bool  # report and rebuild sent

    @property
    def complete(self) -> bool:
        return self.chunks_total > 0 and self.chunks_done >= self.chunks_total


def plan(store: Store, run_id: int, chunks: list[list[str]], *, token: str | None = None) -> None:
    """Remember the run's chunks (once): a redelivered start re-sends them."""
    store.plan_chunks(run_id, chunks)
    if token:
        store.bind_lock(token, "check-run", run_id)


def planned(store: Store, run_id: int) -> dict[str, Any] | None:
    """{'chunks', 'urls', 'lists', 'token'} of a chunked run; None otherwise."""
    p = store.run_plan(run_id)
    if p is None:
        return None
    return {"chunks": p["chunks_total"], "urls": p["urls_total"], "token": p["token"],
            "lists": [c["urls"] for c in store.run_chunks(run_id)]}


def done_chunks(store: Store, run_id: int) -> set[int]:
    return {c["idx"] for c in store.run_chunks(run_id) if c["done_at"] is not None}


def mark_chunk_done(store: Store, run_id: int, index: int, *, results: int, held: int,
                    unchecked: list[str]) -> bool:
    """True the first time chunk ``index`` of the run is marked done."""
    return store.mark_chunk_done(run_id, index, results=results, held=held, unchecked=unchecked)


def held(store: Store, run_id: int) -> list[Result]:
    return store.held_results(run_id)


def mark_finished(store: Store, run_id: int) -> bool:
    """True the first time: report and rebuild have been sent on their way."""
    return store.mark_followups_sent(run_id)


def unchecked(store: Store, run_id: int) -> list[str]:
    return [u for c in store.run_chunks(run_id) for u in c["unchecked"]]


def progress(store: Store, run_id: int) -> RunProgress | None:
    """None for runs that were not chunked (e.g. a CLI ``check``)."""
    p = store.run_plan(run_id)
    if p is None:
        return None
    done = len(done_chunks(store, run_id))
    return RunProgress(run_id, p["chunks_total"], done, p["urls_total"], store.recorded_count(run_id),
                       p["followups_at"] is not None)
