"""refresh() against the loopback fake GitHub API: request counts, ETags, limits, renames, 404s."""

from __future__ import annotations

import time

from linkcheck.metadata.github import BATCH_SIZE, refresh
from tests.support.fakegithub import fixture

from .conftest import TOKEN


def _add(fake, n: int, prefix: str = "org") -> list[str]:
    names = [f"{prefix}/project-{i}" for i in range(n)]
    for i, name in enumerate(names):
        fake.add_repo(name, stargazers_count=1000 + i)
    return names


def test_graphql_batches_100_per_query_and_stores_figures(fake, make_settings, store):
    repos = _add(fake, 2 * BATCH_SIZE + 50)
    summary = refresh(make_settings(token=TOKEN), store, repos=repos)
    assert summary.mode == "graphql"
    assert summary.requests == 3 == fake.count(path_prefix="/graphql")
    assert (summary.updated, summary.changed, summary.errors, summary.pending) == (250, 250, [], [])
    again = refresh(make_settings(token=TOKEN), store, repos=repos)
    assert (again.requests, again.updated, again.changed) == (3, 250, 0)  # GraphQL has no 304: compared
    assert all(s.authorization == f"bearer {TOKEN}" for s in fake.seen)
    row = store.github_repo("org/project-7")
    expected = fixture("repo.json")
    assert row["state"] == "ok"
    data = row["data"]
    assert data["stars"] == 1007
    assert data["forks"] == expected["forks_count"]
    assert data["license"] == expected["license"]["spdx_id"]
    assert data["pushed_at"] == expected["pushed_at"]
    assert data["release_tag"] == fixture("release.json")["tag_name"]
    assert data["release_published_at"] == fixture("release.json")["published_at"]
    assert data["language"] == "Python" and data["archived"] is False
    assert row["fetched_at"] > time.time() - 60


def test_rest_and_graphql_agree_on_figures(fake, make_settings, tmp_path):
    from linkcheck.store import Store

    fake.add_repo("a/one", stargazers_count=12345, archived=True, homepage="https://one.example")
    fake.add_repo("a/two", release=None, license=None, language=None)
    with Store(tmp_path / "rest.sqlite3") as rest, Store(tmp_path / "gql.sqlite3") as gql:
        refresh(make_settings(), rest, repos=["a/one", "a/two"])
        refresh(make_settings(token=TOKEN), gql, repos=["a/one", "a/two"])
        for repo in ("a/one", "a/two"):
            r, g = rest.github_repo(repo)["data"], gql.github_repo(repo)["data"]
            assert {k: v for k, v in r.items() if k not in ("release_etag", "release_checked_at")} == g
    assert g["release_tag"] is None and g["license"] is None
    assert r["release_tag"] is None


def test_rest_conditional_requests_cost_a_304_when_unchanged(fake, make_settings, store):
    repos = _add(fake, 3)
    settings = make_settings()
    first = refresh(settings, store, repos=repos)
    assert first.mode == "rest"
    assert first.requests == 6 and first.updated == 3  # repository + latest release each
    assert all(s.authorization is None for s in fake.seen)
    before = {r: store.github_repo(r) for r in repos}
    fake.seen.clear()

    second = refresh(settings, store, repos=repos)
    assert second.requests == 3 and second.not_modified == 3 and second.updated == 0
    assert [s.status for s in fake.seen] == [304, 304, 304]
    assert all(s.if_none_match for s in fake.seen)
    for r in repos:
        after = store.github_repo(r)
        assert after["data"] == before[r]["data"]
        assert after["fetched_at"] >= before[r]["fetched_at"]

    fake.repos["org/project-1"]["stargazers_count"] = 4242
    fake.seen.clear()
    third = refresh(settings, store, repos=repos)
    assert third.updated == 1 and third.changed == 1 and third.not_modified == 2
    # the changed repository: 200 for itself, its release still answers 304
    assert sorted(s.status for s in fake.seen) == [200, 304, 304, 304]
    assert store.github_repo("org/project-1")["data"]["stars"] == 4242
    assert store.github_repo("org/project-1")["data"]["release_tag"] == "v1.0.0"


