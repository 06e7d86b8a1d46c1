"""GitHub metadata for catalog projects, pulled into the store within API limits.

Two ways to ask, chosen by whether ``GITHUB_TOKEN`` is set:

* with a token, GraphQL: up to 100 repositories per query (one alias each), so
  500 projects cost 5 requests;
* without one, REST ``/repos/{owner}/{name}`` (+ ``/releases/latest``) with
  ``If-None-Match`` and the stored ETags, so an unchanged repository costs one 304.

Rate limits (``x-ratelimit-remaining``/``x-ratelimit-reset``, secondary limits
as 403/429 with ``Retry-After``) stop the run cleanly: everything gathered so
far is already in the store, the repositories still due are remembered and go
first next time, and no request is made before the limit resets.

The token only ever travels in the ``Authorization`` header; every message that
leaves this module goes through ``_scrub`` as a second line of defence.
"""

from __future__ import annotations

import contextlib
import email.utils
import logging
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from linkcheck.redact import redact
from linkcheck.settings import Settings
from linkcheck.store import Store

log = logging.getLogger(__name__)

API_VERSION = "2022-11-28"
BATCH_SIZE = 100  # GitHub's limit on first-level nodes per GraphQL query
MAX_REDIRECTS = 3
MAX_CONSECUTIVE_ERRORS = 3  # then the API is considered down for this run
DEFAULT_SECONDARY_WAIT = 60.0  # GitHub: wait at least a minute when no Retry-After is given


class GithubError(Exception):
    """The API refused us for good (bad token, unexpected answer); the message is token-free."""


class RateLimited(Exception):
    def __init__(self, resume_after: float, why: str) -> None:
        super().__init__(why)
        self.resume_after = resume_after
        self.why = why


class _RepoError(Exception):
    """One repository could not be fetched this time (5xx, odd answer); it stays due."""


@dataclass
class GithubSummary:
    mode: str  # 'graphql' (token) | 'rest' (no token)
    requested: int = 0  # repositories in scope
    requests: int = 0  # HTTP requests sent
    updated: int = 0  # repositories whose figures were written (200)
    changed: int = 0  # of those, how many differ from what the store had (a rebuild is worth it)
    not_modified: int = 0  # repositories confirmed unchanged (304)
    renamed: dict[str, str] = field(default_factory=dict)  # catalog name -> current name
    missing: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # still due, first in line next run
    errors: list[str] = field(default_factory=list)
    rate_limited: bool = False
    rate_limit_reason: str = ""
    resume_after: float | None = None
    run_id: int | None = None

    @property
    def problems(self) -> bool:
        """Something in the catalog needs a maintainer (exit code 1)."""
        return bool(self.renamed or self.missing)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


# --------------------------------------------------------------------- helpers
def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value != "" else None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _scrub(text: str, settings: Settings) -> str:
    return redact(text, settings.secret_parts())


def graphql_url(api_url: str) -> str:
    """GraphQL endpoint for an API base: github.com and GitHub Enterprise (``/api/v3``)."""
    base = api_url.rstrip("/")
    if base.endswith("/api/v3"):
        return base[: -len("/v3")] + "/graphql"
    return base + "/graphql"


def catalog_repos(content_dir: Path) -> list[str]:
    """``owner/name`` of every catalog project with a GitHub repository, in catalog order."""
    from linkcheck.catalog import load_catalog  # imported late: the catalog module is optional for callers

    catalog = load_catalog(content_dir)
    return [e.github_repo for e in catalog.section("projects") if e.github_repo]


def normalise_rest(body: dict[str, Any]) -> dict[str, Any]:
    """Figures from a REST ``GET /repos/{owner}/{repo}`` body (untrusted: types checked)."""
    return {
        "name_with_owner": _str(body.get("full_name")),
        "url": _str(body.get("html_url")),
        "stars": _int(body.get("stargazers_count")),
        "forks": _int(body.get("forks_count")),
        "open_issues": _int(body.get("open_issues_count")),  # issues + pull requests
        "pushed_at": _str(body.get("pushed_at")),
        "archived": body.get("archived") is True,
        "description": _str(body.get("description")),
        "homepage": _str(body.get("homepage")),
        "language": _str(body.get("language")),
        "license": _str(_dict(body.get("license")).get("spdx_id")),
    }


