"""Downloads refresh against a loopback fake pypistats: figures, cache, 429, 5xx, bad answers."""

from __future__ import annotations

import time

from linkcheck.metadata.downloads import refresh

HOUR = 3600.0


def _names(fake, n: int) -> list[str]:
    for i in range(n):
        fake.add(f"queue-{i}", 1000 * (i + 1))
    return [f"queue-{i}" for i in range(n)]


def test_last_month_figures_are_stored(fake, make_settings, store):
    fake.add("celery", 12_345_678, last_week=3_000_000, last_day=400_000)
    t0 = time.time()
    summary = refresh(make_settings(), store, projects=["celery"], now=t0)
    assert (summary.requests, summary.updated, summary.changed, summary.errors) == (1, 1, 1, [])
    assert store.pypi_downloads() == {"celery": {"last_month": 12_345_678, "fetched_at": t0}}
    assert fake.seen[0].name == "celery" and fake.seen[0].user_agent  # the project's User-Agent
    assert store.runs("downloads")[-1]["status"] == "done"


def test_a_fresh_figure_is_not_asked_for_again(fake, make_settings, store):
    names = _names(fake, 3)
    settings = make_settings()  # maximum age: a day
    t0 = time.time()
    refresh(settings, store, projects=names, now=t0)
    fake.seen.clear()
    again = refresh(settings, store, projects=names, now=t0 + 12 * HOUR)
    assert fake.seen == [] and (again.requests, again.fresh, again.changed) == (0, 3, 0)
    # a daily schedule: a day later (a little early, as beat may be) every figure is due
    fake.add("queue-1", 5)
    later = refresh(settings, store, projects=names, now=t0 + 23.5 * HOUR)
    assert (later.requests, later.updated, later.changed, later.fresh) == (3, 3, 1, 0)
    assert store.pypi_downloads()["queue-1"]["last_month"] == 5
    short = refresh(make_settings(downloads_max_age_hours=0), store, projects=names, now=t0 + 24 * HOUR)
    assert short.requests == 3  # no caching when asked for none


def test_429_with_retry_after_pauses_and_leaves_the_rest_for_the_next_run(fake, make_settings, store):
    names = _names(fake, 5)
    fake.limit_after = 2
    settings = make_settings()
    t0 = time.time()
    first = refresh(settings, store, projects=names, now=t0)
    assert first.rate_limited and first.requests == 3 and first.updated == 2 and first.errors == []
    assert t0 + 3599 <= first.resume_after <= time.time() + 3601  # Retry-After: 3600
    assert store.api_paused_until("pypistats") == first.resume_after
    assert len(first.pending) == 3 and store.runs("downloads")[-1]["status"] == "partial"
    asked = len(fake.seen)
    early = refresh(settings, store, projects=names, now=t0 + 60)  # paused: not a single request
    assert early.requests == 0 and early.rate_limited and len(fake.seen) == asked
    assert early.pending == first.pending and early.fresh == 2
    later = refresh(settings, store, projects=names, now=first.resume_after + 1)
    assert not later.rate_limited and later.updated == 3 and later.fresh == 2
    assert sorted(s.name for s in fake.seen[asked:]) == sorted(first.pending)  # only the ones left
    assert len(store.pypi_downloads()) == 5 and store.api_paused_until("pypistats") == 0.0


def test_5xx_keeps_the_last_good_figure_and_the_run_goes_on(fake, make_settings, store):
    names = _names(fake, 3)
    settings = make_settings()
    t0 = time.time()
    refresh(settings, store, projects=names, now=t0)
    fake.broken.add("queue-0")
    fake.add("queue-2", 99)
    second = refresh(settings, store, projects=names, now=t0 + 25 * HOUR)
    assert second.failed == ["queue-0"] and second.updated == 2
    assert any("HTTP 503" in e and "queue-0" in e for e in second.errors)
    figures = store.pypi_downloads()
    assert figures["queue-0"] == {"last_month": 1000, "fetched_at": t0}  # the last good one, its own date
    assert figures["queue-2"]["last_month"] == 99
    assert store.pypi_downloads_attempts()["queue-0"]["error"] == "queue-0: HTTP 503 from pypistats"
    assert store.runs("downloads")[-1]["status"] == "partial"
    fake.broken.clear()
    third = refresh(settings, store, projects=names, now=t0 + 26 * HOUR)  # the failed one is due again
    assert third.requests == 1 and third.failed == [] and third.updated == 1


def test_malformed_huge_and_implausible_answers_are_errors(fake, make_settings, store):
    fake.add("good", 10)
    fake.add("also-good", 20)
    fake.add("cut", 10)
    fake.malformed.add("cut")
    fake.huge.add("huge")
    fake.add("text", "12")
    fake.add("negative", -5)
    fake.add("absurd", 10**15)
    fake.add("flag", True)
    bad = ["cut", "huge", "text", "negative", "absurd", "flag"]
    # good answers in between: five errors in a row would stop the run (tested below)
    cap = 1 << 20  # the fake's huge answer is 4 MiB
    summary = refresh(make_settings(api_max_bytes=cap), store,
                      projects=[*bad[:3], "good", *bad[3:], "also-good"])
    assert summary.updated == 2 and sorted(summary.failed) == sorted(bad) and summary.pending == []
    errors = " | ".join(summary.errors)
    assert "cut: pypistats answered with malformed JSON" in errors
    assert f"huge: pypistats answered more than {cap} bytes (LINKCHECK_API_MAX_BYTES)" in errors
    assert "text: pypistats' answer has no last_month figure" in errors
    assert "negative: pypistats' last_month -5 is out of range" in errors
    assert "absurd: pypistats' last_month" in errors and "flag: pypistats' answer has no last_month" in errors
    assert sorted(store.pypi_downloads()) == ["also-good", "good"]


def test_repeated_errors_stop_the_run_and_the_rest_goes_first_next_time(fake, make_settings, store):
    names = _names(fake, 8)
    fake.broken.update(names)
    t0 = time.time()
    first = refresh(make_settings(), store, projects=names, now=t0)
    assert len(first.failed) == 5 and len(first.pending) == 3 and first.requests == 5
    fake.broken.clear()
    second = refresh(make_settings(), store, projects=names, now=t0 + 60)
    assert [s.name for s in fake.seen[5:8]] == first.pending  # never tried: first in line
    assert second.updated == 8 and len(store.pypi_downloads()) == 8


def test_no_data_on_pypistats_is_said_and_nothing_is_stored(fake, make_settings, store):
    fake.add("known", 7)
    summary = refresh(make_settings(), store, projects=["known", "unknown-project"])
    assert summary.no_data == ["unknown-project"] and summary.errors == [] and summary.failed == []
    assert list(store.pypi_downloads()) == ["known"]


def test_unreachable_pypistats_is_an_error_not_a_crash(make_settings, store):
    from tests.support.servers import free_port

    summary = refresh(make_settings(pypistats_api_url=f"http://127.0.0.1:{free_port()}/api"), store,
                      projects=["celery"])
    assert summary.errors and "cannot reach pypistats" in summary.errors[0]
    assert summary.pending == ["celery"] and store.pypi_downloads() == {}


def test_names_that_are_not_normalised_pypi_names_are_never_asked(fake, make_settings, store):
    summary = refresh(make_settings(), store, projects=["../etc/passwd", "Celery", "a b"])
    assert summary.requested == 0 and fake.seen == []
