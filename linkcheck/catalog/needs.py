"""Which projects answer a reader's need, and why: the home page's "which queue for which need"
and the guide's "Choosing a Python task queue today" are both drawn from here.

A need is a kind of project and conditions on its sourced facts ("framework:django" and
"scheduling": a Django integration and periodic scheduling). The projects that meet it are the
maintained projects of that kind whose facts answer every condition yes, or partial (true with a
limit its note states): full answers first, then the default order of ``ranking`` (most PyPI
downloads last month, else GitHub stars, else catalog order). Nothing else is judged here, so a
list changes when the catalog's facts or the figures change and stays empty without facts.

Pure functions over entries (``linkcheck.catalog.Entry`` or anything with the same fields).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from linkcheck.catalog.ranking import reader_order, status_rank

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
    """One condition of a need or filter: "broker:redis", "framework:django", "database" (a
    database among its brokers) or a boolean fact answered yes or partial (true with a limit)."""
    if atom == "database":
        return bool(set(list_values(entry, "brokers")) & DATABASES)
    if atom.startswith("broker:"):
        return atom.split(":", 1)[1] in list_values(entry, "brokers")
    if atom.startswith("framework:"):
        return atom.split(":", 1)[1] in list_values(entry, "frameworks")
    return answer(fact(entry, atom)) in ("yes", "partial")


def fact_key(atom: str) -> str:
    """The fact a condition reads: "broker:redis" and "database" read brokers."""
    if atom == "database" or atom.startswith("broker:"):
        return "brokers"
    if atom.startswith("framework:"):
        return "frameworks"
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

    @property
    def facts(self) -> tuple[str, ...]:
        """The facts that make a project fit, then the ones weighed: each once, in that order."""
        return tuple(dict.fromkeys([fact_key(a) for a in self.atoms] + list(self.show)))


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
    Need("django", "Background tasks in a Django project", ("framework:django",), "framework=django"),
    Need("async", "Tasks written as async def", ("asyncio",), "has=asyncio"),
    # the guide's further needs (reader journeys): one need, one kind of project
    Need("django-periodic", "Background jobs and a nightly job in a Django project",
         ("framework:django", "scheduling"), "framework=django&has=scheduling", show=("brokers",)),
    Need("durable", "Long-running processes: retries across days, surviving deploys", ("durable",),
         kind="workflow", show=("hosting", "retries")),
    Need("timer", "Only a timer: run a function every hour inside your process", ("in_process",),
         kind="scheduler", show=("cron", "persistence")),
    Need("in-process", "Small work after the response, without a queue", (),
         kind="in-process", show=("persistence", "asyncio", "frameworks")),
)}
HOME: tuple[str, ...] = ("async-redis", "database", "cron-redis", "rabbitmq", "django", "async")


@dataclass
class Match:
    """The projects that meet one need: the first ``limit`` of them (``entries``), how many in all,
    which of the shown ones meet it only partly, the maintenance-only projects that meet it too
    (named as such, never ranked with the maintained ones), and the queues a maintained scheduler
    add-on gives the periodic scheduling they lack (``add_ons``: (queue, [schedulers]))."""

    need: Need
    entries: list[Any]
    count: int
    partly: set[str] = field(default_factory=set)
    maintenance_only: list[Any] = field(default_factory=list)
    add_ons: list[tuple[Any, list[Any]]] = field(default_factory=list)


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
    out = []
    for key in keys:
        need = NEEDS[key]
        of_kind = [e for e in entries if getattr(e, "kind", None) == need.kind]
        pool = reader_order(e for e in of_kind if status_rank(e) == 0)
        found = [e for e in pool if _meets_all(e, need.atoms)]
        if not found:
            continue
        partly = {e.id for e in found if _partly(e, need.atoms)}
        found.sort(key=lambda e: e.id in partly)  # stable: the default order within each
        shown = found[:limit]
        kept = reader_order(e for e in of_kind if status_rank(e) == 1 and _meets_all(e, need.atoms))
        out.append(Match(need, shown, len(found), partly & {e.id for e in shown}, kept,
                         _add_ons(pool, need, schedulers, limit)))
    return out
