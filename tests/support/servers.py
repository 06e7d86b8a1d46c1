"""Real servers on loopback for the tests: the tests' "internet".

Every address in 127.0.0.0/8 is local, so 127.0.1.1, 127.0.1.2, ... act as
distinct hosts. ``serve_app`` runs an aiohttp application in a background
thread with its own event loop and yields its base URL.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import threading
import time
from collections.abc import Iterator

from aiohttp import web


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


class ServerThread:
    """An aiohttp app served from a daemon thread until ``stop()``."""

    def __init__(self, app: web.Application, host: str = "127.0.0.1", port: int = 0,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        self.app = app
        self.ssl_context = ssl_context  # serve HTTPS with it
        self.host = host
        self.port = port or free_port(host)
        self.loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._runner: web.AppRunner | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def url(self) -> str:
        return f"{'https' if self.ssl_context else 'http'}://{self.host}:{self.port}"

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_until_complete(self._start())
        except BaseException as exc:  # surfaced to the starting thread
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        self.loop.run_forever()
        self.loop.run_until_complete(self._runner.cleanup() if self._runner else asyncio.sleep(0))
        self.loop.close()

    async def _start(self) -> None:
        # shutdown_timeout small: tests use servers that hold connections open
        self._runner = web.AppRunner(self.app, handle_signals=False, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port, reuse_address=True,
                           ssl_context=self.ssl_context)
        await site.start()

    def start(self) -> ServerThread:
        self._thread.start()
        self._ready.wait(10)
        if self._error:
            raise RuntimeError(f"server on {self.host}:{self.port} failed") from self._error
        return self

    def stop(self) -> None:
        if self._thread.is_alive():
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(10)


@contextlib.contextmanager
def serve_app(app: web.Application, host: str = "127.0.0.1", port: int = 0,
              ssl_context: ssl.SSLContext | None = None) -> Iterator[str]:
    """Serve ``app`` on ``host`` (any 127.x.y.z), over HTTPS with ``ssl_context``;
    yield its base URL."""
    server = ServerThread(app, host, port, ssl_context).start()
    try:
        yield server.url
    finally:
        server.stop()


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


class OneShotLimit:
    """A fake API's rate limit: serve ``limit_after`` more answers, then one 429 with
    ``Retry-After: retry_after`` (``limit_after`` None: no limit)."""

    limit_after: int | None
    retry_after: str

    def limited(self) -> web.Response | None:
        if self.limit_after is None:
            return None
        if self.limit_after == 0:
            self.limit_after = None
            return web.Response(status=429, text="Too Many Requests",
                                headers={"Retry-After": self.retry_after})
        self.limit_after -= 1
        return None
