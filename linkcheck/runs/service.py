"""One check run, whoever runs it: open -> record -> close.

- **open**: collect the inventory from the sources (Markdown rendered with the
  site's Pelican settings file, ``settings.pelican_conf``), drop links to the site's own
  pages (one rule: ``settings.site_url``), open a run in the store and record
  where every link appears.
- **record**: the offline policy, the same for every caller. A network-level
  failure (DNS, connect, no HTTP answer) is held back, in the store, until the
  run closes; every other result is written as it comes (a burst the engine hands
  over at once is one transaction, a chunk is one), so a run killed midway keeps
  what it recorded.
- **close**: judge ``is_offline`` over everything the run saw; when the checker
  had no network the held failures are dropped (nothing is recorded as broken),
  otherwise they are written. Then the summary goes into the run's row.

The CLI (``runs.local``: one process, or several through ``engine.run.check``)
and Celery (``runs.chunked``: host-disjoint chunks recorded by the state worker)
both drive this class; a chunk's recording may happen in another process than
the opening, so everything a later step needs lives in the store.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from linkcheck.engine.check import is_offline
from linkcheck.engine.verdict import NETWORK_REASONS
from linkcheck.inventory.collect import collect
from linkcheck.model import Link, Result
from linkcheck.store import Store

log = logging.getLogger(__name__)

VERDICTS = ("ok", "warn", "error")


def is_network_failure(result: Result) -> bool:
    """No HTTP answer at all: says nothing about the link if the checker is offline."""
    return result.verdict == "error" and result.reason in NETWORK_REASONS and result.status is None


def without_own_site(links: dict[str, Link], site_url: str) -> dict[str, Link]:
    """Drop links to the site's own pages: a publishconf build links them absolutely,
    and they are internal links (``check --internal``), not ours to fetch."""
    own = site_url.strip().rstrip("/")
    if not own.startswith(("http://", "https://")):
        return links
    return {u: link for u, link in links.items() if u != own and not u.startswith(own + "/")}


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
        return {v: counted.get(v, 0) for v in VERDICTS}

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


class CheckRun:
    """One check run in the store (or in memory, ``store=None``)."""

    def __init__(self, store: Store | None, run_id: int | None, links: dict[str, Link],
                 started_at: float) -> None:
        self.store = store
        self.run_id = run_id
        self.links = links
        self.started_at = started_at
        self.recorded = 0
        self._memory_held: list[Result] = []  # only without a store
        self._memory_written: list[Result] = []

    # ------------------------------------------------------------------ open
    @classmethod
    def open(cls, settings: Any, store: Store | None, sources: Iterable[str | Path], *,
             root: Path | None = None, in_process: bool = False) -> CheckRun:
        """Collect, filter, open the run and record locations. Raises
        ``linkcheck.inventory.collect.SourceError`` for a missing or unreadable source."""
        started = time.time()
        links = without_own_site(collect(sources, root=root, pelican_conf=settings.pelican_conf_path),
                                 settings.site_url)
        run_id = None
        if store is not None:
            # in_process: this process checks the whole run (its death leaves it reapable)
            run_id = store.start_run("check", started_at=started, in_process=in_process)
            store.record_locations((url, link.locations) for url, link in links.items())
        return cls(store, run_id, links, started)

    @classmethod
    def resume(cls, store: Store, run_id: int) -> CheckRun:
        """The run opened elsewhere (another process or machine), to record or close it."""
        return cls(store, run_id, {}, store.run_started_at(run_id) or time.time())

    # ---------------------------------------------------------------- record
    def record(self, result: Result, *, chunk: int = 0) -> bool:
        """Write one result, or hold it back under the offline policy.
        False when this run already had it (redelivered work)."""
        if self.store is None or self.run_id is None:
            (self._memory_held if is_network_failure(result) else self._memory_written).append(result)
            return True
        if is_network_failure(result):
            return self.store.hold_results(self.run_id, [result], chunk=chunk) > 0
        if self.store.record_result(self.run_id, result):
            self.recorded += 1
            return True
        return False

    def record_all(self, results: Iterable[Result], *, chunk: int = 0) -> int:
        """``record`` each result, in one transaction for those written and one for those
        held; returns how many this run did not have yet."""
        if self.store is None or self.run_id is None:
            return sum(1 for r in results if self.record(r, chunk=chunk))
        held, written = [], []
        for result in results:
            (held if is_network_failure(result) else written).append(result)
        new = self.store.record_results(self.run_id, written)
        self.recorded += new
        return new + self.store.hold_results(self.run_id, held, chunk=chunk)

    # ----------------------------------------------------------------- close
    def judge_offline(self) -> tuple[bool, list[Result], list[Result]]:
        """(offline, written, held) over everything the run saw."""
        if self.store is None or self.run_id is None:
            written, held = self._memory_written, self._memory_held
        else:
            written = list(self.store.run_results(self.run_id).values())
            held = self.store.held_results(self.run_id)
        return bool(held) and is_offline(written + held), written, held

    def close(self, *, total: int | None = None, status: str | None = None,
              extra: dict[str, Any] | None = None) -> dict[str, Any]:
        """Apply the offline rule, write the summary into the run; returns its stats."""
        offline, written, held = self.judge_offline()
        if not offline and self.store is not None and self.run_id is not None:
            self.recorded += self.store.record_results(self.run_id, held)
        counts = Counter(r.verdict for r in written + held)
        stats: dict[str, Any] = {
            "total": len(self.links) if total is None else total,
            "checked": len(written) + len(held),
            **{v: counts.get(v, 0) for v in VERDICTS},
            "offline": offline,
            "elapsed": round(time.time() - self.started_at, 3),
            "recorded": (self.store.recorded_count(self.run_id)
                         if self.store is not None and self.run_id is not None else 0),
            **(extra or {}),
        }
        if offline:
            log.info("no network: %d links unreachable at connection level; nothing recorded as broken",
                     len(held))
        if self.store is not None and self.run_id is not None:
            self.store.finish_run(self.run_id, status=status or ("offline" if offline else "done"),
                                  stats=stats)
        return stats

    def fail(self, extra: dict[str, Any] | None = None) -> None:
        """Interrupted or crashed: what was recorded stays, held failures stay unproven."""
        if self.store is not None and self.run_id is not None:
            _offline, written, held = self.judge_offline()
            counts = Counter(r.verdict for r in written)
            self.store.finish_run(self.run_id, status="failed", stats={
                "total": len(self.links), "checked": len(written) + len(held),
                **{v: counts.get(v, 0) for v in VERDICTS},
                "elapsed": round(time.time() - self.started_at, 3),
                "recorded": self.store.recorded_count(self.run_id), **(extra or {}),
            })
