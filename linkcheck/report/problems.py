"""What the store knows about problem links, shaped for people: suggested
fixes, per-host statistics and locations. Shared by the reports and the
site's link-health page so both say the same thing."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from linkcheck.model import Location
from linkcheck.upkeep.fix import is_permanent_move, target_url

# Warn reasons meaning "alive but we could not look": never an alarm for readers.
NOT_CHECKED_REASONS = frozenset({"bot_blocked", "rate_limited", "auth_required"})

# reason code (linkcheck.engine.verdict.REASONS, plus "content_drift") -> what a maintainer should do
FIXES: dict[str, str] = {
    "anchor_missing": "The page is up but the #anchor is gone: link the page or an anchor that exists.",
    "bot_blocked": "The site blocks automated checkers: open it in a browser once in a while.",
    "rate_limited": "The site rate-limits checkers: open it in a browser, or check it less often.",
    "auth_required": "The page needs a login: link a public page instead if readers cannot log in.",
    "not_found": "The page is gone: find its new address, link an archived copy, or remove the link.",
    "soft_404": "The page says it no longer exists: find its new address, link an archived copy, "
                "or remove the link.",
    "forbidden": "The server refuses even browsers: check by hand, then replace or remove the link.",
    "http_error": "The server rejects the request: check the URL by hand and correct it.",
    "server_error": "The server keeps failing: if it lasts, link an archived copy or remove the link.",
    "redirect_loop": "Its redirects go in circles: link the final page directly, or remove the link.",
    "too_many_redirects": "Its redirect chain is too long: link the final page directly.",
    "bad_redirect": "It redirects nowhere usable: find the page's current address.",
    "timeout": "The host does not answer in time: if it lasts, link an archived copy or remove the link.",
    "connect_timeout": "The host cannot be reached: if it lasts, link an archived copy or remove the link.",
    "connection_error": "The host refuses connections: if it lasts, link an archived copy or remove it.",
    "dns_error": "The domain no longer resolves: the site is probably gone; link an archived copy "
                 "or remove the link.",
    "tls_error": "The site's HTTPS certificate fails: check by hand; link elsewhere if it stays broken.",
    "private_address": "The link points to a private or local address: use a public URL.",
    "invalid_url": "The URL is malformed: correct its spelling.",
    "unsupported_scheme": "Not a web address: use an http(s) URL.",
    "content_drift": "The page's title changed completely: open it and check the domain was not "
                     "parked, sold or taken over; replace or remove the link if so.",
}


def is_blocked(reason: str | None) -> bool:
    """Blocked for robots or otherwise alive-but-unchecked: never an alarm."""
    return reason in NOT_CHECKED_REASONS


def suggest_fix(url: str, verdict: str | None, reason: str | None, status: int | None,
                final_url: str | None) -> str:
    """One sentence telling a maintainer what to do about a link ("" when nothing)."""
    if verdict == "ok" or verdict is None:
        return ""
    if is_permanent_move(verdict, reason, final_url):
        assert final_url is not None
        new = target_url(url, final_url)
        return f"Update the link to {new} (python -m linkcheck fix --redirects does it)."
    if reason in FIXES:
        return FIXES[reason]
    if verdict == "error":
        return "Open the link in a browser; if it is really gone, replace or remove it."
    return "Review the link by hand."


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower() or "(none)"
    except ValueError:
        return "(invalid)"


def host_stats(verdicts: Mapping[str, str | None]) -> list[dict[str, Any]]:
    """Per host: total and count per verdict, worst hosts (most errors) first."""
    per: dict[str, Counter[str]] = defaultdict(Counter)
    for url, verdict in verdicts.items():
        per[host_of(url)][verdict or "unchecked"] += 1
    rows = [
        {"host": host, "total": sum(c.values()), "ok": c["ok"], "warn": c["warn"],
         "error": c["error"], "unchecked": c["unchecked"]}
        for host, c in per.items()
    ]
    return sorted(rows, key=lambda r: (-r["error"], -r["warn"], r["host"]))


def location_dicts(locations: Iterable[Location]) -> list[dict[str, Any]]:
    return [
        {"source": loc.source, "line": loc.line, "page": loc.page, "entry": loc.entry, "fact": loc.fact}
        for loc in locations
    ]
