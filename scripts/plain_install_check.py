"""Does a plain install run what the README promises?

Run by ``scripts/plain-install-check.sh`` with the Python of a fresh virtual
environment holding only ``pip install -e .`` (no extras). Standard library
only: the base install is what is under test, and nothing the test extra
brings may sneak in. Everything talks to loopback servers started here, and
all state lives in a temporary folder.

Checks, each reported as it runs:

1. declared  every third-party import of the code is a declared dependency
2. imports   every module of the package and the Pelican plugins imports
3. check     ``python -m linkcheck check`` judges a live link ok (exit 0) and a 404 an error (exit 1)
4. github    ``python -m linkcheck github`` fetches figures from a fake GitHub API
5. scheduler ``python -m linkcheck scheduler`` completes one scheduled check run and stops cleanly
6. html      ``pelican`` builds the real site, search index included (the Pagefind binary of its wheel)

Modules are discovered, never listed: the package is found by import
machinery, the plugins through ``PLUGIN_PATHS`` of ``pelicanconf.py``.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import importlib
import importlib.metadata
import importlib.util
import json
import os
import re
import runpy
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import tomllib
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SCHEDULER_DEADLINE = 75.0  # seconds for the first scheduled run to be recorded
STOP_DEADLINE = 45.0  # seconds for the scheduler to stop after SIGINT


class Failed(Exception):
    """One check failed; the message says what was expected and what happened."""


# ------------------------------------------------------------------ discovery
@dataclass(frozen=True)
class Module:
    name: str
    path: Path
    origin: str  # "package" or "plugin"


def _modules_under(base: Path, prefix: str, origin: str) -> list[Module]:
    """Every ``.py`` file below ``base`` as a dotted module name starting with ``prefix``."""
    found = []
    for path in sorted(base.rglob("*.py")):
        rel = path.relative_to(base)
        if any(part == "__pycache__" or part.startswith(".") for part in rel.parts):
            continue
        parts = list(rel.with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found.append(Module(".".join([prefix, *parts]) if prefix else ".".join(parts), path, origin))
    return found


def project_name(root: Path) -> str:
    with (root / "pyproject.toml").open("rb") as fh:
        return str(tomllib.load(fh)["project"]["name"])


def package_names(dist: str) -> list[str]:
    """Top-level import packages the installed distribution provides."""
    wanted = _normalise(dist)
    names = sorted(name for name, dists in importlib.metadata.packages_distributions().items()
                   if any(_normalise(d) == wanted for d in dists) and not name.startswith("_"))
    if not names:  # an editable install may not list its packages: ask the metadata
        text = importlib.metadata.distribution(dist).read_text("top_level.txt") or ""
        names = [n.strip() for n in text.splitlines() if n.strip()]
    return names


def plugin_dirs(root: Path) -> list[Path]:
    """``PLUGIN_PATHS`` of the site's Pelican settings, relative to the project root."""
    conf = root / "pelicanconf.py"
    paths = runpy.run_path(str(conf)).get("PLUGIN_PATHS", []) if conf.is_file() else []
    return [root / p for p in paths if (root / p).is_dir()]


def discover(root: Path) -> list[Module]:
    modules: list[Module] = []
    for name in package_names(project_name(root)):
        spec = importlib.util.find_spec(name)
        if spec is None:
            raise Failed(f"package {name!r} of the installed project cannot be found")
        for location in spec.submodule_search_locations or []:
            modules += _modules_under(Path(location), name, "package")
    for directory in plugin_dirs(root):
        modules += _modules_under(directory, "", "plugin")
    return modules


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


# --------------------------------------------------------------- 1. declared
def _third_party_imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n != "__future__"}


def declared_dependencies(dist: str) -> set[str]:
    """Names of the distribution's base requirements (extras left out)."""
    out = set()
    for requirement in importlib.metadata.requires(dist) or []:
        spec, _, marker = requirement.partition(";")
        if "extra" in marker:
            continue
        out.add(_normalise(re.split(r"[\s\[<>=!~(]", spec.strip(), maxsplit=1)[0]))
    return out


