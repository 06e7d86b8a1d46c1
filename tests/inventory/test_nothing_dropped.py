"""Nothing found is silently dropped: malformed hrefs are reported with file and line, local
files are read in their declared charset, Markdown references may put the URL on the next line."""

from __future__ import annotations

from aiohttp import web

from linkcheck.engine.check import CheckOptions
from linkcheck.engine.client import request_url
from linkcheck.engine.run import check
from linkcheck.inventory.collect import collect
from linkcheck.inventory.extract import Found
from linkcheck.inventory.markdown import MarkdownLinks, SiteMarkdown
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
    text = ("See [Celery][c], [RQ][r] and [Huey][t].\n\n"
            "[c]:\n    https://docs.celeryq.test/\n"
            "[r]: https://python-rq.test/\n"
            "[t]:\n  <https://huey.test/a b>  'Huey'\n")
    assert MarkdownLinks(SiteMarkdown.defaults()).extract(text) == [
        Found("https://docs.celeryq.test/", 4),
        Found("https://python-rq.test/", 5),
        Found("https://huey.test/a b", 7),  # kept as written: the checker says invalid_url
    ]


def test_links_readers_cannot_follow_are_findings_with_file_line_and_fix(tmp_path):
    """file:, smb:, Windows paths and shares, ftp: and scheme typos in content: reported with where
    they are written and what to do, never dropped; mail and phone links are not checked."""
    from linkcheck.engine.reasons import TABLE

    page = tmp_path / "guide.md"
    page.write_text("Title: Guide\n\n"
                    "The [report](file:///C:/Users/me/report.pdf) and the [share](smb://files/team/x.pdf).\n\n"
                    "* Notes\n\n"
                    "    * [on my disk](C:\\Users\\me\\notes.txt) and\n"
                    "      <a href='\\\\files\\team\\y.txt'>on the share</a>\n\n"
                    "An [old mirror](ftp://ftp.mirror.test/pub/) and a [typo](htps://typo.test/).\n"
                    "Write to [us](mailto:team@mail.test) or call [us](tel:+15550100).\n", encoding="utf-8")
    links = collect([page], root=tmp_path)
    where = {url: [(loc.source, loc.line) for loc in link.locations] for url, link in links.items()}
    assert where == {
        "file:///C:/Users/me/report.pdf": [("guide.md", 3)],
        "smb://files/team/x.pdf": [("guide.md", 3)],
        "C:\\Users\\me\\notes.txt": [("guide.md", 7)],
        "\\\\files\\team\\y.txt": [("guide.md", 8)],
        "ftp://ftp.mirror.test/pub/": [("guide.md", 10)],
        "htps://typo.test/": [("guide.md", 10)],
    }
    results = {r.url: r for r in check(list(links), CheckOptions())}
    for url in list(where)[:4]:
        assert (results[url].verdict, results[url].reason) == ("error", "local_file"), url
    for url in list(where)[4:]:
        assert (results[url].verdict, results[url].reason) == ("error", "unsupported_scheme"), url
    assert all(r.status is None and r.attempts == 1 for r in results.values())  # nothing was fetched
    assert "publish the file" in TABLE["local_file"].fix


def test_malformed_host_names_are_invalid_without_a_lookup():
    """An empty label, a character no host name has, an over-long label, a numeric name that is no
    IPv4 address: invalid_url from the name alone, never a DNS lookup (dns_error / dns_unreachable)."""
    bad = ["http://.example.org/", "https://docs..example.org/x", "https://exa_mple!.org/",
           "https://exa%20mple.org/", f"https://{'a' * 64}.example.org/", "http://1.2.3.999/",
           "http://example.123/"]
    results = check(bad, CheckOptions(timeout=2.0, connect_timeout=1.0))
    assert [(r.url, r.reason) for r in results] == [(u, "invalid_url") for u in bad]
    assert all(r.status is None and "host name" in r.message for r in results)
    # a fully qualified name (one trailing dot), underscores, IPv4 literals are names a request can use
    for fine in ("http://example.invalid./", "http://my_host.invalid/", "http://127.0.0.1:8/", "http://127.1/"):
        assert request_url(fine).host, fine