def test_primary_rate_limit_stops_keeps_progress_and_resumes(fake, make_settings, store):
    fake.limits["core"] = fake.remaining["core"] = 5
    repos = _add(fake, 4)
    settings = make_settings()
    first = refresh(settings, store, repos=repos)
    # 5 requests allowed: two repositories complete; the third's figures came with the
    # window's last answer (remaining: 0) and are kept; its release is not asked for
    assert first.requests == 5 == len(fake.seen)
    assert fake.seen[-1].path == "/repos/org/project-2" and fake.seen[-1].status == 200
    assert first.rate_limited and first.resume_after == fake.reset_at
    assert first.pending == ["org/project-3"]
    assert set(store.github_repos()) == {"org/project-0", "org/project-1", "org/project-2"}
    assert "release_checked_at" not in store.github_repo("org/project-2")["data"]  # still due

    early = refresh(settings, store, repos=repos)  # before the reset: not a single request
    assert early.requests == 0 and len(fake.seen) == 5
    assert early.rate_limited and early.pending == first.pending

    fake.limits["core"] = 60
    fake.refill()
    fake.seen.clear()
    later = refresh(settings, store, repos=repos, now=first.resume_after + 1)
    assert not later.rate_limited and later.pending == [] and later.errors == []
    # the resumed run finishes the pass: only what was left over is asked for
    assert [s.path for s in fake.seen] == [
        "/repos/org/project-3", "/repos/org/project-3/releases/latest",
    ]
    assert set(store.github_repos()) == set(repos)
    assert later.updated == 1 and later.not_modified == 0
    fake.seen.clear()
    fresh_pass = refresh(settings, store, repos=repos)  # the next run starts a new pass over all
    # four 304s, plus the release project-2 still owed (asked on its own cadence)
    assert fresh_pass.requests == 5 and fresh_pass.not_modified == 4
    assert [s.path for s in fake.seen if s.status == 200] == ["/repos/org/project-2/releases/latest"]
    assert store.github_repo("org/project-2")["data"]["release_tag"] == "v1.0.0"


def test_secondary_limit_honours_retry_after(fake, make_settings, store):
    repos = _add(fake, 3)
    fake.secondary_after = 2
    fake.retry_after = 90
    settings = make_settings()
    t0 = time.time()
    first = refresh(settings, store, repos=repos)
    assert first.rate_limited and "secondary" in first.rate_limit_reason
    assert t0 + 89 <= first.resume_after <= time.time() + 91
    assert first.pending == ["org/project-1", "org/project-2"]
    assert [s.status for s in fake.seen] == [200, 200, 403]
    assert store.github_repo("org/project-0")["state"] == "ok"

    assert refresh(settings, store, repos=repos, now=first.resume_after - 1).requests == 0
    later = refresh(settings, store, repos=repos, now=first.resume_after + 1)
    assert later.pending == [] and not later.rate_limited
    assert set(store.github_repos()) == set(repos)


def test_graphql_rate_limit_stops_between_batches(fake, make_settings, store):
    fake.limits["graphql"] = fake.remaining["graphql"] = 1
    repos = _add(fake, 150)
    settings = make_settings(token=TOKEN)
    first = refresh(settings, store, repos=repos)
    assert first.requests == 1 and first.updated == 100
    assert first.rate_limited and len(first.pending) == 50
    fake.add_repo("org/newly-added")
    fake.refill()
    later = refresh(settings, store, repos=[*repos, "org/newly-added"], now=first.resume_after + 1)
    # the pass is finished: the 50 left over plus the project never fetched, in one query
    assert later.requests == 1 and later.updated == 51 and later.pending == []
    asked = fake.seen[-1].body
    assert all(f'"{r.split("/")[1]}"' in asked for r in [*first.pending, "org/newly-added"])
    assert '"project-0"' not in asked
    assert len(store.github_repos()) == 151