def normalise_graphql(node: dict[str, Any]) -> dict[str, Any]:
    """Figures from a GraphQL ``Repository`` node, same keys as ``normalise_rest``."""
    issues = _int(_dict(node.get("issues")).get("totalCount"))
    pulls = _int(_dict(node.get("pullRequests")).get("totalCount"))
    release = _dict(node.get("latestRelease"))
    return {
        "name_with_owner": _str(node.get("nameWithOwner")),
        "url": _str(node.get("url")),
        "stars": _int(node.get("stargazerCount")),
        "forks": _int(node.get("forkCount")),
        # issues + pull requests, the same meaning as REST's open_issues_count
        "open_issues": None if issues is None else issues + (pulls or 0),
        "pushed_at": _str(node.get("pushedAt")),
        "archived": node.get("isArchived") is True,
        "description": _str(node.get("description")),
        "homepage": _str(node.get("homepageUrl")),
        "language": _str(_dict(node.get("primaryLanguage")).get("name")),
        "license": _str(_dict(node.get("licenseInfo")).get("spdxId")),
        "release_tag": _str(release.get("tagName")),
        "release_published_at": _str(release.get("publishedAt")),
    }


REPO_FRAGMENT = """
fragment RepoFigures on Repository {
  nameWithOwner
  url
  stargazerCount
  forkCount
  issues(states: OPEN) { totalCount }
  pullRequests(states: OPEN) { totalCount }
  pushedAt
  isArchived
  description
  homepageUrl
  primaryLanguage { name }
  licenseInfo { spdxId }
  latestRelease { tagName publishedAt }
}
"""


def build_graphql_query(repos: list[str]) -> tuple[str, dict[str, str]]:
    """One query for up to 100 repositories; names go in variables, never into the query text."""
    params: list[str] = []
    fields: list[str] = []
    variables: dict[str, str] = {}
    for i, repo in enumerate(repos):
        owner, _, name = repo.partition("/")
        variables[f"o{i}"], variables[f"n{i}"] = owner, name
        params.append(f"$o{i}: String!, $n{i}: String!")
        fields.append(f"  r{i}: repository(owner: $o{i}, name: $n{i}) {{ ...RepoFigures }}")
    query = (
        f"query({', '.join(params)}) {{\n"
        + "\n".join(fields)
        + "\n  rateLimit { cost remaining resetAt }\n}\n"
        + REPO_FRAGMENT
    )
    return query, variables


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, email.utils.parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _iso_to_epoch(value: Any) -> float | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


# ---------------------------------------------------------------------- client
class _Client:
    """A requests session that counts requests and obeys GitHub's rate-limit headers."""

    def __init__(self, settings: Settings, summary: GithubSummary) -> None:
        self.settings = settings
        self.summary = summary
        self.origin = urlsplit(settings.github_api_url)[:2]
        self.session = requests.Session()
        self.session.headers.update({
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": settings.agent,
        })
        if settings.github_token:
            self.session.headers["Authorization"] = f"bearer {settings.github_token}"
        self.remaining: int | None = None
        self.reset_at: float | None = None

    def close(self) -> None:
        self.session.close()

    def request(self, method: str, url: str, *, etag: str | None = None, **kw: Any) -> requests.Response:
        if self.remaining == 0:  # the last answer said the quota is spent: don't even ask
            raise RateLimited(self.reset_at or time.time() + DEFAULT_SECONDARY_WAIT, "rate limit exhausted")
        if urlsplit(url)[:2] != self.origin:  # never send the token to another host
            raise _RepoError(f"refusing to follow a redirect off the API host to {urlsplit(url).netloc}")
        headers = {"If-None-Match": etag} if etag else {}
        self.summary.requests += 1
        resp = self.session.request(
            method, url, headers=headers, allow_redirects=False,
            timeout=(self.settings.connect_timeout, self.settings.timeout), **kw,
        )
        log.debug("%s %s -> %s", method, url, resp.status_code)
        self._note_limits(resp)
        return resp

    def _note_limits(self, resp: requests.Response) -> None:
        remaining = resp.headers.get("x-ratelimit-remaining")
        reset = resp.headers.get("x-ratelimit-reset")
        if remaining is not None and remaining.strip().isdigit():
            self.remaining = int(remaining)
        if reset is not None:
            with contextlib.suppress(ValueError):
                self.reset_at = float(reset)
        if resp.status_code not in (403, 429):
            return
        wait = _retry_after(resp.headers.get("retry-after"))
        if wait is not None:
            raise RateLimited(time.time() + wait, f"secondary rate limit (HTTP {resp.status_code})")
        if self.remaining == 0:
            raise RateLimited(self.reset_at or time.time() + DEFAULT_SECONDARY_WAIT, "rate limit exhausted")
        if resp.status_code == 429 or "rate limit" in resp.text[:2000].lower():
            raise RateLimited(time.time() + DEFAULT_SECONDARY_WAIT,
                              f"secondary rate limit (HTTP {resp.status_code})")


