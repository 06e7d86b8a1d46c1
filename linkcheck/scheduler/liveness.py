"""Signs of life of scheduled chunks, kept in Redis: a worker's heartbeat while it
checks a chunk, and whether a chunk's job is still waiting in a queue."""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from collections.abc import Iterator

import redis

from linkcheck.runs.watch import parse_job_id

_BEAT = "linkcheck:chunk-beat:{run}:{idx}"
_TTL = 24 * 3600
# kombu's Redis transport keeps a queue in a list, plus one per priority step
_PRIORITY_SUFFIXES = ("", "\x06\x163", "\x06\x166", "\x06\x169")
_ID = re.compile(r'"id":\s*"(linkcheck-[a-z]+-\d+-\d+-\d+)"')


def beat(client: redis.Redis, run_id: int, idx: int, attempt: int) -> None:
    client.set(_BEAT.format(run=run_id, idx=idx), json.dumps([time.time(), attempt]), ex=_TTL)


@contextlib.contextmanager
def heartbeat(client: redis.Redis, run_id: int, idx: int, attempt: int,
              every: float = 10.0) -> Iterator[None]:
    """Beat every ``every`` seconds while the body runs (a daemon thread: a killed
    worker stops beating, which is the point). Redis trouble never fails the chunk."""
    stop = threading.Event()

    def loop() -> None:
        while True:
            with contextlib.suppress(redis.exceptions.RedisError, OSError):
                beat(client, run_id, idx, attempt)
            if stop.wait(every):
                return

    thread = threading.Thread(target=loop, name=f"heartbeat-{run_id}-{idx}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(2)


def heartbeats(client: redis.Redis, run_id: int, attempts: dict[int, int]) -> dict[int, float]:
    """idx -> last heartbeat of the chunk's current attempt."""
    if not attempts:
        return {}
    keys = [_BEAT.format(run=run_id, idx=i) for i in attempts]
    out = {}
    for idx, raw in zip(attempts, client.mget(keys), strict=True):
        if raw:
            at, attempt = json.loads(raw)
            if attempt == attempts[idx]:
                out[idx] = float(at)
    return out


def queued_chunks(client: redis.Redis, queues: list[str], run_id: int,
                  attempts: dict[int, int]) -> set[int]:
    """Chunks whose current attempt has a job (check or record) waiting in ``queues``."""
    found: set[int] = set()
    for queue in queues:
        for suffix in _PRIORITY_SUFFIXES:
            for raw in client.lrange(queue + suffix, 0, -1):
                for task_id in _ID.findall(raw.decode("utf-8", "replace")):
                    parsed = parse_job_id(task_id)
                    if parsed and parsed[1] == run_id and attempts.get(parsed[2]) == parsed[3]:
                        found.add(parsed[2])
    return found
