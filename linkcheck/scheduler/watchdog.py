"""The run watchdog's clock: a thread in every worker that consumes the state queue.

Every ``watch_interval`` seconds one of those workers takes the turn (a key in Redis
that expires after the interval) and looks after the running scheduled runs
(``tasks.look_after_runs``: re-send stalled chunks, finish complete runs).

Why a thread and not a message: the watchdog used to renew itself with a delayed
Celery message, and such a message is held in memory by the worker that reserved it.
A SIGKILLed worker took the chain with it, and with no beat running nothing looked
again until the broker's visibility timeout (40 minutes at defaults) brought the
killed chunk back. A thread needs no message and no beat: any living state worker
keeps the watch, and a new one picks it up as soon as it is ready.

It logs only when it acts (the look-after function logs what it re-sends or
finishes) or when looking fails, once per streak of failures: the beat entry it
replaces logged three lines every ten seconds, about 26,000 a day, doing nothing.
"""

from __future__ import annotations

import contextlib
import logging
import random
import threading
from collections.abc import Callable

import redis

log = logging.getLogger(__name__)

_TURN = "linkcheck:watch:turn"


class Watchdog:
    """Call ``act`` about every ``interval`` seconds, in one worker at a time."""

    def __init__(self, client: redis.Redis, act: Callable[[], object], interval: float,
                 name: str = "") -> None:
        self.client = client
        self.act = act
        self.interval = interval
        self.name = name or f"watchdog-{id(self):x}"
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="linkcheck-watchdog", daemon=True)
        self.failing = False

    def start(self) -> Watchdog:
        self.thread.start()
        return self

    def close(self, timeout: float = 5.0) -> None:
        self.stop.set()
        if self.thread.is_alive():
            self.thread.join(timeout)

    def my_turn(self) -> bool:
        """One look per interval across all workers: the first to ask takes it."""
        ttl = max(1, int(self.interval * 1000 * 0.9))
        return bool(self.client.set(_TURN, self.name, nx=True, px=ttl))

    def tick(self) -> bool:
        """Look once if it is our turn; True when we looked. Never raises."""
        try:
            if not self.my_turn():
                return False
            self.act()
        except Exception as exc:  # Redis away, store busy: try again next interval
            if not self.failing:
                log.warning("run watchdog could not look at the runs (%s: %s); trying again every %g s",
                            type(exc).__name__, exc, self.interval)
            self.failing = True
            return False
        if self.failing:
            log.warning("run watchdog is looking at the runs again")
            self.failing = False
        return True

    def _loop(self) -> None:
        # a random first wait: workers started together do not all ask at once
        wait = random.uniform(0, self.interval)
        while not self.stop.wait(wait):
            self.tick()
            wait = self.interval


_running: Watchdog | None = None
_lock = threading.Lock()


def start_once(client: redis.Redis, act: Callable[[], object], interval: float, name: str) -> Watchdog | None:
    """Start this process's watchdog unless it runs already (a consumer restarted after a
    broker outage is "ready" again); None when ``interval`` switches it off."""
    global _running
    if interval <= 0:
        return None
    with _lock:
        if _running is None or not _running.thread.is_alive():
            _running = Watchdog(client, act, interval, name).start()
        return _running


def stop() -> None:
    global _running
    with _lock:
        if _running is not None:
            with contextlib.suppress(RuntimeError):
                _running.close()
            _running = None
