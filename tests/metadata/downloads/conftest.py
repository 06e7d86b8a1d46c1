"""A fresh fake pypistats and store per test, and a settings factory pointing at them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from linkcheck.settings import Settings
from linkcheck.store import Store
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
        values: dict[str, object] = {
            "var_dir": tmp_path / "var", "store_path": tmp_path / "var" / "linkcheck.sqlite3",
            "reports_dir": tmp_path / "var" / "reports", "content_dir": tmp_path / "content",
            "output_dir": tmp_path / "output", "pypistats_api_url": api, "timeout": 5.0,
            "connect_timeout": 2.0,
        }
        values.update(overrides)
        return Settings.from_env(**values)

    return make


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "var" / "linkcheck.sqlite3") as s:
        yield s
