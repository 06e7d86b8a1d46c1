"""Hostile servers never crash or hang the checker: garbage, bombs, endless headers."""

from __future__ import annotations

import gzip
import socket
import threading
import time

from aiohttp import web

from tests.support.fakeweb import serve_sites, site


class RawServer:
    """Answers every connection with fixed bytes (then, optionally, keeps it open)."""

    def __init__(self, payload: bytes, *, hold: float = 0.0, host: str = "127.0.1.9") -> None:
        self.payload, self.hold = payload, hold
        self.sock = socket.socket()
        self.sock.bind((host, 0))
        self.sock.listen(16)
        self.url = f"http://{host}:{self.sock.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        try:
            conn.recv(65536)
            conn.sendall(self.payload)
            time.sleep(self.hold)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.sock.close()


def test_garbage_instead_of_http_is_an_error_not_a_crash(run_one):
    server = RawServer(b"\x00\xffthis is not HTTP at all\r\n\r\n")
    try:
        r = run_one(server.url + "/", retries=1)
    finally:
        server.close()
    assert (r.verdict, r.reason) == ("error", "connection_error")


def test_endless_header_is_an_error_within_the_deadline(run_one):
    server = RawServer(b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * 200_000, hold=5)
    try:
        started = time.monotonic()
        r = run_one(server.url + "/", retries=0, timeout=1.0)
        took = time.monotonic() - started
    finally:
        server.close()
    assert r.verdict == "error" and r.reason in ("connection_error", "timeout")
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
