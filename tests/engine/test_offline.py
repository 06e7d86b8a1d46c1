"""Offline is not broken, and broken is not offline: a run is offline only when no host
answered at the network level (nothing connected, or the resolver itself did not answer)."""

from __future__ import annotations

import asyncio
import socket

import pytest

from linkcheck.engine.check import is_offline, resolver_answers
from linkcheck.model import Result
from tests.support.fakeweb import serve_sites, site, static
from tests.support.servers import free_port


def _refused_urls(n: int) -> list[str]:
    # nothing listens on these ports: connection refused, like a machine without network
    return [f"http://127.0.2.{i}:{free_port(f'127.0.2.{i}')}/page" for i in range(1, n + 1)]


def _resolver_says_no_such_name() -> bool:
    try:
        socket.getaddrinfo("linkcheck-test.invalid", 80)
    except socket.gaierror as exc:
        return exc.errno == socket.EAI_NONAME
    return False


def test_no_network_is_offline(run):
    results = run(_refused_urls(5))
    assert [(r.verdict, r.reason) for r in results] == [("error", "connection_error")] * 5
    assert is_offline(results) is True


def test_one_answering_host_among_nine_refusing_is_online(run):
    app = site({"/": static("Home")})
    with serve_sites(app) as (url,):
        results = run([url + "/", *_refused_urls(9)])
    assert results[0].verdict == "ok"
    assert [r.reason for r in results[1:]] == ["connection_error"] * 9  # judged: broken, not offline
    assert is_offline(results) is False


@pytest.mark.skipif(not _resolver_says_no_such_name(), reason="this machine's resolver does not answer")
def test_no_such_domain_is_an_answer(run):
    # "localhost" stands in for a name that exists: the resolver is trusted
    results = run([f"http://gone-{i}.linkcheck-test.invalid/page" for i in range(4)],
                  dns_canaries=("localhost",))
    assert {(r.verdict, r.reason) for r in results} == {("error", "dns_error")}
    assert is_offline(results) is False
    assert asyncio.run(resolver_answers("gone.linkcheck-test.invalid")) is True


@pytest.mark.skipif(not _resolver_says_no_such_name(), reason="this machine's resolver does not answer")
def test_a_resolver_denying_names_that_exist_is_no_network(run):
    # a sandboxed or captive resolver says "no such name" for everything: our links are not
    # all dead at once, so nothing is judged (this was 327 false errors on a machine without network)
    results = run([f"http://gone-{i}.linkcheck-test.invalid/page" for i in range(4)],
                  dns_canaries=("canary-1.linkcheck-test.invalid", "canary-2.linkcheck-test.invalid"))
    assert {(r.verdict, r.reason) for r in results} == {("error", "dns_unreachable")}
    assert is_offline(results) is True


def test_rule_needs_three_hosts_and_no_answer_at_all():
    def r(host: str, reason: str, status: int | None = None) -> Result:
        return Result(url=f"https://{host}/", verdict="error", reason=reason, message="", status=status)

    unreachable = [r(f"h{i}.test", "dns_unreachable") for i in range(19)]
    refused = [r(f"c{i}.test", "connection_error") for i in range(5)]
    assert is_offline(unreachable[:2]) is False  # too few hosts to say
    assert is_offline(unreachable + refused + [r("slow.test", "connect_timeout")]) is True
    assert is_offline(unreachable + [r("up.test", "not_found", 404)]) is False  # one answer is enough
    assert is_offline(unreachable + [r("nx.test", "dns_error")]) is False  # "no such name" is an answer
    # a connection that only stalls proves nothing: firewalls and sandboxes accept and hang
    assert is_offline(unreachable + [r("hang.test", "timeout")]) is True
    assert is_offline(unreachable + [r("hang.test", "timeout"), r("up.test", "ok", 200)]) is False
    assert is_offline(unreachable + [r("tls.test", "tls_error")]) is False
    assert is_offline(refused + [r("x.test", "invalid_url"), r("y.test", "private_address")]) is True
