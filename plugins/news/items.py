"""Catalog news: one list of dated items, newest first, for the news page and its Atom feed.

Pure Python, no Pelican. Each item has a date from a source the build can name (``dated_by``):

- ``added``: new catalog entries, one item per day and section, dated by their ``added:`` field;
- ``release``: releases of catalog projects on PyPI, the latest one per project
  (``entry.pypi_release``, from the store's PyPI data) and earlier ones the PyPI refresh recorded
  as ``release`` events, one per (project, version), dated by the release's upload time; an entry
  that is part of a larger project (``part_of``) gets the host's name: "Django 6.0 released";
- ``archived``, ``unarchived``, ``renamed``, ``inactive``, ``yanked``: what the GitHub and PyPI
  refreshes saw change (the store's project events), mapped back to the catalog entries whose
  ``repo`` or ``pypi`` they name, dated when the refresh saw the change;
- ``status``: an entry's ``status:`` set in the catalog, dated by the git commit that set it
  (``gitstatus.py``; no git, no item).

Everything from the store or the catalog is untrusted text: it is type-checked and cleaned of
characters XML cannot carry here, and escaped by the template and the feed writer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

from linkcheck.catalog import normalize_pypi
from linkcheck.timefmt import to_timestamp

from .gitstatus import StatusChange

# How each kind reads on the page, in the order items of the same moment are listed.
KIND_LABELS = {
    "status": "Status", "archived": "Archived", "unarchived": "Unarchived", "renamed": "Moved",
    "inactive": "Inactive", "yanked": "Yanked", "release": "Release", "added": "New",
}
# Store event kinds (linkcheck/metadata/events.py) -> item kinds; "release" is merged with PyPI data.
EVENT_KINDS = {"archived": "archived", "unarchived": "unarchived", "renamed": "renamed",
               "inactive-classifier": "inactive", "yanked": "yanked"}
STATUS_WORDS = {"maintenance-only": "is now maintenance-only", "unmaintained": "is now unmaintained",
                "archived": "is now archived"}
# Items a returning reader looks for first (the page lists them in a block of their own).
CHANGE_KINDS = ("status", "archived", "unarchived", "renamed", "inactive", "yanked")
# A PEP 440 pre-release or development release ("3.4.22rc1", "2.0b1", "1.0.dev3", "1.0.0-beta.2"):
# not news a reader acts on, so neither the page nor the feed lists it as released.
PRE_RELEASE_RE = re.compile(r"\d[-_.]?(?:a|alpha|b|beta|c|rc|pre|preview|dev)[-_.]?\d*(?:\+[\w.]*)?$", re.I)
SECTION_WORDS = {"projects": "projects", "hosted": "hosted services", "examples": "examples",
                 "resources": "readings"}
# Unicode categories dropped from outside text: control characters (XML 1.0 forbids most),
# surrogates (not encodable) and unassigned code points (U+FFFE, U+FFFF among them).
_DROP = {"Cc", "Cs", "Cn"}
_KEY_RE = re.compile(r"[^a-z0-9]+")
# English month names whatever the build's locale (Pelican may set one).
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


@dataclass(frozen=True)
class Ref:
    """A link inside an item: the new entries of an "added" item, a release page, a source."""

    text: str
    href: str  # a path inside the site ("projects.html#entry-rq") or an absolute http(s) URL
    note: str = ""

    @property
    def internal(self) -> bool:
        return not self.href.startswith(("https://", "http://"))


@dataclass(frozen=True)
class NewsItem:
    key: str  # unique and stable across builds: the item's anchor on the page and its feed id
    kind: str  # a KIND_LABELS key
    when: datetime  # aware, UTC
    title: str
    text: str
    link: str | None  # the entry on its page (or None: the item's own anchor on the news page)
    dated_by: str  # the source of ``when``, said on the page
    refs: tuple[Ref, ...] = field(default=())

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def day(self) -> str:
        """"5 Dec": the date within its month's group on the page."""
        return f"{self.when.day} {MONTHS[self.when.month - 1][:3]}"


