from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.site import CONTENT, build


# Package scope: the variables are restored when the last site test ends, so tests in
# other folders never inherit this empty store (they did with session scope).
@pytest.fixture(scope="package", autouse=True)
def empty_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Point the store-reading plugins at an empty folder: these tests see "no data yet",
    whatever a developer's var/linkcheck.sqlite3 holds."""
    var = tmp_path_factory.mktemp("var")
    saved = {k: os.environ.get(k) for k in ("LINKCHECK_VAR_DIR", "LINKCHECK_STORE")}
    os.environ["LINKCHECK_VAR_DIR"] = str(var)
    os.environ["LINKCHECK_STORE"] = str(var / "linkcheck.sqlite3")
    yield var
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="package")
def site(tmp_path_factory: pytest.TempPathFactory, empty_store: Path) -> Path:
    """The real content built once with pelicanconf.py (read-only for tests)."""
    return build(CONTENT, tmp_path_factory.mktemp("site") / "output")
