"""Progress of a fanned-out check run, kept in the store's ``meta`` table.

Kept in SQLite, not Redis, so ``python -m linkcheck runs`` works without the
broker and progress survives a Redis restart. Every mark is an
``INSERT OR IGNORE`` keyed by (run, chunk): a redelivered chunk marks nothing
twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from linkcheck.model import Result
from linkcheck.store import Store


def _key(run_id: int, *parts: object) -> str:
    return ":".join(["run", str(run_id), *(str(p) for p in parts)])


@dataclass(frozen=True)
class RunProgress:
    run_id: int
    chunks_total: int
    chunks_done: int
    urls_total: int
    recorded: int  # results written for this run so far
    finished: bool

    @property
    def complete(self) -> bool:
        return self.chunks_total > 0 and self.chunks_done >= self.chunks_total


def _insert(store: Store, key: str, value: Any) -> bool:
    with store.transaction() as db:
        cur = db.execute("INSERT OR IGNORE INTO meta(key, value) VALUES (?, ?)", (key, json.dumps(value)))
        return cur.rowcount == 1


def plan(store: Store, run_id: int, chunks: list[list[str]], **extra: Any) -> None:
    """Remember the run's chunks (once): a redelivered start re-sends them."""
    _insert(store, _key(run_id, "plan"), {
        "chunks": len(chunks), "urls": sum(map(len, chunks)), "lists": chunks, **extra,
    })


def planned(store: Store, run_id: int) -> dict[str, Any] | None:
    row = store.db.execute("SELECT value FROM meta WHERE key = ?", (_key(run_id, "plan"),)).fetchone()
    return json.loads(row["value"]) if row else None


def done_chunks(store: Store, run_id: int) -> set[int]:
    rows = store.db.execute("SELECT key FROM meta WHERE key LIKE ?", (_key(run_id, "chunk", "%"),))
    return {int(r["key"].rsplit(":", 1)[1]) for r in rows}


def hold(store: Store, run_id: int, index: int, results: list[Result]) -> None:
    """Keep a chunk's network-level errors aside until the run knows whether
    the checker was online (the offline rule, judged over the whole run)."""
    _insert(store, _key(run_id, "held", f"{index:06d}"), [r.to_json() for r in results])


def held(store: Store, run_id: int) -> list[Result]:
    rows = store.db.execute(
        "SELECT value FROM meta WHERE key LIKE ? ORDER BY key", (_key(run_id, "held", "%"),)
    )
    return [Result.from_json(item) for row in rows for item in json.loads(row["value"])]


def mark_chunk_done(store: Store, run_id: int, index: int, info: dict[str, Any]) -> bool:
    """True the first time chunk ``index`` of the run is marked done."""
    return _insert(store, _key(run_id, "chunk", f"{index:06d}"), info)


def mark_finished(store: Store, run_id: int) -> bool:
    """True the first time: report and rebuild have been sent on their way."""
    return _insert(store, _key(run_id, "finished"), True)


def chunk_infos(store: Store, run_id: int) -> list[dict[str, Any]]:
    rows = store.db.execute(
        "SELECT value FROM meta WHERE key LIKE ? ORDER BY key", (_key(run_id, "chunk", "%"),)
    )
    return [json.loads(r["value"]) for r in rows]


def progress(store: Store, run_id: int) -> RunProgress | None:
    """None for runs that were not fanned out (e.g. a CLI ``check``)."""
    plan_ = planned(store, run_id)
    if plan_ is None:
        return None
    done = store.db.execute(
        "SELECT COUNT(*) FROM meta WHERE key LIKE ?", (_key(run_id, "chunk", "%"),)
    ).fetchone()[0]
    recorded = store.db.execute("SELECT COUNT(*) FROM checks WHERE run_id = ?", (run_id,)).fetchone()[0]
    finished = store.db.execute(
        "SELECT 1 FROM meta WHERE key = ?", (_key(run_id, "finished"),)
    ).fetchone() is not None
    return RunProgress(run_id, plan_["chunks"], done, plan_["urls"], recorded, finished)
