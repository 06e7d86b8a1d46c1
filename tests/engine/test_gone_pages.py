"""Pages that are gone although something answers 200: sent to the home page, parked or
for sale, or a "not found" page in words. Each rule with the look-alike that stays alive."""

from __future__ import annotations

import pytest
from aiohttp import web

from linkcheck.engine.verdict import permanent_target
from tests.support.fakeweb import page, redirect, serve_sites, site, static

ARTICLE = "<p>" + "Task queues move slow work out of the request. " * 120 + "</p>"  # ~5,700 chars


def _stays_alive(run, body: str, first_host: int) -> None:
    """``body`` is judged alive where a gone page's words would be looked for: on a host that
    answers every path with 2xx (each with its own title), directly and after a redirect."""
    async def handler(request: web.Request) -> web.Response:
        return page(f"{request.path} – Blog", body)

    app = site({"/go": redirect("/post", 302), "/{tail:.*}": handler})
    with serve_sites(app, first_host=first_host) as (url,):
        direct, redirected = run([url + "/post", url + "/go"])
    assert (direct.verdict, direct.reason) == ("ok", "ok")
    assert (redirected.verdict, redirected.reason) == ("ok", "redirect_temporary")


# --- 1. removed pages sent to the home page -----------------------------------------------

def _home_site() -> web.Application:
    return site({
        "/": static("Example – Home", "<h1>Welcome</h1>" + ARTICLE),
        "/en/": static("Example – Home", "<h1>Welcome</h1>" + ARTICLE),
        "/old-post": redirect("/", 301),
        "/2019/05/removed": redirect("/en/", 302),
        "/landing": redirect("/en/", 301),
        "/docs": redirect("/docs/", 301),
        "/docs/": static("Docs", ARTICLE),
    })


def test_deep_link_redirected_to_the_home_page_is_dead(run):
    with serve_sites(_home_site(), first_host=21) as (url,):
        permanent, temporary = run([url + "/old-post", url + "/2019/05/removed"])
    for r in (permanent, temporary):
        assert (r.verdict, r.reason, r.status) == ("error", "redirected_home", 200)
        assert "home page" in r.message
    assert permanent.final_url == url + "/"
    assert temporary.final_url == url + "/en/"


def test_landing_links_and_trailing_slash_moves_stay_alive(run):
    with serve_sites(_home_site(), first_host=21) as (url,):
        root, language, docs = run([url + "/", url + "/en", url + "/docs"])
    assert (root.verdict, root.reason) == ("ok", "ok")
    assert (docs.verdict, docs.reason) == ("warn", "moved_permanently")
    assert docs.message == f"moved permanently, update to {url}/docs/"
    # "/en" (a landing page itself) sent to "/en/": the link is the home page, not a removed one
    assert language.reason != "redirected_home"


def test_deep_link_moved_to_another_sites_root_is_a_move(run_one):
    # a project that moved to its own domain: the new site's front page is the right target
    new = site({"/": static("Project", "<h1>Project</h1>" + ARTICLE)})
    with serve_sites(new, first_host=23) as (new_url,):
        old = site({"/project": redirect(new_url + "/", 301)})
        with serve_sites(old, first_host=24) as (old_url,):
            r = run_one(old_url + "/project")
    assert (r.verdict, r.reason) == ("warn", "moved_permanently")


# --- 9. the target of a move is the end of the permanent hops ------------------------------

def test_move_target_is_the_last_permanent_hop_not_the_login_page(run):
    app = site({
        "/a": redirect("/b", 301),
        "/b": redirect("/c", 308),
        "/c": redirect("/login?next=/c", 302),
        "/login": static("Sign in", ARTICLE),
        "/t": redirect("/a", 302),
    })
    with serve_sites(app, first_host=25) as (url,):
        moved, temp_first = run([url + "/a", url + "/t"])
    assert (moved.verdict, moved.reason) == ("warn", "moved_permanently")
    assert moved.final_url == url + "/login?next=/c"
    assert moved.message == f"moved permanently, update to {url}/c"
    assert permanent_target(moved.redirects) == url + "/c"
    # a link whose first hop is temporary has not moved, whatever follows
    assert (temp_first.verdict, temp_first.reason) == ("ok", "redirect_temporary")


# --- 3. parked and for-sale domains -----------------------------------------------------------

PARKED_TEXT = ('<h1>example-queue.com</h1><p>This domain may be for sale!</p>'
               '<a href="/buy">Buy this domain</a>')
PARKING_SCRIPT = ('<div id="root"></div>'
                  '<script src="https://img1.wsimg.com/parking-lander/static/js/main.js"></script>')


