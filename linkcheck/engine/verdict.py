"""Reason codes and the rules that turn what a server did into a verdict.

Every ``Result.reason`` is a key of ``REASONS``; the verdict of a reason never
varies, so reports and the store can rely on the pair. The README section
"Link checker: verdicts" lists the same table for readers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from linkcheck.model import Verdict

# code -> (verdict, what it means)
REASONS: dict[str, tuple[Verdict, str]] = {
    "ok": ("ok", "the page answered 2xx"),
    "redirect_temporary": ("ok", "a temporary redirect (302/303/307) that ends on a live page"),
    "moved_permanently": ("warn", "a permanent redirect (301/308) that ends on a live page: update the link"),
    "anchor_missing": ("warn", "the page is live but has no element with the #fragment's id/name"),
    "bot_blocked": ("warn", "a bot wall (Cloudflare, captcha, 999), for browser-like headers too"),
    "rate_limited": ("warn", "the server kept answering 429 Too Many Requests: alive but not checked"),
    "auth_required": ("warn", "the server asks for a login (401): alive but not checked"),
    "not_found": ("error", "the server answered 404 Not Found or 410 Gone"),
    "forbidden": ("error", "the server answered 403 Forbidden, to a browser-like client too"),
    "http_error": ("error", "another 4xx client error status"),
    "server_error": ("error", "a 5xx status, still there after retries"),
    "soft_404": ("error", "a 200 page that is really 'not found' (its title says so, or the site serves "
                 "the same page for a random nonexistent path)"),
    "redirect_loop": ("error", "the redirects go round in a circle"),
    "too_many_redirects": ("error", "more redirect hops than allowed (default 20)"),
    "bad_redirect": ("error", "a redirect without a usable Location"),
    "timeout": ("error", "no complete answer within the per-request deadline, after retries"),
    "connect_timeout": ("error", "the connection could not be opened in time, after retries"),
    "connection_error": ("error", "the connection was refused or reset, after retries"),
    "dns_error": ("error", "the host name does not resolve"),
    "tls_error": ("error", "the TLS handshake or certificate failed"),
    "private_address": ("error", "the target (or a redirect, or its DNS answer) is a private, loopback or "
                        "link-local address: refused by the SSRF guard"),
    "invalid_url": ("error", "the URL cannot be parsed or has no host"),
    "unsupported_scheme": ("error", "not an http(s) URL"),
    "check_failed": ("error", "the checker itself failed on this URL (a bug: please report it)"),
}

# Failures that say more about our own network than about the link (offline rule).
NETWORK_REASONS = frozenset({"dns_error", "connect_timeout", "connection_error"})


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
    return "http_error"


def sentence(reason: str, *, status: int | None = None, final_url: str | None = None,
             detail: str = "") -> str:
    """One human sentence for a result."""
    text = {
        "ok": "OK",
        "redirect_temporary": f"OK after a temporary redirect to {final_url}",
        "moved_permanently": f"moved permanently, update to {final_url}",
        "anchor_missing": "page is live but the #anchor is missing",
        "bot_blocked": "blocked for robots, not checked",
        "rate_limited": "rate limited (429) after retries, not checked",
        "auth_required": "needs a login (401), not checked",
        "not_found": f"not found (HTTP {status})",
        "forbidden": "forbidden (HTTP 403), to a browser too",
        "http_error": f"client error (HTTP {status})",
        "server_error": f"server error (HTTP {status}) after retries",
        "soft_404": "the page says 'not found' although it answers 200",
        "redirect_loop": "redirect loop",
        "too_many_redirects": "too many redirects",
        "bad_redirect": "redirect without a usable Location",
        "timeout": "timed out after retries",
        "connect_timeout": "could not connect in time, after retries",
        "connection_error": "connection refused or reset",
        "dns_error": "host name does not resolve",
        "tls_error": "TLS/certificate failure",
        "private_address": "refused: private, loopback or link-local address",
        "invalid_url": "invalid URL",
        "unsupported_scheme": "not an http(s) URL",
        "check_failed": "the checker failed on this URL",
    }[reason]
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


_SEPARATORS = re.compile(r"\s+[|\-–—:·•»]\s+|\s*[|–—·•»]\s*")  # separators of "Page | Site"
_CODE = r"(?:error\s*)?(?:404|410)(?:\s*error)?"
_PHRASE = (
    r"(?:(?:oops|sorry)[,!.]?\s*)?(?:(?:the|this|that)\s+)?"
    r"(?:(?:page|file|document|resource|article|post|content|url|repository|project)\s+)?"
    r"(?:you\s+(?:requested|are\s+looking\s+for)\s+)?(?:was\s+|is\s+|has\s+been\s+)?"
    r"(?:not\s+found|can(?:not|'t|’t)\s+be\s+found|could\s+not\s+be\s+found|does\s*n[o'’]t\s+exist|"
    r"no\s+longer\s+(?:exists|available))"
)
# Every message _NOT_FOUND accepts contains one of these (cheap pre-check).
_NOT_FOUND_WORDS = ("404", "410", "found", "exist", "available")
_NOT_FOUND = re.compile(
    rf"^(?:{_CODE}|(?:{_CODE}\s*[-:]?\s*)?{_PHRASE}(?:\s*\(?{_CODE}\)?)?)$", re.IGNORECASE
)


def says_not_found(text: str | None) -> bool:
    """A title/heading that *is* a not-found message, with at most a site name beside it.

    Whole-segment matching keeps "Handling 404 errors in Celery" a normal page, and
    the two-segment limit keeps "404 Not Found · Issue #12 · owner/repo" one too.
    """
    if not text:
        return False
    low = text.lower()
    if not any(word in low for word in _NOT_FOUND_WORDS):  # most titles: skip the regexes
        return False
    segments = [seg.strip().strip("!.") for seg in _SEPARATORS.split(text.strip())]
    segments = [seg for seg in segments if seg]
    return 0 < len(segments) <= 2 and any(_NOT_FOUND.match(seg) for seg in segments)