def check_declared(ctx: Context) -> str:
    first_party = {m.name.split(".")[0] for m in ctx.modules}
    declared = declared_dependencies(ctx.dist)
    providers = importlib.metadata.packages_distributions()
    users: dict[str, set[str]] = {}
    for module in ctx.modules:
        for name in _third_party_imports(module.path) - first_party:
            users.setdefault(name, set()).add(str(module.path.relative_to(ctx.root)))
    problems = []
    for name, files in sorted(users.items()):
        where = ", ".join(sorted(files))
        dists = providers.get(name, [])
        if not dists:
            problems.append(f"{name} (imported by {where}) is not installed by the base dependencies")
        elif not declared & {_normalise(d) for d in dists}:
            problems.append(f"{name} (imported by {where}) arrives only through another package: "
                            f"declare {dists[0]} in pyproject.toml")
    if problems:
        raise Failed("undeclared runtime imports:\n" + "\n".join(f"  - {p}" for p in problems))
    return f"{len(users)} third-party imports, all declared in {ctx.dist}'s dependencies"


# ---------------------------------------------------------------- 2. imports
def check_imports(ctx: Context) -> str:
    for directory in plugin_dirs(ctx.root):  # what Pelican does with PLUGIN_PATHS
        sys.path.insert(0, str(directory))
    failures = []
    imported = {"package": 0, "plugin": 0}
    for module in ctx.modules:
        if module.name.rsplit(".", 1)[-1] == "__main__":
            continue  # runs the program: the commands below run it for real
        try:
            importlib.import_module(module.name)
        except BaseException as exc:  # SystemExit too: report it, go on
            failures.append(f"{module.name}: {type(exc).__name__}: {exc}")
        else:
            imported[module.origin] += 1
    if not imported["package"] or not imported["plugin"]:
        failures.append(f"discovery found {imported['package']} package and {imported['plugin']} plugin "
                        "modules: expected both")
    if failures:
        raise Failed(f"{len(failures)} module(s) do not import:\n" + "\n".join(f"  - {f}" for f in failures))
    return f"{imported['package']} package modules and {imported['plugin']} plugin modules import"


# ---------------------------------------------------------- loopback servers
Route = tuple[int, str, bytes]  # status, content type, body


@dataclass
class Loopback:
    """A stdlib HTTP server on 127.0.0.1 answering from ``routes`` (404 otherwise)."""

    routes: dict[str, Route] = field(default_factory=dict)
    seen: list[tuple[str, str]] = field(default_factory=list)  # (method, path)
    server: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def hits(self, path: str) -> int:
        return sum(1 for _method, seen in self.seen if seen == path)


def _handler(site: Loopback) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self, with_body: bool) -> None:
            path = self.path.split("?", 1)[0]
            site.seen.append((self.command, path))
            status, ctype, body = site.routes.get(path, (404, "text/html", NOT_FOUND))
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if with_body:
                self.wfile.write(body)

        def do_GET(self) -> None:  # http.server's naming
            self._answer(True)

        def do_HEAD(self) -> None:
            self._answer(False)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextmanager
