"""``python -m linkcheck runs [--watch]``: recent check runs and live progress of running ones.

Reads only the SQLite store (no broker needed): per running scheduled run,
chunks and links done of total, rate, expected end, and stalled chunks (which,
since when, what happens next) as the run watchdog last saw them.
"""

from __future__ import annotations

import argparse
import json
import signal
import time
from typing import Any

from linkcheck.runs import progress
from linkcheck.settings import Settings
from linkcheck.store import Store
from linkcheck.timefmt import utc_iso


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("runs", help="show recent check runs and live progress of running ones")
    p.add_argument("--limit", type=int, default=10, metavar="N", help="the last N runs (default 10)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.add_argument("--watch", action="store_true", help="redraw every few seconds until Ctrl-C")
    p.add_argument("--every", type=float, default=2.0, metavar="SECONDS", help="--watch period (default 2)")
    p.set_defaults(handler=run)


def _when(ts: float | None) -> str:
    return (utc_iso(ts) or "-").replace("T", " ").removesuffix("Z")


def _live(store: Store, run: dict[str, Any], settings: Settings, now: float) -> dict[str, Any] | None:
    state = progress.progress(store, run["id"])
    if state is None or run["status"] != "running":
        return None
    elapsed = max(1e-6, now - run["started_at"])
    rate = state.recorded / elapsed
    left = max(0, state.urls_total - state.recorded)
    stalled = []
    for c in store.run_chunks(run["id"]):
        if c["done_at"] is None and c["stalled_since"] is not None:
            next_look = (c["sent_at"] or now) + settings.chunk_stall_after
            stalled.append({
                "chunk": c["idx"], "since": c["stalled_since"], "attempts": c["attempts"],
                "next": (f"sent again at {_when(c['sent_at'])} (attempt {c['attempts']}); "
                         f"re-sent again after {_when(next_look)} if still silent"),
            })
    return {"rate": rate, "eta": now + left / rate if rate > 0 else None, "stalled": stalled}


def describe_runs(store: Store, limit: int, settings: Settings,
                  now: float | None = None) -> list[dict[str, Any]]:
    now = time.time() if now is None else now
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
            "live": _live(store, r, settings, now),
        })
    return out


def render(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return ("no check runs yet: start one with `make scheduler` (checks at start) or "
                "`python -m linkcheck check output content`")
    lines = [f"{'run':>5}  {'status':8} {'started (UTC)':19}  {'chunks':>9}  {'links':>13}  ok/warn/error"]
    for row in rows:
        chunks = "-" if row["chunks_total"] is None else f"{row['chunks_done']}/{row['chunks_total']}"
        recorded = f"{row['recorded']}/{row['urls'] if row['urls'] is not None else '?'}"
        c = row["counts"]
        lines.append(f"{row['id']:>5}  {row['status']:8} {_when(row['started_at']):19}  {chunks:>9}  "
                     f"{recorded:>13}  {c['ok']}/{c['warn']}/{c['error']}")
        live = row["live"]
        if live:
            eta = _when(live["eta"]) if live["eta"] else "unknown (nothing recorded yet)"
            lines.append(f"       {live['rate']:.1f} links/s, expected end {eta} UTC")
            for s in live["stalled"]:
                lines.append(f"       STALLED chunk {s['chunk']}: no sign of life since {_when(s['since'])} "
                             f"UTC; {s['next']}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    if not args.watch:
        show(args)
        return 0
    # Explicit, as `scheduler` does: started with Ctrl-C ignored or blocked (a script's
    # `cmd &`, some parents), --watch would otherwise redraw on through every Ctrl-C.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    try:
        while True:
            show(args)
            time.sleep(args.every)
    except KeyboardInterrupt:  # while drawing or waiting alike: the way to stop watching
        return 0


def show(args: argparse.Namespace) -> None:
    """The runs, once: as JSON, a redrawn screen (--watch) or a table."""
    settings: Settings = args.settings
    with Store.from_settings(settings) as store:
        rows = describe_runs(store, args.limit, settings)
    if args.json:
        print(json.dumps(rows, indent=2))
    elif args.watch:
        print("\x1b[2J\x1b[H" + render(rows) + f"\n\n(every {args.every:g}s, Ctrl-C to stop)", flush=True)
    else:
        print(render(rows))
