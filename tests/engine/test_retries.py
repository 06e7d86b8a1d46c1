"""Transient failures are retried with backoff; Retry-After is honoured, with a cap."""

from __future__ import annotations

import time
from email.utils import formatdate

import pytest
from aiohttp import web

from linkcheck.engine.retry import backoff_delay, parse_retry_after, retry_delay
from tests.support.fakeweb import HITS, page, serve_sites, site


def flaky(code: int, failures: int, **headers: str):
    seen = {"n": 0}

    async def handler(request: web.Request) -> web.Response:
        seen["n"] += 1
        if seen["n"] <= failures:
            return web.Response(status=code, text="try later", headers=headers)
        return page("Recovered")

    return handler


@pytest.mark.parametrize("code", [429, 503, 502, 504, 408])
def test_transient_status_recovers_to_ok(run_one, code):
    app = site({"/p": flaky(code, 2)})
    with serve_sites(app) as (url,):
        r = run_one(url + "/p", retries=3)
    assert (r.verdict, r.reason, r.status) == ("ok", "ok", 200)
    assert r.attempts >= 3


def test_persistent_503_is_error_after_retries(run_one):
    app = site({"/p": flaky(503, 100)})
    with serve_sites(app) as (url,):
        r = run_one(url + "/p", retries=2)
    assert (r.verdict, r.reason, r.status) == ("error", "server_error", 503)
    # HEAD: 1 + 2 retries, then GET: 1 + 2 retries
    assert len([h for h in app[HITS] if h.path == "/p"]) == 6


def test_persistent_429_is_a_warning_not_broken(run_one):
    app = site({"/p": flaky(429, 100)})
    with serve_sites(app) as (url,):
        r = run_one(url + "/p", retries=1)
    assert (r.verdict, r.reason) == ("warn", "rate_limited")


def test_retry_after_seconds_is_honoured(run_one):
    app = site({"/p": flaky(429, 1, **{"Retry-After": "1"})})
    with serve_sites(app) as (url,):
        r = run_one(url + "/p", retries=2, retry_after_cap=5.0)
    hits = [h.at for h in app[HITS] if h.path == "/p"]
    assert (r.verdict, r.reason) == ("ok", "ok")
    assert hits[1] - hits[0] >= 0.95


def test_retry_after_http_date_within_the_cap_is_honoured(run_one):
    app = site({"/p": flaky(503, 1, **{"Retry-After": formatdate(time.time() + 2, usegmt=True)})})
    with serve_sites(app) as (url,):
        r = run_one(url + "/p", retries=2, retry_after_cap=3.0, timeout=3.0)
    hits = [h.at for h in app[HITS] if h.path == "/p"]
    assert (r.verdict, r.reason) == ("ok", "ok")
    assert 0.5 <= hits[1] - hits[0] < 3.0  # the date has whole seconds: 1-2 s from now


@pytest.mark.parametrize("code", [429, 503])
def test_retry_after_beyond_the_cap_is_rate_limited_at_once(run_one, code):
    # the server asks for an hour: waiting any part of it would hold the run; the next run tries again
    app = site({"/p": flaky(code, 100, **{"Retry-After": formatdate(time.time() + 3600, usegmt=True)}),
                "/q": flaky(code, 100, **{"Retry-After": "3600"})})
    with serve_sites(app) as (url,):
        started = time.monotonic()
        p, q = [run_one(url + path, retries=3, retry_after_cap=0.3) for path in ("/p", "/q")]
        took = time.monotonic() - started
    for r in (p, q):
        assert (r.verdict, r.reason, r.status) == ("warn", "rate_limited", code)
        assert "beyond the 0.3 s cap" in r.message
        assert r.attempts == 1
    assert len(app[HITS]) == 2  # one request each: no retry, no GET after the HEAD
    assert took < 1.0


def test_retry_after_parsing():
    now = 1_700_000_000.0
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after(formatdate(now + 30, usegmt=True), now=now) == pytest.approx(30, abs=1)
    assert parse_retry_after(formatdate(now - 30, usegmt=True), now=now) == 0.0
    assert parse_retry_after("soon") is None
    assert retry_delay(0, "9999", base=0.1, cap=1, retry_after_cap=60) == 60


def test_backoff_grows_with_jitter():
    import random

    rng = random.Random(1)
    delays = [[backoff_delay(a, 0.5, 8.0, rng) for a in range(6)] for _ in range(50)]
    for attempt in range(6):
        ceiling = min(8.0, 0.5 * 2**attempt)
        values = [row[attempt] for row in delays]
        assert all(ceiling / 2 <= v <= ceiling for v in values)
        assert len(set(values)) > 40  # jittered, not lockstep


def test_connection_resets_are_retried_and_recover(run_one):
    seen = {"n": 0}

    async def resets_twice(request: web.Request) -> web.StreamResponse:
        seen["n"] += 1
        if seen["n"] <= 2:
            assert request.transport is not None
            request.transport.abort()  # RST mid-request: no status line at all
            return web.Response()
        return page("Recovered")

    app = site({"/p": resets_twice})
    with serve_sites(app) as (url,):
        r = run_one(url + "/p", retries=3)
    assert (r.verdict, r.reason, r.status) == ("ok", "ok", 200)
    assert seen["n"] >= 3
