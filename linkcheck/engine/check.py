"""The engine: URLs in, one ``Result`` per URL out. Knows nothing of Pelican, Celery or SQLite.

Flow per distinct page (URLs differing only in their #fragment share one fetch):
follow redirects by hand (each hop SSRF-checked, recorded), HEAD first and GET
when HEAD is refused or fails, retry transient failures (``retry``), try again
with browser-like headers behind a bot wall, GET small or suspicious HTML pages
to see meta refresh, titles and anchors, compare with the host's answer to a
nonexistent path (``softnotfound``), then map everything to a reason
(``verdict``). Politeness lives in ``hosts``, the wire in ``client``.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import heapq
import itertools
import logging
import random
import socket
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from typing import Any

from yarl import URL

from linkcheck.engine import page as html
from linkcheck.engine import stubs
from linkcheck.engine.anchors import anchor_of, has_anchor
from linkcheck.engine.client import (
    DEFAULT_USER_AGENT,
    BadURL,
    Reply,
    Session,
    fetch,
    headers_for,
    make_session,
    request_url,
)
from linkcheck.engine.hosts import HostLimiter, Slots
from linkcheck.engine.parked import loads_parking_script, on_parking_host, says_parked
from linkcheck.engine.retry import TRANSIENT_STATUSES, parse_retry_after, retry_delay
from linkcheck.engine.softnotfound import (
    Probe,
    is_app_shell,
    page_says_not_found,
    probe_url,
    same_as_probe,
    text_says_not_found,
)
from linkcheck.engine.ssrf import blocked_host
from linkcheck.engine.urlnames import names_error_page, redirected_to_index, sign_in_hop
from linkcheck.engine.verdict import (
    NETWORK_REASONS,
    is_challenge,
    is_landing,
    looks_bot_walled,
    permanent_target,
    reason_for_status,
    redirected_home,
    same_site,
    sentence,
    verdict_of,
)
from linkcheck.model import Result
from linkcheck.urls import host_of

log = logging.getLogger(__name__)

PERMANENT = frozenset({301, 308})
# HEAD failures for which GET would fail the same way (no connection at all): skip the GET.
_NO_GET_AFTER = frozenset({"dns_error", "private_address", "connect_timeout", "invalid_url"})
_SILENT = frozenset({"timeout", "connect_timeout"})  # no answer in time: one more attempt at most
SILENT_REQUESTS = 4  # requests a host left unanswered (and answered none) before we stop waiting on it
_MIN_ATTEMPT = 0.05  # seconds: less budget than this is not worth another request
# Pages bigger than this are read in a worker thread: lxml builds big trees with the GIL
# released, every pattern on page text is linear (tests/engine/test_bounded_patterns.py),
# and the event loop keeps serving the other requests meanwhile. Smaller pages cost less
# than handing them over would.
PARSE_OFF_LOOP_BYTES = 16 * 1024


@dataclass(frozen=True)
class CheckOptions:
    concurrency: int = 512  # requests in flight overall
    host_concurrency: int = 8  # requests in flight per host
    host_interval: float = 0.05  # seconds between request starts to one host
    connect_timeout: float = 10.0
    timeout: float = 30.0  # total deadline per request (status line and headers; body within it)
    retries: int = 3  # extra attempts for transient failures
    retry_after_cap: float = 60.0  # longest Retry-After we honour
    max_redirects: int = 20
    max_body_bytes: int = 1024 * 1024  # read at most this much of a page (anchors)
    allow_private: bool = False  # lift the SSRF guard (tests, benchmarks, intranets)
    user_agent: str = DEFAULT_USER_AGENT
    backoff_base: float = 0.5  # first retry waits 0.25-0.5 s, doubling
    backoff_cap: float = 8.0
    page_bytes: int = 128 * 1024  # read this much when only title/refresh/headings matter
    small_page_bytes: int = 2048  # HTML answering HEAD with at most this (or no) length is fetched
    soft404_probe: bool = True  # ask each host for a nonexistent path once
    ssrf_exempt: frozenset[str] = frozenset()  # IP literals the guard lets through (tests)
    resolve: tuple[tuple[str, str], ...] = ()  # fixed (host name, IP) answers, like curl --resolve
    method: str = "head"  # "head": HEAD first, GET when needed; "get": always GET
    processes: int = 0  # engine processes, each over its own hosts; 0: one per core for big runs
    # Names that exist on the open internet: when "no such name" comes back for every one of
    # them too, the resolver is filtered or cut off (a sandbox, a captive portal), and its
    # answers say nothing about our links.
    dns_canaries: tuple[str, ...] = ("example.com", "www.iana.org", "www.python.org")

    @classmethod
    def from_settings(cls, settings: Any, **overrides: Any) -> CheckOptions:
        names = {f.name for f in fields(cls)}
        values = {name: getattr(settings, name) for name in names if hasattr(settings, name)}
        if not values.get("user_agent"):
            values["user_agent"] = DEFAULT_USER_AGENT
        unknown = set(overrides) - names
        if unknown:
            raise TypeError(f"unknown check option(s): {', '.join(sorted(unknown))}")
        values.update({k: v for k, v in overrides.items() if v is not None})
        if isinstance(values.get("ssrf_exempt"), (list, tuple, set)):
            values["ssrf_exempt"] = frozenset(values["ssrf_exempt"])
        if isinstance(values.get("resolve"), dict):
            values["resolve"] = tuple(values["resolve"].items())
        return cls(**values)


@dataclass
class _Trail:
    """What following one page produced."""

    final_url: URL
    final_text: str = ""  # str(final_url), once computed (yarl builds it anew each time)
    reply: Reply | None = None
    redirects: list[tuple[int, str]] = field(default_factory=list)
    page: html.Page | None = None
    error: str | None = None  # reason code when we stopped without a judgeable answer
    detail: str = ""
    attempts: int = 0
    challenge: bool = False  # a recognisable bot wall answered
    spent: float = 0.0  # seconds of this link's budget used: requests and retry waits
    silences: int = 0  # requests that got no answer in time (a silent host gets one more at most)
    come_back_later: str = ""  # a Retry-After beyond the cap: "rate_limited" at once, detail here

    def budget_left(self, options: CheckOptions) -> float:
        """No link holds a run longer than twice the timeout (time queued for a host's
        politeness slot is not the link's doing and is not counted)."""
        return 2 * options.timeout - self.spent


@dataclass
class _Habits:
    """What HEAD has been worth on one host so far.

    HEAD saves bytes on big files, but when a host's pages are small HTML we GET them
    anyway (meta refresh, titles): after a few such answers the host is asked with GET
    straight away, saving a round trip per link. A big or non-HTML answer tips it back.
    """

    get_needed: int = 0  # HEAD 2xx answers that still needed a GET
    head_enough: int = 0  # answers where HEAD alone would have settled the link

    @property
    def known(self) -> bool:
        return self.get_needed + self.head_enough >= 2

    @property
    def get_first(self) -> bool:
        return self.get_needed >= 2 and self.get_needed >= 4 * self.head_enough


class _Engine:
    def __init__(self, options: CheckOptions, session: Session) -> None:
        self.o = options
        self.session = session
        self.hosts = HostLimiter(options.host_concurrency, options.host_interval)
        self.probes: dict[str, asyncio.Future[Probe]] = {}
        self.habits: dict[str, _Habits] = {}
        self.run_habits = _Habits()  # the whole run's, for hosts not seen yet
        self.in_flight = Slots(options.concurrency)  # the global limit
        self.rng = random.Random()
        self.resolver: asyncio.Future[bool] | None = None  # does our resolver answer at all?
        self.answered: set[str] = set()  # hosts that sent at least one HTTP answer this run
        self.silent: dict[str, int] = {}  # host -> requests that got no answer in time

    def _get_first(self, host: str) -> bool:
        habits = self.habits.get(host)
        if habits is not None and habits.known:
            return habits.get_first
        run = self.run_habits  # a new host: go by the run so far, once it has said enough
        return run.get_needed >= 20 and run.get_first

    def _habits(self, host: str) -> _Habits:
        habits = self.habits.get(host)
        if habits is None:
            habits = self.habits[host] = _Habits()
        return habits

    # --- one request, retried while the failure looks transient
    async def _send(self, url: URL, method: str, browser: bool, max_bytes: int, trail: _Trail
                    ) -> tuple[Reply, int]:
        host = url.host or ""
        headers = headers_for(self.o.user_agent, browser)
        attempt = 0
        while True:
            left = trail.budget_left(self.o)
            if left <= _MIN_ATTEMPT:
                return Reply(error="timeout", method="GET" if method == "auto" else method,
                             detail=f"no verdict within this link's {2 * self.o.timeout:g} s"), attempt
            async with self.hosts.slot(host), self.in_flight:
                if method == "auto":  # decided at the last moment: earlier answers may have taught us
                    method = "GET" if self._get_first(host) else "HEAD"
                if self.silent.get(host, 0) >= SILENT_REQUESTS and host not in self.answered:
                    # asked while we queued: the host left every request unanswered, do not wait again
                    return Reply(error="timeout", method=method,
                                 detail="the host answered none of this run's requests"), attempt
                started = time.monotonic()
                reply = await fetch(self.session, method, url, headers, timeout=min(self.o.timeout, left),
                                    max_bytes=0 if method == "HEAD" else max_bytes,
                                    text=trail.final_text if url is trail.final_url else None)
                trail.spent += time.monotonic() - started
            if reply.status is not None:
                self.answered.add(host)
            if reply.error in _SILENT and left < self.o.timeout:  # cut short by the budget, not the host
                reply.detail = f"no verdict within this link's {2 * self.o.timeout:g} s"
                return reply, attempt + 1
            if reply.error in _SILENT:
                trail.silences += 1
                self.silent[host] = self.silent.get(host, 0) + 1
                if trail.silences >= 2 or (method == "HEAD" and reply.error == "timeout"):
                    return reply, attempt + 1  # a HEAD that hangs gets its one more try as a GET
            transient = reply.retryable or (
                reply.status in TRANSIENT_STATUSES
                and not is_challenge(reply.status, reply.headers, reply.body)
            )
            if not transient or attempt >= self.o.retries:
                return reply, attempt + 1
            asked = parse_retry_after(reply.headers.get("retry-after"))
            if asked is not None and asked > self.o.retry_after_cap:
                # the next scheduled run tries again; waiting here would hold the whole run
                cap = self.o.retry_after_cap
                trail.come_back_later = f"Retry-After {asked:.0f} s is beyond the {cap:g} s cap"
                return reply, attempt + 1
            delay = retry_delay(attempt, reply.headers.get("retry-after"), base=self.o.backoff_base,
                                cap=self.o.backoff_cap, retry_after_cap=self.o.retry_after_cap, rng=self.rng)
            if delay >= trail.budget_left(self.o) - _MIN_ATTEMPT:
                if asked is not None:
                    trail.come_back_later = f"Retry-After {asked:.0f} s is more than this link's time left"
                return reply, attempt + 1
            if reply.status in (429, 503):
                self.hosts.pause(host, delay)  # the whole host asked for a break, not just this URL
            await asyncio.sleep(delay)
            trail.spent += delay
            attempt += 1

    # --- one hop: HEAD, GET fallback, browser-like retry behind bot walls
    async def _hop(self, url: URL, method: str, browser: bool, max_bytes: int, trail: _Trail
                   ) -> tuple[Reply, int, bool, bool]:
        reply, attempts = await self._send(url, method, browser, max_bytes, trail)
        if trail.come_back_later or trail.silences >= 2 or trail.budget_left(self.o) <= _MIN_ATTEMPT:
            return reply, attempts, browser, False
        if reply.method == "HEAD" and (
            (reply.error and reply.error not in _NO_GET_AFTER
             and not (reply.error == "connection_error" and not reply.retryable))
            or (reply.status is not None and reply.status >= 400)
        ):
            reply, more = await self._send(url, "GET", browser, max_bytes, trail)
            attempts += more
        challenge = False
        if not browser and reply.status is not None and looks_bot_walled(reply.status, reply.headers):
            first = reply
            second, more = await self._send(url, "GET", True, max_bytes, trail)
            attempts += more
            if second.status is not None and second.status < 400 and not is_challenge(
                second.status, second.headers, second.body
            ):
                return second, attempts, True, False  # the browser-like client got through
            challenge = (
                is_challenge(first.status or 0, first.headers, first.body)
                or (second.status is not None and is_challenge(second.status, second.headers, second.body))
                or first.status == 999
                or second.status == 999
            )
            if second.status is not None:
                reply = second
        return reply, attempts, browser, challenge

    # --- follow a URL to its end
    async def _follow(self, start: URL, *, anchors: bool, probing: bool = False) -> _Trail:
        trail = _Trail(final_url=start)
        visits: dict[str, int] = {}
        current, browser = start, False
        cap = self.o.max_body_bytes if anchors else min(self.o.page_bytes, self.o.max_body_bytes)
        while True:
            key = str(current)
            visits[key] = visits.get(key, 0) + 1
            trail.final_url, trail.final_text = current, key
            if visits[key] > 2:  # twice is a cookie bounce, three times a loop
                trail.error = "redirect_loop"
                return trail
            if len(trail.redirects) > self.o.max_redirects:
                trail.error = "too_many_redirects"
                return trail
            if not self.o.allow_private and blocked_host(current.host or "", self.o.ssrf_exempt):
                trail.error, trail.detail = "private_address", current.host or ""
                return trail
            habits = self._habits(current.host or "")
            method = "GET" if anchors or probing or self.o.method == "get" else "auto"
            reply, attempts, browser, trail.challenge = await self._hop(current, method, browser, cap, trail)
            trail.attempts += attempts
            trail.reply = reply
            if reply.error:
                trail.error, trail.detail = reply.error, reply.detail
                if reply.error == "dns_error" and not await self._resolver_answers(current.host or ""):
                    trail.error = "dns_unreachable"
                return trail
            status = reply.status or 0
            if 300 <= status < 400 and status != 304:
                target = self._target(reply.headers.get("location"), current, trail)
                if target is None:
                    return trail
                trail.redirects.append((status, str(target)))
                current = target
                continue
            if not 200 <= status < 300:
                return trail
            if reply.method == "GET" and not (anchors or probing) and not self._small_html(reply):
                habits.head_enough += 1
                self.run_habits.head_enough += 1
            if reply.method == "HEAD" and not probing:
                if await self._wants_body(current, reply, trail):
                    habits.get_needed += 1
                    self.run_habits.get_needed += 1
                    got, attempts = await self._send(current, "GET", browser, cap, trail)
                    trail.attempts += attempts
                    if got.error or not 200 <= (got.status or 0) < 300:
                        # HEAD said 200 but GET disagrees: the GET is what a reader gets.
                        trail.reply = got
                        if got.error:
                            trail.error, trail.detail = got.error, got.detail
                        return trail
                    reply = trail.reply = got
                else:
                    habits.head_enough += 1
                    self.run_habits.head_enough += 1
            if reply.body and html.is_html(reply.headers.get("content-type"), reply.body):
                trail.page = await _off_loop(len(reply.body), html.parse, reply.body, reply.charset,
                                             anchors=anchors)
            refresh = trail.page.refresh if trail.page else None
            refresh = refresh or _refresh_header(reply.headers.get("refresh"))
            if not refresh and trail.page is not None:  # a page that is only a script sending the reader on
                refresh = stubs.script_redirect(reply.body, reply.charset)
            if refresh:
                target = self._target(refresh, current, trail)
                if target is None:
                    return trail
                if target != current:  # a page reloading itself is not sending anyone away
                    trail.redirects.append((status, str(target)))
                    trail.page = None
                    current = target
                    continue
            return trail

    def _target(self, location: str | None, current: URL, trail: _Trail) -> URL | None:
        if not location:
            trail.error, trail.detail = "bad_redirect", "no Location header"
            return None
        try:
            return request_url(location, base=current)
        except BadURL as exc:
            trail.error, trail.detail = "bad_redirect", f"{location!r}: {exc}"
            return None

    def _small_html(self, reply: Reply) -> bool:
        return (html.is_html(reply.headers.get("content-type")) and not reply.truncated
                and len(reply.body) <= self.o.small_page_bytes)

    async def _wants_body(self, url: URL, reply: Reply, trail: _Trail) -> bool:
        """HEAD said 2xx: is a GET worth it? Only for HTML that could still be a soft 404
        or a meta refresh: small pages (redirect stubs), unknown sizes, pages reached via a
        redirect, and any page on a host that answers nonexistent paths with 2xx."""
        length = reply.headers.get("content-length")
        if length == "0":
            return True  # an empty page? the GET says (HEAD answers often leave the length out)
        if not html.is_html(reply.headers.get("content-type")):
            return False
        if trail.redirects:
            return True
        if length is None or not length.isdigit() or int(length) <= self.o.small_page_bytes:
            return True
        return (await self.probe(url, trail)).soft

    async def _resolver_answers(self, host: str) -> bool:
        """A name that did not resolve: did the resolver say "no such name" (an answer about
        the link) or not answer at all (our network)? libcurl does not tell the two apart;
        one lookup of our own per run does, plus the canaries: a resolver that denies names
        which certainly exist is not answering about the link either."""
        if self.resolver is None:
            self.resolver = asyncio.ensure_future(resolver_trusted(host, self.o.dns_canaries))
        return await asyncio.shield(self.resolver)

    # --- soft-404 probe, once per origin
    async def probe(self, url: URL, trail: _Trail) -> Probe:
        if not self.o.soft404_probe:
            return Probe(status=None)
        origin = f"{url.scheme}://{url.host}:{url.port}"
        future = self.probes.get(origin)
        if future is None:
            future = self.probes[origin] = asyncio.ensure_future(self._run_probe(url))
        if future.done():  # the usual case after a host's first page: no timer, no task
            return future.result()
        # waiting for the host's probe counts against this link's budget too
        try:
            return await asyncio.wait_for(asyncio.shield(future), max(0.0, trail.budget_left(self.o)))
        except TimeoutError:
            return Probe(status=None)

    async def _run_probe(self, url: URL) -> Probe:
        try:
            trail = await self._follow(probe_url(url), anchors=False, probing=True)
        except Exception:  # a probe must never sink the pages it serves
            log.debug("soft-404 probe of %s failed", url, exc_info=True)
            return Probe(status=None)
        if trail.error or trail.reply is None:
            return Probe(status=None)
        page = trail.page
        return Probe(status=trail.reply.status, final_url=str(trail.final_url),
                     redirected=bool(trail.redirects), title=page.title if page else None,
                     heading=page.heading if page else None)

    # --- a page and all its fragments
    async def check_page(self, wire: URL, written: list[str]) -> list[Result]:
        started = time.monotonic()
        fragments = [_fragment(u) for u in written]
        host = wire.host or ""
        anchors = any(anchor_of(f, host) is not None for f in fragments)
        try:
            trail = await self._follow(wire, anchors=anchors)
            reason, detail = await self._judge(wire, trail)
        except Exception as exc:  # one bad page must not end the run
            log.exception("checking %s failed", wire)
            trail, reason, detail = _Trail(final_url=wire), "check_failed", f"{type(exc).__name__}: {exc}"
        elapsed = time.monotonic() - started
        return [self._result(u, frag, trail, reason, detail, elapsed, host)
                for u, frag in zip(written, fragments, strict=True)]

    async def _judge(self, wire: URL, trail: _Trail) -> tuple[str, str]:
        hops = f" (after {len(trail.redirects)} redirect(s))" if trail.redirects else ""
        if trail.error:
            return trail.error, (trail.detail + hops).strip()
        assert trail.reply is not None
        status = trail.reply.status or 0
        if not 200 <= status < 300:
            if trail.come_back_later and status in (429, 503):
                return "rate_limited", trail.come_back_later
            if trail.challenge or status == 999:
                return "bot_blocked", f"HTTP {status}"
            return reason_for_status(status), hops.strip()
        final, redirected = trail.final_url, bool(trail.redirects)
        if redirected and on_parking_host(wire, final):
            return "parked_domain", f"sent to {final.host}"
        if redirected:
            walled = _error_or_sign_in(wire, trail.redirects)
            if walled is not None:
                return walled
        if page_says_not_found(trail.page):
            title = trail.page.title or trail.page.heading if trail.page else ""
            return "soft_404", f"title {title!r}"
        reply = trail.reply
        stub = _stub(final, reply, trail.page)
        if stub is not None:
            return stub
        home = redirected_home(wire, final, redirected)
        index = redirected and not home and redirected_to_index(wire, final)
        if html.is_html(reply.headers.get("content-type"), reply.body):
            probe = await self.probe(final, trail)
            app_shell = False
            # Only pages reached by a redirect, or on a host that answers nonexistent paths
            # with 2xx, can be parked or a wordier "not found": only those are read in full.
            if reply.body and (redirected or probe.soft):
                title = trail.page.title if trail.page is not None else None
                verdict, app_shell = await _off_loop(len(reply.body), read_page, reply.body, reply.charset,
                                                     title)
                if verdict is not None:
                    return verdict
            if not (home or index or app_shell) and same_as_probe(
                    probe, requested=wire, final_url=str(final), redirected=redirected, page=trail.page):
                return "soft_404", "the site answers a nonexistent path with the same page"
        if home:
            return "redirected_home", ""
        if index:
            return "redirected_index", ""
        if redirected and await self._whole_host_redirected(wire, final, trail):
            return "host_redirected", f"every path of {wire.host} goes to {final}"
        if trail.redirects and trail.redirects[0][0] in PERMANENT:
            return "moved_permanently", ""
        if trail.redirects:
            return "redirect_temporary", ""
        return "ok", ""

    async def _whole_host_redirected(self, wire: URL, final: URL, trail: _Trail) -> bool:
        """A deep link sent to another site's front page, where a random path of its own host
        goes too: the whole host now points at that site (a service acquired, merged or
        closed), and the page is gone. A single page moved to a new domain is a move: the
        old host answers other paths on its own (404, or somewhere else)."""
        if not is_landing(final) or (is_landing(wire) and not wire.query_string):
            return False
        if same_site(wire.host or "", final.host or ""):
            return False
        probe = await self.probe(wire, trail)  # the link's own host, once per run
        if not probe.redirected or not probe.final_url:
            return False
        landed = URL(probe.final_url)
        return is_landing(landed) and same_site(landed.host or "", final.host or "")

    def _result(self, written: str, fragment: str | None, trail: _Trail, reason: str, detail: str,
                elapsed: float, host: str = "") -> Result:
        page = trail.page
        anchor = anchor_of(fragment, host)
        if verdict_of(reason) != "error" and anchor is not None and page is not None:
            truncated = trail.reply is not None and trail.reply.truncated
            if not has_anchor(page.anchors, anchor) and not truncated:
                moved = reason == "moved_permanently"
                also = f" (also moved permanently to {permanent_target(trail.redirects)})" if moved else ""
                reason, detail = "anchor_missing", f"#{fragment} not found{also}"
        status = trail.reply.status if trail.reply else None
        final = (trail.final_text or str(trail.final_url)) if trail.reply is not None else None
        shown = permanent_target(trail.redirects) if reason == "moved_permanently" else final
        return Result(
            url=written,
            verdict=verdict_of(reason),
            reason=reason,
            message=sentence(reason, status=status, final_url=shown, detail=detail),
            status=status,
            final_url=final,
            redirects=list(trail.redirects),
            title=page.title if page else None,
            checked_at=time.time(),
            elapsed=round(elapsed, 4),
            attempts=max(1, trail.attempts),
        )


def _error_or_sign_in(wire: URL, redirects: list[tuple[int, str]]) -> tuple[str, str] | None:
    """A redirect that names an error page (judged with the page it stands for: not found), or
    that sends the reader to sign in on another host (the page is behind a login)."""
    for _status, location in redirects:
        if names_error_page(URL(location), wire):
            return "soft_404", f"redirected to an error page, {location}"
    sign_in = sign_in_hop(wire, redirects)
    if sign_in is not None:
        return "login_required", f"sent to sign in at {URL(sign_in).host}"
    return None


_FRONT_PAGES = frozenset({"", "/", "/index.html", "/index.htm", "/index.php"})


def _stub(final: URL, reply: Reply, page: html.Page | None) -> tuple[str, str] | None:
    """A 2xx page read in full that is no page: a front page whose title says the domain is
    for sale, an empty page, or one declaring a not-found page its canonical address."""
    titles = [t for t in (page.title, page.heading) if t] if page is not None else []
    if titles and final.raw_path in _FRONT_PAGES and says_parked(titles, ""):  # a lapsed domain's lander
        return "parked_domain", "the page's title says the domain is for sale"
    if reply.method != "GET" or reply.truncated:
        return None
    if reply.status == 200 and stubs.is_empty(reply.body):
        return "empty_page", ""
    canonical = stubs.canonical_link(reply.body, reply.charset) if page is not None else None
    if canonical:
        try:
            target = request_url(canonical, base=final)
        except BadURL:
            return None
        if names_error_page(target, final):
            return "soft_404", f"its canonical link names a not-found page, {target}"
    return None


_NO_SUCH_NAME = frozenset(
    getattr(socket, name) for name in ("EAI_NONAME", "EAI_NODATA", "EAI_ADDRFAMILY") if hasattr(socket, name)
)


async def resolver_trusted(host: str, canaries: tuple[str, ...]) -> bool:
    """The resolver answers (``resolver_answers``) and resolves at least one canary name."""
    if not await resolver_answers(host):
        return False
    if not canaries:
        return True
    for name in canaries:
        try:
            await asyncio.get_running_loop().getaddrinfo(name, None)
        except (OSError, UnicodeError):
            continue
        return True
    log.warning("the resolver denies even %s: treating DNS failures as no network, not as dead links",
                ", ".join(canaries))
    return False


async def resolver_answers(host: str) -> bool:
    """False when looking ``host`` up fails for want of a resolver (EAI_AGAIN, EAI_FAIL, ...),
    True when the resolver answers, even with "no such name"."""
    try:
        await asyncio.get_running_loop().getaddrinfo(host, None)
    except socket.gaierror as exc:
        return exc.errno in _NO_SUCH_NAME
    except (OSError, UnicodeError):
        return False
    return True


async def _off_loop(size: int, fn: Callable[..., Any], *args: Any, **kw: Any) -> Any:
    """``fn(*args, **kw)`` in a worker thread when it reads a page of more than
    ``PARSE_OFF_LOOP_BYTES``, so one big or hostile page never holds up the other links."""
    if size > PARSE_OFF_LOOP_BYTES:
        return await asyncio.to_thread(fn, *args, **kw)
    return fn(*args, **kw)


def read_page(body: bytes, charset: str | None, title: str | None) -> tuple[tuple[str, str] | None, bool]:
    """Parked or not-found by a page's words: (reason, detail) or None, and whether the page
    is a script-only app shell. Plain work on the body (no I/O): run off the loop for big pages."""
    if loads_parking_script(body.decode("latin-1")):
        return ("parked_domain", "the page loads a domain-parking script"), False
    headings, text = html.headings_and_text(body, charset)
    titled = [title, *headings] if title else headings
    if says_parked(titled, text):
        return ("parked_domain", "the page says the domain is for sale"), False
    if text_says_not_found(headings, text):
        return ("soft_404", "the page says it is not there"), False
    return None, is_app_shell(text)


def _fragment(url: str) -> str | None:
    return url.split("#", 1)[1] if "#" in url else None


def _refresh_header(value: str | None) -> str | None:
    if not value:
        return None
    page = html.parse(f'<meta http-equiv="refresh" content="{value}">'.encode(), "utf-8", anchors=False)
    return page.refresh


def _error_result(url: str, exc: BadURL) -> Result:
    return Result(url=url, verdict=verdict_of(exc.reason), reason=exc.reason,
                  message=sentence(exc.reason, detail=str(exc)), checked_at=time.time())


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the cyclic GC less often meanwhile: thousands of short-lived request objects
    (and, in the parent of engine processes, the results pouring in) trigger it
    constantly, and collecting less often cuts the CPU of a run by a tenth or more."""
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], 50_000), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


async def check_urls(urls: Iterable[str], options: CheckOptions,
                     on_result: Callable[[Result], None] | None = None) -> list[Result]:
    """Check every URL; one Result per distinct input URL, in input order."""
    order = list(dict.fromkeys(urls))
    results: dict[str, Result] = {}
    pages: dict[str, tuple[URL, list[str]]] = {}  # wire URL -> (URL, URLs as written)

    def emit(result: Result) -> None:
        results[result.url] = result
        if on_result is not None:
            on_result(result)

    for url in order:
        try:
            wire = request_url(url)
        except BadURL as exc:
            emit(_error_result(url, exc))
            continue
        pages.setdefault(str(wire), (wire, []))[1].append(url)

    if pages:
        session = make_session(connect_timeout=options.connect_timeout,
                               allow_private=options.allow_private, exempt=options.ssrf_exempt,
                               resolve=dict(options.resolve), max_connections=options.concurrency,
                               hosts=len({wire.host for wire, _written in pages.values()}))
        async with session:
            engine = _Engine(options, session)
            try:
                with fewer_collections():
                    await _run_window(engine, _Feed(pages.values(), per_host=2 * options.host_concurrency),
                                      emit, window=max(1024, 4 * options.concurrency))
            finally:
                for future in engine.probes.values():
                    future.cancel()
                await asyncio.gather(*engine.probes.values(), return_exceptions=True)
    return [results[url] for url in order]


class _Feed:
    """Which page to start next. From the host with the most pages not yet started:
    a run ends when its slowest host ends, and a host whose pages are slow to finish
    (redirects, retries) keeps more of them waiting, so it gets more in progress.
    Ties go round-robin, so a fresh run spreads over every host at once. At most
    ``per_host`` pages of one host are in progress: more would only queue behind the
    host's politeness limit while other hosts idle."""

    def __init__(self, pages: Iterable[tuple[URL, list[str]]], per_host: int) -> None:
        self.per_host = max(1, per_host)
        self.queues: dict[str, deque[tuple[URL, list[str]]]] = {}
        for item in pages:
            self.queues.setdefault(item[0].host or "", deque()).append(item)
        self.active = dict.fromkeys(self.queues, 0)
        self.seq = itertools.count()
        # a host is in the heap exactly when it has pages left and room for one more
        self.ready = [(-len(queue), next(self.seq), host) for host, queue in self.queues.items()]
        heapq.heapify(self.ready)
        self.left = sum(len(queue) for queue in self.queues.values())

    def take(self) -> tuple[str, URL, list[str]] | None:
        """The next page to start, or None when every host with pages left is at its cap."""
        if not self.ready:
            return None
        _key, _seq, host = heapq.heappop(self.ready)
        queue = self.queues[host]
        wire, written = queue.popleft()
        self.left -= 1
        self.active[host] += 1
        if queue and self.active[host] < self.per_host:
            heapq.heappush(self.ready, (-len(queue), next(self.seq), host))
        return host, wire, written

    def finished(self, host: str) -> None:
        at_cap = self.active[host] == self.per_host
        self.active[host] -= 1
        queue = self.queues[host]
        if at_cap and queue:
            heapq.heappush(self.ready, (-len(queue), next(self.seq), host))


async def _run_window(engine: _Engine, feed: _Feed, emit: Callable[[Result], None], window: int) -> None:
    """At most ``window`` pages in progress: memory stays flat however many URLs come in."""
    running: set[asyncio.Task[None]] = set()
    failure: list[BaseException] = []
    wake = asyncio.Event()  # a page finished: a slot, and maybe a host, is free again
    busy = 0  # pages in progress (counted here: a task leaves `running` only after it wakes us)

    async def one(host: str, wire: URL, written: list[str]) -> None:
        nonlocal busy
        try:
            for result in await engine.check_page(wire, written):
                emit(result)
        except Exception as exc:  # on_result raised: stop the run, report it
            failure.append(exc)
        finally:
            busy -= 1
            feed.finished(host)
            wake.set()

    try:
        while feed.left and not failure:
            item = feed.take() if busy < window else None
            if item is None:
                wake.clear()
                await wake.wait()
                continue
            busy += 1
            task = asyncio.create_task(one(*item))
            running.add(task)
            task.add_done_callback(running.discard)
        if running and not failure:
            await asyncio.gather(*running)  # `one` never raises: failures land in `failure`
    finally:
        for task in list(running):
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
    if failure:
        raise failure[0]


OFFLINE_MIN_HOSTS = 3


def is_offline(results: list[Result]) -> bool:
    """The checker itself seems to have no network: at least ``OFFLINE_MIN_HOSTS`` distinct
    hosts were tried and not one answered (nothing connected, connections only stalled, or the
    resolver did not answer or denied even names that exist). One host that answered
    anything -- an HTTP status, a TLS handshake, a DNS "no such name" from a resolver that
    knows real names -- shows the network works, and the failures are the links' own. A
    connection that only stalls is no such proof: firewalls and sandboxes accept and hang.
    Refused URLs (invalid, SSRF) do not count."""
    hosts: set[str] = set()
    for result in results:
        if result.reason in ("invalid_url", "local_file", "unsupported_scheme", "private_address",
                             "check_failed"):
            continue
        if result.reason not in NETWORK_REASONS or result.status is not None:
            return False  # something answered
        host = host_of(result.url)
        if host is not None:
            hosts.add(host)
    return len(hosts) >= OFFLINE_MIN_HOSTS
