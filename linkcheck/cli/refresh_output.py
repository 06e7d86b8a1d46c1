"""What the metadata refresh commands (``github``, ``pypi``, ``downloads``) print and return, one way."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from linkcheck.metadata.summary import RefreshSummary
from linkcheck.timefmt import utc_human


def add_json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", metavar="FILE",
                        help="also write the summary as JSON to FILE ('-' = stdout)")


def progress_lines(summary: RefreshSummary, noun: str, *, keeps: str = "") -> list[str]:
    """The lines every per-project refresh ends with: a pause, what is left, failures, errors."""
    lines = []
    if summary.rate_limited:
        lines.append(f"paused: {summary.rate_limit_reason}; {len(summary.pending)} {noun} resume "
                     f"after {utc_human(summary.resume_after) or '-'}")
    elif summary.pending:
        lines.append(f"{len(summary.pending)} {noun} not refreshed this run; they go first next run")
    if summary.failed:
        lines.append(f"{len(summary.failed)} {noun} failed this run and are retried with the next"
                     + (f"; they keep {keeps}" if keeps else ""))
    lines.extend(f"error: {e}" for e in summary.errors)
    return lines


def print_refresh(summary: RefreshSummary, lines: list[str], json_to: str | None) -> int:
    """Print the human lines (to stderr when stdout carries the JSON) and write the JSON.

    Exit code: 2 runtime errors, 1 the catalog needs an edit, 0 otherwise."""
    to_stdout = json_to == "-"
    human = sys.stderr if to_stdout else sys.stdout  # keep stdout pure JSON when asked for it
    for line in lines:
        print(line, file=human)
    if json_to:
        text = json.dumps(summary.to_json(), indent=2, sort_keys=True)
        if to_stdout:
            print(text)
        else:
            Path(json_to).write_text(text + "\n")
    if summary.errors:
        return 2
    return 1 if summary.problems else 0
