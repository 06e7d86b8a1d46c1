"""Mark broken external links inside a written HTML page.

Works on the page text (no re-serialisation, so the theme's markup is kept
byte for byte): after each ``<a href="URL">…</a>`` whose URL is broken for
readers it inserts a marker with an icon and the words "broken link" (never
colour alone) and, when the archive has a snapshot, an "archived copy" link.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

ANCHOR_RE = re.compile(r"<a\b(?P<attrs>[^>]*)>(?P<body>.*?)</a>", re.S | re.I)
HREF_RE = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
# Anchors the plugin or theme wrote itself (archive links, the link-health tables).
SKIP_ATTR = "data-linkhealth"

# The warning-triangle icon: drawn by the stylesheet (.link-health-icon, one SVG in site.css), so
# each mark costs a few bytes, not an inline SVG; the words "broken link" carry the meaning.
ICON = '<i class="link-health-icon" aria-hidden="true"></i>'


# Between a link and its mark, and again before the icon inside it: word joiners, so the mark
# never wraps away from the link text (Chromium breaks before an inline SVG otherwise).
JOINER = "\u2060"
# Where the page's footer line wants "N of M work" (theme/templates/base.html).
COUNT_SLOT = "<!--linkhealth:count-->"
WORKING = frozenset({"ok", "moved"})


def marker(health: dict[str, Any]) -> str:
    """HTML after a broken link: one small mark, icon and words kept together, and the archived
    copy where one exists. Every value is escaped: URLs came from outside."""
    since = f' title="failing since {html.escape(health["failing_since"])}"' if health.get(
        "failing_since") else ""
    out = (f'{JOINER}<span class="link-health link-health-broken" {SKIP_ATTR}="mark"{since}>'
           f'<span class="lh-words">{JOINER}{ICON}broken link</span>')
    if health.get("archive_url"):
        out += (f' · <a class="link-health-archive" {SKIP_ATTR}="archive" rel="nofollow noopener" '
                f'href="{html.escape(health["archive_url"], quote=True)}">archived copy</a>')
    return out + "</span>"


def count_phrase(checked: int, working: int) -> str:
    """': 61 of 63 work' for the footer line; '' when the page has no checked link."""
    if not checked:
        return ""
    return f": {working} of {checked} work" if working != checked else f": all {checked} work"


def annotate_counted(text: str, lookup: Callable[[str], dict[str, Any] | None]) -> tuple[str, int, int, int]:
    """The page with broken links marked; how many marks; how many distinct checked external
    URLs the page links and how many of those work (ok or moved)."""
    marked = 0
    seen: dict[str, str] = {}

    def one(m: re.Match[str]) -> str:
        nonlocal marked
        attrs = m.group("attrs")
        if SKIP_ATTR in attrs:
            return m.group(0)
        found = HREF_RE.search(attrs)
        if not found:
            return m.group(0)
        url = html.unescape(found.group(1) if found.group(1) is not None else found.group(2))
        if not url.lower().startswith(("http://", "https://")):
            return m.group(0)
        health = lookup(url)
        if health:
            seen[url] = str(health.get("state", ""))
        if not health or not health.get("broken"):
            return m.group(0)  # ok, moved, blocked, unconfirmed or unchecked: no alarm
        if text.startswith(f"{JOINER}<span class=\"link-health link-health-broken\"", m.end()):
            return m.group(0)  # already marked (a page written twice)
        marked += 1
        return f'<a{attrs} data-link-state="broken">{m.group("body")}</a>{marker(health)}'

    new = ANCHOR_RE.sub(one, text)
    working = sum(state in WORKING for state in seen.values())
    return new, marked, len(seen), working
