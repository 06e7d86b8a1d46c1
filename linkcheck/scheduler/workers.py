"""How many worker processes check chunks: asked of the running workers (Celery's remote
control) when a run is planned, so the run is split for the workers that will check it."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


def queue_slots(app: Any, queue: str, timeout: float = 1.0) -> int | None:
    """The pool processes of every worker consuming ``queue`` (each checks one chunk at a
    time); None when no such worker answered within ``timeout`` seconds, or the broker
    could not be asked."""
    try:
        queues = app.control.inspect(timeout=timeout).active_queues() or {}
        consuming = [worker for worker, listed in queues.items()
                     if any(q.get("name") == queue for q in listed or ())]
        if not consuming:
            return None
        stats = app.control.inspect(destination=consuming, timeout=timeout,
                                    limit=len(consuming)).stats() or {}
    except Exception as exc:  # the broker, a worker's odd answer: plan for what we know
        log.warning("could not ask the workers how many processes they run (%s)", exc)
        return None
    return sum(_pool_size(stats.get(worker)) for worker in consuming)


def _pool_size(stats: Any) -> int:
    try:
        return max(1, int(stats["pool"]["max-concurrency"]))
    except (KeyError, TypeError, ValueError):
        return 1  # answered the queue question, not this one: count it once
