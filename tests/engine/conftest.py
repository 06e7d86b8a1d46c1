"""Engine tests: real aiohttp servers on loopback, short timeouts and backoffs."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pytest

from linkcheck.engine.check import CheckOptions
from linkcheck.engine.run import check
from linkcheck.model import Result

# Loopback needs allow_private; waits are scaled down so the suite stays fast.
FAST = {
    "allow_private": True,
    "timeout": 2.0,
    "connect_timeout": 1.0,
    "retries": 2,
    "backoff_base": 0.02,
    "backoff_cap": 0.1,
    "retry_after_cap": 1.0,
    "host_interval": 0.0,
}


def fast_options(**overrides: object) -> CheckOptions:
    return CheckOptions(**{**FAST, **overrides})  # type: ignore[arg-type]


@pytest.fixture
def run() -> Callable[..., list[Result]]:
    def _run(urls: Iterable[str], **overrides: object) -> list[Result]:
        return check(list(urls), fast_options(**overrides))

    return _run


@pytest.fixture
def run_one(run: Callable[..., list[Result]]) -> Callable[..., Result]:
    def _one(url: str, **overrides: object) -> Result:
        (result,) = run([url], **overrides)
        return result

    return _one
