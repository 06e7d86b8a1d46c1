"""A check run in this machine's processes: what ``python -m linkcheck check`` runs.

Open, record and close come from ``runs.service`` (the same rules as a Celery
run); the engine checks in one process or, for big runs, several split by host
(``engine.run.check``), handing each result over as soon as it is ready.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from linkcheck.engine.check import CheckOptions
from linkcheck.engine.run import check
from linkcheck.model import Link, Result
from linkcheck.runs.service import CheckRun, RunSummary
from linkcheck.store import Store

__all__ = ["RunSummary", "run_check"]


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
    size a progress bar); ``on_result`` as each result is ready. Raises
    ``linkcheck.inventory.collect.SourceError`` for a missing or unreadable source.
    """
    run = CheckRun.open(settings, store, sources, root=root, in_process=True)
    if on_links is not None:
        on_links(run.links)
    options = options or CheckOptions.from_settings(settings)
    streamed: list[Result] = []

    def receive(result: Result) -> None:
        streamed.append(result)
        run.record(result)
        if on_result is not None:
            on_result(result)

    try:
        results = check(list(run.links), options, on_result=receive)
    except BaseException:
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
