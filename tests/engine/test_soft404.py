"""Soft 404s: a 200 that says "not found", or the host's catch-all page."""

from __future__ import annotations

from aiohttp import web

from tests.support.fakeweb import HITS, page, redirect, serve_sites, site, static


async def catch_all(request: web.Request) -> web.Response:
    if request.path == "/real":
        return page("Real article | Blog", body="<h1>Real article</h1>" + "<p>text</p>" * 400)
    # every other path: the same friendly page, status 200, big enough to skip the small-page GET
    return page("Blog", body="<h1>Nothing here, try search</h1>" + "<p>filler</p>" * 400)


async def home_redirector(request: web.Request) -> web.Response:
    if request.path == "/":
        return page("Home", body="<h1>Welcome</h1>")
    if request.path == "/kept":
        return page("Kept", body="<h1>Kept</h1>")
    return web.Response(status=302, headers={"Location": "/"})


def test_title_says_not_found_is_error(run_one):
    app = site({"/gone": static("Page not found – Example Blog", "<h1>Sorry</h1>")})
    with serve_sites(app) as (url,):
        r = run_one(url + "/gone")
    assert (r.verdict, r.reason, r.status) == ("error", "soft_404", 200)


def test_heading_says_not_found_is_error(run_one):
    app = site({"/gone": static("Example Blog", "<h1>404 - Page Not Found</h1>")})
    with serve_sites(app) as (url,):
        r = run_one(url + "/gone")
    assert (r.verdict, r.reason) == ("error", "soft_404")


def test_page_about_404_errors_is_fine(run_one):
    app = site({"/docs": static("Handling 404 errors in Celery", "<h1>Handling 404 errors</h1>")})
    with serve_sites(app) as (url,):
        r = run_one(url + "/docs")
    assert (r.verdict, r.reason) == ("ok", "ok")


def test_catch_all_host_same_page_is_error_and_real_page_ok(run):
    app = site({"/{tail:.*}": catch_all})
    with serve_sites(app) as (url,):
        gone, real = run([url + "/deleted-post", url + "/real"])
    assert (gone.verdict, gone.reason) == ("error", "soft_404")
    assert (real.verdict, real.reason) == ("ok", "ok")
    probes = [h for h in app[HITS] if h.path.startswith("/linkcheck-probe-")]
    assert len(probes) == 1  # one probe per host, shared


def test_redirect_to_home_page_like_any_missing_path_is_error(run):
    app = site({"/{tail:.*}": home_redirector})
    with serve_sites(app) as (url,):
        gone, home, kept = run([url + "/old-post", url + "/", url + "/kept"])
    assert (gone.verdict, gone.reason) == ("error", "redirected_home")
    assert gone.final_url == url + "/"
    assert gone.message == f"redirected to the home page ({url}/): the page is gone"
    assert (home.verdict, home.reason) == ("ok", "ok")
    assert (kept.verdict, kept.reason) == ("ok", "ok")


def test_honest_host_probed_once_and_pages_trusted(run):
    app = site({"/a": static("A", "<p>a</p>" * 500), "/b": static("B", "<p>b</p>" * 500),
                "/moved": redirect("/a", 302)})
    with serve_sites(app) as (url,):
        results = run([url + "/a", url + "/b", url + "/moved"])
    assert [(r.verdict, r.reason) for r in results] == [("ok", "ok"), ("ok", "ok"),
                                                         ("ok", "redirect_temporary")]
    probes = [h for h in app[HITS] if h.path.startswith("/linkcheck-probe-")]
    assert len(probes) == 1
    # large pages on a host that 404s honestly are judged by HEAD alone
    assert [h.method for h in app[HITS] if h.path == "/b"] == ["HEAD"]


def test_not_found_phrases():
    from linkcheck.engine.verdict import says_not_found

    for text in ["404 Not Found", "Page not found – Example", "Example | Page Not Found", "Error 404",
                 "Oops! That page can’t be found.", "The page you requested does not exist"]:
        assert says_not_found(text), text
    for text in ["Handling 404 errors in Celery", "404 Not Found · Issue #12 · celery/celery",
                 "Celery: Distributed Task Queue", "Gone Girl", "", None]:
        assert not says_not_found(text), text
