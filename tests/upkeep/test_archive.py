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
