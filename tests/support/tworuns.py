"""The loopback "internet" for the link-health tests.

``FakeWeb`` serves pages whose behaviour can change between check runs
(``web.phase``), so two real runs produce real deltas. ``FakeWayback`` answers
the Wayback availability API. Both run on their own 127.0.x.y address.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from linkcheck.settings import Settings
from tests.support.servers import serve_app

PAGE = ("<!doctype html><html><head><title>{title}</title></head>"
        "<body><h1 id=top>{title}</h1><p>Some real content here.</p></body></html>")


@dataclass
class FakeWeb:
    """Routes (phase 1 -> phase 2):

    /ok        200 "Fine page"                      always
    /gone      404                                  always
    /old       301 -> /new (200)                    always
    /later     200 -> 301 to /new                   newly moved in phase 2
    /temp      302 -> /ok                           a temporary move: fine
    /flaky     200 -> 500                           newly failing in phase 2
    /healing   500 -> 200                           recovered in phase 2
    /parked    "Huey task queue docs" -> "<script>…</script> domain for sale"   content drift
    /blocked   403 Cloudflare challenge             blocked for robots
    """

    phase: int = 1
    requests: list[str] = field(default_factory=list)

    def app(self) -> web.Application:
        def page(title: str, status: int = 200) -> web.Response:
            return web.Response(status=status, text=PAGE.format(title=title), content_type="text/html")

        async def handler(request: web.Request) -> web.StreamResponse:
            self.requests.append(request.path)
            path, p2 = request.path, self.phase == 2
            if path in ("/ok", "/new"):
                return page("Fine page" if path == "/ok" else "New home")
            if path == "/gone":
                return page("404 Not Found", 404)
            if path == "/old" or (path == "/later" and p2):
                raise web.HTTPMovedPermanently("/new")
            if path == "/temp":
                raise web.HTTPFound("/ok")
            if path == "/later":
                return page("New home")  # same page before it moved: no content drift
            if path == "/flaky":
                return page("Server Error", 500) if p2 else page("Flaky page")
            if path == "/healing":
                return page("Healing page") if p2 else page("Server Error", 500)
            if path == "/parked":
                # the new title is hostile on purpose: reports must escape it
                return page("&lt;script&gt;alert(1)&lt;/script&gt; huey.io domain for sale" if p2
                            else "Huey task queue docs")
            if path == "/blocked":
                body = ("<!doctype html><html><head><title>Just a moment...</title></head><body>"
                        "<div id=challenge-form>Checking your browser before accessing. cf-chl</div>"
                        "</body></html>")
                return web.Response(status=403, text=body, content_type="text/html",
                                    headers={"cf-mitigated": "challenge", "Server": "cloudflare"})
            return page("404 Not Found", 404)

        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", handler)
        return app


@dataclass
class FakeWayback:
    """Wayback availability API: a snapshot for URLs in ``snapshots``, none otherwise."""

    snapshots: dict[str, str] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)

    def app(self) -> web.Application:
        async def available(request: web.Request) -> web.Response:
            url = request.query.get("url", "")
            self.asked.append(url)
            snap = self.snapshots.get(url)
            closest: dict[str, Any] = (
                {"closest": {"available": True, "url": snap, "timestamp": "20240101000000",
                             "status": "200"}} if snap else {}
            )
            return web.json_response({"url": url, "archived_snapshots": closest})

        app = web.Application()
        app.router.add_get("/wayback/available", available)
        return app


@pytest.fixture(scope="module")
def fake_web() -> Iterator[tuple[FakeWeb, str]]:
    web_ = FakeWeb()
    with serve_app(web_.app(), host="127.0.5.21") as base:
        yield web_, base


@pytest.fixture(scope="module")
def fake_wayback() -> Iterator[tuple[FakeWayback, str]]:
    wb = FakeWayback()
    with serve_app(wb.app(), host="127.0.5.22") as base:
        yield wb, base + "/wayback/available"


def make_settings(tmp: Path, **overrides: Any) -> Settings:
    """Checker settings for a test: private store and reports, loopback allowed, quick."""
    values: dict[str, Any] = {
        "var_dir": tmp / "var",
        "store_path": tmp / "var" / "linkcheck.sqlite3",
        "reports_dir": tmp / "var" / "reports",
        "content_dir": tmp / "content",
        "output_dir": tmp / "output",
        "allow_private": True,
        "retries": 0,
        "timeout": 5.0,
        "connect_timeout": 2.0,
        "host_interval": 0.0,
        "broken_after_runs": 2,
        "broken_after_hours": 0.0,
        "smtp_host": "",
        "webhook_url": "",
        **overrides,
    }
    return Settings.from_env(**values)


def wait_until(predicate: Any, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return bool(predicate())


PATHS = ["/ok", "/gone", "/old", "/later", "/flaky", "/healing", "/parked", "/blocked", "/ok#top"]


@dataclass
class TwoRuns:
    settings: Settings
    base: str
    root: Path
    markdown: Path  # the content file holding the links
    run_ids: list[int]

    def url(self, path: str) -> str:
        return self.base + path

    def line_of(self, path: str) -> int:
        needle = f"({self.base}{path})"
        for number, line in enumerate(self.markdown.read_text(encoding="utf-8").splitlines(), 1):
            if needle in line:
                return number
        raise AssertionError(f"{path} not in {self.markdown}")


def links_markdown(base: str) -> str:
    lines = ["Title: Links", "Slug: links", "", "# Links", ""]
    lines += [f"- [{p.strip('/') or 'home'}]({base}{p}) here" for p in PATHS]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory, fake_web: tuple[FakeWeb, str]) -> TwoRuns:
    """Two real check runs (the engine, via run_check) of a Markdown page against the
    fake web, phase 1 then phase 2, recorded into a private store."""
    from linkcheck.runs.local import run_check
    from linkcheck.store import Store

    web_, base = fake_web
    root = tmp_path_factory.mktemp("tworuns")
    settings = make_settings(root)
    md = root / "content" / "pages" / "links.md"
    md.parent.mkdir(parents=True)
    md.write_text(links_markdown(base), encoding="utf-8")
    run_ids = []
    with Store.from_settings(settings) as store:
        for phase in (1, 2):
            web_.phase = phase
            summary = run_check(settings, [root / "content"], store=store, root=root)
            assert summary.run_id is not None and not summary.offline
            run_ids.append(summary.run_id)
    web_.phase = 1
    return TwoRuns(settings, base, root, md, run_ids)
