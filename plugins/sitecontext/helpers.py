"""Pure helpers behind the theme (no Pelican here): number and date forms, the home page's
"which queue for which need" and "recently" lists, the projects table's filter options.

Every figure comes from the catalog (curated, sourced facts) or from the store (GitHub,
PyPI, link checks) attached to entries by the other plugins; nothing is made up here, and a
list with no data behind it comes back empty so the theme can stay quiet.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

from linkcheck.catalog import needs as _needs
from linkcheck.catalog import schema
from linkcheck.catalog.model import normalize_pypi
from linkcheck.catalog.ranking import own_downloads, own_stars
from linkcheck.timefmt import to_timestamp

DAY = 86400.0
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def compact_number(value: Any) -> str:
    """84768 -> '84.8k', 1234567 -> '1.2M', 950 -> '950'; '' for anything not an int."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        return ""
    for size, suffix in ((1_000_000, "M"), (1_000, "k")):
        if value >= size:
            text = f"{value / size:.1f}".removesuffix(".0")
            if text == "1000" and suffix == "k":  # 999,950 rounds up into the next unit
                return "1M"
            return text + suffix
    return str(value)


def day_month_year(value: Any) -> str:
    """'30 Nov 2026' (UTC); '' when there is no time."""
    ts = to_timestamp(value)
    if ts is None:
        return ""
    d = dt.datetime.fromtimestamp(ts, dt.UTC)
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def month_year(value: Any) -> str:
    """'Nov 2026' (UTC); '' when there is no time."""
    ts = to_timestamp(value)
    if ts is None:
        return ""
    d = dt.datetime.fromtimestamp(ts, dt.UTC)
    return f"{MONTHS[d.month - 1]} {d.year}"


def iso_date(value: Any) -> str:
    ts = to_timestamp(value)
    return "" if ts is None else dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%d")


# ------------------------------------------------------------------ vital signs


@dataclass(frozen=True)
class Release:
    version: str
    when: float | None
    source: str  # "GitHub" | "PyPI"
    url: str | None = None
    yanked: str | None = None  # "yanked" or "yanked: reason" (PyPI)


def latest_release(entry: Any) -> Release | None:
    """The newer of the GitHub release and the PyPI release attached to ``entry``."""
    found: list[Release] = []
    github = getattr(entry, "github", None)
    if isinstance(github, dict) and github.get("release_tag"):
        released = github.get("released")
        stamp = released.get("ts") if isinstance(released, dict) else None
        when = to_timestamp(int(stamp)) if stamp else None
        found.append(Release(str(github["release_tag"]), when, "GitHub"))
    pypi = getattr(entry, "pypi_release", None)
    if isinstance(pypi, dict) and isinstance(pypi.get("version"), str) and pypi["version"].strip():
        name = getattr(entry, "pypi", None)
        url = f"https://pypi.org/project/{name}/{pypi['version']}/" if isinstance(name, str) else None
        yanked = None
        if pypi.get("yanked"):
            reason = pypi.get("yanked_reason")
            yanked = f"yanked: {reason}" if isinstance(reason, str) and reason else "yanked"
        when = to_timestamp(pypi.get("released"))
        found.append(Release(pypi["version"].strip(), when, "PyPI", url, yanked))
    if not found:
        return None
    # the newest; a yanked PyPI release only when nothing else is known
    return max(found, key=lambda r: (r.yanked is None, r.when or 0.0, r.source == "PyPI"))


def license_label(value: Any) -> str:
    """GitHub's SPDX id of a project's licence; '' for none and for NOASSERTION (a licence GitHub
    could not name: readers took "other license" for a strange licence, and the store keeps no
    other source of it, so the theme says nothing)."""
    if not isinstance(value, str) or not value.strip() or value.strip().upper() == "NOASSERTION":
        return ""
    return value.strip()


STATUS_BADGES = {"maintenance-only": ("maintenance-only", "maintenance only"),
                 "unmaintained": ("inactive", "unmaintained"), "archived": ("archived", "archived")}


def status_badge(entry: Any) -> dict[str, str] | None:
    """The badge of a project that is not plainly maintained, linked to the page that shows it: the
    catalog's status (with its status_source) first, then GitHub's archived flag (the repository).
    None for a maintained project: only problems get a badge."""
    status = getattr(entry, "status", None)
    if status in STATUS_BADGES and getattr(entry, "status_source", None):
        kind, label = STATUS_BADGES[status]
        return {"kind": kind, "label": label, "url": entry.status_source}
    github = getattr(entry, "github", None)
    if isinstance(github, dict) and github.get("archived") and getattr(entry, "repo", None):
        return {"kind": "archived", "label": "archived on GitHub", "url": entry.repo}
    return None


# ------------------------------------------------------------------ facts


fact = _needs.fact
answer = _needs.answer
list_values = _needs.list_values


def brokers(entry: Any) -> list[str]:
    return list_values(entry, "brokers")


fact_label = schema.fact_label


