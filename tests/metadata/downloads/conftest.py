"""A fresh fake pypistats and store per test, and a settings factory pointing at them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from linkcheck.settings import Settings
from linkcheck.store import Store
from tests.metadata.conftest import metadata_settings
from tests.support.fakepypistats import FakePyPIStats, serve_fake_pypistats


@pytest.fixture
def fake() -> FakePyPIStats:
    return FakePyPIStats()


@pytest.fixture
def api(fake: FakePyPIStats) -> Iterator[str]:
    with serve_fake_pypistats(fake) as url:
        yield url


@pytest.fixture
def make_settings(tmp_path: Path, api: str) -> Callable[..., Settings]:
    def make(**overrides: object) -> Settings:
        return metadata_settings(tmp_path, **{"pypistats_api_url": api, **overrides})

    return make


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "var" / "linkcheck.sqlite3") as s:
        yield s
