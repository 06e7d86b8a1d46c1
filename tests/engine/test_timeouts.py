"""Timeouts: a silent server is an error after retries; a dripping one cannot hold a slot."""

from __future__ import annotations

import asyncio
import socket
import threading
import time

from aiohttp import web

from tests.support.fakeweb import serve_sites, site


class SilentServer:
    """Accepts connections and never says a word."""

    def __init__(self, host: str = "127.0.1.1") -> None:
        self.sock = socket.socket()
        self.sock.bind((host, 0))
        self.sock.listen(64)
        self.url = f"http://{host}:{self.sock.getsockname()[1]}"
        self.accepted: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def close(self) -> None:
        self.sock.close()
        for conn in self.accepted:
            conn.close()


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