def loopback(routes: dict[str, Route]) -> Iterator[Loopback]:
    site = Loopback(dict(routes))
    site.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    site.server.daemon_threads = True
    thread = threading.Thread(target=site.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site.server.shutdown()
        site.server.server_close()


def page(title: str) -> Route:
    html = f"<!doctype html><html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>"
    return 200, "text/html; charset=utf-8", html.encode()


NOT_FOUND = b"<!doctype html><html><head><title>Not Found</title></head><body>nothing here</body></html>"


# ------------------------------------------------------------ subprocesses
def base_env(work: Path, **extra: str) -> dict[str, str]:
    """The environment of a fresh user: no configuration of ours leaks in, state under ``work``."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LINKCHECK_", "GITHUB_")) and k not in {"REDIS_URL", "SITEURL", "PYTHONPATH"}}
    env.update({
        "LINKCHECK_VAR_DIR": str(work / "var"),
        "LINKCHECK_CONTENT_DIR": str(work / "content"),
        "LINKCHECK_OUTPUT_DIR": str(work / "output"),
        "GITHUB_API_URL": "http://127.0.0.1:9",  # never the real API unless a check says so
        "no_proxy": "127.0.0.1,localhost",
        "NO_PROXY": "127.0.0.1,localhost",
    })
    env.update(extra)
    return env


def linkcheck(ctx: Context, args: list[str], env: dict[str, str], timeout: float = 60.0
              ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "linkcheck", *args], cwd=ctx.root, env=env,
                          capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)


def _tail(text: str, lines: int = 25) -> str:
    return textwrap.indent("\n".join(text.strip().splitlines()[-lines:]), "    | ")


def write_catalog(content: Path, sections: dict[str, str]) -> None:
    """A catalog of the four sections; ``sections`` maps a section to its YAML, the rest stay empty."""
    (content / "catalog").mkdir(parents=True)
    for section in ("projects", "hosted", "examples", "resources"):
        text = textwrap.dedent(sections.get(section, "[]\n"))
        (content / "catalog" / f"{section}.yaml").write_text(text, encoding="utf-8")


# ------------------------------------------------------------------ 3. check
def check_check(ctx: Context) -> str:
    work = ctx.workdir("check")
    with loopback({"/live": page("A live page"), "/also-live": page("Another live page")}) as site:
        good = work / "good.html"
        good.write_text(f'<!doctype html><p><a href="{site.base}/live">live</a></p>\n')
        bad = work / "bad.html"
        bad.write_text(f'<!doctype html><p><a href="{site.base}/also-live">live</a></p>\n'
                       f'<p><a href="{site.base}/gone">gone</a></p>\n')
        env = base_env(work)

        ok = linkcheck(ctx, ["check", "--allow-private", "--json", "-", str(good)], env)
        verdicts = _verdicts(ok, "the live link")
        if ok.returncode != 0 or verdicts.get(f"{site.base}/live") != ("ok", "ok"):
            raise Failed(f"live link: expected exit 0 and verdict ok, got exit {ok.returncode}, "
                         f"{verdicts}\n{_tail(ok.stderr)}")
        broken = linkcheck(ctx, ["check", "--allow-private", "--json", "-", str(bad)], env)
        verdicts = _verdicts(broken, "the 404 link")
        expected = {f"{site.base}/also-live": ("ok", "ok"), f"{site.base}/gone": ("error", "not_found")}
        if broken.returncode != 1 or verdicts != expected:
            raise Failed(f"404 link: expected exit 1 and {expected}, got exit {broken.returncode}, "
                         f"{verdicts}\n{_tail(broken.stderr)}")
        if not site.hits("/live") or not site.hits("/gone"):
            raise Failed(f"the loopback server was not asked: {site.seen}")
    return "live link ok (exit 0), 404 link error not_found (exit 1)"


def _verdicts(proc: subprocess.CompletedProcess[str], what: str) -> dict[str, tuple[str, str]]:
    try:
        results = json.loads(proc.stdout)["results"]
    except (ValueError, KeyError, TypeError) as exc:
        raise Failed(f"{what}: no JSON results (exit {proc.returncode})\n{_tail(proc.stderr)}") from exc
    return {r["url"]: (r["verdict"], r["reason"]) for r in results}


# ----------------------------------------------------------------- 4. github
def check_github(ctx: Context) -> str:
    work = ctx.workdir("github")
    write_catalog(work / "content", {"projects": """\
        - name: Fast queue
          url: https://fast-queue.example.org/
          repo: https://github.com/example-org/fast-queue
          description: A task queue.
          group: general
        """})
    repo = {"full_name": "example-org/fast-queue", "html_url": "https://github.com/example-org/fast-queue",
            "stargazers_count": 4321, "forks_count": 210, "open_issues_count": 17, "archived": False,
            "pushed_at": "2025-01-02T03:04:05Z", "description": "A task queue.", "language": "Python",
            "homepage": "https://fast-queue.example.org/", "license": {"spdx_id": "MIT"}}
    release = {"tag_name": "v2.1.0", "published_at": "2024-12-01T00:00:00Z"}
    api_json = "application/json; charset=utf-8"
    with loopback({
        "/repos/example-org/fast-queue": (200, api_json, json.dumps(repo).encode()),
        "/repos/example-org/fast-queue/releases/latest": (200, api_json, json.dumps(release).encode()),
    }) as api:
        env = base_env(work, GITHUB_API_URL=api.base)
        proc = linkcheck(ctx, ["github", "--json", "-"], env)
        try:
            summary = json.loads(proc.stdout)
        except ValueError as exc:
            raise Failed(f"no JSON summary (exit {proc.returncode})\n{_tail(proc.stderr)}") from exc
        if proc.returncode != 0 or summary.get("updated") != 1 or summary.get("errors"):
            raise Failed(f"expected exit 0 and 1 repository fetched, got exit {proc.returncode}, "
                         f"summary {summary}\n{_tail(proc.stderr)}")
        if not api.hits("/repos/example-org/fast-queue"):
            raise Failed(f"the fake API was not asked for the repository: {api.seen}")
    stored = _sql(work / "var" / "linkcheck.sqlite3",
                  "SELECT state, data FROM github_repos WHERE repo = ?", "example-org/fast-queue")
    if not stored or stored[0][0] != "ok" or json.loads(stored[0][1]).get("stars") != 4321:
        raise Failed(f"the store does not hold the figures: {stored}")
    return f"1 repository fetched in {summary['requests']} requests, stored with 4321 stars"


def _sql(path: Path, query: str, *params: object) -> list[tuple[object, ...]]:
    """Rows from the store, read-only (the commands under test own it)."""
    import sqlite3

    if not path.exists():
        return []
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        return list(db.execute(query, params))
    finally:
        db.close()


# -------------------------------------------------------------- 5. scheduler
def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            parent = _ppid(int(entry.name))
            if parent is not None:
                children.setdefault(parent, []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()  # after "pid (comm) ": state, ppid, ...


def _ppid(pid: int) -> int | None:
    fields = _stat(pid)
    return int(fields[1]) if fields else None


def _alive(pid: int) -> bool:
    fields = _stat(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def _mentioning(marker: str) -> set[int]:
    """Live processes (not this one) whose command line or environment names ``marker``."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            blob = (entry / "cmdline").read_bytes() + (entry / "environ").read_bytes()
        except OSError:
            continue
        if marker.encode() in blob and _alive(int(entry.name)):
            found.add(int(entry.name))
    return found


def _describe(pid: int) -> str:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return str(pid)
    return f"{pid} {command[:120]}"


def check_scheduler(ctx: Context) -> str:
    work = ctx.workdir("scheduler")
    with loopback({"/scheduled": page("Checked on a schedule")}) as site:
        url = f"{site.base}/scheduled"
        write_catalog(work / "content", {"hosted": f"""\
            - name: Loopback queue service
              url: {url}
              description: A hosted queue on loopback.
            """})
        env = base_env(
            work,
            LINKCHECK_ALLOW_PRIVATE="1",
            LINKCHECK_CHECK_INTERVAL_HOURS="0.001",  # beat sends the first run after 3.6 s
            LINKCHECK_GITHUB_INTERVAL_HOURS="0",
            LINKCHECK_SITE_OUTPUT=str(work / "site"),
            LINKCHECK_TIMEOUT="10",
        )
        log_path = work / "scheduler.log"
        with log_path.open("wb") as log:
            proc = subprocess.Popen([sys.executable, "-m", "linkcheck", "scheduler", "--concurrency", "1"],
                                    cwd=ctx.root, env=env, stdout=log, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
        family: set[int] = set()
        try:
            run = _wait_for_run(ctx, proc, env, url, log_path, family)
            family |= _descendants(proc.pid)
            proc.send_signal(signal.SIGINT)  # Ctrl-C
            try:
                code = proc.wait(STOP_DEADLINE)
            except subprocess.TimeoutExpired as exc:
                raise Failed(f"still running {STOP_DEADLINE:.0f}s after SIGINT\n"
                             f"{_tail(log_path.read_text(errors='replace'))}") from exc
            left = {p for p in family if _alive(p)} | _mentioning(str(work))
            if not family:
                raise Failed("the scheduler started no worker or Redis process")
            if code != 0 or left or "stopping" not in log_path.read_text(errors="replace"):
                raise Failed(f"after SIGINT: exit {code}, processes left: "
                             f"{[_describe(p) for p in sorted(left)] or 'none'}\n"
                             f"{_tail(log_path.read_text(errors='replace'))}")
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)
            for pid in ({p for p in family if _alive(p)} | _mentioning(str(work))):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)  # our own children, left behind by a failure
    return (f"scheduled run {run['id']} done ({run['recorded']} link recorded ok); SIGINT: exit 0, "
            f"all {len(family)} child processes (worker, beat, Redis) gone")


