"""`python -m linkcheck runs [--watch]` on a real scheduled run (issue 18 item 8):
real Redis, real Celery workers, a loopback host that holds its chunk, a worker
SIGKILLed mid-chunk. What the command prints is read and checked against the store."""

from __future__ import annotations

import calendar
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from linkcheck.settings import PROJECT_ROOT

from .conftest import Deployment, FakeSite, Procs, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.timeout(90)]

STAMP = r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)"
LIVE_RE = re.compile(rf"^\s+([\d.]+) links/s, expected end {STAMP} UTC$", re.M)
STALLED_RE = re.compile(
    rf"STALLED chunk (\d+): no sign of life since {STAMP} UTC; sent again at {STAMP} "
    rf"\(attempt (\d+)\); re-sent again after {STAMP} if still silent")


def _ts(stamp: str) -> float:
    return float(calendar.timegm(time.strptime(stamp, "%Y-%m-%d %H:%M:%S")))


def _runs_output(d: Deployment) -> str:
    shown = subprocess.run([sys.executable, "-m", "linkcheck", "runs"], cwd=PROJECT_ROOT, env=d.env,
                           capture_output=True, text=True, timeout=30)
    assert shown.returncode == 0, shown.stderr[-2000:]
    return shown.stdout


def _row(output: str, run_id: int) -> list[str]:
    return next(ln.split() for ln in output.splitlines() if ln.split()[:1] == [str(run_id)])


def _signal_status(pid: int) -> str:
    """A process's blocked, ignored and pending signals, as the kernel reports them."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError as exc:
        return f"no status: {exc}"
    wanted = ("SigPnd", "ShdPnd", "SigBlk", "SigIgn")
    return ", ".join(ln.replace("\t", " ") for ln in lines if ln.startswith(wanted))


def test_runs_shows_live_progress_and_names_a_stalled_chunk(
    deployment: Deployment, fake_site: FakeSite, procs: Procs
) -> None:
    d = deployment
    for key in ("LINKCHECK_TASK_TIME_LIMIT", "LINKCHECK_VISIBILITY_TIMEOUT"):
        d.env.pop(key, None)  # Celery's long defaults: only the watchdog brings a chunk back
    d.env["LINKCHECK_TIMEOUT"] = "25"
    d.env["LINKCHECK_CHUNK_STALL_AFTER"] = "6"
    d.env["LINKCHECK_WATCH_INTERVAL"] = "3"
    urls = fake_site.urls()
    slow = f"{fake_site.slow_base}/slow"
    fake_site.delay[0] = 30.0  # the slow host holds its chunk in flight
    procs.worker("state", "state")
    doomed = procs.worker("doomed", "celery", concurrency=2)
    d.send("linkcheck.start_check_run")

    def all_but_the_slow_chunk() -> dict | None:
        with d.store() as store:
            runs = store.runs("check")
            if not runs or not fake_site.slow_hits():
                return None
            chunks = store.run_chunks(runs[0]["id"])
            done = [c for c in chunks if c["done_at"] is not None]
            return runs[0] if chunks and len(done) == len(chunks) - 1 else None

    run = wait_for(all_but_the_slow_chunk, 40, "every chunk but the slow one recorded", procs)
    with d.store() as store:
        chunks = store.run_chunks(run["id"])
    slow_idx = next(c["idx"] for c in chunks if slow in c["urls"])
    total_chunks = len(chunks)

    watcher_log = d.logs / "watch.txt"
    with watcher_log.open("w") as out:
        watcher = subprocess.Popen([sys.executable, "-m", "linkcheck", "runs", "--watch", "--every", "0.5"],
                                   cwd=PROJECT_ROOT, env={**d.env, "PYTHONFAULTHANDLER": "1"}, stdout=out,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        # live, while the slow chunk is held: chunks and links done of total, rate, expected end
        shown = _runs_output(d)
        row = _row(shown, run["id"])
        assert row[1] == "running", shown
        assert row[4] == f"{total_chunks - 1}/{total_chunks}", shown
        assert row[5] == f"{len(urls) - 1}/{len(urls)}", shown
        rate, eta = LIVE_RE.search(shown).groups()
        assert float(rate) > 0
        assert _ts(eta) >= int(run["started_at"])  # an end computed from the rate, after the start
        assert "STALLED" not in shown  # a held chunk with a fresh heartbeat is not stalled

        doomed.kill()  # SIGKILL mid-chunk: no heartbeat, no job in any queue
        killed_at = time.time()

        def stalled_line() -> re.Match | None:
            return STALLED_RE.search(_runs_output(d))

        seen = wait_for(stalled_line, 30, "`runs` to name the stalled chunk", procs, interval=0.1)
        idx, since, sent, attempt, next_look = seen.groups()
        assert int(idx) == slow_idx
        assert killed_at - 8 <= _ts(since) <= killed_at + 1  # its last sign of life: the last heartbeat
        assert _ts(sent) >= _ts(since) + 6 - 1  # sent again once silent for stall_after (6 s)
        assert attempt == "2"
        assert _ts(next_look) == _ts(sent) + 6  # what happens next: re-sent again if still silent

        fake_site.delay[0] = 0.0
        procs.worker("rescue", "celery")

        def done() -> dict | None:
            with d.store() as store:
                r = [x for x in store.runs("check") if x["id"] == run["id"] and x["status"] == "done"]
            return r[0] if r else None

        wait_for(done, 40, "the run to finish after the re-send", procs)
        final = _runs_output(d)
        assert _row(final, run["id"])[1:2] == ["done"]
        assert _row(final, run["id"])[4:6] == [f"{total_chunks}/{total_chunks}", f"{len(urls)}/{len(urls)}"]
        assert not LIVE_RE.search(final) and "STALLED" not in final  # a finished run has no live line
        time.sleep(1.2)  # one more redraw of --watch with the finished run
    finally:
        watcher.send_signal(signal.SIGINT)  # Ctrl-C ends --watch cleanly
        try:
            rc = watcher.wait(15)
        except subprocess.TimeoutExpired:
            status = _signal_status(watcher.pid)
            watcher.send_signal(signal.SIGABRT)  # PYTHONFAULTHANDLER: its stack into the log
            watcher.wait(10)
            tail = watcher_log.read_text(errors="replace")[-3000:]
            raise AssertionError(f"`runs --watch` went on after Ctrl-C ({status}):\n{tail}") from None
    frames = [f for f in watcher_log.read_text().split("\x1b[2J\x1b[H") if f.strip()]
    assert rc == 0
    assert len(frames) >= 5  # redrawn, not printed once
    assert any(f"{total_chunks - 1}/{total_chunks}" in f and LIVE_RE.search(f) for f in frames)
    stalled_frames = [STALLED_RE.search(f) for f in frames if STALLED_RE.search(f)]
    assert stalled_frames and all(int(m.group(1)) == slow_idx for m in stalled_frames)
    assert _row(frames[-1], run["id"])[1] == "done" and "(every 0.5s, Ctrl-C to stop)" in frames[-1]
