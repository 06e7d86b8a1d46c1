"""The one reason table: every code a link can get, with its verdict, what it means,
the sentence shown for a result, what a maintainer should do, and its flags.

The engine, the reports, ``fix --redirects`` and the site all read this table;
``docs/verdicts.md`` is generated from it (``python -m linkcheck.engine.reasons``),
and a test keeps the two equal.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from linkcheck.model import Verdict


@dataclass(frozen=True)
class Reason:
    code: str
    verdict: Verdict
    meaning: str  # for the docs
    sentence: str  # for one result; may use {status} and {final_url}
    fix: str = ""  # for maintainers ("" = nothing to do)
    permanent_move: bool = False  # `fix --redirects` may rewrite the link to its target
    not_checked: bool = False  # alive but we could not look: never an alarm for readers
    network: bool = False  # says more about our own network than the link (offline rule)
    engine: bool = True  # False: found by the reports (content drift), never by one fetch


_TABLE: tuple[Reason, ...] = (
    Reason("ok", "ok", "the page answered 2xx", "OK"),
    Reason("redirect_temporary", "ok", "a temporary redirect (302/303/307) that ends on a live page",
           "OK after a temporary redirect to {final_url}"),
    Reason("moved_permanently", "warn",
           "a permanent redirect (301/308) that ends on a live page: update the link",
           "moved permanently, update to {final_url}", permanent_move=True),
    Reason("anchor_missing", "warn", "the page is live but has no element with the #fragment's id/name",
           "page is live but the #anchor is missing",
           "The page is up but the #anchor is gone: link the page or an anchor that exists."),
    Reason("bot_blocked", "warn", "a bot wall (Cloudflare, captcha, 999), for browser-like headers too",
           "blocked for robots, not checked",
           "The site blocks automated checkers: open it in a browser once in a while.", not_checked=True),
    Reason("rate_limited", "warn", "the server kept answering 429 Too Many Requests, or asked us (429/503) "
           "to come back later than the Retry-After cap: alive but not checked this run",
           "rate limited (HTTP {status}), not checked",
           "The site rate-limits checkers: open it in a browser, or check it less often.", not_checked=True),
    Reason("auth_required", "warn", "the server asks for a login (401): alive but not checked",
           "needs a login (401), not checked",
           "The page needs a login: link a public page instead if readers cannot log in.", not_checked=True),
    Reason("login_required", "warn", "the link redirects to a sign-in page on another host (a single "
           "sign-on, an identity provider, a login form): readers without an account cannot see the page",
           "login required: redirected to a sign-in page",
           "Readers are sent to sign in before they see the page: link a public page instead, or say "
           "next to the link that it needs an account."),
    Reason("not_found", "error", "the server answered 404 Not Found or 410 Gone", "not found (HTTP {status})",
           "The page is gone: find its new address, link an archived copy, or remove the link."),
    Reason("forbidden", "error", "the server answered 403 Forbidden, to a browser-like client too",
           "forbidden (HTTP 403), to a browser too",
           "The server refuses even browsers: check by hand, then replace or remove the link."),
    Reason("http_error", "error", "another 4xx client error status", "client error (HTTP {status})",
           "The server rejects the request: check the URL by hand and correct it."),
    Reason("unexpected_status", "error", "a final status that is neither success, redirect nor error "
           "(304 Not Modified to a plain request, a 3xx other than a redirect, an unknown code)",
           "unexpected answer (HTTP {status})",
           "The server answers with a status a browser cannot show: check the URL by hand."),
    Reason("server_error", "error", "a 5xx status, still there after retries",
           "server error (HTTP {status}) after retries",
           "The server keeps failing: if it lasts, link an archived copy or remove the link."),
    Reason("soft_404", "error", "a 200 page that is really 'not found': its title says so, a redirect "
           "sent it to a URL that names an error page (`/404`, `/error`, `/not-found`, "
           "`?aspxerrorpath=`, in several languages), its canonical link names one, or the site serves "
           "the same page for a random nonexistent path",
           "the page says 'not found' although it answers 200",
           "The page says it no longer exists: find its new address, link an archived copy, "
           "or remove the link."),
    Reason("redirected_home", "error", "a deep link whose redirects end on the site's home page (its root "
           "or bare landing page): the page was removed and readers are sent to the front door",
           "redirected to the home page ({final_url}): the page is gone",
           "The page was removed and the site sends readers to its home page: find the page's new "
           "address, link an archived copy, or remove the link."),
    Reason("redirected_index", "error", "a deep link whose redirects end on an index above it on the same "
           "site: the docs index of this or another version, or a section's index (`/en/1.0/guide/x.html` "
           "-> `/en/latest/`): the page was removed",
           "redirected to an index page ({final_url}): the page is gone",
           "The page was removed and the site sends readers to an index: find the page's new address "
           "(search the index), link an archived copy, or remove the link."),
    Reason("host_redirected", "error", "a deep link sent to another site's front page, where any path of "
           "its host goes too: the whole site now points elsewhere (a service acquired, merged or closed)",
           "the whole site now redirects to {final_url}: the page is gone",
           "The site the link pointed into is gone (it now sends every page to another site's front "
           "page): link an archived copy, or the new owner's equivalent page, or remove the link."),
    Reason("empty_page", "error", "the page answers 200 with nothing in it (no body, or only white space)",
           "the page is empty although it answers 200",
           "The page is blank: open it in a browser; if it stays empty, link an archived copy or "
           "remove the link."),
    Reason("parked_domain", "error", "the domain is parked or for sale: a parking page (\"This domain may "
           "be for sale\", a parking provider's script or host) instead of the site",
           "the domain is parked or for sale: the site is gone",
           "The domain lapsed and now shows a parking or for-sale page (it may turn into spam): "
           "link an archived copy or remove the link."),
    Reason("redirect_loop", "error", "the redirects go round in a circle", "redirect loop",
           "Its redirects go in circles: link the final page directly, or remove the link."),
    Reason("too_many_redirects", "error", "more redirect hops than allowed (default 20)",
           "too many redirects",
           "Its redirect chain is too long: link the final page directly."),
    Reason("bad_redirect", "error", "a redirect without a usable Location",
           "redirect without a usable Location",
           "It redirects nowhere usable: find the page's current address."),
    Reason("timeout", "error", "connected, but no answer within the per-request deadline (a silent host "
           "gets one more attempt; no link takes more than twice the timeout)",
           "timed out",
           "The host does not answer in time: if it lasts, link an archived copy or remove the link.",
           network=True),  # a firewall or sandbox accepts and stalls too: no proof the network works
    Reason("connect_timeout", "error", "the connection could not be opened in time (one more attempt)",
           "could not connect in time",
           "The host cannot be reached: if it lasts, link an archived copy or remove the link.",
           network=True),
    Reason("connection_error", "error", "no connection could be opened (refused, or the network "
           "unreachable)", "connection refused or unreachable",
           "The host refuses connections: if it lasts, link an archived copy or remove it.", network=True),
    Reason("bad_response", "error", "connected, but the server reset or closed the connection, or sent "
           "no usable HTTP answer (garbage, only an interim 1xx), after retries",
           "no usable answer: the server closed the connection",
           "The server accepts connections but answers nothing usable: if it lasts, link an archived "
           "copy or remove the link."),
    Reason("dns_error", "error", "the DNS answered that the host name does not exist",
           "host name does not resolve",
           "The domain no longer resolves: the site is probably gone; link an archived copy "
           "or remove the link."),
    Reason("dns_unreachable", "error", "the host name could not be looked up: the resolver itself did not "
           "answer (says more about our network than the link)", "DNS lookup failed: no resolver answered",
           "Our resolver did not answer: check the checker's network; the link was not judged.",
           network=True),
    Reason("tls_error", "error", "the TLS handshake or certificate failed", "TLS/certificate failure",
           "The site's HTTPS certificate fails: check by hand; link elsewhere if it stays broken."),
    Reason("private_address", "error", "the target (or a redirect, or its DNS answer) is a private, "
           "loopback or link-local address: refused by the SSRF guard",
           "refused: private, loopback or link-local address",
           "The link points to a private or local address: use a public URL."),
    Reason("invalid_url", "error", "the URL cannot be parsed, has no host, or its host cannot be a host "
           "name (an empty label as in `http://.example.org/`, a character no host has): judged without "
           "a DNS lookup", "invalid URL",
           "The URL is malformed: correct its spelling."),
    Reason("local_file", "error", "a link to a file on someone's computer or network share (`file:`, "
           "`smb:`, a Windows path `C:\\...` or `\\\\server\\...`): no reader can open it",
           "points at a file on a computer or network share, not at the web",
           "Readers cannot open files on your computer or network: publish the file and link its "
           "http(s) address, or remove the link."),
    Reason("unsupported_scheme", "error", "not a web address a reader can open (`ftp:`, a typo such as "
           "`htps:`, `localhost:8000/` without `http://`); mail, phone and chat links are not checked",
           "not an http(s) URL",
           "Not a web address readers can open: correct it to an http(s) URL, or remove the link."),
    Reason("check_failed", "error", "the checker itself failed on this URL (a bug: please report it)",
           "the checker failed on this URL",
           "Open the link in a browser; if it is really gone, replace or remove it."),
    Reason("content_drift", "warn", "the page's title changed completely since earlier runs "
           "(found by the reports, comparing runs)", "the page's title changed completely",
           "The page's title changed completely: open it and check the domain was not "
           "parked, sold or taken over; replace or remove the link if so.", engine=False),
)

TABLE: dict[str, Reason] = {reason.code: reason for reason in _TABLE}
# code -> (verdict, meaning), for every code one fetch can give
REASONS: dict[str, tuple[Verdict, str]] = {r.code: (r.verdict, r.meaning) for r in _TABLE if r.engine}
NETWORK_REASONS = frozenset(r.code for r in _TABLE if r.network)
NOT_CHECKED_REASONS = frozenset(r.code for r in _TABLE if r.not_checked)
PERMANENT_MOVE_REASONS = frozenset(r.code for r in _TABLE if r.permanent_move)


def markdown_table() -> str:
    """docs/verdicts.md, generated: the table a reader of the docs sees."""
    lines = [
        "# Link checker verdicts",
        "",
        "<!-- generated from linkcheck/engine/reasons.py by `python -m linkcheck.engine.reasons"
        " > docs/verdicts.md`; edit the table there -->",
        "",
        "Every checked URL gets a verdict (`ok`, `warn`, `error`) and one reason code; a code always",
        "has the same verdict. Readers of the site are told a link is broken only after it failed in",
        "`LINKCHECK_BROKEN_AFTER_RUNS` consecutive runs spanning `LINKCHECK_BROKEN_AFTER_HOURS`.",
        "",
        "| reason | verdict | meaning | what to do |",
        "|---|---|---|---|",
    ]
    for r in _TABLE:
        fix = "update the link (`python -m linkcheck fix --redirects`)" if r.permanent_move else r.fix
        lines.append(f"| `{r.code}` | {r.verdict} | {r.meaning} | {fix or '—'} |")
    lines += ["", "Flags: " + "; ".join([
        "alive but not checked (never an alarm): " + ", ".join(f"`{c}`" for c in sorted(NOT_CHECKED_REASONS)),
        "nothing connected (a run where every host failed so is offline): "
        + ", ".join(f"`{c}`" for c in sorted(NETWORK_REASONS)),
        "rewritten by `fix --redirects`: " + ", ".join(f"`{c}`" for c in sorted(PERMANENT_MOVE_REASONS)),
    ]) + ".", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(markdown_table())
