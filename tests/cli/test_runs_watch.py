"""`linkcheck runs --watch` stops on Ctrl-C, however it was started."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from linkcheck.settings import PROJECT_ROOT


def _ignore_and_block_ctrl_c() -> None:  # what a script's `cmd &` or some parents pass on
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})


# --every 0 redraws without pause: Ctrl-C lands while the store is read or the screen drawn.
@pytest.mark.parametrize("every", ["0.2", "0"])
@pytest.mark.parametrize("inherited", ["default", "ignored and blocked"])
def test_watch_stops_on_ctrl_c(tmp_path: Path, inherited: str, every: str) -> None:
    var = tmp_path / "var"
    env = {**os.environ, "LINKCHECK_VAR_DIR": str(var), "LINKCHECK_STORE": str(var / "linkcheck.sqlite3")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "linkcheck", "runs", "--watch", "--every", every], cwd=PROJECT_ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True,
        preexec_fn=_ignore_and_block_ctrl_c if inherited != "default" else None)  # noqa: PLW1509
    try:
        assert proc.stdout is not None
        shown = ""
        while "Ctrl-C to stop" not in shown:  # the first frame: the watch loop is running
            line = proc.stdout.readline()
            assert line, f"`runs --watch` ended before its first frame:\n{shown}"
            shown += line
        proc.send_signal(signal.SIGINT)
        rest, _ = proc.communicate(timeout=10)
        assert proc.returncode == 0, rest[-500:]
        assert "interrupted" not in rest
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
