"""``python -m linkcheck scheduler``: the whole schedule on one machine.

With no broker URL set, starts the embedded Redis (var/redis/, unix socket),
then one Celery worker with beat (``-B``) consuming both queues. Ctrl-C (or
SIGTERM) stops the worker first, gracefully, then Redis.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import subprocess
import sys
import time
from types import FrameType

from linkcheck.redact import redact_url
from linkcheck.scheduler.app import CHUNK_QUEUE, STATE_QUEUE
from linkcheck.scheduler.broker import EmbeddedRedis, embedded_dir
from linkcheck.settings import PROJECT_ROOT, Settings

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "scheduler",
        help="run Redis (embedded unless LINKCHECK_BROKER_URL is set), a worker and beat, all in one",
    )
    p.add_argument("--concurrency", type=int, default=2, metavar="N", help="worker processes (default 2)")
    p.add_argument("--check-now", action="store_true",
                   help="start a check run right away instead of waiting for the first interval")
    p.add_argument("--loglevel", default="INFO", help="Celery log level (default INFO)")
    p.set_defaults(handler=run)


def worker_command(concurrency: int, loglevel: str) -> list[str]:
    return [sys.executable, "-m", "celery", "-A", "linkcheck", "worker", "-B",
            "-Q", f"{CHUNK_QUEUE},{STATE_QUEUE}", f"--concurrency={concurrency}", f"--loglevel={loglevel}"]


class _Stop(Exception):
    pass


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop()


def _stop_worker(proc: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    """Warm shutdown (SIGTERM: running tasks finish or go back to the queue), then SIGKILL."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


def run(args: argparse.Namespace) -> int:
    settings: Settings = args.settings
    embedded: EmbeddedRedis | None = None
    env = dict(os.environ)
    if settings.broker_url:
        url = settings.broker_url
    else:
        embedded = EmbeddedRedis(embedded_dir(settings.var_dir))
        embedded.start()
        url = embedded.url
        env["LINKCHECK_BROKER_URL"] = url
    print(f"broker: {redact_url(url)}{' (embedded)' if embedded else ''}", flush=True)
    fine, rule = settings.pelican_conf_rule()  # the same rule (and line) as worker and beat
    print(rule, flush=True, file=sys.stdout if fine else sys.stderr)
    if not fine:
        if embedded is not None:
            embedded.stop()
        return 2
    # Both explicit: a shell's `cmd &` starts us with SIGINT ignored.
    previous = {sig: signal.signal(sig, _raise_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    worker: subprocess.Popen[bytes] | None = None
    try:
        # Own process group: we decide when the worker stops (before Redis).
        worker = subprocess.Popen(worker_command(args.concurrency, args.loglevel), cwd=PROJECT_ROOT,
                                  env=env, start_new_session=True)
        if args.check_now:
            _send_check(env)
        while worker.poll() is None:
            time.sleep(0.5)
        print(f"worker exited with {worker.returncode}", file=sys.stderr)
        return 2
    except _Stop:
        print("stopping: worker first, then Redis", file=sys.stderr, flush=True)
        return 0
    finally:
        for sig in previous:  # a second Ctrl-C must not leave Redis behind
            signal.signal(sig, signal.SIG_IGN)
        if worker is not None:
            _stop_worker(worker)
        if embedded is not None:
            embedded.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _send_check(env: dict[str, str]) -> None:
    # In a child: the app reads its broker from the environment at import.
    subprocess.run([sys.executable, "-c", "from linkcheck.scheduler.tasks import start_check_run; "
                    "start_check_run.delay()"], env=env, cwd=PROJECT_ROOT, check=True, timeout=60)
