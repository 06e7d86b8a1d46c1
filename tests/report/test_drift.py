"""Content drift: completely different titles warn, small edits do not."""

from __future__ import annotations

import pytest

from linkcheck.model import Result
from linkcheck.report.drift import Drift, find_drift, has_drifted, title_similarity
from linkcheck.store import Store


@pytest.mark.parametrize(("first", "last"), [
    ("Celery - Distributed Task Queue", "Celery 5.4 - Distributed Task Queues"),  # version, plural
    ("RQ: Simple job queues for Python", "RQ: Simple job queues for Python — RQ documentation"),
    ("Celery", "Celery — Distributed Task Queue — Celery 5.4.0 documentation"),  # title grew
    ("Dramatiq: background tasks", "dramatiq:  Background Tasks"),  # case and spacing
    ("Welcome to Huey's documentation!", "Huey documentation"),
])
def test_small_edits_are_not_drift(first, last):
    assert not has_drifted(first, last), title_similarity(first, last)


@pytest.mark.parametrize(("first", "last"), [
    ("Celery docs", "Buy this domain"),
    ("Dramatiq: background tasks for Python", "Welcome to nginx!"),
    ("huey docs", "huey.io is for sale"),  # the old name survives on a parked page
    ("Taskiq documentation", "Online casino bonus 2024"),
])
def test_completely_different_titles_are_drift(first, last):
    assert has_drifted(first, last), title_similarity(first, last)


def test_unknown_titles_never_drift():
    assert not has_drifted(None, "Anything")
    assert not has_drifted("Celery", None)
    assert not has_drifted("Celery", "   ")


def test_find_drift_reads_the_store_titles(tmp_path):
    store = Store(tmp_path / "s.sqlite3")
    for title in ["Huey task queue docs", "Domain parked — buy now"]:
        store.record_result(store.start_run(), Result("https://h.test/", "ok", "ok", "OK", 200,
                                                      title=title, checked_at=1.0))
    for title in ["Celery docs", "Celery 5.4 docs"]:
        store.record_result(store.start_run(), Result("https://c.test/", "ok", "ok", "OK", 200,
                                                      title=title, checked_at=1.0))
    found = find_drift(store.link_statuses().values())
    assert [d.url for d in found] == ["https://h.test/"]
    assert isinstance(found[0], Drift)
    assert found[0].message == "content changed: was 'Huey task queue docs', now 'Domain parked — buy now'"
