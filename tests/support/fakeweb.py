"""A small fake web for engine tests: aiohttp apps that record every request.

``site({"/path": handler, ...})`` builds an app whose handlers see every
method (HEAD included); ``app["hits"]`` lists ``Hit``s in arrival order.
``serve_sites`` starts several apps on distinct loopback hosts at once.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass

from aiohttp import web

from .servers import ServerThread

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
HITS = web.AppKey("hits", list)


@dataclass
class Hit:
    method: str
    path: str  # raw path and query, as sent
    headers: dict[str, str]
    at: float  # time.monotonic() on arrival


def site(routes: dict[str, Handler]) -> web.Application:
    hits: list[Hit] = []

    @web.middleware
    async def record(request: web.Request, handler: Handler) -> web.StreamResponse:
        hits.append(Hit(request.method, request.raw_path, dict(request.headers), time.monotonic()))
        return await handler(request)

    app = web.Application(middlewares=[record])
    app[HITS] = hits
    for path, handler in routes.items():
        app.router.add_route("*", path, handler)
    return app


def page(title: str = "A page", body: str = "<p>content</p>", head: str = "", status: int = 200,
         **kw: object) -> web.Response:
    html = f"<!doctype html><html><head><title>{title}</title>{head}</head><body>{body}</body></html>"
    return web.Response(text=html, content_type="text/html", status=status, **kw)  # type: ignore[arg-type]


def static(title: str = "A page", body: str = "<p>content</p>", head: str = "",
           status: int = 200) -> Handler:
    async def handler(request: web.Request) -> web.Response:
        return page(title, body, head, status)

    return handler


def redirect(location: str, status: int = 301) -> Handler:
    async def handler(request: web.Request) -> web.Response:
        return web.Response(status=status, headers={"Location": location})

    return handler


def status(code: int, text: str = "", **headers: str) -> Handler:
    async def handler(request: web.Request) -> web.Response:
        return web.Response(status=code, text=text or f"status {code}", headers=headers)

    return handler


@contextlib.contextmanager
def serve_sites(*apps: web.Application, first_host: int = 1) -> Iterator[list[str]]:
    """Serve each app on its own host 127.0.1.N (N from ``first_host``); yield base URLs."""
    servers: list[ServerThread] = []
    try:
        for i, app in enumerate(apps):
            servers.append(ServerThread(app, f"127.0.1.{first_host + i}").start())
        yield [s.url for s in servers]
    finally:
        for s in servers:
            s.stop()
