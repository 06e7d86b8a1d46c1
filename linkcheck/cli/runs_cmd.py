"""``python -m linkcheck runs``: recent check runs and the progress of running ones.

Reads only the SQLite store (no broker needed): chunks done/total for
scheduled runs, results recorded, verdict counts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

from linkcheck.runs import progress
from linkcheck.settings import Settings
from linkcheck.store import Store


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("runs", help="show recent check runs and the progress of scheduled ones")
    p.add_argument("--limit", type=int, default=10, metavar="N", help="the last N runs (default 10)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(handler=run)


def _when(ts: float | None) -> str:
    if ts is None:
        return "-"
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


def describe_runs(store: Store, limit: int) -> list[dict[str, Any]]:
    out = []
    for r in store.runs("check", limit=limit):
        state = progress.progress(store, r["id"])
        counts = store.run_counts(r["id"])
        out.append({
            "id": r["id"],
            "status": r["status"],
            "started_at": r["started_at"],
            "finished_at": r["finished_at"],
            "chunks_done": state.chunks_done if state else None,
            "chunks_total": state.chunks_total if state else None,
            "urls": state.urls_total if state else r["stats"].get("total"),
            "recorded": sum(counts.values()),
            "counts": {v: counts.get(v, 0) for v in ("ok", "warn", "error")},
        })
    return out


def run(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    with Store.from_settings(settings) as store:
        rows = describe_runs(store, args.limit)
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    if not rows:
        print("no check runs yet: start one with `make scheduler` or `python -m linkcheck check`")
        return 0
    print(f"{'run':>5}  {'status':8} {'started (UTC)':19}  {'chunks':>9}  {'recorded':>13}  ok/warn/error")
    for row in rows:
        chunks = "-" if row["chunks_total"] is None else f"{row['chunks_done']}/{row['chunks_total']}"
        recorded = f"{row['recorded']}/{row['urls'] if row['urls'] is not None else '?'}"
        c = row["counts"]
        print(f"{row['id']:>5}  {row['status']:8} {_when(row['started_at']):19}  {chunks:>9}  "
              f"{recorded:>13}  {c['ok']}/{c['warn']}/{c['error']}")
    return 0
