"""Signs of life of a catalog project, read off stored GitHub and PyPI data.

One assessment for the site (``plugins/github_data`` attaches ``entry.signs``) and
the link-health report ("Catalog edits to consider"). Each ``Sign`` is a short,
quiet line for readers ("no release since March 2024"), the data behind it and
the page that shows it. Only data the refreshers stored is used (no network);
nothing here changes the catalog.

Signs, in the order they are listed:

- ``archived``: GitHub's archived flag on the repository.
- ``renamed``: GitHub answers for the catalog's repository under another name.
- ``deprecated``: the GitHub description or the PyPI summary says deprecated,
  unmaintained, no longer maintained, maintenance mode, archived.
- ``inactive-classifier``: the latest PyPI release declares
  "Development Status :: 7 - Inactive".
- ``quiet``: no release (PyPI or GitHub, whichever is newer) for longer than
  the threshold and no push either (or, with no release known, no push): the
  project looks unmaintained.
- ``no-release``: no release for longer than the threshold while pushes go on.
- ``yanked``: the latest release is yanked on PyPI.

The threshold for "long" is ``LINKCHECK_QUIET_AFTER_DAYS`` (settings.quiet_after_days,
default 548 days, 18 months); the site's "inactive" badge uses the same one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from linkcheck.timefmt import to_timestamp

DAY = 86400.0
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
# Descriptions are short (GitHub: 350 characters); longer text is only looked at this far.
MAX_TEXT = 1000
QUOTE_CHARS = 200
INACTIVE_CLASSIFIER = "Development Status :: 7 - Inactive"
# Word-bounded, case-insensitive; no nested or overlapping repeats, so matching stays linear.
_WORDS = re.compile(
    r"\b(deprecated|unmaintained|no\s+longer\s+(?:actively\s+)?maintained|not\s+(?:actively\s+)?maintained"
    r"|maintenance[\s-]+(?:only[\s-]+)?mode|maintenance[\s-]+only|archived)\b",
    re.IGNORECASE,
)
_REPO = re.compile(r"[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}")
_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# catalog status each kind suggests, strongest first (the report proposes the strongest)
STATUS_ORDER = ("archived", "unmaintained", "maintenance-only")
KIND_ORDER = ("archived", "renamed", "deprecated", "inactive-classifier", "quiet", "no-release", "yanked")


@dataclass(frozen=True)
class Sign:
    kind: str  # one of KIND_ORDER
    text: str  # the quiet line readers see ("no release since March 2024")
    evidence: str  # the data behind it: dates, quoted words (untrusted text: escape it)
    source_url: str  # the page that shows it (the repository, the PyPI release page)
    suggests: str | None = None  # the catalog status it points to (schema.STATUSES), None: none
    renamed_to: str | None = None  # ``renamed``: the repository's current owner/name


def month(ts: float) -> str:
    """'March 2024' (English month names whatever the locale)."""
    day = dt.datetime.fromtimestamp(ts, dt.UTC)
    return f"{MONTHS[day.month - 1]} {day.year}"


def _day(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%d")


def _text(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return " ".join(value[:MAX_TEXT].split())


def _quote(text: str) -> str:
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1].rstrip() + "…"


def says_unmaintained(text: Any) -> str | None:
    """The phrase (lower case, single spaces) when ``text`` says the project is not maintained."""
    value = _text(text)
    match = _WORDS.search(value) if value else None
    return " ".join(match.group(1).lower().split()) if match else None


def _phrase_status(phrase: str) -> str:
    if phrase.startswith("maintenance"):
        return "maintenance-only"
    return "archived" if phrase == "archived" else "unmaintained"


def github_url(repo: str) -> str:
    return f"https://github.com/{repo}"


def pypi_url(name: str, version: str | None = None) -> str:
    base = f"https://pypi.org/project/{quote(name, safe='')}/"
    return f"{base}{quote(version, safe='')}/" if version else base


@dataclass(frozen=True)
class _Release:
    ts: float
    label: str  # "1.2.3 on PyPI"
    url: str


def _releases(repo: str | None, gh: Mapping[str, Any], name: str | None,
              py: Mapping[str, Any]) -> list[_Release]:
    found = []
    version = _text(py.get("version"))
    released = to_timestamp(py.get("released")) if isinstance(py.get("released"), str) else None
    if name and version and released is not None:
        found.append(_Release(released, f"{_quote(version)} on PyPI", pypi_url(name, version)))
    tag = _text(gh.get("release_tag"))
    published = to_timestamp(gh.get("release_published_at")) if isinstance(
        gh.get("release_published_at"), str) else None
    if repo and published is not None:
        url = github_url(repo) + (f"/releases/tag/{quote(tag, safe='')}" if tag else "/releases")
        found.append(_Release(published, f"{_quote(tag or 'a release')} on GitHub", url))
    return found


def assess(*, repo: str | None = None, github: Mapping[str, Any] | None = None,
           pypi_name: str | None = None, pypi: Mapping[str, Any] | None = None,
           now: float, quiet_after_days: float) -> list[Sign]:
    """Signs of life of one project from its stored rows (``Store.github_repo`` and
    ``Store.pypi_project`` shapes); an empty list when there is no data or nothing to say.

    ``repo`` is the catalog's ``owner/name``, ``pypi_name`` its ``pypi:``. A repository
    GitHub no longer serves (missing, blocked) and a PyPI project without a usable
    answer say nothing here: the refresh commands report those.
    """
    gh_row = github if github and github.get("state") in ("ok", "renamed") else None
    py_row = pypi if pypi and pypi.get("state") == "ok" else None
    gh: Mapping[str, Any] = (gh_row or {}).get("data") or {}
    py: Mapping[str, Any] = (py_row or {}).get("data") or {}
    repo = repo if repo and _REPO.fullmatch(repo) else None
    name = pypi_name if pypi_name and _NAME.fullmatch(pypi_name) else None
    renamed = _text((gh_row or {}).get("renamed_to")) if gh_row and gh_row.get("state") == "renamed" else None
    renamed = renamed if renamed and _REPO.fullmatch(renamed) else None
    current = renamed or (repo if gh_row else None)
    seen = to_timestamp((gh_row or {}).get("fetched_at"))
    signs: list[Sign] = []

    if current and gh.get("archived") is True:
        when = f" (seen {_day(seen)})" if seen else ""
        signs.append(Sign("archived", "repository archived on GitHub",
                          f"GitHub marks {current} as archived{when}", github_url(current), "archived"))
    if repo and renamed and renamed.lower() != repo.lower():
        signs.append(Sign("renamed", f"repository now at github.com/{renamed}",
                          f"GitHub answers for {repo} as {renamed}", github_url(renamed),
                          renamed_to=renamed))
    described = []
    if current:
        described.append((f"GitHub description of {current}", gh.get("description"), github_url(current)))
    if name:
        described.append((f"PyPI summary of {name}", py.get("summary"), pypi_url(name)))
    for where, text, url in described:
        phrase = says_unmaintained(text)
        if phrase:
            quoted = _quote(_text(text) or "")
            signs.append(Sign("deprecated", f"description says {phrase}",
                              f"{where}: \u201c{quoted}\u201d", url, _phrase_status(phrase)))
            break
    if name and py.get("inactive") is True:
        version = _text(py.get("version"))
        release = f"{name} {_quote(version)}" if version else name
        signs.append(Sign("inactive-classifier", "PyPI: Development Status 7 - Inactive",
                          f"{release} declares \u201c{INACTIVE_CLASSIFIER}\u201d",
                          pypi_url(name, version), "unmaintained"))

    long = quiet_after_days * DAY
    pushed = to_timestamp(gh.get("pushed_at")) if current and isinstance(gh.get("pushed_at"), str) else None
    releases = _releases(current, gh, name, py)
    latest = max(releases, key=lambda r: r.ts) if releases else None
    push_note = f"; last push {_day(pushed)}" if pushed is not None else ""
    if latest is not None and now - latest.ts > long:
        active = pushed is not None and now - pushed <= long
        signs.append(Sign("no-release" if active else "quiet", f"no release since {month(latest.ts)}",
                          f"latest release {latest.label}, {_day(latest.ts)}{push_note}", latest.url,
                          None if active else "unmaintained"))
    elif latest is None and pushed is not None and now - pushed > long and current:
        signs.append(Sign("quiet", f"no commit since {month(pushed)}",
                          f"last push to {current} {_day(pushed)}; no release on PyPI or GitHub",
                          github_url(current), "unmaintained"))

    newest_yanked = _text(py.get("newest_yanked"))
    if name and (py.get("yanked") is True or newest_yanked):
        version = newest_yanked or _text(py.get("version")) or ""
        reason = _text(py.get("yanked_reason")) if py.get("yanked") is True else None
        why = f": {_quote(reason)}" if reason else ""
        signs.append(Sign("yanked", "latest release yanked",
                          f"{name} {_quote(version)} is yanked on PyPI{why}",
                          pypi_url(name, version or None)))
    return sorted(signs, key=lambda s: KIND_ORDER.index(s.kind))


def for_entry(entry: Any, github_rows: Mapping[str, Mapping[str, Any]],
              pypi_rows: Mapping[str, Mapping[str, Any]], *, now: float,
              quiet_after_days: float) -> list[Sign]:
    """``assess`` for a catalog project, its rows looked up by repository (lower case) and PyPI name."""
    repo = getattr(entry, "github_repo", None)
    name = getattr(entry, "pypi", None)
    return assess(repo=repo, github=github_rows.get((repo or "").lower()) if repo else None,
                  pypi_name=name, pypi=pypi_rows.get(name) if name else None,
                  now=now, quiet_after_days=quiet_after_days)


def strongest(signs: list[Sign]) -> Sign | None:
    """The sign whose suggested status is strongest (archived > unmaintained > maintenance-only)."""
    suggesting = [s for s in signs if s.suggests in STATUS_ORDER]
    return min(suggesting, key=lambda s: STATUS_ORDER.index(s.suggests or ""), default=None)
