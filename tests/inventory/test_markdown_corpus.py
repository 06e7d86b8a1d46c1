"""Inventory = what the site renders: for every Markdown construct in ``corpus/`` (one file
each: nested and loose lists, code in lists, raw HTML, tables, footnotes, attribute lists,
reference links, autolinks, entities, code spans, ...), the links the inventory lists are
exactly the links Pelican's own Markdown reader puts on the page, with the site's settings
and with Pelican's defaults, and each is reported on a line where its URL is written."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pelican.readers import MarkdownReader
from pelican.settings import read_settings

from linkcheck.inventory.collect import collect
from linkcheck.inventory.extract import external_url

CORPUS = Path(__file__).resolve().parent / "corpus"
ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(CORPUS.glob("*.md"))
# (attribute, tags) a reader or browser follows; <link rel=canonical|alternate...> are identifiers
FOLLOWED = {"href": ("a", "area", "link"), "src": ("img", "source", "video", "audio", "iframe", "script"),
            "poster": ("video",), "cite": ("blockquote", "q"), "srcset": ("img", "source")}
IDENTIFIER_RELS = {"canonical", "alternate", "preconnect", "dns-prefetch", "me", "pingback", "webmention",
                   "shortlink", "openid.server", "openid.delegate"}


def _pelican_settings(conf: str | None, content: Path) -> dict:
    if conf is None:
        return read_settings(override={"PATH": str(content)})  # Pelican's defaults
    return read_settings(str(ROOT / conf))


def rendered_links(path: Path, settings: dict) -> list[str]:
    """Every followed URL on the page Pelican's Markdown reader makes of ``path`` (content and
    formatted metadata fields), read with BeautifulSoup, as the checker would take them."""
    content, metadata = MarkdownReader(settings).read(str(path))
    html = [content] + [str(metadata[f]) for f in settings["FORMATTED_FIELDS"] if f in metadata]
    found = []
    for part in html:
        for attr, tags in FOLLOWED.items():
            for tag in BeautifulSoup(part, "html.parser").find_all(tags):
                value = tag.get(attr)
                if value is None or (tag.name == "link" and IDENTIFIER_RELS & set(tag.get("rel") or [])):
                    continue
                values = [c.strip().split()[0] for c in value.split(",") if c.strip()] if attr == "srcset" \
                    else [value]
                found += [u for v in values if (u := external_url(v))]
    return found


def _written_forms(url: str) -> Iterator[str]:
    yield url
    yield url.replace("&", "&amp;")
    yield url.removeprefix("https:")  # protocol-relative, read as https


def _written_on(line: str, url: str) -> bool:
    """``url`` is on ``line`` as an author writes it (Markdown escapes and entities allowed)."""
    plain = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", unescape(line))
    return any(form in line or form in plain for form in _written_forms(url))


@pytest.mark.parametrize("conf", ["pelicanconf.py", None], ids=["site-settings", "pelican-defaults"])
def test_inventory_is_what_the_site_renders(conf, tmp_path):
    assert len(FILES) >= 30
    settings = _pelican_settings(conf, CORPUS)
    mismatches = {}
    for path in FILES:
        expected = set(rendered_links(path, settings))
        links = collect([path], root=CORPUS, pelican_conf=ROOT / conf if conf else None)
        if set(links) != expected:
            mismatches[path.name] = {"missed": sorted(expected - set(links)),
                                     "extra": sorted(set(links) - expected)}
            continue
        lines = path.read_text(encoding="utf-8").split("\n")
        for url, link in links.items():
            assert link.locations, url
            for loc in link.locations:
                assert loc.source == path.name and loc.line is not None, (url, loc)
                assert _written_on(lines[loc.line - 1], url), (path.name, loc.line, url)
    assert mismatches == {}


def test_the_corpus_covers_what_regex_rules_got_wrong():
    """The constructs behind issue 23 render links (or none) as a reader sees them."""
    links = collect(FILES, root=CORPUS, pelican_conf=ROOT / "pelicanconf.py")
    for url in ("https://nested.example/part-2", "https://nested.example/retries",
                "https://loose.example/faq", "https://md-in-html.example/b", "https://footnotes.example/survey",
                "https://meta.example/summary", "https://ref-next.example/rq", "https://escapes.example/a)b"):
        assert url in links, url
    for url in ("https://code-in-list.example/not-a-link", "https://fenced-list.example/in-code",
                "https://raw-block.example/not-a-link", "https://comment.example/hidden",
                "https://unused.example/never-shown", "https://auto.example/bare",
                "https://meta.example/not-rendered", "https://escapes.example/not-a-link"):
        assert url not in links, url
    assert not [u for u in links if "catalog" in u]  # [catalog:SECTION] markers are not links
    # lines: each place a URL is written, a reference link at its definition
    assert [loc.line for loc in links["https://same.example/page"].locations] == [3, 5, 7]
    assert [loc.line for loc in links["https://refs.example/one"].locations] == [6]
    assert [loc.line for loc in links["https://ref-next.example/celery"].locations] == [6]
    assert [loc.line for loc in links["https://code-and-link.example/docs"].locations] == [7]
    assert [loc.line for loc in links["https://nested.example/part-2"].locations] == [8]
    assert links["https://images.example/badge.svg"].kind == "image"
    assert links["https://images.example/ci"].kind == "link"
    # links no reader can follow on the web are kept, so the checker reports them
    for url in ("file:///C:/Users/me/report.pdf", "smb://fileserver/team/report.pdf",
                "C:\\Users\\me\\notes.txt", "ftp://ftp.nonweb.example/pub/queue.tar.gz"):
        assert [(loc.source, loc.line) for loc in links[url].locations][0][0] == "30-non-web-links.md"
    assert not [u for u in links if u.startswith(("mailto:", "tel:", "irc:"))]
