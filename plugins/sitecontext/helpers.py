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

from linkcheck.timefmt import to_timestamp

DAY = 86400.0
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WORD_RE = re.compile(r"[a-z0-9]+")
# Words that say nothing about what a project does.
_STOP = ("a an and as at be by for from in is it of on or the to with your you that this are its "
         "python library simple task tasks queue queues job jobs")
STOPWORDS = frozenset(_STOP.split(" "))


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


def _words(text: str) -> set[str]:
    return {w for w in WORD_RE.findall(text.lower()) if w not in STOPWORDS and len(w) > 2}


def adds_to(extra: Any, curated: Any, *, overlap: float = 0.6) -> bool:
    """True when ``extra`` (a GitHub description) says something ``curated`` does not: fewer than
    ``overlap`` of its meaningful words already appear in the curated text."""
    if not isinstance(extra, str) or not extra.strip():
        return False
    words = _words(extra)
    if not words:
        return False
    known = _words(curated if isinstance(curated, str) else "")
    return len(words & known) / len(words) < overlap


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
    """GitHub's SPDX id, or 'other license' for NOASSERTION (a licence GitHub could not name)."""
    if not isinstance(value, str) or not value.strip():
        return ""
    return "other license" if value.strip().upper() == "NOASSERTION" else value.strip()


def project_status(entry: Any) -> str:
    """'archived' | 'inactive' | 'active' | '' (no data): catalog status first, then GitHub."""
    status = getattr(entry, "status", None)
    if status == "archived":
        return "archived"
    if status == "unmaintained":
        return "inactive"
    github = getattr(entry, "github", None)
    if not isinstance(github, dict) or github.get("missing"):
        return ""
    if github.get("archived"):
        return "archived"
    if github.get("inactive"):
        return "inactive"
    return "active" if github.get("pushed") else ""


# ------------------------------------------------------------------ facts


def fact(entry: Any, key: str) -> Any:
    facts = getattr(entry, "facts", None)
    return facts.get(key) if isinstance(facts, dict) else None


def has_facts(entries: Iterable[Any]) -> bool:
    return any(getattr(e, "facts", None) for e in entries)


def broker_options(entries: Iterable[Any]) -> list[str]:
    """Every broker some entry's facts name, most entries first, then by name."""
    counts: dict[str, int] = {}
    for entry in entries:
        f = fact(entry, "brokers")
        for broker in (f.value if f is not None and isinstance(f.value, list | tuple) else ()):
            counts[broker] = counts.get(broker, 0) + 1
    return sorted(counts, key=lambda b: (-counts[b], b))


BROKER_LABELS = {
    "redis": "Redis", "valkey": "Valkey", "rabbitmq": "RabbitMQ", "sqs": "Amazon SQS", "kafka": "Kafka",
    "nats": "NATS", "google-pubsub": "Google Pub/Sub", "azure-service-bus": "Azure Service Bus",
    "beanstalkd": "beanstalkd", "zeromq": "ZeroMQ", "postgresql": "PostgreSQL", "mysql": "MySQL",
    "sqlite": "SQLite", "mongodb": "MongoDB", "django-db": "Django ORM", "sqlalchemy": "SQLAlchemy",
    "memory": "in-memory", "filesystem": "filesystem",
}
DATABASES = frozenset({"postgresql", "mysql", "sqlite", "mongodb", "django-db", "sqlalchemy"})

# The home page's starting points: a need, and the fact test that answers it.
NEEDS: tuple[tuple[str, str, str], ...] = (
    ("Tasks written as async def coroutines", "asyncio", "has=asyncio"),
    ("No separate broker: the queue lives in your database", "database", "has=database"),
    ("Periodic jobs built in", "scheduling", "has=scheduling"),
    ("A web UI to watch workers and tasks", "monitoring", "has=monitoring"),
    ("RabbitMQ as the broker", "broker:rabbitmq", "broker=rabbitmq"),
    ("Redis as the broker", "broker:redis", "broker=redis"),
)


