"""A loopback fake of the GitHub API: REST repositories and releases, and GraphQL.

Answers are built from the fixtures in ``tests/metadata/github/fixtures`` (GitHub's
documented response shapes), with the behaviours the client must cope with:
ETags and 304s, 301 for renamed repositories, 404s, primary rate limits
(``x-ratelimit-*`` headers, 403 when spent), one-shot secondary limits (403
with ``Retry-After``), GraphQL ``NOT_FOUND`` and ``RATE_LIMITED`` errors and
GitHub's 100-node limit per query. Recorded failure shapes too: blocked
repositories (403 "Repository access blocked" / GraphQL ``FORBIDDEN``, with or
without ``data: null`` for the whole query), the newer GraphQL rate-limit shape
(``RATE_LIMIT`` / ``graphql_rate_limit``), and GraphQL queries that time out
(502/504 or a 200 with ``data: null``) above a number of aliases or whenever they
hold a given repository; a proxy answering GraphQL with an HTML page. Every request is
logged so tests can count.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web

from .servers import serve_app

FIXTURES = Path(__file__).resolve().parent.parent / "metadata" / "github" / "fixtures"
ALIAS_RE = re.compile(r"(\w+)\s*:\s*repository\(\s*owner:\s*\$(\w+)\s*,\s*name:\s*\$(\w+)\s*\)")


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


@dataclass
class Seen:
    method: str
    path: str
    status: int
    authorization: str | None
    if_none_match: str | None
    body: str


class FakeGitHub:
    def __init__(self, *, token: str | None = None, rest_limit: int = 5000,
                 graphql_limit: int = 5000, reset_in: int = 3600) -> None:
        self.token = token  # when set, GraphQL demands exactly this bearer token
        self.repos: dict[str, dict[str, Any]] = {}  # lower-case full name -> REST body
        self.releases: dict[str, dict[str, Any]] = {}
        self.renamed: dict[str, str] = {}  # lower-case old name -> current full name
        self.remaining = {"core": rest_limit, "graphql": graphql_limit}
        self.limits = dict(self.remaining)
        self.reset_at = int(time.time()) + reset_in
        self.secondary_after: int | None = None  # serve this many more, then one 403 Retry-After
        self.retry_after = 30
        self.seen: list[Seen] = []
        self._next_id = 1000
        self.blocked: set[str] = set()  # lower-case full names GitHub blocks (tos)
        self.broken: set[str] = set()  # lower-case full names whose REST answer is always a 502
        self.forbidden_nulls_query = False  # GraphQL FORBIDDEN comes with data: null for the whole query
        self.graphql_limit_shape = "graphql_rate_limited.json"  # or "graphql_rate_limit_code.json"
        self.timeout_from: int | None = None  # queries with at least this many aliases time out
        self.timeout_only_with: str | None = None  # ... but only those holding this repository
        self.timeout_repos: set[str] = set()  # queries holding one of these always time out
        self.timeout_style = "data-null"  # or "502" / "504"
        self.graphql_proxy_page = False  # a proxy in the way answers GraphQL with its own HTML page

    # ------------------------------------------------------------ fixtures
    def add_repo(self, full_name: str, *, release: str | None = "v1.0.0", **fields: Any) -> dict[str, Any]:
        owner, name = full_name.split("/")
        body = fixture("repo.json")
        self._next_id += 1
        body.update({
            "id": self._next_id, "name": name, "full_name": full_name,
            "html_url": f"https://github.com/{full_name}",
            "url": f"https://api.github.com/repos/{full_name}",
        })
        body["owner"]["login"] = owner
        body.update(fields)
        self.repos[full_name.lower()] = body
        if release:
            rel = fixture("release.json")
            rel.update({"tag_name": release, "name": release})
            self.releases[full_name.lower()] = rel
        return body

    def rename(self, old: str, new: str) -> None:
        body = self.repos.pop(old.lower())
        owner, name = new.split("/")
        body.update({"full_name": new, "name": name, "html_url": f"https://github.com/{new}"})
        body["owner"]["login"] = owner
        self.repos[new.lower()] = body
        if old.lower() in self.releases:
            self.releases[new.lower()] = self.releases.pop(old.lower())
        self.renamed[old.lower()] = new

    def delete(self, full_name: str) -> None:
        self.repos.pop(full_name.lower(), None)
        self.releases.pop(full_name.lower(), None)

    def refill(self) -> None:
        """The rate-limit window rolled over."""
        self.remaining = dict(self.limits)
        self.reset_at = int(time.time()) + 3600

    # -------------------------------------------------------------- counts
    def count(self, *, path_prefix: str = "", status: int | None = None) -> int:
        return sum(1 for s in self.seen
                   if s.path.startswith(path_prefix) and (status is None or s.status == status))

    # ------------------------------------------------------------- helpers
    def _resolve(self, full_name: str) -> str | None:
        key = full_name.lower()
        if key in self.renamed:
            key = self.renamed[key].lower()
        return key if key in self.repos else None

    def _headers(self, resource: str) -> dict[str, str]:
        return {
            "x-ratelimit-limit": str(self.limits[resource]),
            "x-ratelimit-remaining": str(max(self.remaining[resource], 0)),
            "x-ratelimit-reset": str(self.reset_at),
            "x-ratelimit-used": str(self.limits[resource] - max(self.remaining[resource], 0)),
            "x-ratelimit-resource": resource,
        }

    def _limited(self, request: web.Request, resource: str) -> web.Response | None:
        """Secondary then primary limits; otherwise spend one point."""
        if self.secondary_after is not None:
            if self.secondary_after == 0:
                self.secondary_after = None
                return web.json_response(fixture("secondary_limit.json"), status=403, headers={
                    "retry-after": str(self.retry_after), **self._headers(resource)})
            self.secondary_after -= 1
        if self.remaining[resource] <= 0:
            if resource == "graphql":
                return web.json_response(fixture(self.graphql_limit_shape), status=200,
                                         headers=self._headers(resource))
            return web.json_response(fixture("primary_limit.json"), status=403,
                                     headers=self._headers(resource))
        return None

    def _conditional(self, request: web.Request, body: dict[str, Any]) -> web.Response:
        text = json.dumps(body, sort_keys=True)
        etag = 'W/"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'
        sent = request.headers.get("If-None-Match", "")
        authorized = "Authorization" in request.headers
        if etag in [t.strip() for t in sent.split(",")]:
            # GitHub: a 304 to an authorized request does not count against the limit
            if not authorized:
                self.remaining["core"] -= 1
            return web.Response(status=304, headers={"ETag": etag, **self._headers("core")})
        self.remaining["core"] -= 1
        return web.Response(text=text, content_type="application/json",
                            headers={"ETag": etag, **self._headers("core")})

    def _not_found(self) -> web.Response:
        self.remaining["core"] -= 1
        return web.json_response(fixture("not_found.json"), status=404, headers=self._headers("core"))

    # --------------------------------------------------------------- routes
    async def _repo(self, request: web.Request) -> web.Response:
        limited = self._limited(request, "core")
        if limited:
            return limited
        full = f"{request.match_info['owner']}/{request.match_info['name']}"
        if full.lower() in self.broken:
            return web.Response(status=502, text="<html>Bad gateway</html>", content_type="text/html")
        if full.lower() in self.blocked:
            self.remaining["core"] -= 1
            return web.json_response(fixture("blocked.json"), status=403, headers=self._headers("core"))
        if full.lower() in self.renamed and self._resolve(full):
            body = self.repos[self._resolve(full) or ""]
            self.remaining["core"] -= 1
            moved_to = f"{request.scheme}://{request.host}/repositories/{body['id']}"
            return web.json_response(
                {"message": "Moved Permanently", "url": moved_to,
                 "documentation_url": "https://docs.github.com/rest/guides/best-practices-for-integrators"},
                status=301, headers={"Location": moved_to, **self._headers("core")})
        key = self._resolve(full)
        return self._conditional(request, self.repos[key]) if key else self._not_found()

    async def _repo_by_id(self, request: web.Request) -> web.Response:
        limited = self._limited(request, "core")
        if limited:
            return limited
        ident = int(request.match_info["id"])
        for body in self.repos.values():
            if body["id"] == ident:
                return self._conditional(request, body)
        return self._not_found()

    async def _release(self, request: web.Request) -> web.Response:
        limited = self._limited(request, "core")
        if limited:
            return limited
        key = self._resolve(f"{request.match_info['owner']}/{request.match_info['name']}")
        if key is None or key not in self.releases:
            return self._not_found()
        return self._conditional(request, self.releases[key])

    async def _graphql(self, request: web.Request) -> web.Response:
        if self.graphql_proxy_page:
            page = ("<!doctype html><html><head><title>Web access</title></head><body>"
                    "<h1>Sign in to continue browsing</h1></body></html>")
            return web.Response(text=page, content_type="text/html")
        auth = request.headers.get("Authorization", "")
        if not auth or (self.token is not None and auth.split(" ", 1)[-1] != self.token):
            return web.json_response(fixture("bad_credentials.json"), status=401)
        limited = self._limited(request, "graphql")
        if limited:
            return limited
        payload = await request.json()
        query, variables = payload["query"], payload.get("variables") or {}
        aliases = ALIAS_RE.findall(query)
        if len(aliases) > 100:
            return web.json_response({"errors": [{"type": "MAX_NODE_LIMIT_EXCEEDED",
                                                  "message": "This query requests too many nodes."}]})
        self.remaining["graphql"] -= 1
        names = [f"{variables[o]}/{variables[n]}".lower() for _, o, n in aliases]
        too_big = self.timeout_from is not None and len(aliases) >= self.timeout_from and (
            self.timeout_only_with is None or self.timeout_only_with.lower() in names)
        if too_big or self.timeout_repos & set(names):
            if self.timeout_style == "data-null":
                return web.json_response(fixture("graphql_timeout.json"), headers=self._headers("graphql"))
            return web.Response(status=int(self.timeout_style), text="<html>Bad gateway</html>",
                                content_type="text/html")
        data: dict[str, Any] = {}
        errors: list[dict[str, Any]] = []
        for alias, owner_var, name_var in aliases:
            full = f"{variables[owner_var]}/{variables[name_var]}"
            key = self._resolve(full)
            if full.lower() in self.blocked:
                data[alias] = None
                err = fixture("graphql_forbidden_error.json")
                err["path"] = [alias]
                errors.append(err)
            elif key is None:
                data[alias] = None
                err = fixture("graphql_not_found_error.json")
                err["path"] = [alias]
                err["message"] = err["message"].replace("OWNER/NAME", full)
                errors.append(err)
            else:
                data[alias] = self._node(key)
        if "rateLimit" in query:
            data["rateLimit"] = {
                "cost": 1, "remaining": max(self.remaining["graphql"], 0),
                "resetAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.reset_at)),
            }
        forbidden = any(e["type"] == "FORBIDDEN" for e in errors)
        out: dict[str, Any] = {"data": None if forbidden and self.forbidden_nulls_query else data}
        if errors:
            out["errors"] = errors
        return web.json_response(out, headers=self._headers("graphql"))

    def _node(self, key: str) -> dict[str, Any]:
        """A GraphQL Repository node with the same facts as the REST body."""
        body = self.repos[key]
        release = self.releases.get(key)
        lic = body.get("license")
        return {
            "nameWithOwner": body["full_name"],
            "url": body["html_url"],
            "stargazerCount": body["stargazers_count"],
            "forkCount": body["forks_count"],
            # the fixtures keep all open items as issues: REST's count includes PRs
            "issues": {"totalCount": body["open_issues_count"]},
            "pullRequests": {"totalCount": 0},
            "pushedAt": body["pushed_at"],
            "isArchived": body["archived"],
            "description": body["description"],
            "homepageUrl": body["homepage"],
            "primaryLanguage": {"name": body["language"]} if body.get("language") else None,
            "licenseInfo": {"spdxId": lic["spdx_id"]} if lic else None,
            "latestRelease": copy.deepcopy(
                {"tagName": release["tag_name"], "publishedAt": release["published_at"]}
            ) if release else None,
        }

    # ------------------------------------------------------------------ app
    def app(self) -> web.Application:
        @web.middleware
        async def record(request: web.Request, handler: Any) -> web.StreamResponse:
            body = await request.text() if request.can_read_body else ""
            response = await handler(request)
            self.seen.append(Seen(request.method, request.path, response.status,
                                  request.headers.get("Authorization"),
                                  request.headers.get("If-None-Match"), body))
            return response

        app = web.Application(middlewares=[record])
        app.router.add_get("/repos/{owner}/{name}", self._repo)
        app.router.add_get("/repos/{owner}/{name}/releases/latest", self._release)
        app.router.add_get("/repositories/{id}", self._repo_by_id)
        app.router.add_post("/graphql", self._graphql)
        return app


@contextmanager
def serve_fake_github(fake: FakeGitHub, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve ``fake`` on loopback and yield its API base URL (``GITHUB_API_URL``)."""
    with serve_app(fake.app(), host) as url:
        yield url
