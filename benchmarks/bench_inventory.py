"""Benchmark: the inventory of a Markdown site, rendered as the site renders it.

Writes ``--pages`` Markdown pages (1,000) shaped like a real Pelican guide site's --
prose with inline and reference links, nested and loose lists, tables, block
quotes, and fenced code that makes some pages long: a median page of about 5 KB,
a mean of about 9 KB, some 15 links a page -- then, in this process, each
``--repeat`` times:

  ours:    linkcheck.inventory.collect.collect([content], pelican_conf=pelicanconf.py)
           (renders every page with the site's MARKDOWN setting, finds every link's line)
  pelican: pelican.readers.MarkdownReader(settings).read(page) for every page
           (what the site build itself spends reading the same pages; the peer)

and prints the best wall and CPU time (``time.process_time``: this process only) of
each, links found, and the ratio. Target: the inventory of 1,000 pages in at most
3 s, judged on CPU time (the inventory runs in one process; on a shared machine the
wall time says more about the neighbours). ``--pages-dir DIR`` measures an existing
folder of Markdown pages instead (e.g. a checkout of a real site's ``content/``).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from linkcheck.inventory.collect import collect  # noqa: E402
from linkcheck.inventory.extract import MARKDOWN_SUFFIXES  # noqa: E402

TARGET_SECONDS = 3.0  # for 1,000 pages
WORDS = ("task", "queue", "worker", "broker", "result", "backend", "retry", "schedule", "message", "job",
         "process", "thread", "deploy", "monitor", "latency", "throughput", "request", "response",
         "database", "cache", "redis", "rabbitmq", "celery", "rq", "huey", "dramatiq", "scale",
         "concurrency", "idempotent", "periodic", "cron", "web", "application")


def _sentence(rng: random.Random, links: list[str], link_chance: float = 0.25) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
    if rng.random() < link_chance:
        i = rng.randrange(len(words) - 2)
        words[i] = f"[{words[i]} {words[i + 1]}]({links.pop()})"
        del words[i + 1]
    return " ".join(words).capitalize() + "."


def _url(rng: random.Random, n: int) -> str:
    host = f"site{rng.randrange(400)}.example"
    return f"https://{host}/{rng.choice(WORDS)}/{n}-{rng.choice(WORDS)}.html"


def make_page(rng: random.Random, index: int) -> str:
    """One page: a few sections of prose, lists and tables; every fifth page carries long code."""
    links = [_url(rng, index * 100 + i) for i in range(60)]
    refs: list[str] = []
    out = [f"Title: Page {index}", f"Slug: page-{index}", "Category: guide", "",
           f"# Page {index}", ""]
    for section in range(rng.randint(2, 4)):
        out += [f"## Section {section}", ""]
        for _ in range(rng.randint(1, 3)):
            out += [" ".join(_sentence(rng, links) for _ in range(rng.randint(3, 5))), ""]
        kind = rng.random()
        if kind < 0.4:  # a loose list with nested items after a blank line
            for item in range(rng.randint(2, 4)):
                out += [f"* {_sentence(rng, links, 0.6)}", ""]
                if item % 2 == 0:
                    out += [f"    * [{rng.choice(WORDS)}]({links.pop()})",
                            f"    * {_sentence(rng, links, 0.5)}", ""]
        elif kind < 0.7:  # a tight list of reference links
            for _ in range(rng.randint(3, 6)):
                label = f"r{index}-{len(refs)}"
                refs.append(f"[{label}]: {links.pop()} \"{rng.choice(WORDS)}\"")
                text = f"{rng.choice(WORDS)} {rng.choice(WORDS)}"
                out.append(f"* [{text}][{label}]: {_sentence(rng, links, 0)}")
            out.append("")
        elif kind < 0.85:  # a table
            out += ["| name | link | notes |", "|---|---|---|"]
            for _ in range(rng.randint(3, 6)):
                out.append(f"| {rng.choice(WORDS)} | [docs]({links.pop()}) | {_sentence(rng, links, 0)} |")
            out.append("")
        else:  # a quote
            out += ["> " + _sentence(rng, links, 0.8), ""]
    if index % 5 == 0:  # an example page: long code
        out += ["```python"]
        out += [f"    result = {rng.choice(WORDS)}.delay({i})  # {rng.choice(WORDS)}"
                for i in range(rng.randint(150, 900))]
        out += ["```", ""]
    return "\n".join(out + refs) + "\n"


def write_site(folder: Path, pages: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    (folder / "pages").mkdir(parents=True)
    for i in range(pages):
        (folder / "pages" / f"page-{i:04d}.md").write_text(make_page(rng, i), encoding="utf-8")


def best_of(repeat: int, work: Callable[[], int]) -> tuple[float, float, int]:
    """Best wall and CPU seconds of ``repeat`` runs of ``work`` (returns a count)."""
    walls, cpus, count = [], [], 0
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        count = work()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return min(walls), min(cpus), count


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--pages", type=int, default=1000)
    p.add_argument("--pages-dir", type=Path, help="measure this folder of Markdown pages instead")
    p.add_argument("--conf", type=Path, default=ROOT / "pelicanconf.py", help="Pelican settings file")
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-inventory-") as tmp:
        content = args.pages_dir.resolve() if args.pages_dir else Path(tmp) / "content"
        if not args.pages_dir:
            write_site(content, args.pages)
        files = sorted(f for f in content.rglob("*") if f.suffix.lower() in MARKDOWN_SUFFIXES)
        sizes = [f.stat().st_size for f in files]
        print(f"{len(files)} Markdown pages, {sum(sizes) / 1e6:.1f} MB (median "
              f"{statistics.median(sizes) / 1e3:.1f} KB, mean {statistics.mean(sizes) / 1e3:.1f} KB), "
              f"settings {args.conf.name}")
        print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")

        def ours() -> int:
            return len(collect([content], root=content, pelican_conf=args.conf))

        # the first inventory of a process also imports Pelican and executes the settings file
        first_wall, first_cpu, _ = best_of(1, ours)
        from pelican.readers import MarkdownReader
        from pelican.settings import read_settings

        settings = read_settings(str(args.conf))

        def pelican() -> int:
            reader = MarkdownReader(settings)
            return sum(len(reader.read(str(f))[0]) > 0 for f in files)

        ours_wall, ours_cpu, found = best_of(args.repeat, ours)
        peer_wall, peer_cpu, _ = best_of(args.repeat, pelican)
        per_1000 = ours_cpu * 1000 / max(1, len(files))
        print(f"load average after: {os.getloadavg()[0]:.2f}")
        print(f"{'':8} {'wall s':>8} {'cpu s':>8}")
        print(f"{'ours':8} {ours_wall:8.2f} {ours_cpu:8.2f}   {found} distinct links "
              f"(first run of the process: {first_wall:.2f} s wall, {first_cpu:.2f} s CPU)")
        print(f"{'pelican':8} {peer_wall:8.2f} {peer_cpu:8.2f}   reading the same pages")
        print(f"ours/pelican: wall {ours_wall / peer_wall:.2f}x, cpu {ours_cpu / peer_cpu:.2f}x")
        met = per_1000 <= TARGET_SECONDS
        wall_1000 = ours_wall * 1000 / max(1, len(files))
        print(f"per 1,000 pages: {per_1000:.2f} s CPU, {wall_1000:.2f} s wall; "
              f"target <= {TARGET_SECONDS:g} s CPU: {'met' if met else 'MISSED'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
