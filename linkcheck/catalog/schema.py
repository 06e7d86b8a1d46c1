"""The catalog's vocabulary: sections, fields, project groups, fact keys and enum values.

One place for every allowed spelling, so the loader's did-you-mean errors, the
site's templates and docs/catalog.md all agree. Order matters where the site
shows things in order (SECTIONS, GROUPS, RESOURCE_TOPICS).
"""

from __future__ import annotations

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
}
# Shown last, whatever the entry's own group, for unmaintained or archived projects.
ARCHIVED_GROUP = "archived"
ARCHIVED_GROUP_TITLE = "Archived / unmaintained"
STATUSES: tuple[str, ...] = ("unmaintained", "archived")

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
PROTOCOLS: tuple[str, ...] = ("amqp", "redis", "sqs-api", "http-push", "kafka", "mqtt", "stomp", "pubsub-api")

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
    "amqp": "AMQP", "sqs-api": "SQS API", "http-push": "HTTP push", "mqtt": "MQTT", "stomp": "STOMP",
    "pubsub-api": "Pub/Sub API",
}
# "redis" is both a broker and a protocol; as a protocol it is the wire protocol.
PROTOCOL_LABELS: dict[str, str] = {"redis": "Redis protocol", "kafka": "Kafka protocol"}

# Fact key -> short label for tables and headings.
BOOLEAN_FACTS: dict[str, str] = {
    "asyncio": "Native asyncio",
    "scheduling": "Periodic scheduling",
    "retries": "Retries",
    "priorities": "Priorities",
    "rate_limits": "Rate limits",
    "results": "Result storage",
    "monitoring": "Monitoring UI",
}
# List fact key -> (label, allowed values). works_with's values are catalog project ids
# (None here: checked against the loaded projects).
LIST_FACTS: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "brokers": ("Brokers and backends", BROKERS),
    "frameworks": ("Framework integrations", FRAMEWORKS),
    "protocols": ("Protocols", PROTOCOLS),
    "works_with": ("Works with", None),
}
# Which facts each section may carry, in display order.
SECTION_FACTS: dict[str, tuple[str, ...]] = {
    "projects": ("brokers", "asyncio", "scheduling", "retries", "priorities", "rate_limits", "results",
                 "monitoring", "frameworks"),
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
    # year: also required, but only for entries with `added` (load.py): the original guide's
    # resources often carry no confirmable date, and a year is never guessed
    "resources": COMMON_REQUIRED + ("type", "topic"),
}
SECTION_OPTIONAL: dict[str, tuple[str, ...]] = {
    "projects": COMMON_OPTIONAL + ("status", "status_source", "pypi", "facts"),
    "hosted": COMMON_OPTIONAL + ("facts",),
    "examples": COMMON_OPTIONAL + ("year",),
    "resources": COMMON_OPTIONAL + ("year",),
}

SUMMARY_MAX = 90
NOTE_MAX = 40
FIRST_YEAR = 1990  # older than any Python task queue writing; a smaller year is a typo


def allowed_fields(section: str) -> tuple[str, ...]:
    return SECTION_REQUIRED[section] + SECTION_OPTIONAL[section]