def clean(value: Any, limit: int = 200) -> str | None:
    """Outside text fit for HTML and XML: a string with characters XML cannot carry dropped,
    whitespace collapsed and at most ``limit`` characters; None for anything else or nothing."""
    if not isinstance(value, str):
        return None
    text = "".join(" " if ch in "\t\r\n" else ch for ch in value
                   if ch in "\t\r\n" or unicodedata.category(ch) not in _DROP)
    text = " ".join(text.split())
    if not text:
        return None
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _key(*parts: str) -> str:
    return _KEY_RE.sub("-", "-".join(parts).lower()).strip("-")[:120] or "item"


def _day(value: Any) -> datetime | None:
    ts = to_timestamp(value)
    return datetime.fromtimestamp(ts, tz=UTC) if ts is not None else None


class _Catalog:
    """The catalog entries as news needs them: their links and who is who in the store's terms."""

    def __init__(self, entries: Iterable[Any], pages: Mapping[str, str]) -> None:
        self.entries = list(entries)
        self.pages = pages
        self.by_project: dict[str, list[Any]] = {}
        for entry in self.entries:
            if getattr(entry, "pypi", None):
                self.by_project.setdefault(f"pypi:{normalize_pypi(entry.pypi)}", []).append(entry)
            repo = getattr(entry, "github_repo", None)
            if repo:
                self.by_project.setdefault(f"github:{repo.lower()}", []).append(entry)

    def link(self, entry: Any) -> str | None:
        page = self.pages.get(entry.section)
        return f"{page}#entry-{entry.id}" if page else None

    def find(self, project: Any) -> Any | None:
        """The first catalog entry (file order) a store project names (pypi:NAME, github:OWNER/NAME)."""
        if not isinstance(project, str) or ":" not in project:
            return None
        kind, _, name = project.partition(":")
        name = normalize_pypi(name) if kind == "pypi" else name.lower()
        found = self.by_project.get(f"{kind}:{name}")
        return found[0] if found else None


def display_name(entry: Any) -> str:
    """The name news uses for a project's releases and repository: the host's for a feature of a
    larger project (django.tasks is part of Django: its releases are Django's)."""
    return clean(getattr(entry, "part_of", None)) or clean(entry.name) or entry.id


def added_items(catalog: _Catalog) -> list[NewsItem]:
    """One item per day and section with the entries that joined the catalog that day."""
    days: dict[tuple[datetime, str], list[Any]] = {}
    for entry in catalog.entries:
        when = _day(getattr(entry, "added", None))
        if when is not None:
            days.setdefault((when, entry.section), []).append(entry)
    items = []
    for (when, section), entries in days.items():
        many = SECTION_WORDS.get(section, "entries")
        refs = tuple(Ref(clean(e.name) or e.id, link, clean(getattr(e, "summary", None)) or "")
                     for e in entries if (link := catalog.link(e)))
        if len(entries) == 1:
            title = f"{clean(entries[0].name) or entries[0].id} added to the catalog"
            text = clean(getattr(entries[0], "summary", None)) or ""
            link, refs = catalog.link(entries[0]), ()
        else:
            # the entries are the item's links (refs), each with its summary in the feed; the
            # headline links the section's page, as a single entry's links its row
            title, text, link = f"{len(entries)} new {many}", "", catalog.pages.get(section)
        items.append(NewsItem(_key("added", section, when.date().isoformat()), "added", when, title, text,
                              link, "the entry's added: date in the catalog", refs))
    return items


def is_pre_release(version: str) -> bool:
    return bool(PRE_RELEASE_RE.search(version.strip()))


def _release_url(name: str, version: str) -> str:
    return f"https://pypi.org/project/{quote(name, safe='')}/{quote(version, safe='')}/"


