"""Small HTML helpers for the engine: decode, title, first heading, meta refresh, anchors."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape

import lxml.html
from lxml import etree

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w.:]+)""", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_REFRESH = re.compile(r"^\s*\d*(?:\.\d*)?\s*[;,]?\s*(?:url\s*=\s*)?(.*)$", re.IGNORECASE | re.DOTALL)
_SPACES = re.compile(r"\s+")
TEXT_CAP = 300  # titles are untrusted text headed for the store and reports


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


def decode(body: bytes, charset: str | None) -> str:
    """Header charset, then <meta charset>, then UTF-8, then cp1252 (never fails)."""
    candidates = [charset] if charset else []
    match = _META_CHARSET.search(body[:4096])
    if match:
        candidates.append(match.group(1).decode("ascii", "replace"))
    candidates.append("utf-8")
    for name in candidates:
        try:
            return body.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("cp1252", "replace")


def _text(el: etree._Element | None) -> str | None:
    if el is None:
        return None
    text = _SPACES.sub(" ", el.text_content()).strip()
    return text[:TEXT_CAP] or None


_TITLE_RE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_H1_RE = re.compile(r"<h1\b[^>]*>(.*?)</h1\s*>", re.IGNORECASE | re.DOTALL)
_TAG_RE = re.compile(r"<[^>]*>")
_NEEDS_TREE = re.compile(r"http-equiv|<!--", re.IGNORECASE)


def _clean(fragment: str | None) -> str | None:
    if fragment is None:
        return None
    text = _SPACES.sub(" ", unescape(_TAG_RE.sub("", fragment))).strip()
    return text[:TEXT_CAP] or None


def parse(body: bytes, charset: str | None, *, anchors: bool) -> Page:
    """Parse what we read of a page (possibly truncated: lxml copes).

    Most pages only need a title and first heading: regexes do that at a fraction of a
    tree's cost. The tree is built for anchors, meta tags, and comments (which could hide
    a title from a regex)."""
    text = decode(body, charset)
    if not anchors and not _NEEDS_TREE.search(text):
        title, heading = _TITLE_RE.search(text), _H1_RE.search(text)
        return Page(title=_clean(title.group(1)) if title else None,
                    heading=_clean(heading.group(1)) if heading else None)
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
