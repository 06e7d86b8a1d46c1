"""GitHub metadata for catalog projects, pulled into the store within API limits.

Two ways to ask, chosen by whether ``GITHUB_TOKEN`` is set:

* with a token, GraphQL: up to 100 repositories per query (one alias each), so
  500 projects cost 5 requests;
* without one, REST ``/repos/{owner}/{name}`` with ``If-None-Match`` and the
  stored ETags, so an unchanged repository costs one 304; the latest release is
  asked for (conditionally too) when the repository changed or on its own
  cadence (``LINKCHECK_GITHUB_RELEASE_INTERVAL_HOURS``), so a new release is
  seen even while the repository answers 304.

Failure discipline: one repository never holds up the others. A repository
GitHub blocks (403/451 "Repository access blocked", GraphQL ``FORBIDDEN``) is a
state of its own (``blocked``); one that fails for another reason is recorded as
failed and retried with the regular order next run, never instead of it. A
GraphQL query that times out (502/504, or ``data: null`` with a timeout message)
is retried once after a backoff, then split in halves; later batches go on. An
answer that is no JSON at all (a proxy's or captive portal's HTML page) is an API
failure at once: one request, a clear error, nothing bisected.

Rate limits (every documented shape: 403/429 with ``x-ratelimit-remaining: 0``,
``Retry-After``, the secondary-limit message, GraphQL ``RATE_LIMITED`` /
``RATE_LIMIT`` errors) stop the run cleanly: everything received so far is kept
(the last answer of a window included), the repositories not reached go first
next time, and the pause is stored so no request is made before it ends.

The token only ever travels in the ``Authorization`` header; every message that
leaves this module is scrubbed of secrets as a second line of defence.
"""

from __future__ import annotations

import logging
import re
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests

from linkcheck.metadata.events import github_changes, record_events
from linkcheck.metadata.http import (
    DEFAULT_WAIT,
    AnswerTooLarge,
    ApiClient,
    OffOrigin,
    RateLimited,
    failure_line,
    reset_from,
)
from linkcheck.metadata.summary import RefreshSummary
from linkcheck.redact import redact
from linkcheck.settings import Settings
from linkcheck.store import Store

log = logging.getLogger(__name__)

API_VERSION = "2022-11-28"
BATCH_SIZE = 100  # GitHub's limit on first-level nodes per GraphQL query
MAX_REDIRECTS = 3
MAX_CONSECUTIVE_ERRORS = 3  # REST: then the API is considered down for this run
# GraphQL: failed queries (after their retry) one run tolerates; halving one
# stubborn repository out of 100 takes 8, so this leaves room for one more.
MAX_FAILED_QUERIES = 16
DEFAULT_SECONDARY_WAIT = DEFAULT_WAIT
# Oldest and newest dates believed at refresh time (GitHub was founded in 2008).
EARLIEST_YEAR = 2000
FUTURE_SLACK = 2 * 86400.0
MAX_COUNT = 10**9


class GithubError(Exception):
    """The API refused us for good (bad token, unexpected answer); the message is token-free."""


class _RepoError(Exception):
    """One repository could not be fetched this time (5xx, odd answer); retried next run."""


@dataclass(kw_only=True)
class GithubSummary(RefreshSummary):
    mode: str  # 'graphql' (token) | 'rest' (no token)
    renamed: dict[str, str] = field(default_factory=dict)  # catalog name -> current name
    missing: list[str] = field(default_factory=list)
    blocked: dict[str, str] = field(default_factory=dict)  # repo -> GitHub's reason (unavailable)

    @property
    def problems(self) -> bool:
        """Something in the catalog needs a maintainer (exit code 1)."""
        return bool(self.renamed or self.missing or self.blocked)


# --------------------------------------------------------------------- helpers
def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value != "" else None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


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


def _iso_to_epoch(value: Any) -> float | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except (ValueError, OverflowError, OSError):
        return None


