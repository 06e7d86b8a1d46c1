"""Small HTML helpers for the engine: decode, title, first heading, meta refresh, anchors."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape

import lxml.html
from lxml import etree

from linkcheck.model import storable_text

# One <meta ...> tag at a time (finditer resumes after each, so the head is read once), then
# its charset: one pattern for both backtracked over the rest of the head at every "<meta".
_META_TAG = re.compile(rb"<meta\b[^>]*+", re.IGNORECASE)
_CHARSET_ATTR = re.compile(rb"""charset\s*+=\s*+["']?+\s*+([-\w.:]++)""", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_REFRESH = re.compile(r"^\s*\d*(?:\.\d*)?\s*[;,]?\s*(?:url\s*=\s*)?(.*)$", re.IGNORECASE | re.DOTALL)
_SPACES = re.compile(r"\s+")
TEXT_CAP = 300  # titles are untrusted text headed for the store and reports
# ASCII-only lowercasing keeps every index of the lowered copy valid in the original
# (str.lower can change a string's length: "İ" -> "i̇").
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")




@dataclass
class Page:
    title: str | None = None
    heading: str | None = None  # first <h1>
    refresh: str | None = None  # meta refresh target as written (relative or absolute)
    anchors: set[str] = field(default_factory=set)  # id and <a name> values


def is_html(content_type: str | None, body: bytes = b"") -> bool:
    if content_type:
        ct = content_type.split(";", 1)[0].strip().lower()
        return ct in ("text/html", "application/xhtml+xml")
    return body.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html"))


_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def decode(body: bytes, charset: str | None) -> str:
    """A byte order mark, then the header charset, then <meta charset> (or http-equiv
    Content-Type), then UTF-8, then cp1252 (never fails). Local files pass no charset."""
    for bom, name in _BOMS:
        if body.startswith(bom):  # a BOM overrides every declaration, as in browsers
            return body.decode(name, "replace")
    candidates = [charset] if charset else []
    declared = _meta_charset(body[:4096])
    if declared:
        candidates.append(declared)
    candidates.append("utf-8")
    for name in candidates:
        try:
            return body.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("cp1252", "replace")


def _meta_charset(head: bytes) -> str | None:
    for tag in _META_TAG.finditer(head):
        match = _CHARSET_ATTR.search(head, tag.start(), tag.end())
        if match:
            return match.group(1).decode("ascii", "replace")
    return None


def squeeze(text: str, cap: int | None = None) -> str:
    """``text`` (its first ``cap`` characters) with each run of whitespace as one space:
    the phrase patterns run on this, so none of them can backtrack over a long blank run."""
    return " ".join((text if cap is None else text[:cap]).split())


def _text(el: etree._Element | None) -> str | None:
    if el is None:
        return None
    text = _SPACES.sub(" ", el.text_content()).strip()
    return storable_text(text[:TEXT_CAP]) or None


_TAG_RE = re.compile(r"<[^<>]*+>")  # stops at the next "<": linear on "<" floods
_NEEDS_TREE = re.compile(r"http-equiv|<!--", re.IGNORECASE)
# A title or heading longer than this is not a message anyone reads; the cap also keeps
# _clean linear on hostile pages ("<" floods).
_FRAGMENT_CAP = 4096
_NAME_ENDS = frozenset(" \t\n\r\f/>")


def _element_text(text: str, low: str, tag: str) -> str | None:
    """The raw content of the first ``<tag ...>`` element, in linear time.

    str.find instead of a lazy regex: on a page of thousands of unclosed ``<title>``
    tags a regex retries from every one of them (quadratic: seconds of CPU for 128 KB).
    An unclosed element runs to the end of what we read, as browsers show it."""
    opener, closer = f"<{tag}", f"</{tag}"
    start = low.find(opener)
    while start != -1 and low[start + len(opener):start + len(opener) + 1] not in _NAME_ENDS:
        start = low.find(opener, start + 1)  # <h1x>, <titles>: another tag
    if start == -1:
        return None
    content = low.find(">", start)
    if content == -1:
        return None
    content += 1
    end = low.find(closer, content, content + _FRAGMENT_CAP)
    return text[content:end if end != -1 else content + _FRAGMENT_CAP]


def _clean(fragment: str | None) -> str | None:
    if fragment is None:
        return None
    text = _SPACES.sub(" ", unescape(_TAG_RE.sub("", fragment[:_FRAGMENT_CAP]))).strip()
    return storable_text(text[:TEXT_CAP]) or None


def parse(body: bytes, charset: str | None, *, anchors: bool) -> Page:
    """Parse what we read of a page (possibly truncated: lxml copes).

    Most pages only need a title and first heading: regexes do that at a fraction of a
    tree's cost. The tree is built for anchors, meta tags, and comments (which could hide
    a title from a regex)."""
    text = decode(body, charset)
    if not anchors and not _NEEDS_TREE.search(text):
        low = text.translate(_ASCII_LOWER)
        return Page(title=_clean(_element_text(text, low, "title")),
                    heading=_clean(_element_text(text, low, "h1")))
    return _parse_tree(text, anchors)


def _parse_tree(text: str, anchors: bool) -> Page:
    page = Page()
    text = _XML_DECL.sub("", text)
    if not text.strip():
        return page
    try:
        doc = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return page
    page.title = _text(doc.find(".//title"))
    page.heading = _text(doc.find(".//h1"))
    for meta in doc.iter("meta"):
        if (meta.get("http-equiv") or "").strip().lower() == "refresh":
            match = _REFRESH.match(meta.get("content") or "")
            target = match.group(1).strip().strip("'\"").strip() if match else ""
            if target:
                page.refresh = target
                break
    if anchors:
        for el in doc.iter():
            if not isinstance(el.tag, str):
                continue  # comments, processing instructions
            value = el.get("id")
            if value:
                page.anchors.add(value)
            if el.tag == "a" and el.get("name"):
                page.anchors.add(el.get("name"))
    return page


_INVISIBLE = ("script", "style", "template", "svg")
VISIBLE_TEXT_CAP = 20_000


def headings_and_text(body: bytes, charset: str | None) -> tuple[list[str], str]:
    """The first headings (h1-h3, in order) and the visible text of a page: what a reader
    sees before scripts run. Built from a tree, so only for the few pages worth reading."""
    text = _XML_DECL.sub("", decode(body, charset))
    try:
        doc = lxml.html.document_fromstring(text) if text.strip() else None
    except (etree.ParserError, ValueError):
        doc = None
    if doc is None:
        return [], ""
    # one pass in C, keeping the text after each element; dropping them one by one appended
    # each tail to a growing string (quadratic: 9.8 s for 1 MiB of "<svg></svg>" and text)
    etree.strip_elements(doc, *_INVISIBLE, with_tail=False)
    found = (_text(el) for el in doc.iter("h1", "h2", "h3"))
    headings = [h for _, h in zip(range(6), found, strict=False) if h]
    body_el = doc.find("body")
    visible = _SPACES.sub(" ", (body_el if body_el is not None else doc).text_content()).strip()
    return headings, storable_text(visible[:VISIBLE_TEXT_CAP])
