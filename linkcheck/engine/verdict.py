"""Reason codes and the rules that turn what a server did into a verdict.

Every ``Result.reason`` is a key of ``REASONS`` (the one table lives in
``reasons.py``); the verdict of a reason never varies, so reports and the store
can rely on the pair.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from yarl import URL

from linkcheck.engine.page import TEXT_CAP, squeeze
from linkcheck.engine.reasons import NETWORK_REASONS, REASONS, TABLE  # noqa: F401  (re-exported)
from linkcheck.model import Verdict


def verdict_of(reason: str) -> Verdict:
    return REASONS[reason][0]


def reason_for_status(status: int) -> str:
    """Reason for a final (non-redirect, non-challenge) HTTP status."""
    if 200 <= status < 300:
        return "ok"
    if status in (404, 410):
        return "not_found"
    if status == 401:
        return "auth_required"
    if status == 403:
        return "forbidden"
    if status == 429:
        return "rate_limited"
    if status == 999:  # LinkedIn and friends: a bot answer by definition
        return "bot_blocked"
    if status >= 500:
        return "server_error"
    if 400 <= status < 500:
        return "http_error"
    return "unexpected_status"  # 304 to a plain GET, a 1xx as final answer, a 3xx without a redirect


def sentence(reason: str, *, status: int | None = None, final_url: str | None = None,
             detail: str = "") -> str:
    """One human sentence for a result (the table's sentence, filled in)."""
    text = TABLE[reason].sentence.format(status=status, final_url=final_url)
    return f"{text}: {detail}" if detail else text


# --- bot walls ---------------------------------------------------------------

_CHALLENGE_MARKERS = (
    b"challenge-platform", b"cf-chl", b"just a moment...", b"attention required! | cloudflare",
    b"captcha", b"datadome", b"_incapsula_resource", b"px-captcha", b"verify you are human",
    b"are you a robot", b"checking your browser",
)


def is_challenge(status: int, headers: Mapping[str, str], body: bytes) -> bool:
    """A recognisable anti-bot challenge page (Cloudflare, captcha vendors)."""
    if headers.get("cf-mitigated", "").lower() == "challenge":
        return True
    if status not in (403, 429, 503, 999) and not headers.get("cf-mitigated"):
        return False
    low = body[:65536].lower()
    return any(marker in low for marker in _CHALLENGE_MARKERS)


def looks_bot_walled(status: int, headers: Mapping[str, str]) -> bool:
    """Worth a second try with browser-like headers."""
    return status in (403, 999) or "cf-mitigated" in headers


_SEPARATORS = re.compile(r"\s+[|\-–—:·•»]\s+|\s*[|–—·•»｜]\s*")  # separators of "Page | Site"
_CODE = r"(?:(?:error|fehler|erreur|erro|errore)\s*)?(?:404|410)(?:\s*error)?"
_PHRASE = (
    r"(?:(?:oops|sorry)[,!.]?\s*)?(?:(?:the|this|that)\s+)?"
    r"(?:(?:page|file|document|resource|article|post|content|url|repository|project)\s+)?"
    r"(?:you\s+(?:requested|are\s+looking\s+for)\s+)?(?:was\s+|is\s+|has\s+been\s+)?"
    r"(?:not\s+found|can(?:not|'t|’t)\s+be\s+found|could\s+not\s+be\s+found|does\s*n[o'’]t\s+exist|"
    r"no\s+longer\s+(?:exists|available))"
)
# The same message in the other common languages, as a whole title or heading
_PHRASE_INTL = (
    r"(?:(?:die\s+)?seite\s+(?:wurde\s+)?nicht\s+gefunden|seite\s+existiert\s+nicht"
    r"|page\s+(?:non\s+trouvée|introuvable)|cette\s+page\s+n['’]existe\s+(?:pas|plus)"
    r"|página\s+no\s+encontrada|la\s+página\s+no\s+existe"
    r"|página\s+não\s+encontrada|a\s+página\s+não\s+existe"
    r"|pagina\s+non\s+trovata|страница\s+не\s+найдена|페이지를\s*찾을\s*수\s*없습니다"
    r"|(?:お探しの)?ページ(?:が|は)(?:見つかりません(?:でした)?|存在しません)"
    r"|(?:页面|頁面|网页|網頁)(?:不存在|未找到|找不到)|找不到(?:该|此|該)?(?:页面|頁面|网页|網頁))"
)
# Every message _NOT_FOUND accepts contains one of these (cheap pre-check).
_NOT_FOUND_WORDS = ("404", "410", "found", "exist", "available", "gefunden", "trouv", "introuvable",
                    "encontrada", "existe", "trovata", "найдена", "찾을", "ページ", "页", "頁", "网", "網")
_NOT_FOUND = re.compile(
    rf"^(?:{_CODE}|(?:{_CODE}\s*[-:]?\s*)?(?:{_PHRASE}|{_PHRASE_INTL})(?:\s*\(?{_CODE}\)?)?)$", re.IGNORECASE
)


def says_not_found(text: str | None) -> bool:
    """A title/heading that *is* a not-found message, with at most a site name beside it.

    Whole-segment matching keeps "Handling 404 errors in Celery" a normal page, and
    the two-segment limit keeps "404 Not Found · Issue #12 · owner/repo" one too.
    """
    if not text:
        return False
    # One space between words, and no longer than a title is kept: the patterns below
    # then never backtrack over a long run of blanks (a heading is raw page text).
    text = squeeze(text)
    if len(text) > TEXT_CAP:
        return False  # a not-found message with a site name beside it is never this long
    low = text.lower()
    if not any(word in low for word in _NOT_FOUND_WORDS):  # most titles: skip the regexes
        return False
    segments = [seg.strip().strip("!.") for seg in _SEPARATORS.split(text)]
    segments = [seg for seg in segments if seg]
    return 0 < len(segments) <= 2 and any(_NOT_FOUND.match(seg) for seg in segments)


# --- removed pages sent to the home page ------------------------------------

# The root, an index file, a language root ("/en/", "/de-DE/") or "/home": a site's front door.
LANGUAGES = ("en|de|fr|es|pt|it|nl|ja|jp|zh|cn|ru|ko|kr|pl|sv|da|fi|no|nb|cs|tr|ar|he|hu|ro|uk|el|id|vi|th"
              "|ca|sk|bg|hr|sr|sl|lt|lv|et|fa|hi|ms")
_LANDING_PATH = re.compile(
    rf"/*(?:(?:{LANGUAGES})(?:[-_][a-z]{{2,4}})?/*)?(?:(?:index|default|home)(?:\.[a-z]{{2,5}})?/*)?",
    re.IGNORECASE,
)


_LANDING_CAP = 64  # a front door's path is short ("/de-DE/index.html"); longer ones are not read


def is_landing(url: URL) -> bool:
    path = url.path or "/"
    return len(path) <= _LANDING_CAP and bool(_LANDING_PATH.fullmatch(path))


def same_site(a: str, b: str) -> bool:
    """One site under two names: equal but for "www.", or one a subdomain of the other."""
    a, b = a.lower().removeprefix("www."), b.lower().removeprefix("www.")
    return a == b or a.endswith("." + b) or b.endswith("." + a)


def redirected_home(requested: URL, final: URL, redirected: bool) -> bool:
    """A deep link whose redirects end on its own site's home page: the page was removed.
    A link that is itself a landing page (the root, "/en/") is never judged so."""
    if not redirected or not is_landing(final):
        return False
    if is_landing(requested) and not requested.query_string:
        return False
    return same_site(requested.host or "", final.host or "")


def permanent_target(redirects: list[tuple[int, str]]) -> str | None:
    """Where a link has moved for good: the Location of the last 301/308 in the unbroken
    run of permanent redirects from the link itself. Temporary hops after it (login, geo,
    session) are not part of the page's new address; a link whose first hop is temporary
    has not moved."""
    target = None
    for code, location in redirects:
        if code not in (301, 308):
            break
        target = location
    return target
