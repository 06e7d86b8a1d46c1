"""Which page starts next: the host with most pages left, round-robin on ties, a cap per host."""

from __future__ import annotations

from yarl import URL

from linkcheck.engine.check import _Feed


def _pages(spec: dict[str, int]) -> list[tuple[URL, list[str]]]:
    pages = []
    for host, count in spec.items():
        for n in range(count):
            url = f"http://{host}/{n}"
            pages.append((URL(url), [url]))
    return pages


def test_fresh_run_spreads_over_every_host_busiest_first():
    feed = _Feed(_pages({"a.test": 2, "b.test": 4, "c.test": 2}), per_host=8)
    order = [feed.take()[0] for _ in range(8)]
    assert order[:2] == ["b.test", "b.test"]  # 4 left beats 2 until they are level
    assert order[2:5] == ["a.test", "c.test", "b.test"]  # then round-robin
    assert sorted(order) == ["a.test"] * 2 + ["b.test"] * 4 + ["c.test"] * 2
    assert feed.take() is None and feed.left == 0


def test_a_host_at_its_cap_waits_for_one_of_its_pages_to_finish():
    feed = _Feed(_pages({"slow.test": 5, "fast.test": 1}), per_host=2)
    taken = [feed.take()[0] for _ in range(3)]
    assert sorted(taken) == ["fast.test", "slow.test", "slow.test"]
    assert feed.take() is None  # slow.test has 3 left but 2 in progress
    feed.finished("slow.test")
    assert feed.take()[0] == "slow.test"
    assert feed.take() is None


def test_a_host_whose_pages_finish_slowly_gets_more_of_the_next_starts():
    feed = _Feed(_pages({"quick.test": 6, "laggard.test": 6}), per_host=2)
    assert sorted(feed.take()[0] for _ in range(4)) == ["laggard.test"] * 2 + ["quick.test"] * 2
    feed.finished("quick.test")
    feed.finished("quick.test")  # quick's pages finish, the laggard's do not
    assert [feed.take()[0] for _ in range(2)] == ["quick.test", "quick.test"]
    feed.finished("quick.test")
    feed.finished("laggard.test")
    assert feed.take()[0] == "laggard.test"  # 4 left beats quick's 2
