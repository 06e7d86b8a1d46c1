"""A page per project (``projects/<id>.html``), as caniuse has a page per feature: the project's own
words (summary, description), its vital signs, every fact of its kind with its source, its links,
and what to compare it with.

"Compare with" offers the generated side-by-side pages the project is in, then the projects of
its kind most like it (``compare.most_alike``: same brokers for a queue, same queue for a scheduler
or monitoring tool, never a companion that wraps or extends it), side by side on the projects page
(``projects.html?compare=a,b``; without JavaScript, the other project's page). A maintenance-only,
unmaintained or archived project gets "Maintained alternatives" instead, drawn from the maintained
projects only and linked to their own pages. Where no project is alike enough, the page says so
in a line, or falls back to a list a reader can use: the maintained queues that run async def
natively for in-process work (the alternative its kind names), the top maintained projects of
its group for a project without facts. "Works with it" lists the catalog projects that name it
(``works_with``, ``builds_on``): its schedulers, dashboards and wrappers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from linkcheck.catalog import Entry
from linkcheck.catalog.ranking import KindSection, status_rank
from linkcheck.catalog.schema import GROUPS

from .compare import Comparison, most_alike, short_name

# The folder of the generated pages: projects/celery.html
FOLDER = "projects"
# How many of the most alike projects a page offers beside its generated side-by-side pages.
ALIKE = 3
# How many maintained async-native queues an in-process project's page offers instead.
FALLBACK = 5


def page_url(entry: Entry) -> str:
    """The path of a project's page from the site root."""
    return f"{FOLDER}/{entry.id}.html"


@dataclass(frozen=True)
class ProjectPage:
    entry: Entry
    section: KindSection  # the projects page's section that lists it (its kind, or the inactive ones)
    comparisons: list[tuple[Entry, Comparison]] = field(default_factory=list)
    alike: list[Entry] = field(default_factory=list)  # the most alike without a generated page
    # where nothing is alike: what else a reader can use, and why ("async" or "group"; "" for none)
    fallback: list[Entry] = field(default_factory=list)
    fallback_reason: str = ""
    works_with_it: list[Entry] = field(default_factory=list)  # projects that name it: add-ons, wrappers

    @property
    def url(self) -> str:
        return page_url(self.entry)

    @property
    def title(self) -> str:
        return self.entry.name

    @property
    def inactive(self) -> bool:
        return self.entry.archived

    @property
    def group_title(self) -> str:
        return GROUPS.get(self.entry.group or "", "projects")

    def short(self, entry: Entry) -> str:
        """A project's name without its parenthesis ("RQ" for "RQ (Redis Queue)")."""
        return short_name(entry)

    @property
    def wants_alternatives(self) -> bool:
        """Maintenance-only, unmaintained or archived: readers want a maintained alternative."""
        return status_rank(self.entry) > 0


def _names(entry: Entry, key: str) -> bool:
    fact = entry.facts.get(key)
    return fact is not None and fact.answer == "list"


def works_with_it(entry: Entry, projects: Iterable[Entry]) -> list[Entry]:
    """The projects that name ``entry`` in their ``works_with`` or ``builds_on``, in catalog order."""
    return [other for other in projects if other.id != entry.id
            and (other.builds_on == entry.id
                 or (_names(other, "works_with") and entry.id in other.facts["works_with"].values))]


def fallback(entry: Entry, maintained: list[Entry]) -> tuple[list[Entry], str]:
    """What to offer where nothing is alike enough: for in-process work, the maintained queues that
    run async def natively (the alternative its kind names); for a project without facts, the top
    maintained projects of its group. ``maintained`` is in the default order."""
    if entry.kind == "in-process":
        native = [e for e in maintained if e.kind == "queue" and
                  (f := e.facts.get("asyncio")) is not None and f.answer == "yes"]
        return native[:FALLBACK], "async"
    if not entry.facts:
        return [e for e in maintained if e.group == entry.group and e.id != entry.id][:ALIKE], "group"
    return [], ""


def project_pages(sections: Iterable[KindSection],
                  compare_of: Mapping[str, list[tuple[Entry, Comparison]]]) -> list[ProjectPage]:
    """One page per project of the projects page's ``sections`` (``ranking.kind_sections``), with
    its side-by-side pages (``compare.by_entry``), up to ``ALIKE`` most alike projects that have
    no such page with it yet (maintained ones only for a project readers should move away from),
    the fallback where there are none, and the projects that work with it."""
    sections = list(sections)
    everyone = sorted((e for s in sections for e in s.entries), key=lambda e: (e.path.name, e.line))
    # candidates: projects a reader may choose, in the default order
    pool = [e for s in sections if s.kind for e in s.entries if status_rank(e) < 2]
    maintained = [e for e in pool if status_rank(e) == 0]
    pages = []
    for section in sections:
        for entry in section.entries:
            paired = compare_of.get(entry.id, [])
            taken = {other.id for other, _ in paired}
            candidates = maintained if status_rank(entry) > 0 else pool
            alike = most_alike(entry, candidates, ALIKE, skip=taken)
            extra, reason = ([], "") if alike or paired else fallback(entry, maintained)
            pages.append(ProjectPage(entry, section, list(paired), alike, extra, reason,
                                     works_with_it(entry, everyone)))
    return pages
