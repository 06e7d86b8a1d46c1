"""SSRF guard: private, loopback and link-local targets refused by default, also after
redirects and after DNS resolution; allow_private lifts it."""

from __future__ import annotations

import ipaddress

import pytest

from linkcheck.engine.ssrf import is_blocked_ip
from tests.support.fakeweb import HITS, redirect, serve_sites, site, static
from tests.support.servers import serve_app


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/", "http://10.1.2.3/", "http://192.168.0.1/", "http://172.16.5.4/",
    "http://169.254.169.254/latest/meta-data/", "http://[::1]/", "http://[fe80::1]/",
    "http://[::ffff:127.0.0.1]/", "http://0.0.0.0/", "http://100.64.0.1/",
])
def test_private_literals_refused_without_a_request(run_one, url):
    r = run_one(url, allow_private=False)
    assert (r.verdict, r.reason, r.status) == ("error", "private_address", None)


def test_redirect_into_private_network_refused():
    # the public-looking host is exempted; what it redirects to is not
    inner = site({"/secret": static("Secret")})
    with serve_sites(inner, first_host=2) as (inner_url,):
        outer = site({"/go": redirect(inner_url + "/secret", 302)})
        with serve_sites(outer, first_host=1) as (outer_url,):
            from linkcheck.engine.run import check
            from tests.engine.conftest import fast_options

            (r,) = check([outer_url + "/go"], fast_options(allow_private=False,
                                                            ssrf_exempt=frozenset({"127.0.1.1"})))
    assert (r.verdict, r.reason) == ("error", "private_address")
    assert r.redirects == [(302, inner_url + "/secret")]
    assert inner[HITS] == []


def test_name_resolving_to_private_address_refused(run):
    app = site({"/": static("Home")})
    with serve_app(app, "127.0.0.1") as url:
        port = url.rsplit(":", 1)[1]
        # "localhost" through the system resolver, the other through a fixed answer
        names = [f"http://localhost:{port}/", f"http://intranet.example:{port}/"]
        refused = run(names, allow_private=False, resolve={"intranet.example": "127.0.0.1"})
        allowed = run(names, allow_private=True, resolve={"intranet.example": "127.0.0.1"})
    assert [(r.verdict, r.reason) for r in refused] == [("error", "private_address")] * 2
    assert [(r.verdict, r.reason) for r in allowed] == [("ok", "ok")] * 2


def test_public_addresses_allowed():
    for ip in ("8.8.8.8", "2606:4700:4700::1111", "151.101.1.69"):
        assert not is_blocked_ip(ipaddress.ip_address(ip))


@pytest.mark.parametrize("ip", [
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254 (cloud metadata)
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b:1::808:808",  # local-use NAT64 prefix: refused whatever it embeds
    "::127.0.0.1", "::10.0.0.1", "::8.8.8.8",  # deprecated IPv4-compatible form
    "fec0::1", "feff::1",  # site-local
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
])
def test_ipv6_transition_forms_refused(ip):
    assert is_blocked_ip(ipaddress.ip_address(ip))


def test_nat64_of_a_public_address_allowed():
    assert not is_blocked_ip(ipaddress.ip_address("64:ff9b::808:808"))  # 8.8.8.8 via NAT64


@pytest.mark.parametrize("url", ["http://[64:ff9b::a9fe:a9fe]/latest/meta-data/", "http://[::127.0.0.1]/",
                                 "http://[fec0::1]/", "http://[64:ff9b:1::a00:1]/"])
def test_ipv6_transition_literals_refused_without_a_request(run_one, url):
    r = run_one(url, allow_private=False)
    assert (r.verdict, r.reason, r.status) == ("error", "private_address", None)
