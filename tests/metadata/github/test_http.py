"""The shared metadata client against a loopback server answering every documented rate-limit shape."""

from __future__ import annotations

import asyncio
import time
from email.utils import formatdate

import pytest
from aiohttp import web

from linkcheck.metadata.http import ApiClient, OffOrigin, RateLimited, limit_pause
from tests.support.servers import serve_app

# Times are worked out when the server answers, not at import: under xdist a module may run
# minutes after it was collected.
IN_RESET, IN_DATE = 1800, 300


def reset_at() -> int:
    return int(time.time()) + IN_RESET


def date_at() -> int:
    return int(time.time()) + IN_DATE


SHAPES = {
    # path: (status, headers, body); a callable header value is computed per request
    "/primary-403": (403, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": lambda: str(reset_at())},
                     '{"message": "API rate limit exceeded for 127.0.0.1."}'),
    "/primary-429": (429, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": lambda: str(reset_at())}, "{}"),
    "/retry-after-403": (403, {"retry-after": "120", "x-ratelimit-remaining": "4000"},
                         '{"message": "You have exceeded a secondary rate limit."}'),
    "/retry-after-date": (429, {"retry-after": lambda: formatdate(date_at(), usegmt=True)}, ""),
    "/secondary-no-headers": (403, {}, '{"message": "You have exceeded a secondary rate limit."}'),
    "/bare-429": (429, {}, "Too Many Requests"),
    "/hostile-retry-after": (429, {"retry-after": "99999999999"}, ""),
    "/blocked": (403, {"x-ratelimit-remaining": "59"},
                 '{"message": "Repository access blocked", "block": {"reason": "tos"}}'),
    "/last-of-window": (200, {"x-ratelimit-remaining": "0",
                              "x-ratelimit-reset": lambda: str(reset_at())}, "{}"),
    "/away": (302, {"location": "http://127.0.0.2:1/elsewhere"}, ""),
}


@pytest.fixture(scope="module")
def base():
    async def handle(request: web.Request) -> web.Response:
        status, headers, body = SHAPES[request.path]
        headers = {k: v() if callable(v) else v for k, v in headers.items()}
        return web.Response(status=status, headers=headers, text=body)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    with serve_app(app) as url:
        yield url


def _client(base: str, counted: list[int]) -> ApiClient:
    return ApiClient(base, headers={"User-Agent": "test"}, timeout=5, connect_timeout=2, max_bytes=1 << 20,
                     api="the test API",
                     count=lambda: counted.append(1))


@pytest.mark.parametrize(("path", "until", "word"), [
    ("/primary-403", reset_at, "exhausted"),  # x-ratelimit-reset
    ("/primary-429", reset_at, "exhausted"),
    ("/retry-after-403", lambda: time.time() + 120, "secondary"),
    ("/retry-after-date", date_at, "rate limited"),
    ("/secondary-no-headers", lambda: time.time() + 60, "secondary"),
    ("/bare-429", lambda: time.time() + 60, "429"),
    ("/hostile-retry-after", lambda: time.time() + 86400, "rate limited"),  # capped at a day
])
def test_every_rate_limit_shape_raises_with_its_pause(base, path, until, word):
    counted: list[int] = []
    with _client(base, counted) as client, pytest.raises(RateLimited) as stop:
        client.request("GET", base + path)
    assert stop.value.resume_after == pytest.approx(until(), abs=3)
    assert word in stop.value.why
    assert counted == [1]


def test_not_a_limit_and_the_last_answer_of_a_window(base):
    counted: list[int] = []
    with _client(base, counted) as client:
        assert client.request("GET", base + "/blocked").status_code == 403  # a state, not a limit
        resp = client.request("GET", base + "/last-of-window")
        assert resp.status_code == 200 and resp.json() == {}  # the answer is handed over, kept
        with pytest.raises(RateLimited):  # but nothing more is asked in this window
            client.request("GET", base + "/blocked")
    assert len(counted) == 2


def test_redirect_off_the_api_origin_is_refused(base):
    with _client(base, []) as client:
        resp = client.request("GET", base + "/away")
        with pytest.raises(OffOrigin):
            client.request("GET", resp.headers["location"])
    assert limit_pause(resp) is None


@pytest.fixture(scope="module")
def streaming():
    async def chunked(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse()  # no Content-Length: only reading tells the size
        await resp.prepare(request)
        for _ in range(int(request.query.get("chunks", "1"))):
            await resp.write(b"x" * int(request.query.get("size", "65536")))
            await asyncio.sleep(float(request.query.get("pause", "0")))
        return resp

    app = web.Application()
    app.router.add_get("/chunked", chunked)
    with serve_app(app) as url:
        yield url


def test_bounded_reads_refuse_oversized_and_dripping_answers(streaming):
    from linkcheck.metadata.http import AnswerTooLarge

    def client(timeout: float = 5.0) -> ApiClient:
        return ApiClient(streaming, headers={}, timeout=timeout, connect_timeout=2, max_bytes=100_000,
                         api="the test API")

    with client() as c:
        assert len(c.request("GET", streaming + "/chunked?chunks=1").content) == 65536  # within: kept
        with pytest.raises(AnswerTooLarge, match="answered more than 100000 bytes"):
            c.request("GET", streaming + "/chunked?chunks=64")  # 4 MiB, never held whole
    start = time.monotonic()
    with client(timeout=0.3) as c, pytest.raises(AnswerTooLarge, match="took more than"):
        # each small piece arrives within the socket timeout, the whole never within four of them
        c.request("GET", streaming + "/chunked?chunks=50&size=100&pause=0.1")
    assert time.monotonic() - start < 3  # stopped at the deadline, not after all 5 s
