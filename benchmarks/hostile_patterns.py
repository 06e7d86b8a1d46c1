"""Every pattern that runs on text from the web, fed 1 MiB of its worst case: CPU seconds,
this tree against another (by default ``main``) measured in the same run.

```sh
.venv/bin/python benchmarks/hostile_patterns.py                 # this tree and main
.venv/bin/python benchmarks/hostile_patterns.py --before-ref HEAD~3 --limit 120
.venv/bin/python benchmarks/hostile_patterns.py --only parked   # cases whose name contains it
```

Each case runs in a child process (``time.process_time`` around the call, repeated
until 0.2 s of CPU and averaged, under ``RLIMIT_CPU``): a case still busy at ``--limit``
CPU seconds is shown as ``> limit``, then measured at smaller sizes (``--growth``) so the
table shows how its cost grows. The other tree is exported with ``git archive`` into a
temporary folder, so the same case code imports the same module names from both. The
cases live in tests/support/hostile_inputs.py; tests/engine/test_bounded_patterns.py
asserts the bound for this tree, this script takes the before/after figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024


def _child(name: str, size: int) -> None:
    from tests.support.hostile_inputs import worst_cases

    _description, call = worst_cases(size)[name]
    # repeated until 0.2 s of CPU: the clock may tick in milliseconds
    runs, started = 0, time.process_time()
    while True:
        call()
        runs += 1
        spent = time.process_time() - started
        if spent >= 0.2 or runs >= 200:
            break
    print(json.dumps({"cpu": spent / runs, "runs": runs}))


def _measure(tree: Path, name: str, size: int, limit: float) -> float | None:
    """CPU seconds of one case in ``tree``; None when it passed ``limit``."""
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (int(limit) + 1, int(limit) + 2))

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(dict.fromkeys([str(tree), str(ROOT)]))}
    proc = subprocess.run([sys.executable, __file__, "--child", name, "--size", str(size)],
                          cwd=tree, env=env, capture_output=True, text=True, preexec_fn=cap,
                          timeout=limit * 20 + 60)
    if proc.returncode != 0:
        if proc.returncode < 0:
            return None  # SIGXCPU: over the limit
        raise RuntimeError(f"{name} in {tree}: {proc.stderr.strip()[-500:]}")
    cpu = json.loads(proc.stdout.strip().splitlines()[-1])["cpu"]
    return None if cpu > limit else cpu


def _export(ref: str, into: Path) -> Path:
    data = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "linkcheck"], check=True,
                          capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    return into


def _show(cpu: float | None, limit: float) -> str:
    return f"> {limit:g} s" if cpu is None else f"{cpu:.4f} s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before-ref", default="main", help="git ref of the tree to compare with (main)")
    parser.add_argument("--size", type=int, default=MIB, help="input bytes (1 MiB)")
    parser.add_argument("--limit", type=float, default=60.0, help="CPU seconds before a case is stopped")
    parser.add_argument("--growth", default="4096,16384,65536", help="smaller sizes for cases over the limit")
    parser.add_argument("--only", default="", help="run the cases whose name contains this")
    parser.add_argument("--no-before", action="store_true", help="measure this tree only")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.size)
        return 0
    sys.path.insert(0, str(ROOT))
    from tests.support.hostile_inputs import worst_cases

    cases = worst_cases(16)
    names = [n for n in cases if args.only in n]
    with tempfile.TemporaryDirectory(prefix="hostile-patterns-") as tmp:
        trees = {"after": ROOT}
        if not args.no_before:
            trees = {"before": _export(args.before_ref, Path(tmp)), **trees}
        print(f"CPU seconds per call (time.process_time, a child process per case), {args.size} bytes;"
              f" before = {args.before_ref}, after = this tree")
        print(f"{'pattern':48} {'input':40} " + " ".join(f"{t:>12}" for t in trees))
        for name in names:
            description = cases[name][0]
            cpus = {t: _measure(path, name, args.size, args.limit) for t, path in trees.items()}
            shown = " ".join(f"{_show(c, args.limit):>12}" for c in cpus.values())
            print(f"{name:48} {description:40} {shown}", flush=True)
            for tree, cpu in cpus.items():
                if cpu is None:
                    steps = []
                    for size in (int(s) for s in args.growth.split(",")):
                        small = _measure(trees[tree], name, size, args.limit)
                        steps.append(f"{size} B: {_show(small, args.limit)}")
                        if small is None:
                            break
                    print(f"    {tree}: growth {'; '.join(steps)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