# ------------------------------------------------------------------------ REST
def _rest_repo(client: _Client, store: Store, repo: str, stored: dict[str, Any] | None,
               summary: GithubSummary) -> None:
    api = client.settings.github_api_url
    usable = stored if stored and stored["state"] != "missing" else None
    etag = usable["etag"] if usable else None
    resp = client.request("GET", f"{api}/repos/{repo}", etag=etag)
    hops = 0
    while resp.status_code in (301, 302, 307, 308):  # renamed or transferred
        hops += 1
        location = resp.headers.get("location")
        if not location or hops > MAX_REDIRECTS:
            raise _RepoError(f"{repo}: redirect without usable Location (HTTP {resp.status_code})")
        resp = client.request("GET", location, etag=etag)
    if resp.status_code == 304:
        store.touch_github_repo(repo)
        summary.not_modified += 1
        return
    if resp.status_code in (404, 410, 451):  # deleted, private, or blocked
        _save_missing(store, repo, stored, summary)
        return
    if resp.status_code != 200:
        raise _RepoError(f"{repo}: HTTP {resp.status_code} from the REST API")
    try:
        body = resp.json()
    except ValueError as exc:
        raise _RepoError(f"{repo}: the REST API answered with invalid JSON") from exc
    data = normalise_rest(_dict(body))
    current = data["name_with_owner"] or repo
    previous = usable["data"] if usable else {}
    data.update(_rest_release(client, current, previous))
    _save_found(store, repo, data, etag=resp.headers.get("etag"), previous=stored, summary=summary)


def _rest_release(client: _Client, repo: str, previous: dict[str, Any]) -> dict[str, Any]:
    """Latest release of ``repo`` (conditional too: its own ETag lives in the figures)."""
    url = f"{client.settings.github_api_url}/repos/{repo}/releases/latest"
    resp = client.request("GET", url, etag=_str(previous.get("release_etag")))
    if resp.status_code == 304:
        return {k: previous.get(k) for k in ("release_tag", "release_published_at", "release_etag")}
    if resp.status_code == 404:  # no release published: a fact, not an error
        return {"release_tag": None, "release_published_at": None, "release_etag": resp.headers.get("etag")}
    if resp.status_code != 200:
        raise _RepoError(f"{repo}: HTTP {resp.status_code} for the latest release")
    try:
        body = _dict(resp.json())
    except ValueError as exc:
        raise _RepoError(f"{repo}: the REST API answered with invalid JSON") from exc
    return {
        "release_tag": _str(body.get("tag_name")),
        "release_published_at": _str(body.get("published_at")),
        "release_etag": resp.headers.get("etag"),
    }


