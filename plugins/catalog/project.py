"""A page per project (``projects/<id>.html``), as caniuse has a page per feature: the project's own
words (summary, description), its vital signs, every fact of its kind with its source, its links,
and what to compare it with.

"Compare with" offers the generated side-by-side pages the project is in, then the projects of
its kind whose sourced answers agree with its own the most (``compare.most_alike``) among the
maintained and maintenance-only ones, in the default order on ties: side by side on the projects
page (``projects.html?compare=a,b``) for a project readers may still choose; for an unmaintained
or archived one, the same projects as maintained alternatives, linked to their own pages (the
projects page's inactive rows carry no fact cells to compare).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from linkcheck.catalog import Entry
from linkcheck.catalog.ranking import KindSection, status_rank

from .compare import Comparison, most_alike

# The folder of the generated pages: projects/celery.html
FOLDER = "projects"
# How many of the most alike projects a page offers beside its generated side-by-side pages.
ALIKE = 3


def page_url(entry: Entry) -> str:
    """The path of a project's page from the site root."""
    return f"{FOLDER}/{entry.id}.html"


@dataclass(frozen=True)
class ProjectPage:
    entry: Entry
    section: KindSection  # the projects page's section that lists it (its kind, or the inactive ones)
    comparisons: list[tuple[Entry, Comparison]] = field(default_factory=list)
    alike: list[Entry] = field(default_factory=list)  # the most alike without a generated page

    @property
    def url(self) -> str:
        return page_url(self.entry)

    @property
    def title(self) -> str:
        return self.entry.name

    @property
    def inactive(self) -> bool:
        return self.entry.archived


def project_pages(sections: Iterable[KindSection],
                  compare_of: Mapping[str, list[tuple[Entry, Comparison]]]) -> list[ProjectPage]:
    """One page per project of the projects page's ``sections`` (``ranking.kind_sections``), with
    its side-by-side pages (``compare.by_entry``) and up to ``ALIKE`` most alike projects that
    have no such page with it yet."""
    sections = list(sections)
    # candidates: projects a reader may choose, in the default order (ties keep it)
    pool = [e for s in sections if s.kind for e in s.entries if status_rank(e) < 2]
    pages = []
    for section in sections:
        for entry in section.entries:
            paired = compare_of.get(entry.id, [])
            taken = {other.id for other, _ in paired}
            alike = most_alike(entry, [e for e in pool if e.id not in taken], ALIKE)
            pages.append(ProjectPage(entry, section, list(paired), alike))
    return pages
