"""``python -m linkcheck github [--json FILE|-]``: refresh GitHub figures of catalog projects.

Exit codes: 0 all fetched (or paused by a rate limit, resumed next run), 1 the
catalog needs an edit (renamed, missing or blocked repositories), 2 runtime error
(including repositories that failed this run; they are retried next run).
"""

from __future__ import annotations

import argparse

from linkcheck.cli.refresh_output import add_json_option, print_refresh
from linkcheck.metadata.github import GithubSummary, refresh
from linkcheck.settings import Settings
from linkcheck.store import Store
from linkcheck.timefmt import utc_human


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("github", help="refresh GitHub metadata of catalog projects into the store")
    add_json_option(p)
    p.add_argument("--repo", action="append", metavar="OWNER/NAME",
                   help="only this repository (repeatable; default: every catalog project)")
    p.set_defaults(handler=run)


def _when(ts: float | None) -> str:
    return utc_human(ts) or "-"


def describe(summary: GithubSummary) -> list[str]:
    """The human summary, one line each; names come from the catalog or GitHub, never secrets."""
    how = "GraphQL (token)" if summary.mode == "graphql" else "REST without token, conditional requests"
    lines = [
        f"GitHub: {summary.requested} repositories via {how}; {summary.requests} requests, "
        f"{summary.updated} fetched ({summary.changed} changed), {summary.not_modified} unchanged (304)"
    ]
    for old, new in sorted(summary.renamed.items()):
        lines.append(f"renamed: {old} -> update the catalog to {new}")
    for repo in sorted(summary.missing):
        lines.append(f"missing: {repo} is deleted or private on GitHub (404): fix or remove the entry")
    for repo, reason in sorted(summary.blocked.items()):
        lines.append(f"unavailable: {repo} blocked by GitHub ({reason}); shown as unavailable")
    lines.extend(f"rejected: {r}" for r in summary.rejected)
    if summary.failed:
        lines.append(f"{len(summary.failed)} repositories failed this run and are retried with the next: "
                     + ", ".join(summary.failed[:10]) + (" ..." if len(summary.failed) > 10 else ""))
    if summary.rate_limited:
        lines.append(f"paused: {summary.rate_limit_reason}; {len(summary.pending)} repositories resume "
                     f"after {_when(summary.resume_after)}")
    elif summary.pending:
        lines.append(f"{len(summary.pending)} repositories not refreshed this run; they go first next run")
    lines.extend(f"error: {e}" for e in summary.errors)
    return lines


def run(args: argparse.Namespace) -> int:
    settings: Settings = args.settings
    with Store.from_settings(settings) as store:
        summary = refresh(settings, store, repos=args.repo)
    return print_refresh(summary, describe(summary), args.json)