def _wait_for_run(ctx: Context, proc: subprocess.Popen[bytes], env: dict[str, str], url: str,
                  log_path: Path, family: set[int]) -> dict[str, object]:
    deadline = time.monotonic() + SCHEDULER_DEADLINE
    last = ""
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise Failed(f"the scheduler exited with {proc.returncode} before a run completed\n"
                         f"{_tail(log_path.read_text(errors='replace'))}")
        family |= _descendants(proc.pid)  # worker, its pool, beat, Redis: all must stop later
        shown = linkcheck(ctx, ["runs", "--json"], env, timeout=30)
        last = shown.stdout.strip() or shown.stderr.strip()
        if shown.returncode == 0:
            for row in json.loads(shown.stdout):
                if row["status"] == "done" and row["counts"]["ok"] >= 1:
                    verdict = _sql(Path(env["LINKCHECK_VAR_DIR"]) / "linkcheck.sqlite3",
                                   "SELECT verdict FROM checks WHERE run_id = ? AND url = ?", row["id"], url)
                    if verdict == [("ok",)]:
                        return row
        time.sleep(1.0)
    raise Failed(f"no scheduled check run completed within {SCHEDULER_DEADLINE:.0f}s; "
                 f"`linkcheck runs --json` said: {last[:400]}\n"
                 f"{_tail(log_path.read_text(errors='replace'))}")


