"""``python -m linkcheck lint-content [CONTENT_DIR]``: every catalog warning, with file and line.

The site build sums up plain ``http://`` links in one line; this lists them,
every other warning of the catalog validation, one per line, the core facts
(schema.CORE_FACTS) that a maintained project does not answer yet, and every
link in the content (pages and catalog) written with credentials
(``user:password@``). Exit codes: 0 the catalog is valid (warnings or not),
1 a link carries credentials (a secret in the repository), 2 the catalog is
invalid (``path:line: message``).
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from linkcheck.catalog import PLAIN_HTTP, CatalogError, CatalogWarning, load_catalog
from linkcheck.catalog.model import Catalog
from linkcheck.cli import UsageError, terminal_safe
from linkcheck.inventory.collect import SourceError, collect, credential_warnings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("lint-content",
                       help="list catalog warnings (plain http:// links, empty sections) and links "
                       "written with credentials, with file:line")
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
    else:
        kinds = Counter(w.kind for w in catalog.warnings)
        parts = [f"{kinds[PLAIN_HTTP]} plain http://"] if kinds[PLAIN_HTTP] else []
        if len(catalog.warnings) > kinds[PLAIN_HTTP]:
            parts.append(f"{len(catalog.warnings) - kinds[PLAIN_HTTP]} other")
        print(f"{len(catalog.warnings)} warning(s) in {len(catalog)} catalog entries: {', '.join(parts)}")
    unknown = unknown_core_facts(catalog, content)
    for warning in unknown:
        print(warning)
    if unknown:
        print(f"{len(unknown)} core fact(s) of maintained projects unknown: answer each with true, false or "
              "partial and its source (docs/catalog.md, Facts)")
    try:
        leaked = credential_warnings(collect([content], root=content.parent))
    except SourceError as exc:
        raise UsageError(str(exc)) from exc
    for line in leaked:
        print(terminal_safe(line))
    if leaked:
        print(f"{len(leaked)} link(s) written with credentials: remove them (and change the password)")
    return 1 if leaked else 0


def unknown_core_facts(catalog: Catalog, content: Path) -> list[CatalogWarning]:
    """One line per core fact a maintained project leaves unknown (archived and unmaintained
    projects are not compared, so their gaps are not listed)."""
    found = []
    for entry in catalog.section("projects"):
        if entry.archived:
            continue
        try:
            shown = str(entry.path.relative_to(content.parent))
        except ValueError:
            shown = str(entry.path)
        found += [CatalogWarning(entry.path, entry.line, f"{entry.id}: core fact {key!r} of a {entry.kind} "
                                 "is unknown", display_path=shown, kind="unknown-fact")
                  for key in entry.unknown_core_facts()]
    return found
