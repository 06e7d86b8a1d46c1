"""The real web's next tier of verdicts (issue 23), each with the look-alike that stays clean:
a deep page sent to an index, a whole host sent to another site's front page, a redirect to
an error page, empty and script-only pages, a canonical link to a not-found page, sign-in
walls, line-number fragments on code hosts, a parked page known by its title."""

from __future__ import annotations

from aiohttp import web

from linkcheck.engine.reasons import TABLE
from tests.support.fakeweb import redirect, serve_sites, site, static

ARTICLE = "<p>" + "Task queues move slow work out of the request. " * 120 + "</p>"  # ~5,700 chars


def _named(url: str, name: str) -> str:
    """``url`` (http://127.0.1.N:PORT) under a host name, reached through CheckOptions.resolve."""
    return f"http://{name}:{url.rsplit(':', 1)[1]}"


# --- a deep docs page sent to the docs index ------------------------------------------------

def _docs_site() -> web.Application:
    return site({
        "/en/latest/": static("Example Docs – latest", "<h1>Example documentation</h1>" + ARTICLE),
        "/en/latest/guide/retries.html": static("Retries – Example Docs", "<h1>Retries</h1>" + ARTICLE),
        "/en/1.0/guide/tasks.html": redirect("/en/latest/", 301),
        "/en/1.0/guide/retries.html": redirect("/en/latest/guide/retries.html", 301),
        "/blog/": static("Blog", "<h1>All posts</h1>" + ARTICLE),
        "/blog/2019/05/removed-post": redirect("/blog/", 302),
        "/docs/index.html": static("Docs", "<h1>Docs</h1>" + ARTICLE),
        "/docs/old-page.html": redirect("/docs/index.html", 301),
        "/docs/latest/": redirect("/docs/index.html", 302),
    })


def test_deep_page_sent_to_the_docs_or_section_index_is_gone(run):
    with serve_sites(_docs_site(), first_host=140) as (url,):
        old_version, section, docs = run([url + "/en/1.0/guide/tasks.html",
                                          url + "/blog/2019/05/removed-post", url + "/docs/old-page.html"])
    for r in (old_version, section, docs):
        assert (r.verdict, r.reason) == ("error", "redirected_index"), r
        assert r.message.startswith("redirected to an index page")
    assert old_version.final_url == url + "/en/latest/"


def test_same_page_in_the_latest_version_is_a_move_and_an_index_link_stays_alive(run):
    with serve_sites(_docs_site(), first_host=140) as (url,):
        same_page, index_link = run([url + "/en/1.0/guide/retries.html", url + "/docs/latest/"])
    assert (same_page.verdict, same_page.reason) == ("warn", "moved_permanently")
    assert same_page.message == f"moved permanently, update to {url}/en/latest/guide/retries.html"
    assert (index_link.verdict, index_link.reason) == ("ok", "redirect_temporary")


# --- a whole host sent to another site's front page ----------------------------------------

def test_whole_host_redirected_to_another_sites_root_is_gone_and_never_a_fix_target(tmp_path):
    from linkcheck.runs.local import run_check
    from linkcheck.store import Store
    from linkcheck.upkeep.fix import fix_redirects
    from tests.support.tworuns import make_settings

    acquirer = site({"/": static("BigCorp – Home", "<h1>BigCorp</h1>" + ARTICLE)})
    with serve_sites(acquirer, first_host=143) as (big,):
        acquired = site({"/{tail:.*}": redirect(big + "/", 301)})  # every path, a random one too
        moved = site({"/project": redirect(big + "/", 301)})  # one page moved; the rest is 404
        with serve_sites(acquired, moved, first_host=144) as (old, personal):
            content = tmp_path / "content" / "pages"
            content.mkdir(parents=True)
            (content / "services.md").write_text(
                f"Title: Services\n\nThe [hosted queue API]({old}/docs/api/queues).\n\n"
                f"Its [home]({old}/) and [the project]({personal}/project).\n", encoding="utf-8")
            settings = make_settings(tmp_path)
            with Store.from_settings(settings) as store:
                summary = run_check(settings, [tmp_path / "content"], store=store, root=tmp_path)
                results = {r.url: r for r in summary.results}
                fixed = fix_redirects(settings, store, dry_run=True)
    deep = results[f"{old}/docs/api/queues"]
    assert (deep.verdict, deep.reason) == ("error", "host_redirected")
    assert deep.message.startswith(f"the whole site now redirects to {big}/")
    # the link to the old home page and a single page moved to its new domain are moves
    assert results[f"{old}/"].reason == "moved_permanently"
    assert (results[f"{personal}/project"].verdict, results[f"{personal}/project"].reason) == (
        "warn", "moved_permanently")
    # fix --redirects rewrites the moves, never the page that is gone
    assert f"+Its [home]({big}/) and [the project]({big}/)." in fixed.diff
    assert f"[hosted queue API]({big}/)" not in fixed.diff and fixed.refused == []
    assert not TABLE["host_redirected"].permanent_move


