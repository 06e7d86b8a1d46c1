"""The HTTP client: one libcurl session per run, URL preparation, one bounded request.

``fetch`` never raises for network trouble: it returns a ``Reply`` whose
``error`` names the failure class. A request has a connect timeout and a total
deadline for the status line and headers; the body is read, streamed and
capped, only within what is left of that deadline -- a server that sent its
headers promptly is alive even if it then drips its body.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import functools
import logging
import os
import re
import select
import selectors
import socket
import ssl
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import pycurl
from yarl import URL

from linkcheck import USER_AGENT
from linkcheck.engine.ssrf import is_blocked_ip, parse_ip
from linkcheck.urls import host_problem, is_ipv4, non_web_reason

log = logging.getLogger(__name__)

DEFAULT_USER_AGENT = USER_AGENT
ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
BROWSER_HEADERS = {
    "User-Agent": (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0.0.0 Safari/537.36"
    ),
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
    "image/apng,*/*;q=0.8",
    "Accept-Language": "en-US,en;q=0.9",
    "Upgrade-Insecure-Requests": "1",
    "Sec-Fetch-Dest": "document",
    "Sec-Fetch-Mode": "navigate",
    "Sec-Fetch-Site": "none",
    "Sec-Fetch-User": "?1",
}
# Keep %XX as written, encode only what may not appear raw (spaces, non-ASCII).
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = _PATH_SAFE + "?"
_NEEDS_QUOTING = re.compile(r"[^A-Za-z0-9/%:@!$&'()*+,;=\-._~?]")  # anything quote() would change


class BadURL(ValueError):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason  # "invalid_url" or "unsupported_scheme"


def request_url(raw: str, base: URL | None = None) -> URL:
    """The URL to put on the wire: IDN host in punycode, percent-encoding as written,
    fragment and userinfo dropped (servers never see them). ``base`` resolves a relative
    Location."""
    text = raw.strip()
    try:
        if base is not None:
            # a server's Location: "[" or "]" in its host makes urljoin raise ValueError
            text = urljoin(str(base), text)
        wire = _plain_wire(text) or _wire(text, written=base is None)
        return URL(wire, encoded=True)
    except BadURL:
        raise
    except ValueError as exc:
        raise BadURL("invalid_url", str(exc)) from exc


# Most links are already in wire form (lower-case http(s), ASCII host, nothing to quote):
# one match replaces the general path below, which every link of a big run would take.
_PLAIN = re.compile(
    r"(https?)://([a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::([1-9][0-9]{0,4}))?"
    r"(/[A-Za-z0-9/%:@!$&'()*+,;=\-._~]*)?(\?[A-Za-z0-9/%:@!$&'()*+,;=\-._~?]*)?(?:#.*)?",
    re.DOTALL,
)


def _plain_wire(text: str) -> str | None:
    """The wire form of an already plain URL; None when the general path must decide."""
    match = _PLAIN.fullmatch(text)
    if match is None:
        return None
    scheme, host, port, path, query = match.groups()
    if ".." in host or (port is not None and int(port) > 65535):
        return None
    if len(host) > 63 or (host[-1].isdigit() and not is_ipv4(host)):
        return None  # the general path says what is wrong with it
    netloc = host if port is None else f"{host}:{port}"
    return f"{scheme}://{netloc}{path or '/'}{query or ''}"


def _wire(text: str, written: bool = False) -> str:
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise BadURL("invalid_url", str(exc)) from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise BadURL(non_web_reason(text, scheme), f"scheme {scheme or '(none)'!r} is not http(s)")
    host = parts.hostname
    if not host:
        raise BadURL("invalid_url", "no host name")
    if "[" in parts.netloc or "]" in parts.netloc:
        if ":" not in host or parse_ip(host) is None:  # brackets hold an IPv6 address, nothing else
            raise BadURL("invalid_url", f"bad host name {parts.netloc.rsplit('@', 1)[-1]!r}")
        ascii_host = f"[{host}]"
    else:
        try:
            ascii_host = host if host.isascii() else host.encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise BadURL("invalid_url", f"host name {host!r} cannot be encoded") from exc
        problem = host_problem(ascii_host)
        if problem:
            raise BadURL("invalid_url", f"bad host name {host!r}: {problem}")
    if written and any(c.isspace() for c in text):
        # a link as written (not a server's Location): whitespace inside is an unfinished
        # attribute or prose, and the author should correct it
        raise BadURL("invalid_url", "whitespace inside the URL")
    # No userinfo on the wire: credentials written in a link are a leaked secret, masked by
    # the inventory (redact.mask_userinfo), and a link is checked as a reader without them sees it.
    netloc = ascii_host if port is None else f"{ascii_host}:{port}"
    path, query = parts.path or "/", parts.query
    if _NEEDS_QUOTING.search(path):
        path = quote(path, safe=_PATH_SAFE)
    wire = f"{scheme}://{netloc}{path}"
    if query or text.split("#", 1)[0].endswith("?"):
        wire += "?" + (quote(query, safe=_QUERY_SAFE) if _NEEDS_QUOTING.search(query) else query)
    return wire


class Session:
    """libcurl transfers driven by the running asyncio loop (the multi "socket" API):
    pooled keep-alive connections per host, a DNS cache and one cookie store for the
    run. Create it inside the loop; ``async with`` closes it.

    Why libcurl: past a few thousand links the engine is CPU-bound, and libcurl does
    a request's work in C: on the benchmark's fake web it spends about half the CPU
    per request of a pure-Python client.

    The SSRF guard sits where a socket is opened: every address a name resolves to,
    and every address of a redirect hop, is checked just before connecting.
    """

    def __init__(self, *, connect_timeout: float, allow_private: bool, exempt: Collection[str] = (),
                 resolve: Mapping[str, str] | None = None, max_connections: int = 512,
                 hosts: int = 0) -> None:
        self.loop = asyncio.get_running_loop()
        # Requests in flight plus idle keep-alive connections, each a descriptor: running out
        # would turn live links into "connection error", so make room first.
        limit = _ensure_descriptors(max_connections + pool_size(max_connections, hosts) + 64,
                                    need=3 * max_connections + 64)
        self.pool = pool_size(max_connections, hosts, descriptors=limit)
        self.connect_timeout_ms = max(1, int(connect_timeout * 1000))
        self.guard = not allow_private
        self.exempt = frozenset(exempt)
        self.resolve = {name.lower().rstrip("."): ip for name, ip in (resolve or {}).items()}
        self.ca_file, self.ca_dir = trusted_cas()
        self.share = pycurl.CurlShare()
        self.share.setopt(pycurl.SH_SHARE, pycurl.LOCK_DATA_COOKIE)
        self.share.setopt(pycurl.SH_SHARE, pycurl.LOCK_DATA_SSL_SESSION)
        self.multi = pycurl.CurlMulti()
        self.multi.setopt(pycurl.M_SOCKETFUNCTION, self._on_socket)
        self.multi.setopt(pycurl.M_TIMERFUNCTION, self._on_timer)
        self.multi.setopt(pycurl.M_MAXCONNECTS, self.pool)
        self.transfers: dict[pycurl.Curl, _Transfer] = {}  # running, by easy handle
        self.idle: list[_Transfer] = []  # easy handles (with their transfer) kept for reuse
        self.sockets = _Sockets()
        self.loop.add_reader(self.sockets.fileno(), self._ready)
        self.timer: asyncio.TimerHandle | None = None
        self.timer_when = 0.0  # loop time the timer is due
        self.closed = False

    async def __aenter__(self) -> Session:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        if self.timer is not None:
            self.timer.cancel()
        for curl, transfer in list(self.transfers.items()):
            self.multi.remove_handle(curl)
            if not transfer.future.done():
                transfer.future.cancel()
        self.transfers.clear()
        self.multi.close()  # closes the pooled connections (calling _on_socket for them)
        for transfer in self.idle:
            transfer.curl.close()
        self.share.close()
        self.loop.remove_reader(self.sockets.fileno())
        self.sockets.close()

    # --- one transfer
    def start(self, method: str, url: URL, headers: Mapping[str, str], *, timeout: float,
              max_bytes: int, text: str | None = None) -> _Transfer:
        """Start a request (``text``: ``str(url)``, when the caller has it already); its
        ``future`` gets the ``Reply``. An easy handle keeps its options between requests,
        so only what differs from its last request is set again."""
        if self.closed:
            raise RuntimeError("session is closed")
        if method not in ("GET", "HEAD"):
            raise ValueError(f"unsupported method {method!r}")
        transfer = self.idle.pop() if self.idle else _Transfer(self, self._new_handle())
        transfer.begin(method, max_bytes, self.loop.create_future())
        curl = transfer.curl
        curl.setopt(pycurl.URL, text or str(url))
        # One deadline for connect, status line, headers and whatever body we read.
        timeout_ms = max(1, int(timeout * 1000))
        if timeout_ms != transfer.timeout_ms:
            curl.setopt(pycurl.TIMEOUT_MS, timeout_ms)
            transfer.timeout_ms = timeout_ms
        if headers is not transfer.sent_headers:
            curl.setopt(pycurl.HTTPHEADER, [f"{name}: {value}" for name, value in headers.items()])
            transfer.sent_headers = headers
        if method != transfer.sent_method:
            if method == "HEAD":
                curl.setopt(pycurl.NOBODY, 1)
            else:
                curl.setopt(pycurl.HTTPGET, 1)  # also undoes an earlier NOBODY
            transfer.sent_method = method
        if self.resolve:
            host = url.raw_host or ""  # as on the wire: IDN names in punycode
            ip = self.resolve.get(host.lower().rstrip("."))
            if ip is not None:  # lands in the run's DNS cache, like curl --resolve
                curl.setopt(pycurl.RESOLVE, [f"{host}:{url.port}:{ip}"])
        self.transfers[curl] = transfer
        self.multi.add_handle(curl)
        return transfer

    def _new_handle(self) -> pycurl.Curl:
        """An easy handle with the options every request shares (kept across reuse)."""
        curl = pycurl.Curl()
        curl.setopt(pycurl.PROTOCOLS, pycurl.PROTO_HTTP | pycurl.PROTO_HTTPS)
        curl.setopt(pycurl.PROXY, "")  # no proxy from the environment: we check what readers reach
        curl.setopt(pycurl.PATH_AS_IS, 1)  # the path as written, "/../" included
        curl.setopt(pycurl.NOSIGNAL, 1)
        curl.setopt(pycurl.CONNECTTIMEOUT_MS, self.connect_timeout_ms)
        curl.setopt(pycurl.ACCEPT_ENCODING, "")  # every encoding libcurl decodes (gzip, br, ...)
        curl.setopt(pycurl.COOKIEFILE, "")  # cookies on: some sites bounce through a cookie redirect
        curl.setopt(pycurl.SHARE, self.share)
        # A name is resolved once per run: libcurl otherwise sweeps its whole DNS cache for
        # stale entries after every transfer, a cost that grows with the hosts of the run.
        curl.setopt(pycurl.DNS_CACHE_TIMEOUT, -1)
        if self.ca_file:
            curl.setopt(pycurl.CAINFO, self.ca_file)
        if self.ca_dir:
            curl.setopt(pycurl.CAPATH, self.ca_dir)
        return curl

    def abandon(self, transfer: _Transfer, future: asyncio.Future[Reply]) -> None:
        """The caller stopped waiting for ``future`` (cancelled): end its transfer now
        (unless it ended already and the handle went on to another request)."""
        if transfer.future is future and transfer.curl in self.transfers:
            self._finish(transfer.curl, None)

    def _finish(self, curl: pycurl.Curl, code: int | None, message: str = "") -> None:
        transfer = self.transfers.pop(curl)
        reply = None
        if code is not None:
            transfer.code, transfer.message = code, message
            if code:  # what a failure is named by (``_failure``)
                transfer.os_errno = curl.getinfo(pycurl.OS_ERRNO)
                transfer.connected = curl.getinfo(pycurl.PRETRANSFER_TIME) > 0
            reply = transfer.reply()  # now: the handle may serve another request before it is read
        transfer.chunks = []
        self.multi.remove_handle(curl)  # its connection stays in the multi's pool
        self.idle.append(transfer)
        future = transfer.future
        if not future.done():
            if reply is None:
                future.cancel()
            else:
                future.set_result(reply)

    # --- the loop drives libcurl
    # libcurl's sockets live in a poller of our own (``_Sockets``) whose one descriptor the
    # asyncio loop watches: libcurl switches a socket between read and write on every
    # request, and doing that through loop.add_reader/remove_reader costs more than the request.
    def _on_socket(self, what: int, fd: int, multi: object, data: object) -> None:
        if what == pycurl.POLL_REMOVE or self.closed:
            self.sockets.forget(fd)
        else:
            self.sockets.watch(fd, what)

    def _on_timer(self, ms: int) -> None:
        # libcurl names the one moment it wants to be called next (-1: none). It moves that
        # moment on almost every request, mostly later; rescheduling each time cost a timer
        # per request. So a timer that fires no later than asked is kept: firing early is
        # harmless, because ``_timeout`` then asks libcurl for the next moment itself (it
        # may not say it again on its own).
        if ms < 0 or self.closed:
            if self.timer is not None:
                self.timer.cancel()
                self.timer = None
            return
        when = self.loop.time() + ms / 1000
        if self.timer is not None:
            if self.timer_when <= when:
                return
            self.timer.cancel()
        self.timer_when = when
        self.timer = self.loop.call_at(when, self._timeout)

    def _timeout(self) -> None:
        self.timer = None
        self._act(pycurl.SOCKET_TIMEOUT, 0)
        if self.timer is None and not self.closed:
            self._on_timer(self.multi.timeout())

    def _ready(self) -> None:
        for fd, flags in self.sockets.ready():
            self._act(fd, flags, collect=False)
        self._collect()

    def _act(self, fd: int, events: int, collect: bool = True) -> None:
        if self.closed:
            return
        while True:
            status, _running = self.multi.socket_action(fd, events)
            if status != pycurl.E_CALL_MULTI_PERFORM:
                break
        if collect:
            self._collect()

    def _collect(self) -> None:
        while not self.closed:
            queued, done, failed = self.multi.info_read()
            for curl in done:
                self._finish(curl, 0)
            for curl, code, message in failed:
                self._finish(curl, code, message)
            if not queued:
                break


class _EpollSockets:
    """libcurl's sockets in an epoll of their own (Linux): one system call per change,
    none of the ``selectors`` bookkeeping."""

    def __init__(self) -> None:
        self.poller = select.epoll()
        self.watched: dict[int, int] = {}  # fd -> events registered

    def fileno(self) -> int:
        return self.poller.fileno()

    def watch(self, fd: int, what: int) -> None:
        events = _EPOLL_EVENTS[what]
        if self.watched.get(fd) == events:
            return
        try:
            if fd in self.watched:
                self.poller.modify(fd, events)
            else:
                self.poller.register(fd, events)
        except OSError:  # closed and reused without a REMOVE, or registered meanwhile
            with contextlib.suppress(OSError):
                self.poller.unregister(fd)
            self.poller.register(fd, events)
        self.watched[fd] = events

    def forget(self, fd: int) -> None:
        if self.watched.pop(fd, None) is not None:
            with contextlib.suppress(OSError):  # already closed
                self.poller.unregister(fd)

    def ready(self) -> list[tuple[int, int]]:
        """(fd, libcurl's CSELECT flags) of the sockets ready now."""
        return [(fd, _CSELECT_OF_EPOLL[events & _EPOLL_MASK]) for fd, events in self.poller.poll(0)]

    def close(self) -> None:
        self.poller.close()
        self.watched.clear()


class _SelectorSockets:
    """The same over ``selectors`` (kqueue and others), where there is no epoll."""

    def __init__(self) -> None:
        self.selector = selectors.DefaultSelector()
        self.watched: dict[int, int] = {}

    def fileno(self) -> int:
        return self.selector.fileno()

    def watch(self, fd: int, what: int) -> None:
        events = _SELECTOR_EVENTS[what]
        if fd in self.watched:
            try:
                self.selector.modify(fd, events)
            except (KeyError, ValueError, OSError):  # closed and reused without a REMOVE
                with contextlib.suppress(KeyError, ValueError, OSError):
                    self.selector.unregister(fd)
                self.selector.register(fd, events)
        else:
            self.selector.register(fd, events)
        self.watched[fd] = events

    def forget(self, fd: int) -> None:
        if self.watched.pop(fd, None) is not None:
            with contextlib.suppress(KeyError, ValueError, OSError):  # already closed
                self.selector.unregister(fd)

    def ready(self) -> list[tuple[int, int]]:
        return [(key.fd, (pycurl.CSELECT_IN if mask & selectors.EVENT_READ else 0)
                 | (pycurl.CSELECT_OUT if mask & selectors.EVENT_WRITE else 0))
                for key, mask in self.selector.select(0)]

    def close(self) -> None:
        self.selector.close()
        self.watched.clear()


_Sockets = _EpollSockets if hasattr(select, "epoll") else _SelectorSockets
_SELECTOR_EVENTS = {pycurl.POLL_IN: selectors.EVENT_READ, pycurl.POLL_OUT: selectors.EVENT_WRITE,
                    pycurl.POLL_INOUT: selectors.EVENT_READ | selectors.EVENT_WRITE}
if hasattr(select, "epoll"):
    _EPOLL_EVENTS = {pycurl.POLL_IN: select.EPOLLIN, pycurl.POLL_OUT: select.EPOLLOUT,
                     pycurl.POLL_INOUT: select.EPOLLIN | select.EPOLLOUT}
    # hang-up and error wake both directions, as selectors reads them: libcurl finds out which
    _EPOLL_MASK = select.EPOLLIN | select.EPOLLOUT | select.EPOLLHUP | select.EPOLLERR
    _CSELECT_OF_EPOLL = {
        events: (pycurl.CSELECT_IN if events & ~select.EPOLLOUT else 0)
        | (pycurl.CSELECT_OUT if events & ~select.EPOLLIN else 0)
        for events in range(_EPOLL_MASK + 1) if events & ~_EPOLL_MASK == 0
    }


class _Transfer:
    """One easy handle and what its current request has received so far (libcurl calls
    back into it). Kept with the handle from request to request, with the options last
    set on the handle, so that a request sets only what differs from the one before."""

    __slots__ = ("session", "curl", "method", "max_bytes", "future", "status", "headers", "complete",
                 "chunks", "size", "truncated", "blocked", "code", "message", "os_errno", "connected",
                 "timeout_ms", "sent_headers", "sent_method")

    def __init__(self, session: Session, curl: pycurl.Curl) -> None:
        self.session = session
        self.curl = curl
        curl.setopt(pycurl.HEADERFUNCTION, self.on_header)
        curl.setopt(pycurl.WRITEFUNCTION, self.on_body)
        if session.guard:
            curl.setopt(pycurl.OPENSOCKETFUNCTION, self.open_socket)
        self.timeout_ms = 0
        self.sent_headers: Mapping[str, str] | None = None
        self.sent_method = "GET"  # a new handle GETs

    def begin(self, method: str, max_bytes: int, future: asyncio.Future[Reply]) -> None:
        self.method = method
        self.max_bytes = max_bytes
        self.future = future
        self.status: int | None = None
        self.headers: dict[str, str] = {}
        self.complete = False  # the final header block has ended
        self.chunks: list[bytes] = []
        self.size = 0
        self.truncated = False
        self.blocked = ""  # the refused address, when the SSRF guard stopped a connect
        self.code: int | None = None  # libcurl's result, 0 for success
        self.message = ""
        self.os_errno = 0
        self.connected = False

    def on_header(self, line: bytes) -> None:
        if line.startswith(b"HTTP/"):  # a new block: interim 1xx answers come before the final one
            parts = line.split(None, 2)
            self.status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
            self.headers, self.complete = {}, False
        elif line in (b"\r\n", b"\n"):
            self.complete = self.status is not None and not 100 <= self.status < 200
        else:
            name, sep, value = line.partition(b":")
            key = _KEPT_HEADERS.get(name.strip().lower())  # only these are decoded
            if sep and key is not None and key not in self.headers:
                self.headers[key] = _header_text(value.strip())

    def on_body(self, data: bytes) -> int | None:
        if self.max_bytes <= 0:
            return 0  # no body wanted: stop here
        self.chunks.append(data)
        self.size += len(data)
        if self.size >= self.max_bytes:
            self.truncated = True
            return 0  # enough: libcurl ends the transfer (CURLE_WRITE_ERROR), we judge on this
        return None

    def open_socket(self, purpose: int, address: Any) -> socket.socket | int:
        host = address.addr[0]
        ip = parse_ip(host)
        if ip is not None and host not in self.session.exempt and is_blocked_ip(ip):
            self.blocked = host
            return pycurl.SOCKET_BAD
        return socket.socket(address.family, address.socktype, address.protocol)

    def reply(self) -> Reply:
        code = self.code
        headers_in = self.status is not None and self.complete
        if code == 0 or (headers_in and (code in _BODY_CUT or self.truncated)):
            # Headers came: the server is alive; judge on what we have of the body.
            reply = Reply(status=self.status, headers=self.headers, method=self.method,
                          truncated=code != 0, charset=_charset(self.headers.get("content-type")))
            if self.chunks:
                reply.body = b"".join(self.chunks)[: self.max_bytes]
            return reply
        reason, detail, retryable = self._failure()
        return Reply(error=reason, detail=detail, retryable=retryable, method=self.method)

    def _failure(self) -> tuple[str, str, bool]:
        """A reason code, a short detail and whether another attempt may help."""
        code, message = self.code or 0, self.message
        if self.blocked:
            return "private_address", f"refused to connect to {self.blocked}, a private address", False
        if code == pycurl.E_COULDNT_RESOLVE_HOST:
            return "dns_error", message, False
        if code == pycurl.E_OPERATION_TIMEDOUT:
            if not self.connected:
                return "connect_timeout", "connect timeout", True
            return "timeout", "deadline exceeded", True
        if code == pycurl.E_COULDNT_CONNECT:
            if self.os_errno == errno.ECONNREFUSED:
                return "connection_error", "connection refused", False
            return "connection_error", message, False
        if code in _TLS_ERRORS:
            return "tls_error", message, False
        if code == pycurl.E_URL_MALFORMAT:
            return "invalid_url", message, False
        if self.status is not None and 100 <= self.status < 200:
            # "100 Continue" and then nothing: the server is there, so this is no refusal
            return "bad_response", f"the server sent only an interim HTTP {self.status} and closed", True
        # resets, empty replies, malformed or oversized responses: may pass
        reason = "bad_response" if self.connected else "connection_error"
        return reason, message or f"libcurl error {code}", True


# libcurl results after which what arrived is still an answer (we cut the body, or it broke off)
_BODY_CUT = frozenset({pycurl.E_WRITE_ERROR, pycurl.E_OPERATION_TIMEDOUT, pycurl.E_PARTIAL_FILE,
                       pycurl.E_RECV_ERROR, pycurl.E_BAD_CONTENT_ENCODING, pycurl.E_GOT_NOTHING})
_TLS_ERRORS = frozenset({
    pycurl.E_SSL_CONNECT_ERROR, pycurl.E_PEER_FAILED_VERIFICATION, pycurl.E_SSL_CERTPROBLEM,
    pycurl.E_SSL_CIPHER, pycurl.E_SSL_CACERT_BADFILE, pycurl.E_SSL_ENGINE_NOTFOUND,
    pycurl.E_SSL_ENGINE_SETFAILED, pycurl.E_SSL_SHUTDOWN_FAILED, pycurl.E_SSL_CRL_BADFILE,
    pycurl.E_SSL_ISSUER_ERROR, pycurl.E_USE_SSL_FAILED,
})


def make_session(*, connect_timeout: float, allow_private: bool, exempt: Collection[str] = (),
                 resolve: Mapping[str, str] | None = None, max_connections: int = 512,
                 hosts: int = 0) -> Session:
    """One session for the whole run (call inside the running loop); ``max_connections``
    is the most requests the caller keeps in flight, ``hosts`` how many hosts it will ask."""
    return Session(connect_timeout=connect_timeout, allow_private=allow_private, exempt=exempt,
                   resolve=resolve, max_connections=max_connections, hosts=hosts)


MAX_POOL = 8192  # idle keep-alive connections one session keeps at most


def pool_size(max_connections: int, hosts: int, descriptors: int | None = None) -> int:
    """Open connections a session keeps (libcurl's ``MAXCONNECTS``): room for what is in
    flight and an idle connection or two per host of the run. A run visits its hosts in
    turn, so a pool smaller than its hosts closes each host's connection before that host
    comes round again: every request pays a new TCP (and TLS) handshake, on both sides
    (100,000 links on 2,000 hosts made 102,700 connections with a pool of 512, 2,300 with
    one per host). At most ``MAX_POOL``, and within ``descriptors`` (the open-files limit,
    less what is in flight), but never below twice the requests in flight."""
    size = min(2 * max_connections + 2 * hosts, MAX_POOL)
    if descriptors is not None:
        size = min(size, descriptors - max_connections - 64)
    return max(2 * max_connections, size)


def trusted_cas() -> tuple[str | None, str | None]:
    """The CA certificates HTTPS answers are verified against: the system's, as Python's
    ssl module finds them (``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` override), else certifi's.
    Named explicitly because a wheel's libcurl may look where this system keeps none."""
    paths = ssl.get_default_verify_paths()
    ca_file = paths.cafile if paths.cafile and os.path.isfile(paths.cafile) else None
    ca_dir = paths.capath if paths.capath and os.path.isdir(paths.capath) else None
    if ca_file is None and ca_dir is None:
        import certifi

        ca_file = certifi.where()
    return ca_file, ca_dir


def _ensure_descriptors(wanted: int, need: int | None = None) -> int:
    """Raise this process's soft open-files limit towards ``wanted`` (never above the hard
    limit); say so when even the hard limit is below ``need`` (default: ``wanted``).
    Returns the limit now."""
    need = wanted if need is None else need
    try:
        import resource
    except ImportError:  # not POSIX
        return wanted
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft >= wanted:
        return wanted if soft == resource.RLIM_INFINITY else soft
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if target > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    if target < need:
        log.warning("open-files limit %d is below the %d this concurrency may need; lower "
                    "LINKCHECK_CONCURRENCY or raise the limit (ulimit -n)", target, need)
    return max(target, soft)


@dataclass
class Reply:
    status: int | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    truncated: bool = False  # body cut at the cap or the deadline
    charset: str | None = None
    error: str | None = None  # a verdict reason when no response came
    detail: str = ""
    retryable: bool = False  # the error is worth another attempt
    method: str = "GET"


@functools.lru_cache(maxsize=16)
def headers_for(user_agent: str, browser: bool) -> Mapping[str, str]:
    """The request headers (read-only, one object per kind: a handle whose last request
    sent the same object is not given them again)."""
    if browser:
        return MappingProxyType(dict(BROWSER_HEADERS))
    return MappingProxyType({"User-Agent": user_agent, "Accept": ACCEPT})


async def fetch(session: Session, method: str, url: URL, headers: Mapping[str, str], *,
                timeout: float, max_bytes: int, text: str | None = None) -> Reply:
    """One request, no redirect following. ``max_bytes`` of body are read (0 for none);
    ``text`` is ``str(url)`` when the caller has it. Never raises for network trouble:
    the ``Reply`` names it."""
    transfer = session.start(method, url, headers, timeout=timeout, max_bytes=max_bytes, text=text)
    future = transfer.future
    try:
        return await future
    except asyncio.CancelledError:
        session.abandon(transfer, future)
        raise


# Kept of each answer: only what the rules look at, so results never carry whole responses.
_KEPT_HEADERS = {name.encode(): name for name in ("location", "retry-after", "content-type", "content-length",
                                                   "cf-mitigated", "server", "refresh")}


_CHARSET = re.compile(r"""charset\s*=\s*["']?([^"';\s]+)""", re.IGNORECASE)


def _charset(content_type: str | None) -> str | None:
    match = _CHARSET.search(content_type or "")
    return match.group(1) if match else None


def _header_text(value: bytes) -> str:
    # UTF-8 as most servers send it (a raw non-ASCII Location), Latin-1 as HTTP/1.1 said.
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("latin-1")
