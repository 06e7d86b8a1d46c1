"""refresh() under the failures recorded from the real GitHub: blocked repositories, GraphQL
FORBIDDEN aliases, timeouts, every rate-limit shape, odd dates; one repository never holds up the rest."""

from __future__ import annotations

import time

import pytest

from linkcheck.metadata.github import failures, refresh

from .conftest import TOKEN


def _add(fake, n: int, prefix: str = "org") -> list[str]:
    names = [f"{prefix}/project-{i}" for i in range(n)]
    for i, name in enumerate(names):
        fake.add_repo(name, stargazers_count=1000 + i)
    return names


def _bump_stars(fake, repos: list[str], by: int = 5) -> None:
    for repo in repos:
        fake.repos[repo.lower()]["stargazers_count"] += by


@pytest.mark.parametrize("token", ["", TOKEN], ids=["rest", "graphql"])
def test_blocked_repository_is_a_state_and_never_freezes_the_rest(fake, make_settings, store, token):
    repos = _add(fake, 4)
    fake.blocked.add("org/project-1")
    settings = make_settings(token=token)
    first = refresh(settings, store, repos=repos)
    assert first.errors == [] and first.pending == [] and first.failed == []
    assert first.blocked == {"org/project-1": "tos" if not token else "no reason given"}
    assert first.problems  # the catalog maintainer should look at it
    assert store.github_repo("org/project-1")["state"] == "blocked"
    others = [r for r in repos if r != "org/project-1"]
    assert all(store.github_repo(r)["state"] == "ok" for r in others)

    for _ in range(2):  # run after run, the others keep being refreshed
        _bump_stars(fake, others)
        again = refresh(settings, store, repos=repos)
        assert again.pending == [] and again.errors == []
        assert again.changed == 3  # the three others; the blocked one is unchanged
    assert store.github_repo("org/project-0")["data"]["stars"] == 1010
    assert store.github_repo("org/project-3")["data"]["stars"] == 1013


def test_graphql_forbidden_with_data_null_still_stores_the_batch(fake, make_settings, store):
    repos = _add(fake, 5)
    fake.blocked.add("org/project-2")
    fake.forbidden_nulls_query = True  # the whole query answers data: null
    summary = refresh(make_settings(token=TOKEN), store, repos=repos)
    assert summary.errors == [] and summary.pending == []
    assert summary.updated == 4 and summary.blocked == {"org/project-2": "no reason given"}
    # the query again without the forbidden alias: two requests, not one per repository
    assert summary.requests == 2
    assert '"project-2"' not in fake.seen[-1].body


@pytest.mark.parametrize("token", ["", TOKEN], ids=["rest", "graphql"])
def test_failing_repository_is_retried_alongside_the_regular_order(fake, make_settings, store, token):
    repos = _add(fake, 4)
    if token:
        fake.timeout_repos.add("org/project-0")  # any query holding it times out
    else:
        fake.broken.add("org/project-0")  # 502 every time
    settings = make_settings(token=token, github_backoff=0.01)
    first = refresh(settings, store, repos=repos)
    assert first.failed == ["org/project-0"] and first.pending == []
    assert "org/project-0" in first.errors[0]
    assert first.updated == 3
    assert set(failures(store)) == {"org/project-0"}
    _bump_stars(fake, repos[1:])
    second = refresh(settings, store, repos=repos)
    assert second.updated == 3 and second.changed == 3 and second.failed == ["org/project-0"]
    assert store.github_repo("org/project-3")["data"]["stars"] == 1008
    fake.broken.clear()
    fake.timeout_repos.clear()
    third = refresh(settings, store, repos=repos)
    assert third.failed == [] and failures(store) == {}
    assert store.github_repo("org/project-0")["state"] == "ok"


def test_failed_repository_does_not_replace_a_pass_left_over_by_a_rate_limit(fake, make_settings, store):
    repos = _add(fake, 6)
    fake.broken.add("org/project-0")
    fake.limits["core"] = fake.remaining["core"] = 4  # 1 failure + 1 repo (2 requests) + 1 body
    settings = make_settings()
    first = refresh(settings, store, repos=repos)
    assert first.rate_limited and first.failed == ["org/project-0"]
    assert "org/project-0" not in first.pending and first.pending
    fake.limits["core"] = 100
    fake.refill()
    later = refresh(settings, store, repos=repos, now=first.resume_after + 1)
    # the pass is finished: what was not reached, with the failed one alongside
    assert later.pending == [] and not later.rate_limited
    assert {r for r in repos if store.github_repo(r)} == set(repos[1:])


@pytest.mark.parametrize("style", ["data-null", "502", "504"])
def test_graphql_timeout_retries_once_then_halves_and_goes_on(fake, make_settings, store, style):
    repos = _add(fake, 250)
    fake.timeout_from = 100
    fake.timeout_style = style
    t0 = time.monotonic()
    summary = refresh(make_settings(token=TOKEN, github_backoff=0.2), store, repos=repos)
    assert time.monotonic() - t0 >= 0.4  # two retries, each after the backoff
    assert summary.errors == [] and summary.pending == [] and summary.updated == 250
    sizes = [s.body.count("repository(owner:") for s in fake.seen]
    # 100 (timeout), 100 again (timeout), 50 + 50; the same for the second 100; then 50
    assert sizes == [100, 100, 50, 50, 100, 100, 50, 50, 50]
    assert len(store.github_repos()) == 250