def _date_in_range(value: str, now: float) -> bool:
    """A timestamp GitHub could really have written: parses, has a zone, 2000 <= it <= now (+2 days)."""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        ts = parsed.astimezone(UTC).timestamp()  # overflows for year 9999 with a negative offset
    except (ValueError, OverflowError, OSError):
        return False
    return datetime(EARLIEST_YEAR, 1, 1, tzinfo=UTC).timestamp() <= ts <= now + FUTURE_SLACK


def check_ranges(repo: str, data: dict[str, Any], now: float,
                 previous: dict[str, Any] | None = None) -> list[str]:
    """Replace values no real repository has by the last good ones (``previous``, the stored
    figures; None when there are none); one message per value, naming ``repo``."""
    previous = previous or {}
    rejected = []
    for key in ("pushed_at", "release_published_at"):
        value = data.get(key)
        if value is not None and not _date_in_range(value, now):
            rejected.append(f"{repo}: {key} {value[:40]!r} is not a plausible date; {_kept(previous, key)}")
            data[key] = previous.get(key)
    for key in ("stars", "forks", "open_issues"):
        value = data.get(key)
        if value is not None and not 0 <= value < MAX_COUNT:
            rejected.append(f"{repo}: {key} {value!r} is out of range; {_kept(previous, key)}")
            data[key] = previous.get(key)
    return rejected


def _kept(previous: dict[str, Any], key: str) -> str:
    known = previous.get(key)
    return "not stored" if known is None else f"kept the last good value {str(known)[:40]!r}"


# ---------------------------------------------------------------------- client
def _client(settings: Settings, summary: GithubSummary) -> ApiClient:
    headers = {
        "Accept": "application/vnd.github+json",
        "X-GitHub-Api-Version": API_VERSION,
        "User-Agent": settings.agent,
    }
    if settings.github_token:
        headers["Authorization"] = f"bearer {settings.github_token}"

    def count() -> None:
        summary.requests += 1

    return ApiClient(settings.github_api_url, headers=headers, timeout=settings.timeout,
                     connect_timeout=settings.connect_timeout, max_bytes=settings.api_max_bytes,
                     api="the GitHub API", count=count)


def _json(resp: requests.Response) -> Any:
    try:
        return resp.json()
    except ValueError:
        return None


def _block_reason(resp: requests.Response) -> str | None:
    """GitHub's reason when ``resp`` says the repository is blocked (403 tos, 451 dmca), else None."""
    if resp.status_code not in (403, 451):
        return None
    body = _dict(_json(resp))
    block = _dict(body.get("block"))
    if block or "access blocked" in (_str(body.get("message")) or "").lower():
        reason = _str(block.get("reason")) or ("legal" if resp.status_code == 451 else "blocked")
        return reason[:40]
    return "legal" if resp.status_code == 451 else None