def kind_title(kind: str | None) -> str:
    """"Task queues", "Schedulers", ... for a schema.KINDS key ("Projects" for none)."""
    return schema.KINDS.get(kind or "", "Projects")


DATABASES = _needs.DATABASES
VALUE_LABELS = schema.VALUE_LABELS
_meets = _needs.meets


def features(entry: Any) -> list[str]:
    """Filter keys an entry meets: boolean facts answered yes or partial, plus "database" when a
    database is among its brokers (js/projects.js reads the same from the page's cells)."""
    found = [key for key, f in (getattr(entry, "facts", None) or {}).items()
             if f.answer in ("yes", "partial")]
    if _meets(entry, "database"):
        found.append("database")
    return found


def needs(entries: Iterable[Any], *, limit: int = 3) -> list[dict[str, Any]]:
    """The home page's needs (linkcheck.catalog.needs.HOME) that maintained task queues meet: for
    each, the first ``limit`` of them (in the order ``order_line`` states), how many in all, the
    filter query, which of the shown ones meet it only partly, and the framework packages named
    with their project (``via``)."""
    return [{"label": m.need.label, "entries": m.entries, "count": m.count, "query": m.need.query,
             "partly": m.partly, "via": m.via} for m in _needs.match(entries, _needs.HOME, limit=limit)]


order_line = _needs.order_line


def stars_of(entry: Any) -> int:
    """The entry's own stars for sorting (-1: none, or only its host's)."""
    stars = own_stars(entry)
    return -1 if stars is None else stars


def downloads_of(entry: Any) -> int:
    """The entry's own PyPI downloads of the last month for sorting (-1: none, or only its host's)."""
    count = own_downloads(entry)
    return -1 if count is None else count


_CODE_RE = re.compile(r"(<code>)(.*?)(</code>)", re.S)
_QUOTED_RE = re.compile(r"(&quot;|&#34;|\"|')(.*?)\1")
_AFTER_PUNCT_RE = re.compile(r"([.(,])(?=[^)\s]|$)")  # not before a space: one breaks there already
# A word with a hyphen (a command-line flag such as --with-scheduler): a browser breaks after its
# hyphens, and a reader who copies "--with-" gets a different flag.
_HYPHENED_RE = re.compile(r"[^\s<>]*-[^\s<>]*")


# Inline code up to this many characters stays on one line (class "nb", white-space: nowrap): a
# short name split at 360px ("django." / "tasks") reads as two; longer code gets break hints.
SHORT_CODE = 25
_TAG_RE = re.compile(r"<[^>]*>")
_ENTITY_RE = re.compile(r"&#?\w+;")


def _code(m: re.Match[str]) -> str:
    body = m.group(2)
    if len(_ENTITY_RE.sub("x", _TAG_RE.sub("", body))) <= SHORT_CODE:
        return '<code class="nb">' + body + m.group(3)
    return m.group(1) + _code_body(body) + m.group(3)


def _unquoted(text: str) -> str:
    text = _AFTER_PUNCT_RE.sub(r"\1<wbr>", text)
    return _HYPHENED_RE.sub(lambda m: f'<span class="nb">{m.group(0)}</span>', text)


def _code_body(body: str) -> str:
    out, at = [], 0
    for m in _QUOTED_RE.finditer(body):
        out.append(_unquoted(body[at:m.start()]))
        out.append(m.group(0).replace(" ", "\u00a0"))  # a quoted string: "*/5 * * * *" stays whole
        at = m.end()
    out.append(_unquoted(body[at:]))
    return "".join(out)


def code_breaks(html: Any) -> Markup:
    """Rendered HTML whose inline code wraps where a reader expects: short code (``SHORT_CODE``
    characters or fewer) never, marked ``class="nb"``; longer code never inside a quoted string (a
    cron expression) nor inside a hyphened word (a flag), and where it must break, after a '.',
    '(' or ','. Only <code> elements change; the HTML was escaped when it was rendered."""
    return Markup(_CODE_RE.sub(_code, str(html)))


# Inside an identifier in plain text (broker_priority, CronScheduler, faststream_fastapi): after
# '_', '.' or '/' between letters, and where a lower-case letter meets a capital.
_SOFT_BREAK_RE = re.compile(r"(?<=[A-Za-z0-9])([_./])(?=[A-Za-z0-9])|(?<=[a-z])(?=[A-Z])")


def soft_breaks(text: Any) -> Markup:
    """Plain text (escaped here) with break opportunities inside long identifiers, for narrow
    table cells: a browser that must break "broker_priority" then breaks it after the '_', not
    as "broker_priorit" / "y"."""
    escaped = str(escape(str(text)))
    return Markup(_SOFT_BREAK_RE.sub(lambda m: (m.group(1) or "") + "<wbr>", escaped))


