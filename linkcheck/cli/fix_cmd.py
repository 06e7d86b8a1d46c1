"""``python -m linkcheck fix --redirects [--dry-run]``: rewrite moved URLs in content/."""

from __future__ import annotations

import argparse
import sys

from linkcheck.cli import UsageError
from linkcheck.settings import Settings
from linkcheck.store import Store
from linkcheck.upkeep.fix import fix_redirects


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "fix",
        help="rewrite permanently moved URLs in the content sources (prints a diff)",
        description="Rewrite every URL whose last check was a permanent move (301/308 ending "
        "alive) to its final URL in content/ Markdown and catalog YAML, changing only the URL "
        "text, percent-encoded for where it stands. Prints a unified diff; --dry-run changes "
        "nothing. A rewrite that would break the catalog, or a file that is a symbolic link, is "
        "refused and listed on standard error (exit 1); the other rewrites are applied.",
    )
    p.add_argument("--redirects", action="store_true", help="rewrite permanently moved URLs")
    p.add_argument("--dry-run", action="store_true", help="only print the diff")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if not args.redirects:
        raise UsageError("say what to fix: `fix --redirects`")
    settings: Settings = args.settings
    if not settings.content_dir.is_dir():
        raise UsageError(f"content folder not found: {settings.content_dir}")
    with Store.from_settings(settings) as store:
        result = fix_redirects(settings, store, dry_run=args.dry_run)
    for line in result.refused:
        print(f"refused: {line}", file=sys.stderr)
    if not result.diff and not result.refused:
        print("nothing to fix: no permanently moved link in the content", file=sys.stderr)
        return 0
    sys.stdout.write(result.diff)
    if args.dry_run:
        print("(dry run: no file changed)", file=sys.stderr)
    # a refused rewrite needs a maintainer; the valid ones are applied all the same
    return 1 if result.refused else 0