class _Run:
    """What one refresh knows while it runs: the store, the rows before, the summary."""

    def __init__(self, settings: Settings, store: Store, summary: GithubSummary, now: float) -> None:
        self.settings = settings
        self.store = store
        self.summary = summary
        self.now = now
        self.stored = store.github_repos()
        self.attempted: set[str] = set()
        self.failures: dict[str, str] = {}

    def secrets(self) -> list[str]:
        return self.settings.secret_parts()

    def error(self, repo: str, message: str) -> None:
        """``repo`` was asked for and gave no usable answer: recorded, retried next run."""
        self.attempted.add(repo)
        message = redact(message, self.secrets())
        self.failures[repo] = message
        self.summary.failed.append(repo)
        self.summary.errors.append(message)

    def in_range(self, repo: str, data: dict[str, Any]) -> bool:
        """Values no real repository has are replaced by the last good ones stored, and the
        answer counts as failed: recorded (``failures``) and asked again first next run.
        False when something was rejected."""
        previous = self.stored.get(repo)
        rejected = check_ranges(repo, data, self.now, (previous or {}).get("data"))
        if rejected:
            self.summary.rejected.extend(rejected)
            said = [self.failures[repo]] if repo in self.failures else []
            self.failures[repo] = redact("; ".join(said + rejected), self.secrets())
        return not rejected

    def found(self, repo: str, data: dict[str, Any], *, etag: str | None) -> bool:
        """Store figures for ``repo``; True when they differ from what was stored."""
        self.attempted.add(repo)
        if not self.in_range(repo, data):
            etag = None  # no "304 Not Modified" for an answer we did not take: ask in full next run
        current = data.get("name_with_owner") or repo
        # GitHub names are case-insensitive: only a different name is a rename
        renamed = current.lower() != repo.lower()
        state = "renamed" if renamed else "ok"
        previous = self.stored.get(repo)
        self.summary.updated += 1
        changed = (previous is None or previous["state"] != state
                   or _figures_only(previous["data"]) != _figures_only(data))
        self.store.save_github_repo(repo, state=state, data=data, etag=etag,
                                    renamed_to=current if renamed else None)
        self.stored[repo] = self.store.github_repo(repo) or {}
        # a repository fetched for the first time has no history: nothing "changed" (events.py)
        if previous is not None:
            record_events(self.store, f"github:{repo}",
                          github_changes(repo, previous, state, data, current if renamed else None), self.now)
        return changed

    def missing(self, repo: str) -> None:
        self.attempted.add(repo)
        previous = self.stored.get(repo)
        if previous is None or previous["state"] != "missing":
            self.summary.changed += 1
        # keep the last known figures for the record; the state tells readers it is gone
        self.store.save_github_repo(repo, state="missing", data=(previous or {}).get("data") or {}, etag=None)

    def blocked(self, repo: str, reason: str) -> None:
        self.attempted.add(repo)
        previous = self.stored.get(repo)
        data = dict((previous or {}).get("data") or {})
        if previous is None or previous["state"] != "blocked" or data.get("block_reason") != reason:
            self.summary.changed += 1
        data["block_reason"] = reason
        self.store.save_github_repo(repo, state="blocked", data=data, etag=None)


# ------------------------------------------------------------------------ REST
def _release_due(run: _Run, previous: dict[str, Any]) -> bool:
    checked = previous.get("release_checked_at")
    interval = run.settings.github_release_interval_hours * 3600
    return not isinstance(checked, (int, float)) or run.now - checked >= interval


def _rest_repo(client: ApiClient, run: _Run, repo: str) -> None:
    api = run.settings.github_api_url
    stored = run.stored.get(repo)
    usable = stored if stored and stored["state"] in ("ok", "renamed") else None
    etag = usable["etag"] if usable else None
    resp = client.request("GET", f"{api}/repos/{repo}", etag=etag)
    hops = 0
    while resp.status_code in (301, 302, 307, 308):  # renamed or transferred
        hops += 1
        location = resp.headers.get("location")
        if not location or hops > MAX_REDIRECTS:
            raise _RepoError(f"{repo}: redirect without usable Location (HTTP {resp.status_code})")
        try:
            resp = client.request("GET", location, etag=etag)
        except OffOrigin as exc:
            raise _RepoError(f"{repo}: {exc}") from exc
    previous = dict(usable["data"]) if usable else {}
    if resp.status_code == 304 and usable:
        run.attempted.add(repo)
        run.store.touch_github_repo(repo)
        run.summary.not_modified += 1
        if _release_due(run, previous):  # the release has its own cadence: 304 above says nothing of it
            current = usable["renamed_to"] or repo
            release = _rest_release(client, run, current, previous)
            if _release_part(release) != _release_part(previous):
                run.summary.changed += 1
            run.store.save_github_repo(repo, state=usable["state"], data={**previous, **release},
                                       etag=usable["etag"], renamed_to=usable["renamed_to"])
        return
    if resp.status_code in (404, 410):  # deleted or private
        run.missing(repo)
        return
    reason = _block_reason(resp)
    if reason is not None:
        run.blocked(repo, reason)
        return
    if resp.status_code != 200:
        raise _RepoError(f"{repo}: HTTP {resp.status_code} from the REST API")
    body = _json(resp)
    if not isinstance(body, dict):
        raise _RepoError(f"{repo}: the REST API answered with invalid JSON")
    data = normalise_rest(body)
    # keep what is known of the release until it is asked again: a stop in between loses nothing
    data.update({k: previous.get(k) for k in RELEASE_KEYS if k in previous})
    changed = run.found(repo, data, etag=resp.headers.get("etag"))
    try:
        release = _rest_release(client, run, data["name_with_owner"] or repo, previous)
    except BaseException:  # a limit reached right here: the figures above are kept and counted
        run.summary.changed += changed
        raise
    if _release_part(release) != _release_part(data):
        changed = True
    data.update(release)
    taken = run.in_range(repo, data)
    if not taken:
        data["release_etag"] = None  # ask for the release in full next run
    row = run.stored[repo]
    run.store.save_github_repo(repo, state=row["state"], data=data, etag=row["etag"] if taken else None,
                               renamed_to=row["renamed_to"])
    run.summary.changed += changed


