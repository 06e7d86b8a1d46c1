"""Session-wide test order, so that parallel workers (pytest-xdist, ``make test``) keep both
cores busy and finish together instead of waiting on one long test at the end.

xdist hands each worker two tests at first and then more as it finishes them
(``--maxschedchunk=2`` in the Makefile), in this order:

1. the browser gates that read the shared sweeps (tests/quality/conftest.py ``sweeps``): two
   each for the workers that have no ``long`` test, so they start driving browsers at once,
   sharing the sweeps of both builds out among themselves; then each ``long`` test (half a
   minute or more, mostly waiting on Celery and Redis processes) paired with another sweep
   reader, so it waits on a worker of its own; then the other sweep readers;
2. the other browser tests, while the browser and the servers of the gates are up (a worker that
   leaves tests/quality and comes back starts them again);
3. everything else in file order, with the other ``slow`` tests (real processes, mostly
   waiting) spread evenly through its first two thirds, so that waiting and computing overlap
   and nothing long is left for the end.

Run without xdist, the order is: long, sweep readers, slow, browser, the rest.
"""

from __future__ import annotations

import os

import pytest


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


def _spread(heavy: list[pytest.Item], rest: list[pytest.Item]) -> list[pytest.Item]:
    """``heavy`` spaced evenly through the first two thirds of ``rest``."""
    cut = len(rest) * 2 // 3
    step = max(1, cut // max(1, len(heavy)))
    out: list[pytest.Item] = []
    heavy = list(heavy)
    for i, item in enumerate(rest[:cut]):
        if heavy and i % step == 0:
            out.append(heavy.pop(0))
        out.append(item)
    return out + heavy + rest[cut:]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    groups: list[list[pytest.Item]] = [[] for _ in range(5)]
    for item in items:
        groups[_group(item)].append(item)
    long, sweeps, slow, browser, rest = groups
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if workers <= 1:
        items[:] = [item for group in groups for item in group]
        return
    free = max(1, workers - len(long))
    head = sweeps[:2 * free]
    readers = sweeps[2 * free:]
    for test in long:
        head += [test, *readers[:1]]
        readers = readers[1:]
    items[:] = head + readers + browser + _spread(slow, rest)
