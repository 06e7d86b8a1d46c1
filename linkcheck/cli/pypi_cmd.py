"""``python -m linkcheck pypi [--json FILE|-]``: refresh PyPI release data of catalog projects.

Same contract as ``github``. Exit codes: 0 all fetched (or paused by a rate
limit, resumed next run), 1 the catalog needs an edit (a ``pypi:`` name PyPI
does not know, or PyPI's source URL disagrees with ``repo``), 2 runtime error
(including projects that failed this run; they are retried next run).
"""

from __future__ import annotations

import argparse

from linkcheck.cli.refresh_output import add_json_option, print_refresh, progress_lines
from linkcheck.metadata.pypi import PypiSummary, catalog_projects, refresh
from linkcheck.settings import Settings
from linkcheck.store import Store


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("pypi", help="refresh PyPI release data of catalog projects into the store")
    add_json_option(p)
    p.add_argument("--project", action="append", metavar="NAME",
                   help="only this PyPI project (repeatable; default: every catalog project with pypi:)")
    p.set_defaults(handler=run)


def describe(summary: PypiSummary) -> list[str]:
    """The human summary, one line each; names come from the catalog or PyPI."""
    lines = [
        f"PyPI: {summary.requested} projects; {summary.requests} requests, {summary.updated} fetched "
        f"({summary.changed} changed), {summary.not_modified} unchanged (304)"
    ]
    for name in sorted(summary.missing):
        lines.append(f"missing: {name} is not on PyPI (404): fix or remove the entry's pypi:")
    for name, theirs in sorted(summary.source_mismatch.items()):
        lines.append(f"source differs: PyPI's {name} declares github.com/{theirs}, not the catalog's repo")
    lines.extend(f"rejected: {r}" for r in summary.rejected)
    return lines + progress_lines(summary, "projects")


def run(args: argparse.Namespace) -> int:
    settings: Settings = args.settings
    projects = None
    if args.project:
        known = catalog_projects(settings.content_dir)
        projects = {name: known.get(name) for name in args.project}
    with Store.from_settings(settings) as store:
        summary = refresh(settings, store, projects=projects)
    return print_refresh(summary, describe(summary), args.json)
