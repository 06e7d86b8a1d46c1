"""A check run in this machine's processes: what ``python -m linkcheck check`` runs.

Open, record and close come from ``runs.service`` (the same rules as a Celery
run); the engine checks in one process or, for big runs, several split by host
(``engine.run.check``), handing each result over as soon as it is ready.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from linkcheck.engine.check import CheckOptions
from linkcheck.engine.run import check
from linkcheck.model import Link, Result
from linkcheck.runs.service import CheckRun, RunSummary
from linkcheck.store import Store

__all__ = ["RunSummary", "run_check"]

RECORD_BATCH = 256  # results written in one transaction at most


def run_check(
    settings: Any,
    sources: Iterable[str | Path],
    *,
    store: Store | None,
    options: CheckOptions | None = None,
    on_result: Callable[[Result], None] | None = None,
    on_links: Callable[[dict[str, Link]], None] | None = None,
    root: Path | None = None,
) -> RunSummary:
    """Check every external link found in ``sources``; record into ``store`` (one run).

    ``on_links`` is called once with the inventory before checking starts (to
    size a progress bar); ``on_result`` for each result once it is recorded (results are
    written a burst at a time, as the engine hands them over: ``engine.run.check``). Raises
    ``linkcheck.inventory.collect.SourceError`` for a missing or unreadable source.
    """
    run = CheckRun.open(settings, store, sources, root=root, in_process=True)
    if on_links is not None:
        on_links(run.links)
    options = options or CheckOptions.from_settings(settings)
    streamed: list[Result] = []
    pending: list[Result] = []  # received, not yet written

    def flush() -> None:
        # one transaction per burst of results, not per result: a commit each was half the
        # cost of recording; the caller hears of a result once it is committed (crash safety)
        if not pending:
            return
        run.record_all(pending)
        done = pending[:]
        pending.clear()
        if on_result is not None:
            for result in done:
                on_result(result)

    def receive(result: Result) -> None:
        streamed.append(result)
        pending.append(result)
        if len(pending) >= RECORD_BATCH:
            flush()

    try:
        results = check(list(run.links), options, on_result=receive, on_burst_end=flush)
        flush()
    except BaseException:
        with contextlib.suppress(Exception):
            run.record_all(pending)  # what was checked stays recorded
        run.fail({"interrupted": True})
        raise
    # the engine returns one result per URL; results it did not stream are recorded now
    if len(streamed) < len(results):
        seen = {id(r) for r in streamed}
        run.record_all(r for r in results if id(r) not in seen)
    stats = run.close()
    return RunSummary(links=run.links, results=results, run_id=run.run_id, offline=stats["offline"],
                      started_at=run.started_at, elapsed=stats["elapsed"],
                      recorded=stats["recorded"] if store is not None else 0)
