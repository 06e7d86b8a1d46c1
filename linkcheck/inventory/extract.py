"""Find the links the checker judges, with their line numbers, in HTML and Markdown.

Absolute ``http(s)`` URLs (and protocol-relative ``//host/...``, read as https)
are fetched. A link a reader cannot follow on the web -- ``file:``, ``smb:``, a
Windows path ``C:\\...`` or share ``\\\\server\\...``, ``ftp:``, a typo such as
``htps:`` -- is kept too, so the checker reports it (``local_file``,
``unsupported_scheme``) with its file and line instead of dropping it. Skipped:
relative links and in-page anchors (``linkcheck.inventory.internal``'s job) and
schemes a reader's device hands to an app (``mailto:``, ``tel:``, ``irc:``, ...) or
that are no place at all (``javascript:``, ``data:``). URLs are kept as written
(fragment included) apart from surrounding whitespace, so a report points at
exactly what the author typed.

Markdown sources are read as the site renders them: ``linkcheck.inventory.markdown``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from lxml import etree

Kind = Literal["link", "image"]


@dataclass(frozen=True)
class Found:
    url: str
    line: int | None
    kind: Kind = "link"


_HTTP_SCHEME = re.compile(r"https?:", re.IGNORECASE)
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
# Handed by the reader's browser to an app (mail, phone, chat, calendar, torrents, ...), or no
# place at all (scripts, inline data, blank pages): nothing to check, nothing wrong.
HANDED_OFF_SCHEMES = frozenset({
    "mailto", "tel", "sms", "mms", "callto", "facetime", "facetime-audio", "sip", "sips", "skype",
    "xmpp", "irc", "ircs", "news", "nntp", "snews", "magnet", "geo", "webcal", "feed", "bitcoin",
    "javascript", "data", "about", "blob", "urn", "mid", "cid",
})


def external_url(raw: str | None) -> str | None:
    """The URL to check when ``raw`` is a link the checker judges, else None.

    A link meant for the web but malformed ("http://", "http:host/x", "http:/host",
    spaces inside) and a link no reader can follow on the web (``file:``, ``smb:``,
    ``C:\\``) are kept as written: nothing found is silently dropped, and the checker
    reports them (``invalid_url``, ``local_file``, ``unsupported_scheme``) with file and line."""
    if not raw:
        return None
    url = raw.strip()
    if url.startswith("//"):
        return "https:" + url  # protocol-relative: a reader on our https site gets https
    if _HTTP_SCHEME.match(url) or url.startswith("\\\\"):  # http(s), or a Windows share
        return url
    scheme = _SCHEME.match(url)
    if scheme is None or scheme.group(1).lower() in HANDED_OFF_SCHEMES:
        return None
    return url


# --------------------------------------------------------------------- HTML
# (tag, attribute) pairs that point a reader or the browser at another resource.
_LINK_ATTRS: dict[str, tuple[tuple[str, Kind], ...]] = {
    "a": (("href", "link"),),
    "area": (("href", "link"),),
    "img": (("src", "image"), ("srcset", "image")),
    "source": (("src", "image"), ("srcset", "image")),
    "video": (("src", "link"), ("poster", "image")),
    "audio": (("src", "link"),),
    "iframe": (("src", "link"),),
    "script": (("src", "link"),),
    "link": (("href", "link"),),
    "blockquote": (("cite", "link"),),
    "q": (("cite", "link"),),
}
# <link rel=...> values that are identifiers or hints, not resources a reader meets.
_SKIP_LINK_RELS = {"canonical", "alternate", "preconnect", "dns-prefetch", "me", "pingback",
                   "webmention", "shortlink", "openid.server", "openid.delegate"}


def _srcset_urls(value: str) -> list[str]:
    # "a.png 1x, b.png 2x": the URL is the first token of each comma-separated candidate
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def _raw_forms(value: str) -> list[str]:
    """How an attribute value may be written in the source (entities re-encoded)."""
    forms = [value]
    if "&" in value:
        forms.append(value.replace("&", "&amp;"))
    return forms


class _LineFinder:
    """Line numbers of attribute values, by scanning the source forward in document order.

    libxml2 reports the line where a start tag ends and caps it at 65535, so the
    exact line of the URL itself is found by searching its written form after
    the previous one (quoted or after ``=`` first, so link text does not match).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1

    def line_of(self, raw: str, fallback: int) -> tuple[int, int]:
        """(line, position) of ``raw`` at or after the cursor; ``fallback`` if absent."""
        best = -1
        for form in _raw_forms(raw):
            p = self._find_attribute_value(form)
            if p >= 0 and (best < 0 or p < best):
                best = p
        if best < 0:
            return fallback, -1
        return self.line + self.text.count("\n", self.pos, best), best

    def _find_attribute_value(self, form: str) -> int:
        # the first occurrence right after a quote, "=" or srcset's ", "; prose mentions are skipped
        start = self.pos
        first = -1
        while True:
            p = self.text.find(form, start)
            if p < 0:
                return first
            if first < 0:
                first = p
            if p == 0 or self.text[p - 1] in "\"'= \t\n,":
                return p
            start = p + 1

    def advance(self, position: int) -> None:
        if position > self.pos:
            self.line += self.text.count("\n", self.pos, position)
            self.pos = position