RELEASE_KEYS = ("release_tag", "release_published_at", "release_etag", "release_checked_at")


def _release_part(data: dict[str, Any]) -> tuple[Any, Any]:
    return data.get("release_tag"), data.get("release_published_at")


def _rest_release(client: ApiClient, run: _Run, repo: str, previous: dict[str, Any]) -> dict[str, Any]:
    """Latest release of ``repo`` (conditional too: its own ETag lives in the figures)."""
    url = f"{run.settings.github_api_url}/repos/{repo}/releases/latest"
    resp = client.request("GET", url, etag=_str(previous.get("release_etag")))
    checked = {"release_checked_at": run.now}
    if resp.status_code == 304:
        return {**{k: previous.get(k) for k in ("release_tag", "release_published_at", "release_etag")},
                **checked}
    if resp.status_code == 404:  # no release published: a fact, not an error
        return {"release_tag": None, "release_published_at": None,
                "release_etag": resp.headers.get("etag"), **checked}
    body = _json(resp) if resp.status_code == 200 else None
    if not isinstance(body, dict):  # the figures are stored already; the release is asked again next run
        log.info("%s: latest release not usable (HTTP %s)", repo, resp.status_code)
        return {k: previous.get(k) for k in RELEASE_KEYS}
    return {
        "release_tag": _str(body.get("tag_name")),
        "release_published_at": _str(body.get("published_at")),
        "release_etag": resp.headers.get("etag"),
        **checked,
    }


def _refresh_rest(client: ApiClient, run: _Run, due: list[str]) -> None:
    consecutive = 0
    for repo in due:
        try:
            _rest_repo(client, run, repo)
        except (_RepoError, AnswerTooLarge, requests.ReadTimeout) as exc:  # unreachable API: stops the run
            run.error(repo, failure_line(repo, exc))
            consecutive += 1
            if consecutive >= MAX_CONSECUTIVE_ERRORS:
                run.summary.errors.append("stopped after repeated errors; the rest stays due")
                return
            continue
        consecutive = 0


# --------------------------------------------------------------------- GraphQL
_ALIAS = re.compile(r"r\d+")
_TIMEOUT = object()  # the query timed out (or GitHub answered 5xx): worth a retry, then halves


def _is_rate_limit(err: dict[str, Any]) -> bool:
    kind = str(err.get("type") or "").upper()
    code = str(err.get("code") or "").lower()
    return kind in ("RATE_LIMITED", "RATE_LIMIT") or "rate_limit" in code


def _timed_out(errors: list[dict[str, Any]]) -> bool:
    text = " ".join(str(e.get("message") or "") for e in errors).lower()
    return "timeout" in text or "timed out" in text or not errors