# --- a redirect to a URL that names an error page --------------------------------------------

TURKISH_ERROR = ("<h1>Hata</h1><p>Aradığınız sayfaya şu anda ulaşılamıyor. Ana sayfaya dönmek için "
                 "tıklayınız.</p>")


def _shop() -> web.Application:
    return site({
        "/": static("Mağaza", "<h1>Mağaza</h1>" + ARTICLE),
        "/urun/123": redirect("/Hata/SayfaBulunamadi?aspxerrorpath=/urun/123", 302),
        "/Hata/SayfaBulunamadi": static("Mağaza", TURKISH_ERROR),
        "/old-guide": redirect("/error", 301),
        "/error": static("Example", "<p>Something went wrong.</p>"),
        "/removed": redirect("/404", 302),
        "/404": static("Example", "<p>Nothing here.</p>"),
        "/fr/guide": redirect("/fr/page-introuvable/", 302),
        "/fr/page-introuvable/": static("Exemple", "<p>Retour à l'accueil.</p>"),
        "/legacy": redirect("/Error/Index?aspxerrorpath=/legacy", 302),
        "/Error/Index": redirect("/", 302),
        # look-alikes: an article about HTTP errors, a reference page named Error
        "/blog/old-404-post": redirect("/blog/404-errors-explained", 301),
        "/blog/404-errors-explained": static("HTTP 404 errors explained", "<h1>HTTP 404 errors explained</h1>"
                                             + ARTICLE),
        "/en/docs/Global_Objects/Error": redirect("/en-US/docs/Global_Objects/Error", 301),
        "/en-US/docs/Global_Objects/Error": static("Error – Reference", "<h1>Error</h1>" + ARTICLE),
    })


def test_redirect_to_a_url_that_names_an_error_page_is_judged_with_that_page(run):
    with serve_sites(_shop(), first_host=146) as (url,):
        results = run([url + p for p in ("/urun/123", "/old-guide", "/removed", "/fr/guide", "/legacy")])
    for r in results:
        assert (r.verdict, r.reason) == ("error", "soft_404"), r
        assert "error page" in r.message
    assert results[0].final_url == url + "/Hata/SayfaBulunamadi?aspxerrorpath=/urun/123"


def test_an_article_about_errors_and_a_page_named_error_stay_alive(run):
    with serve_sites(_shop(), first_host=146) as (url,):
        article, reference = run([url + "/blog/old-404-post", url + "/en/docs/Global_Objects/Error"])
    assert (article.verdict, article.reason) == ("warn", "moved_permanently")
    assert (reference.verdict, reference.reason) == ("warn", "moved_permanently")


# --- empty pages and pages that are only a script sending the reader home --------------------

