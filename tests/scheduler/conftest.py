"""Real processes for the scheduler tests: Redis, Celery workers and beat, and a
loopback fake site of a handful of hosts. Every process is started in its own
process group and killed (group-wide) when the test ends."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiohttp import web

from linkcheck.settings import PROJECT_ROOT
from linkcheck.store import Store
from tests.support.redis import redis_server  # noqa: F401  (pytest fixture)
from tests.support.servers import ServerThread

HOSTS = ["127.0.20.1", "127.0.20.2", "127.0.20.3", "127.0.20.4"]
SLOW_HOST = "127.0.20.9"
PAGE = "<!doctype html><html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>"


# ------------------------------------------------------------------ fake site
@dataclass
class FakeSite:
    """Hosts serving /ok/N (200) and /missing (404); the slow host's /slow waits ``delay`` s."""

    bases: list[str]
    slow_base: str
    delay: list[float]  # mutable from the test: [seconds]
    hits: list[tuple[str, str, float]] = field(default_factory=list)  # (host, path, time)

    def urls(self) -> list[str]:
        out = []
        for base in self.bases:
            out += [f"{base}/ok/1", f"{base}/ok/2"]
        out.append(f"{self.bases[0]}/missing")
        out.append(f"{self.slow_base}/slow")
        return out

    def slow_hits(self) -> list[float]:
        return [t for host, path, t in self.hits if path == "/slow"]


def _app(site: FakeSite) -> web.Application:
    import asyncio

    async def handle(request: web.Request) -> web.Response:
        site.hits.append((request.host, request.path, time.monotonic()))
        if request.path == "/slow":
            await asyncio.sleep(site.delay[0])
        if request.path.startswith(("/ok/", "/slow")):
            return web.Response(text=PAGE.format(title=f"Page {request.path}"), content_type="text/html")
        return web.Response(status=404, text=PAGE.format(title="Not Found"), content_type="text/html")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    return app


@pytest.fixture
def fake_site() -> Iterator[FakeSite]:
    site = FakeSite([], "", [0.0])
    servers = [ServerThread(_app(site), host).start() for host in [*HOSTS, SLOW_HOST]]
    site.bases = [s.url for s in servers[:-1]]
    site.slow_base = servers[-1].url
    try:
        yield site
    finally:
        for s in servers:
            s.stop()


# ------------------------------------------------------------ project folders
def write_content(content: Path, urls: list[str], repo: str | None = None) -> None:
    """A tiny catalog site whose pages link to ``urls``; with ``repo`` ("owner/name"),
    a projects page with one project on GitHub."""
    (content / "pages").mkdir(parents=True)
    links = "\n".join(f"- [link {i}]({u})" for i, u in enumerate(urls))
    (content / "pages" / "links.md").write_text(f"Title: Links\nSlug: links\n\n{links}\n")
    (content / "catalog").mkdir()
    (content / "catalog" / "hosted.yaml").write_text(textwrap.dedent(f"""\
        - name: Fake hosted queue
          url: {urls[0]}
          description: A hosted queue on a loopback host.
        """))
    for section in ("projects", "examples", "resources"):
        (content / "catalog" / f"{section}.yaml").write_text("[]\n")
    if repo:
        (content / "catalog" / "projects.yaml").write_text(textwrap.dedent(f"""\
            - name: Fast queue
              url: {urls[1]}
              repo: https://github.com/{repo}
              description: A task queue.
              group: general
            """))
        (content / "pages" / "projects.md").write_text(
            "Title: Projects\nSlug: projects\n\n[catalog:projects]\n")


@dataclass
class Deployment:
    root: Path
    env: dict[str, str]
    store_path: Path
    reports_dir: Path
    site_dir: Path
    logs: Path

    def store(self) -> Store:
        return Store(self.store_path)

    def send(self, task: str, *args: object) -> None:
        """Publish a task the way beat does, from a separate process with the deployment's env."""
        code = f"from linkcheck.scheduler.app import app; app.send_task({task!r}, args={list(args)!r})"
        subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, env=self.env, check=True,
                       timeout=60)