def _catch_all(title: str, body: str) -> web.Application:
    async def handler(request: web.Request) -> web.Response:
        return page(title, body)

    return site({"/{tail:.*}": handler})


@pytest.mark.parametrize("body", [PARKED_TEXT, PARKING_SCRIPT], ids=["words", "provider-script"])
def test_parked_domain_is_dead_with_its_own_reason(run, body):
    with serve_sites(_catch_all("example-queue.com", body), first_host=26) as (url,):
        root, deep = run([url + "/", url + "/docs/getting-started"])
    for r in (root, deep):
        assert (r.verdict, r.reason) == ("error", "parked_domain")
        assert r.message.startswith("the domain is parked or for sale")


def test_redirect_to_a_domain_marketplace_is_parked(run_one):
    market = site({"/{tail:.*}": static("Premium domains", ARTICLE)})
    with serve_sites(market, first_host=27) as (market_url,):
        port = market_url.rsplit(":", 1)[1]
        lapsed = site({"/{tail:.*}": redirect(f"http://www.hugedomains.com:{port}/domain_profile.cfm", 302)})
        with serve_sites(lapsed, first_host=28) as (url,):
            r = run_one(url + "/guide", resolve=(("www.hugedomains.com", "127.0.1.27"),))
    assert (r.verdict, r.reason) == ("error", "parked_domain")
    assert "hugedomains.com" in r.message


def test_real_page_about_buying_domains_stays_alive(run):
    prose = ("<h1>Choosing a domain for your project</h1><p>When we registered ours, the domain we "
             "wanted was for sale at a premium; we bought a shorter one instead. See "
             '<a href="https://dan.com/">a marketplace</a> and '
             '<a href="https://sedo.com/">another</a> for prices.</p>' + ARTICLE)
    _stays_alive(run, prose, first_host=29)


# --- 2. "not found" in words, after a temporary redirect or directly ---------------------------

NOT_FOUND_PAGES = {
    "en": ("Example Docs", "<h2>We can't find that page</h2><p>Try the search.</p>"),
    "de": ("Beispiel", "<p>Die angeforderte Seite wurde nicht gefunden.</p>"),
    "fr": ("Exemple", "<h2>Page introuvable</h2><p>Retour à l'accueil</p>"),
    "es": ("Ejemplo", "<p>Lo sentimos, la página que buscas no existe.</p>"),
    "pt": ("Exemplo", "<p>A página que você procura não foi encontrada.</p>"),
    "ja": ("例", "<h2>お探しのページは見つかりませんでした</h2>"),
    "zh": ("示例", "<p>抱歉，您访问的页面不存在。</p>"),
}


@pytest.mark.parametrize("lang", sorted(NOT_FOUND_PAGES))
def test_not_found_in_words_after_a_temporary_redirect(run_one, lang):
    title, body = NOT_FOUND_PAGES[lang]
    app = site({"/old": redirect("/error", 302), "/error": static(title, body)})
    with serve_sites(app, first_host=30) as (url,):
        r = run_one(url + "/old")
    assert (r.verdict, r.reason) == ("error", "soft_404")


@pytest.mark.parametrize("lang", sorted(NOT_FOUND_PAGES))
def test_not_found_in_words_served_directly(run_one, lang):
    title, body = NOT_FOUND_PAGES[lang]

    async def handler(request: web.Request) -> web.Response:
        # a different title per path, so only the words give it away
        return page(f"{request.path.strip('/')} – {title}", body)

    with serve_sites(site({"/{tail:.*}": handler}), first_host=31) as (url,):
        r = run_one(url + "/removed-article")
    assert (r.verdict, r.reason, r.status) == ("error", "soft_404", 200)


def test_article_about_404_errors_stays_alive(run):
    article = ("<h1>HTTP 404 errors explained</h1><h2>What does 404 Not Found mean?</h2>"
               "<p>When a server says <q>The page you are looking for does not exist</q> or "
               "<q>We can't find that page</q>, it usually answers 404.</p>" + ARTICLE)

    _stays_alive(run, article, first_host=32)


def test_app_shell_that_only_says_enable_javascript_stays_alive(run_one):
    # a single-page app: the same shell for every path, the probe's included
    shell = '<noscript>You need to enable JavaScript to run this app.</noscript><div id="root"></div>'
    with serve_sites(_catch_all("Dashboard", shell), first_host=33) as (url,):
        r = run_one(url + "/projects/celery")
    assert (r.verdict, r.reason) == ("ok", "ok")
