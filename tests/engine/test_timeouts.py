"""Timeouts: a silent server is an error after retries; a dripping one cannot hold a slot."""

from __future__ import annotations

import asyncio
import time

from aiohttp import web

from tests.support.fakeweb import serve_sites, site
from tests.support.servers import SilentServer


def test_never_answering_server_is_error_after_retries(run_one):
    server = SilentServer()
    try:
        started = time.monotonic()
        r = run_one(server.url + "/", timeout=0.3, retries=1)
        took = time.monotonic() - started
    finally:
        server.close()
    assert (r.verdict, r.reason, r.status) == ("error", "timeout", None)
    assert r.attempts >= 2
    assert took < 3.0


async def drip(request: web.Request) -> web.StreamResponse:
    resp = web.StreamResponse(headers={"Content-Type": "text/html"})
    await resp.prepare(request)  # headers go out at once: the server is alive
    await resp.write(b"<html><head><title>Slow but alive</title></head><body>")
    for _ in range(600):
        await asyncio.sleep(0.1)
        await resp.write(b"x")
    return resp


def test_drip_server_bounded_by_total_deadline_and_alive(run_one):
    app = site({"/drip": drip})
    with serve_sites(app) as (url,):
        started = time.monotonic()
        r = run_one(url + "/drip#anchor", timeout=0.8)
        took = time.monotonic() - started
    assert (r.verdict, r.reason, r.status) == ("ok", "ok", 200)
    assert r.title == "Slow but alive"
    assert took < 3.0


def test_silent_host_costs_at_most_twice_the_timeout(run_one):
    # HEAD hangs, then one GET (the "one more attempt"), however many retries are configured
    server = SilentServer("127.0.1.3")
    try:
        started = time.monotonic()
        r = run_one(server.url + "/", timeout=0.5, retries=3)
        took = time.monotonic() - started
    finally:
        server.close()
    assert (r.verdict, r.reason, r.attempts) == ("error", "timeout", 2)
    assert took < 2 * 0.5 + 0.5


def test_many_links_to_a_silent_host_are_not_each_waited_for(run):
    server = SilentServer("127.0.1.4")
    try:
        started = time.monotonic()
        results = run([f"{server.url}/p{i}" for i in range(30)], timeout=0.5, host_concurrency=4)
        took = time.monotonic() - started
    finally:
        server.close()
    assert {(r.verdict, r.reason) for r in results} == {("error", "timeout")}
    assert sum("answered none of this run" in r.message for r in results) >= 20
    assert took < 2 * 0.5 + 0.5  # the first requests time out together; nobody waits after that


def test_a_slow_page_does_not_condemn_its_live_host(run):
    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(3)
        return web.Response(text="late")

    async def fast(request: web.Request) -> web.Response:
        return web.Response(text="<title>Fast</title>", content_type="text/html")

    app = site({"/slow/{n}": slow, "/fast/{n}": fast})
    with serve_sites(app, first_host=5) as (url,):
        results = run([f"{url}/slow/{i}" for i in range(3)] + [f"{url}/fast/{i}" for i in range(5)],
                      timeout=0.5)
    assert [r.reason for r in results[:3]] == ["timeout"] * 3
    assert all("answered none" not in r.message for r in results)
    assert [r.reason for r in results[3:]] == ["ok"] * 5


def test_redirect_chain_is_bounded_by_the_link_budget(run_one):
    async def hop(request: web.Request) -> web.Response:
        await asyncio.sleep(0.3)  # every hop answers, slowly
        n = int(request.match_info["n"])
        return web.Response(status=302, headers={"Location": f"/hop/{n + 1}"})

    app = site({"/hop/{n}": hop})
    with serve_sites(app, first_host=6) as (url,):
        started = time.monotonic()
        r = run_one(url + "/hop/0", timeout=0.5)
        took = time.monotonic() - started
    assert (r.verdict, r.reason) == ("error", "timeout")
    assert "within this link's 1 s" in r.message
    assert took < 2 * 0.5 + 0.5
