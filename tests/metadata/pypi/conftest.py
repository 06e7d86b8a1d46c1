"""A fresh fake PyPI and store per test, and a settings factory pointing at them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from linkcheck.settings import Settings
from linkcheck.store import Store
from tests.support.fakepypi import FakePyPI, serve_fake_pypi


@pytest.fixture
def fake() -> FakePyPI:
    return FakePyPI()


@pytest.fixture
def api(fake: FakePyPI) -> Iterator[str]:
    with serve_fake_pypi(fake) as url:
        yield url


@pytest.fixture
def make_settings(tmp_path: Path, api: str) -> Callable[..., Settings]:
    def make(**overrides: object) -> Settings:
        values: dict[str, object] = {
            "var_dir": tmp_path / "var", "store_path": tmp_path / "var" / "linkcheck.sqlite3",
            "reports_dir": tmp_path / "var" / "reports", "content_dir": tmp_path / "content",
            "output_dir": tmp_path / "output", "pypi_api_url": api, "timeout": 5.0, "connect_timeout": 2.0,
        }
        values.update(overrides)
        return Settings.from_env(**values)

    return make


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "var" / "linkcheck.sqlite3") as s:
        yield s
