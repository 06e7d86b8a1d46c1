"""A loopback "internet" for the benchmark: many hosts, fixed latency, real HTTP/1.1.

Every address in 127.0.0.0/8 is local, so host ``i`` listens on its own
address (127.20.x.y) and a checker sees hundreds of distinct hosts. A minimal
asyncio protocol (not a framework) keeps the server's CPU cost per request
small, so on a 2-core machine the fake web is not what the benchmark measures.

Paths: ``/page/N`` is 200 (an HTML page titled "Page N"), ``/moved/N`` is a 302
to ``/page/N``, ``/gone/N`` and anything else are 404 (so soft-404 probes of
random paths get a real 404). Every response is sent ``latency`` seconds after
its request arrives; keep-alive and HEAD are supported.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import socket
from collections.abc import Sequence
from pathlib import Path
from typing import Any

_REASONS = {200: "OK", 302: "Found", 404: "Not Found", 400: "Bad Request"}


def add_arguments(parser: Any, *, hosts: int, links: int) -> None:
    """The fake web's options, the same in every benchmark that serves it."""
    parser.add_argument("--hosts", type=int, default=hosts)
    parser.add_argument("--links", type=int, default=links)
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per response")
    parser.add_argument("--server-procs", type=int, default=1, help="fake-web worker processes")


def host_address(i: int) -> str:
    """The loopback address of fake host ``i`` (0-based); 250 hosts per /24."""
    return f"127.20.{i // 250}.{i % 250 + 1}"


def _response(method: bytes, path: bytes, keep_alive: bool) -> bytes:
    location = b""
    if path.startswith(b"/page/") and path[6:].isdigit():
        status = 200
        n = path[6:].decode()
        body = (f"<!doctype html><html><head><meta charset=utf-8><title>Page {n}</title></head>"
                f"<body><h1>Page {n}</h1><p>Some text about task queues.</p>"
                f"<p id=section>Section</p></body></html>").encode()
    elif path.startswith(b"/moved/") and path[7:].isdigit():
        status = 302
        location = b"Location: /page/" + path[7:] + b"\r\n"
        body = b""
    else:
        status = 404
        body = b"<!doctype html><html><head><title>404 Not Found</title></head><body>Not Found</body></html>"
    head = (
        f"HTTP/1.1 {status} {_REASONS[status]}\r\nContent-Type: text/html; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\n"
    ).encode() + location + (b"" if keep_alive else b"Connection: close\r\n") + b"\r\n"
    return head if method == b"HEAD" else head + body


class _HTTP(asyncio.Protocol):
    def __init__(self, latency: float, counter: Any, connections: Any) -> None:
        self.latency = latency
        self.counter = counter  # shared with the parent: requests served, for the report
        self.connections = connections  # ... and connections accepted
        self.buffer = b""
        self.transport: asyncio.Transport | None = None
        self.pending = 0  # responses scheduled but not yet written (pipelining keeps order)
        self.loop = asyncio.get_running_loop()
        self.closing = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.connections.value += 1

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buffer) > 65536:
                    self._send(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", close=True)
                return
            head, self.buffer = self.buffer[:end], self.buffer[end + 4:]
            lines = head.split(b"\r\n")
            parts = lines[0].split(b" ")
            if len(parts) != 3:
                self._send(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", close=True)
                return
            method, target, version = parts
            lower = [line.lower() for line in lines[1:]]
            keep_alive = version == b"HTTP/1.1" and b"connection: close" not in lower
            path = target.split(b"?", 1)[0]
            payload = _response(method, path, keep_alive)
            self.counter.value += 1
            # responses leave in request order, each ``latency`` after its request
            self.pending += 1
            self.loop.call_later(self.latency, self._send, payload, not keep_alive)

    def _send(self, payload: bytes, close: bool = False) -> None:
        self.pending = max(0, self.pending - 1)
        if self.transport is None or self.transport.is_closing():
            return
        self.transport.write(payload)
        if close:
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None


async def _serve(addresses: Sequence[str], port: int, latency: float, ready: Any, counter: Any,
                 connections: Any) -> None:
    loop = asyncio.get_running_loop()
    servers = []
    for address in addresses:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((address, port))
        sock.listen(1024)
        sock.setblocking(False)
        servers.append(await loop.create_server(lambda: _HTTP(latency, counter, connections), sock=sock))
    ready.set()
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    for server in servers:
        server.close()


def _worker(addresses: Sequence[str], port: int, latency: float, ready: Any, counter: Any,
            connections: Any) -> None:
    asyncio.run(_serve(addresses, port, latency, ready, counter, connections))


def _free_port(addresses: Sequence[str]) -> int:
    """A port free on every address (bind-test each; loopback ports are plentiful)."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind((addresses[0], 0))
            port = int(s.getsockname()[1])
        try:
            for address in addresses[1:]:
                with socket.socket() as s:
                    s.bind((address, port))
            return port
        except OSError:
            continue
    raise RuntimeError("no port free on every fake-web address")


class FakeWeb:
    """``hosts`` loopback hosts served by ``procs`` worker processes."""

    def __init__(self, hosts: int, latency: float = 0.1, procs: int = 1) -> None:
        self.addresses = [host_address(i) for i in range(hosts)]
        self.latency = latency
        self.procs = procs
        self.port = 0
        self._workers: list[multiprocessing.Process] = []
        self._counters: list[Any] = []
        self._connections: list[Any] = []

    @property
    def requests(self) -> int:
        """HTTP requests served so far, all workers together."""
        return sum(c.value for c in self._counters)

    @property
    def connections(self) -> int:
        """TCP connections accepted so far, all workers together (keep-alive reuse shows here)."""
        return sum(c.value for c in self._connections)

    def cpu_seconds(self) -> float:
        """CPU time used so far by the fake web's workers (Linux /proc), to show it is no bottleneck."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for proc in self._workers:
            try:
                fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
        return total

    def base_url(self, i: int) -> str:
        return f"http://{self.addresses[i]}:{self.port}"

    def __enter__(self) -> FakeWeb:
        self.port = _free_port(self.addresses)
        ctx = multiprocessing.get_context("fork")
        for k in range(self.procs):
            ready = ctx.Event()
            counter = ctx.Value("Q", 0, lock=False)  # one writer per worker: no lock needed
            connections = ctx.Value("Q", 0, lock=False)
            self._counters.append(counter)
            self._connections.append(connections)
            share = self.addresses[k::self.procs]
            proc = ctx.Process(target=_worker, daemon=True,
                               args=(share, self.port, self.latency, ready, counter, connections))
            proc.start()
            if not ready.wait(30):
                raise RuntimeError("fake web did not start")
            self._workers.append(proc)
        return self

    def __exit__(self, *exc: object) -> None:
        for proc in self._workers:
            if proc.pid is not None and proc.is_alive():
                os.kill(proc.pid, signal.SIGTERM)
        for proc in self._workers:
            proc.join(5)
            if proc.is_alive():
                proc.kill()
                proc.join()
