"""When an entry's ``status:`` line was set: the git commit that wrote it, read locally.

``git blame --porcelain`` on the status lines of one catalog file names the commit that last
wrote each line. A line counts as a status change only when that commit's parent had the
same entry (by id) with another status or none: a commit that added the entry with its
status, or only moved it within the file, changed no status. No git, no repository, an
uncommitted line, a commit whose parent is not in the clone (shallow), a timeout or an
unreadable parent: no item, never a guessed date. Runs git only on local files, no network.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from linkcheck.catalog import slugify

logger = logging.getLogger(__name__)

_SHA_RE = re.compile(r"^[0-9a-f]{40}$")
_UNCOMMITTED = "0" * 40
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class StatusChange:
    entry_id: str
    status: str
    before: str | None  # the status in the commit's parent (None: maintained)
    commit: str
    when: datetime  # the commit's committer time, UTC


def _git(args: list[str], cwd: Path, timeout: float) -> str | None:
    """stdout of a local git command, or None when git is missing, fails or runs too long."""
    try:
        out = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                             check=False, env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"})
    except (OSError, subprocess.SubprocessError) as exc:
        logger.info("news: git %s in %s: %s; status changes of that file left out", args[0], cwd, exc)
        return None
    return out.stdout if out.returncode == 0 else None


def blame_lines(path: Path, lines: list[int], timeout: float) -> dict[int, dict[str, str]]:
    """Line number -> {"commit", "committer-time", "filename", "boundary"?} from ``git blame --porcelain``."""
    if not lines:
        return {}
    ranges = [arg for n in sorted(set(lines)) for arg in ("-L", f"{n},{n}")]
    out = _git(["blame", "--porcelain", *ranges, "--", path.name], path.parent, timeout)
    if out is None:
        return {}
    commits: dict[str, dict[str, str]] = {}
    found: dict[int, str] = {}
    current = None
    for line in out.splitlines():
        if line.startswith("\t"):
            continue  # the line's text
        head, _, rest = line.partition(" ")
        if _SHA_RE.match(head):
            current = head
            commits.setdefault(current, {"commit": current})
            final = rest.split(" ")
            if len(final) >= 2 and final[1].isdigit():
                found[int(final[1])] = current
        elif current is not None:
            commits[current][head] = rest
    return {n: commits[sha] for n, sha in found.items()}


def _parent_statuses(commit: str, filename: str, cwd: Path, timeout: float) -> dict[str, str | None] | None:
    """Entry id -> status in the file as the commit's parent had it; None when unknown."""
    text = _git(["show", f"{commit}^:{filename}"], cwd, timeout)
    if text is None:
        return None
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - the safe loader
    except yaml.YAMLError:
        return None
    if not isinstance(data, list):
        return None
    found: dict[str, str | None] = {}
    for item in data:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            continue
        entry_id = item.get("id") if isinstance(item.get("id"), str) else slugify(item["name"])
        status = item.get("status")
        found[entry_id] = status if isinstance(status, str) else None
    return found


def status_changes(path: Path, lines: dict[int, tuple[str, str]], *, timeout: float) -> list[StatusChange]:
    """The status changes of one catalog file: ``lines`` maps each ``status:`` line number to
    (entry id, its status now)."""
    blamed = blame_lines(path, list(lines), timeout)
    parents: dict[str, dict[str, str | None] | None] = {}
    changes = []
    for number, (entry_id, status) in sorted(lines.items()):
        info = blamed.get(number)
        if info is None or info["commit"] == _UNCOMMITTED or "boundary" in info:
            continue
        stamp = info.get("committer-time", "")
        if not stamp.isdigit() or not info.get("filename"):
            continue
        commit = info["commit"]
        if commit not in parents:
            parents[commit] = _parent_statuses(commit, info["filename"], path.parent, timeout)
        before: Any = parents[commit]
        if before is None or entry_id not in before or before[entry_id] == status:
            continue  # no parent to compare with, the entry came with this commit, or a move
        changes.append(StatusChange(entry_id, status, before[entry_id], commit,
                                    datetime.fromtimestamp(int(stamp), tz=UTC)))
    return changes
