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
    folder = session_root(tmp_path_factory) / f"shared-{name}"
    return once_each(tmp_path_factory, name, [folder], make)[0]


def once_each(tmp_path_factory: pytest.TempPathFactory, name: str, parts: list[Any],
              make: Callable[[Any], Any]) -> list[Any]:
    """``[make(part) for part in parts]``, each part made once per session (a failure is not
    remembered), shared out among the xdist workers that ask: a worker takes the parts nobody
    has taken yet (starting at its own offset, so two workers asking at once start on different
    parts), then waits for the ones the others are making. The results come back in the order of
    ``parts``."""
    root = session_root(tmp_path_factory) / f"shared-{name}"
    root.mkdir(parents=True, exist_ok=True)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    start = int(worker.removeprefix("gw")) if worker.removeprefix("gw").isdigit() else 0
    count = len(parts)
    order = [(start * max(1, count // 4) + i) % count for i in range(count)] if count else []
    results: dict[int, Any] = {}

    def attempt(index: int, *, wait: bool) -> bool:
        done = root / f"{index}.json"
        with (root / f"{index}.lock").open("w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                return False  # another worker is making it
            if not done.exists():
                done.write_text(json.dumps(make(parts[index])), encoding="utf-8")
            results[index] = json.loads(done.read_text(encoding="utf-8"))
            return True

    waiting = [index for index in order if not attempt(index, wait=False)]
    for index in waiting:
        attempt(index, wait=True)
    return [results[index] for index in range(count)]
