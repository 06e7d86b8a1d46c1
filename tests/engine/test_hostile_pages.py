"""Hostile pages: whatever a page decodes to is storable, no page costs quadratic CPU,
and a generated corpus of hostile pages always ends in one stored result per link."""

from __future__ import annotations

import random
import time
from pathlib import Path

from aiohttp import web

from linkcheck.engine import page
from linkcheck.store import Store
from tests.support.fakeweb import serve_sites, site

UTF7_SURROGATE = b"<html><head><title>caf+2D0- menu</title></head><body>hi</body></html>"
TITLE_FLOOD = b"<html><head>" + b"<title>" * (128 * 1024 // 7)
H1_FLOOD = b"<html><body>" + b"<h1>" * (128 * 1024 // 4)
LT_FLOOD = b"<title>" + b"<" * (128 * 1024) + b"</title>"


def _raw(body: bytes, content_type: str):
    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=body, headers={"Content-Type": content_type})

    return handler


def test_utf7_lone_surrogate_title_is_stored(run, tmp_path: Path):
    app = site({"/utf7": _raw(UTF7_SURROGATE, "text/html; charset=utf-7"),
                "/fine": _raw(b"<title>Fine</title>", "text/html")})
    with serve_sites(app) as (url,):
        results = run([url + "/utf7", url + "/fine"])
    store = Store(tmp_path / "s.sqlite3")
    run_id = store.start_run()
    assert store.record_results(run_id, results) == 2  # used to raise UnicodeEncodeError
    stored = store.run_results(run_id)
    assert stored[url + "/utf7"].verdict == "ok"
    assert stored[url + "/utf7"].title == "caf\ufffd menu"
    assert stored[url + "/fine"].title == "Fine"


def test_tag_floods_parse_in_linear_time():
    for body in (TITLE_FLOOD, H1_FLOOD, LT_FLOOD):
        started = time.process_time()
        parsed = page.parse(body, "utf-8", anchors=False)
        # was 5.6-18 s of CPU per page with the lazy regexes; a guard, not a speed target
        assert time.process_time() - started < 1.0
        assert parsed.title is None or len(parsed.title) <= page.TEXT_CAP
    # a title is raw text to a browser: the '<'s are its text, capped
    assert page.parse(LT_FLOOD, "utf-8", anchors=False).title == "<" * page.TEXT_CAP


def test_unclosed_title_runs_to_the_end_like_a_browser():
    assert page.parse(b"<html><title>Gone for good", "utf-8", anchors=False).title == "Gone for good"
    assert page.parse(b"<TITLE lang=en>A</Title><H1 class=x>B</h1>", None, anchors=False).heading == "B"
    assert page.parse(b"<titles>no</titles><title>yes</title>", None, anchors=False).title == "yes"
    # a non-ASCII capital before the title must not shift what is read ("İ".lower() grows)
    assert page.parse("İİİ<title>Ünïcode</title>".encode(), "utf-8", anchors=False).title == "Ünïcode"


def test_twelve_flood_pages_and_a_normal_one_all_get_their_verdict(run):
    routes = {f"/flood{i}": _raw([TITLE_FLOOD, H1_FLOOD, LT_FLOOD][i % 3], "text/html") for i in range(12)}
    routes["/normal"] = _raw(b"<title>Normal</title><h1>Normal</h1>", "text/html")
    with serve_sites(site(routes)) as (url,):
        started = time.process_time()
        results = run([url + path for path in routes])
        cpu = time.process_time() - started
    assert len(results) == 13 and all(r.verdict == "ok" for r in results)
    assert cpu < 10.0  # 119 s before; a hang guard


def _hostile_page(rng: random.Random) -> tuple[bytes, str]:
    charset = rng.choice(["utf-7", "utf-8", "latin-1", "shift_jis", "utf-16", "x-unknown", "", "utf-32"])
    parts = [
        "<title>" * rng.randint(0, 500),
        "<h1>" * rng.randint(0, 500),
        f'<a id="{"x" * rng.randint(0, 50_000)}" name="+2D3-">',
        "+2D0-+2D0-\ud83d".encode("utf-8", "surrogatepass").decode("latin-1"),
        "".join(chr(rng.randint(0, 0x2FFF)) for _ in range(rng.randint(0, 300))),
        "<meta http-equiv=refresh content='0; url=" + "\x00" * rng.randint(0, 40) + "'>" * rng.randint(0, 1),
        "<!--" * rng.randint(0, 3),
    ]
    rng.shuffle(parts)
    body = "".join(parts).encode("utf-8", "surrogatepass")
    content_type = "text/html" + (f"; charset={charset}" if charset else "")
    return body, content_type


def test_generated_hostile_pages_always_end_in_one_stored_result_per_link(run, tmp_path: Path):
    rng = random.Random(20261130)
    routes = {f"/p{i}": _raw(*_hostile_page(rng)) for i in range(40)}
    urls_suffix = {f"/p{i}": "#" + rng.choice(["x", "+2D0-", "%F0%9F", "a" * 300]) for i in range(0, 40, 3)}
    store = Store(tmp_path / "fuzz.sqlite3")
    with serve_sites(site(routes)) as (url,):
        urls = [url + path + urls_suffix.get(path, "") for path in routes]
        run_id = store.start_run()
        results = run(urls)
        recorded = store.record_results(run_id, results)
    assert sorted(r.url for r in results) == sorted(urls)
    assert recorded == len(urls)
    assert set(store.run_results(run_id)) == set(urls)