def _stubs() -> web.Application:
    async def empty(request: web.Request) -> web.Response:
        return web.Response(body=b"", content_type="text/html")

    async def blank(request: web.Request) -> web.Response:
        return web.Response(text="\n   \r\n\t\n", content_type="text/html")

    async def empty_json(request: web.Request) -> web.Response:  # as nginx serves an empty file
        return web.Response(body=b"", content_type="application/json", headers={"Content-Length": "0"})

    async def streamed_empty(request: web.Request) -> web.StreamResponse:  # chunked: no length known
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        await response.write_eof()
        return response

    script_home = ('<!doctype html><html><head><title>Redirecting</title><script>window.location.href = "/";'
                   '</script></head><body></body></html>')
    script_replace = "<html><body><script>\n  location.replace('/');\n</script></body></html>"
    small = "<!doctype html><html><head><title>Hello</title></head><body><p>A small page, but a real one.</p>"
    with_script = ('<!doctype html><html><head><title>Guide</title></head><body><h1>Guide</h1>' + ARTICLE
                   + '<script>if (false) { window.location.href = "/"; }</script></body></html>')

    def fixed(text: str):  # noqa: ANN202
        async def handler(request: web.Request) -> web.Response:
            return web.Response(text=text, content_type="text/html")
        return handler

    return site({
        "/": static("Example – Home", "<h1>Welcome</h1>" + ARTICLE),
        "/empty": empty, "/blank": blank, "/data.json": empty_json, "/streamed": streamed_empty,
        "/moved-by-script": fixed(script_home), "/gone-by-script": fixed(script_replace),
        "/small": fixed(small), "/guide": fixed(with_script),
    })


def test_empty_pages_are_gone(run):
    with serve_sites(_stubs(), first_host=148) as (url,):
        results = run([url + p for p in ("/empty", "/blank", "/data.json", "/streamed")])
    for r in results:
        assert (r.verdict, r.reason, r.status) == ("error", "empty_page", 200), r
        assert r.message == "the page is empty although it answers 200"


def test_a_page_that_is_only_a_script_sending_the_reader_home_is_gone(run):
    with serve_sites(_stubs(), first_host=148) as (url,):
        href, replace = run([url + "/moved-by-script", url + "/gone-by-script"])
    for r in (href, replace):
        assert (r.verdict, r.reason) == ("error", "redirected_home"), r
        assert r.final_url == url + "/"


def test_a_small_real_page_and_a_page_with_a_script_stay_alive(run):
    with serve_sites(_stubs(), first_host=148) as (url,):
        small, guide = run([url + "/small", url + "/guide"])
    assert (small.verdict, small.reason) == ("ok", "ok")
    assert (guide.verdict, guide.reason) == ("ok", "ok")


# --- a canonical link naming a not-found page ------------------------------------------------

def test_a_canonical_link_to_a_not_found_page_is_a_soft_404(run):
    def with_canonical(href: str, title: str = "Queue Pro 3000 – Shop"):  # noqa: ANN202
        return static(title, "<h1>Our products</h1><p>Browse the catalogue.</p>",
                      head=f'<link rel="canonical" href="{href}">')

    app = site({
        "/product/9": with_canonical("/404"),
        "/product/10": with_canonical("https://shop.example/not-found/"),
        "/product/11": with_canonical("/product/11"),  # itself: a real page
        "/blog/404-errors-explained": with_canonical("/blog/404-errors-explained",
                                                     "HTTP 404 errors explained"),
    })
    with serve_sites(app, first_host=150) as (url,):
        paths = ("/product/9", "/product/10", "/product/11", "/blog/404-errors-explained")
        gone, gone_elsewhere, real, article = run([url + p for p in paths])
    for r in (gone, gone_elsewhere):
        assert (r.verdict, r.reason) == ("error", "soft_404"), r
        assert "canonical link" in r.message
    assert (real.verdict, real.reason) == ("ok", "ok")
    assert (article.verdict, article.reason) == ("ok", "ok")


# --- sign-in walls ----------------------------------------------------------------------------

