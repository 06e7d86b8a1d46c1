"""Redirects: followed (relative Location too), chain recorded, permanent vs temporary."""

from __future__ import annotations

import pytest

from tests.support.fakeweb import redirect, serve_sites, site, static, status


@pytest.fixture(scope="module")
def base():
    app = site({
        "/final": static("Final"),
        "/perm": redirect("/final", 301),
        "/perm308": redirect("/final", 308),
        "/relative/start": redirect("../final", 302),
        "/temp303": redirect("/final", 303),
        "/temp307": redirect("/final", 307),
        "/to-404": redirect("/missing", 302),
        "/missing": status(404),
        "/loop-a": redirect("/loop-b", 302),
        "/loop-b": redirect("/loop-a", 302),
        "/no-location": status(302),
        "/chain/{n}": _chain,
    })
    with serve_sites(app) as (url,):
        yield url


async def _chain(request):
    from aiohttp import web

    n = int(request.match_info["n"])
    if n == 0:
        return web.Response(text="<title>end</title>", content_type="text/html")
    return web.Response(status=302, headers={"Location": f"/chain/{n - 1}"})


@pytest.mark.parametrize("path", ["/perm", "/perm308"])
def test_permanent_redirect_to_live_page_warns(run_one, base, path):
    r = run_one(base + path)
    assert (r.verdict, r.reason) == ("warn", "moved_permanently")
    assert r.final_url == base + "/final"
    assert r.message == f"moved permanently, update to {base}/final"
    assert r.redirects == [(301 if path == "/perm" else 308, base + "/final")]
    assert r.status == 200


@pytest.mark.parametrize("path", ["/temp303", "/temp307"])
def test_temporary_redirect_to_live_page_is_ok(run_one, base, path):
    r = run_one(base + path)
    assert (r.verdict, r.reason) == ("ok", "redirect_temporary")
    assert r.final_url == base + "/final"


def test_relative_location_is_resolved(run_one, base):
    r = run_one(base + "/relative/start")
    assert (r.verdict, r.reason) == ("ok", "redirect_temporary")
    assert r.redirects == [(302, base + "/final")]


def test_chain_ending_in_error_is_error(run_one, base):
    r = run_one(base + "/to-404")
    assert (r.verdict, r.reason, r.status) == ("error", "not_found", 404)
    assert r.final_url == base + "/missing"


def test_loop_is_error(run_one, base):
    r = run_one(base + "/loop-a")
    assert (r.verdict, r.reason) == ("error", "redirect_loop")


def test_more_than_twenty_hops_is_error(run_one, base):
    assert run_one(base + "/chain/20").reason == "redirect_temporary"  # 20 hops: allowed
    r = run_one(base + "/chain/21")
    assert (r.verdict, r.reason) == ("error", "too_many_redirects")


def test_redirect_without_location_is_error(run_one, base):
    r = run_one(base + "/no-location")
    assert (r.verdict, r.reason) == ("error", "bad_redirect")
