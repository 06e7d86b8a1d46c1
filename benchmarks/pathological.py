"""A loopback web of hosts that hold link checkers hostage, for ``bench_pathological.py``.

Each kind of host listens on its own address (127.21.0.N, one port for all):

- ``silent``: accepts connections, reads the request, never answers;
- ``drip``: ``/slow/...`` sends a 200 status line and headers at once, then one byte of
  body a second (other paths are 404, like a real site's);
- ``later``: answers every request ``429 Too Many Requests`` with ``Retry-After: 3600``;
- ``chain``: ``/chain/<link>/N`` is a 301 to ``/chain/<link>/N-1``; ``.../0`` is a page;
- ``plain``: ``/page/N`` is a page, anything else a 404 (the baseline).

One asyncio process (forked), raw HTTP/1.1, so the server costs next to nothing.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
from typing import Any

from fakeweb import _free_port

KINDS = ("silent", "drip", "later", "chain", "plain")
ADDRESSES = {kind: f"127.21.0.{i + 1}" for i, kind in enumerate(KINDS)}
CHAIN_HOPS = 4  # within every checker's default redirect limit
_PAGE = b"<!doctype html><html><head><title>Page</title></head><body><h1>Page</h1><p>text</p></body></html>"


def _head(status: str, headers: dict[str, str], length: int | None) -> bytes:
    lines = [f"HTTP/1.1 {status}"] + [f"{k}: {v}" for k, v in headers.items()]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _hops_left(path: bytes) -> int:
    """``/chain/<link>/<hops left>``: the hops still to go, -1 for another path."""
    parts = path.split(b"/")
    if len(parts) == 4 and parts[1] == b"chain" and parts[3].isdigit():
        return int(parts[3])
    return -1


async def _serve(kind: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            request = await reader.readuntil(b"\r\n\r\n")
            method, path = request.split(b" ", 2)[:2]
            head_only = method == b"HEAD"
            if kind == "silent":
                await asyncio.sleep(3600)
                return
            if kind == "drip" and path.startswith(b"/slow/"):
                writer.write(_head("200 OK", {"Content-Type": "text/html", "Connection": "close"}, None))
                writer.write(b"<!doctype html><html><head><title>Drip</title></head><body>")
                await writer.drain()
                if head_only:
                    return
                for _ in range(3600):
                    await asyncio.sleep(1)
                    writer.write(b"x")
                    await writer.drain()
                return
            if kind == "later":
                body = b"Too Many Requests"
                headers = {"Retry-After": "3600", "Content-Type": "text/plain"}
                writer.write(_head("429 Too Many Requests", headers, len(body)))
                writer.write(b"" if head_only else body)
            elif kind == "chain" and _hops_left(path) > 0:
                link, hops = path.rsplit(b"/", 1)
                location = f"{link.decode()}/{int(hops) - 1}"
                writer.write(_head("301 Moved Permanently", {"Location": location}, 0))
            elif _hops_left(path) == 0 or (kind == "plain" and path.startswith(b"/page/")):
                writer.write(_head("200 OK", {"Content-Type": "text/html"}, len(_PAGE))
                             + (b"" if head_only else _PAGE))
            else:
                body = b"<html><head><title>404 Not Found</title></head></html>"
                writer.write(_head("404 Not Found", {"Content-Type": "text/html"}, len(body))
                             + (b"" if head_only else body))
            await writer.drain()
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError, ValueError):
        pass
    finally:
        writer.close()


def _worker(port: int, ready: Any) -> None:
    async def main() -> None:
        for kind, address in ADDRESSES.items():
            await asyncio.start_server(lambda r, w, k=kind: _serve(k, r, w), address, port, backlog=512)
        ready.set()
        await asyncio.Event().wait()

    asyncio.run(main())


class PathologicalWeb:
    def __init__(self) -> None:
        self.port = 0
        self._proc: multiprocessing.Process | None = None

    def url(self, kind: str, path: str) -> str:
        return f"http://{ADDRESSES[kind]}:{self.port}{path}"

    def __enter__(self) -> PathologicalWeb:
        self.port = _free_port(list(ADDRESSES.values()))
        ctx = multiprocessing.get_context("fork")
        ready = ctx.Event()
        self._proc = ctx.Process(target=_worker, args=(self.port, ready), daemon=True)
        self._proc.start()
        if not ready.wait(30):
            raise RuntimeError("pathological web did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._proc is not None and self._proc.pid is not None and self._proc.is_alive():
            os.kill(self._proc.pid, signal.SIGTERM)
            self._proc.join(5)
            if self._proc.is_alive():
                self._proc.kill()
