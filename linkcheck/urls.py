"""Small facts about URLs that several stages need, computed one way."""

from __future__ import annotations

from urllib.parse import urlsplit


def host_of(url: str) -> str | None:
    """The URL's host name in lower case, "" when it has none, None when it cannot be parsed."""
    try:
        return urlsplit(url).hostname or ""  # .hostname is already lower case
    except ValueError:
        return None
