"""Does a page have the element a #fragment names? As browsers resolve it.

Shared by the engine (external pages) and ``check --internal`` (the built site):

- ``#``, ``#top``: the top of the page, no element needed; ``#/route`` and
  ``#!/route`` are client-side routes;
- a text fragment (``#:~:text=...``) is a highlight, never an element; in
  ``#intro:~:text=...`` only ``intro`` is an anchor;
- a fragment matches an id (or ``<a name>``) as written and percent-decoded;
- rendered Markdown on GitHub, GitLab and Gitea gives headings ids with a
  ``user-content-`` prefix that scripts resolve for the bare fragment;
- on code hosts, a line number (GitHub ``#L10-L20``, GitLab ``#L10-20``, Bitbucket
  ``#lines-10``, a gist's ``#file-app-py-L10``) is highlighted by scripts, never an id;
- a PDF's open parameters (``#page=3``, ``#zoom=100``) tell the viewer what to show.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from urllib.parse import unquote

TOP_FRAGMENTS = ("", "top")  # browsers scroll to the top for these
_TEXT_DIRECTIVE = ":~:"
_RENDERED_PREFIX = "user-content-"
# GitHub, Gitea and sourcehut L10, L10-L20, L10C2-L20C5; GitLab L10-20; Bitbucket lines-10:20,30;
# a gist's file-name-ext-L10; gitiles a bare 10
_LINE_FRAGMENT = re.compile(r"L\d+(?:C\d+)?(?:-L?\d+(?:C\d+)?)?|lines-\d+(?:[:-]\d+)?(?:,\d+(?:[:-]\d+)?)*"
                            r"|file-[\w.-]+?-L\d+(?:-L\d+)?|\d+")
CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "gitea.com", "sr.ht",
              "googlesource.com", "gitee.com", "framagit.org", "salsa.debian.org", "notabug.org")
_CODE_HOST_LABELS = ("gitlab", "gitea", "forgejo", "git")  # self-hosted forges: gitlab.example.org
_PDF_PARAMETER = re.compile(r"(?:page|zoom|view|viewrect|pagemode|nameddest|search|toolbar|navpanes|scrollbar"
                            r"|statusbar|messages|highlight|comment|fdf)=[^&#]*(?:&.*)?", re.IGNORECASE)


def is_code_host(host: str) -> bool:
    host = host.lower()
    return (any(host == h or host.endswith("." + h) for h in CODE_HOSTS)
            or host.split(".", 1)[0] in _CODE_HOST_LABELS)


def anchor_of(fragment: str | None, host: str = "") -> str | None:
    """The element name a fragment asks for on a page of ``host``, or None when no element
    is needed."""
    if fragment is None:
        return None
    anchor = fragment.split(_TEXT_DIRECTIVE, 1)[0]
    if anchor in TOP_FRAGMENTS or anchor.startswith(("/", "!")) or _PDF_PARAMETER.fullmatch(anchor):
        return None
    if host and _LINE_FRAGMENT.fullmatch(anchor) and is_code_host(host):
        return None
    return anchor


def has_anchor(ids: Collection[str], anchor: str) -> bool:
    for name in dict.fromkeys((anchor, unquote(anchor))):
        if name in ids or _RENDERED_PREFIX + name in ids:
            return True
    return False
