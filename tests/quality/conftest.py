"""Fixtures for the quality gates (issue 6).

The site is built once for this package into a temporary directory, served by a
plain static HTTP server on loopback that counts the bytes it sends, and looked
at by one real headless Chromium (Debian's, driven by Playwright). All of it is
torn down when the package's tests are done.
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.quality.tools import (
    ARTIFACTS,
    AXE_JS,
    CHROMIUM_ARGS,
    REPO,
    VIEWPORTS,
    in_ci,
    require_chromium,
)
from tests.support.shared import once, once_each

BUILD_TIMEOUT = 300


def build_site(out: Path, *, env: dict[str, str] | None = None, prefix: list[str] | None = None,
               ) -> subprocess.CompletedProcess[str]:
    """Run the real Pelican build of the repository into ``out``."""
    cmd = [*(prefix or []), sys.executable, "-m", "pelican", "content", "-o", str(out),
           "-s", "pelicanconf.py"]
    return subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=BUILD_TIMEOUT)


BUILDS = ("fresh", "stored-data")


def _build_env(var_dir: Path) -> dict[str, str]:
    env = {**os.environ, "LINKCHECK_VAR_DIR": str(var_dir), "LINKCHECK_BROKEN_AFTER_HOURS": "1"}
    env.pop("LINKCHECK_STORE", None)
    return env


def _finish_build(out: Path, proc: subprocess.CompletedProcess[str]) -> Path:
    if proc.returncode != 0:
        output = f"{proc.stdout}\n{proc.stderr}"
        pytest.fail(f"pelican build into {out} failed (exit {proc.returncode}):\n{output}", pytrace=False)
    if not (out / "index.html").is_file():
        pytest.fail(f"the build produced no index.html in {out}", pytrace=False)
    return out


def _build_both(base: Path) -> dict[str, str]:
    """Both builds at once (two processes: the cores are otherwise idle while the first gates wait
    for them), the store of the second seeded while the first builds."""
    from concurrent.futures import ThreadPoolExecutor

    from linkcheck.catalog import load_catalog
    from tests.quality.seed import seed_store

    with ThreadPoolExecutor(max_workers=1) as pool:
        fresh = pool.submit(build_site, base / "fresh", env=_build_env(base / "var-empty"))
        var = base / "var-data"
        var.mkdir(exist_ok=True)
        repos = sorted({e.github_repo for e in load_catalog(REPO / "content").entries if e.github_repo})
        assert seed_store(var / "linkcheck.sqlite3", REPO, repos) > 0, "no external links to seed"
        data = _finish_build(base / "stored-data", build_site(base / "stored-data", env=_build_env(var)))
        return {"fresh": str(_finish_build(base / "fresh", fresh.result())), "stored-data": str(data)}


@pytest.fixture(scope="package")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The site twice: as a fresh clone builds it (empty store) and after checks and a GitHub
    refresh have filled the store (tests/quality/seed.py). Or one given build (QUALITY_SITE_DIR).
    Built once per test session, shared by every xdist worker (tests/support/shared.py)."""
    existing = os.environ.get("QUALITY_SITE_DIR")
    if existing:  # check an existing build (e.g. output/) instead of building
        root = Path(existing).resolve()
        assert (root / "index.html").is_file(), f"QUALITY_SITE_DIR={existing} has no index.html"
        return {"fresh": root}
    if not (REPO / "pelicanconf.py").is_file():
        message = "pelicanconf.py is missing: there is no site to check"
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return {name: Path(path) for name, path in once(tmp_path_factory, "quality-builds", _build_both).items()}


@pytest.fixture(scope="package", params=BUILDS)
def site_dir(request: pytest.FixtureRequest, builds: dict[str, Path]) -> Path:
    if request.param not in builds:
        pytest.skip(f"no {request.param} build (QUALITY_SITE_DIR checks one given build)")
    return builds[request.param]


@pytest.fixture(scope="package")
def html_pages(site_dir: Path) -> list[str]:
    """Every HTML page of the build, as paths relative to the site root (posix)."""
    pages = _pages_of(site_dir)
    assert pages, f"no HTML pages in {site_dir}"
    return pages


# --- a plain static server that counts what it sends -------------------------------------------


@dataclass
class Served:
    path: str
    host: str
    status: int
    nbytes: int


class _CountingWriter:
    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self.count = 0

    def write(self, data: bytes) -> int:
        n = self.raw.write(data)
        self.count += len(data) if n is None else n
        return len(data) if n is None else n

    def flush(self) -> None:
        self.raw.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)


class _Handler(http.server.SimpleHTTPRequestHandler):
    server: StaticServer

    def setup(self) -> None:
        super().setup()
        self.wfile = _CountingWriter(self.wfile)  # type: ignore[assignment]
        self._status = 0

    def send_response(self, code: int, message: str | None = None) -> None:
        self._status = code
        super().send_response(code, message)

    def finish(self) -> None:
        # HTTP/1.0: one request per connection, so the connection's bytes are the request's.
        if getattr(self, "requestline", ""):
            self.server.record(Served(
                path=getattr(self, "path", "?"),
                host=self.headers.get("Host", "") if getattr(self, "headers", None) else "",
                status=self._status,
                nbytes=self.wfile.count,  # type: ignore[attr-defined]
            ))
        super().finish()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


class StaticServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser that cancels a request (a screenshot taken, a page left) closes the
        # socket mid-answer: not an error of the page, and no traceback in the output.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    def __init__(self, root: Path) -> None:
        super().__init__(("127.0.0.1", 0), functools.partial(_Handler, directory=str(root)))
        self._lock = threading.Lock()
        self._log: list[Served] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def record(self, item: Served) -> None:
        with self._lock:
            self._log.append(item)

    def mark(self) -> int:
        with self._lock:
            return len(self._log)

    def since(self, mark: int) -> list[Served]:
        with self._lock:
            return list(self._log[mark:])


@contextmanager
def serving(root: Path) -> Iterator[StaticServer]:
    """``root`` served on 127.0.0.1 (an ephemeral port) by a StaticServer in a thread."""
    server = StaticServer(root)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


@pytest.fixture(scope="package")
def site_server(site_dir: Path) -> Iterator[StaticServer]:
    with serving(site_dir) as server:
        yield server


# --- one headless Chromium for the package ----------------------------------------------------


@pytest.fixture(scope="package")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    chromium = require_chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extra installs it
        if in_ci():
            pytest.fail("the playwright Python package is missing (pip install -e '.[test]')", pytrace=False)
        pytest.skip("the playwright Python package is missing: pip install -e '.[test]'")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


# Pages per unit of a sweep: small enough that the xdist workers share a sweep out evenly,
# large enough that each unit's browser context set-up stays small beside its visits.
SWEEP_CHUNK = 16


def swept_pages(build: str, html_pages: list[str]) -> list[str]:
    """The pages a sweep of ``build`` visits: every page of the build with data (every page the
    stored-data build has, the generated ones included, as readers see them); on the build with
    an empty store, where a generated page differs from its siblings only by the catalog's words,
    every page but the generated families, of which one project's page per kind, one inactive
    project's and one feature's (``part_of``), and two side-by-side pages."""
    if build != "fresh" or os.environ.get("QUALITY_SITE_DIR"):
        return html_pages
    from linkcheck.catalog import load_catalog

    projects = [e for e in load_catalog(REPO / "content").entries if e.section == "projects"]
    picks: dict[str, str] = {}
    for entry in projects:
        keys = (f"kind:{entry.kind}", "inactive" if entry.archived else "",
                "part_of" if entry.part_of else "")
        for key in keys:
            if key and key not in picks:
                picks[key] = f"projects/{entry.id}.html"
    sample = set(picks.values()) | set([p for p in html_pages if p.startswith("compare/")][:2])
    return [p for p in html_pages if not p.startswith(("projects/", "compare/")) or p in sample]


@pytest.fixture(scope="package")
def build_servers(builds: dict[str, Path]) -> Iterator[Callable[[str], StaticServer]]:
    """``server(build)``: a static server of that build, started when first asked for (a worker
    that helps with every sweep serves both builds)."""
    from contextlib import ExitStack

    servers: dict[str, StaticServer] = {}
    with ExitStack() as stack:
        def server(build: str) -> StaticServer:
            if build not in servers:
                servers[build] = stack.enter_context(serving(builds[build]))
            return servers[build]

        yield server


def _pages_of(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html"))


@pytest.fixture(scope="package")
def sweep_plan(builds: dict[str, Path]) -> dict[str, list[str]]:
    """Build name -> the pages its sweeps visit (``swept_pages``)."""
    return {name: swept_pages(name, _pages_of(root)) for name, root in builds.items()}


@pytest.fixture
def sweeps(browser: Any, site_dir: Path, sweep_plan: dict[str, list[str]],
           build_servers: Callable[[str], StaticServer], request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], dict[str, Any]]:
    """``sweeps(viewport)``: the pages of this test's build (``swept_pages``) visited once at
    ``viewport`` (tests/quality/sweep.py), for the gates that only look; at 1280 px also without
    JavaScript. Every sweep of every build and viewport is made once per session, in chunks of
    pages that the xdist workers asking for any of them share out (tests/support/shared.py), so
    the first gates keep every worker's browser busy; the gates read the records."""
    from tests.quality.sweep import Visit, sweep

    axe_js = AXE_JS if AXE_JS.is_file() else None  # the axe gate itself says when axe is missing
    build = request.node.callspec.params["site_dir"]
    units = [(name, viewport, pages[i:i + SWEEP_CHUNK]) for name, pages in sweep_plan.items()
             for viewport in VIEWPORTS for i in range(0, len(pages), SWEEP_CHUNK)]

    def make(unit: tuple[str, str, list[str]]) -> dict[str, Any]:
        name, viewport, chunk = unit
        visits = sweep(browser, build_servers(name), chunk, VIEWPORTS[viewport], axe_js,
                       without_js=viewport == "1280x800")
        return {path: asdict(v) for path, v in visits.items()}

    def get(viewport: str) -> dict[str, Visit]:
        parts = once_each(tmp_path_factory, "sweeps", units, make)
        visits = {path: Visit.from_dict(data) for unit, part in zip(units, parts, strict=True)
                  if unit[:2] == (build, viewport) for path, data in part.items()}
        assert list(visits) == sweep_plan[build], f"the {build} sweep at {viewport} missed pages"
        return visits

    return get


@pytest.fixture(scope="package")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def screenshot_dir(artifacts: Path, request: pytest.FixtureRequest, viewport: str) -> Path:
    """test-artifacts/screenshots/<build>/<viewport>/ of a test that runs on each build."""
    shots = artifacts / "screenshots" / request.node.callspec.params["site_dir"] / viewport
    shots.mkdir(parents=True, exist_ok=True)
    return shots


def artifact_name(page: str) -> str:
    return page.replace("/", "__")
