"""Decompression bombs for the clients of outside APIs: a small gzip body that inflates to
1 GiB, served in place of chosen answers of a fake API."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Awaitable, Callable
from functools import cache

from aiohttp import web

GIB = 1 << 30


@cache
def gzip_bomb(inflated: int = GIB) -> bytes:
    """``inflated`` zero bytes (a multiple of 1 MiB), gzip-compressed (about 1 MB for 1 GiB).

    Built, not compressed: one MiB of zeros deflated after a full flush (which empties the
    compressor's window) deflates to the same bytes each time, so the stream is that unit
    repeated, an empty final block and gzip's header and trailer around it. Compressing the whole
    GiB took three seconds of CPU in each test process that served a bomb."""
    mib = 1 << 20
    assert inflated % mib == 0 and inflated > 0, inflated
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw deflate: the gzip frame is ours
    block = bytes(mib)
    unit = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    assert packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH) == unit, "deflate is not repeatable"
    final = zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # an empty last block
    crc = 0
    for _ in range(inflated // mib):
        crc = zlib.crc32(block, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"  # gzip, deflate, no name or time
    trailer = struct.pack("<II", crc, inflated & 0xFFFFFFFF)
    return header + unit * (inflated // mib) + final + trailer


def with_bombs(app: web.Application, hit: Callable[[web.Request], Awaitable[bool]]) -> web.Application:
    """``app`` answering a gzip bomb (200, JSON) to every request ``hit`` picks."""
    body = gzip_bomb()  # built now, not while the server answers

    @web.middleware
    async def bomb(request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                   ) -> web.StreamResponse:
        if await hit(request):
            return web.Response(body=body, headers={"Content-Encoding": "gzip",
                                                            "Content-Type": "application/json"})
        return await handler(request)

    app.middlewares.insert(0, bomb)
    return app
