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
          on_result: Callable[[Result], None] | None = None) -> list[Result]:
    """Synchronous wrapper around ``check_urls`` (options from the caller's settings:
    ``CheckOptions.from_settings``). Big runs are spread over several processes by host
    (``parallel``)."""
    urls = list(urls)
    processes = plan_processes(urls, options.processes)
    if processes > 1:
        return check_in_processes(urls, options, processes, on_result)
    return asyncio.run(check_urls(urls, options, on_result))
