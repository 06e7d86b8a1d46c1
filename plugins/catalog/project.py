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
natively and retry in full for in-process work (the alternative its kind names), ranked as the
guide ranks a need; the maintained queues with the same framework integration for a queue that
builds on another or has only test backends (the guide's Django need); the queue a scheduler or
monitoring tool serves, with its own fact of that kind (RQ's built-in scheduler); the top
maintained projects of its group for a project without facts. A project that builds on another
says so ("Builds on: RQ") with the base's side-by-side pages. "Works with it" lists the catalog
projects that name it (``works_with``, ``builds_on``): its schedulers, dashboards and wrappers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from linkcheck.catalog import Entry, Fact
from linkcheck.catalog import needs as _needs
from linkcheck.catalog.ranking import KindSection, status_rank
from linkcheck.catalog.schema import GROUPS, fact_label

from .compare import (
    TEST_ONLY,
    YES_PHRASES,
    Comparison,
    join_or,
    mid_sentence,
    most_alike,
    related,
    short_name,
)

# The folder of the generated pages: projects/celery.html
FOLDER = "projects"
# How many of the most alike projects a page offers beside its generated side-by-side pages.
ALIKE = 3
# How many maintained async-native queues an in-process project's page offers instead.
FALLBACK = 5
# In-process work's alternative, ranked as the guide ranks a need: native asyncio, then how fully
# each retries and keeps results (a queue whose retries are not "yes" is no alternative).
IN_PROCESS_NEED = _needs.Need("in-process-alternative", "Tasks written as async def, retried",
                              ("asyncio",), show=("retries", "results"))
# The fact of the served queue a scheduler or monitoring tool stands in for: rq-scheduler -> RQ's
# periodic scheduling, dramatiq_dashboard -> Dramatiq's own monitoring.
SERVED_FACT = {"scheduler": "scheduling", "monitoring": "monitoring"}
# The facts that define what a project of a kind is for: where none of its suggestions has one it
# has, the page says so (rq-exporter's Prometheus metrics, which rq-dashboard lacks).
DEFINING = {"monitoring": ("monitoring", "metrics")}


def page_url(entry: Entry) -> str:
    """The path of a project's page from the site root."""
    return f"{FOLDER}/{entry.id}.html"


@dataclass(frozen=True)
class ProjectPage:
    entry: Entry
    section: KindSection  # the projects page's section that lists it (its kind, or the inactive ones)
    comparisons: list[tuple[Entry, Comparison]] = field(default_factory=list)
    alike: list[Entry] = field(default_factory=list)  # the most alike without a generated page
    # where nothing is alike: what else a reader can use, and why ("async", "framework" or "group";
    # "" for none)
    fallback: list[Entry] = field(default_factory=list)
    fallback_reason: str = ""
    works_with_it: list[Entry] = field(default_factory=list)  # projects that name it: add-ons, wrappers
    base: Entry | None = None  # the project it builds on (builds_on), with that one's side-by-side pages
    base_comparisons: list[tuple[Entry, Comparison]] = field(default_factory=list)
    # where nothing is alike: the queue it serves and that queue's own fact of its kind, if answered
    served: tuple[Entry, Fact] | None = None

    @property
    def url(self) -> str:
        return page_url(self.entry)

    @property
    def title(self) -> str:
        return self.entry.name

    @property
    def group_title(self) -> str:
        return GROUPS.get(self.entry.group or "", "projects")

    def short(self, entry: Entry) -> str:
        """A project's name without its parenthesis ("RQ" for "RQ (Redis Queue)")."""
        return short_name(entry)

    @property
    def served_label(self) -> str:
        """The served queue's fact, inside a sentence: "monitoring UI", "periodic scheduling"."""
        if self.served is None:
            return ""
        queue, fact = self.served
        return mid_sentence(fact_label(fact.key, queue.kind))

    @property
    def lacking(self) -> str:
        """What defines it (DEFINING) that every suggestion answers no, as a phrase: "Prometheus
        metrics"; "" where a suggestion has it, or leaves it unknown."""
        keys = [k for k in DEFINING.get(self.entry.kind or "", ())
                if _answer(self.entry, k) == "yes" and self.alike
                and all(_answer(other, k) == "no" for other in self.alike)]
        return join_or([YES_PHRASES[k] for k in keys], "or")

    @property
    def wants_alternatives(self) -> bool:
        """Maintenance-only, unmaintained or archived: readers want a maintained alternative."""
        return status_rank(self.entry) > 0


def works_with_it(entry: Entry, projects: Iterable[Entry]) -> list[Entry]:
    """The projects that name ``entry`` in their ``works_with`` or ``builds_on``, in catalog order."""
    return [other for other in projects if other.id != entry.id
            and (other.builds_on == entry.id
                 or entry.id in _needs.list_values(other, "works_with"))]


def _answer(entry: Entry, key: str) -> str:
    return _needs.answer(_needs.fact(entry, key))


def dead_end(entry: Entry) -> bool:
    """A queue that builds on another or whose only brokers are test backends (django-tasks, its
    in-memory backend): no broker to be alike on."""
    brokers = entry.facts.get("brokers")
    only_tests = brokers is not None and brokers.answer == "list" and set(brokers.values) <= TEST_ONLY
    return entry.kind == "queue" and (bool(entry.builds_on) or only_tests)


def fallback(entry: Entry, maintained: list[Entry],
             everyone: list[Entry] | None = None) -> tuple[list[Entry], str]:
    """What to offer where nothing is alike enough: for in-process work, the maintained queues that
    run async def natively and retry in full, the fullest answers on retries and results first
    (the guide's ranking, ``needs.fullness``); for a queue that builds on another or has only test
    backends, the guide's own list for its framework (``needs.match``: the Django need), less its
    companions; for a project without facts, the top maintained projects of its group.
    ``maintained`` is in the default order; ``everyone`` (default: ``maintained``) serves
    ``needs.match``, which picks the maintained queues itself."""
    if entry.kind == "in-process":
        native = [e for e in maintained if e.kind == "queue" and _answer(e, "asyncio") == "yes"
                  and _answer(e, "retries") == "yes"]
        native.sort(key=lambda e: _needs.fullness(e, IN_PROCESS_NEED))  # stable: default order within
        return native[:FALLBACK], "async"
    if dead_end(entry):
        frameworks = _needs.list_values(entry, "frameworks")
        if "django" in frameworks:
            found = _needs.match(everyone if everyone is not None else maintained, ["django"],
                                 limit=FALLBACK + 3)
            offered = [e for m in found for e in m.entries
                       if e.id != entry.id and e.id != entry.builds_on and not related(entry, e)]
            if offered:
                return offered[:FALLBACK], "framework"
    if not entry.facts:
        return [e for e in maintained if e.group == entry.group and e.id != entry.id][:ALIKE], "group"
    return [], ""


def served(entry: Entry, projects: Mapping[str, Entry]) -> tuple[Entry, Fact] | None:
    """A scheduler's or monitoring tool's queue (its first ``works_with`` in the catalog) and that
    queue's own fact of the same job, where it answers yes or in part: RQ's built-in scheduler for
    rq-scheduler, Dramatiq's Grafana dashboard for dramatiq_dashboard."""
    key = SERVED_FACT.get(entry.kind or "")
    if key is None:
        return None
    for qid in _needs.list_values(entry, "works_with"):
        queue = projects.get(qid)
        fact = queue.facts.get(key) if queue is not None else None
        if fact is not None and fact.answer in ("yes", "partial"):
            return queue, fact
    return None


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
    by_id = {e.id: e for e in everyone}
    pages = []
    for section in sections:
        for entry in section.entries:
            paired = compare_of.get(entry.id, [])
            taken = {other.id for other, _ in paired}
            candidates = maintained if status_rank(entry) > 0 else pool
            alike = most_alike(entry, candidates, ALIKE, skip=taken)
            extra, reason = ([], "") if alike or paired else fallback(entry, maintained, everyone)
            base = by_id.get(entry.builds_on or "")
            # the base's side-by-side pages with maintained projects: the ones a reader may move to
            base_pairs = [(o, c) for o, c in compare_of.get(base.id, [])
                          if o.id != entry.id and status_rank(o) == 0] if base else []
            pages.append(ProjectPage(entry, section, list(paired), alike, extra, reason,
                                     works_with_it(entry, everyone), base, base_pairs,
                                     None if alike or paired or extra else served(entry, by_id)))
    return pages
