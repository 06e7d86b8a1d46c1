"""Several engine processes, each over its own hosts: same verdicts, same politeness,
nothing lost when one dies."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import threading
import time

import pytest
from aiohttp import web

from linkcheck.engine.chunking import host_key, split_by_host
from linkcheck.engine.parallel import URLS_PER_PROCESS, can_fork, plan_processes
from linkcheck.engine.run import check
from tests.engine.conftest import fast_options
from tests.support.fakeweb import page, redirect, serve_sites, site, static, status

pytestmark = pytest.mark.skipif(not can_fork(), reason="engine processes are forked (Linux)")


def test_split_by_host_is_disjoint_balanced_and_keeps_order():
    urls = [f"http://h{i % 5}.test/{i}" for i in range(50)] + ["http://big.test/a", "http://BIG.test:81/b"]
    shares = split_by_host(urls, 3)
    assert len(shares) == 3
    assert sorted(u for share in shares for u in share) == sorted(urls)
    hosts = [{host_key(u) for u in share} for share in shares]
    assert all(not (a & b) for i, a in enumerate(hosts) for b in hosts[i + 1:])  # no host in two shares
    assert any({"big.test"} <= h for h in hosts)  # two ports of one host stay together
    assert max(map(len, shares)) - min(map(len, shares)) <= 10  # one host's worth at most
    for share in shares:
        assert share == sorted(share, key=urls.index)
    assert len(split_by_host(["http://one.test/a", "http://one.test/b"], 4)) == 1
    with pytest.raises(ValueError):
        split_by_host(urls, 0)


def test_plan_processes():
    small = [f"http://h{i % 9}.test/{i}" for i in range(50)]
    assert plan_processes(small, 0) == 1  # automatic: too few links to pay for a process
    assert plan_processes(small, 1) == 1
    assert plan_processes(small, 4) == 4  # asked for: given
    big = [f"http://h{i % 50}.test/{i}" for i in range(URLS_PER_PROCESS * 64)]
    cores = len(os.sched_getaffinity(0))
    assert plan_processes(big, 0) == min(cores, 8)


def _mixed_sites() -> list[web.Application]:
    async def soft(request: web.Request) -> web.Response:
        return page("Page not found", "<p>sorry</p>")

    return [
        site({"/ok/{n}": static("Fine", '<p id="here">x</p>' + "<p>x</p>" * 400),
              "/gone": status(404)}),
        site({"/old": redirect("/new"), "/new": static("New", "<p>x</p>" * 400)}),
        site({"/soft": soft, "/ok": static("Fine", "<p>x</p>" * 400)}),
        site({"/a": static("A", "<p>x</p>" * 400), "/b": status(410)}),
    ]


def test_processes_give_the_same_verdicts_as_one():
    with serve_sites(*_mixed_sites()) as (a, b, c, d):
        urls = [*(f"{a}/ok/{n}" for n in range(8)), f"{a}/ok/1#here", f"{a}/ok/2#nowhere", f"{a}/gone",
                f"{b}/old", f"{b}/new", f"{c}/soft", f"{c}/ok", f"{d}/a", f"{d}/b", "ftp://x.test/f"]
        one = check(urls, fast_options(processes=1))
        streamed: list[str] = []
        many = check(urls, fast_options(processes=3), on_result=lambda r: streamed.append(r.url))
    assert [r.url for r in many] == urls  # input order, one result each
    assert sorted(streamed) == sorted(urls)  # every result also streamed, once
    key = [(r.url, r.verdict, r.reason, r.status, r.final_url) for r in one]
    assert [(r.url, r.verdict, r.reason, r.status, r.final_url) for r in many] == key
    reasons = {r.url: r.reason for r in many}
    assert reasons[f"{a}/gone"] == "not_found" and reasons[f"{b}/old"] == "moved_permanently"
    assert reasons[f"{c}/soft"] == "soft_404" and reasons[f"{a}/ok/2#nowhere"] == "anchor_missing"


def test_one_host_is_never_split():
    with serve_sites(site({"/p/{n}": static("Fine", "<p>x</p>" * 400)})) as (base,):
        urls = [f"{base}/p/{n}" for n in range(5)]
        results = check(urls, fast_options(processes=3))  # one host: checked in this process
    assert [(r.url, r.verdict) for r in results] == [(u, "ok") for u in urls]


def test_per_host_limits_hold_across_processes():
    in_flight: dict[str, int] = {}
    most: dict[str, int] = {}
    lock = threading.Lock()  # each host's server runs in its own thread

    def slow_site(name: str) -> web.Application:
        async def handler(request: web.Request) -> web.Response:
            with lock:
                in_flight[name] = in_flight.get(name, 0) + 1
                most[name] = max(most.get(name, 0), in_flight[name])
            await asyncio.sleep(0.05)
            with lock:
                in_flight[name] -= 1
            return page("x", "<p>x</p>" * 400)

        return site({"/{n}": handler})

    with serve_sites(*(slow_site(f"h{i}") for i in range(4))) as bases:
        urls = [f"{base}/{n}" for base in bases for n in range(12)]
        results = check(urls, fast_options(processes=2, host_concurrency=2, soft404_probe=False))
    assert all(r.verdict == "ok" for r in results)
    assert set(most) == {f"h{i}" for i in range(4)}
    assert max(most.values()) <= 2  # no host was checked by two processes at once


def test_a_killed_engine_process_loses_nothing(caplog):
    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(0.4)
        return page("x", "<p>x</p>" * 400)

    apps = [site({"/{n}": slow}) for _ in range(2)]
    with serve_sites(*apps) as bases:
        urls = [f"{base}/{n}" for base in bases for n in range(4)]
        got: list = []
        worker = threading.Thread(
            target=lambda: got.extend(check(urls, fast_options(processes=2, soft404_probe=False))))
        worker.start()
        deadline = time.monotonic() + 10
        while not multiprocessing.active_children() and time.monotonic() < deadline:
            time.sleep(0.01)
        victims = multiprocessing.active_children()
        assert victims, "the engine processes should be running"
        for proc in victims:
            os.kill(proc.pid, signal.SIGKILL)
        worker.join(timeout=60)
    assert not worker.is_alive()
    assert [r.url for r in got] == urls  # the dead processes' URLs were checked here instead
    assert all(r.verdict == "ok" for r in got)
    assert "ended early; checking its" in caplog.text
