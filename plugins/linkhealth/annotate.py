"""Mark broken external links inside a written HTML page.

Works on the page text (no re-serialisation, so the theme's markup is kept
byte for byte): after each ``<a href="URL">…</a>`` whose URL is broken for
readers it inserts a marker with an icon and the words "broken link" (never
colour alone) and, when the archive has a snapshot, an "archived copy" link.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

# A link, and the short text the theme keeps with it (a reading's "(2014, article)": a span marked
# data-linkhealth="tail", plain text only): the mark goes after that, so it never splits the two.
ANCHOR_RE = re.compile(r"<a\b(?P<attrs>[^>]*)>(?P<body>.*?)</a>"
                       r"""(?P<tail>\s*<span\b[^>]*\bdata-linkhealth=["']tail["'][^>]*>[^<]*</span>)?""",
                       re.S | re.I)
HREF_RE = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
# Anchors the plugin or theme wrote itself (archive links, the link-health tables).
SKIP_ATTR = "data-linkhealth"

# The warning-triangle icon: drawn by the stylesheet (.link-health-icon, one SVG in site.css), so
# each mark costs a few bytes, not an inline SVG; the words "broken link" carry the meaning.
ICON = '<i class="link-health-icon" aria-hidden="true"></i>'


# Between a link and its mark, and again before the icon inside it: word joiners, so the mark
# never wraps away from the link text (Chromium breaks before an inline SVG otherwise).
JOINER = "\u2060"
NBSP = "\u00a0"
# Where the page's footer line wants its count (partials/links_line.html, annotate.count_phrase).
COUNT_SLOT = "<!--linkhealth:count-->"
# The footer line itself with its " · " (base.html), dropped on a page without links of its own.
LINE_RE = re.compile(r"<!--linkhealth:line-->.*?<!--/linkhealth:line-->", re.S)
WORKING = frozenset({"ok", "moved"})
# What the footer says of links that neither work nor are marked broken (data.READER_LABELS'
# states): never counted as failing, since the page marks nothing there.
NOT_KNOWN = (("blocked", "could not be checked automatically"), ("unconfirmed", "being rechecked"))


def marker(health: dict[str, Any]) -> str:
    """HTML after a broken link: one small mark, icon and words kept together, and the archived
    copy where one exists. Every value is escaped: URLs came from outside."""
    since = f' title="failing since {html.escape(health["failing_since"])}"' if health.get(
        "failing_since") else ""
    archive = health.get("archive_url")
    # the "·" ends the words (a no-break space before it), so a line break falls after it, never before
    out = (f'{JOINER}<span class="link-health link-health-broken" {SKIP_ATTR}="mark"{since}>'
           f'<span class="lh-words">{JOINER}{ICON}broken link{NBSP + "·" if archive else ""}</span>')
    if archive:
        out += (f' <a class="link-health-archive" {SKIP_ATTR}="archive" rel="nofollow noopener" '
                f'href="{html.escape(archive, quote=True)}">archived copy</a>')
    return out + "</span>"


def count_phrase(states: Mapping[str, int]) -> str:
    """The footer's count over a page's distinct checked links, by reader state: ': all 11 work',
    ': 10 work, 1 could not be checked automatically', ': 4 work, 1 broken'; '' when the page has
    no checked link. Only what the page marks is called broken."""
    checked = sum(states.values())
    if not checked:
        return ""
    working = sum(states.get(s, 0) for s in WORKING)
    if working == checked:
        return f": all {checked} work"
    parts = [f"{working} work"]
    if states.get("broken"):
        parts.append(f"{states['broken']} broken")
    parts += [f"{states[s]} {words}" for s, words in NOT_KNOWN if states.get(s)]
    return ": " + ", ".join(parts)


def own_external_links(text: str) -> bool:
    """Whether the page links anything outside the site before its footer (whose credit link is on
    every page): the links its footer line would speak of."""
    end = text.find("<footer")
    for m in ANCHOR_RE.finditer(text, 0, end if end >= 0 else len(text)):
        found = HREF_RE.search(m.group("attrs"))
        if SKIP_ATTR in m.group("attrs") or not found:
            continue
        url = html.unescape(found.group(1) if found.group(1) is not None else found.group(2))
        if url.lower().startswith(("http://", "https://")):
            return True
    return False


def links_line(text: str, states: Mapping[str, int]) -> str:
    """The page with its footer line settled: the count filled in, or the whole line (and its
    separator) left out when the page has no external link of its own."""
    if not own_external_links(text):
        return LINE_RE.sub("", text, count=1)
    return text.replace(COUNT_SLOT, count_phrase(states), 1)


def annotate_counted(text: str, lookup: Callable[[str], dict[str, Any] | None],
                     ) -> tuple[str, int, Counter[str]]:
    """The page with broken links marked; how many marks; the distinct checked external URLs the
    page links, counted by reader state (ok, moved, broken, unconfirmed, blocked)."""
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
        tail = m.group("tail") or ""
        return f'<a{attrs} data-link-state="broken">{m.group("body")}</a>{tail}{marker(health)}'

    new = ANCHOR_RE.sub(one, text)
    return new, marked, Counter(seen.values())
