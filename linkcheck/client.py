"""The HTTP client: one aiohttp session per run, URL preparation, one bounded request.

``fetch`` never raises for network trouble: it returns a ``Reply`` whose
``error`` names the failure class. A request has a connect timeout and a total
deadline for the status line and headers; the body is read, streamed and
capped, only within what is left of that deadline -- a server that sent its
headers promptly is alive even if it then drips its body.
"""

from __future__ import annotations

import asyncio
import errno
import re
import socket
import ssl
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

import aiohttp
from aiohttp.abc import ResolveResult
from aiohttp.resolver import ThreadedResolver
from yarl import URL

from .ssrf import BlockedAddress, GuardedResolver

DEFAULT_USER_AGENT = "taskqueue-catalog-linkcheck/0.1 (+https://github.com/taskqueue-catalog/linkcheck)"
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
_BAD_HOST = re.compile(r"[\s/\\@]|\.\.")


class BadURL(ValueError):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason  # "invalid_url" or "unsupported_scheme"


def request_url(raw: str, base: URL | None = None) -> URL:
    """The URL to put on the wire: IDN host in punycode, percent-encoding as written,
    fragment dropped (servers never see it). ``base`` resolves a relative Location."""
    text = raw.strip()
    if base is not None:
        from urllib.parse import urljoin

        text = urljoin(str(base), text)
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise BadURL("invalid_url", str(exc)) from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise BadURL("unsupported_scheme", f"scheme {scheme or '(none)'!r} is not http(s)")
    host = parts.hostname
    if not host:
        raise BadURL("invalid_url", "no host name")
    if ":" in host:
        ascii_host = f"[{host}]"
    else:
        try:
            ascii_host = host if host.isascii() else host.encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise BadURL("invalid_url", f"host name {host!r} cannot be encoded") from exc
        if not ascii_host or _BAD_HOST.search(ascii_host):
            raise BadURL("invalid_url", f"bad host name {host!r}")
    netloc = ascii_host if port is None else f"{ascii_host}:{port}"
    if parts.username is not None:
        userinfo = parts.netloc.rsplit("@", 1)[0]
        netloc = f"{quote(userinfo, safe=_PATH_SAFE)}@{netloc}"
    path, query = parts.path or "/", parts.query
    if _NEEDS_QUOTING.search(path):
        path = quote(path, safe=_PATH_SAFE)
    wire = f"{scheme}://{netloc}{path}"
    if query or text.split("#", 1)[0].endswith("?"):
        wire += "?" + (quote(query, safe=_QUERY_SAFE) if _NEEDS_QUOTING.search(query) else query)
    try:
        return URL(wire, encoded=True)
    except ValueError as exc:
        raise BadURL("invalid_url", str(exc)) from exc


class StaticResolver(aiohttp.abc.AbstractResolver):
    """Fixed answers for some names (like curl's --resolve), the system's for the rest."""

    def __init__(self, inner: aiohttp.abc.AbstractResolver, table: Mapping[str, str]) -> None:
        self.inner = inner
        self.table = {name.lower().rstrip("."): ip for name, ip in table.items()}

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        ip = self.table.get(host.lower().rstrip("."))
        if ip is None:
            return await self.inner.resolve(host, port, family)
        fam = socket.AF_INET6 if ":" in ip else socket.AF_INET
        return [{"hostname": host, "host": ip, "port": port, "family": fam, "proto": 0,
                 "flags": socket.AI_NUMERICHOST}]

    async def close(self) -> None:
        await self.inner.close()


def make_session(*, connect_timeout: float, allow_private: bool,
                 exempt: Collection[str] = (), resolve: Mapping[str, str] | None = None
                 ) -> aiohttp.ClientSession:
    """One session for the whole run: pooled keep-alive connections, cached DNS."""
    resolver: aiohttp.abc.AbstractResolver = ThreadedResolver()
    if resolve:
        resolver = StaticResolver(resolver, resolve)
    if not allow_private:
        resolver = GuardedResolver(resolver, exempt)
    # No connector limits: the engine bounds requests in flight itself. aiohttp's own
    # global-limit queue reshuffles every waiting host on each release (O(hosts) per request).
    connector = aiohttp.TCPConnector(
        limit=0,
        limit_per_host=0,
        ttl_dns_cache=300,
        resolver=resolver,
    )
    return aiohttp.ClientSession(
        connector=connector,
        timeout=aiohttp.ClientTimeout(total=None, connect=None, sock_connect=connect_timeout),
        auto_decompress=True,  # gzip, deflate, and br (brotli is installed)
        # Cookies: some sites bounce through a cookie-setting redirect and would loop without.
        cookie_jar=aiohttp.CookieJar(unsafe=True),
        skip_auto_headers=("User-Agent",),
        max_line_size=16384,
        max_field_size=16384,
    )


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


