"""Parked and for-sale domains: a lapsed domain that now shows a parking page.

Three signals, each one a parking page's and not a real site's:

1. the link's redirects end on a domain marketplace or parking host (Sedo, Dan,
   Afternic, HugeDomains, ...), and the link was not to that host itself;
2. the page loads a parking provider's script or frame (``src=`` only: an article
   may *link* to a marketplace without being parked);
3. a sentence only a parking page says ("This domain may be for sale", "Buy this
   domain") in its title or headings, or anywhere in a page with little text.

Prose that merely mentions a "domain" and "for sale" matches none of them.
"""

from __future__ import annotations

import re

from yarl import URL

from linkcheck.engine.page import TEXT_CAP, squeeze

# Marketplaces and parking services: a link that ends up here has lost its site.
PARKING_HOSTS = (
    "sedo.com", "sedoparking.com", "parkingcrew.net", "bodis.com", "above.com", "parklogic.com",
    "dan.com", "afternic.com", "hugedomains.com", "undeveloped.com", "domainmarket.com",
    "buydomains.com", "domainsponsor.com", "cashparking.com", "rookmedia.net", "parkingcrew.com",
    "domainnamesales.com", "perfectdomain.com", "brandbucket.com", "squadhelp.com", "atom.com",
)
# Scripts and frames served only to parked domains (GoDaddy's lander, Google's AdSense for domains).
_PARKING_MARK = re.compile(
    "|".join(re.escape(h) for h in PARKING_HOSTS)
    + r"|/parking-lander/|adsense/domains/caf\.js|/js/parking\.",
    re.IGNORECASE,
)
# A src= attribute and its value, matched without backtracking (possessive quantifiers):
# finditer resumes after each value, so every character is read once. A pattern that
# searched for a marker after "src=" restarted at every "src=" and scanned to the end
# (quadratic: 32 KiB of "src=" took 42 s of CPU).
_SRC_VALUE = re.compile(r"""\bsrc\s*+=\s*+["']?+([^"'\s>]*+)""", re.IGNORECASE)
_SRC_CAP = 2048  # characters of a src value worth reading: no script URL is longer
_PARKED_PHRASE = re.compile(
    r"(?:this|the)\s+domain(?:\s+name)?(?:\s+\S+)?\s+(?:may\s+be|is|might\s+be)\s+for\s+sale"
    r"|buy\s+this\s+domain|this\s+domain\s+(?:name\s+)?(?:is\s+)?(?:parked|for\s+sale)"
    r"|(?:is|was)\s+parked\s+free,?\s+courtesy\s+of|this\s+(?:web\s*)?page\s+is\s+parked"
    r"|make\s+an\s+offer\s+on\s+this\s+domain|inquire\s+about\s+this\s+domain"
    r"|this\s+domain\s+has\s+(?:recently\s+)?expired|domain\s+parking\s+page"
    r"|diese\s+domain\s+(?:steht\s+zum\s+verkauf|kaufen|ist\s+geparkt)"
    r"|ce\s+(?:nom\s+de\s+)?domaine\s+est\s+(?:à|a)\s+vendre"
    r"|este\s+dominio\s+(?:está|esta)\s+(?:a\s+la\s+venta|en\s+venta)"
    r"|este\s+domínio\s+(?:está\s+)?à\s+venda"
    r"|このドメインは(?:売り物|販売中)|该域名(?:正在)?出售|此域名(?:正在)?出售",
    re.IGNORECASE,
)
SHORT_TEXT = 2500  # characters of visible text: a parking page says little


def on_parking_host(requested: URL, final: URL) -> bool:
    def parking(host: str) -> bool:
        host = host.lower()
        return any(host == h or host.endswith("." + h) for h in PARKING_HOSTS)

    return parking(final.host or "") and not parking(requested.host or "")


def loads_parking_script(html: str) -> bool:
    for match in _SRC_VALUE.finditer(html):
        start = match.start(1)
        if match.end(1) > start and _PARKING_MARK.search(html, start, min(match.end(1), start + _SRC_CAP)):
            return True
    return False


def says_parked(headings: list[str], text: str) -> bool:
    if any(_PARKED_PHRASE.search(squeeze(h, TEXT_CAP)) for h in headings):
        return True
    return len(text) <= SHORT_TEXT and _PARKED_PHRASE.search(squeeze(text)) is not None