def release_items(catalog: _Catalog, events: Iterable[Mapping[str, Any]]) -> list[NewsItem]:
    """The latest PyPI release of each catalog project and earlier ones recorded as events,
    one item per (project, version)."""
    found: dict[tuple[str, str], tuple[Any, datetime]] = {}
    for entry in catalog.entries:
        release = getattr(entry, "pypi_release", None)
        if not isinstance(release, dict) or not getattr(entry, "pypi", None) or release.get("yanked"):
            continue
        version, when = clean(release.get("version"), 60), _day(release.get("released"))
        if version and when:
            found.setdefault((normalize_pypi(entry.pypi), version), (entry, when))
    for event in events:
        detail = event.get("detail")
        entry = catalog.find(event.get("project"))
        if event.get("kind") != "release" or entry is None or not isinstance(detail, dict):
            continue
        version, when = clean(detail.get("version"), 60), _day(detail.get("released"))
        if version and when and getattr(entry, "pypi", None):
            found.setdefault((normalize_pypi(entry.pypi), version), (entry, when))
    items = []
    for (name, version), (entry, when) in found.items():
        if is_pre_release(version):
            continue
        host = display_name(entry)
        part = clean(getattr(entry, "part_of", None))
        text = f"{clean(entry.name) or entry.id} is part of {host}." if part else ""
        items.append(NewsItem(_key("release", name, version), "release", when, f"{host} {version} released",
                              text, catalog.link(entry), "the release's upload time on PyPI",
                              (Ref("on PyPI", _release_url(name, version)),)))
    return items


def _event_text(kind: str, entry: Any, detail: Mapping[str, Any]) -> tuple[str, str, tuple[Ref, ...]] | None:
    """(title, text, refs) of one store event; None when its detail lacks what the item must say."""
    name = display_name(entry)
    repo = getattr(entry, "github_repo", None) or ""
    if kind in ("archived", "unarchived"):
        shown = clean(detail.get("repo"), 140) or repo
        what = "archived (read-only)" if kind == "archived" else "no longer archived"
        return (f"{name}: repository {kind}", f"GitHub shows {shown or 'its repository'} as {what}.",
                (Ref("repository", f"https://github.com/{quote(shown, safe='/')}"),) if shown else ())
    if kind == "renamed":
        to, was = clean(detail.get("to"), 140), clean(detail.get("from"), 140) or repo
        if not to:
            return None
        return (f"{name}: repository moved to {to}", f"GitHub answers for {was} under its new name {to}.",
                (Ref("repository", f"https://github.com/{quote(to, safe='/')}"),))
    version = clean(detail.get("version"), 60)
    pypi = getattr(entry, "pypi", None) or ""
    refs = (Ref("on PyPI", _release_url(pypi, version)),) if pypi and version else ()
    if kind == "inactive":
        on = f"its release {version}" if version else "its latest release"
        return (f"{name} marked inactive on PyPI",
                f"{on[0].upper()}{on[1:]} declares “Development Status :: 7 - Inactive”.", refs)
    if kind == "yanked" and version:
        return (f"{name} {version} yanked on PyPI", "PyPI no longer offers this release by default.", refs)
    return None


def event_items(catalog: _Catalog, events: Iterable[Mapping[str, Any]]) -> list[NewsItem]:
    """What the GitHub and PyPI refreshes saw change, for catalog projects only."""
    items: dict[tuple[str, str, str], NewsItem] = {}
    for event in events:
        kind = EVENT_KINDS.get(event.get("kind"))  # type: ignore[arg-type]
        detail = event.get("detail") if isinstance(event.get("detail"), dict) else {}
        entry = catalog.find(event.get("project"))
        if entry is None and kind == "renamed":  # the catalog already names the new repository
            entry = catalog.find(f"github:{detail.get('to')}")
        when = _day(event.get("at"))
        if kind is None or entry is None or when is None:
            continue
        said = _event_text(kind, entry, detail)
        if said is None:
            continue
        title, text, refs = said
        source = "GitHub" if str(event.get("project")).startswith("github:") else "PyPI"
        # a yanked version is news once; a flip (archived, unarchived, archived) each time
        stamp = clean(detail.get("version"), 60) if kind == "yanked" else str(int(when.timestamp()))
        project = str(event.get("project"))
        items.setdefault((kind, project, stamp or ""), NewsItem(
            _key(kind, project, stamp or ""), kind, when, title, text, catalog.link(entry),
            f"when the {source} refresh saw the change", refs))
    return list(items.values())


