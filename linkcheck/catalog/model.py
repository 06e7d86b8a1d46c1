"""The catalog's data model: entries, their sourced facts, the whole catalog.

Plain Python (no Pelican, no YAML): the site plugins, the link collector and the
GitHub refresher all see entries through these classes. ``linkcheck.catalog.load``
builds them from the YAML files and guarantees every rule of the schema.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import markdown

from linkcheck.catalog.schema import (
    ARCHIVED_GROUP,
    ARCHIVED_GROUP_TITLE,
    CORE_FACTS,
    FACT_LABELS,
    GROUPS,
    INACTIVE_STATUSES,
    KIND_FACTS,
    PARTIAL,
    PROTOCOL_LABELS,
    RESOURCE_TOPICS,
    SECTION_FACTS,
    SECTIONS,
    VALUE_LABELS,
    fact_label,
    kind_of,
    ruled_out_by,
)

if TYPE_CHECKING:
    from linkcheck.metadata.vitality import Sign

_GITHUB_REPO_RE = re.compile(r"^https://github\.com/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(?:\.git)?/?$")
# Link targets in rendered description HTML (inline links, images, references, autolinks).
_HREF_RE = re.compile(r'\b(?:href|src)="([^"]*)"')
_DEFAULT_PORTS = {"http": 80, "https": 443}
# CatalogWarning.kind of a plain http:// link: common and harmless, so the site build
# sums them up in one line and `python -m linkcheck lint-content` lists them.
PLAIN_HTTP = "plain-http"
# A project's page lists every fact of its kind; from this many unknown ones on, it names them on
# one line ("Not yet sourced: A, B, C") instead of a column of "unknown" rows.
FOLD_UNKNOWN_AT = 3


@dataclass(frozen=True)
class CatalogWarning:
    path: Path
    line: int
    message: str
    display_path: str = ""
    kind: str = ""  # PLAIN_HTTP, or "" for the others

    def __str__(self) -> str:
        return f"{self.display_path or self.path}:{self.line}: {self.message}"


class CatalogError(Exception):
    """A fatal catalog problem: ``str()`` is ``"path:line: message (how to fix)"``."""

    def __init__(self, path: Path, line: int, message: str, fix: str = "", display_path: str = "") -> None:
        self.path = path
        self.line = line
        self.message = message
        self.fix = fix
        self.display_path = display_path or str(path)
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"{self.display_path}:{self.line}: {self.message}"
        return f"{text} ({self.fix})" if self.fix else text


@dataclass(frozen=True)
class Fact:
    """One sourced claim about an entry, e.g. brokers = [redis, rabbitmq] per <docs URL#anchor>.

    ``value`` is a bool or ``"partial"`` (true with a limit, stated in ``note``) for boolean
    facts, and a tuple of strings for list facts. A missing fact is "unknown", never "no":
    ``False`` is a sourced answer like ``True``.
    ``line`` is the fact's line in the YAML file, ``source_line`` the line of its source URL.
    """

    key: str
    value: bool | str | tuple[str, ...]
    source: str
    note: str | None
    line: int
    source_line: int

    @property
    def label(self) -> str:
        return FACT_LABELS.get(self.key, self.key)

    @property
    def is_list(self) -> bool:
        return isinstance(self.value, tuple)

    @property
    def values(self) -> tuple[str, ...]:
        """The list value (empty for a boolean fact)."""
        return self.value if isinstance(self.value, tuple) else ()

    @property
    def answer(self) -> str:
        """"yes", "no" or "partial" for a boolean fact; "list" for a list fact."""
        if isinstance(self.value, tuple):
            return "list"
        if self.value == PARTIAL:
            return "partial"
        return "yes" if self.value else "no"

    def value_labels(self) -> list[str]:
        """The value as readers see it: "yes"/"no"/"partial", or each list item's label (RabbitMQ...)."""
        if not isinstance(self.value, tuple):
            return [self.answer]
        labels = {**VALUE_LABELS, **PROTOCOL_LABELS} if self.key == "protocols" else VALUE_LABELS
        return [labels.get(v, v) for v in self.value]


# (key, label, fact or None: unknown), one row of a project's facts
FactRow = tuple[str, str, Fact | None]


@dataclass(frozen=True)
class EntryLink:
    """One external URL of an entry and what it backs: a field, or a fact (``fact`` set)."""

    url: str
    line: int
    field: str  # "url", "repo", "description", "pypi", "status_source" or "facts"
    fact: str | None = None  # fact key, or "status" for status_source


