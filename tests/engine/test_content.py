"""Page content: fragments, meta refresh, compression, charsets, IDN, percent-encoding."""

from __future__ import annotations

import gzip

import brotli
from aiohttp import web

from tests.support.fakeweb import HITS, page, serve_sites, site, static

ANCHORS = '<h2 id="install">Install</h2><a name="legacy"></a><p id="caf%C3%A9-x">x</p><p id="café">c</p>'


def test_fragment_present_ok_missing_warn(run):
    app = site({"/doc": static("Doc", ANCHORS)})
    with serve_sites(app) as (url,):
        results = run([url + "/doc#install", url + "/doc#legacy", url + "/doc#nope", url + "/doc",
                       url + "/doc#caf%C3%A9", url + "/doc#top"])
    got = [(r.verdict, r.reason) for r in results]
    assert got == [("ok", "ok"), ("ok", "ok"), ("warn", "anchor_missing"), ("ok", "ok"),
                   ("ok", "ok"), ("ok", "ok")]
    assert results[2].message.startswith("page is live but the #anchor is missing")
    # all six URLs are one page: fetched once (GET, because anchors need the body)
    assert [h.method for h in app[HITS] if h.path == "/doc"] == ["GET"]


def test_fragment_on_dead_page_is_error(run_one):
    app = site({})
    with serve_sites(app) as (url,):
        r = run_one(url + "/nothing#install")
    assert (r.verdict, r.reason) == ("error", "not_found")


def test_meta_refresh_judged_by_target(run):
    app = site({
        "/stub-dead": static("Moved", head='<meta http-equiv="refresh" content="0; url=/gone">'),
        "/stub-live": static("Moved", head="<meta http-equiv='Refresh' content='2;URL=\"/alive\"'>"),
        "/alive": static("Alive", "<p>x</p>"),
    })
    with serve_sites(app) as (url,):
        dead, live = run([url + "/stub-dead", url + "/stub-live"])
    assert (dead.verdict, dead.reason, dead.status) == ("error", "not_found", 404)
    assert dead.redirects == [(200, url + "/gone")]
    assert (live.verdict, live.reason) == ("ok", "redirect_temporary")
    assert live.final_url == url + "/alive"


def _compressed(encoding: str):
    html = b"<html><head><title>Compressed page</title></head><body><p id='deep'>x</p></body></html>"
    body = gzip.compress(html) if encoding == "gzip" else brotli.compress(html)

    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=body, headers={"Content-Encoding": encoding,
                                                "Content-Type": "text/html; charset=utf-8"})

    return handler


def test_gzip_and_brotli_bodies(run):
    app = site({"/gz": _compressed("gzip"), "/br": _compressed("br")})
    with serve_sites(app) as (url,):
        gz, br = run([url + "/gz#deep", url + "/br#deep"])
    assert (gz.verdict, gz.reason, gz.title) == ("ok", "ok", "Compressed page")
    assert (br.verdict, br.reason, br.title) == ("ok", "ok", "Compressed page")
    assert "br" in app[HITS][0].headers.get("Accept-Encoding", "")


def test_non_utf8_charsets_decode_titles(run):
    latin = "<html><head><title>Caf\u00e9 cr\u00e8me</title></head><body>x</body></html>".encode("latin-1")
    sjis = ('<html><head><meta charset="shift_jis"><title>\u30bf\u30b9\u30af</title></head>'
            "<body>x</body></html>").encode("shift_jis")

    async def by_header(request: web.Request) -> web.Response:
        return web.Response(body=latin, headers={"Content-Type": "text/html; charset=iso-8859-1"})

    async def by_meta(request: web.Request) -> web.Response:
        return web.Response(body=sjis, headers={"Content-Type": "text/html"})

    app = site({"/latin": by_header, "/sjis": by_meta})
    with serve_sites(app) as (url,):
        a, b = run([url + "/latin", url + "/sjis"])
    assert (a.verdict, a.title) == ("ok", "Caf\u00e9 cr\u00e8me")
    assert (b.verdict, b.title) == ("ok", "\u30bf\u30b9\u30af")


def test_idn_host_is_sent_as_punycode(run_one):
    async def handler(request: web.Request) -> web.Response:
        return page("IDN") if request.host.startswith("xn--bcher-kva.test") else web.Response(status=400)

    app = site({"/": handler})
    with serve_sites(app) as (url,):
        port = url.rsplit(":", 1)[1]
        r = run_one(f"http://b\u00fccher.test:{port}/", resolve={"xn--bcher-kva.test": "127.0.1.1"})
    assert (r.verdict, r.reason) == ("ok", "ok")
    assert r.url == f"http://b\u00fccher.test:{port}/"  # reported as written
    assert app[HITS][0].headers["Host"] == f"xn--bcher-kva.test:{port}"


def test_percent_encoding_preserved_as_written(run):
    async def handler(request: web.Request) -> web.Response:
        return page("ok") if request.raw_path in ("/a%2Fb", "/caf%C3%A9", "/x%20y?q=%26") else \
            web.Response(status=404)

    app = site({"/{tail:.*}": handler})
    with serve_sites(app) as (url,):
        results = run([url + "/a%2Fb", url + "/caf\u00e9", url + "/x%20y?q=%26", url + "/x y"])
    assert [(r.verdict, r.reason) for r in results] == [("ok", "ok")] * 3 + [("error", "invalid_url")]
    assert results[3].message == "invalid URL: whitespace inside the URL"  # written so: the author fixes it
    assert {"/a%2Fb", "/caf%C3%A9", "/x%20y?q=%26"} <= {h.path for h in app[HITS]}
