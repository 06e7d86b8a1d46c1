"""Issue 24: GitHub answers (REST and GraphQL) are read up to LINKCHECK_API_MAX_BYTES,
decompressed; a bombed repository fails alone, named with the API and the cap."""

from __future__ import annotations

from aiohttp import web

from linkcheck.metadata.github import refresh
from tests.support.bombs import with_bombs
from tests.support.servers import serve_app

from .conftest import TOKEN

CAP = 1 << 20
TOO_LARGE = (f"the GitHub API answered more than {CAP} bytes (LINKCHECK_API_MAX_BYTES); "
             "the answer was not read")


async def _bombed(request: web.Request) -> bool:
    if request.path == "/graphql":
        return '"bomb"' in await request.text()  # a query that holds the bombed repository
    return request.path.startswith("/repos/org/bomb")


def _serve(fake):
    for name in ("org/bomb", "org/fine", "org/also-fine"):
        fake.add_repo(name)
    return serve_app(with_bombs(fake.app(), _bombed))


def test_rest_bomb_fails_one_repository(fake, make_settings, store):
    with _serve(fake) as api:
        summary = refresh(make_settings(github_api_url=api, api_max_bytes=CAP), store,
                          repos=["org/bomb", "org/fine", "org/also-fine"])
    assert summary.mode == "rest"
    assert summary.failed == ["org/bomb"] and summary.errors == [f"org/bomb: {TOO_LARGE}"]
    assert summary.updated == 2 and store.github_repo("org/fine")["state"] == "ok"


def test_graphql_bomb_is_narrowed_to_its_repository(fake, make_settings, store):
    with _serve(fake) as api:
        summary = refresh(make_settings(token=TOKEN, github_api_url=api, api_max_bytes=CAP), store,
                          repos=["org/bomb", "org/fine", "org/also-fine"])
    assert summary.mode == "graphql"
    assert summary.failed == ["org/bomb"] and summary.errors == [f"org/bomb: {TOO_LARGE}"]
    assert [store.github_repo(r)["state"] for r in ("org/fine", "org/also-fine")] == ["ok", "ok"]