@dataclass(eq=False)
class Entry:
    id: str
    section: str
    name: str
    url: str
    description: str
    repo: str | None
    path: Path
    line: int
    field_lines: dict[str, int] = field(default_factory=dict)
    group: str | None = None  # projects: one of schema.GROUPS
    status: str | None = None  # projects: None (maintained as far as we know) or one of schema.STATUSES
    status_source: str | None = None
    pypi: str | None = None  # normalised PyPI name
    # projects: the larger project this one is a feature of ("Django"); its repo and pypi are the
    # host's, so the host's stars and downloads are never shown as this entry's own
    part_of: str | None = None
    # projects: the id of the catalog project this one wraps, extends or backports (django-rq: rq);
    # never offered as its alternative, and listed on its page as working with it
    builds_on: str | None = None
    summary: str | None = None  # one plain-text line
    added: date | None = None  # None: from the original guide
    facts: dict[str, Fact] = field(default_factory=dict)  # in schema.SECTION_FACTS order
    year: int | None = None  # resources (required), examples (optional)
    type: str | None = None  # resources: one of schema.RESOURCE_TYPES
    topic: str | None = None  # resources: one of schema.RESOURCE_TOPICS
    # The site's own page of this entry from the site root ("projects/rq.html"), set by the catalog
    # plugin before catalog_loaded; None: the entry is shown only in its section's list.
    page_url: str | None = None
    # Filled by other plugins through the catalog_loaded signal; None = no data yet.
    health: dict[str, Any] | None = None
    github: dict[str, Any] | None = None
    pypi_release: dict[str, Any] | None = None  # plugins/github_data, from the store's PyPI data
    # plugins/github_data: PyPI downloads of the last month ({"last_month": int, "fetched_at": float})
    downloads: dict[str, Any] | None = None
    # plugins/github_data: signs of life from GitHub and PyPI data (metadata/vitality.py); empty
    # when there is no data or nothing to say
    signs: list[Sign] = field(default_factory=list)

    @property
    def github_repo(self) -> str | None:
        if not self.repo:
            return None
        match = _GITHUB_REPO_RE.match(self.repo)
        return f"{match.group(1)}/{match.group(2)}" if match else None

    @property
    def description_html(self) -> str:
        return render_inline(self.description)

    @property
    def from_seed(self) -> bool:
        """True for entries of the original guide (no ``added`` date)."""
        return self.added is None

    @property
    def kind(self) -> str | None:
        """schema.KINDS key of a project's group ("queue", "scheduler", ...); None for other sections."""
        return kind_of(self.group)

    @property
    def archived(self) -> bool:
        """Unmaintained or archived: by the catalog's ``status``, or GitHub's archived flag once fetched.
        A maintenance-only project is not: it still gets fixes and releases."""
        return self.status in INACTIVE_STATUSES or bool(self.github and self.github.get("archived"))

    @property
    def pypi_url(self) -> str | None:
        return f"https://pypi.org/project/{self.pypi}/" if self.pypi else None

    def fact(self, key: str) -> Fact | None:
        return self.facts.get(key)

    def fact_keys(self) -> tuple[str, ...]:
        """The fact keys of this entry's kind (projects) or section, in display order."""
        kind = self.kind
        return KIND_FACTS[kind] if kind else SECTION_FACTS[self.section]

    def applies(self, key: str) -> bool:
        """False when another of this entry's answers rules fact ``key`` out (schema.NOT_APPLICABLE:
        whose tasks a scheduler schedules, when it runs plain callables in your process)."""
        return ruled_out_by(self.kind, key, self.facts) is None

    def fact_rows(self) -> list[FactRow]:
        """(key, label, fact or None) for every fact key of this entry's kind (or section) that applies
        to it, in schema order; None is "unknown", which readers see as such (never as "no")."""
        return [(key, fact_label(key, self.kind), self.facts.get(key))
                for key in self.fact_keys() if self.applies(key)]

    def fact_table(self, fold_at: int = FOLD_UNKNOWN_AT) -> tuple[list[FactRow], list[str]]:
        """The rows of the project's own page and the labels left off them: with ``fold_at`` or more
        unknown facts, the rows are the answered ones and the unknown ones are named apart (one
        line, not a column of "unknown"); otherwise every row, unknown ones included, and no label."""
        rows = self.fact_rows()
        unknown = [label for _, label, fact in rows if fact is None]
        if len(unknown) < fold_at:
            return rows, []
        return [row for row in rows if row[2] is not None], unknown

    def unknown_core_facts(self) -> list[str]:
        """The core facts of this project's kind that apply to it and the catalog does not answer yet."""
        return [key for key in CORE_FACTS.get(self.kind or "", ())
                if key not in self.facts and self.applies(key)]

    def description_links(self) -> list[str]:
        return [html.unescape(url) for url in _HREF_RE.findall(self.description_html)]

    def link_items(self) -> list[EntryLink]:
        """Every external URL with the line it is written on and the field or fact it backs."""
        lines = self.field_lines
        items = [EntryLink(self.url, lines.get("url", self.line), "url")]
        if self.repo:
            items.append(EntryLink(self.repo, lines.get("repo", self.line), "repo"))
        items += [EntryLink(u, lines.get("description", self.line), "description")
                  for u in self.description_links()]
        if self.pypi:
            items.append(EntryLink(self.pypi_url or "", lines.get("pypi", self.line), "pypi"))
        if self.status_source:
            items.append(EntryLink(self.status_source, lines.get("status_source", self.line),
                                   "status_source", "status"))
        items += [EntryLink(f.source, f.source_line, "facts", f.key) for f in self.facts.values()]
        return items

    def links(self) -> list[str]:
        """Every external URL this entry shows: url, repo, description links, PyPI page, status and
        fact sources (the link checker checks them all, #anchors included)."""
        return list(dict.fromkeys(item.url for item in self.link_items()))

    def __repr__(self) -> str:
        return f"Entry({self.id!r}, section={self.section!r}, url={self.url!r})"