def test_one_stubborn_repository_is_isolated_by_halving(fake, make_settings, store):
    repos = _add(fake, 20)
    fake.timeout_repos.add("org/project-7")
    summary = refresh(make_settings(token=TOKEN, github_backoff=0.0), store, repos=repos)
    assert summary.failed == ["org/project-7"] and summary.pending == []
    assert summary.updated == 19
    assert "timed out, even alone" in summary.errors[0]


def test_graphql_rate_limit_in_its_newer_shape_pauses_until_the_reset(fake, make_settings, store):
    repos = _add(fake, 3)
    fake.graphql_limit_shape = "graphql_rate_limit_code.json"
    fake.remaining["graphql"] = 0
    settings = make_settings(token=TOKEN)
    first = refresh(settings, store, repos=repos)
    assert first.rate_limited and first.errors == []
    assert first.resume_after == fake.reset_at  # x-ratelimit-reset honoured
    assert first.pending == repos
    again = refresh(settings, store, repos=repos)  # the pause is stored: nothing is asked
    assert again.requests == 0 and again.rate_limited and len(fake.seen) == 1
    fake.refill()
    later = refresh(settings, store, repos=repos, now=first.resume_after + 1)
    assert later.updated == 3 and not later.rate_limited


def test_rest_new_release_is_seen_while_the_repository_answers_304(fake, make_settings, store):
    repos = _add(fake, 2)
    settings = make_settings(github_release_interval_hours=0)  # every run asks for releases
    refresh(settings, store, repos=repos)
    fake.releases["org/project-1"].update({"tag_name": "v2.0.0", "published_at": "2026-11-01T10:00:00Z"})
    fake.seen.clear()
    summary = refresh(settings, store, repos=repos)
    assert summary.not_modified == 2 and summary.changed == 1
    assert [(s.path, s.status) for s in fake.seen] == [
        ("/repos/org/project-0", 304), ("/repos/org/project-0/releases/latest", 304),
        ("/repos/org/project-1", 304), ("/repos/org/project-1/releases/latest", 200),
    ]
    data = store.github_repo("org/project-1")["data"]
    assert (data["release_tag"], data["release_published_at"]) == ("v2.0.0", "2026-11-01T10:00:00Z")
    # on the default cadence (a day) a run right after asks only for the repositories
    fake.seen.clear()
    quiet = refresh(make_settings(), store, repos=repos)
    assert [s.status for s in fake.seen] == [304, 304] and quiet.changed == 0


@pytest.mark.parametrize("token", ["", TOKEN], ids=["rest", "graphql"])
def test_out_of_range_dates_are_rejected_naming_the_repository(fake, make_settings, store, token):
    fake.add_repo("org/odd", pushed_at="9999-12-31T23:59:59-14:00", stargazers_count=3)
    fake.add_repo("org/fine")
    summary = refresh(make_settings(token=token), store, repos=["org/odd", "org/fine"])
    assert summary.errors == [] and summary.updated == 2
    assert len(summary.rejected) == 1 and "org/odd" in summary.rejected[0]
    assert "pushed_at" in summary.rejected[0]
    data = store.github_repo("org/odd")["data"]
    assert data["pushed_at"] is None and data["stars"] == 3
    assert store.github_repo("org/fine")["data"]["pushed_at"]


@pytest.mark.parametrize("token", ["", TOKEN], ids=["rest", "graphql"])
def test_out_of_range_answer_keeps_the_last_good_figures_and_is_recorded(fake, make_settings, store, token):
    fake.add_repo("org/odd", stargazers_count=1234, forks_count=56)
    fake.add_repo("org/fine", stargazers_count=10)
    settings = make_settings(token=token)
    refresh(settings, store, repos=["org/odd", "org/fine"])
    good = store.github_repo("org/odd")["data"]
    assert (good["stars"], good["forks"]) == (1234, 56) and good["pushed_at"]
    fake.repos["org/odd"].update(stargazers_count=-5, forks_count=57, pushed_at="1970-01-01T00:00:00Z")
    fake.repos["org/fine"]["stargazers_count"] = 11
    summary = refresh(settings, store, repos=["org/odd", "org/fine"])
    data = store.github_repo("org/odd")["data"]
    # the rejected values keep the last good ones; what was plausible in the answer is taken
    assert (data["stars"], data["forks"], data["pushed_at"]) == (1234, 57, good["pushed_at"])
    assert store.github_repo("org/fine")["data"]["stars"] == 11
    assert len(summary.rejected) == 2 and all("org/odd" in r and "kept the last good value" in r
                                              for r in summary.rejected)
    recorded = failures(store)
    assert set(recorded) == {"org/odd"} and "stars -5 is out of range" in recorded["org/odd"]["error"]
    # the bad answer is asked for in full next run (no 304 for it), and a good one clears the record
    fake.repos["org/odd"].update(stargazers_count=1240, pushed_at=good["pushed_at"])
    again = refresh(settings, store, repos=["org/odd", "org/fine"])
    assert again.rejected == [] and store.github_repo("org/odd")["data"]["stars"] == 1240
    assert failures(store) == {}


def test_a_proxy_page_answering_graphql_is_one_failed_request_not_a_timeout(fake, make_settings, store):
    repos = _add(fake, 8)
    fake.graphql_proxy_page = True
    summary = refresh(make_settings(token=TOKEN), store, repos=repos)
    assert summary.requests == 1  # not 30: nothing to bisect in a page that is not JSON
    assert len(summary.errors) == 1 and "an HTML page, not JSON" in summary.errors[0]
    assert "timed out" not in " ".join(summary.errors)
    assert summary.pending == repos and summary.failed == []  # nothing lost: all first in line next run
    assert summary.run_status == "failed"
