"""Hostile servers never crash or hang the checker: garbage, bombs, endless headers."""

from __future__ import annotations

import gzip
import time

from aiohttp import web

from tests.support.fakeweb import serve_sites, site
from tests.support.servers import RawServer


def test_garbage_instead_of_http_is_an_error_not_a_crash(run_one):
    server = RawServer(b"\x00\xffthis is not HTTP at all\r\n\r\n")
    try:
        r = run_one(server.url + "/", retries=1)
    finally:
        server.close()
    assert (r.verdict, r.reason) == ("error", "bad_response")  # it connected: not "refused"


def test_endless_header_is_an_error_within_the_deadline(run_one):
    server = RawServer(b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * 200_000, hold=5)
    try:
        started = time.monotonic()
        r = run_one(server.url + "/", retries=0, timeout=1.0)
        took = time.monotonic() - started
    finally:
        server.close()
    assert r.verdict == "error" and r.reason in ("bad_response", "timeout")
    assert took < 4.0


def test_gzip_bomb_is_read_only_up_to_the_cap(run_one):
    head = b"<html><head><title>Bomb</title></head><body>"
    bomb = gzip.compress(head + b"\0" * (40 * 1024 * 1024), compresslevel=6)  # 40 MiB inflated

    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=bomb, headers={"Content-Encoding": "gzip", "Content-Type": "text/html"})

    app = site({"/bomb": handler})
    with serve_sites(app) as (url,):
        started = time.monotonic()
        r = run_one(url + "/bomb#x", max_body_bytes=512 * 1024)
        took = time.monotonic() - started
    assert (r.verdict, r.reason, r.title) == ("ok", "ok", "Bomb")  # truncated: anchor not judged
    assert took < 3.0