def test_a_redirect_to_a_sign_in_page_on_another_host_is_login_required(run):
    form = static("Sign in to your account", "<form><input name=user></form>")
    sign_in = site({"/common/oauth2/authorize": form, "/ServiceLogin": form,
                    "/login": static("Log in – IdP", "<form><input name=user></form>")})
    with serve_sites(sign_in, first_host=152) as (idp,):
        login = _named(idp, "login.idp.example")
        accounts = _named(idp, "accounts.idp.example")
        wiki = site({
            "/wiki/Runbook": redirect(f"{login}/common/oauth2/authorize?client_id=1&redirect_uri=x", 302),
            "/share/report": redirect(f"{accounts}/ServiceLogin?continue=/share/report", 301),
            "/account": redirect("/login?next=/account", 302),  # the site's own login: a plain redirect
            "/login": static("Log in", "<form></form>"),
        })
        with serve_sites(wiki, first_host=153) as (url,):
            resolve = (("login.idp.example", "127.0.1.152"), ("accounts.idp.example", "127.0.1.152"))
            runbook, report, own, idp_itself = run([url + "/wiki/Runbook", url + "/share/report",
                                                    url + "/account", login + "/login"], resolve=resolve)
    for r in (runbook, report):
        assert (r.verdict, r.reason) == ("warn", "login_required"), r
        assert r.message.startswith("login required: redirected to a sign-in page")
    assert "login.idp.example" in runbook.message
    assert (own.verdict, own.reason) == ("ok", "redirect_temporary")
    assert (idp_itself.verdict, idp_itself.reason) == ("ok", "ok")  # a link to the sign-in page itself
    assert not TABLE["login_required"].permanent_move and TABLE["login_required"].fix


# --- line-number fragments on code hosts are not anchors ---------------------------------------

def test_line_fragments_on_code_hosts_are_not_anchors(run):
    source = static("app.py at main · owner/repo",
                    "<h1>app.py</h1><table><tr><td>import queue</td></tr></table>")
    pdf = b"%PDF-1.4\n" + b"0" * 4000

    async def document(request: web.Request) -> web.Response:
        return web.Response(body=pdf, content_type="application/pdf")

    app = site({"/owner/repo/blob/main/app.py": source, "/owner/repo/-/blob/main/app.py": source,
                "/owner/repo/src/main/app.py": source, "/spa": static("App", "<div id=root></div>"),
                "/guide.pdf": document})
    with serve_sites(app, first_host=155) as (url,):
        hosts = ("github.com", "gitlab.com", "bitbucket.org", "docs.example")
        resolve = tuple((h, "127.0.1.155") for h in hosts)
        gh, gl, bb, docs = (_named(url, h) for h in hosts)
        urls = [gh + "/owner/repo/blob/main/app.py#L10-L20", gh + "/owner/repo/blob/main/app.py#L10",
                gh + "/owner/repo/blob/main/app.py#L3C5-L9C2", gl + "/owner/repo/-/blob/main/app.py#L10-20",
                bb + "/owner/repo/src/main/app.py#lines-10", bb + "/owner/repo/src/main/app.py#lines-10:20",
                # look-alikes that stay clean, and real anchors that are still checked
                docs + "/spa#top", docs + "/spa#/settings/profile", docs + "/guide.pdf#page=3",
                gh + "/owner/repo/blob/main/app.py#no-such-heading", docs + "/spa#L10"]
        results = run(urls, resolve=resolve)
    *lines, top, route, pdf_page, missing, not_code_host = results
    for r in lines + [top, route, pdf_page]:
        assert r.verdict == "ok", r
    assert (missing.verdict, missing.reason) == ("warn", "anchor_missing")
    assert (not_code_host.verdict, not_code_host.reason) == ("warn", "anchor_missing")  # only code hosts


# --- a parked page known by its title, on a host that answers other paths with 404 -------------

def test_parked_page_on_a_host_with_real_404s_is_parked_by_its_title(run):
    # a small page (fetched whole); any other path of the host is a plain 404
    app = site({"/": static("example-queue.com – This domain may be for sale", "<div id=lander></div>")})
    with serve_sites(app, first_host=157) as (url,):
        r = run([url + "/"])[0]
    assert (r.verdict, r.reason) == ("error", "parked_domain")
    assert "title says the domain is for sale" in r.message
