"""HEAD first, GET when HEAD is refused or fails; bodies streamed and capped."""

from __future__ import annotations

import asyncio

from aiohttp import web

from tests.support.fakeweb import HITS, page, serve_sites, site


async def head_refused(request: web.Request) -> web.Response:
    if request.method == "HEAD":
        return web.Response(status=405)
    return page("GET works")


async def head_404(request: web.Request) -> web.Response:
    return web.Response(status=404) if request.method == "HEAD" else page("GET works")


async def head_500(request: web.Request) -> web.Response:
    return web.Response(status=500) if request.method == "HEAD" else page("GET works")


async def head_hangs_up(request: web.Request) -> web.StreamResponse:
    if request.method == "HEAD":
        assert request.transport is not None
        request.transport.close()  # connection reset, no response
        await asyncio.sleep(0.1)
    return page("GET works")


async def big_pdf(request: web.Request) -> web.StreamResponse:
    resp = web.StreamResponse(headers={"Content-Type": "application/pdf"})
    resp.content_length = 50 * 1024 * 1024
    await resp.prepare(request)
    if request.method == "GET":
        chunk = b"x" * 65536
        for _ in range(800):  # 50 MiB if anybody reads it all
            await resp.write(chunk)
    return resp


async def big_html(request: web.Request) -> web.StreamResponse:
    resp = web.StreamResponse(headers={"Content-Type": "text/html"})
    await resp.prepare(request)
    await resp.write(b"<html><head><title>Big</title></head><body>")
    if request.method == "GET":
        chunk = b"<p>" + b"y" * 65536 + b"</p>"
        for _ in range(800):
            await resp.write(chunk)
    return resp


def test_head_first_then_nothing_else_for_plain_live_file():
    app = site({"/file.pdf": big_pdf})
    with serve_sites(app) as (url,):
        from linkcheck.engine.run import check
        from tests.engine.conftest import fast_options

        (r,) = check([url + "/file.pdf"], fast_options())
    assert (r.verdict, r.reason, r.status) == ("ok", "ok", 200)
    assert [h.method for h in app[HITS]] == ["HEAD"]


def test_head_405_retried_with_get(run_one):
    app = site({"/p": head_refused})
    with serve_sites(app) as (url,):
        r = run_one(url + "/p")
    assert (r.verdict, r.reason) == ("ok", "ok")
    assert [h.method for h in app[HITS]][:2] == ["HEAD", "GET"]


def test_head_404_and_5xx_retried_with_get(run):
    app = site({"/a": head_404, "/b": head_500})
    with serve_sites(app) as (url,):
        a, b = run([url + "/a", url + "/b"])
    assert (a.verdict, a.reason, b.verdict, b.reason) == ("ok", "ok", "ok", "ok")
    gets = {h.path for h in app[HITS] if h.method == "GET"}
    assert {"/a", "/b"} <= gets


def test_head_connection_error_retried_with_get(run_one):
    app = site({"/p": head_hangs_up})
    with serve_sites(app) as (url,):
        r = run_one(url + "/p", retries=0)
    assert (r.verdict, r.reason) == ("ok", "ok")
    methods = [h.method for h in app[HITS] if h.path == "/p"]
    # aiohttp itself may retry an idempotent HEAD once on a dropped connection
    assert methods[0] == "HEAD" and methods[-1] == "GET" and methods.count("GET") == 1


def test_get_body_is_capped(run_one):
    # a fragment forces a GET of the whole page; reading stops at max_body_bytes
    app = site({"/big": big_html})
    with serve_sites(app) as (url,):
        r = run_one(url + "/big#somewhere", max_body_bytes=256 * 1024, timeout=5.0)
    # the anchor cannot be judged on a truncated page: alive, not a false "missing"
    assert (r.verdict, r.reason, r.title) == ("ok", "ok", "Big")
    assert r.elapsed < 3.0


def test_host_of_small_pages_switches_to_get_first(run):
    # small HTML pages are fetched with GET anyway (meta refresh, titles): after two, skip HEAD
    app = site({"/{n}": _small_page})
    with serve_sites(app) as (url,):
        results = run([f"{url}/{n}" for n in range(10)], host_concurrency=1, soft404_probe=False)
    assert all((r.verdict, r.reason) == ("ok", "ok") for r in results)
    heads = [h for h in app[HITS] if h.method == "HEAD"]
    gets = [h for h in app[HITS] if h.method == "GET"]
    assert len(heads) == 2 and len(gets) == 10
    assert all(r.title == "Small" for r in results)


async def _small_page(request: web.Request) -> web.Response:
    return page("Small")


def test_refresh_header_judged_by_target(run_one):
    async def refresher(request: web.Request) -> web.Response:
        return web.Response(text="moved", headers={"Refresh": "0; url=/gone"}, content_type="text/plain")

    app = site({"/r": refresher})
    with serve_sites(app) as (url,):
        r = run_one(url + "/r", method="get")
    assert (r.verdict, r.reason) == ("error", "not_found")
    assert r.redirects == [(200, url + "/gone")]
