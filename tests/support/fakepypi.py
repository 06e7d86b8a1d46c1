"""A loopback fake of PyPI's JSON API (``GET /pypi/NAME/json``).

Bodies follow the documented shape (``tests/metadata/pypi/fixtures/project.json``, after
PyPI's own sample). Behaviours the client must cope with: ETags and 304s, 404
for unknown projects, a 301 from a non-normalised name to the canonical one,
429 with ``Retry-After`` (one-shot, after N answers), malformed JSON, 5xx, and
whatever hostile strings a test puts in a body. Every request is logged.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web

from .servers import OneShotLimit, serve_app

FIXTURES = Path(__file__).resolve().parent.parent / "metadata" / "pypi" / "fixtures"


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass
class Seen:
    path: str
    status: int
    if_none_match: str | None


class FakePyPI(OneShotLimit):
    def __init__(self) -> None:
        self.projects: dict[str, dict[str, Any]] = {}  # normalised name -> JSON body
        self.malformed: set[str] = set()  # answer 200 with a cut-off body
        self.broken: set[str] = set()  # answer 503
        self.limit_after: int | None = None  # serve this many more, then one 429 with Retry-After
        self.retry_after = "120"
        self.moved: dict[str, str] = {}  # name -> name PyPI redirects it to (301)
        self.seen: list[Seen] = []

    def add(self, name: str, *, version: str = "4.0.0", uploaded: str = "2024-11-06T22:37:09.220617Z",
            requires_python: str | None = ">=3.9", yanked: bool = False, source: str | None = None,
            **info: Any) -> dict[str, Any]:
        body = fixture("project.json")
        body["info"].update({
            "name": name, "version": version, "requires_python": requires_python, "yanked": yanked,
            "yanked_reason": "broken wheel" if yanked else None,
            "package_url": f"https://pypi.org/project/{name}/",
            "project_url": f"https://pypi.org/project/{name}/",
            "release_url": f"https://pypi.org/project/{name}/{version}/",
        })
        if source is not None:
            body["info"]["project_urls"] = {"Homepage": f"https://{name}.example.org/", "Source": source}
        body["info"].update(info)
        for f in body["urls"]:
            f["upload_time_iso_8601"] = uploaded
            f["upload_time"] = uploaded[:19]
            f["yanked"] = yanked
        body["releases"] = {version: copy.deepcopy(body["urls"])}
        self.projects[normalise(name)] = body
        return body

    def release(self, name: str, version: str, uploaded: str) -> None:
        body = self.projects[normalise(name)]
        body["info"]["version"] = version
        for f in body["urls"]:
            f["upload_time_iso_8601"] = uploaded
        body["releases"][version] = copy.deepcopy(body["urls"])
        body["last_serial"] += 1

    def count(self, status: int | None = None) -> int:
        return sum(1 for s in self.seen if status is None or s.status == status)

    async def _project(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if (limited := self.limited()) is not None:
            return limited
        key = normalise(name)
        if key in self.moved:
            return web.Response(status=301, headers={"Location": f"/pypi/{self.moved[key]}/json"})
        if key != name and key in self.projects:
            return web.Response(status=301, headers={"Location": f"/pypi/{key}/json"})
        if key in self.broken:
            return web.Response(status=503, text="Service Unavailable")
        if key not in self.projects:
            return web.json_response(fixture("not_found.json"), status=404)
        text = json.dumps(self.projects[key], sort_keys=True)
        if key in self.malformed:
            return web.Response(text=text[: len(text) // 2], content_type="application/json")
        etag = '"' + hashlib.sha256(text.encode()).hexdigest()[:24] + '"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(text=text, content_type="application/json", headers={"ETag": etag})

    def app(self) -> web.Application:
        @web.middleware
        async def record(request: web.Request, handler: Any) -> web.StreamResponse:
            response = await handler(request)
            self.seen.append(Seen(request.path, response.status, request.headers.get("If-None-Match")))
            return response

        app = web.Application(middlewares=[record])
        app.router.add_get("/pypi/{name}/json", self._project)
        return app


@contextmanager
def serve_fake_pypi(fake: FakePyPI, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve ``fake`` on loopback and yield its base URL (``PYPI_API_URL``)."""
    with serve_app(fake.app(), host) as url:
        yield url
