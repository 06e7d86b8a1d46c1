"""Bot walls: retried with browser-like headers; a real challenge is a warning, never an error."""

from __future__ import annotations

from aiohttp import web

from linkcheck.engine.client import DEFAULT_USER_AGENT
from tests.support.fakeweb import HITS, page, serve_sites, site

CF_CHALLENGE = (
    "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>"
    "<script src='/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1'></script></body></html>"
)


def _is_browser(request: web.Request) -> bool:
    ua = request.headers.get("User-Agent", "")
    return "Mozilla/5.0" in ua and "text/html" in request.headers.get("Accept", "")


async def ua_filter(request: web.Request) -> web.Response:
    if not _is_browser(request):
        return web.Response(status=403, text="Forbidden")
    return page("Welcome, browser")


async def linkedin(request: web.Request) -> web.Response:
    return page("Profile") if _is_browser(request) else web.Response(status=999, text="")


async def cloudflare(request: web.Request) -> web.Response:
    return web.Response(status=403, text=CF_CHALLENGE, content_type="text/html",
                        headers={"cf-mitigated": "challenge", "Server": "cloudflare"})


async def captcha(request: web.Request) -> web.Response:
    return web.Response(status=403, content_type="text/html",
                        text="<html><body><div class='g-recaptcha' data-sitekey='x'></div></body></html>")


async def plain_403(request: web.Request) -> web.Response:
    return web.Response(status=403, text="Forbidden")


async def plain_410(request: web.Request) -> web.Response:
    return web.Response(status=410, text="Gone")


def test_ua_filter_loads_for_browser_headers_is_ok(run_one):
    app = site({"/p": ua_filter})
    with serve_sites(app) as (url,):
        r = run_one(url + "/p")
    assert (r.verdict, r.reason, r.status) == ("ok", "ok", 200)
    uas = [h.headers.get("User-Agent") for h in app[HITS] if h.path == "/p"]
    assert uas[0] == DEFAULT_USER_AGENT and "Mozilla/5.0" in uas[-1]


def test_999_that_loads_for_browser_is_ok(run_one):
    app = site({"/in/someone": linkedin})
    with serve_sites(app) as (url,):
        r = run_one(url + "/in/someone")
    assert (r.verdict, r.reason) == ("ok", "ok")


def test_cloudflare_challenge_is_blocked_warning(run_one):
    app = site({"/p": cloudflare})
    with serve_sites(app) as (url,):
        r = run_one(url + "/p")
    assert (r.verdict, r.reason) == ("warn", "bot_blocked")
    assert r.message.startswith("blocked for robots, not checked")


def test_captcha_is_blocked_warning(run_one):
    app = site({"/p": captcha})
    with serve_sites(app) as (url,):
        r = run_one(url + "/p")
    assert (r.verdict, r.reason) == ("warn", "bot_blocked")


def test_plain_403_for_browser_too_is_error(run_one):
    app = site({"/p": plain_403})
    with serve_sites(app) as (url,):
        r = run_one(url + "/p")
    assert (r.verdict, r.reason, r.status) == ("error", "forbidden", 403)
    assert any("Mozilla/5.0" in h.headers.get("User-Agent", "") for h in app[HITS])


def test_plain_410_is_error(run_one):
    app = site({"/p": plain_410})
    with serve_sites(app) as (url,):
        r = run_one(url + "/p")
    assert (r.verdict, r.reason, r.status) == ("error", "not_found", 410)
