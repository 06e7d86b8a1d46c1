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
