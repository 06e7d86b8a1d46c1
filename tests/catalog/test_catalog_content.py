"""The real catalog's content: complete answers for every maintained project, provenance comments
that name documents, and the entries and statuses issues 21 and 22 asked for."""

from __future__ import annotations

import re

import pytest

from linkcheck.catalog import PLAIN_HTTP, load_catalog
from linkcheck.catalog.schema import CORE_FACTS, GROUP_KIND, KINDS, PARTIAL
from linkcheck.cli import main
from linkcheck.cli.lint_content_cmd import unknown_core_facts
from tests.support.site import CONTENT

CATALOG_FILES = sorted((CONTENT / "catalog").glob("*.yaml"))
# Words that describe how a fact was looked up rather than which document backs it.
LOOKUP_WORDS = re.compile(r"\b(fetch\w*|read_file|find_string|find_files|search\w*|corpus|corpora|helpers?|"
                          r"rounds?|look-?ups?|looked up)\b", re.IGNORECASE)
# owner/repo@commit: a repository file is named at a full commit, never an abbreviated one.
REPO_AT_COMMIT = re.compile(r"\b[\w.-]+/[\w.-]+@([0-9a-f]+)\b")


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(CONTENT)


def comment_lines() -> list[tuple[str, int, str]]:
    found = []
    for path in CATALOG_FILES:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith("#"):
                found.append((path.name, number, line))
    return found


def test_every_maintained_project_answers_every_core_fact_of_its_kind(catalog):
    assert unknown_core_facts(catalog, CONTENT) == []
    maintained = [e for e in catalog.section("projects") if not e.archived]
    # every kind is represented, so the rule above covers each kind's own core facts
    assert {e.kind for e in maintained} == set(KINDS)
    for entry in maintained:
        assert set(CORE_FACTS[entry.kind]) <= set(entry.facts), entry.id


def test_lint_content_of_the_real_catalog_lists_no_unknown_core_fact(capsys, monkeypatch):
    monkeypatch.chdir(CONTENT.parent)
    assert main(["lint-content", str(CONTENT)]) == 0
    out = capsys.readouterr().out
    assert "core fact" not in out, out


def test_no_and_partial_answers_say_why(catalog):
    for entry in catalog:
        for fact in entry.facts.values():
            if fact.value is False or fact.value == PARTIAL:
                assert fact.note, f"{entry.id}: fact {fact.key} is {fact.value!r} without a note"
                assert fact.source.startswith("https://"), f"{entry.id}: {fact.key}"


def test_provenance_comments_name_documents_not_look_ups():
    lines = comment_lines()
    assert len(lines) > 100
    offending = [f"{name}:{number}: {line.strip()}" for name, number, line in lines
                 if LOOKUP_WORDS.search(line)]
    assert not offending, "comments must name the document, not how it was found:\n" + "\n".join(offending)


def test_repository_files_are_named_at_a_full_commit():
    short = [f"{name}:{number}: {m.group(0)}" for name, number, line in comment_lines()
             for m in REPO_AT_COMMIT.finditer(line) if len(m.group(1)) != 40]
    assert not short, "use owner/repo@<40-hex commit>:path:\n" + "\n".join(short)


def test_look_up_words_are_caught():
    assert LOOKUP_WORDS.search("# confirmed: docs corpus (docs.celeryq.dev)")
    assert LOOKUP_WORDS.search("# Confirmed: fetch rq/django-rq")
    assert LOOKUP_WORDS.search("# seen via find_string")
    assert LOOKUP_WORDS.search("# Schema: docs/catalog.md (round 3)")
    assert not LOOKUP_WORDS.search("# runs in the background, around the clock; researchers")
    assert REPO_AT_COMMIT.search("# rq/rq@aa666a8: docs").group(1) == "aa666a8"


@pytest.mark.parametrize(("entry_id", "group", "works_with"), [
    ("dagster", "workflow", None),
    ("faststream", "asyncio", None),
    ("restate-python", "workflow", None),
    ("pgmq", "database", None),
    ("periodiq", "scheduler", ["dramatiq"]),
    ("dramatiq-crontab", "scheduler", ["dramatiq"]),
    ("django-celery-results", "monitoring", ["celery"]),
])
def test_projects_added_for_issue_22_exist_with_their_group_and_kind(catalog, entry_id, group, works_with):
    entry = catalog.get(entry_id)
    assert entry is not None and entry.section == "projects"
    assert (entry.group, entry.kind) == (group, GROUP_KIND[group])
    assert entry.status is None and str(entry.added) == "2026-12-05"
    assert entry.summary and len(entry.summary) <= 90
    if works_with:
        assert list(entry.fact("works_with").value) == works_with


