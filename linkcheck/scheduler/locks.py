"""Job locks in Redis, so two runs of the same job never overlap.

A lock is a key holding its owner's token with an expiry. Unlike a lock held
by one function, a check run's lock spans tasks on different processes: the
task that starts the run takes it, each recorded chunk extends it (a
heartbeat), the task that finishes the run releases it. If everything dies,
the expiry frees the job for the next scheduled run.
"""

from __future__ import annotations

import time

import redis

_PREFIX = "linkcheck:lock:"

# Compare-and-act, atomically in Redis: only the owner may extend or release.
_OWNED = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call({}) end return 0"
_EXTEND = _OWNED.format("'pexpire', KEYS[1], ARGV[2]")
_RELEASE = _OWNED.format("'del', KEYS[1]")


class JobLock:
    def __init__(self, client: redis.Redis, job: str, ttl: float) -> None:
        self.client = client
        self.key = _PREFIX + job
        self.ttl_ms = max(1, int(ttl * 1000))

    def acquire(self, token: str, *, wait: float = 0.0) -> bool:
        """Take the lock (or confirm we hold it); wait up to ``wait`` seconds."""
        deadline = time.monotonic() + wait
        while True:
            if self.client.set(self.key, token, nx=True, px=self.ttl_ms) or self.holder() == token:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.2)

    def holder(self) -> str | None:
        value = self.client.get(self.key)
        return value.decode() if isinstance(value, bytes) else value

    def extend(self, token: str) -> bool:
        return bool(self.client.eval(_EXTEND, 1, self.key, token, self.ttl_ms))

    def release(self, token: str) -> bool:
        return bool(self.client.eval(_RELEASE, 1, self.key, token))
