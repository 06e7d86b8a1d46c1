"""Lanes: the tests that mostly wait on processes (``long`` and ``slow``: real Celery and Redis)
each pinned to a worker of its own, one lane per two pytest-xdist workers.

Spread through the shared queue, the waiting tests were picked by every worker at about the same
time, and the cores idled while all of them waited. In lanes, about half the workers wait while
the others compute, all the time.

A worker's collection decides the lanes (tests/conftest.py, from the markers) and writes them to
a file the controller named (``workerinput["lanes_file"]``); the controller's scheduler reads it
and hands each lane to one worker as a single unit of work (xdist's load-scope scheduling, whose
``loadgroup`` mode no longer sees the groups it marks under pytest 9). Every other test is a unit
of its own, handed out in the collection's order.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest

# Rough weights that balance the lanes: a ``long`` test waits half a minute or more, a ``slow``
# one about ten seconds.
WEIGHT = {"long": 4, "slow": 1}

# The controller's lanes file, set only when its scheduler is ours (tests/conftest.py).
LANES_PATH = pytest.StashKey[str]()


def deal(waiting: list[pytest.Item], count: int) -> list[list[pytest.Item]]:
    """``waiting`` (long ones first) dealt into ``count`` lanes, each test to the lightest lane."""
    out: list[list[pytest.Item]] = [[] for _ in range(max(1, count))]
    load = [0] * len(out)
    for item in waiting:
        lightest = load.index(min(load))
        out[lightest].append(item)
        load[lightest] += WEIGHT["long" if item.get_closest_marker("long") else "slow"]
    return [lane for lane in out if lane]


def lanes_file(config: pytest.Config) -> Path | None:
    """The file a worker writes its lanes to; None when not run by our scheduler."""
    name = getattr(config, "workerinput", {}).get("lanes_file")
    return Path(name) if name else None


def write(path: Path, lanes: list[list[pytest.Item]]) -> None:
    """``{nodeid: "lane-N"}``, written whole (every worker writes the same, one after another)."""
    data = {item.nodeid: f"lane-{n}" for n, lane in enumerate(lanes) for item in lane}
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".lanes-")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out)
    os.replace(tmp, path)


def make_scheduler(config: pytest.Config, log: Any) -> Any:
    """xdist's load-scope scheduling with a lane as the scope of each of its tests."""
    from xdist.scheduler import LoadScopeScheduling

    class LaneScheduling(LoadScopeScheduling):
        def __init__(self, config: pytest.Config, log: Any, path: Path) -> None:
            super().__init__(config, log)
            self.path = path
            self.lanes: dict[str, str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self.lanes is None:  # first asked once every worker has collected (and written)
                self.lanes = json.loads(self.path.read_text(encoding="utf-8")) if self.path.is_file() else {}
            return self.lanes.get(nodeid, nodeid)

    return LaneScheduling(config, log, Path(config.stash[LANES_PATH]))