@pytest.fixture
def deployment(tmp_path: Path, fake_site: FakeSite, redis_server) -> Deployment:  # noqa: F811
    content = tmp_path / "content"
    write_content(content, fake_site.urls())
    var = tmp_path / "var"
    env = {
        **os.environ,
        "LINKCHECK_BROKER_URL": redis_server.url,
        "LINKCHECK_VAR_DIR": str(var),
        "LINKCHECK_STORE": str(var / "linkcheck.sqlite3"),
        "LINKCHECK_REPORTS_DIR": str(var / "reports"),
        "LINKCHECK_CONTENT_DIR": str(content),
        "LINKCHECK_OUTPUT_DIR": str(tmp_path / "output"),
        "LINKCHECK_SITE_OUTPUT": str(tmp_path / "site"),
        "LINKCHECK_ALLOW_PRIVATE": "1",
        "LINKCHECK_CHUNK_SIZE": "2",
        "LINKCHECK_TIMEOUT": "8",
        "LINKCHECK_RETRIES": "0",
        "LINKCHECK_TASK_TIME_LIMIT": "12",
        "LINKCHECK_VISIBILITY_TIMEOUT": "14",
        "LINKCHECK_CHECK_INTERVAL_HOURS": "0",  # tests that want beat set it
        "LINKCHECK_GITHUB_INTERVAL_HOURS": "0",
        "LINKCHECK_DOWNLOADS_INTERVAL_HOURS": "0",
        "LINKCHECK_BROKEN_AFTER_RUNS": "1",
        "LINKCHECK_BROKEN_AFTER_HOURS": "0",
        "GITHUB_API_URL": "http://127.0.0.1:9",  # never the real API
        "PYPISTATS_API_URL": "http://127.0.0.1:9/api",
        "SITEURL": "https://catalog.example.test",
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    for key in ("REDIS_URL", "GITHUB_TOKEN", "LINKCHECK_SMTP_HOST", "LINKCHECK_WEBHOOK_URL"):
        env.pop(key, None)
    logs = tmp_path / "logs"
    logs.mkdir()
    return Deployment(tmp_path, env, var / "linkcheck.sqlite3", var / "reports", tmp_path / "site", logs)


# ------------------------------------------------------------------ processes
@dataclass
class Proc:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signal the whole process group (a worker and its pool children)."""
        if self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, sig)
        if sig == signal.SIGKILL:
            self.popen.wait(10)

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.kill(signal.SIGTERM)
            try:
                self.popen.wait(15)
            except subprocess.TimeoutExpired:
                self.kill(signal.SIGKILL)
        # pool children left behind by a killed main process
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)

    def tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""


class Procs:
    def __init__(self, deployment: Deployment) -> None:
        self.d = deployment
        self.started: list[Proc] = []

    def start(self, name: str, args: list[str]) -> Proc:
        log = self.d.logs / f"{name}.log"
        out = log.open("ab")
        popen = subprocess.Popen([sys.executable, "-m", "celery", "-A", "linkcheck", *args],
                                 cwd=PROJECT_ROOT, env=self.d.env, stdout=out, stderr=subprocess.STDOUT,
                                 stdin=subprocess.DEVNULL, start_new_session=True)
        out.close()
        proc = Proc(name, popen, log)
        self.started.append(proc)
        return proc

    def worker(self, name: str, queues: str, concurrency: int = 1) -> Proc:
        return self.start(name, ["worker", "-Q", queues, f"--concurrency={concurrency}", "-n", f"{name}@%h",
                                 "--loglevel=INFO", "--without-gossip", "--without-mingle"])

    def beat(self) -> Proc:
        return self.start("beat", ["beat", "--loglevel=INFO",
                                   "-s", str(self.d.root / "var" / "celerybeat-schedule")])

    def logs(self) -> str:
        return "\n".join(f"----- {p.name} -----\n{p.tail()}" for p in self.started)

    def stop_all(self) -> None:
        for proc in reversed(self.started):
            proc.stop()


@pytest.fixture
def procs(deployment: Deployment) -> Iterator[Procs]:
    manager = Procs(deployment)
    try:
        yield manager
    finally:
        manager.stop_all()


def wait_for(predicate: Callable[[], object], timeout: float, what: str, procs: Procs | None = None,
             interval: float = 0.25) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    logs = f"\n{procs.logs()}" if procs else ""
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}{logs}")