def _refresh_rest(client: _Client, store: Store, due: list[str], done: set[str],
                  summary: GithubSummary) -> None:
    stored = store.github_repos()
    consecutive = 0
    for repo in due:
        try:
            _rest_repo(client, store, repo, stored.get(repo), summary)
        except _RepoError as exc:
            summary.errors.append(_scrub(str(exc), client.settings))
            consecutive += 1
            if consecutive >= MAX_CONSECUTIVE_ERRORS:
                summary.errors.append("stopped after repeated errors; the rest stays due")
                return
            continue
        consecutive = 0
        done.add(repo)


# --------------------------------------------------------------------- GraphQL
def _refresh_graphql(client: _Client, store: Store, due: list[str], done: set[str],
                     summary: GithubSummary) -> None:
    url = graphql_url(client.settings.github_api_url)
    stored = store.github_repos()
    for start in range(0, len(due), BATCH_SIZE):
        batch = due[start:start + BATCH_SIZE]
        query, variables = build_graphql_query(batch)
        resp = client.request("POST", url, json={"query": query, "variables": variables})
        if resp.status_code == 401:
            raise GithubError("GitHub rejected GITHUB_TOKEN (HTTP 401): check the token and its scopes")
        if resp.status_code != 200:
            raise GithubError(f"the GraphQL API answered HTTP {resp.status_code}")
        try:
            payload = _dict(resp.json())
        except ValueError as exc:
            raise GithubError("the GraphQL API answered with invalid JSON") from exc
        errors = [e for e in payload.get("errors") or [] if isinstance(e, dict)]
        data = payload.get("data")
        if any(e.get("type") == "RATE_LIMITED" for e in errors):
            reset = client.reset_at or time.time() + DEFAULT_SECONDARY_WAIT
            raise RateLimited(reset, "GraphQL rate limit exhausted")
        if not isinstance(data, dict):
            first = _str(errors[0].get("message")) if errors else None
            raise GithubError(f"the GraphQL API returned no data: {first or 'no message'}")
        by_alias = {}
        for err in errors:
            path = err.get("path")
            if isinstance(path, list) and path and isinstance(path[0], str):
                by_alias[path[0]] = err
        for i, repo in enumerate(batch):
            node = data.get(f"r{i}")
            if isinstance(node, dict):
                figures = normalise_graphql(node)
                _save_found(store, repo, figures, etag=None, previous=stored.get(repo), summary=summary)
                done.add(repo)
            elif by_alias.get(f"r{i}", {}).get("type") == "NOT_FOUND":
                _save_missing(store, repo, stored.get(repo), summary)
                done.add(repo)
            else:
                message = _str(by_alias.get(f"r{i}", {}).get("message")) or "no data returned"
                summary.errors.append(_scrub(f"{repo}: {message}", client.settings))
        limit = _dict(data.get("rateLimit"))
        if _int(limit.get("remaining")) == 0 and start + BATCH_SIZE < len(due):
            reset = _iso_to_epoch(limit.get("resetAt")) or client.reset_at
            raise RateLimited(reset or time.time() + DEFAULT_SECONDARY_WAIT, "GraphQL rate limit exhausted")


# ----------------------------------------------------------------------- store
def _figures_only(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "release_etag"}


def _save_found(store: Store, repo: str, data: dict[str, Any], *, etag: str | None,
                previous: dict[str, Any] | None, summary: GithubSummary) -> None:
    current = data.get("name_with_owner") or repo
    # GitHub names are case-insensitive: only a different name is a rename
    renamed = current.lower() != repo.lower()
    summary.updated += 1
    if (previous is None or previous["state"] != ("renamed" if renamed else "ok")
            or _figures_only(previous["data"]) != _figures_only(data)):
        summary.changed += 1
    store.save_github_repo(
        repo, state="renamed" if renamed else "ok", data=data, etag=etag,
        renamed_to=current if renamed else None,
    )


def _save_missing(store: Store, repo: str, stored: dict[str, Any] | None, summary: GithubSummary) -> None:
    if stored is None or stored["state"] != "missing":
        summary.changed += 1
    # keep the last known figures for the record; the state tells readers it is gone
    store.save_github_repo(repo, state="missing", data=(stored or {}).get("data") or {}, etag=None)


def _left_over(store: Store) -> set[str]:
    """Repositories a stopped run did not get to."""
    return store.github_pending()


