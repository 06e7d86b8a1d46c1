"""When a source file last changed: its last git commit, else its modification time.

Used for <lastmod> in sitemap.xml and <updated> in the Atom feed, so those dates
are facts about the content, never invented. Runs git locally; no network.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path


def _git_time(path: Path) -> float | None:
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct", "--", path.name],
            cwd=path.parent, capture_output=True, text=True, timeout=10, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    text = out.stdout.strip()
    # Uncommitted changes are newer than the last commit: the mtime tells the truth then.
    if out.returncode != 0 or not text or _dirty(path):
        return None
    return float(text)


def _dirty(path: Path) -> bool:
    try:
        out = subprocess.run(
            ["git", "status", "--porcelain", "--", path.name],
            cwd=path.parent, capture_output=True, text=True, timeout=10, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return True
    return out.returncode != 0 or bool(out.stdout.strip())


def last_changed(paths: Iterable[Path]) -> datetime:
    """The latest change time of ``paths`` as an aware UTC datetime."""
    times = []
    for path in paths:
        if not path.exists():
            continue
        stamp = _git_time(path)
        times.append(stamp if stamp is not None else path.stat().st_mtime)
    return datetime.fromtimestamp(max(times) if times else 0, tz=UTC)
