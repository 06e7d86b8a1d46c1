"""Soft 404s: pages that answer 200 but tell the reader "not found".

Three signals. (1) The title or first heading *is* a not-found message
(``verdict.says_not_found``), in the common languages. (2) On a page reached by a
redirect, or on a host that answers nonexistent paths with 2xx: any of its first
headings is one, or a page with little text says a sentence only not-found pages
say ("We can't find that page", "Die Seite wurde nicht gefunden", ...): an
article *about* 404 errors is long and says them as quotes in headings that are
not the message itself. (3) The host answers a random, surely nonexistent
path with a 2xx page, and this page is that same page (same title, or the same
redirect target). The probe costs one request per host and is cached for the
run; a host that answers the probe with a real 404 marks its 2xx pages as
trustworthy, so HEAD is enough there.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from yarl import URL

from linkcheck.engine.page import Page, squeeze
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


# Sentences of not-found pages, in body text (searched, not matched whole).
_NOT_FOUND_SENTENCE = re.compile(
    r"we\s+(?:can(?:no|['’])t|could\s*n['’]?o?t|were\s+unable\s+to|are\s+unable\s+to)\s+find\s+"
    r"(?:that|the|this|your|what\s+you)(?:\s+page)?"
    r"|the\s+page\s+you\s+(?:are|were|['’]re)\s+looking\s+for\s+(?:can(?:not|['’]t)\s+be\s+found|"
    r"could\s+not\s+be\s+found|does(?:n['’]t|\s+not)\s+exist|no\s+longer\s+exists|"
    r"is(?:n['’]t|\s+not)\s+(?:here|available)|has\s+been\s+(?:removed|moved|deleted))"
    r"|(?:this|that)\s+page\s+(?:does(?:n['’]t|\s+not)\s+exist|no\s+longer\s+exists)"
    r"|die\s+(?:angeforderte\s+|gesuchte\s+|aufgerufene\s+)?seite\s+(?:wurde\s+nicht\s+gefunden|"
    r"konnte\s+nicht\s+gefunden\s+werden|existiert\s+nicht|gibt\s+es\s+nicht)"
    r"|(?:la\s+)?page\s+(?:que\s+vous\s+(?:recherchez|cherchez|avez\s+demandée)|demandée)\s+"
    r"(?:n['’]existe\s+(?:pas|plus)|est\s+introuvable|n['’]a\s+pas\s+été\s+trouvée)"
    r"|(?:la\s+)?página\s+(?:que\s+(?:buscas|busca|estás\s+buscando|has\s+solicitado)|solicitada)\s+"
    r"(?:no\s+existe|no\s+se\s+encuentra|no\s+está\s+disponible|no\s+ha\s+sido\s+encontrada)"
    r"|no\s+(?:hemos\s+podido|pudimos|se\s+ha\s+podido)\s+encontrar\s+(?:la|esta)\s+página"
    r"|(?:a\s+)?página\s+(?:que\s+você\s+(?:procura|está\s+procurando)|solicitada|que\s+procura)\s+"
    r"não\s+(?:existe|foi\s+encontrada|está\s+disponível)"
    r"|não\s+(?:conseguimos|foi\s+possível)\s+encontrar\s+(?:a|esta)\s+página"
    r"|お探しのページは(?:見つかりません|存在しません)|ページが見つかりませんでした"
    r"|(?:您|你)(?:访问|要找|所访问|要访问)的(?:页面|网页)不存在|抱歉[，,]?\s*(?:页面|网页)不存在"
    r"|找不到(?:您要的|该|此)?(?:页面|网页)|(?:您|你)(?:訪問|要找)的(?:頁面|網頁)不存在",
    re.IGNORECASE,
)
SHORT_TEXT = 3000  # characters of visible text: a not-found page says little; an article says more


def text_says_not_found(headings: list[str], text: str) -> bool:
    """A page's headings or (short) visible text say it is not there."""
    if any(says_not_found(h) for h in headings):
        return True
    return len(text) <= SHORT_TEXT and _NOT_FOUND_SENTENCE.search(squeeze(text)) is not None


_APP_SHELL = re.compile(r"(?:enable|requires?|turn\s+on)\s+javascript|javascript\s+(?:is\s+)?(?:required|"
                        r"disabled)", re.IGNORECASE)


def is_app_shell(text: str) -> bool:
    """A single-page app's shell: the same few words for every path until scripts run.
    The probe cannot tell its pages apart, so the probe comparison says nothing."""
    return len(text) <= 300 and _APP_SHELL.search(squeeze(text)) is not None


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
