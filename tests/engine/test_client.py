"""The libcurl session itself: cancellation, reuse, environment proxies, descriptors."""

from __future__ import annotations

import asyncio
import resource
import subprocess
import sys
import textwrap

import pytest
from aiohttp import web

from linkcheck.engine.client import fetch, headers_for, make_session, request_url
from tests.support.fakeweb import page, serve_sites, site


def test_a_cancelled_request_frees_its_transfer_and_the_session_goes_on():
    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(2)
        return page("slow")

    async def fast(request: web.Request) -> web.Response:
        return page("fast")

    async def main(base: str) -> tuple[int | None, int, int]:
        async with make_session(connect_timeout=1, allow_private=True) as session:
            headers = headers_for("test/1", browser=False)
            with pytest.raises(TimeoutError):  # the caller gave up, not the request
                await asyncio.wait_for(fetch(session, "GET", request_url(base + "/slow"), headers,
                                             timeout=5, max_bytes=1000), 0.2)
            left = len(session.transfers)
            reply = await fetch(session, "GET", request_url(base + "/fast"), headers, timeout=5,
                                max_bytes=1000)
            return reply.status, left, len(session.transfers)

    with serve_sites(site({"/slow": slow, "/fast": fast})) as (base,):
        status, left_after_cancel, left_at_end = asyncio.run(main(base))
    assert (status, left_after_cancel, left_at_end) == (200, 0, 0)


def test_proxy_settings_in_the_environment_are_ignored(run_one, monkeypatch):
    # readers do not go through our proxy: a dead one must not make links look broken
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    with serve_sites(site({"/": _home})) as (base,):
        result = run_one(base + "/")
    assert (result.verdict, result.reason) == ("ok", "ok")


async def _home(request: web.Request) -> web.Response:
    return page("Home")


def test_open_files_limit_is_raised_for_the_concurrency():
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    if hard != resource.RLIM_INFINITY and hard < 1600:
        pytest.skip(f"hard open-files limit {hard} is below what the test raises to")
    script = textwrap.dedent("""
        import resource
        from linkcheck.engine.client import _ensure_descriptors
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
        _ensure_descriptors(1600)
        print(resource.getrlimit(resource.RLIMIT_NOFILE)[0])
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "1600"


URLS = ["http://example.com", "https://a.b.c:8080/x/y?q=1&r=%20#frag", "http://EXAMPLE.com/x",
        "http://example.com:080/", "http://a..b/", "http://ex.com/a b", "http://ex.com/?", "http://ex.com?x=1",
        "http://ex.com/p#a#b", "http://ex.com/%7Euser/", "http://127.0.0.1:8000/p", "http://-ex.com/",
        "http://ex.com/a?b?c", "http://ex.com:0/", "http://ex.com/a/../b", "http://user@ex.com/",
        "http://ex.com/\u00fc", "http://b\u00fccher.test/", "http://[::1]:8080/x"]


def test_plain_urls_take_the_short_path_to_the_same_wire_form():
    from linkcheck.engine.client import BadURL, _plain_wire, _wire

    for url in URLS:
        short = _plain_wire(url)
        try:
            general = _wire(url)
        except BadURL:
            general = None
        assert short in (None, general), url  # never a different answer
    assert _plain_wire("https://a.b.c:8080/x/y?q=1&r=%20#frag") == "https://a.b.c:8080/x/y?q=1&r=%20"
    assert _plain_wire("http://example.com") == "http://example.com/"


def test_connections_are_reused_when_a_run_has_more_hosts_than_requests_in_flight(run):
    # The run visits its hosts in turn: a keep-alive pool smaller than its hosts closed
    # every host's connection before the host came round again (a new TCP connection per
    # request, on both ends). Each client port seen by a server is one connection.
    peers: list[set[tuple[str, int]]] = []

    def counting_site() -> web.Application:
        seen: set[tuple[str, int]] = set()
        peers.append(seen)

        async def handler(request: web.Request) -> web.Response:
            seen.add(request.transport.get_extra_info("peername"))
            return page("a page", "<p>content</p>" * 200)  # big enough to need no GET after HEAD

        return site({"/{n}": handler})

    hosts, per_host = 12, 5
    with serve_sites(*(counting_site() for _ in range(hosts))) as bases:
        urls = [f"{base}/{n}" for n in range(per_host) for base in bases]
        results = run(urls, concurrency=1, host_concurrency=1, soft404_probe=False, processes=1)
    assert [r.verdict for r in results] == ["ok"] * len(urls)
    connections = sum(len(seen) for seen in peers)
    assert connections <= hosts + 2, connections  # one per host (was one per request: 60)


def test_pool_size_covers_the_hosts_within_bounds():
    from linkcheck.engine.client import MAX_POOL, pool_size

    assert pool_size(256, 1000) == 2 * 256 + 2 * 1000
    assert pool_size(256, 0) == 512  # never below twice what is in flight
    assert pool_size(256, 100_000) == MAX_POOL  # a cap, however many hosts
    assert pool_size(256, 1000, descriptors=1024) == 1024 - 256 - 64  # within the open-files limit
    assert pool_size(256, 1000, descriptors=300) == 512  # ... but not below the old floor


def test_host_of_reads_plain_urls_the_way_urlsplit_does():
    from urllib.parse import urlsplit

    from linkcheck.urls import host_of

    def slow(url: str) -> str | None:
        try:
            return urlsplit(url).hostname or ""
        except ValueError:
            return None

    more = ["HTTP://Ex.COM:8080", "http://ex.com.:80/x", "http://my_host.test/", "http:///nohost",
            "http://ex.com:/", "http://ex.com:8x/", "http://u:p@ex.com/", "http://ex.com?q", "http://ex.com#f",
            " http://ex.com/", "http://ex.com\t/", "http://e\tx.com/", "http://ex.com/\n", "mailto:a@b.c",
            "http://[::1]:80/", "http://[::1/", "http://ex%41.com/", "ftp://ex.com/a", "//ex.com/x",
            "http://ex.com:99999/", "http://b\u00fccher.test/", "x-y+z.w://h.test/p"]
    for url in URLS + more:
        assert host_of(url) == slow(url), url


@pytest.mark.parametrize("kind", ["_EpollSockets", "_SelectorSockets"])
def test_both_socket_watchers_carry_a_run(kind, monkeypatch, run):
    # epoll where there is one; selectors (kqueue, ...) elsewhere: the same run either way
    import select

    from linkcheck.engine import client

    if kind == "_EpollSockets" and not hasattr(select, "epoll"):
        pytest.skip("no epoll here")
    monkeypatch.setattr(client, "_Sockets", getattr(client, kind))

    async def numbered(request: web.Request) -> web.Response:
        return page(f"Page {request.match_info['n']}")

    with serve_sites(site({r"/{n:\d+}": numbered})) as (base,):  # any other path: 404
        urls = [f"{base}/{n}" for n in range(40)]
        results = run(urls, concurrency=4, host_concurrency=2, processes=1)
    assert [(r.verdict, r.title) for r in results] == [("ok", f"Page {n}") for n in range(40)]