def downloads_url(entry: Any) -> str | None:
    """The page of the ↓ downloads figure's source, pypistats.org (linkcheck/metadata/downloads.py
    asks its API), under PyPI's normalised name; None without a PyPI name."""
    name = getattr(entry, "pypi", None)
    if not isinstance(name, str) or not name.strip():
        return None
    return f"https://pypistats.org/packages/{quote(normalize_pypi(name.strip()), safe='')}"


def signs(entry: Any) -> list[Any]:
    """Signs of life worth a quiet line ("no release since March 2024"); attached by
    plugins/github_data from stored GitHub and PyPI data, empty before data exists."""
    found = getattr(entry, "signs", None)
    return list(found) if isinstance(found, list | tuple) else []


# ------------------------------------------------------------------ what changed


def recently_added(entries: Iterable[Any], now: float, *, days: int = 90) -> list[Any]:
    """Entries whose ``added`` date is within ``days`` of ``now``, newest first."""
    out = []
    for entry in entries:
        ts = to_timestamp(getattr(entry, "added", None))
        if ts is not None and now - ts <= days * DAY:
            out.append((ts, entry))
    return [e for _, e in sorted(out, key=lambda p: -p[0])]


def recent_releases(entries: Iterable[Any], now: float, *, days: int = 31) -> list[tuple[Any, Release]]:
    """(entry, release) for releases published within ``days`` of ``now``, newest first."""
    out = []
    for entry in entries:
        release = latest_release(entry)
        if release and release.when is not None and 0 <= now - release.when <= days * DAY:
            out.append((entry, release))
    return sorted(out, key=lambda p: -(p[1].when or 0))


def gone_quiet(entries: Iterable[Any]) -> list[tuple[Any, Any]]:
    """(entry, its first sign) for projects the catalog still lists as maintained whose data shows
    a sign of life worth a line (archived on GitHub, no release for long, ...): the home page's
    "gone quiet" list. Projects the catalog already sets apart are not news."""
    return [(e, signs(e)[0]) for e in entries
            if signs(e) and getattr(e, "status", None) not in schema.INACTIVE_STATUSES]


# ------------------------------------------------------------------ projects page


def css_string(text: str) -> str:
    """``text`` as a CSS string literal: quotes, backslashes and anything that could end a <style>
    element are escaped as CSS code points."""
    out = []
    for ch in str(text):
        if ch.isalnum() or ch in " -_.,:;()/'":
            out.append(ch)
        else:
            out.append(f"\\{ord(ch):x} ")
    return '"' + "".join(out) + '"'


# A phone card has room for a word or two before each answer ("✓ Periodic docs"): the short form
# of a fact's label (schema.fact_label) where it has one; the full label heads the wide table.
SHORT_LABELS: dict[str, str] = {
    "Brokers and backends": "Brokers", "Native asyncio": "async def", "Periodic scheduling": "Periodic",
    "Result storage": "Results", "Monitoring UI": "Web UI", "Framework integrations": "Frameworks",
    "Runs in your process": "In-process", "Cron expressions": "Cron", "Prometheus metrics": "Prometheus",
    "How you run it": "Runs as", "Stores schedules in": "Stores in", "Schedules tasks of": "Schedules",
    "Stores state in": "State in", "Durable execution": "Durable",
}


def short_label(key: str, kind: str | None) -> str:
    label = fact_label(key, kind)
    return SHORT_LABELS.get(label, label)


def grid_label_css(sections: Iterable[Any]) -> Markup:
    """The phone layout's label of every fact column, once per column (--l, read by css/site.css
    before each answer), instead of once per cell: ``.grid-queue td:nth-of-type(2){--l:"…"}``."""
    rules = []
    for section in sections:
        kind = getattr(section, "kind", None)
        for index, key in enumerate(getattr(section, "facts", ()), 1):
            label = css_string(short_label(key, kind))
            rules.append(f".grid-{section.key} td:nth-of-type({index}){{--l:{label}}}")
    return Markup("".join(rules))

FEATURE_LABELS = {
    "asyncio": "async def tasks", "database": "no separate broker", "scheduling": "periodic scheduling",
    "retries": "retries", "priorities": "priorities", "rate_limits": "rate limits",
    "results": "result storage", "monitoring": "monitoring UI",
}


def _options(entries: Iterable[Any], key: str) -> list[str]:
    """Every value some entry's ``key`` list names, most entries first, then by name."""
    counts: dict[str, int] = {}
    for entry in entries:
        for value in list_values(entry, key):
            counts[value] = counts.get(value, 0) + 1
    return sorted(counts, key=lambda v: (-counts[v], v))


def broker_options(entries: Iterable[Any]) -> list[str]:
    return _options(entries, "brokers")


def framework_options(entries: Iterable[Any]) -> list[str]:
    return _options(entries, "frameworks")


def feature_options(entries: Iterable[Any]) -> list[tuple[str, str]]:
    """(key, label) of every filterable feature some entry has, in FEATURE_LABELS order."""
    present = {key for entry in entries for key in features(entry)}
    return [(key, label) for key, label in FEATURE_LABELS.items() if key in present]