def matches(entry: Any, test: str) -> bool:
    if test == "database":
        f = fact(entry, "brokers")
        return bool(f is not None and set(f.value or ()) & DATABASES)
    if test.startswith("broker:"):
        f = fact(entry, "brokers")
        return bool(f is not None and test.split(":", 1)[1] in (f.value or ()))
    f = fact(entry, test)
    return bool(f is not None and f.value is True)


def needs(entries: Iterable[Any], *, limit: int = 4) -> list[dict[str, Any]]:
    """For each need with at least one maintained project whose facts meet it: the projects
    (most GitHub stars first, at most ``limit``), how many in all, and the filter query."""
    pool = [e for e in entries if project_status(e) not in {"archived", "inactive"}]
    out = []
    for label, test, query in NEEDS:
        found = [e for e in pool if matches(e, test)]
        if not found:
            continue
        found.sort(key=lambda e: -stars_of(e))
        out.append({"label": label, "entries": found[:limit], "count": len(found), "query": query})
    return out


def features(entry: Any) -> list[str]:
    """Filter keys an entry meets (its true boolean facts, plus "database" when a database is
    among its brokers): the projects page's data-features, read by js/projects.js."""
    found = [key for key, f in (getattr(entry, "facts", None) or {}).items() if f.value is True]
    if matches(entry, "database"):
        found.append("database")
    return found


def brokers(entry: Any) -> list[str]:
    f = fact(entry, "brokers")
    return list(f.value) if f is not None and isinstance(f.value, list | tuple) else []


def stars_of(entry: Any) -> int:
    github = getattr(entry, "github", None)
    stars = github.get("stars") if isinstance(github, dict) else None
    return stars if isinstance(stars, int) and not isinstance(stars, bool) else -1


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


# ------------------------------------------------------------------ projects page

FEATURE_LABELS = {
    "asyncio": "async def tasks", "database": "no separate broker", "scheduling": "periodic scheduling",
    "monitoring": "monitoring UI", "retries": "retries", "priorities": "priorities",
    "rate_limits": "rate limits", "results": "result storage",
}
VALUE_LABELS = {
    **BROKER_LABELS,
    "django": "Django", "flask": "Flask", "fastapi": "FastAPI", "starlette": "Starlette",
    "litestar": "Litestar", "aiohttp": "aiohttp", "pyramid": "Pyramid", "sanic": "Sanic",
    "tornado": "Tornado",
}


def feature_options(entries: Iterable[Any]) -> list[tuple[str, str]]:
    """(key, label) of every filterable feature some entry has, in FEATURE_LABELS order."""
    present = {key for entry in entries for key in features(entry)}
    return [(key, label) for key, label in FEATURE_LABELS.items() if key in present]


def _schema() -> Any:
    try:
        from linkcheck.catalog import schema  # the catalog's vocabulary (issue 15)
    except ImportError:  # a catalog without groups yet
        return None
    return schema


def grouped(entries: Iterable[Any]) -> list[tuple[str | None, str | None, list[Any]]]:
    """(group key, heading, entries) in the catalog's group order, archived/unmaintained last;
    one untitled group when the catalog has no groups."""
    entries = list(entries)
    schema = _schema()
    groups = getattr(schema, "GROUPS", None)
    if not groups or not any(getattr(e, "group", None) for e in entries):
        return [(None, None, entries)] if entries else []
    archived_key = getattr(schema, "ARCHIVED_GROUP", "archived")
    archived_title = getattr(schema, "ARCHIVED_GROUP_TITLE", "Archived / unmaintained")
    buckets: dict[str, list[Any]] = {key: [] for key in [*groups, archived_key]}
    for entry in entries:
        inactive = getattr(schema, "INACTIVE_STATUSES", ("unmaintained", "archived"))
        key = archived_key if getattr(entry, "status", None) in inactive else getattr(entry, "group", None)
        buckets.setdefault(key or archived_key, []).append(entry)
    titles = {**groups, archived_key: archived_title}
    return [(key, titles.get(key, key), items) for key, items in buckets.items() if items]
