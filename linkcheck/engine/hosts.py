"""Per-host politeness: at most N requests in flight and a minimum interval between
request starts to one host. Hosts can also be paused (Retry-After, 429)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field


@dataclass
class _Host:
    semaphore: asyncio.Semaphore
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
            state = self._hosts[host] = _Host(asyncio.Semaphore(self.concurrency))
        return state

    def slot(self, host: str) -> _Slot:
        """Hold one of the host's slots, started no sooner than ``interval`` after the last."""
        return _Slot(self._get(host), self.interval)

    def pause(self, host: str, seconds: float) -> None:
        """No new request to ``host`` for ``seconds`` (the server asked us to wait)."""
        state = self._get(host)
        loop = asyncio.get_running_loop()
        state.next_start = max(state.next_start, loop.time() + seconds)


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
            loop = asyncio.get_running_loop()
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
