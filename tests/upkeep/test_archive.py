"""Wayback look-ups for broken links: fake availability API on loopback, cached in the store."""

from __future__ import annotations

from linkcheck.store import Store
from linkcheck.upkeep.archive import lookup_archives
from tests.support.servers import free_port
from tests.support.tworuns import TwoRuns, make_settings


def test_only_broken_links_looked_up_and_cached(two_runs: TwoRuns, fake_wayback):
    wayback, api = fake_wayback
    gone = two_runs.url("/gone")
    wayback.snapshots[gone] = f"http://web.archive.org/web/20240101000000/{gone}"
    settings = make_settings(two_runs.root, wayback_api_url=api)
    with Store.from_settings(settings) as store:
        assert lookup_archives(settings, store) == 1
        # /flaky failed once only (not broken for readers): not looked up
        assert wayback.asked == [gone]
        saved = store.archive_lookup(gone)
        # archive.org answers http://; readers get https
        assert saved["snapshot_url"] == f"https://web.archive.org/web/20240101000000/{gone}"
        assert saved["snapshot_time"] == "20240101000000"
        # cached: a second pass asks nothing
        assert lookup_archives(settings, store) == 0
        assert wayback.asked == [gone]


def test_explicit_urls_and_no_snapshot(two_runs: TwoRuns, fake_wayback):
    wayback, api = fake_wayback
    flaky = two_runs.url("/flaky")
    settings = make_settings(two_runs.root, wayback_api_url=api)
    with Store.from_settings(settings) as store:
        assert lookup_archives(settings, store, [flaky]) == 1
        assert wayback.asked[-1] == flaky
        saved = store.archive_lookup(flaky)
        assert saved is not None and saved["snapshot_url"] is None


def test_api_failure_is_not_cached(two_runs: TwoRuns):
    url = two_runs.url("/ok")
    settings = make_settings(two_runs.root, wayback_api_url=f"http://127.0.0.1:{free_port()}/wayback/available")
    with Store.from_settings(settings) as store:
        assert lookup_archives(settings, store, [url]) == 0
        assert store.archive_lookup(url) is None


def test_a_bombed_or_hostile_archive_answer_is_not_cached_and_the_rest_goes_on(two_runs: TwoRuns, caplog):
    """Issue 24: the archive's answer is read up to LINKCHECK_API_MAX_BYTES, decompressed;
    one that is too large, or JSON of the wrong shape, fails its look-up alone."""
    import logging

    from aiohttp import web

    from tests.support.bombs import with_bombs
    from tests.support.servers import serve_app
    from tests.support.tworuns import FakeWayback

    # URLs no other test looked up (the store is the module's)
    bombed, odd, fine = (two_runs.url(f"/ok?caps={n}") for n in ("bomb", "odd", "fine"))
    wayback = FakeWayback()

    async def hit(request: web.Request) -> bool:
        return request.query.get("url") == bombed

    async def shape(request: web.Request, handler):
        if request.query.get("url") == odd:
            return web.json_response({"archived_snapshots": ["not", "a", "dict"]})
        return await handler(request)

    app = with_bombs(wayback.app(), hit)
    app.middlewares.append(web.middleware(shape))
    caplog.set_level(logging.WARNING)
    with serve_app(app, host="127.0.5.23") as base:
        settings = make_settings(two_runs.root, wayback_api_url=f"{base}/wayback/available",
                                 api_max_bytes=1 << 20)
        with Store.from_settings(settings) as store:
            assert lookup_archives(settings, store, [bombed, odd, fine]) == 2
            assert store.archive_lookup(bombed) is None  # not cached: asked again next time
            assert store.archive_lookup(odd)["snapshot_url"] is None
            assert store.archive_lookup(fine)["snapshot_url"] is None
    assert ("the Internet Archive answered more than 1048576 bytes (LINKCHECK_API_MAX_BYTES)"
            in caplog.text)
