"""Signs of life from stored rows: each sign, its threshold, quiet when there is nothing to say."""

from __future__ import annotations

import time

import pytest

from linkcheck.metadata.vitality import assess, month, says_unmaintained, strongest

DAY = 86400.0
NOW = 1_800_000_000.0  # 2027-01-15
QUIET = 548.0


def _iso(days_ago: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(NOW - days_ago * DAY))


def gh(state: str = "ok", renamed_to: str | None = None, **data: object) -> dict:
    return {"repo": "org/q", "state": state, "renamed_to": renamed_to, "data": data, "fetched_at": NOW - DAY}


def py(**data: object) -> dict:
    return {"name": "q", "state": "ok", "data": {"version": "1.0", **data}}


def signs(github: dict | None = None, pypi: dict | None = None, **kw: object):
    return assess(repo="org/q", github=github, pypi_name="q", pypi=pypi, now=NOW,
                  quiet_after_days=kw.pop("quiet", QUIET), **kw)


def test_no_data_or_a_lively_project_says_nothing():
    assert signs() == []
    assert signs(gh(pushed_at=_iso(3), release_published_at=_iso(40), release_tag="v1"),
                 py(released=_iso(40), summary="Distributed task queue")) == []


def test_archived_repository():
    [sign] = signs(gh(archived=True, pushed_at=_iso(10)))
    assert (sign.kind, sign.text, sign.suggests) == ("archived", "repository archived on GitHub", "archived")
    assert sign.source_url == "https://github.com/org/q"
    assert "org/q" in sign.evidence and "2027-01-14" in sign.evidence  # when it was seen


def test_renamed_repository_points_at_the_new_name():
    [sign] = signs(gh(state="renamed", renamed_to="neworg/q2", pushed_at=_iso(10)))
    assert (sign.kind, sign.renamed_to, sign.source_url) == ("renamed", "neworg/q2", "https://github.com/neworg/q2")
    assert sign.text == "repository now at github.com/neworg/q2" and sign.suggests is None
    # a hostile name from a row is not echoed as a repository
    assert signs(gh(state="renamed", renamed_to="<script>/x y", pushed_at=_iso(10))) == []


def test_long_quiet_project_release_and_push_both_old():
    [sign] = signs(gh(pushed_at=_iso(700)), py(released="2024-03-05T10:00:00Z", version="0.9"))
    assert (sign.kind, sign.text, sign.suggests) == ("quiet", "no release since March 2024", "unmaintained")
    assert sign.source_url == "https://pypi.org/project/q/0.9/"
    assert "0.9 on PyPI, 2024-03-05" in sign.evidence and "last push" in sign.evidence


def test_newest_release_of_pypi_and_github_counts():
    [sign] = signs(gh(pushed_at=_iso(600), release_tag="v2.0", release_published_at=_iso(580)),
                   py(released=_iso(900)))
    assert sign.source_url == "https://github.com/org/q/releases/tag/v2.0"
    assert "v2.0 on GitHub" in sign.evidence
    assert signs(gh(pushed_at=_iso(600), release_tag="v2.0", release_published_at=_iso(500)),
                 py(released=_iso(900))) == []  # GitHub's release is recent enough


def test_old_release_with_recent_pushes_is_said_but_proposes_nothing():
    [sign] = signs(gh(pushed_at=_iso(5)), py(released=_iso(800)))
    assert (sign.kind, sign.suggests) == ("no-release", None) and sign.text.startswith("no release since")
    assert strongest([sign]) is None


def test_no_release_known_and_no_push_for_long():
    [sign] = signs(gh(pushed_at="2022-03-20T00:00:00Z"))
    assert (sign.kind, sign.text, sign.suggests) == ("quiet", "no commit since March 2022", "unmaintained")
    assert signs(gh(pushed_at=_iso(500))) == []


def test_threshold_is_the_setting():
    data = (gh(pushed_at=_iso(400)), py(released=_iso(400)))
    assert signs(*data) == []
    assert [s.kind for s in signs(*data, quiet=365)] == ["quiet"]


@pytest.mark.parametrize(("text", "phrase", "status"), [
    ("DEPRECATED: use the new thing", "deprecated", "unmaintained"),
    ("This project is no longer  maintained.", "no longer maintained", "unmaintained"),
    ("A queue (unmaintained)", "unmaintained", "unmaintained"),
    ("Now in maintenance-only mode", "maintenance-only mode", "maintenance-only"),
    ("In maintenance mode since 2025", "maintenance mode", "maintenance-only"),
    ("Archived: see the fork", "archived", "archived"),
])
def test_descriptions_that_say_so(text, phrase, status):
    [sign] = signs(gh(description=text, pushed_at=_iso(3)))
    assert (sign.kind, sign.text, sign.suggests) == ("deprecated", f"description says {phrase}", status)
    assert text.split()[0] in sign.evidence and sign.source_url == "https://github.com/org/q"


def test_word_boundaries_and_pypi_summary():
    for text in ("undeprecated API", "archivedness", "supports deprecated_names", "maintained"):
        assert says_unmaintained(text) is None, text
    [sign] = signs(None, py(released=_iso(3), summary="Deprecated, use q2"))
    assert sign.source_url == "https://pypi.org/project/q/" and "PyPI summary of q" in sign.evidence


def test_inactive_classifier_and_yanked():
    found = signs(None, py(released=_iso(3), inactive=True, yanked=True, yanked_reason="broken wheel"))
    assert [(s.kind, s.text) for s in found] == [
        ("inactive-classifier", "PyPI: Development Status 7 - Inactive"), ("yanked", "latest release yanked")]
    assert found[0].suggests == "unmaintained" and "Development Status :: 7 - Inactive" in found[0].evidence
    assert found[1].source_url == "https://pypi.org/project/q/1.0/" and "broken wheel" in found[1].evidence
    [newest] = signs(None, py(released=_iso(3), newest_yanked="1.1"))
    assert newest.kind == "yanked" and newest.source_url == "https://pypi.org/project/q/1.1/"


def test_gone_repositories_and_failed_pypi_rows_say_nothing_here():
    assert signs(gh(state="missing", archived=True, pushed_at=_iso(900))) == []
    assert signs(gh(state="blocked", archived=True)) == []
    assert signs(None, {"name": "q", "state": "failed", "data": {"inactive": True}}) == []


def test_hostile_and_huge_values_never_raise():
    found = signs(gh(pushed_at="9999-12-31T23:59:59-14:00", description="deprecated " + "x" * 10**6,
                     release_published_at=12, archived="yes"),
                  py(released=["x"], summary=None, version="<b>1</b>" * 100, yanked=True))
    assert [s.kind for s in found] == ["deprecated", "yanked"]
    assert len(found[0].evidence) < 300 and len(found[1].evidence) < 300


def test_pathological_description_is_linear():
    text = "maintenance " * 20_000 + "no longer " * 20_000
    start = time.process_time()
    assert says_unmaintained(text) is None
    assert time.process_time() - start < 0.5  # CPU time; input is cut at 1000 characters anyway


def test_strongest_and_month():
    found = signs(gh(archived=True, description="deprecated", pushed_at=_iso(900)), py(released=_iso(900)))
    assert [s.kind for s in found] == ["archived", "deprecated", "quiet"]
    assert strongest(found).kind == "archived"
    assert month(NOW) == "January 2027"
