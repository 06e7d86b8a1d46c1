"""Soft 404s: pages that answer 200 but tell the reader "not found".

Two signals. (1) The title or first heading *is* a not-found message
(``verdict.says_not_found``). (2) The host answers a random, surely nonexistent
path with a 2xx page, and this page is that same page (same title, or the same
redirect target). The probe costs one request per host and is cached for the
run; a host that answers the probe with a real 404 marks its 2xx pages as
trustworthy, so HEAD is enough there.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from yarl import URL

from linkcheck.engine.page import Page
from linkcheck.engine.verdict import says_not_found


@dataclass(frozen=True)
class Probe:
    """How a host answers a nonexistent path."""

    status: int | None  # None when the probe itself failed
    final_url: str | None = None
    redirected: bool = False
    title: str | None = None
    heading: str | None = None

    @property
    def soft(self) -> bool:
        """The host says 2xx for things that do not exist."""
        return self.status is not None and 200 <= self.status < 300


def probe_url(url: URL) -> URL:
    # Hex token: no real page has this path; a sibling of the root keeps it plain.
    return url.with_path(f"/linkcheck-probe-{secrets.token_hex(8)}", encoded=True).with_query(None)


def page_says_not_found(page: Page | None) -> bool:
    return page is not None and (says_not_found(page.title) or says_not_found(page.heading))


def same_as_probe(probe: Probe, *, requested: URL, final_url: str, redirected: bool,
                  page: Page | None) -> bool:
    """This 2xx page is the host's "anything" page rather than the page asked for."""
    if not probe.soft:
        return False
    if requested.path in ("", "/"):
        return False  # the home page is never a soft 404 of itself
    if redirected and probe.redirected and probe.final_url == final_url and final_url != str(requested):
        return True  # both bounced to the same catch-all page (often the home page)
    if page is None:
        return False
    return bool(page.title) and page.title == probe.title and page.heading == probe.heading