def _query(client: ApiClient, run: _Run, url: str, batch: list[str]) -> Any:
    """The payload of one GraphQL query for ``batch``; ``_TIMEOUT`` after one retry with backoff."""
    query, variables = build_graphql_query(batch)
    for attempt in range(2):
        if attempt:
            time.sleep(run.settings.github_backoff)
        try:
            resp = client.request("POST", url, json={"query": query, "variables": variables})
        except requests.Timeout:
            continue
        if resp.status_code == 401:
            raise GithubError("GitHub rejected GITHUB_TOKEN (HTTP 401): check the token and its scopes")
        if resp.status_code >= 500:
            continue
        if resp.status_code != 200:
            raise GithubError(f"the GraphQL API answered HTTP {resp.status_code}")
        payload = _json(resp)
        if not isinstance(payload, dict):
            if not _says_json(resp):  # a proxy's or portal's page: no smaller query changes that
                raise GithubError(f"the GraphQL API at {url} answered with {_kind_of(resp)}, not JSON: "
                                  "a proxy, firewall or login page is in the way (check GITHUB_API_URL "
                                  "and the network)")
            continue  # a cut-off JSON body: as good as a timeout
        errors = [e for e in payload.get("errors") or [] if isinstance(e, dict)]
        if any(_is_rate_limit(e) for e in errors):
            raise RateLimited(reset_from(resp), "GraphQL rate limit exhausted")
        if isinstance(payload.get("data"), dict):
            return payload
        if any(_alias_of(e) for e in errors):
            return payload  # no data, but the errors name the repositories to take out
        if not _timed_out(errors):
            first = _str(errors[0].get("message")) if errors else None
            raise GithubError(f"the GraphQL API returned no data: {(first or 'no message')[:200]}")
    return _TIMEOUT


def _says_json(resp: requests.Response) -> bool:
    """The answer calls itself JSON (a body cut short still does), or starts like JSON."""
    kind = (resp.headers.get("content-type") or "").split(";", 1)[0].strip().lower()
    if kind:
        return kind == "application/json" or kind.endswith("+json")
    return resp.content[:1].strip() in (b"{", b"[", b"")


def _kind_of(resp: requests.Response) -> str:
    kind = (resp.headers.get("content-type") or "").split(";", 1)[0].strip().lower()
    if kind == "text/html" or resp.content.lstrip()[:1] == b"<":
        return "an HTML page"
    return f"a {kind[:40]!r} body" if kind else "a body of no declared type"


def _alias_of(err: dict[str, Any]) -> str | None:
    path = err.get("path")
    if isinstance(path, list) and path and isinstance(path[0], str) and _ALIAS.fullmatch(path[0]):
        return path[0]
    return None


def _refresh_graphql(client: ApiClient, run: _Run, due: list[str]) -> None:
    url = graphql_url(run.settings.github_api_url)
    queue = deque(due[i:i + BATCH_SIZE] for i in range(0, len(due), BATCH_SIZE))
    failed_queries = 0
    while queue:
        batch = queue.popleft()
        too_large = ""
        try:
            payload = _query(client, run, url, batch)
        except AnswerTooLarge as exc:  # as a timeout: smaller queries get smaller answers
            payload, too_large = _TIMEOUT, str(exc)
        if payload is _TIMEOUT:
            failed_queries += 1
            if failed_queries > MAX_FAILED_QUERIES:
                run.summary.errors.append("the GraphQL API keeps timing out; the rest stays due")
                return
            if len(batch) == 1:
                run.error(batch[0], f"{batch[0]}: {too_large or 'the GraphQL query timed out, even alone'}")
            else:  # smaller queries are cheaper for GitHub: halve, and go on with the rest
                half = (len(batch) + 1) // 2
                queue.extendleft([batch[half:], batch[:half]])
            continue
        errors = [e for e in payload.get("errors") or [] if isinstance(e, dict)]
        data = payload.get("data")
        by_alias = {alias: e for e in errors if (alias := _alias_of(e))}
        retry: list[str] = []
        for i, repo in enumerate(batch):
            node = data.get(f"r{i}") if isinstance(data, dict) else None
            err = by_alias.get(f"r{i}", {})
            kind = str(err.get("type") or "").upper()
            if isinstance(node, dict):
                run.summary.changed += run.found(repo, normalise_graphql(node), etag=None)
            elif kind == "NOT_FOUND":
                run.missing(repo)
            elif kind == "FORBIDDEN":
                run.blocked(repo, "")  # GraphQL names no reason (REST says tos, dmca, ...)
            elif err:
                run.error(repo, f"{repo}: {(_str(err.get('message')) or kind or 'error')[:200]}")
            elif isinstance(data, dict):
                run.error(repo, f"{repo}: no data returned")
            else:
                retry.append(repo)  # the query was dropped because of another alias: ask again
        if retry and len(retry) < len(batch):
            queue.appendleft(retry)
        elif retry:
            for repo in retry:
                run.error(repo, f"{repo}: the GraphQL API returned no data")
        limit = _dict(data.get("rateLimit")) if isinstance(data, dict) else {}
        if _int(limit.get("remaining")) == 0 and queue:
            reset = _iso_to_epoch(limit.get("resetAt")) or client.reset_at
            raise RateLimited(reset or time.time() + DEFAULT_WAIT, "GraphQL rate limit exhausted")


