"""``python -m linkcheck scheduler`` (embedded Redis + worker + beat) and
``python -m linkcheck runs``; the start task called directly against a real Redis."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from linkcheck.scheduler.broker import embedded_socket
from linkcheck.settings import PROJECT_ROOT

from .conftest import Deployment, FakeSite, wait_for
from .test_integration import _finished_and_reported, _recorded


def _pids_mentioning(marker: str) -> list[int]:
    """Our processes whose command line or environment names ``marker`` (a tmp path)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            blob = (entry / "cmdline").read_bytes() + (entry / "environ").read_bytes()
        except OSError:
            continue
        if marker.encode() in blob:
            found.append(int(entry.name))
    return found


@pytest.fixture
def scheduler(deployment: Deployment) -> Iterator[subprocess.Popen[bytes]]:
    env = {k: v for k, v in deployment.env.items() if k != "LINKCHECK_BROKER_URL"}
    log = (deployment.logs / "scheduler.log").open("ab")
    proc = subprocess.Popen([sys.executable, "-m", "linkcheck", "scheduler", "--check-now"],
                            cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    log.close()
    try:
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
        # the worker and Redis run in their own sessions: find them by our tmp path
        for pid in _pids_mentioning(str(deployment.root)):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


@pytest.mark.slow
@pytest.mark.timeout(150)
def test_scheduler_runs_everything_on_one_machine_and_stops_cleanly(
    deployment: Deployment, fake_site: FakeSite, scheduler: subprocess.Popen[bytes]
) -> None:
    d = deployment
    log = d.logs / "scheduler.log"
    run = wait_for(lambda: _finished_and_reported(d), 90, "a run from `scheduler --check-now`")
    assert sorted(_recorded(d, run["id"])) == sorted(fake_site.urls()), log.read_text()[-3000:]
    assert embedded_socket(d.root / "var").exists()  # the embedded broker, no URL configured

    shown = subprocess.run([sys.executable, "-m", "linkcheck", "runs"], cwd=PROJECT_ROOT, env=d.env,
                           capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0
    line = next(ln for ln in shown.stdout.splitlines() if ln.split()[:2] == [str(run["id"]), "done"])
    assert "5/5" in line and f"{len(fake_site.urls())}/{len(fake_site.urls())}" in line

    scheduler.send_signal(signal.SIGINT)  # Ctrl-C
    assert scheduler.wait(60) == 0
    assert not _pids_mentioning(str(d.root)), "worker, beat and Redis all stopped"
    assert "stopping" in log.read_text()


@pytest.fixture
def quick_watch(deployment: Deployment) -> None:
    deployment.env["LINKCHECK_WATCH_INTERVAL"] = "1"  # ten looks where the default makes one


def _lines(log: Path) -> list[str]:
    return log.read_text(errors="replace").splitlines()


@pytest.mark.slow
@pytest.mark.timeout(150)
def test_scheduler_logs_nothing_while_the_watchdog_has_nothing_to_do(
    deployment: Deployment, quick_watch: None, fake_site: FakeSite, scheduler: subprocess.Popen[bytes]
) -> None:
    """Issue 24: `make scheduler` logged three lines per watch interval (beat sending
    watch-runs, the worker receiving it, its success): about 26,000 lines a day doing nothing."""
    d = deployment
    log = d.logs / "scheduler.log"
    wait_for(lambda: _finished_and_reported(d), 90, "a run from `scheduler --check-now`")

    def settled() -> bool:  # the report and the rebuild have had their say
        lines = _lines(log)
        # a rebuild can take longer than the quiet spell below on a busy machine: wait for its end
        if not any("linkcheck.rebuild_site[" in line and "succeeded" in line for line in lines):
            return False
        time.sleep(3)
        return len(_lines(log)) == len(lines)

    wait_for(settled, 60, "the scheduler's log to settle")
    before = _lines(log)
    time.sleep(8)  # eight watch intervals
    new = _lines(log)[len(before):]
    print(f"\nscheduler idle for 8 s at a 1 s watch interval: {len(new)} new log line(s)")
    assert new == []
    # no watch task was sent, received or run, and a healthy run needed no watchdog at all
    assert not any("watch_runs[" in line or "watch-runs" in line or "watchdog" in line for line in before)


# Runs in a child process: the Celery app reads its broker from the environment at import.
_LOCK_SCRIPT = """
import json
from linkcheck.scheduler.broker import redis_client
from linkcheck.scheduler.app import app
from linkcheck.scheduler.locks import JobLock
from linkcheck.scheduler.tasks import start_check_run

held = JobLock(redis_client(app.conf.broker_url), "check-run", ttl=60)
assert held.acquire("check-run:someone-else")
out = {}
start_check_run.push_request(id="first")
out["while_held"] = start_check_run.run()
start_check_run.pop_request()
held.release("check-run:someone-else")
start_check_run.push_request(id="second")
out["run"] = start_check_run.run()
out["redelivered"] = start_check_run.run()
start_check_run.pop_request()
out["holder"] = held.holder()
print(json.dumps(out))
"""


def test_start_check_run_is_skipped_while_another_run_holds_the_lock(
    deployment: Deployment, redis_server  # noqa: F811
) -> None:
    proc = subprocess.run([sys.executable, "-c", _LOCK_SCRIPT], cwd=PROJECT_ROOT, env=deployment.env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["while_held"] is None  # skipped: another run holds the lock
    assert out["run"] and out["redelivered"] == out["run"]  # redelivered start: same run
    assert out["holder"] == "check-run:second"
    # 5 chunks (four 2-URL hosts, one with /missing too, and the slow host) on the chunk
    # queue, once: a redelivered start sends only chunks never sent (a lost one is the
    # watchdog's to re-send, counted in run_chunks.attempts)
    assert redis_server.client().llen("celery") == 5
    with deployment.store() as store:
        assert [r["id"] for r in store.runs("check")] == [out["run"]]
