"""Does a page have the element a #fragment names? As browsers resolve it.

Shared by the engine (external pages) and ``check --internal`` (the built site):

- ``#``, ``#top``: the top of the page, no element needed; ``#/route`` and
  ``#!/route`` are client-side routes;
- a text fragment (``#:~:text=...``) is a highlight, never an element; in
  ``#intro:~:text=...`` only ``intro`` is an anchor;
- a fragment matches an id (or ``<a name>``) as written and percent-decoded;
- rendered Markdown on GitHub, GitLab and Gitea gives headings ids with a
  ``user-content-`` prefix that scripts resolve for the bare fragment.
"""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import unquote

TOP_FRAGMENTS = ("", "top")  # browsers scroll to the top for these
_TEXT_DIRECTIVE = ":~:"
_RENDERED_PREFIX = "user-content-"


def anchor_of(fragment: str | None) -> str | None:
    """The element name a fragment asks for, or None when no element is needed."""
    if fragment is None:
        return None
    anchor = fragment.split(_TEXT_DIRECTIVE, 1)[0]
    if anchor in TOP_FRAGMENTS or anchor.startswith(("/", "!")):
        return None
    return anchor


def has_anchor(ids: Collection[str], anchor: str) -> bool:
    for name in dict.fromkeys((anchor, unquote(anchor))):
        if name in ids or _RENDERED_PREFIX + name in ids:
            return True
    return False