# -------------------------------------------------------------------- driver
@dataclass
class Context:
    root: Path
    tmp: Path
    dist: str
    modules: list[Module]

    def workdir(self, name: str) -> Path:
        path = self.tmp / name
        path.mkdir()
        return path


# ------------------------------------------------------------------- 6. html
def check_html(ctx: Context) -> str:
    """What `make html` runs, on the real content/: the site and its search index, from the base
    install alone (plugins/search runs the binary the pagefind-bin wheel brings)."""
    work = ctx.workdir("html")
    out = work / "output"
    cmd = [sys.executable, "-m", "pelican", "content", "-o", str(out), "-s", "pelicanconf.py"]
    proc = subprocess.run(cmd, cwd=ctx.root, env=base_env(work), capture_output=True, text=True,
                          timeout=300, stdin=subprocess.DEVNULL)
    if proc.returncode != 0 or not (out / "index.html").is_file():
        raise Failed(f"pelican exit {proc.returncode}\n{_tail(proc.stdout + proc.stderr)}")
    bundle = out / "pagefind"
    entry = bundle / "pagefind-entry.json"
    if not (entry.is_file() and (bundle / "pagefind.js").is_file() and (out / "search.html").is_file()):
        held = sorted(p.name for p in bundle.glob("*")) if bundle.is_dir() else []
        raise Failed(f"no search index in {out}: pagefind/ holds {held}")
    records = sum(lang["page_count"] for lang in json.loads(entry.read_text())["languages"].values())
    pages = len(list(out.glob("*.html")))
    return f"{pages} pages written, search index of {records} pages and entries"


CHECKS: list[tuple[str, Callable[[Context], str]]] = [
    ("declared", check_declared),
    ("imports", check_imports),
    ("check", check_check),
    ("github", check_github),
    ("scheduler", check_scheduler),
    ("html", check_html),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the project checkout (default: .)")
    args = parser.parse_args()
    root = args.root.resolve()
    started = time.monotonic()
    print(f"plain-install: Python {sys.version.split()[0]} at {sys.executable}", flush=True)
    passed = failed = 0
    # a short path: the embedded Redis listens on a unix socket below it
    with tempfile.TemporaryDirectory(prefix="pic-") as tmp:
        try:
            dist = project_name(root)
            ctx = Context(root, Path(tmp), dist, discover(root))
        except Exception as exc:
            print(f"plain-install: cannot discover the project's modules: {type(exc).__name__}: {exc}")
            print("plain-install: 0 passed, 1 failed", flush=True)
            return 1
        for number, (name, check) in enumerate(CHECKS, 1):
            print(f"[{number}/{len(CHECKS)}] {name} ...", flush=True)
            t0 = time.monotonic()
            try:
                detail = check(ctx)
            except Failed as exc:
                failed += 1
                print(f"[{number}/{len(CHECKS)}] {name} FAILED ({time.monotonic() - t0:.1f}s): {exc}",
                      flush=True)
            except Exception:  # a crash of the check itself: show it, go on
                failed += 1
                print(f"[{number}/{len(CHECKS)}] {name} FAILED ({time.monotonic() - t0:.1f}s) "
                      f"with a crash:\n{textwrap.indent(traceback.format_exc(), '    | ')}", flush=True)
            else:
                passed += 1
                print(f"[{number}/{len(CHECKS)}] {name} ok ({time.monotonic() - t0:.1f}s): {detail}",
                      flush=True)
    print(f"plain-install: {passed} passed, {failed} failed in {time.monotonic() - started:.1f}s", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
