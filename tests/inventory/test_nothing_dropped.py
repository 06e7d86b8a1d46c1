"""Nothing found is silently dropped: malformed hrefs are reported with file and line, local
files are read in their declared charset, Markdown references may put the URL on the next line."""

from __future__ import annotations

from aiohttp import web

from linkcheck.engine.check import CheckOptions
from linkcheck.engine.run import check
from linkcheck.inventory.collect import collect
from linkcheck.inventory.extract import Found, extract_markdown
from linkcheck.model import Location
from tests.support.fakeweb import HITS, page, serve_sites, site

MALFORMED = ["http://", "http:", "http:/host/x", "http:host/x", "https://exa mple.test/",
             "https://a.test/x y"]


def test_malformed_hrefs_become_invalid_url_with_file_and_line(tmp_path):
    lines = [f'<a href="{href}">link {i}</a>' for i, href in enumerate(MALFORMED)]
    (tmp_path / "page.html").write_text("<html><body>\n" + "\n".join(lines) + "\n</body></html>\n")
    links = collect([tmp_path / "page.html"], root=tmp_path)
    assert {url: link.locations for url, link in links.items()} == {
        href: [Location("page.html", i + 2, "page.html")] for i, href in enumerate(MALFORMED)}
    results = check(list(links), CheckOptions())
    assert [(r.url, r.verdict, r.reason) for r in results] == [(h, "error", "invalid_url") for h in MALFORMED]


def test_latin1_page_links_are_requested_as_the_browser_would(tmp_path):
    async def handler(request: web.Request) -> web.Response:
        return page("Café") if request.raw_path == "/caf%C3%A9" else web.Response(status=404)

    app = site({"/{tail:.*}": handler})
    with serve_sites(app, first_host=36) as (url,):
        declared = tmp_path / "latin1.html"
        declared.write_bytes(b'<html><head><meta http-equiv="Content-Type" content="text/html; '
                             b'charset=iso-8859-1"></head><body>\n<a href="' + url.encode()
                             + b'/caf\xe9">caf\xe9</a>\n</body></html>\n')
        bom = tmp_path / "utf16.html"
        bom.write_bytes(f'<html><body>\n<a href="{url}/caf\u00e9">x</a>\n</body></html>\n'.encode("utf-16"))
        links = collect([declared, bom], root=tmp_path)
        assert list(links) == [f"{url}/caf\u00e9"]
        assert [loc.source for loc in links[f"{url}/caf\u00e9"].locations] == ["latin1.html", "utf16.html"]
        (result,) = check(list(links), CheckOptions(allow_private=True, timeout=2.0))
    assert (result.verdict, result.reason) == ("ok", "ok")
    assert {h.path for h in app[HITS] if "caf" in h.path} == {"/caf%C3%A9"}  # never /caf%EF%BF%BD


def test_markdown_reference_with_url_on_the_next_line():
    text = ("See [Celery][c] and [RQ][r].\n\n"
            "[c]:\n    https://docs.celeryq.test/\n"
            "[r]: https://python-rq.test/\n"
            "[t]:\n  <https://huey.test/a b>  'Huey'\n")
    assert extract_markdown(text) == [
        Found("https://docs.celeryq.test/", 4),
        Found("https://python-rq.test/", 5),
        Found("https://huey.test/a b", 7),  # kept as written: the checker says invalid_url
    ]
