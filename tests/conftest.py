"""Session-wide test order and scheduling, so that parallel workers (pytest-xdist, ``make test``)
keep both cores busy and finish together instead of waiting on one long test at the end.

Tests marked ``long`` or ``slow`` start real Celery and Redis processes and mostly wait on them.
Under pytest-xdist they run in lanes (tests/support/lanes.py): one per two workers, each a
worker's own queue, its ``long`` tests first. The other workers take, in this order:

1. the browser gates that read the shared sweeps (tests/quality/conftest.py ``sweeps``), so that
   they drive browsers at once, sharing the sweeps of both builds out among themselves;
2. the other browser tests, while the browser and the servers of the gates are up (a worker that
   leaves tests/quality and comes back starts them again);
3. everything else, in file order.

Without xdist the order is: long, sweep readers, slow, browser, the rest. Under a ``--dist``
mode other than the default ``load``, there are no lanes and the waiting tests come after the
browser tests.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

from tests.support import lanes


def _group(item: pytest.Item) -> int:
    if item.get_closest_marker("long"):
        return 0
    if "sweeps" in getattr(item, "fixturenames", ()):
        return 1
    if item.get_closest_marker("slow"):
        return 2
    if item.get_closest_marker("browser"):
        return 3
    return 4


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    groups: list[list[pytest.Item]] = [[] for _ in range(5)]
    for item in items:
        groups[_group(item)].append(item)
    long, sweeps, slow, browser, rest = groups
    path = lanes.lanes_file(config)
    if path is None:
        items[:] = ([item for group in groups for item in group] if not hasattr(config, "workerinput")
                    else sweeps + browser + long + slow + rest)
        return
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "2"))
    dealt = lanes.deal(long + slow, workers // 2)
    lanes.write(path, dealt)
    items[:] = [item for lane in dealt for item in lane] + sweeps + browser + rest


def pytest_configure(config: pytest.Config) -> None:
    """On the controller of an xdist run with the default ``--dist load``: a file for the lanes."""
    if (not hasattr(config, "workerinput") and config.getoption("numprocesses", None)
            and config.getvalue("dist") == "load"):
        config.stash[lanes.LANES_PATH] = str(Path(tempfile.mkdtemp(prefix="pytest-lanes-")) / "lanes.json")


def pytest_unconfigure(config: pytest.Config) -> None:
    if lanes.LANES_PATH in config.stash:
        shutil.rmtree(Path(config.stash[lanes.LANES_PATH]).parent, ignore_errors=True)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    if lanes.LANES_PATH in node.config.stash:
        node.workerinput["lanes_file"] = node.config.stash[lanes.LANES_PATH]


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    if lanes.LANES_PATH in config.stash:
        return lanes.make_scheduler(config, log)
    return None
