"""The catalog's vocabulary: sections, fields, project groups, fact keys and enum values.

One place for every allowed spelling, so the loader's did-you-mean errors, the
site's templates and docs/catalog.md all agree. Order matters where the site
shows things in order (SECTIONS, GROUPS, RESOURCE_TOPICS).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Section name -> heading used on the site. The order is the order of the site.
SECTIONS: dict[str, str] = {
    "projects": "Task queue projects",
    "hosted": "Hosted message and task queue services",
    "examples": "Open source examples that use task queues",
    "resources": "Task queue resources",
}

# Project groups, in page order, with the heading each one gets.
GROUPS: dict[str, str] = {
    "general": "General-purpose task queues",
    "asyncio": "asyncio-native task queues",
    "database": "Database-backed queues (no separate broker)",
    "framework": "Framework-integrated task systems",
    "scheduler": "Schedulers",
    "workflow": "Workflow and durable-execution engines",
    "monitoring": "Monitoring UIs",
    "in-process": "In-process background work (not a queue)",
}
# Shown last, whatever the entry's own group, for unmaintained or archived projects.
ARCHIVED_GROUP = "archived"
ARCHIVED_GROUP_TITLE = "Archived / unmaintained"
# "maintenance-only": maintained (fixes, releases) but closed to new features, as its maintainers
# announced; shown in its own group, named as such. The other two are set apart as inactive.
STATUSES: tuple[str, ...] = ("maintenance-only", "unmaintained", "archived")
INACTIVE_STATUSES: tuple[str, ...] = ("unmaintained", "archived")

# What kind of thing each group holds. Only like is compared with like: each kind has the
# facts that matter for it (KIND_FACTS), and the task-queue comparison covers kind "queue".
KINDS: dict[str, str] = {
    "queue": "Task queues",
    "scheduler": "Schedulers",
    "workflow": "Workflow and durable-execution engines",
    "monitoring": "Monitoring tools",
    "in-process": "In-process background work (not a queue)",
}
GROUP_KIND: dict[str, str] = {
    "general": "queue", "asyncio": "queue", "database": "queue", "framework": "queue",
    "scheduler": "scheduler", "workflow": "workflow", "monitoring": "monitoring",
    "in-process": "in-process",
}

RESOURCE_TYPES: tuple[str, ...] = ("article", "tutorial", "documentation", "talk", "video", "book",
                                   "course", "podcast", "list")
# Topic -> heading on the reading list, in page order.
RESOURCE_TOPICS: dict[str, str] = {
    "celery": "Celery",
    "rq": "RQ",
    "dramatiq": "Dramatiq",
    "huey": "Huey",
    "asyncio": "asyncio task queues",
    "django": "Django",
    "flask": "Flask",
    "design": "Task queue design",
    "production": "Running task queues in production",
    "testing": "Testing",
    "workflows": "Workflows",
    "comparison": "Comparisons and lists",
}

BROKERS: tuple[str, ...] = ("redis", "valkey", "rabbitmq", "sqs", "kafka", "nats", "google-pubsub",
                            "azure-service-bus", "beanstalkd", "zeromq", "postgresql", "mysql", "sqlite",
                            "mongodb", "django-db", "sqlalchemy", "memory", "filesystem")
FRAMEWORKS: tuple[str, ...] = ("django", "flask", "fastapi", "starlette", "litestar", "aiohttp", "pyramid",
                               "sanic", "tornado")
# `amqp` is the AMQP 0-9-1 of RabbitMQ, which Celery's and Dramatiq's AMQP brokers speak; `amqp-1.0` is a
# different protocol (Azure Service Bus), reached only through a vendor SDK or transport.
PROTOCOLS: tuple[str, ...] = ("amqp", "amqp-1.0", "redis", "sqs-api", "http-push", "kafka", "mqtt", "stomp",
                              "pubsub-api")

# How an enum value reads on the site (values not listed read as written).
VALUE_LABELS: dict[str, str] = {
    "redis": "Redis", "valkey": "Valkey", "rabbitmq": "RabbitMQ", "sqs": "Amazon SQS", "kafka": "Kafka",
    "nats": "NATS", "google-pubsub": "Google Cloud Pub/Sub", "azure-service-bus": "Azure Service Bus",
    "beanstalkd": "Beanstalkd", "zeromq": "ZeroMQ", "postgresql": "PostgreSQL", "mysql": "MySQL",
    "sqlite": "SQLite", "mongodb": "MongoDB", "django-db": "Django ORM databases",
    "sqlalchemy": "SQLAlchemy databases", "memory": "in-memory", "filesystem": "filesystem",
    "django": "Django", "flask": "Flask", "fastapi": "FastAPI", "starlette": "Starlette",
    "litestar": "Litestar", "aiohttp": "aiohttp", "pyramid": "Pyramid", "sanic": "Sanic",
    "tornado": "Tornado",
    "amqp": "AMQP", "amqp-1.0": "AMQP 1.0", "sqs-api": "SQS API", "http-push": "HTTP push", "mqtt": "MQTT",
    "stomp": "STOMP",
    "pubsub-api": "Pub/Sub API",
    "library": "a library (no server)", "self-hosted": "self-hosted server", "managed": "managed service",
}
# "redis" is both a broker and a protocol; as a protocol it is the wire protocol.
PROTOCOL_LABELS: dict[str, str] = {"redis": "Redis protocol", "kafka": "Kafka protocol"}

# How a workflow engine (or anything else with `hosting`) is run: what running it costs.
HOSTING: tuple[str, ...] = ("library", "self-hosted", "managed")

# Fact key -> short label for tables and headings.
BOOLEAN_FACTS: dict[str, str] = {
    "asyncio": "Native asyncio",
    "scheduling": "Periodic scheduling",
    "retries": "Retries",
    "priorities": "Priorities",
    "rate_limits": "Rate limits",
    "results": "Result storage",
    "monitoring": "Monitoring UI",
    "in_process": "Runs in your process",
    "cron": "Cron expressions",
    "persistence": "Survives restarts",
    "durable": "Durable execution",
    "metrics": "Prometheus metrics",
}
# A boolean fact may also be "partial": true with a limit the note must state.
PARTIAL = "partial"
# List fact key -> (label, allowed values). works_with's values are catalog project ids
# (None here: checked against the loaded projects).
LIST_FACTS: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "brokers": ("Brokers and backends", BROKERS),
    "frameworks": ("Framework integrations", FRAMEWORKS),
    "protocols": ("Protocols", PROTOCOLS),
    "hosting": ("How you run it", HOSTING),
    "works_with": ("Works with", None),
}
# The facts of each kind of project, in display order; the first CORE_FACTS[kind] of them are the
# ones every maintained entry of that kind answers (true, false or partial, each with its source):
# `make lint-content` lists the unknown ones.
KIND_FACTS: dict[str, tuple[str, ...]] = {
    "queue": ("brokers", "asyncio", "scheduling", "retries", "priorities", "rate_limits", "results",
              "monitoring", "frameworks"),
    "scheduler": ("in_process", "cron", "persistence", "asyncio", "brokers", "works_with", "frameworks"),
    "workflow": ("hosting", "durable", "asyncio", "brokers", "scheduling", "retries", "rate_limits",
                 "priorities", "monitoring", "frameworks"),
    "monitoring": ("works_with", "monitoring", "metrics", "frameworks"),
    "in-process": ("persistence", "asyncio", "retries", "results", "frameworks"),
}
CORE_FACTS: dict[str, tuple[str, ...]] = {
    "queue": ("brokers", "asyncio", "scheduling", "retries", "priorities", "rate_limits", "results",
              "monitoring"),
    "scheduler": ("in_process", "cron", "persistence", "asyncio"),
    "workflow": ("hosting", "durable", "asyncio"),
    "monitoring": ("works_with", "monitoring", "metrics"),
    "in-process": ("persistence", "asyncio"),
}
# Facts that do not apply to an entry because of another of its answers: kind -> fact key ->
# (the deciding fact, the answer that rules it out). A scheduler that runs jobs in your own process
# calls plain callables, so "whose tasks does it schedule" is not a question for it. Such a fact is
# an error in the file, is left off the project's page, and reads "does not apply" in the grid.
NOT_APPLICABLE: dict[str, dict[str, tuple[str, bool | str]]] = {
    "scheduler": {"works_with": ("in_process", True)},
}
# A fact's label where one kind reads it differently (brokers of a scheduler: where it keeps schedules).
KIND_FACT_LABELS: dict[str, dict[str, str]] = {
    "scheduler": {"brokers": "Stores schedules in", "works_with": "Schedules tasks of"},
    "workflow": {"brokers": "Stores state in", "monitoring": "Web UI"},
    "monitoring": {"works_with": "Monitors", "monitoring": "Web UI"},
}

# Which facts each section may carry, in display order (projects: every kind's, checked per kind).
SECTION_FACTS: dict[str, tuple[str, ...]] = {
    "projects": tuple(dict.fromkeys(k for keys in KIND_FACTS.values() for k in keys)),
    "hosted": ("protocols", "works_with"),
    "examples": (),
    "resources": (),
}
FACT_LABELS: dict[str, str] = {**BOOLEAN_FACTS, **{k: label for k, (label, _) in LIST_FACTS.items()}}
FACT_FIELDS: tuple[str, ...] = ("value", "source", "note")

# Fields per section. Required ones first; every section shares COMMON_*.
COMMON_REQUIRED: tuple[str, ...] = ("name", "url", "description")
COMMON_OPTIONAL: tuple[str, ...] = ("id", "repo", "summary", "added")
SECTION_REQUIRED: dict[str, tuple[str, ...]] = {
    "projects": COMMON_REQUIRED + ("group",),
    "hosted": COMMON_REQUIRED,
    "examples": COMMON_REQUIRED,
    # year: optional: many pages show no date, and a year is only ever read off the page or its URL
    "resources": COMMON_REQUIRED + ("type", "topic"),
}
SECTION_OPTIONAL: dict[str, tuple[str, ...]] = {
    "projects": COMMON_OPTIONAL + ("status", "status_source", "pypi", "part_of", "builds_on", "facts"),
    "hosted": COMMON_OPTIONAL + ("facts",),
    "examples": COMMON_OPTIONAL + ("year",),
    "resources": COMMON_OPTIONAL + ("year",),
}

SUMMARY_MAX = 90
NOTE_MAX = 40
PART_OF_MAX = 40
FIRST_YEAR = 1990  # older than any Python task queue writing; a smaller year is a typo


def allowed_fields(section: str) -> tuple[str, ...]:
    return SECTION_REQUIRED[section] + SECTION_OPTIONAL[section]


def kind_of(group: str | None) -> str | None:
    return GROUP_KIND.get(group) if group else None


def fact_label(key: str, kind: str | None = None) -> str:
    """The label of a fact as an entry of ``kind`` shows it."""
    return KIND_FACT_LABELS.get(kind or "", {}).get(key) or FACT_LABELS[key]


def ruled_out_by(kind: str | None, key: str, facts: Mapping[str, Any]) -> str | None:
    """The fact whose answer makes ``key`` not apply to an entry of ``kind`` with ``facts`` (a
    mapping of fact key -> Fact, or anything with a ``value``), or None when ``key`` applies."""
    rule = NOT_APPLICABLE.get(kind or "", {}).get(key)
    if rule is None:
        return None
    decider, answer = rule
    fact = facts.get(decider)
    return decider if fact is not None and fact.value == answer else None