def test_graphql_rate_limited_error_keeps_everything(fake, make_settings, store):
    repos = _add(fake, 3)
    fake.remaining["graphql"] = 0
    summary = refresh(make_settings(token=TOKEN), store, repos=repos)
    assert summary.rate_limited and summary.errors == []
    assert summary.pending == repos and store.github_repos() == {}


def test_rest_rename_is_followed_and_reported(fake, make_settings, store):
    fake.add_repo("old-owner/queue", stargazers_count=77)
    fake.rename("old-owner/queue", "new-owner/queue2")
    settings = make_settings()
    summary = refresh(settings, store, repos=["old-owner/queue"])
    assert summary.renamed == {"old-owner/queue": "new-owner/queue2"}
    assert summary.problems
    assert [s.status for s in fake.seen] == [301, 200, 200]
    assert fake.seen[2].path == "/repos/new-owner/queue2/releases/latest"
    row = store.github_repo("old-owner/queue")
    assert (row["state"], row["renamed_to"], row["data"]["stars"]) == ("renamed", "new-owner/queue2", 77)
    fake.seen.clear()
    again = refresh(settings, store, repos=["old-owner/queue"])
    assert [s.status for s in fake.seen] == [301, 304]
    assert again.renamed == {"old-owner/queue": "new-owner/queue2"}


def test_graphql_rename_detected_by_name_with_owner(fake, make_settings, store):
    fake.add_repo("old-owner/queue")
    fake.add_repo("same/CaseOnly")
    fake.rename("old-owner/queue", "new-owner/queue")
    summary = refresh(make_settings(token=TOKEN), store, repos=["old-owner/queue", "same/caseonly"])
    assert summary.renamed == {"old-owner/queue": "new-owner/queue"}
    assert store.github_repo("same/caseonly")["state"] == "ok"  # case differences are not renames


def test_not_found_marks_missing_without_crashing(fake, make_settings, tmp_path):
    from linkcheck.store import Store

    fake.add_repo("a/alive")
    fake.add_repo("a/doomed")
    for token, name in (("", "rest"), (TOKEN, "gql")):
        with Store(tmp_path / f"{name}.sqlite3") as store:
            refresh(make_settings(token=token), store, repos=["a/alive", "a/doomed"])
            fake.delete("a/doomed")
            summary = refresh(make_settings(token=token), store, repos=["a/alive", "a/doomed", "a/never"])
            fake.add_repo("a/doomed")
            assert summary.errors == [] and summary.pending == []
            assert sorted(summary.missing) == ["a/doomed", "a/never"]
            assert store.github_repo("a/doomed")["state"] == "missing"
            assert store.github_repo("a/doomed")["data"]["stars"] == 80  # last known figures kept
            assert store.github_repo("a/alive")["state"] == "ok"


def test_bad_token_and_unreachable_api_are_errors_not_crashes(fake, make_settings, store):
    fake.add_repo("a/one")
    summary = refresh(make_settings(token="ghp_wrongTOKEN_value_123456"), store, repos=["a/one"])
    assert summary.errors and "401" in summary.errors[0]
    assert "ghp_wrongTOKEN_value_123456" not in repr(summary.to_json())
    assert summary.pending == ["a/one"]
    from tests.support.servers import free_port

    down = refresh(make_settings(github_api_url=f"http://127.0.0.1:{free_port()}"), store, repos=["a/one"])
    assert down.errors and "cannot reach" in down.errors[0]
    assert down.pending == ["a/one"]
    runs = store.runs(kind="github")
    assert [r["status"] for r in runs] == ["failed", "failed"]


def test_graphql_secondary_limit_stops_with_nothing_lost(fake, make_settings, store):
    repos = _add(fake, 120)
    settings = make_settings(token=TOKEN)
    fake.secondary_after = 1  # the second query is refused with Retry-After
    first = refresh(settings, store, repos=repos)
    assert first.requests == 2 and first.updated == 100 and first.rate_limited
    assert len(first.pending) == 20 and len(store.github_repos()) == 100
    assert fake.seen[-1].status == 403
    later = refresh(settings, store, repos=repos, now=first.resume_after + 1)
    assert later.requests == 1 and later.updated == 20 and later.pending == []
