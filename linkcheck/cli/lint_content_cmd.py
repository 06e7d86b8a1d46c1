"""``python -m linkcheck lint-content [CONTENT_DIR]``: every catalog warning, with file and line.

The site build sums up plain ``http://`` links in one line; this lists them,
and every other warning of the catalog validation, one per line. Exit codes:
0 the catalog is valid (warnings or not), 2 it is invalid (``path:line: message``).
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from linkcheck.catalog import PLAIN_HTTP, CatalogError, load_catalog
from linkcheck.cli import UsageError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("lint-content",
                       help="list catalog warnings (plain http:// links, empty sections) with file:line")
    p.add_argument("content_dir", nargs="?", metavar="CONTENT_DIR",
                   help="the folder holding catalog/ (default: LINKCHECK_CONTENT_DIR, content/)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    content = Path(args.content_dir).resolve() if args.content_dir else args.settings.content_dir
    try:
        catalog = load_catalog(content)
    except CatalogError as exc:
        raise UsageError(str(exc)) from exc
    for warning in catalog.warnings:
        print(warning)
    if not catalog.warnings:
        print(f"no warnings in {len(catalog)} catalog entries")
        return 0
    kinds = Counter(w.kind for w in catalog.warnings)
    parts = [f"{kinds[PLAIN_HTTP]} plain http://"] if kinds[PLAIN_HTTP] else []
    if len(catalog.warnings) > kinds[PLAIN_HTTP]:
        parts.append(f"{len(catalog.warnings) - kinds[PLAIN_HTTP]} other")
    print(f"{len(catalog.warnings)} warning(s) in {len(catalog)} catalog entries: {', '.join(parts)}")
    return 0
