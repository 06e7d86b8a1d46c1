"""Find external links and images, with their line numbers, in HTML and Markdown.

Only absolute ``http(s)`` URLs (and protocol-relative ``//host/...``, read as
https) are external; relative links, in-page anchors and ``mailto:``,
``javascript:``, ``data:``, ``tel:`` ... are skipped: the network checker has
nothing to fetch for them (internal links are ``linkcheck.inventory.internal``'s job).
URLs are kept as written (fragment included) apart from surrounding
whitespace, so a report points at exactly what the author typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from lxml import etree

Kind = Literal["link", "image"]


@dataclass(frozen=True)
class Found:
    url: str
    line: int
    kind: Kind = "link"


_HTTP_SCHEME = re.compile(r"https?:", re.IGNORECASE)


def external_url(raw: str | None) -> str | None:
    """The URL to check when ``raw`` is an external http(s) link, else None.

    A link meant for the web but malformed ("http://", "http:host/x", "http:/host",
    spaces inside) is kept as written: nothing found is silently dropped, and the
    checker reports it as ``invalid_url`` with its file and line."""
    if not raw:
        return None
    url = raw.strip()
    if url.startswith("//"):
        url = "https:" + url  # protocol-relative: a reader on our https site gets https
    if not _HTTP_SCHEME.match(url):
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


def extract_html(text: str, *, line_offset: int = 0) -> list[Found]:
    """Every external link and image in an HTML document, in document order.

    ``line_offset`` is added to the line numbers (for HTML embedded in Markdown).
    """
    if not text.strip():
        return []
    # bytes + explicit encoding: lxml refuses str input that carries an encoding declaration
    root = etree.fromstring(text.encode("utf-8", "surrogatepass"), _PARSER)
    if root is None:
        return []
    if _generated(root):
        return []
    finder = _LineFinder(text)
    found: list[Found] = []
    for element in root.iter(*_LINK_ATTRS):
        tag = element.tag
        if _skipped(element):
            continue
        if tag == "link":
            rels = set((element.get("rel") or "").lower().split())
            if rels & _SKIP_LINK_RELS:
                continue
        furthest = -1
        for attr, kind in _LINK_ATTRS[tag]:
            value = element.get(attr)
            if not value:
                continue
            candidates = _srcset_urls(value) if attr == "srcset" else [value]
            for candidate in candidates:
                url = external_url(candidate)
                if not url:
                    continue
                line, position = finder.line_of(candidate.strip(), element.sourceline or 0)
                if position >= 0:  # past this occurrence, so a repeated URL finds its own line
                    furthest = max(furthest, position + 1)
                found.append(Found(url, line + line_offset, kind))
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


# ----------------------------------------------------------------- Markdown
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_REF_DEF = re.compile(r"^ {0,3}\[(?:[^\]\\]|\\.)+\]:\s*(<[^>\n]*>|\S+)")
_REF_LABEL_ONLY = re.compile(r"^ {0,3}\[(?:[^\]\\]|\\.)+\]:\s*$")  # destination on the next line
_REF_DEST_LINE = re.compile(r"^\s*(<[^>\n]*>|\S+)")
_AUTOLINK = re.compile(r"<((?:https?:)?//[^\s<>]+)>", re.IGNORECASE)
_CODE_SPAN = re.compile(r"(`+)(?:.+?)\1", re.DOTALL)
_HTML_TAG = re.compile(r"<[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>", re.DOTALL)


def _blank_code_spans(text: str) -> str:
    # Keep offsets and newlines so line numbers survive; code is not a link.
    return _CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def _strip_code_blocks(lines: list[str]) -> list[str]:
    """Blank fenced and indented code blocks, keeping the line count."""
    out: list[str] = []
    fence: str | None = None
    prev_blank = True
    in_indented = False
    for line in lines:
        m = _FENCE.match(line)
        if fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
            out.append("")
            continue
        if m:
            fence = m.group(1)
            out.append("")
            continue
        blank = not line.strip()
        indented = line.startswith(("    ", "\t"))
        if indented and (prev_blank or in_indented) and not blank:
            in_indented = True
            out.append("")
            continue
        if not blank:
            in_indented = False
        prev_blank = blank
        out.append(line)
    return out


def _inline_destination(text: str, start: int) -> tuple[str, int] | None:
    """Parse a link destination starting right after ``](``; returns (dest, end)."""
    i = start
    n = len(text)
    while i < n and text[i] in " \t\n":
        i += 1
    if i < n and text[i] == "<":
        end = text.find(">", i + 1)
        if end < 0 or "\n" in text[i + 1:end]:
            return None
        return text[i + 1:end], end + 1
    depth = 0
    j = i
    while j < n:
        c = text[j]
        if c == "\\" and j + 1 < n:
            j += 2
            continue
        if c in " \t\n":
            break
        if c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                break
            depth -= 1
        j += 1
    if j == i:
        return None
    return text[i:j], j


def extract_markdown(text: str) -> list[Found]:
    """Every external link and image in a Markdown document: inline links and
    images, reference definitions, autolinks and raw HTML, in document order."""
    lines = _strip_code_blocks(text.splitlines())
    body = _blank_code_spans("\n".join(lines))
    # offsets of line starts, to turn a match position into a line number
    starts = [0]
    for m in re.finditer("\n", body):
        starts.append(m.end())

    def line_of(pos: int) -> int:
        lo, hi = 0, len(starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if starts[mid] <= pos:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1

    found: list[tuple[int, Found]] = []

    def add(pos: int, raw: str, kind: Kind) -> None:
        url = external_url(raw)
        if url:
            found.append((pos, Found(url, line_of(pos), kind)))

    # reference definitions: "[id]: https://... 'title'"
    for lineno, line in enumerate(lines, start=1):
        m = _REF_DEF.match(line)
        at = lineno
        if m is None and _REF_LABEL_ONLY.match(line) and lineno < len(lines):
            m, at = _REF_DEST_LINE.match(lines[lineno]), lineno + 1  # "[id]:\n  https://..."
        if m:
            dest = m.group(1)
            if dest.startswith("<") and dest.endswith(">"):
                dest = dest[1:-1]
            add(starts[at - 1] + m.start(1), dest, "link")
    # inline links and images: "[text](dest 'title')", "![alt](dest)"
    for m in re.finditer(r"\]\(", body):
        parsed = _inline_destination(body, m.end())
        if not parsed:
            continue
        dest, _ = parsed
        # an image when the matching "[" is preceded by "!"
        open_bracket = _matching_open_bracket(body, m.start())
        kind: Kind = "image" if open_bracket > 0 and body[open_bracket - 1] == "!" else "link"
        add(m.end(), dest, kind)
    for m in _AUTOLINK.finditer(body):
        add(m.start(1), m.group(1), "link")
    # raw HTML tags: parse each tag on its own with its line as offset
    for m in _HTML_TAG.finditer(body):
        if _AUTOLINK.fullmatch(m.group(0)):
            continue
        for f in extract_html(m.group(0), line_offset=line_of(m.start()) - 1):
            found.append((m.start(), f))
    found.sort(key=lambda item: item[0])
    # one URL can match twice (an autolink inside a reference definition): keep it once
    return list(dict.fromkeys(f for _, f in found))


def _matching_open_bracket(text: str, close: int) -> int:
    """Index of the "[" that opens the bracket closed at ``close`` (-1 if none)."""
    depth = 0
    i = close - 1
    while i >= 0:
        c = text[i]
        if c == "]" and (i == 0 or text[i - 1] != "\\"):
            depth += 1
        elif c == "[" and (i == 0 or text[i - 1] != "\\"):
            if depth == 0:
                return i
            depth -= 1
        elif c == "\n" and i > 0 and text[i - 1] == "\n":
            return -1  # paragraphs end at a blank line
        i -= 1
    return -1


def extract_file_text(text: str, suffix: str) -> list[Found]:
    """Dispatch on a file suffix (".html", ".md", ...)."""
    suffix = suffix.lower()
    if suffix in HTML_SUFFIXES:
        return extract_html(text)
    if suffix in MARKDOWN_SUFFIXES:
        return extract_markdown(text)
    raise ValueError(f"unsupported file type {suffix!r}")


HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})
