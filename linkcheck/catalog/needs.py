"""Which projects answer a reader's need, and why: the home page's "which queue for which need"
and the guide's "Choosing a Python task queue today" are both drawn from here.

A need is a kind of project and conditions on its sourced facts ("framework:django" and
"scheduling": a Django integration and periodic scheduling). The projects that meet it are the
maintained projects of that kind whose facts answer every condition yes, or partial (true with a
limit its note states). Their order (``ORDER``, the line the pages print):

1. how fully each answers the yes-or-no facts the need shows (its conditions and ``show``): more
   full yeses first, then more partial ones, so a queue the reader must work around comes after
   one that does it all;
2. then the default order of ``ranking`` (most PyPI downloads last month, else GitHub stars, else
   catalog order);
3. a project that is another's package for a framework (django-rq for RQ: the other's own
   ``frameworks`` fact names it in its note, "via django-rq") is not listed on its own when both
   meet the need, and is named with it ("with django-rq for Django", ``Match.via``) only where the
   need is about that framework;
4. a need whose text offers an option (``promise``: "database", only your database; or
   "hosting:library", a library with nothing to run beside it) shows one project meeting it among
   the first when any does: the best of them takes the last place shown.

Nothing else is judged here, so a list changes when the catalog's facts or the figures change and
stays empty without facts.

Pure functions over entries (``linkcheck.catalog.Entry`` or anything with the same fields).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from linkcheck.catalog.ranking import reader_order, status_rank
from linkcheck.catalog.schema import BOOLEAN_FACTS

# Brokers that are a database: a queue on one of these needs nothing you do not already run.
DATABASES = frozenset({"postgresql", "mysql", "sqlite", "mongodb", "django-db", "sqlalchemy"})


def fact(entry: Any, key: str) -> Any:
    facts = getattr(entry, "facts", None)
    return facts.get(key) if isinstance(facts, dict) else None


def answer(f: Any) -> str:
    """How a fact reads: "yes", "no", "partial", "list" (a list value) or "unknown" (no sourced
    fact): four different answers, never one dash for two of them."""
    return "unknown" if f is None else str(f.answer)


def list_values(entry: Any, key: str) -> list[str]:
    f = fact(entry, key)
    return list(f.value) if f is not None and isinstance(f.value, list | tuple) else []


def meets(entry: Any, atom: str) -> bool:
    """One condition of a need or filter: "broker:redis", "framework:django", "hosting:library",
    "database" (a database among its brokers) or a boolean fact answered yes or partial (true with
    a limit)."""
    if atom == "database":
        return bool(set(list_values(entry, "brokers")) & DATABASES)
    if atom.startswith("broker:"):
        return atom.split(":", 1)[1] in list_values(entry, "brokers")
    if atom.startswith("framework:"):
        return atom.split(":", 1)[1] in list_values(entry, "frameworks")
    if atom.startswith("hosting:"):
        return atom.split(":", 1)[1] in list_values(entry, "hosting")
    return answer(fact(entry, atom)) in ("yes", "partial")


def fact_key(atom: str) -> str:
    """The fact a condition reads: "broker:redis" and "database" read brokers."""
    if atom == "database" or atom.startswith("broker:"):
        return "brokers"
    if atom.startswith("framework:"):
        return "frameworks"
    if atom.startswith("hosting:"):
        return "hosting"
    return atom


@dataclass(frozen=True)
class Need:
    """A reader's need: the kind of project that answers it, the conditions (all of them), the
    further facts a reader weighs for it (``show``, e.g. what each needs to run), and the projects
    page's filter for it ("" when the filters cannot say it: the kind's section instead)."""

    key: str
    label: str
    atoms: tuple[str, ...]
    query: str = ""
    kind: str = "queue"
    show: tuple[str, ...] = ()
    promise: str = ""

    @property
    def facts(self) -> tuple[str, ...]:
        """The facts that make a project fit, then the ones weighed: each once, in that order."""
        return tuple(dict.fromkeys([fact_key(a) for a in self.atoms] + list(self.show)))

    @property
    def answered(self) -> tuple[str, ...]:
        """The yes-or-no facts among ``facts``: how fully a project answers these ranks it."""
        return tuple(k for k in self.facts if k in BOOLEAN_FACTS)


NEEDS: dict[str, Need] = {need.key: need for need in (
    # the home page's starting points (HOME), in its order
    Need("async-redis", "Tasks written as async def, on Redis", ("asyncio", "broker:redis"),
         "broker=redis&has=asyncio", show=("retries", "results")),
    Need("database", "No new infrastructure: the queue lives in your database", ("database",),
         "has=database", show=("scheduling", "monitoring")),
    Need("cron-redis", "Periodic (cron-like) jobs on Redis", ("scheduling", "broker:redis"),
         "broker=redis&has=scheduling"),
    Need("rabbitmq", "RabbitMQ with rate limits, results and a monitoring UI",
         ("broker:rabbitmq", "rate_limits", "results", "monitoring"),
         "broker=rabbitmq&has=rate_limits,results,monitoring", show=("priorities",)),
    Need("django", "Background tasks in a Django project, on a broker or only your database",
         ("framework:django",), "framework=django", promise="database"),
    Need("async", "Tasks written as async def", ("asyncio",), "has=asyncio",
         show=("retries", "results")),
    # the guide's further needs (reader journeys): one need, one kind of project
    Need("django-periodic", "Background jobs and a nightly job in a Django project",
         ("framework:django", "scheduling"), "framework=django&has=scheduling", show=("brokers",),
         promise="database"),
    Need("durable", "Long-running processes: retries across days, surviving deploys", ("durable",),
         kind="workflow", show=("hosting", "retries"), promise="hosting:library"),
    Need("timer", "Only a timer: run a function every hour inside your process", ("in_process",),
         kind="scheduler", show=("cron", "persistence")),
    Need("in-process", "Small work after the response, without a queue", (),
         kind="in-process", show=("persistence", "asyncio", "frameworks")),
)}
THEN: dict[str, str] = {"downloads": "then the most downloaded from PyPI last month",
                        "stars": "then the most GitHub stars"}


def order_line(basis: str) -> str:
    """Why the first projects of a need come first, as the home page and the guide print it, for
    the figures the order rests on (``ranking.order_basis``: "downloads", "stars" or none)."""
    then = THEN.get(basis, "then in catalog order (no download figures yet)")
    return (f"those answering more of the need's facts fully first, {then}; where a need offers "
            "only your database or a library alone, one such project is among the first")


HOME: tuple[str, ...] = ("async-redis", "database", "cron-redis", "rabbitmq", "django", "async")


@dataclass
class Match:
    """The projects that meet one need: the first ``limit`` of them (``entries``), how many in all,
    which of the shown ones meet it only partly, the maintenance-only projects that meet it too
    (named as such, never ranked with the maintained ones), and the queues a maintained scheduler
    add-on gives the periodic scheduling they lack (``add_ons``: (queue, [schedulers])), and the
    framework packages named with the project they belong to (``via``: its id -> [(framework,
    package)], e.g. "rq" -> [("django", django-rq)]), never listed on their own as well."""

    need: Need
    entries: list[Any]
    count: int
    partly: set[str] = field(default_factory=set)
    maintenance_only: list[Any] = field(default_factory=list)
    add_ons: list[tuple[Any, list[Any]]] = field(default_factory=list)
    via: dict[str, list[tuple[str, Any]]] = field(default_factory=dict)


def fullness(entry: Any, need: Need) -> tuple[int, int]:
    """The sort key of how fully ``entry`` answers the need's yes-or-no facts: more yeses first,
    then more partial answers (no and unknown count for nothing)."""
    answers = [answer(fact(entry, key)) for key in need.answered]
    return (-answers.count("yes"), -answers.count("partial"))


def framework_packages(entries: Iterable[Any]) -> dict[str, tuple[Any, str]]:
    """Package id -> (the project it belongs to, the framework): a project's own ``frameworks``
    fact names the package in its note ("via django-rq"), the package is a catalog project of the
    same kind, and it integrates that framework (one of the project's frameworks too)."""
    entries = list(entries)
    out: dict[str, tuple[Any, str]] = {}
    for parent in entries:
        f = fact(parent, "frameworks")
        note = str(getattr(f, "note", "") or "") if f is not None else ""
        if not note:
            continue
        for child in entries:
            if child is parent or getattr(child, "kind", None) != getattr(parent, "kind", None):
                continue
            named = re.search(rf"(?<![\w-]){re.escape(child.id)}(?![\w-])", note)
            shared = [v for v in list_values(child, "frameworks") if v in list_values(parent, "frameworks")]
            if named and shared:
                out.setdefault(child.id, (parent, shared[0]))
    return out


def _partly(entry: Any, atoms: Iterable[str]) -> bool:
    return any(answer(fact(entry, a)) == "partial" for a in atoms if fact_key(a) == a)


def _meets_all(entry: Any, atoms: Sequence[str]) -> bool:
    return all(meets(entry, atom) for atom in atoms)


def _add_ons(pool: list[Any], need: Need, schedulers: list[Any], limit: int) -> list[tuple[Any, list[Any]]]:
    """Queues that meet every condition but periodic scheduling, which they answer "no" (unknown is
    no answer), with the maintained schedulers whose `works_with` names them."""
    if "scheduling" not in need.atoms:
        return []
    rest = [a for a in need.atoms if a != "scheduling"]
    out = []
    for entry in pool:
        if answer(fact(entry, "scheduling")) != "no" or not _meets_all(entry, rest):
            continue
        helpers = [s for s in schedulers if entry.id in list_values(s, "works_with")]
        if helpers:
            out.append((entry, helpers))
    return out[:limit]


def match(entries: Iterable[Any], keys: Iterable[str] = HOME, *, limit: int = 3) -> list[Match]:
    """For each need in ``keys`` that some maintained project meets: its ``Match``. A need nobody
    meets is left out (no facts, nothing to say); an unknown key raises KeyError."""
    entries = list(entries)
    schedulers = reader_order(e for e in entries
                              if getattr(e, "kind", None) == "scheduler" and status_rank(e) == 0)
    packages = framework_packages(entries)
    out = []
    for key in keys:
        need = NEEDS[key]
        of_kind = [e for e in entries if getattr(e, "kind", None) == need.kind]
        pool = reader_order(e for e in of_kind if status_rank(e) == 0)
        found = [e for e in pool if _meets_all(e, need.atoms)]
        if not found:
            continue
        found.sort(key=lambda e: fullness(e, need))  # stable: the default order within each
        via: dict[str, list[tuple[str, Any]]] = {}
        ids = {e.id for e in found}
        for e in list(found):
            parent, framework = packages.get(e.id, (None, ""))
            if parent is not None and parent.id in ids:
                found.remove(e)
                # "with django-rq for Django" only where the need is about Django
                if f"framework:{framework}" in need.atoms:
                    via.setdefault(parent.id, []).append((framework, e))
        shown = found[:limit]
        if need.promise and shown and not any(meets(e, need.promise) for e in shown):
            kept_promise = next((e for e in found[limit:] if meets(e, need.promise)), None)
            if kept_promise is not None:
                shown = [*shown[:limit - 1], kept_promise]
        partly = {e.id for e in found if _partly(e, need.atoms)}
        kept = reader_order(e for e in of_kind if status_rank(e) == 1 and _meets_all(e, need.atoms))
        out.append(Match(need, shown, len(found), partly & {e.id for e in shown}, kept,
                         _add_ons(pool, need, schedulers, limit),
                         {k: v for k, v in via.items() if k in {e.id for e in shown}}))
    return out
