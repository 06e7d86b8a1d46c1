"""``python -m linkcheck check SOURCE...``: check every external link in the sources.

Exit codes (a contract other tools rely on): 0 no link is an error, 1 at least
one is, 2 usage or runtime error (a missing source, or no network at all, in
which case nothing is judged).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any, TextIO

from linkcheck.cli import UsageError, terminal_safe
from linkcheck.inventory.collect import SourceError, credential_warnings
from linkcheck.model import Link, Result
from linkcheck.settings import BOUNDS, Settings


def _bounded(name: str, kind: type, low: float | None = None) -> Any:
    """An argparse type for the setting ``name``: a finite number within its BOUNDS
    (``low`` raises the floor: an option may not ask for the default's special value)."""
    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            word = "whole number" if kind is int else "number"
            raise argparse.ArgumentTypeError(f"expected a {word}, got {text!r}") from None
        _, floor, high = BOUNDS[name]
        floor = floor if low is None else low
        if not math.isfinite(value) or not floor <= value <= high:
            raise argparse.ArgumentTypeError(f"must be from {floor:g} to {high:g}, got {text}")
        return value

    return parse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check",
        help="check external links in files, directories or URLs",
        description="Check every external link and image in the sources. SOURCE is an HTML or "
        "Markdown file, a directory (the built output/ or content/, whose catalog/ is read too), "
        "a catalog YAML file, or an http(s) URL (checked itself). Exit 0: no error; 1: some "
        "link is an error; 2: usage or runtime error, or no network.",
    )
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="file, directory or URL")
    p.add_argument("--json", metavar="FILE|-", dest="json_path",
                   help="also write results as JSON to FILE ('-' for standard output)")
    p.add_argument("--allow-private", action="store_true",
                   help="allow private, loopback and link-local targets (off: SSRF guard)")
    p.add_argument("--concurrency", type=_bounded("concurrency", int), metavar="N",
                   help="requests in flight overall")
    p.add_argument("--host-concurrency", type=_bounded("host_concurrency", int), metavar="N",
                   help="requests in flight per host")
    p.add_argument("--timeout", type=_bounded("timeout", float), metavar="SECONDS",
                   help="total deadline per request")
    p.add_argument("--processes", type=_bounded("processes", int, low=1), metavar="N",
                   help="engine processes, each checking its own hosts (default: one per core "
                   "for runs of thousands of links)")
    p.add_argument("--no-store", action="store_true", help="do not record results in the store")
    p.add_argument("--internal", action="store_true",
                   help="check internal links and anchors of built-site directories instead "
                   "(no network)")
    p.set_defaults(handler=run)


# ------------------------------------------------------------------ output
def result_json(result: Result, link: Link | None) -> dict[str, Any]:
    return {
        "url": result.url,
        "verdict": result.verdict,
        "reason": result.reason,
        "status": result.status,
        "final_url": result.final_url,
        "message": result.message,
        "redirects": [list(hop) for hop in result.redirects],
        "title": result.title,
        "elapsed": round(result.elapsed, 3),
        "kind": link.kind if link else "link",
        "locations": [loc.to_json() for loc in (link.locations if link else [])],
    }


_ENCODER = json.JSONEncoder(ensure_ascii=False)


