"""One link-check run: collect -> check -> record into the store.

The CLI ``check`` command and the Celery task both call ``run_check``.

Crash safety: each result is written to the store as soon as the engine hands
it over, in its own transaction, so a run killed midway keeps everything
already checked.

Offline rule: when the checker itself has no network (``is_offline``), nothing
may be recorded as broken. Errors are therefore held back until the run has
shown that it can reach the network (one HTTP response and ``is_offline`` false
on the results so far); from then on they are written at once too. If the run
ends offline, held-back errors are dropped and the run is marked ``offline``.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from linkcheck.engine.check import CheckOptions, is_offline
from linkcheck.engine.run import check
from linkcheck.inventory.collect import collect
from linkcheck.model import Link, Result
from linkcheck.store import Store

log = logging.getLogger(__name__)


@dataclass
class RunSummary:
    links: dict[str, Link]
    results: list[Result] = field(default_factory=list)
    run_id: int | None = None  # None when no store was used
    offline: bool = False
    started_at: float = 0.0
    elapsed: float = 0.0
    recorded: int = 0  # results written to the store

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(r.verdict for r in self.results)
        return {v: counted.get(v, 0) for v in ("ok", "warn", "error")}

    @property
    def errors(self) -> list[Result]:
        return [r for r in self.results if r.verdict == "error"]

    @property
    def exit_code(self) -> int:
        """0 when no link is an error, 1 when one is; offline runs judge nothing (2)."""
        if self.offline:
            return 2
        return 1 if self.errors else 0

    def stats(self) -> dict[str, Any]:
        return {
            "total": len(self.links),
            "checked": len(self.results),
            **self.counts,
            "offline": self.offline,
            "elapsed": round(self.elapsed, 3),
            "recorded": self.recorded,
        }


class _Recorder:
    """Writes results into one store run as they arrive, honouring the offline rule."""

    def __init__(self, store: Store | None, run_id: int | None) -> None:
        self.store = store
        self.run_id = run_id
        self.results: list[Result] = []
        self.held: list[Result] = []  # errors waiting for proof that we are online
        self.online = False
        self.recorded = 0

    def _write(self, result: Result) -> None:
        if self.store is not None and self.run_id is not None and self.store.record_result(
            self.run_id, result
        ):
            self.recorded += 1

    def add(self, result: Result) -> None:
        self.results.append(result)
        if not self.online and result.status is not None and not is_offline(self.results):
            self.online = True
            for held in self.held:
                self._write(held)
            self.held.clear()
        if result.verdict == "error" and not self.online:
            self.held.append(result)
        else:
            self._write(result)

    def finish(self, offline: bool) -> None:
        if not offline:
            for held in self.held:
                self._write(held)
        self.held.clear()


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
    started = time.time()
    links = collect(sources, root=root)
    if on_links is not None:
        on_links(links)
    options = options or CheckOptions.from_settings(settings)
    summary = RunSummary(links=links, started_at=started)
    run_id: int | None = None
    if store is not None:
        run_id = store.start_run("check", started_at=started, in_process=True)
        store.record_locations((url, link.locations) for url, link in links.items())
    summary.run_id = run_id
    recorder = _Recorder(store, run_id)

    def receive(result: Result) -> None:
        recorder.add(result)
        if on_result is not None:
            on_result(result)

    try:
        results = check(list(links), options, on_result=receive)
    except BaseException:
        # interrupted or crashed: what was recorded stays; held errors are unproven
        if store is not None and run_id is not None:
            summary.results = recorder.results
            summary.elapsed = time.time() - started
            summary.recorded = recorder.recorded
            store.finish_run(run_id, status="failed", stats={**summary.stats(), "interrupted": True})
        raise
    # the engine returns one result per URL; results it did not stream are recorded now
    if len(recorder.results) < len(results):
        streamed = {id(r) for r in recorder.results}
        for result in results:
            if id(result) not in streamed:
                recorder.add(result)
    summary.results = results
    summary.offline = bool(results) and is_offline(results)
    recorder.finish(summary.offline)
    summary.recorded = recorder.recorded
    summary.elapsed = time.time() - started
    if summary.offline:
        # for Celery's log; the CLI says it in its own summary line
        log.info("no network: %d links unreachable at connection level; nothing recorded as broken",
                 len(summary.errors))
    if store is not None and run_id is not None:
        store.finish_run(run_id, status="offline" if summary.offline else "done", stats=summary.stats())
    return summary