@pytest.mark.parametrize(("entry_id", "works_with"), [
    ("inngest-cloud", ["inngest-python"]),
    ("prefect-cloud", ["prefect"]),
    ("modal", None),
])
def test_hosted_services_added_for_issue_22(catalog, entry_id, works_with):
    entry = catalog.get(entry_id)
    assert entry is not None and entry.section == "hosted"
    assert str(entry.added) == "2026-12-05"
    fact = entry.fact("works_with")
    assert (list(fact.value) if fact else None) == works_with


def test_statuses_come_from_their_sources(catalog):
    arq = catalog.get("arq")
    assert (arq.status, arq.status_source) == ("maintenance-only", "https://github.com/python-arq/arq/issues/510")
    assert not arq.archived and arq.group == "asyncio"
    dashboard = catalog.get("dramatiq-dashboard")
    assert dashboard.status == "unmaintained" and dashboard.archived
    assert dashboard.status_source == "https://github.com/Bogdanp/dramatiq_dashboard/commits/master"


def test_reading_list_years_come_from_the_page_or_its_url(catalog):
    # the docs pages whose year was only the release they document are gone, and no year is
    # the year of a release
    ids = {e.id for e in catalog.section("resources")}
    assert not ids & {"celery-docs-task-best-practices", "celery-docs-testing", "django-6-tasks-docs"}
    added = catalog.get("adamj-django-whats-new-6-0")
    assert added.year == 2025 and "/2025/" in added.url
    text = (CONTENT / "catalog" / "resources.yaml").read_text(encoding="utf-8")
    assert "release date" not in text.lower() and "year of the release" not in text.lower()


def test_plain_http_left_only_where_no_https_form_is_known(catalog):
    plain = sorted(w.message.split("(", 1)[1].split(")", 1)[0]
                   for w in catalog.warnings if w.kind == PLAIN_HTTP)
    assert plain == sorted([
        "http://blog.thecodepath.com/2012/11/15/asynchronous-processing-in-web-applications-part-1-a-database-is-not-a-queue/",
        "http://blog.thecodepath.com/2013/01/06/asynchronous-processing-in-web-applications-part-2-developers-need-to-understand-message-queues/",
        "http://django.zone/blog/posts/background-jobs-django-and-celery/",
        "http://www.linuxforu.com/2013/12/introducing-celery-pythondjango/",
    ])
    # each one is an entry of the original guide, kept as written
    assert all(e.from_seed for e in catalog if any(link.startswith("http://") for link in e.links()))



def test_azure_service_bus_is_a_cloud_queue_not_a_rabbitmq_broker(catalog):
    # Service Bus speaks AMQP 1.0, not RabbitMQ's 0-9-1: Celery reaches it only through Kombu's own
    # transport and Dramatiq's RabbitMQ broker cannot, so it is no "managed RabbitMQ and AMQP broker"
    from linkcheck.catalog.hosted import kind_of

    workflows = {p.id: p for p in catalog.section("projects") if p.kind == "workflow"}
    bus = catalog.get("azure-service-bus")
    assert list(bus.fact("protocols").value) == ["amqp-1.0"]
    assert bus.fact("protocols").source.endswith("/service-bus-amqp-overview")
    assert kind_of(bus, workflows) == "cloud-queue"
    assert kind_of(catalog.get("cloudamqp"), workflows) == "amqp"


def test_reading_list_descriptions_stand_alone(catalog):
    # the order moves (broken entries sort last): no description may lean on the entry next to it
    leaning = re.compile(r"(the \w+ )?(counterpart|sibling)\b|the same\b|like the (previous|one above)",
                         re.IGNORECASE)
    for section in ("examples", "resources"):
        for entry in catalog.section(section):
            assert not leaning.match(entry.description), (entry.id, entry.description[:60])