def headers_for(user_agent: str, browser: bool) -> dict[str, str]:
    if browser:
        return dict(BROWSER_HEADERS)
    return {"User-Agent": user_agent, "Accept": ACCEPT}


def _classify(exc: BaseException) -> tuple[str, str]:
    """Map a client exception to a reason code and a short detail."""
    detail = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        if isinstance(exc.os_error, BlockedAddress):
            return "private_address", str(exc.os_error)
        return "dns_error", str(exc.os_error)
    if isinstance(exc, BlockedAddress):
        return "private_address", str(exc)
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return "connect_timeout", "connect timeout"
    if isinstance(exc, (TimeoutError, aiohttp.ServerTimeoutError)):
        return "timeout", "deadline exceeded"
    if isinstance(exc, (aiohttp.ClientSSLError, ssl.SSLError)):
        return "tls_error", detail
    if isinstance(exc, aiohttp.ClientConnectorError):
        if exc.errno == errno.ECONNREFUSED:
            return "connection_error", "connection refused"
        return "connection_error", detail
    if isinstance(exc, aiohttp.InvalidURL):
        return "invalid_url", detail
    # resets, disconnects, malformed responses
    return "connection_error", detail


async def fetch(session: aiohttp.ClientSession, method: str, url: URL, headers: dict[str, str], *,
                timeout: float, max_bytes: int) -> Reply:
    """One request, no redirect following. ``max_bytes`` of body are read (0 for none)."""
    resp: aiohttp.ClientResponse | None = None
    reply = Reply(method=method)
    chunks: list[bytes] = []
    clean = True
    try:
        # One deadline for the status line, headers and whatever body we read.
        async with asyncio.timeout(timeout):
            resp = await session.request(method, url, headers=headers, allow_redirects=False)
            reply.status, reply.headers = resp.status, _small_headers(resp.headers)
            if max_bytes > 0 and method != "HEAD":
                reply.charset = _charset(resp)
                length = resp.content_length
                if length is not None and length <= max_bytes and "content-encoding" not in resp.headers:
                    chunks.append(await resp.read())  # small and plain: one read, no streaming loop
                else:
                    size = 0
                    async for chunk in resp.content.iter_chunked(65536):
                        chunks.append(chunk)
                        size += len(chunk)
                        if size >= max_bytes:
                            reply.truncated, clean = True, False
                            break
    except (aiohttp.ClientError, OSError, TimeoutError, ValueError) as exc:
        if resp is None:
            reason, detail = _classify(exc)
            # Timeouts and resets may pass; refused, unreachable and DNS failures will not.
            retryable = reason in ("timeout", "connect_timeout") or (
                reason == "connection_error" and not isinstance(exc, aiohttp.ClientConnectorError)
            )
            return Reply(error=reason, detail=detail, retryable=retryable, method=method)
        # Headers came promptly: the server is alive, judge on what we have of the body.
        reply.truncated, clean = True, False
    finally:
        if resp is not None:
            if clean:
                resp.release()
            else:
                resp.close()  # unread body: the connection cannot be reused
    if chunks:
        reply.body = b"".join(chunks)[:max_bytes]
    return reply


_KEPT_HEADERS = ("location", "retry-after", "content-type", "content-length", "cf-mitigated", "server",
                 "refresh")


def _small_headers(headers: Mapping[str, str]) -> dict[str, str]:
    # Keep only what the rules look at: results must not carry whole responses around.
    return {name: headers[name] for name in _KEPT_HEADERS if name in headers}


def _charset(resp: aiohttp.ClientResponse) -> str | None:
    try:
        return resp.charset
    except (ValueError, LookupError):
        return None
