"""Work done once per test session, whatever the number of pytest-xdist workers.

Each xdist worker has its own fixtures, so a package-scoped fixture that builds the site would
build it once per worker (the quality gates' two builds took about 25 s each time). ``once``
makes the first worker that asks do the work into the session's shared temporary folder while
the others wait on a file lock, then hands every worker the same result.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


def session_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder every worker of this session shares: the parent of the per-worker basetemp
    under xdist (pytest-of-USER/pytest-N/), the basetemp itself without it."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def once(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], Any]) -> Any:
    """``make(folder)`` run once per session for ``name``; its JSON-able result for every caller.

    A failure is not remembered: each worker that asks tries again and reports its own error."""
    root = session_root(tmp_path_factory) / f"shared-{name}"
    root.mkdir(parents=True, exist_ok=True)
    done = root / "result.json"
    with (root / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if done.exists():
            return json.loads(done.read_text(encoding="utf-8"))
        result = make(root)
        done.write_text(json.dumps(result), encoding="utf-8")
        return result
