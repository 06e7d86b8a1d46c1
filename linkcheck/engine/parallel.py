"""Run the engine in several processes side by side, each over its own hosts.

Past a few thousand links the engine is CPU-bound (the Python work around
every request) and one process uses one core. The URLs are split by host
(``chunking.split_by_host``), so every URL of a host is checked by one process
and that host's politeness limits hold exactly as in a single process; the
global concurrency is divided between the processes.

Children are forked (Linux; elsewhere everything runs in this process), check
their share with ``check_urls`` and stream results back over a pipe in small
batches. The caller's ``on_result`` runs here, in the parent, so store writes
and progress stay in one place. A child that dies (OOM killer, a stray signal)
loses nothing: the URLs it had not reported are checked again in this process.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import multiprocessing
import operator
import os
import signal
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import fields, replace
from multiprocessing.connection import Connection, wait

from linkcheck.engine.check import CheckOptions, check_urls, fewer_collections
from linkcheck.engine.chunking import split_by_host
from linkcheck.model import Result

log = logging.getLogger(__name__)

MAX_AUTO_PROCESSES = 8
URLS_PER_PROCESS = 1000  # below this a second process costs more than it saves
_BATCH = 64  # results per message
_BATCH_SECONDS = 0.05  # ... or whatever arrived within this long, so progress stays live


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def plan_processes(urls: Iterable[str], requested: int) -> int:
    """How many engine processes a run asks for. ``requested`` >= 1 is taken as
    given; 0 means automatic: one per core, at most ``MAX_AUTO_PROCESSES``, and
    only as many as have ``URLS_PER_PROCESS`` URLs each. (A run never gets more
    processes than it has hosts: ``split_by_host`` makes at most one share per host.)"""
    if requested == 1 or not can_fork():
        return 1
    if requested > 1:
        return requested
    return max(1, min(_cores(), MAX_AUTO_PROCESSES, len(set(urls)) // URLS_PER_PROCESS))


def check_in_processes(urls: Iterable[str], options: CheckOptions, processes: int,
                       on_result: Callable[[Result], None] | None = None,
                       on_burst_end: Callable[[], None] | None = None) -> list[Result]:
    """Like ``run.check``, over ``processes`` forked processes; one Result per
    distinct input URL, in input order. ``on_burst_end`` follows each batch of results."""
    order = list(dict.fromkeys(urls))
    shares = split_by_host(order, processes)
    if len(shares) < 2:  # one host (or none): nothing to split
        return asyncio.run(check_urls(order, options, on_result))
    child_options = replace(options, processes=1,
                            concurrency=max(1, options.concurrency // len(shares)))
    results: dict[str, Result] = {}

    def emit(result: Result) -> None:
        if result.url in results:  # a rerun after a crash may repeat one; report it once
            return
        results[result.url] = result
        if on_result is not None:
            on_result(result)

    context = multiprocessing.get_context("fork")
    children: list[tuple[multiprocessing.process.BaseProcess, Connection, list[str]]] = []
    # Objects that exist now are never freed by the children: keep their GC from scanning
    # (and so copying) the inherited heap.
    gc.freeze()
    try:
        for share in shares:
            receiver, sender = context.Pipe(duplex=False)
            proc = context.Process(target=_child, args=(share, child_options, sender), daemon=True,
                                   name="linkcheck-engine")
            proc.start()
            sender.close()  # the child holds the only writer: EOF here means it is gone
            children.append((proc, receiver, share))
        gc.unfreeze()
        with fewer_collections():  # results pour in: a Result per link
            unfinished = _collect(children, emit, on_burst_end)
    finally:
        gc.unfreeze()  # (again, if starting a child failed)
        for proc, receiver, _share in children:
            receiver.close()
            if proc.is_alive():
                proc.terminate()
            proc.join(timeout=5)
            if proc.is_alive():
                proc.kill()
                proc.join()
    missing = [u for u in unfinished if u not in results]
    if missing:
        log.warning("an engine process ended early; checking its %d remaining URL(s) here", len(missing))
        from linkcheck.engine.run import in_bursts  # (run imports this module)

        asyncio.run(check_urls(missing, options, in_bursts(emit, on_burst_end)))
    return [results[url] for url in order]


def _collect(children: list[tuple[multiprocessing.process.BaseProcess, Connection, list[str]]],
             emit: Callable[[Result], None], on_burst_end: Callable[[], None] | None = None) -> list[str]:
    """Receive every child's results until all are done or gone; return the URLs
    of children that ended without finishing."""
    open_ends = {receiver: share for _proc, receiver, share in children}
    unfinished: list[str] = []
    while open_ends:
        for receiver in wait(list(open_ends)):
            assert isinstance(receiver, Connection)
            try:
                kind, payload = receiver.recv()
            except (EOFError, OSError):
                unfinished.extend(open_ends.pop(receiver))  # died without saying "done"
                continue
            if kind == "results":
                for values in payload:
                    emit(Result(*values))
                if on_burst_end is not None:
                    on_burst_end()
            elif kind == "done":
                del open_ends[receiver]
            else:  # "failed": the engine raised; rerun its share here, where it raises for real
                log.error("engine process failed:\n%s", payload)
                unfinished.extend(open_ends.pop(receiver))
    return unfinished


_fields_of = operator.attrgetter(*(f.name for f in fields(Result)))  # Result(*values) rebuilds it


def _die_with_parent() -> None:
    """Linux: end this process when the parent dies (a killed run must not leave
    engines behind, still fetching)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _child(urls: list[str], options: CheckOptions, sender: Connection) -> None:
    _die_with_parent()
    batch: list[Result] = []
    last = time.monotonic()

    def send(result: Result) -> None:
        nonlocal last
        batch.append(_fields_of(result))  # a plain tuple pickles in a third of the time
        now = time.monotonic()
        if len(batch) >= _BATCH or now - last >= _BATCH_SECONDS:
            sender.send(("results", batch[:]))
            batch.clear()
            last = now

    try:
        asyncio.run(check_urls(urls, options, send))
        if batch:
            sender.send(("results", batch))
        sender.send(("done", None))
    except KeyboardInterrupt:  # Ctrl-C reaches the whole process group; the parent reports it
        pass
    except BaseException:
        with contextlib.suppress(OSError):  # the parent may be gone too
            sender.send(("failed", traceback.format_exc()))
    finally:
        sender.close()
