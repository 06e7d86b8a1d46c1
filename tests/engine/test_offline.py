"""Offline is not broken: when nearly every host fails at DNS/connect level, say so."""

from __future__ import annotations

from linkcheck.engine.check import is_offline
from linkcheck.model import Result
from tests.support.fakeweb import serve_sites, site, static
from tests.support.servers import free_port


def _refused_urls(n: int) -> list[str]:
    # nothing listens on these ports: connection refused, like a machine without network
    return [f"http://127.0.2.{i}:{free_port(f'127.0.2.{i}')}/page" for i in range(1, n + 1)]


def test_no_network_is_offline(run):
    results = run(_refused_urls(5))
    assert [(r.verdict, r.reason) for r in results] == [("error", "connection_error")] * 5
    assert is_offline(results) is True


def test_some_dead_hosts_among_live_ones_is_online(run):
    app = site({"/": static("Home")})
    with serve_sites(app) as (url,):
        results = run([url + "/", *_refused_urls(3)])
    assert results[0].verdict == "ok"
    assert is_offline(results) is False


def test_rule_needs_three_hosts_and_ninety_percent():
    def r(host: str, reason: str, status: int | None = None) -> Result:
        return Result(url=f"https://{host}/", verdict="error", reason=reason, message="", status=status)

    assert is_offline([r("a.test", "dns_error"), r("b.test", "dns_error")]) is False  # too few hosts
    many = [r(f"h{i}.test", "dns_error") for i in range(19)]
    assert is_offline(many + [r("up.test", "not_found", 404)]) is True  # 95% failed
    assert is_offline(many[:8] + [r("up.test", "not_found", 404), r("up2.test", "ok", 200)]) is False
    # a host with one answering URL is not network-failed
    assert is_offline([r("a.test", "dns_error"), r("a.test", "not_found", 404), *many[:2]]) is False
