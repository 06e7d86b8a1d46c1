"""HTTP pieces shared by the metadata refreshers (GitHub, PyPI).

One client that counts its requests, never leaves the API's origin (a token
must not follow a redirect elsewhere), sends ``If-None-Match`` when given an
ETag and recognises rate limits in the shapes APIs use for them: 429, 403 with
``x-ratelimit-remaining: 0``, 403/429 with ``Retry-After``, and GitHub's
secondary-limit message. A recognised limit raises ``RateLimited`` with the
moment the API said it may be asked again; the caller stores that pause in
the store so the next run waits too instead of asking at once.

Every answer is read streamed and capped (``read_capped``): at most
``LINKCHECK_API_MAX_BYTES`` after decompression, else ``AnswerTooLarge`` naming the
API and the cap. A gzip bomb (1 MB that inflates to 1 GiB) used to be read whole:
3.2 GB of memory for one PyPI answer.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import requests

from linkcheck.engine.retry import parse_retry_after

log = logging.getLogger(__name__)

# GitHub: "wait for at least one minute" when a limit names no time; used for PyPI too.
DEFAULT_WAIT = 60.0
# Never trust an API to pause us for longer than a day: a bad header must not stop refreshes for good.
MAX_WAIT = 86400.0


class RateLimited(Exception):
    """The API asked us to stop until ``resume_after`` (unix time)."""

    def __init__(self, resume_after: float, why: str) -> None:
        super().__init__(why)
        self.resume_after = resume_after
        self.why = why


class OffOrigin(Exception):
    """A redirect pointed away from the API host; not followed (the token stays home)."""


class AnswerTooLarge(Exception):
    """An API answer longer than the cap (decompressed) or slower than its deadline: not
    read further. One project's or query's failure, never the whole refresh's."""


def failure_line(item: str, exc: BaseException) -> str:
    """One project's failure as a line naming it: a timeout by its kind only (its text carries
    the URL), anything else in its own words."""
    if isinstance(exc, requests.Timeout):
        return f"{item}: {type(exc).__name__}"
    text = str(exc)
    return text if text.startswith(f"{item}: ") else f"{item}: {text}"


_CHUNK = 64 * 1024


def read_capped(resp: requests.Response, api: str, max_bytes: int, deadline: float) -> bytes:
    """The body of a streamed ``resp`` (``stream=True``), decompressed, at most ``max_bytes``,
    read within ``deadline`` seconds; it becomes ``resp.content`` (so ``.json()`` works).
    urllib3 inflates gzip and brotli a chunk at a time, so a bomb costs about one chunk of
    memory beyond the cap before ``AnswerTooLarge``."""
    chunks: list[bytes] = []
    size = 0
    ends = time.monotonic() + deadline
    try:
        for chunk in resp.iter_content(_CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise AnswerTooLarge(f"{api} answered more than {max_bytes} bytes (LINKCHECK_API_MAX_BYTES); "
                                     "the answer was not read")
            if time.monotonic() > ends:
                raise AnswerTooLarge(f"{api} took more than {deadline:g} s to send its answer; not read")
            chunks.append(chunk)
    finally:
        resp.close()
    body = b"".join(chunks)
    resp._content = body  # requests' own cache: what .content, .text and .json() read
    return body


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (the engine's parser), capped at a day."""
    try:
        wait = parse_retry_after(value, now)
    except OverflowError:
        return None
    return None if wait is None else min(MAX_WAIT, wait)


def _reset_time(resp: requests.Response, now: float) -> float | None:
    raw = resp.headers.get("x-ratelimit-reset")
    if raw is None:
        return None
    try:
        reset = float(raw)
    except ValueError:
        return None
    return min(max(reset, now), now + MAX_WAIT)


def limit_pause(resp: requests.Response, now: float | None = None) -> tuple[float, str] | None:
    """``(resume_after, why)`` when ``resp`` is a rate-limit refusal, else None.

    The documented order (GitHub's REST docs, "Exceeding the rate limit"):
    ``Retry-After`` first; else ``x-ratelimit-remaining: 0`` means wait until
    ``x-ratelimit-reset``; else a 429, or a 403 whose message names a rate
    limit, means wait at least a minute.
    """
    if resp.status_code not in (403, 429):
        return None
    now = time.time() if now is None else now
    kind = "secondary rate limit" if "secondary rate limit" in resp.text[:4000].lower() else "rate limited"
    wait = retry_after(resp.headers.get("retry-after"), now)
    if wait is not None:
        return now + wait, f"{kind} (HTTP {resp.status_code}, Retry-After {int(wait)} s)"
    if (resp.headers.get("x-ratelimit-remaining") or "").strip() == "0":
        return _reset_time(resp, now) or now + DEFAULT_WAIT, f"rate limit exhausted (HTTP {resp.status_code})"
    if resp.status_code == 429:
        return now + DEFAULT_WAIT, "rate limited (HTTP 429)"
    if "rate limit" in resp.text[:4000].lower():
        return now + DEFAULT_WAIT, f"secondary rate limit (HTTP {resp.status_code})"
    return None


def reset_from(resp: requests.Response, now: float | None = None) -> float:
    """When a limit announced inside a 200 body ends: Retry-After, x-ratelimit-reset, or a minute."""
    now = time.time() if now is None else now
    wait = retry_after(resp.headers.get("retry-after"), now)
    if wait is not None:
        return now + wait
    return _reset_time(resp, now) or now + DEFAULT_WAIT


class ApiClient:
    """A ``requests`` session bound to one API origin that counts requests and obeys limits."""

    def __init__(self, base_url: str, *, headers: dict[str, str], timeout: float,
                 connect_timeout: float, max_bytes: int, api: str,
                 count: Callable[[], None] | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.origin = urlsplit(base_url)[:2]
        self.timeout = (connect_timeout, timeout)
        self.max_bytes = max_bytes  # of one answer, decompressed
        self.api = api  # named in errors: "PyPI", "the GitHub API"
        self.count = count or (lambda: None)
        self.sleep = sleep
        self.session = requests.Session()
        self.session.headers.update(headers)
        self.remaining: int | None = None
        self.reset_at: float | None = None

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(self, method: str, url: str, *, etag: str | None = None, **kw: Any) -> requests.Response:
        if self.remaining == 0:  # the last answer spent the window: don't even ask
            raise RateLimited(self.reset_at or time.time() + DEFAULT_WAIT, "rate limit exhausted")
        if urlsplit(url)[:2] != self.origin:
            raise OffOrigin(f"refusing to follow a redirect off the API host to {urlsplit(url).netloc}")
        headers = {"If-None-Match": etag} if etag else {}
        self.count()
        resp = self.session.request(method, url, headers=headers, allow_redirects=False,
                                    timeout=self.timeout, stream=True, **kw)
        # one read timeout per packet, and the whole answer within four of them
        read_capped(resp, self.api, self.max_bytes, 4 * self.timeout[1])
        log.debug("%s %s -> %s", method, url, resp.status_code)
        self._note(resp)
        return resp

    def _note(self, resp: requests.Response) -> None:
        remaining = resp.headers.get("x-ratelimit-remaining")
        if remaining is not None and remaining.strip().isdigit():
            self.remaining = int(remaining)
        reset = resp.headers.get("x-ratelimit-reset")
        if reset is not None:
            with contextlib.suppress(ValueError):
                self.reset_at = float(reset)
        pause = limit_pause(resp)
        if pause is not None:
            raise RateLimited(*pause)
