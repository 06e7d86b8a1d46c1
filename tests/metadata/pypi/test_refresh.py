"""PyPI refresh against the loopback fake JSON API: data kept, 304s, 404, 429, malformed JSON."""

from __future__ import annotations

import time

from linkcheck.metadata.pypi import mismatches, refresh
from tests.support.fakepypi import fixture


def _projects(fake, n: int) -> dict[str, str | None]:
    out = {}
    for i in range(n):
        fake.add(f"queue-{i}", version=f"{i}.0.0", source=f"https://github.com/org/queue-{i}")
        out[f"queue-{i}"] = f"org/queue-{i}"
    return out


def test_latest_release_facts_are_stored(fake, make_settings, store):
    fake.add("sampleproject")
    summary = refresh(make_settings(), store, projects={"sampleproject": "pypa/sampleproject"})
    assert (summary.requests, summary.updated, summary.changed, summary.errors) == (1, 1, 1, [])
    row = store.pypi_project("sampleproject")
    data = row["data"]
    doc = fixture("project.json")
    assert row["state"] == "ok" and row["etag"]
    assert data["version"] == doc["info"]["version"] == "4.0.0"
    assert data["released"] == "2024-11-06T22:37:09.220617Z"  # the first file of the release
    assert data["requires_python"] == ">=3.9" and data["yanked"] is False
    assert data["urls"]["Source"] == "https://github.com/pypa/sampleproject/"
    assert data["source_repo"] == "pypa/sampleproject" and summary.source_mismatch == {}


def test_unchanged_second_run_costs_only_304s(fake, make_settings, store):
    projects = _projects(fake, 5)
    settings = make_settings()
    refresh(settings, store, projects=projects)
    fake.seen.clear()
    again = refresh(settings, store, projects=projects)
    assert [s.status for s in fake.seen] == [304] * 5 and all(s.if_none_match for s in fake.seen)
    assert (again.not_modified, again.updated, again.changed) == (5, 0, 0)
    fake.release("queue-3", "3.1.0", "2026-11-29T08:00:00Z")
    fake.seen.clear()
    third = refresh(settings, store, projects=projects)
    assert sorted(s.status for s in fake.seen) == [200, 304, 304, 304, 304] and third.changed == 1
    data = store.pypi_project("queue-3")["data"]
    assert (data["version"], data["released"]) == ("3.1.0", "2026-11-29T08:00:00Z")


def test_one_failing_project_never_stalls_the_others(fake, make_settings, store):
    projects = _projects(fake, 4)
    fake.malformed.add("queue-0")
    fake.broken.add("queue-2")
    settings = make_settings()
    first = refresh(settings, store, projects=projects)
    assert sorted(first.failed) == ["queue-0", "queue-2"] and first.pending == []
    assert any("malformed JSON" in e and "queue-0" in e for e in first.errors)
    assert any("HTTP 503" in e and "queue-2" in e for e in first.errors)
    assert first.updated == 2
    fake.release("queue-1", "1.1.0", "2026-11-29T08:00:00Z")
    second = refresh(settings, store, projects=projects)
    assert store.pypi_project("queue-1")["data"]["version"] == "1.1.0"
    assert sorted(second.failed) == ["queue-0", "queue-2"]
    fake.malformed.clear()
    fake.broken.clear()
    third = refresh(settings, store, projects=projects)
    assert third.failed == [] and third.errors == []
    assert store.pypi_project("queue-0")["state"] == "ok" and store.pypi_project("queue-0")["error"] is None


def test_unknown_project_is_missing_and_a_catalog_problem(fake, make_settings, store):
    fake.add("real")
    summary = refresh(make_settings(), store, projects={"real": None, "no-such-project": None})
    assert summary.missing == ["no-such-project"] and summary.problems and summary.errors == []
    assert store.pypi_project("no-such-project")["state"] == "missing"


def test_429_stops_with_a_stored_pause_and_resumes(fake, make_settings, store):
    projects = _projects(fake, 5)
    fake.limit_after = 2
    settings = make_settings()
    t0 = time.time()
    first = refresh(settings, store, projects=projects)
    assert first.rate_limited and first.requests == 3 and first.updated == 2
    assert t0 + 119 <= first.resume_after <= time.time() + 121  # Retry-After: 120
    assert len(first.pending) == 3
    early = refresh(settings, store, projects=projects)  # paused: not a single request
    assert early.requests == 0 and early.rate_limited and len(fake.seen) == 3
    later = refresh(settings, store, projects=projects, now=first.resume_after + 1)
    assert not later.rate_limited and later.updated == 3 and later.not_modified == 2
    # the three not reached went first
    assert [s.status for s in fake.seen[3:6]] == [200, 200, 200]


