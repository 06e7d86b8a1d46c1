"""How projects are ordered and sectioned for readers (the projects page, the home page, the
comparisons): like with like, maintained and widely used first.

The default order (docs/site.md, "The default order"), within each kind of project:

1. maintained before maintenance-only (inactive projects have a section of their own, last);
2. then most PyPI downloads last month first;
3. then, for projects without a downloads figure, most GitHub stars first;
4. then catalog order.

A figure belongs to the thing it describes: an entry that is ``part_of`` a larger project
(django.tasks in Django, FastAPI's BackgroundTasks) has the host's repository and PyPI name, but
never the host's stars or downloads, so it ranks by its own merits: after the projects with
figures of their own. Pure functions over entries with the figures the site plugins attached
(``entry.github``, ``entry.downloads``; None before data exists: catalog order then).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from linkcheck.catalog.model import Entry, project_groups
from linkcheck.catalog.schema import (
    ARCHIVED_GROUP,
    ARCHIVED_GROUP_TITLE,
    CORE_FACTS,
    GROUP_KIND,
    KIND_FACTS,
    KINDS,
)

# Sections of the projects page in reading order: the task queues first, then what a reader may
# take for one (in-process background work is the alternative to a queue, so it comes next).
KIND_ORDER: tuple[str, ...] = ("queue", "in-process", "scheduler", "workflow", "monitoring")
assert set(KIND_ORDER) == set(KINDS), "every kind has its place on the page"


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def own_stars(entry: Any) -> int | None:
    """The entry's own GitHub stars; None without data or when the repository is its host's."""
    if getattr(entry, "part_of", None):
        return None
    github = getattr(entry, "github", None)
    return _count(github.get("stars")) if isinstance(github, dict) else None


def own_downloads(entry: Any) -> int | None:
    """The entry's own PyPI downloads of the last month; None without data or for a ``part_of`` entry."""
    if getattr(entry, "part_of", None):
        return None
    downloads = getattr(entry, "downloads", None)
    return _count(downloads.get("last_month")) if isinstance(downloads, dict) else None


def status_rank(entry: Any) -> int:
    """0 maintained, 1 maintenance-only, 2 unmaintained or archived (catalog status or GitHub flag)."""
    if getattr(entry, "archived", False):
        return 2
    return 1 if getattr(entry, "status", None) == "maintenance-only" else 0


def order_key(entry: Any) -> tuple[int, int, int, int, int]:
    downloads = own_downloads(entry)
    stars = own_stars(entry)
    return (status_rank(entry),
            0 if downloads is not None else 1, -(downloads or 0),
            0 if stars is not None else 1, -(stars or 0))


def reader_order(entries: Iterable[Any]) -> list[Any]:
    """The default order (module docstring); sorted() is stable, so ties keep catalog order."""
    return sorted(entries, key=order_key)


def order_basis(entries: Iterable[Any]) -> str:
    """What the order rests on for these entries: "downloads", "stars" or "" (catalog order): the
    page says only what applies, never a rule with no data behind it."""
    entries = list(entries)
    if any(own_downloads(e) is not None for e in entries):
        return "downloads"
    if any(own_stars(e) is not None for e in entries):
        return "stars"
    return ""


@dataclass(frozen=True)
class KindSection:
    """One section of the projects page: the entries of one kind (or the inactive ones), in the
    default order, and the fact columns they are compared on."""

    key: str  # a schema.KINDS key, or ARCHIVED_GROUP
    title: str
    entries: list[Entry]
    facts: tuple[str, ...]  # fact keys shown as columns, in schema order
    core: tuple[str, ...]  # the kind's core facts: always shown, "unknown" where missing

    @property
    def kind(self) -> str | None:
        return None if self.key == ARCHIVED_GROUP else self.key


def kind_sections(entries: Sequence[Entry]) -> list[KindSection]:
    """The projects by kind (KIND_ORDER), each in the default order, then the inactive projects.

    A kind's columns are its core facts plus every further fact of the kind that at least one of
    its entries answers (a column nobody answers would only say "unknown" down the page).
    """
    by_kind: dict[str, list[Entry]] = {kind: [] for kind in KIND_ORDER}
    inactive: list[Entry] = []
    for group in project_groups(entries):
        if group.key == ARCHIVED_GROUP:
            inactive = group.entries
        else:
            by_kind[GROUP_KIND[group.key]].extend(group.entries)
    sections = []
    for kind, members in by_kind.items():
        if not members:
            continue
        core = CORE_FACTS[kind]
        shown = tuple(k for k in KIND_FACTS[kind] if k in core or any(k in e.facts for e in members))
        sections.append(KindSection(kind, KINDS[kind], reader_order(members), shown, core))
    if inactive:
        sections.append(KindSection(ARCHIVED_GROUP, ARCHIVED_GROUP_TITLE, reader_order(inactive), (), ()))
    return sections
