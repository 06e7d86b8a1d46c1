"""Extraction: external links and images in HTML and Markdown, with line numbers."""

from __future__ import annotations

from linkcheck.inventory.extract import Found, external_url, extract_html
from linkcheck.inventory.markdown import MarkdownLinks, SiteMarkdown


def extract_markdown(text: str) -> list[Found]:
    return MarkdownLinks(SiteMarkdown.defaults()).extract(text)

HTML = """<!doctype html>
<html><head>
<link rel="stylesheet" href="https://cdn.test/site.css">
<link rel="canonical" href="https://self.test/page.html">
</head><body>
<p>See <a href="https://a.test/x?a=1&amp;b=2#part">A</a> and
<a
   href="https://b.test/">B, tag spread over lines</a>.</p>
<img src="https://img.test/logo.png" srcset="https://img.test/logo@2x.png 2x, /local.png 3x">
<a href="/about.html">internal</a> <a href="#top">anchor</a> <a href="../x.html">relative</a>
<a href="mailto:me@x.test">mail</a> <a href="javascript:void(0)">js</a>
<img src="data:image/png;base64,AAAA"> <a href="tel:+123">tel</a>
<a href="//proto.test/p">protocol-relative</a>
</body></html>
"""


def test_html_links_with_lines_and_kinds():
    assert extract_html(HTML) == [
        Found("https://cdn.test/site.css", 3, "link"),
        Found("https://a.test/x?a=1&b=2#part", 6, "link"),
        Found("https://b.test/", 8, "link"),  # the line of the URL itself
        Found("https://img.test/logo.png", 9, "image"),
        Found("https://img.test/logo@2x.png", 9, "image"),
        Found("https://proto.test/p", 13, "link"),
    ]


MARKDOWN = """Title: A page

An [inline link](https://inline.test/a "title") and an ![image](https://img.test/i.png).
A [wiki link](https://en.wikipedia.org/wiki/Queue_(abstract_data_type)) and <https://auto.test/>.
A [reference link][ref] and [relative](other.md) and [mail](mailto:a@b.test).
Code `[not a link](https://span.test/)` stays out.

```python
requests.get("https://fenced.test/")  # [x](https://fenced.test/)
```

    [indented code](https://indented.test/)

<a href="https://raw.test/">raw HTML</a>
<img
  src="https://raw-img.test/i.png">

[ref]: https://ref.test/page#frag "Ref title"
[ref2]: <https://ref2.test/>
"""


def test_markdown_links_with_lines_and_kinds():
    assert extract_markdown(MARKDOWN) == [
        Found("https://inline.test/a", 3, "link"),
        Found("https://img.test/i.png", 3, "image"),
        Found("https://en.wikipedia.org/wiki/Queue_(abstract_data_type)", 4, "link"),
        Found("https://auto.test/", 4, "link"),
        Found("https://raw.test/", 14, "link"),
        Found("https://raw-img.test/i.png", 16, "image"),
        Found("https://ref.test/page#frag", 18, "link"),
    ]  # [ref2] is defined but never used: no reader sees it


def test_external_url_rules():
    assert external_url("  https://x.test/a#b ") == "https://x.test/a#b"
    assert external_url("HTTP://X.test/") == "HTTP://X.test/"
    assert external_url("//cdn.test/a.js") == "https://cdn.test/a.js"
    for skipped in ("/a", "a.html", "#top", "mailto:x@y", "javascript:x", "data:,x", "tel:+1", "irc://i.test/",
                    "?q=a:b", "", None):
        assert external_url(skipped) is None, skipped
    # no reader can follow these on the web: kept, so the checker reports them
    # (local_file, unsupported_scheme)
    for not_web in ("file:///C:/x.pdf", "smb://server/share/x", "C:\\Users\\x.txt", "\\\\server\\share",
                    "ftp://f.test/", "httpx://h.test/", "localhost:8000/x"):
        assert external_url(not_web) == not_web, not_web
    # meant for the web but malformed: kept, so the checker reports them (invalid_url, file:line)
    for malformed in ("http://", "http:", "http:/host/x", "http:host/x", "https:///path",
                      "https://a b.test/", "https://a.test/x y"):
        assert external_url(malformed) == malformed, malformed


def test_lines_beyond_libxml2_limit_and_repeated_urls():
    # libxml2 caps line numbers at 65535; the URL's own line must still be exact
    filler = "<p>https://late.test/ in text is not a link</p>\n" * 70_000
    html = f'<html><body>\n{filler}<a href="https://late.test/">late</a>\n<a href="https://late.test/">again</a>'
    assert extract_html(html) == [Found("https://late.test/", 70_002), Found("https://late.test/", 70_003)]


def test_generated_pages_and_theme_chrome_are_not_sources_of_links() -> None:
    from linkcheck.inventory.extract import extract_html

    page = ('<html><head><title>x</title></head><body><main><a href="https://content.example/">c</a>'
            '</main><footer data-linkcheck="skip"><p><a href="https://guide.example/">guide</a></p>'
            '</footer></body></html>')
    assert [f.url for f in extract_html(page)] == ["https://content.example/"]
    generated = ('<html><head><meta name="linkcheck" content="skip"></head><body>'
                 '<a href="https://broken.example/">listed as broken</a></body></html>')
    assert extract_html(generated) == []