# ----------------------------------------------------------------------- store
def _figures_only(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in ("release_etag", "release_checked_at")}


def _left_over(store: Store) -> set[str]:
    """Repositories a stopped run did not get to."""
    return store.github_pending()


def failures(store: Store) -> dict[str, dict[str, Any]]:
    """Repositories whose last attempt failed: ``{repo: {"error": text, "at": unix time}}``."""
    return store.github_failures()


def _due_order(store: Store, repos: list[str]) -> list[str]:
    """What this run asks for, in order.

    A pass over the catalog may span several runs: while a stopped run left
    repositories it never reached, the next run finishes that pass (those, any
    project never fetched, and the ones that failed) instead of starting again,
    so a catalog larger than one rate-limit window still gets through. Otherwise
    a new pass covers every repository, least recently tried first. A repository
    that failed is never "left over": it is retried alongside, never instead.
    """
    left_over = _left_over(store)
    stored = store.github_repos()
    failed = failures(store)
    if left_over & set(repos):
        repos = [r for r in repos if r in left_over or r not in stored or r in failed]

    def key(item: tuple[int, str]) -> tuple[float, int]:
        index, repo = item
        row = stored.get(repo)
        tried = max(row["fetched_at"] if row else 0.0, float(failed.get(repo, {}).get("at") or 0.0))
        return (tried, index)

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
    ``summary.changed`` counts stored figures or states that changed: the
    scheduler rebuilds the site only then. ``now`` stands in for the clock
    (rate-limit pauses, release cadence, date ranges) in tests.
    """
    wanted = _unique(catalog_repos(settings.content_dir) if repos is None else repos)
    mode = "graphql" if settings.github_token else "rest"
    summary = GithubSummary(mode=mode, requested=len(wanted))
    clock = time.time() if now is None else now
    due = _due_order(store, wanted)
    run = _Run(settings, store, summary, clock)
    summary.run_id = store.start_run("github")
    paused = store.github_paused_until(mode)
    if clock < paused:
        summary.rate_limited = True
        summary.rate_limit_reason = "still waiting for the rate limit to reset"
        summary.resume_after = paused
        # nothing asked: what was done before the pause stays done
        left_over = _left_over(store)
        run.attempted = {r for r in due if r not in left_over}
    elif due:
        client = _client(settings, summary)
        try:
            if mode == "graphql":
                _refresh_graphql(client, run, due)
            else:
                _refresh_rest(client, run, due)
        except RateLimited as stop:
            summary.rate_limited = True
            summary.rate_limit_reason = stop.why
            summary.resume_after = stop.resume_after
            store.set_github_paused_until(mode, stop.resume_after)
        except GithubError as exc:
            summary.errors.append(redact(str(exc), settings.secret_parts()))
        except requests.RequestException as exc:
            # the exception text can carry URLs but never headers; scrub anyway
            summary.errors.append(redact(
                f"cannot reach the GitHub API at {settings.github_api_url}: {type(exc).__name__}",
                settings.secret_parts()))
        else:
            if summary.requests:  # GitHub answered again: any earlier pause is over
                store.set_github_paused_until(mode, 0.0)
        finally:
            client.close()
    summary.pending = [r for r in due if r not in run.attempted]
    if not summary.rate_limited or summary.requests:  # a skipped run leaves the queue as it was
        store.set_github_pending(summary.pending)
        store.record_github_attempts(run.attempted, run.failures, run.now)
    _collect_problems(store, wanted, summary)
    store.finish_run(summary.run_id, status=summary.run_status, stats=summary.to_json())
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
        elif row["state"] == "blocked":
            summary.blocked[repo] = str(row["data"].get("block_reason") or "no reason given")