def _dumps(payload: dict[str, Any]) -> str:
    """Readable JSON, one result per line: json's C encoder only runs without ``indent``,
    and a 10,000-link report must not cost seconds."""
    encode = _ENCODER.encode  # one encoder: json.dumps(..., ensure_ascii=False) builds one per call
    parts = []
    for key, value in payload.items():
        if isinstance(value, list):
            items = ",\n    ".join(map(encode, value))
            parts.append(f"  {encode(key)}: [\n    {items}\n  ]" if value else f"  {encode(key)}: []")
        else:
            parts.append(f"  {encode(key)}: {encode(value)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def _write_json(path: str, payload: dict[str, Any]) -> None:
    text = _dumps(payload)
    if path == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write JSON to {path}: {exc.strerror or exc}") from exc


def _where(link: Link | None, limit: int = 3) -> str:
    if link is None or not link.locations:
        return "(given on the command line)"
    shown = [loc.describe() for loc in link.locations[:limit]]
    more = len(link.locations) - limit
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _problems(results: list[Result]) -> list[Result]:
    order = {"error": 0, "warn": 1}
    return sorted((r for r in results if r.verdict in order), key=lambda r: (order[r.verdict], r.url))


def _print_plain(out: TextIO, results: list[Result], links: dict[str, Link]) -> None:
    for r in _problems(results):
        status = r.status if r.status is not None else "-"
        print(terminal_safe(f"{r.verdict:5} {r.reason} {status} {r.url} -- {r.message} "
                            f"[{_where(links.get(r.url))}]"), file=out)


def _print_table(console: Any, results: list[Result], links: dict[str, Link]) -> None:
    from rich.table import Table
    from rich.text import Text

    problems = _problems(results)
    if not problems:
        return
    table = Table(title="Links that need attention", show_lines=False, expand=True)
    table.add_column("verdict", no_wrap=True)
    table.add_column("reason", no_wrap=True)
    table.add_column("status", justify="right", no_wrap=True)
    table.add_column("URL / message", overflow="fold", ratio=3)
    table.add_column("where", overflow="fold", ratio=2)
    styles = {"error": "bold red", "warn": "yellow"}
    for r in problems:
        # Text, never markup: URLs and messages come from the web ("[/]" broke the table,
        # "[link=...]" planted a clickable terminal link); Text also drops control codes.
        table.add_row(Text(r.verdict, style=styles[r.verdict]), Text(r.reason),
                      str(r.status) if r.status is not None else "-",
                      Text.assemble(r.url, "\n", (r.message, "dim")), Text(_where(links.get(r.url))))
    console.print(table)


def _summary_line(counts: dict[str, int], total: int, elapsed: float, offline: bool = False) -> str:
    if offline:
        return (f"tried {total} links in {elapsed:.1f}s: no network (nearly every host unreachable at "
                "connection level), nothing judged broken; check the connection and run again")
    if total == 0:
        return ("checked 0 links: no external link found in the sources (links are collected from "
                "HTML, Markdown and catalog YAML files; relative links, #anchors, mailto: and code "
                "are skipped); nothing to do")
    return (f"checked {total} links in {elapsed:.1f}s: {counts['ok']} ok, {counts['warn']} warn, "
            f"{counts['error']} error")


# -------------------------------------------------------------- internal
def _run_internal(args: argparse.Namespace, out: TextIO) -> int:
    from linkcheck.inventory.internal import check_internal

    problems: list[Any] = []
    for source in args.sources:
        path = Path(source)
        if not path.is_dir():
            raise UsageError(f"{source}: --internal needs a built-site directory (e.g. output/)")
        problems.extend(check_internal(path))
    for problem in problems:
        print(str(problem), file=out)
    print(f"{len(problems)} internal link problem(s)", file=out)
    if args.json_path:
        _write_json(args.json_path, {
            "internal": [_problem_json(p) for p in problems],
            "summary": {"problems": len(problems), "sources": list(args.sources)},
        })
    return 1 if problems else 0


def _problem_json(problem: Any) -> dict[str, Any]:
    if hasattr(problem, "to_json"):
        return problem.to_json()
    if hasattr(problem, "__dataclass_fields__"):
        from dataclasses import asdict

        return {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(problem).items()}
    return {"message": str(problem)}


# -------------------------------------------------------------------- run
def run(args: argparse.Namespace) -> int:
    # with JSON on stdout, human output goes to stderr so the JSON stays parseable
    out = sys.stderr if args.json_path == "-" else sys.stdout
    if args.internal:
        return _run_internal(args, out)

    from linkcheck.engine.check import CheckOptions, fewer_collections
    from linkcheck.store import Store

    settings: Settings = args.settings
    overrides: dict[str, Any] = {}
    if args.allow_private:
        overrides["allow_private"] = True
    if args.concurrency:
        overrides["concurrency"] = args.concurrency
    if args.host_concurrency:
        overrides["host_concurrency"] = args.host_concurrency
    if args.timeout:
        overrides["timeout"] = args.timeout
    if args.processes:
        overrides["processes"] = args.processes
    options = CheckOptions.from_settings(settings, **overrides)
    store = None if args.no_store else Store.from_settings(settings)
    tty = out.isatty()
    # the inventory, the results and their JSON are a few objects per link, all kept to the
    # end: full GC passes over them were a tenth of this process's CPU on a big run
    with fewer_collections():
        try:
            summary = _check(settings, args, options, store, out, tty)
        except SourceError as exc:
            raise UsageError(str(exc)) from exc
        finally:
            if store is not None:
                store.close()

        if args.json_path:
            _write_json(args.json_path, {
                "results": [result_json(r, summary.links.get(r.url)) for r in summary.results],
                "summary": {**summary.stats(), "run_id": summary.run_id, "sources": list(args.sources),
                            "exit_code": summary.exit_code,
                            "credentials": credential_warnings(summary.links)},
            })
    return summary.exit_code


def _check(settings: Settings, args: argparse.Namespace, options: Any, store: Any, out: TextIO,
           tty: bool) -> Any:
    from linkcheck.runs.local import run_check

    if not tty:
        summary = run_check(settings, args.sources, store=store, options=options)
        if not summary.offline:  # offline: nothing was judged, so nothing is listed as a problem
            _print_plain(out, summary.results, summary.links)
        for line in credential_warnings(summary.links):
            print(terminal_safe(f"warning: {line}"), file=out)
        print(_summary_line(summary.counts, len(summary.results), summary.elapsed, summary.offline), file=out)
        return summary

    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    console = Console(file=out)
    errors = 0
    with Progress(SpinnerColumn(), TextColumn("checking links"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("[red]{task.fields[errors]} error(s)"), TimeElapsedColumn(),
                  console=console, transient=True) as progress:
        task = progress.add_task("check", total=None, errors=0)

        def on_links(links: dict[str, Link]) -> None:
            progress.update(task, total=len(links))

        def on_result(result: Result) -> None:
            nonlocal errors
            errors += result.verdict == "error"
            progress.update(task, advance=1, errors=errors)

        summary = run_check(settings, args.sources, store=store, options=options,
                            on_result=on_result, on_links=on_links)
    if not summary.offline:
        _print_table(console, summary.results, summary.links)
    for line in credential_warnings(summary.links):
        from rich.text import Text

        console.print(Text(f"warning: {line}"))  # Text: no markup, no control codes
    console.print(_summary_line(summary.counts, len(summary.results), summary.elapsed, summary.offline),
                  markup=False, highlight=False)
    return summary
