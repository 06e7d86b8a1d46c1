"""A fresh fake GitHub API and store per test, and a settings factory pointing at them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from linkcheck.settings import Settings
from linkcheck.store import Store
from tests.support.fakegithub import FakeGitHub, serve_fake_github

TOKEN = "ghp_FAKEtoken0123456789abcdefSECRET"  # a recognisable value to hunt for in outputs


@pytest.fixture
def fake() -> FakeGitHub:
    return FakeGitHub(token=TOKEN)


@pytest.fixture
def api(fake: FakeGitHub) -> Iterator[str]:
    with serve_fake_github(fake) as url:
        yield url


@pytest.fixture
def make_settings(tmp_path: Path, api: str) -> Callable[..., Settings]:
    def make(token: str = "", **overrides: object) -> Settings:
        values: dict[str, object] = {
            "var_dir": tmp_path / "var",
            "store_path": tmp_path / "var" / "linkcheck.sqlite3",
            "reports_dir": tmp_path / "var" / "reports",
            "content_dir": tmp_path / "content",
            "output_dir": tmp_path / "output",
            "github_api_url": api,
            "github_token": token,
            "timeout": 5.0,
            "connect_timeout": 2.0,
        }
        values.update(overrides)
        return Settings.from_env(**values)

    return make


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "var" / "linkcheck.sqlite3") as s:
        yield s
