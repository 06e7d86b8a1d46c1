"""``python -m linkcheck downloads [--json FILE|-]``: refresh PyPI downloads of catalog projects.

Last month's downloads from pypistats.org for every catalog project with
``pypi:``; a figure younger than ``LINKCHECK_DOWNLOADS_MAX_AGE_HOURS`` is not asked
for again. Exit codes: 0 all fetched, fresh or paused by a rate limit (resumed
next run), 2 runtime error (including projects that failed this run; they keep
their last good figure and are retried next run).
"""

from __future__ import annotations

import argparse

from linkcheck.cli.refresh_output import add_json_option, print_refresh, progress_lines
from linkcheck.metadata.downloads import DownloadsSummary, refresh
from linkcheck.settings import Settings
from linkcheck.store import Store


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("downloads", help="refresh PyPI downloads (pypistats.org) of catalog projects")
    add_json_option(p)
    p.add_argument("--project", action="append", metavar="NAME",
                   help="only this PyPI project (repeatable; default: every catalog project with pypi:)")
    p.set_defaults(handler=run)


def describe(summary: DownloadsSummary) -> list[str]:
    """The human summary, one line each; names come from the catalog."""
    lines = [
        f"Downloads: {summary.requested} projects; {summary.requests} requests, {summary.updated} fetched "
        f"({summary.changed} changed), {summary.fresh} still fresh (not asked)"
    ]
    if summary.no_data:
        names = ", ".join(sorted(summary.no_data))
        lines.append(f"no data on pypistats for {len(summary.no_data)}: {names}")
    return lines + progress_lines(summary, "projects", keeps="their last good figure")


def run(args: argparse.Namespace) -> int:
    settings: Settings = args.settings
    with Store.from_settings(settings) as store:
        summary = refresh(settings, store, projects=args.project)
    return print_refresh(summary, describe(summary), args.json)
