"""The hosted services by what they take off your servers, for the hosted services page.

A service's kind is read off its sourced facts, never set by hand, so a card moves when its facts
change:

1. ``workflow``: its ``works_with`` names a workflow or durable-execution engine of the catalog
   (the service runs that engine's server; your workers connect to it);
2. ``redis``: it speaks the Redis protocol (a managed Redis or Valkey: the broker of a Redis queue);
3. ``amqp``: it speaks AMQP 0-9-1 (a managed RabbitMQ or AMQP broker);
4. ``cloud-queue``: a cloud provider's own queue API (SQS, Pub/Sub, and Azure Service Bus's AMQP 1.0,
   which RabbitMQ clients cannot speak: a queue reaches it only through its own transport);
5. ``http-push``: it pushes each message to your HTTP endpoint (no worker process of yours);
6. ``other``: none of these (serverless compute that runs your functions).

The page lists the kinds in ``KINDS`` order (the brokers a queue needs first, the workflow clouds
set apart last); within a kind, catalog file order (the editors list a legacy service last).
Pure functions over entries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from linkcheck.catalog.needs import list_values

# kind -> (heading, the line under it that helps choose)
KINDS: dict[str, tuple[str, str]] = {
    "redis": ("Managed Redis and Valkey",
              "The broker of a Redis-based queue, run for you: your workers stay on your servers."),
    "amqp": ("Managed RabbitMQ and AMQP brokers",
             "A broker for queues that speak AMQP, run for you: your workers stay on your servers."),
    "cloud-queue": ("Cloud providers' own queues",
                    "A queue behind the provider's own API: a broker only where a queue supports that "
                    "API (each card says which)."),
    "http-push": ("HTTP push queues",
                  "The service calls your HTTP endpoint with each message: no worker process of your "
                  "own, and no Python task-queue library in between."),
    "other": ("Serverless compute",
              "Runs your Python functions on its own machines and hands back their results later."),
    "workflow": ("Workflow and durable-execution clouds",
                 "The server of a workflow engine run for you; your Python workers connect to it. "
                 "What running each engine takes otherwise, from its own documentation:"),
}


@dataclass
class HostedKind:
    """One kind of hosted service on the page: its key (the heading's id), heading, the line that
    helps choose, its entries, and for workflow clouds the catalog engines each one runs
    (``engines``: entry id -> [workflow projects])."""

    key: str
    title: str
    intro: str
    entries: list[Any]
    engines: dict[str, list[Any]] = field(default_factory=dict)


def _engines(entry: Any, workflows: dict[str, Any]) -> list[Any]:
    return [workflows[pid] for pid in list_values(entry, "works_with") if pid in workflows]


def kind_of(entry: Any, workflows: dict[str, Any]) -> str:
    """The kind of one hosted service (module docstring), given the catalog's workflow projects by id."""
    protocols = set(list_values(entry, "protocols"))
    if _engines(entry, workflows):
        return "workflow"
    if "redis" in protocols:
        return "redis"
    if "amqp" in protocols:
        return "amqp"
    if protocols & {"sqs-api", "pubsub-api", "amqp-1.0"}:
        return "cloud-queue"
    if "http-push" in protocols:
        return "http-push"
    return "other"


def hosted_kinds(hosted: Iterable[Any], projects: Iterable[Any]) -> list[HostedKind]:
    """The hosted services by kind, in ``KINDS`` order, kinds without a service left out."""
    workflows = {p.id: p for p in projects if getattr(p, "kind", None) == "workflow"}
    by_kind: dict[str, list[Any]] = {key: [] for key in KINDS}
    for entry in hosted:
        by_kind[kind_of(entry, workflows)].append(entry)
    out = []
    for key, (title, intro) in KINDS.items():
        if by_kind[key]:
            engines = {e.id: _engines(e, workflows) for e in by_kind[key]} if key == "workflow" else {}
            out.append(HostedKind(key, title, intro, by_kind[key], engines))
    return out