def parse_html(text: str) -> etree._Element | None:
    """The tree of an HTML document or fragment (recovering from errors, comments dropped)."""
    if not text.strip():
        return None
    # bytes + explicit encoding: lxml refuses str input that carries an encoding declaration
    return etree.fromstring(text.encode("utf-8", "surrogatepass"), _PARSER)


def link_candidates(root: etree._Element) -> Iterator[tuple[etree._Element, list[tuple[str, Kind]]]]:
    """Each element that points elsewhere, in document order, with its raw values (a srcset
    split into its URLs) and their kinds. Theme chrome marked ``data-linkcheck="skip"`` and
    ``<link rel>`` identifiers (canonical, alternate, ...) are left out."""
    for element in root.iter(*_LINK_ATTRS):
        tag = element.tag
        if _skipped(element):
            continue
        if tag == "link":
            rels = set((element.get("rel") or "").lower().split())
            if rels & _SKIP_LINK_RELS:
                continue
        values: list[tuple[str, Kind]] = []
        for attr, kind in _LINK_ATTRS[tag]:
            value = element.get(attr)
            if value:
                values += [(v, kind) for v in (_srcset_urls(value) if attr == "srcset" else [value])]
        if values:
            yield element, values


def extract_html(text: str) -> list[Found]:
    """Every link the checker judges in an HTML document, in document order."""
    root = parse_html(text)
    if root is None or _generated(root):
        return []
    finder = _LineFinder(text)
    found: list[Found] = []
    for element, values in link_candidates(root):
        furthest = -1
        for candidate, kind in values:
            url = external_url(candidate)
            if not url:
                continue
            line, position = finder.line_of(candidate.strip(), element.sourceline or 0)
            if position >= 0:  # past this occurrence, so a repeated URL finds its own line
                furthest = max(furthest, position + 1)
            found.append(Found(url, line, kind))
        finder.advance(furthest)
    return found


def _generated(root: etree._Element) -> bool:
    """A page the site generates from the checker's own data (link health, reports):
    ``<meta name="linkcheck" content="skip">``. Checking it would feed the checker's
    output back as its input."""
    return any((m.get("name") or "").lower() == "linkcheck" and (m.get("content") or "").lower() == "skip"
               for m in root.iter("meta"))


def _skipped(element: etree._Element) -> bool:
    """Inside theme chrome marked ``data-linkcheck="skip"`` (the footer): not content."""
    return any(a.get("data-linkcheck") == "skip" for a in element.iterancestors())


_PARSER = etree.HTMLParser(encoding="utf-8", recover=True, no_network=True, remove_comments=True,
                           huge_tree=True)


HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})
