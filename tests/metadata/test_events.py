"""Project events recorded by the GitHub and PyPI refreshes against their loopback fakes:
a change between two fetches is news, a first fetch is not."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from linkcheck.metadata import github, pypi
from linkcheck.metadata.events import github_changes, pypi_changes
from linkcheck.settings import Settings
from linkcheck.store import Store
from tests.metadata.conftest import metadata_settings
from tests.support.fakegithub import FakeGitHub, serve_fake_github
from tests.support.fakepypi import FakePyPI, serve_fake_pypi


@pytest.fixture
def fakes(tmp_path: Path) -> Iterator[tuple[FakeGitHub, FakePyPI, Settings]]:
    gh, py = FakeGitHub(), FakePyPI()
    with serve_fake_github(gh) as gh_api, serve_fake_pypi(py) as py_api:
        yield gh, py, metadata_settings(tmp_path, github_api_url=gh_api, pypi_api_url=py_api)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "s.sqlite3") as s:
        yield s


def _events(store: Store) -> list[tuple[str, str, dict]]:
    return [(e["project"], e["kind"], e["detail"]) for e in reversed(store.project_events())]


@pytest.mark.parametrize("token", ["", "ghp_token"], ids=["rest", "graphql"])
def test_github_archive_flips_and_rename_are_events_first_fetch_is_not(fakes, store, token):
    gh, _, settings = fakes
    gh.token = token or None
    settings = dataclasses.replace(settings, github_token=token)
    gh.add_repo("org/alpha", archived=False)
    gh.add_repo("org/beta", archived=True)  # archived already on the first fetch: no event
    github.refresh(settings, store, repos=["org/alpha", "org/beta"])
    assert store.project_events() == []
    gh.repos["org/alpha"]["archived"] = True
    gh.repos["org/alpha"]["pushed_at"] = "2026-11-01T00:00:00Z"  # a new ETag
    gh.rename("org/beta", "neworg/beta")
    t0 = time.time()
    github.refresh(settings, store, repos=["org/alpha", "org/beta"])
    assert sorted(_events(store)) == [
        ("github:org/alpha", "archived", {"repo": "org/alpha"}),
        ("github:org/beta", "renamed", {"from": "org/beta", "to": "neworg/beta"}),
    ]
    assert all(e["at"] >= t0 for e in store.project_events())
    # unchanged: no news; unarchived: news
    github.refresh(settings, store, repos=["org/alpha", "org/beta"])
    assert len(store.project_events()) == 2
    gh.repos["org/alpha"]["archived"] = False
    gh.repos["org/alpha"]["pushed_at"] = "2026-11-02T00:00:00Z"
    github.refresh(settings, store, repos=["org/alpha", "org/beta"])
    assert _events(store)[-1] == ("github:org/alpha", "unarchived", {"repo": "org/alpha"})
    assert len(store.project_events()) == 3


def test_pypi_release_inactive_classifier_and_yanked_are_events(fakes, store):
    _, py, settings = fakes
    py.add("q", version="1.0", uploaded="2026-01-01T00:00:00Z")
    pypi.refresh(settings, store, projects={"q": None})
    assert store.project_events() == []  # first fetch: no history
    py.release("q", "1.1", "2026-06-01T00:00:00Z")
    pypi.refresh(settings, store, projects={"q": None})
    assert _events(store) == [("pypi:q", "release", {"version": "1.1", "released": "2026-06-01T00:00:00Z",
                                                     "previous": "1.0"})]
    # 1.1 yanked: PyPI names 1.0 again; that is a yanked release, not a new one
    body = py.projects["q"]
    for f in body["releases"]["1.1"]:
        f["yanked"] = True
    body["info"]["version"] = "1.0"
    for f in body["urls"]:
        f["upload_time_iso_8601"] = "2026-01-01T00:00:00Z"
    pypi.refresh(settings, store, projects={"q": None})
    assert _events(store)[1:] == [("pypi:q", "yanked", {"version": "1.1"})]
    assert store.pypi_project("q")["data"]["newest_yanked"] == "1.1"
    body["info"]["classifiers"].append("Development Status :: 7 - Inactive")
    pypi.refresh(settings, store, projects={"q": None})
    assert _events(store)[2:] == [("pypi:q", "inactive-classifier", {"version": "1.0"})]
    data = store.pypi_project("q")["data"]
    assert data["inactive"] is True and data["development_status"] == "3 - Alpha"
    assert data["summary"] == "A sample Python project" and data["yanked_versions"] == ["1.1"]
    pypi.refresh(settings, store, projects={"q": None})  # nothing new
    assert len(store.project_events()) == 3


def test_rows_stored_before_the_fields_existed_are_not_news():
    before = {"version": "1.0", "released": "2026-01-01T00:00:00Z"}  # no inactive, no yanked_versions
    after = {**before, "inactive": True, "yanked_versions": ["0.9"]}
    assert pypi_changes(before, after) == []
    assert github_changes("a/b", {"state": "ok", "data": {"stars": 1}}, "ok", {"archived": True}, None) == []
    assert github_changes("a/b", {"state": "missing", "data": {"archived": False}}, "ok",
                          {"archived": True}, None) == []
    # a release whose date is unknown or older is not a new release
    assert pypi_changes(before, {"version": "2.0", "released": None}) == []
    assert pypi_changes(before, {"version": "0.9", "released": "2025-01-01T00:00:00Z"}) == []