def _due_order(store: Store, repos: list[str]) -> list[str]:
    """What this run asks for, in order.

    A pass over the catalog may span several runs: while a stopped run left
    repositories over, the next run finishes that pass (the left-overs plus any
    project never fetched) instead of starting again, so a catalog larger than
    one rate-limit window still gets through. Otherwise a new pass covers every
    repository, least recently fetched first.
    """
    left_over = _left_over(store)
    stored = store.github_repos()
    if left_over & set(repos):
        repos = [r for r in repos if r in left_over or r not in stored]

    def key(item: tuple[int, str]) -> tuple[float, int]:
        index, repo = item
        row = stored.get(repo)
        return (row["fetched_at"] if row else 0.0, index)

    return [repo for _, repo in sorted(enumerate(repos), key=key)]


def _unique(repos: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for repo in repos:
        repo = repo.strip().strip("/")
        if repo.count("/") == 1 and all(repo.split("/")):
            seen.setdefault(repo, None)
    return list(seen)


# ------------------------------------------------------------------------- API
def refresh(
    settings: Settings,
    store: Store,
    *,
    repos: list[str] | None = None,
    now: float | None = None,
) -> GithubSummary:
    """Pull GitHub figures for ``repos`` (default: the catalog's projects) into ``store``.

    Never raises for API trouble: rate limits, unreachable API and refusals end
    up in the summary (``rate_limited``, ``errors``) with all progress kept.
    ``now`` only stands in for the clock when deciding whether a rate-limit
    pause is over (tests).
    """
    wanted = _unique(catalog_repos(settings.content_dir) if repos is None else repos)
    mode = "graphql" if settings.github_token else "rest"
    summary = GithubSummary(mode=mode, requested=len(wanted))
    due = _due_order(store, wanted)
    done: set[str] = set()
    summary.run_id = store.start_run("github")
    status = "done"
    paused_until = store.github_paused_until(mode)
    if (now if now is not None else time.time()) < paused_until:
        summary.rate_limited = True
        summary.rate_limit_reason = "still waiting for the rate limit to reset"
        summary.resume_after = paused_until
        # nothing asked: what was done before the pause stays done
        stored = store.github_repos()
        left_over = _left_over(store)
        done = {r for r in due if r in stored and r not in left_over}
    elif due:
        client = _Client(settings, summary)
        try:
            if mode == "graphql":
                _refresh_graphql(client, store, due, done, summary)
            else:
                _refresh_rest(client, store, due, done, summary)
        except RateLimited as stop:
            summary.rate_limited = True
            summary.rate_limit_reason = stop.why
            summary.resume_after = stop.resume_after
            store.set_github_paused_until(mode, stop.resume_after)
        except GithubError as exc:
            summary.errors.append(_scrub(str(exc), settings))
        except requests.RequestException as exc:
            # the exception text can carry URLs but never headers; scrub anyway
            summary.errors.append(_scrub(
                f"cannot reach the GitHub API at {settings.github_api_url}: {type(exc).__name__}", settings
            ))
        else:
            if summary.requests:  # GitHub answered again: any earlier pause is over
                store.set_github_paused_until(mode, 0.0)
        finally:
            client.close()
    summary.pending = [r for r in due if r not in done]
    if not summary.rate_limited or summary.requests:  # a skipped run leaves the queue as it was
        store.set_github_pending(summary.pending)
    _collect_problems(store, wanted, summary)
    if summary.errors:
        status = "failed"
    elif summary.rate_limited:
        status = "partial"
    store.finish_run(summary.run_id, status=status, stats=summary.to_json())
    return summary


def _collect_problems(store: Store, repos: list[str], summary: GithubSummary) -> None:
    """What the catalog maintainer must act on, as the store knows it now (this run or earlier)."""
    stored = store.github_repos()
    for repo in repos:
        row = stored.get(repo)
        if not row:
            continue
        if row["state"] == "renamed" and row["renamed_to"]:
            summary.renamed[repo] = row["renamed_to"]
        elif row["state"] == "missing":
            summary.missing.append(repo)