def status_items(catalog: _Catalog, changes: Iterable[StatusChange]) -> list[NewsItem]:
    """Statuses set in the catalog, each dated by the git commit that set it."""
    by_id = {e.id: e for e in catalog.entries}
    items = []
    for change in changes:
        entry = by_id.get(change.entry_id)
        words = STATUS_WORDS.get(change.status)
        if entry is None or words is None:
            continue
        name = clean(entry.name) or entry.id
        source = getattr(entry, "status_source", None)
        refs = (Ref("source", source),) if isinstance(source, str) and source.startswith("https://") else ()
        before = change.before or "maintained"
        items.append(NewsItem(_key("status", entry.id, change.commit[:12]), "status", change.when,
                              f"{name} {words}", f"Catalog status: {before} → {change.status}.",
                              catalog.link(entry), f"the git commit {change.commit[:12]} that set the status",
                              refs))
    return items


def collect(entries: Iterable[Any], *, pages: Mapping[str, str], events: Iterable[Mapping[str, Any]] = (),
            status_changes: Iterable[StatusChange] = (), now: float, days: float,
            max_items: int) -> list[NewsItem]:
    """Every news item dated within ``days`` before ``now`` (and not after it), newest first,
    at most ``max_items``; ``pages`` maps a catalog section to the page listing it."""
    catalog = _Catalog(entries, pages)
    events = list(events)
    items = (added_items(catalog) + release_items(catalog, events) + event_items(catalog, events)
             + status_items(catalog, status_changes))
    end = datetime.fromtimestamp(now, tz=UTC)
    start = end - timedelta(days=days)
    # a date after the build is not news yet (an added: date ahead of time, a clock gone wrong)
    kept = [i for i in items if start <= i.when <= end + timedelta(days=1)]
    order = list(KIND_LABELS)
    kept.sort(key=lambda i: (-i.when.timestamp(), order.index(i.kind), i.title))
    return _unique_keys(kept[:max(0, int(max_items))])


def _unique_keys(items: list[NewsItem]) -> list[NewsItem]:
    """Keys are anchors and feed ids: two items whose text slugs alike ("1.0" and "1-0") get -2."""
    seen: set[str] = set()
    out = []
    for item in items:
        key, n = item.key, 1
        while key in seen:
            n += 1
            key = f"{item.key}-{n}"
        seen.add(key)
        out.append(item if key == item.key else replace(item, key=key))
    return out


def changes_first(items: Iterable[NewsItem]) -> tuple[list[NewsItem], list[NewsItem]]:
    """(status changes, the rest), each in the items' order: the page lists the changes first."""
    items = list(items)
    return [i for i in items if i.kind in CHANGE_KINDS], [i for i in items if i.kind not in CHANGE_KINDS]


def by_month(items: Iterable[NewsItem]) -> list[tuple[str, str, list[NewsItem]]]:
    """(anchor "2026-11", heading "November 2026", items) in the items' order (newest first)."""
    months: dict[str, tuple[str, list[NewsItem]]] = {}
    for item in items:
        anchor = f"{item.when.year:04d}-{item.when.month:02d}"
        months.setdefault(anchor, (f"{MONTHS[item.when.month - 1]} {item.when.year}", []))[1].append(item)
    return [(anchor, heading, found) for anchor, (heading, found) in months.items()]
