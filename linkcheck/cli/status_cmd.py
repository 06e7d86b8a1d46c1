"""``python -m linkcheck status [URL]``: what the store knows now."""

from __future__ import annotations

import argparse
import json

from linkcheck.settings import Settings
from linkcheck.store import Store
from linkcheck.timefmt import utc_human


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("status", help="show the current verdict of links in the store")
    p.add_argument("url", nargs="*", help="only these URLs (default: all)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(handler=run)


def _when(ts: float | None) -> str:
    return utc_human(ts) or "-"


def run(args: argparse.Namespace) -> int:
    settings: Settings = args.settings
    with Store.from_settings(settings) as store:
        statuses = store.link_statuses()
    selected = [statuses[u] for u in args.url if u in statuses] if args.url else list(
        statuses.values()
    )
    if args.json:
        print(json.dumps([s.__dict__ for s in selected], indent=2, default=str))
        return 0
    if not selected:
        print("no links in the store yet: run `python -m linkcheck check output/`")
        return 0
    for s in sorted(selected, key=lambda s: (s.verdict or "", s.url)):
        flag = " BROKEN" if s.broken else ""
        print(f"{s.verdict or 'unchecked':9} {s.reason or '-':22} {_when(s.last_checked)}  "
              f"{s.url}{flag}")
    return 0
