"""Pages that answer 200 with nothing of their own: an empty body, a script that only sends
the reader elsewhere, a canonical link naming where the page really is.

Read only on bodies the engine has fetched anyway (small pages, pages of unknown size,
pages reached by a redirect), with plain string searches: the common page costs nothing.
"""

from __future__ import annotations

import re

from linkcheck.engine.page import decode

SCRIPT_PAGE_BYTES = 8 * 1024  # a page that is only a redirecting script is small
VISIBLE_TEXT = 100  # characters a stub may show ("Redirecting...") besides its script

# Elements whose text a reader does not see, and comments: (opener, closer).
_HIDDEN = re.compile(r"<(script|style|noscript|template)\b|<!--", re.IGNORECASE)
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_TAG = re.compile(r"<[^<>]*>")  # [^<>]: every attempt stops at the next "<", so linear in the text
# location = "...", location.href = '...', location.replace("..."), location.assign('...')
# (on window, document, top or self alike)
_GO_TO = re.compile(
    r"""\blocation(?:\s*\.\s*href)?\s*=\s*(["'])([^"'\n]{1,2000})\1"""
    r"""|\blocation\s*\.\s*(?:replace|assign)\s*\(\s*(["'])([^"'\n]{1,2000})\3\s*\)"""
)


def is_empty(body: bytes) -> bool:
    """No body at all, or only white space."""
    return not body or body.isspace()


def script_redirect(body: bytes, charset: str | None) -> str | None:
    """Where a page sends the reader when all it has is a script doing so (``location.href =
    "/"``, ``location.replace(...)``), as written; None for a page with content of its own."""
    if len(body) > SCRIPT_PAGE_BYTES or b"location" not in body:
        return None
    scripts, visible = _scripts_and_text(decode(body, charset))
    if not scripts or len(" ".join(visible.split())) > VISIBLE_TEXT:
        return None  # a page with words of its own: its script is not all it is
    for script in scripts:
        found = _GO_TO.search(script)
        if found:
            return (found.group(2) or found.group(4)).strip()
    return None


def _scripts_and_text(text: str) -> tuple[list[str], str]:
    """The bodies of the page's scripts, and its text outside scripts, styles and comments
    (tags removed). One pass: an element left open runs to the end, as browsers read it."""
    low = text.translate(_ASCII_LOWER)  # str.lower can change the length: "İ" -> "i̇"
    scripts: list[str] = []
    outside: list[str] = []
    pos = 0
    while (found := _HIDDEN.search(text, pos)) is not None:
        outside.append(text[pos:found.start()])
        if found.group(0) == "<!--":
            closer = "-->"
            start = found.end()
        else:
            closer = f"</{found.group(1).lower()}"
            start = text.find(">", found.end())
            start = len(text) if start < 0 else start + 1
        end = low.find(closer, start)
        end = len(text) if end < 0 else end
        if found.group(1) and found.group(1).lower() == "script":
            scripts.append(text[start:end])
        pos = len(text) if end >= len(text) else text.find(">", end) + 1 or len(text)
    outside.append(text[pos:])
    return scripts, _TAG.sub(" ", " ".join(outside))


# A real <link> tag is short; the bound keeps attribute parsing cheap on hostile pages.
_CANONICAL_TAG = re.compile(r"<link\b[^<>]{0,2000}>", re.IGNORECASE)
_ATTR = re.compile(r"""([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
HEAD_BYTES = 64 * 1024  # <link rel=canonical> lives in the head


def canonical_link(body: bytes, charset: str | None) -> str | None:
    """The href of the page's ``<link rel="canonical">``, as written; None when it has none."""
    if body.find(b"anonical", 0, HEAD_BYTES) < 0 and body.find(b"ANONICAL", 0, HEAD_BYTES) < 0:
        return None  # most pages: two plain searches
    text = decode(body[:HEAD_BYTES], charset)
    for tag in _CANONICAL_TAG.findall(text):
        attrs = {m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or ""
                 for m in _ATTR.finditer(tag)}
        if "canonical" in attrs.get("rel", "").lower().split() and attrs.get("href", "").strip():
            return attrs["href"].strip()
    return None
