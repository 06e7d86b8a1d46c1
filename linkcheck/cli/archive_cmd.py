"""``python -m linkcheck archive``: look up Internet Archive snapshots of broken links."""

from __future__ import annotations

import argparse

from linkcheck.settings import Settings
from linkcheck.store import Store
from linkcheck.upkeep.archive import lookup_archives


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "archive",
        help="look up archived copies of broken links (Wayback availability API, cached)",
        description="Ask the Wayback availability API (WAYBACK_API_URL) for a snapshot of each "
        "link that is broken for readers, or of the given URLs; answers are cached in the store "
        "and the site shows an 'archived copy' link beside the broken one.",
    )
    p.add_argument("url", nargs="*", help="look up these URLs (default: every broken link)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    settings: Settings = args.settings
    with Store.from_settings(settings) as store:
        n = lookup_archives(settings, store, args.url or None)
        found = sum(1 for a in store.archive_lookups().values() if a["snapshot_url"])
    print(f"{n} look-up(s) made; {found} link(s) have an archived copy")
    return 0