@dataclass(frozen=True)
class Group:
    """A titled run of entries on a page: a project group or a reading-list topic."""

    key: str
    title: str
    entries: list[Entry]


@dataclass
class Catalog:
    entries: list[Entry] = field(default_factory=list)
    warnings: list[CatalogWarning] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    def section(self, name: str) -> list[Entry]:
        if name not in SECTIONS:
            raise KeyError(f"unknown catalog section {name!r}; known: {', '.join(SECTIONS)}")
        return [e for e in self.entries if e.section == name]

    def get(self, entry_id: str) -> Entry | None:
        return next((e for e in self.entries if e.id == entry_id), None)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


def project_groups(entries: Iterable[Entry]) -> list[Group]:
    """Projects by kind in schema order, file order within a group, then "Archived / unmaintained".

    Empty groups are left out. An entry counts as archived by its ``status`` or, once GitHub
    data is attached, by the repository's archived flag; it keeps its ``group`` either way.
    """
    entries = list(entries)
    groups = [Group(key, title, [e for e in entries if e.group == key and not e.archived])
              for key, title in GROUPS.items()]
    groups.append(Group(ARCHIVED_GROUP, ARCHIVED_GROUP_TITLE, [e for e in entries if e.archived]))
    return [g for g in groups if g.entries]


def resource_topics(entries: Iterable[Entry]) -> list[Group]:
    """The reading list by topic in schema order; newest first within a topic (file order on ties)."""
    entries = list(entries)
    groups = []
    for key, title in RESOURCE_TOPICS.items():
        chosen = [e for e in entries if e.topic == key]
        # sorted() is stable: entries of the same year keep their file order
        chosen = sorted(chosen, key=lambda e: -(e.year or 0))
        if chosen:
            groups.append(Group(key, title, chosen))
    return groups


def render_inline(text: str) -> str:
    """Inline Markdown to HTML with every HTML special character of the source escaped.

    Escaping first means raw HTML in a description shows as text, never as markup.
    """
    rendered = _render_block(text)
    if rendered.startswith("<p>") and rendered.endswith("</p>"):
        rendered = rendered[3:-4]
    return rendered


def _markdown() -> markdown.Markdown:
    """Markdown with raw HTML switched off: tags in a description are text, escaped once
    by the serializer (escaping the source first escaped code spans twice: `a < b`
    showed as "a &lt; b")."""
    md = markdown.Markdown(output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


_LOCAL = threading.local()  # a Markdown instance is not thread-safe


def _render_block(text: str) -> str:
    md = getattr(_LOCAL, "md", None)
    if md is None:
        md = _LOCAL.md = _markdown()
    return md.reset().convert(text)


def is_inline(text: str) -> bool:
    """True when ``text`` renders as one paragraph (no list, heading, quote or code block)."""
    rendered = _render_block(text)
    return rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1


def is_plain(text: str) -> bool:
    """True when ``text`` renders as itself: no Markdown emphasis, link, code or HTML."""
    return render_inline(text) == html.escape(text, quote=False)


def normalize_url(url: str) -> str:
    """The identity of a page for duplicate detection.

    Ignores scheme, a leading ``www.``, a default port, a trailing slash and the fragment.
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    host = host.removeprefix("www.")
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is not None and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"{host}:{port}"
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def normalize_pypi(name: str) -> str:
    """PEP 503 normalised project name: lower case, runs of -, _ and . become one -."""
    return re.sub(r"[-_.]+", "-", name).lower()


GITHUB_REPO_RE = _GITHUB_REPO_RE
