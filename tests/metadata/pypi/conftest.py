"""A fresh fake PyPI and store per test, and a settings factory pointing at them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from linkcheck.settings import Settings
from linkcheck.store import Store
from tests.metadata.conftest import metadata_settings
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
        return metadata_settings(tmp_path, **{"pypi_api_url": api, **overrides})

    return make


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "var" / "linkcheck.sqlite3") as s:
        yield s
