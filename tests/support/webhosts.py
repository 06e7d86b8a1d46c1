"""A small loopback web for the checker tests: two distinct hosts on 127.0.1.x."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from aiohttp import web

from tests.support.servers import serve_app

PAGE = "<!doctype html><html><head><title>{title}</title></head><body><h1 id=top>{title}</h1></body></html>"


def _app() -> web.Application:
    async def ok(request: web.Request) -> web.Response:
        return web.Response(text=PAGE.format(title=f"Page {request.path}"), content_type="text/html")

    async def gone(request: web.Request) -> web.Response:
        return web.Response(status=404, text=PAGE.format(title="404 Not Found"), content_type="text/html")

    async def moved(request: web.Request) -> web.Response:
        raise web.HTTPFound("/ok")

    async def slow(request: web.Request) -> web.Response:
        # holds the checker until the test kills it; ends once the client is gone
        for _ in range(300):
            if request.transport is None or request.transport.is_closing():
                break
            await asyncio.sleep(0.1)
        return web.Response(text="late")

    app = web.Application()
    app.router.add_route("*", "/ok", ok)
    app.router.add_route("*", "/also-ok", ok)
    app.router.add_route("*", "/gone", gone)
    app.router.add_route("*", "/temp", moved)
    app.router.add_route("*", "/slow", slow)
    return app


@pytest.fixture(scope="session")
def web_hosts() -> Iterator[tuple[str, str]]:
    """Two distinct loopback hosts serving /ok, /also-ok, /gone (404), /temp (302), /slow (30 s)."""
    with serve_app(_app(), host="127.0.1.11") as a, serve_app(_app(), host="127.0.1.12") as b:
        yield a, b
