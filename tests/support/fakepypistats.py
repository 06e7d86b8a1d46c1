"""A loopback fake of the pypistats.org JSON API (``GET /api/packages/NAME/recent``).

Answers in the documented shape (https://pypistats.org/api/):
``{"data": {"last_day": N, "last_week": N, "last_month": N}, "package": NAME,
"type": "recent_downloads"}``. Behaviours the client must cope with: 404 for a
package without data, 429 with ``Retry-After`` (one-shot, after N answers), 5xx,
malformed JSON, an oversized body, and whatever a test puts in ``data``. Every
request is logged.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from .servers import OneShotLimit, serve_app


@dataclass
class Seen:
    name: str
    status: int
    user_agent: str | None


class FakePyPIStats(OneShotLimit):
    def __init__(self) -> None:
        self.figures: dict[str, dict[str, Any]] = {}  # package -> the "data" object
        self.broken: set[str] = set()  # answer 503
        self.malformed: set[str] = set()  # answer 200 with a cut-off body
        self.huge: set[str] = set()  # answer 200 with a body of several megabytes
        self.limit_after: int | None = None  # serve this many more, then one 429 with Retry-After
        self.retry_after = "3600"
        self.seen: list[Seen] = []

    def add(self, name: str, last_month: Any, *, last_week: int = 0, last_day: int = 0) -> None:
        self.figures[name] = {"last_day": last_day, "last_week": last_week, "last_month": last_month}

    def count(self, status: int | None = None) -> int:
        return sum(1 for s in self.seen if status is None or s.status == status)

    async def _recent(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        if (limited := self.limited()) is not None:
            return limited
        if name in self.broken:
            return web.Response(status=503, text="Service Unavailable")
        if name in self.huge:
            filler = "x" * (4 * 1024 * 1024)
            return web.Response(text=json.dumps({"data": {"last_month": 1}, "pad": filler}),
                                content_type="application/json")
        if name not in self.figures:
            return web.json_response({"message": "Not Found"}, status=404)  # as pypistats answers
        text = json.dumps({"data": self.figures[name], "package": name, "type": "recent_downloads"})
        if name in self.malformed:
            text = text[: len(text) // 2]
        return web.Response(text=text, content_type="application/json")

    def app(self) -> web.Application:
        @web.middleware
        async def record(request: web.Request, handler: Any) -> web.StreamResponse:
            response = await handler(request)
            self.seen.append(Seen(request.match_info.get("name", request.path), response.status,
                                  request.headers.get("User-Agent")))
            return response

        app = web.Application(middlewares=[record])
        app.router.add_get("/api/packages/{name}/recent", self._recent)
        return app


@contextmanager
def serve_fake_pypistats(fake: FakePyPIStats, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve ``fake`` on loopback and yield its API base URL (``PYPISTATS_API_URL``)."""
    with serve_app(fake.app(), host) as url:
        yield f"{url}/api"
