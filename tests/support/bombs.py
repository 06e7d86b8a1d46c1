"""Decompression bombs for the clients of outside APIs: a small gzip body that inflates to
1 GiB, served in place of chosen answers of a fake API."""

from __future__ import annotations

import zlib
from collections.abc import Awaitable, Callable
from functools import cache

from aiohttp import web

GIB = 1 << 30


@cache
def gzip_bomb(inflated: int = GIB) -> bytes:
    """``inflated`` zero bytes, gzip-compressed (about 1 MB for 1 GiB)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: the gzip format
    block = b"\0" * (1 << 20)
    parts = [packer.compress(block) for _ in range(inflated // len(block))]
    return b"".join([*parts, packer.flush()])


def with_bombs(app: web.Application, hit: Callable[[web.Request], Awaitable[bool]]) -> web.Application:
    """``app`` answering a gzip bomb (200, JSON) to every request ``hit`` picks."""
    body = gzip_bomb()  # compressed now: seconds of CPU the server must not spend while answering

    @web.middleware
    async def bomb(request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                   ) -> web.StreamResponse:
        if await hit(request):
            return web.Response(body=body, headers={"Content-Encoding": "gzip",
                                                            "Content-Type": "application/json"})
        return await handler(request)

    app.middlewares.insert(0, bomb)
    return app