def test_redirect_on_the_same_host_is_followed(fake, make_settings, store):
    fake.add("zope-interface")
    fake.moved["zope-iface"] = "zope-interface"
    summary = refresh(make_settings(), store, projects={"zope-iface": None})
    assert summary.updated == 1 and [s.status for s in fake.seen] == [301, 200]
    assert store.pypi_project("zope-iface")["data"]["name"] == "zope-interface"


def test_source_url_disagreeing_with_the_catalog_repo_is_reported(fake, make_settings, store):
    fake.add("taken", source="https://github.com/someone-else/taken")
    fake.add("agrees", source="https://github.com/Org/Agrees.git")
    summary = refresh(make_settings(), store, projects={"taken": "org/taken", "agrees": "org/agrees"})
    assert summary.source_mismatch == {"taken": "someone-else/taken"} and summary.problems
    assert mismatches(store) == {"taken": ("org/taken", "someone-else/taken")}


def test_yanked_and_implausible_values(fake, make_settings, store):
    fake.add("yanked-one", yanked=True)
    fake.add("odd", uploaded="9999-12-31T23:59:59-14:00", requires_python=12,
             project_urls={"Source": "javascript:alert(1)", "Docs": "https://odd.example/docs",
                           "x" * 500: "https://odd.example/long"})
    summary = refresh(make_settings(), store, projects={"yanked-one": None, "odd": None})
    assert summary.errors == []
    assert store.pypi_project("yanked-one")["data"]["yanked"] is True
    odd = store.pypi_project("odd")["data"]
    assert odd["released"] is None and odd["requires_python"] is None
    assert "Source" not in odd["urls"] and odd["urls"]["Docs"] == "https://odd.example/docs"
    assert all(len(label) <= 60 for label in odd["urls"])
    assert len(summary.rejected) == 1 and "odd" in summary.rejected[0]


def test_unreachable_pypi_is_an_error_not_a_crash(make_settings, store):
    from tests.support.servers import free_port

    summary = refresh(make_settings(pypi_api_url=f"http://127.0.0.1:{free_port()}"), store,
                      projects={"celery": None})
    assert summary.errors and "cannot reach PyPI" in summary.errors[0]
    assert summary.pending == ["celery"]


def test_link_health_report_warns_when_pypi_source_and_catalog_repo_disagree(fake, make_settings, store):
    from linkcheck.model import Result
    from linkcheck.report.build import build_report, render_html, render_markdown

    fake.add("taken", source="https://github.com/someone-else/taken")
    fake.add("fine", source="https://github.com/org/fine")
    refresh(make_settings(), store, projects={"taken": "org/taken", "fine": "org/fine"})
    run = store.start_run("check")
    store.record_result(run, Result(url="https://a.example/", verdict="ok", reason="ok", message="OK",
                                    status=200))
    store.finish_run(run)
    data = build_report(store)
    assert [(w["pypi"], w["catalog_repo"], w["pypi_source_repo"]) for w in data["metadata_warnings"]] == [
        ("taken", "org/taken", "someone-else/taken")]
    assert "PyPI project taken declares its source at github.com/someone-else/taken" in render_markdown(data)
    assert "github.com/org/taken" in render_html(data)


def test_a_patch_of_an_older_series_uploaded_later_is_not_the_latest_release(fake, make_settings, store):
    # PyPI's info.version is the project's highest release, not its newest upload: Django 5.2.9
    # (LTS) uploaded after 6.0 leaves 6.0 the latest, dated by 6.0's own files
    body = fake.add("django", version="6.0", uploaded="2025-12-03T15:00:00Z")
    body["releases"]["5.2.9"] = [{**f, "upload_time_iso_8601": "2025-12-10T09:00:00Z"} for f in body["urls"]]
    refresh(make_settings(), store, projects={"django": "django/django"})
    data = store.pypi_project("django")["data"]
    assert (data["version"], data["released"]) == ("6.0", "2025-12-03T15:00:00Z")
