"""Run the engine synchronously: in this process, or spread over several by host.

Kept apart from ``check`` (the async engine) and ``parallel`` (the processes),
which both stand below it: no import cycle.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable

from linkcheck.engine.check import CheckOptions, check_urls
from linkcheck.engine.parallel import check_in_processes, plan_processes
from linkcheck.model import Result


def check(urls: Iterable[str], options: CheckOptions,
          on_result: Callable[[Result], None] | None = None,
          on_burst_end: Callable[[], None] | None = None) -> list[Result]:
    """Synchronous wrapper around ``check_urls`` (options from the caller's settings:
    ``CheckOptions.from_settings``). Big runs are spread over several processes by host
    (``parallel``). ``on_result`` hears of each result as it is ready; ``on_burst_end``
    (if given) after each burst of them (a batch from an engine process, a round of the
    event loop), so that a caller can write a burst at once and still never sit on a
    result while the run waits for slow hosts."""
    urls = list(urls)
    processes = plan_processes(urls, options.processes)
    if processes > 1:
        return check_in_processes(urls, options, processes, on_result, on_burst_end)
    return asyncio.run(check_urls(urls, options, in_bursts(on_result, on_burst_end)))


def in_bursts(on_result: Callable[[Result], None] | None,
              on_burst_end: Callable[[], None] | None) -> Callable[[Result], None] | None:
    """``on_result`` for an engine running in this thread's event loop, with ``on_burst_end``
    called once at the end of each loop round that produced results."""
    if on_burst_end is None:
        return on_result
    scheduled = False

    def burst_end() -> None:
        nonlocal scheduled
        scheduled = False
        on_burst_end()

    def receive(result: Result) -> None:
        nonlocal scheduled
        if on_result is not None:
            on_result(result)
        if not scheduled:
            scheduled = True
            asyncio.get_running_loop().call_soon(burst_end)

    return receive
