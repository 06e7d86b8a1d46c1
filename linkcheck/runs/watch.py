"""The run watchdog's judgement: which chunks of a running scheduled run are
stalled, and what happens next. Plain data in, plain data out (no Redis, no
Celery): ``scheduler.tasks.watch_runs`` gathers the signs of life and acts.

A chunk that is not recorded yet is

- **running** while its worker's heartbeat is fresh (younger than ``stall_after``),
- **queued** while its job sits in a broker queue (waiting for a free worker),
- **stalled** otherwise, once ``stall_after`` seconds passed since its last sign
  of life (the run's start, dispatch or heartbeat): its worker died (SIGKILL, machine gone) or its
  job was lost (a Redis restart). A stalled chunk is dispatched again at once;
  the store records each link of a run once, so a late original is harmless.

This bounds recovery by ``stall_after`` + one watch interval, independent of
the broker's visibility timeout (which stays long, so slow chunks never run twice).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ChunkView:
    idx: int
    state: str  # done | running | queued | stalled | waiting (silent, not yet stalled)
    attempts: int
    last_sign: float | None  # last dispatch or heartbeat (or the run's start)
    stalled_since: float | None


def judge_chunks(chunks: list[dict[str, Any]], heartbeats: dict[int, float], queued: set[int], *,
                 now: float, stall_after: float, started_at: float | None = None) -> list[ChunkView]:
    """``chunks``: ``Store.run_chunks`` rows; ``heartbeats``: idx -> last heartbeat time of
    the current attempt; ``queued``: chunks whose current job is in a broker queue;
    ``started_at``: the run's start, the first sign of life of a chunk not dispatched yet (a
    look between the plan and its dispatch took such a chunk for stalled and sent it itself)."""
    out = []
    for c in chunks:
        idx = c["idx"]
        beat = heartbeats.get(idx)
        signs = [t for t in (started_at, c.get("sent_at"), beat, c.get("seen_at")) if t is not None]
        last = max(signs) if signs else None
        if c.get("done_at") is not None:
            state, since = "done", None
        elif beat is not None and now - beat < stall_after:
            state, since = "running", None
        elif idx in queued:
            state, since = "queued", None
        elif last is None or now - last >= stall_after:
            state, since = "stalled", last
        else:
            state, since = "waiting", None
        out.append(ChunkView(idx, state, int(c.get("attempts") or 0), last, since))
    return out


def job_id(kind: str, run_id: int, idx: int, attempt: int) -> str:
    """Task ids name the chunk and attempt, so the watchdog can find a job in a queue."""
    return f"linkcheck-{kind}-{run_id}-{idx}-{attempt}"


def parse_job_id(task_id: str) -> tuple[str, int, int, int] | None:
    parts = task_id.split("-")
    if len(parts) != 5 or parts[0] != "linkcheck":
        return None
    try:
        return parts[1], int(parts[2]), int(parts[3]), int(parts[4])
    except ValueError:
        return None
