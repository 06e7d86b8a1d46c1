"""Per-host politeness: at most N requests in flight and a minimum interval between
request starts to one host. Hosts can also be paused (Retry-After, 429)."""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass, field


class Slots:
    """A FIFO counting semaphore that hands a freed slot straight to the longest waiter.

    ``asyncio.Semaphore`` (3.11) scans its waiters from the front on every release and
    removes each woken waiter from the middle of a deque; with a thousand pages queued
    for the run's global limit that cost more CPU than the requests themselves. Here a
    release is O(1): it wakes the first live waiter, or frees the slot when none waits."""

    __slots__ = ("free", "waiters")

    def __init__(self, count: int) -> None:
        self.free = max(1, count)
        self.waiters: deque[asyncio.Future[None]] = deque()

    def locked(self) -> bool:
        return self.free == 0

    async def acquire(self) -> None:
        if self.free:  # a slot is free only while nobody waits: FIFO holds
            self.free -= 1
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiters.append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.release()  # handed a slot just as we were cancelled: pass it on
            raise

    def release(self) -> None:
        waiters = self.waiters
        while waiters:
            waiter = waiters.popleft()
            if not waiter.done():  # (a cancelled waiter is skipped)
                waiter.set_result(None)
                return
        self.free += 1

    async def __aenter__(self) -> None:
        await self.acquire()

    async def __aexit__(self, *exc: object) -> None:
        self.release()


@dataclass
class _Host:
    semaphore: Slots
    loop: asyncio.AbstractEventLoop  # the running loop (asking for it each time costs a getpid in 3.11)
    next_start: float = 0.0  # loop time before which no new request may start
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class HostLimiter:
    def __init__(self, concurrency: int, interval: float) -> None:
        self.concurrency = max(1, concurrency)
        self.interval = max(0.0, interval)
        self._hosts: dict[str, _Host] = {}

    def _get(self, host: str) -> _Host:
        state = self._hosts.get(host)
        if state is None:
            state = self._hosts[host] = _Host(Slots(self.concurrency), asyncio.get_running_loop())
        return state

    def slot(self, host: str) -> _Slot:
        """Hold one of the host's slots, started no sooner than ``interval`` after the last."""
        return _Slot(self._get(host), self.interval)

    def pause(self, host: str, seconds: float) -> None:
        """No new request to ``host`` for ``seconds`` (the server asked us to wait)."""
        state = self._get(host)
        state.next_start = max(state.next_start, state.loop.time() + seconds)


class _Slot:
    """``async with limiter.slot(host)``: a plain class, cheaper than a generator-based
    context manager on the hot path (one per request)."""

    __slots__ = ("state", "interval")

    def __init__(self, state: _Host, interval: float) -> None:
        self.state = state
        self.interval = interval

    async def __aenter__(self) -> None:
        state = self.state
        await state.semaphore.acquire()
        try:
            loop = state.loop
            if not state.lock.locked() and state.next_start <= loop.time():
                # nobody waiting and the interval has passed: start now (no await in between)
                state.next_start = loop.time() + self.interval
                return
            # Sleep while holding the (FIFO) lock and stamp the real start after waking:
            # even if the loop stalls, two starts to one host are never closer than interval.
            async with state.lock:
                wait = state.next_start - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                state.next_start = loop.time() + self.interval
        except BaseException:
            state.semaphore.release()
            raise

    async def __aexit__(self, *exc: object) -> None:
        self.state.semaphore.release()
