"""Start-up of `python -m linkcheck scheduler`, `make worker` and `make beat` (issue 18
items 4 and 6), as real processes: which Pelican config rebuilds use, a refusal
with the fix when it cannot build, and the first check run at start."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time

import pytest

from linkcheck.settings import PROJECT_ROOT

from .conftest import Deployment, FakeSite, wait_for
from .test_commands import _pids_mentioning

FIX = ("LINKCHECK_PELICAN_CONF=publishconf.py needs SITEURL: set SITEURL=https://your.site",
       "or unset LINKCHECK_PELICAN_CONF")


def _command(what: str) -> list[str]:
    """The commands an operator types; `make` with this interpreter's venv, stamps not needed."""
    if what == "scheduler":
        return [sys.executable, "-m", "linkcheck", "scheduler"]
    return ["make", "--no-print-directory", what, f"VENV={sys.prefix}", "BASE_STAMP="]


def _env(d: Deployment, siteurl: str | None, conf: str | None) -> dict[str, str]:
    env = {k: v for k, v in d.env.items() if k not in ("SITEURL", "LINKCHECK_PELICAN_CONF")}
    if siteurl is not None:
        env["SITEURL"] = siteurl
    if conf is not None:
        env["LINKCHECK_PELICAN_CONF"] = conf
    return env


def _kill_leftovers(d: Deployment) -> list[int]:
    left = _pids_mentioning(str(d.root))
    for pid in left:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return left


@pytest.mark.timeout(60)
@pytest.mark.parametrize("what", ["scheduler", "worker", "beat"])
def test_publishconf_without_siteurl_refuses_to_start_with_the_fix(deployment: Deployment, what: str) -> None:
    d = deployment
    env = _env(d, None, "publishconf.py")
    env["LINKCHECK_VAR_DIR"] = str(d.root / "fresh-var")  # a fresh checkout: no var/ folder yet
    if what == "scheduler":
        env.pop("LINKCHECK_BROKER_URL")  # the embedded Redis, as `make scheduler` starts it
    started = time.monotonic()
    proc = subprocess.run(_command(what), cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
                          timeout=45, stdin=subprocess.DEVNULL)
    took = time.monotonic() - started
    left = _kill_leftovers(d)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out[-3000:]
    assert all(part in out for part in FIX), out[-3000:]
    assert "Traceback" not in out, out[-3000:]
    assert took < 15, f"{what} took {took:.1f}s to refuse"  # fast: before any work
    assert not left, f"{what} left processes behind: {left}"


@pytest.mark.timeout(60)
@pytest.mark.parametrize(("what", "siteurl", "said"), [
    ("worker", None, "SITEURL is not set: rebuilds use pelicanconf.py (a local preview)"),
    ("worker", "https://catalog.example.test", "rebuilds use publishconf.py for https://catalog.example.test"),
    ("beat", None, "SITEURL is not set: rebuilds use pelicanconf.py (a local preview)"),
    ("beat", "https://catalog.example.test", "rebuilds use publishconf.py for https://catalog.example.test"),
    ("scheduler", None, "SITEURL is not set: rebuilds use pelicanconf.py (a local preview)"),
])
def test_start_up_says_which_pelican_config_rebuilds_use(
    deployment: Deployment, what: str, siteurl: str | None, said: str
) -> None:
    d = deployment
    env = _env(d, siteurl, None)
    env["LINKCHECK_VAR_DIR"] = str(d.root / "fresh-var")  # a fresh checkout: no var/ folder yet
    if what == "scheduler":
        env.pop("LINKCHECK_BROKER_URL")
    log = d.logs / f"{what}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(_command(what), cwd=PROJECT_ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for(lambda: said in log.read_text(errors="replace") or proc.poll() is not None, 40,
                 f"{what} to say how rebuilds build the site")
        text = log.read_text(errors="replace")
        assert proc.poll() is None, f"{what} exited with {proc.returncode}:\n{text[-3000:]}"
        assert said in text
        assert "Traceback" not in text, text[-3000:]
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT if what == "scheduler" else signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(10)
        _kill_leftovers(d)


# ------------------------------------------------------------- first run at start
def _start_scheduler(d: Deployment) -> subprocess.Popen[bytes]:
    """`make scheduler` without ARGS: no --check-now, beat decides about a first run."""
    env = {k: v for k, v in d.env.items() if k != "LINKCHECK_BROKER_URL"}
    env["LINKCHECK_CHECK_INTERVAL_HOURS"] = "1"  # the interval cannot come round during the test
    with (d.logs / "scheduler.log").open("ab") as out:
        return subprocess.Popen([sys.executable, "-m", "linkcheck", "scheduler", "--concurrency", "1"],
                                cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)


def _stop_scheduler(d: Deployment, proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(45)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
    _kill_leftovers(d)


def _check_runs(d: Deployment) -> list[dict]:
    if not d.store_path.exists():
        return []
    with d.store() as store:
        return store.runs("check")


@pytest.mark.slow
@pytest.mark.timeout(90)
def test_scheduler_checks_at_start_when_the_store_has_no_run(
    deployment: Deployment, fake_site: FakeSite
) -> None:
    d = deployment
    started = time.time()
    proc = _start_scheduler(d)
    log = d.logs / "scheduler.log"
    try:
        run = wait_for(lambda: [r for r in _check_runs(d) if r["status"] == "done"], 50,
                       "a first run without --check-now")[0]
    finally:
        _stop_scheduler(d, proc)
    assert run["started_at"] - started < 30, log.read_text()[-3000:]  # at start, not after the 1 h interval
    assert len(_check_runs(d)) == 1
    with d.store() as store:
        assert sorted(store.run_results(run["id"])) == sorted(fake_site.urls())


@pytest.mark.slow
@pytest.mark.timeout(90)
def test_scheduler_does_not_check_at_start_after_a_recent_run(
    deployment: Deployment, fake_site: FakeSite
) -> None:
    d = deployment
    # a recent run in the store: the CLI checked the same content a moment ago
    cli = subprocess.run([sys.executable, "-m", "linkcheck", "check", d.env["LINKCHECK_CONTENT_DIR"]],
                         cwd=PROJECT_ROOT, env=d.env, capture_output=True, text=True, timeout=60)
    assert cli.returncode in (0, 1), cli.stdout[-2000:] + cli.stderr[-2000:]  # 1: /missing is broken
    before = _check_runs(d)
    assert len(before) == 1
    proc = _start_scheduler(d)
    log = d.logs / "scheduler.log"
    try:
        # beat's request at start reaches the worker, which declines it and says why
        wait_for(lambda: "scheduled check run skipped" in log.read_text(errors="replace"), 45,
                 "the start-up request to be declined")
        time.sleep(2)  # nothing dispatched after the refusal either
        after = _check_runs(d)
    finally:
        _stop_scheduler(d, proc)
    text = log.read_text(errors="replace")
    assert "check run requested at start" in text
    assert f"run {before[0]['id']} started less than one interval ago" in text
    assert [r["id"] for r in after] == [before[0]["id"]]
