"""The SQLite store: history, consecutive failures, broken rule, idempotence, crash safety."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import time

from linkcheck.model import Location, Result
from linkcheck.store import Store


def _result(url: str, verdict: str = "ok", at: float | None = None, **kw) -> Result:
    return Result(url=url, verdict=verdict, reason=kw.pop("reason", verdict),
                  message=kw.pop("message", verdict), checked_at=at or time.time(), **kw)


def test_history_and_consecutive_failures(tmp_path):
    store = Store(tmp_path / "s.sqlite3", broken_after_runs=2, broken_after_hours=24)
    url = "https://example.org/a"
    t0 = 1_000_000.0
    for i, verdict in enumerate(["ok", "error", "error"]):
        run = store.start_run()
        assert store.record_result(run, _result(url, verdict, at=t0 + i * 3600))
    status = store.link_status(url, now=t0 + 2 * 3600)
    assert status is not None
    assert status.consecutive_failures == 2
    assert status.failing_since == t0 + 3600
    assert status.last_ok == t0
    # two failures but only one hour apart: not yet broken for readers
    assert status.broken is False
    assert store.link_status(url, now=t0 + 3600 + 24 * 3600).broken is True
    assert [r.verdict for r in store.history(url)] == ["error", "error", "ok"]
    # recovery resets the streak
    run = store.start_run()
    store.record_result(run, _result(url, "ok", at=t0 + 30 * 3600))
    status = store.link_status(url)
    assert (status.consecutive_failures, status.failing_since, status.broken) == (0, None, False)


def test_record_is_idempotent_per_run(tmp_path):
    store = Store(tmp_path / "s.sqlite3")
    run = store.start_run()
    assert store.record_result(run, _result("https://x.test/", "error")) is True
    assert store.record_result(run, _result("https://x.test/", "error")) is False
    assert store.link_status("https://x.test/").consecutive_failures == 1
    assert store.run_counts(run) == {"error": 1}


def test_first_title_kept_for_drift(tmp_path):
    store = Store(tmp_path / "s.sqlite3")
    for title in ["Celery docs", "Buy this domain"]:
        store.record_result(store.start_run(), _result("https://c.test/", title=title))
    status = store.link_status("https://c.test/")
    assert (status.first_title, status.last_title) == ("Celery docs", "Buy this domain")


def test_locations_recorded_once(tmp_path):
    store = Store(tmp_path / "s.sqlite3")
    loc = Location("content/catalog/projects.yaml", 3, "projects.html", "celery")
    store.record_locations([("https://c.test/", [loc, loc])])
    store.record_locations([("https://c.test/", [loc])])
    assert store.locations("https://c.test/") == {"https://c.test/": [loc]}


def _writer(path: str, start: int, count: int) -> None:
    store = Store(path)
    run = store.start_run()
    for i in range(start, start + count):
        store.record_result(run, _result(f"https://h{i}.test/", "ok"))


def test_several_writer_processes(tmp_path):
    path = str(tmp_path / "s.sqlite3")
    Store(path).close()
    procs = [multiprocessing.Process(target=_writer, args=(path, i * 200, 200)) for i in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    assert len(Store(path).link_statuses()) == 800


def _endless_writer(path: str) -> None:
    store = Store(path)
    run = store.start_run()
    i = 0
    while True:
        store.record_result(run, _result(f"https://k{i}.test/", "ok"))
        i += 1


def test_killed_writer_loses_nothing_recorded(tmp_path):
    path = str(tmp_path / "s.sqlite3")
    Store(path).close()
    proc = multiprocessing.Process(target=_endless_writer, args=(path,))
    proc.start()
    deadline = time.time() + 20
    while time.time() < deadline:
        time.sleep(0.2)
        with sqlite3.connect(path) as db:
            if db.execute("SELECT COUNT(*) FROM checks").fetchone()[0] >= 50:
                break
    os.kill(proc.pid, signal.SIGKILL)
    proc.join()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        checks = db.execute("SELECT COUNT(*) FROM checks").fetchone()[0]
        links = db.execute("SELECT COUNT(*) FROM links WHERE last_checked IS NOT NULL").fetchone()[0]
    assert checks >= 50
    # every committed check has its link row updated in the same transaction
    assert checks == links


def test_one_unstorable_result_becomes_check_failed_and_the_rest_go_on(tmp_path):
    store = Store(tmp_path / "s.sqlite3")
    run = store.start_run()
    results = [_result("https://a.test/1"),
               _result("https://a.test/2", status=2**70),  # no SQLite integer holds it
               _result("https://a.test/3", message="caf\ud83d", final_url="https://a.test/\udcff",
                       title="t\ud800", redirects=[(301, "https://a.test/\ud83d")]),
               _result("https://a.test/4")]
    assert store.record_results(run, results) == 4
    stored = store.run_results(run)
    refused = stored["https://a.test/2"]
    assert (refused.verdict, refused.reason) == ("error", "check_failed")
    assert stored["https://a.test/3"].message == "caf\ufffd"
    assert stored["https://a.test/3"].final_url == "https://a.test/\ufffd"
    assert stored["https://a.test/3"].redirects == [(301, "https://a.test/\ufffd")]
    assert stored["https://a.test/4"].verdict == "ok"


def test_corrupt_store_names_the_file_and_the_way_out(tmp_path):
    import pytest

    from linkcheck.store import StoreFileError

    path = tmp_path / "s.sqlite3"
    path.write_bytes(b"this is not a database, it is a text file" * 100)
    with pytest.raises(StoreFileError) as info:
        Store(path)
    message = str(info.value)
    assert str(path) in message and "mv " in message and "LINKCHECK_STORE" in message


def test_empty_store_file_is_started_anew_with_a_warning(tmp_path, caplog):
    path = tmp_path / "s.sqlite3"
    path.write_bytes(b"")
    with caplog.at_level("WARNING"):
        store = Store(path)
    assert "is empty (0 bytes)" in caplog.text and str(path) in caplog.text
    assert store.start_run() == 1


def test_a_killed_in_process_run_is_marked_interrupted_on_the_next_start(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "s.sqlite3"
    child = subprocess.run([sys.executable, "-c", (
        "import os, signal\n"
        "from linkcheck.store import Store\n"
        f"Store({str(path)!r}).start_run(in_process=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n")], env={**os.environ, "PYTHONPATH": os.getcwd()})
    assert child.returncode == -signal.SIGKILL
    store = Store(path)
    assert [r["status"] for r in store.runs()] == ["running"]  # what a killed run leaves
    scheduled = store.start_run()  # a scheduled (not in-process) run reaps nothing
    assert store.start_run(in_process=True)
    statuses = {r["id"]: r["status"] for r in store.runs()}
    assert statuses[1] == "interrupted" and statuses[scheduled] == "running"


def test_pypi_downloads_keep_the_last_good_figure_through_failures(tmp_path):
    with Store(tmp_path / "s.sqlite3") as store:
        store.save_pypi_downloads_failure("never", "HTTP 503 from pypistats", 100.0)
        assert store.pypi_downloads() == {}  # no good figure, nothing to show
        store.save_pypi_downloads("celery", 1000, 200.0)
        store.save_pypi_downloads_failure("celery", "HTTP 502 from pypistats", 300.0)
        assert store.pypi_downloads() == {"celery": {"last_month": 1000, "fetched_at": 200.0}}
        attempts = store.pypi_downloads_attempts()
        celery = attempts["celery"]
        assert (celery["error"], celery["failed_at"]) == ("HTTP 502 from pypistats", 300.0)
        assert attempts["never"] == {"last_month": None, "fetched_at": 0, "error": "HTTP 503 from pypistats",
                                     "failed_at": 100.0}
        store.save_pypi_downloads("celery", 1200, 400.0)  # a good answer clears the failure
        assert store.pypi_downloads_attempts()["celery"]["error"] is None
        assert store.pypi_downloads()["celery"] == {"last_month": 1200, "fetched_at": 400.0}


def test_project_events_newest_first_and_since(tmp_path):
    with Store(tmp_path / "s.sqlite3") as store:
        store.record_project_event("pypi:rq", "release", {"version": "2.0", "released": "2026-01-01"}, 10.0)
        store.record_project_event("github:a/b", "archived", {}, 30.0)
        store.record_project_event("pypi:rq", "yanked", {"version": "2.0"}, 20.0)
        events = store.project_events()
        assert [(e["project"], e["kind"], e["at"]) for e in events] == [
            ("github:a/b", "archived", 30.0), ("pypi:rq", "yanked", 20.0), ("pypi:rq", "release", 10.0)]
        assert events[2]["detail"] == {"version": "2.0", "released": "2026-01-01"}
        assert [e["kind"] for e in store.project_events(since=20.0)] == ["archived", "yanked"]
