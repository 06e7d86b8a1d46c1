"""Engine API: invalid input never raises, one result per URL, on_result as results come."""

from __future__ import annotations

import asyncio

from linkcheck.engine.check import check_urls
from linkcheck.model import Result
from tests.engine.conftest import fast_options
from tests.support.fakeweb import HITS, serve_sites, site, static


def test_invalid_and_non_http_urls_give_error_results(run):
    urls = ["mailto:someone@example.org", "ftp://ftp.example.org/x", "http://", "http://exa mple.org/",
            "https://[::1/", "javascript:alert(1)", "not a url"]
    results = run(urls)
    assert [r.url for r in results] == urls
    reasons = [r.reason for r in results]
    assert reasons == ["unsupported_scheme", "unsupported_scheme", "invalid_url", "invalid_url",
                       "invalid_url", "unsupported_scheme", "unsupported_scheme"]
    assert all(r.verdict == "error" and r.message for r in results)


def test_on_result_called_once_per_url_and_fragments_share_a_fetch():
    app = site({"/a": static("A", '<p id="x">x</p>'), "/b": static("B")})
    seen: list[Result] = []
    with serve_sites(app) as (url,):
        urls = [url + "/a", url + "/a#x", url + "/a#y", url + "/b", "gopher://old/"]
        results = asyncio.run(check_urls(urls, fast_options(), on_result=seen.append))
    assert sorted(r.url for r in seen) == sorted(urls)
    assert [r.url for r in results] == urls
    assert [r.reason for r in results] == ["ok", "ok", "anchor_missing", "ok", "unsupported_scheme"]
    assert len([h for h in app[HITS] if h.path == "/a"]) == 1
    assert all(r.checked_at > 0 for r in results)
    assert Result.from_json(results[2].to_json()) == results[2]


def test_json_shapes_carry_every_field():
    # to_json is spelled out for speed: a field added later must not be left behind
    from dataclasses import fields

    from linkcheck.model import Location

    result = Result(url="http://a.test/", verdict="ok", reason="ok", message="m", status=200,
                    final_url="http://a.test/x", redirects=[(301, "http://a.test/x")], title="t",
                    checked_at=1.0, elapsed=0.5, attempts=2)
    assert set(result.to_json()) == {f.name for f in fields(Result)}
    assert Result.from_json(result.to_json()) == result
    location = Location("content/a.md", 3, "a.html", "celery", "brokers")
    assert location.to_json() == {f.name: getattr(location, f.name) for f in fields(Location)}
