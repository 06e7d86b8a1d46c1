"""linkcheck.catalog: the round-3 fields (groups, status, pypi, summary, added, facts, resources).

One case per rule: each bad entry stops with ``file:line: message (fix)``, with a
did-you-mean where a close spelling exists.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from linkcheck.catalog import CatalogError, load_catalog, project_groups, resource_topics
from linkcheck.inventory.collect import collect
from linkcheck.model import Location
from tests.support.site import CONTENT

FULL = """\
- name: Alpha
  id: alpha
  group: general
  url: https://alpha.example.org/
  repo: https://github.com/example/alpha
  pypi: alpha-queue
  summary: Jobs on Redis, with retries
  added: 2026-11-30
  description: Alpha runs jobs.
  facts:
    retries: {value: true, source: "https://alpha.example.org/docs/#retrying", note: exponential backoff}
    brokers:
      value: [redis, rabbitmq]
      source: https://alpha.example.org/docs/brokers.html#broker-overview
    asyncio: {value: false, source: https://alpha.example.org/docs/#asyncio}
"""
OLD = """\
- name: Old
  group: scheduler
  status: archived
  status_source: https://github.com/example/old
  url: https://old.example.org/
  description: Old runs jobs.
"""
HOSTED = """\
- name: Cloud Queue
  url: https://cloud.example.org/
  description: A managed broker.
  facts:
    protocols: {value: [amqp], source: https://cloud.example.org/docs#protocols}
    works_with: {value: [alpha], source: https://cloud.example.org/docs#python}
"""
RESOURCE = """\
- name: A post
  url: https://blog.example.org/2014/post/
  year: 2014
  type: article
  topic: celery
  description: A post.
  added: 2026-11-30
"""
# One line to replace in FULL or RESOURCE, so every error lands on a known line.
P = "projects"
R = "resources"
H = "hosted"


def write(tmp_path: Path, projects: str = FULL + "\n" + OLD, **others: str) -> Path:
    content = tmp_path / "content"
    (content / "catalog").mkdir(parents=True)
    (content / "catalog" / "projects.yaml").write_text(projects, encoding="utf-8")
    for section, text in others.items():
        (content / "catalog" / f"{section}.yaml").write_text(text, encoding="utf-8")
    return content


def fails(tmp_path: Path, section: str, text: str) -> CatalogError:
    content = write(tmp_path, text) if section == P else write(tmp_path, **{section: text})
    with pytest.raises(CatalogError) as info:
        load_catalog(content)
    return info.value


def test_full_project_entry_has_typed_fields(tmp_path):
    catalog = load_catalog(write(tmp_path, FULL + "\n" + OLD, hosted=HOSTED, resources=RESOURCE))
    alpha = catalog.get("alpha")
    assert (alpha.group, alpha.status, alpha.pypi, alpha.summary) == (
        "general", None, "alpha-queue", "Jobs on Redis, with retries")
    assert alpha.added == date(2026, 11, 30) and not alpha.from_seed
    assert alpha.pypi_url == "https://pypi.org/project/alpha-queue/"
    # facts come out in schema order, whatever the file's order
    assert list(alpha.facts) == ["brokers", "asyncio", "retries"]
    retries = alpha.facts["retries"]
    assert (retries.value, retries.source, retries.note, retries.line) == (
        True, "https://alpha.example.org/docs/#retrying", "exponential backoff", 11)
    assert alpha.facts["brokers"].value == ("redis", "rabbitmq")
    assert alpha.facts["brokers"].source_line == 14
    assert alpha.facts["asyncio"].value is False
    rows = alpha.fact_rows()
    assert [k for k, _, _ in rows][:3] == ["brokers", "asyncio", "scheduling"]
    assert rows[2][2] is None  # scheduling: unknown, the site shows "—"
    old = catalog.get("old")
    assert (old.status, old.status_source, old.archived, old.group) == (
        "archived", "https://github.com/example/old", True, "scheduler")
    post = catalog.get("a-post")
    assert (post.year, post.type, post.topic) == (2014, "article", "celery")
    assert catalog.get("cloud-queue").facts["works_with"].value == ("alpha",)


def test_links_include_fact_and_status_sources(tmp_path):
    catalog = load_catalog(write(tmp_path))
    assert catalog.get("alpha").links() == [
        "https://alpha.example.org/", "https://github.com/example/alpha", "https://pypi.org/project/alpha-queue/",
        "https://alpha.example.org/docs/brokers.html#broker-overview",
        "https://alpha.example.org/docs/#asyncio", "https://alpha.example.org/docs/#retrying",
    ]
    assert "https://github.com/example/old" in catalog.get("old").links()


def test_checker_locations_name_the_entry_and_the_fact(tmp_path):
    write(tmp_path)
    links = collect([tmp_path / "content"], root=tmp_path)
    where = "content/catalog/projects.yaml"
    assert links["https://alpha.example.org/docs/#retrying"].locations == [
        Location(where, 11, None, "alpha", "retries")]
    brokers = links["https://alpha.example.org/docs/brokers.html#broker-overview"].locations[0]
    assert brokers.describe() == f"{where}:14 (entry alpha, fact brokers)"
    # status_source is a claim too; repo and url are plain links
    assert links["https://github.com/example/old"].locations == [Location(where, 20, None, "old", "status")]
    assert links["https://alpha.example.org/"].locations == [Location(where, 4, None, "alpha")]


def test_projects_group_in_schema_order_with_archived_last(tmp_path):
    extra = ("\n- name: Later\n  group: asyncio\n  url: https://later.example.org/\n  description: x\n"
             "\n- name: First\n  group: general\n  url: https://first.example.org/\n  description: x\n")
    catalog = load_catalog(write(tmp_path, OLD + "\n" + FULL + extra))
    groups = project_groups(catalog.section("projects"))
    assert [(g.key, [e.id for e in g.entries]) for g in groups] == [
        ("general", ["alpha", "first"]), ("asyncio", ["later"]), ("archived", ["old"])]
    assert groups[-1].title == "Archived / unmaintained"
    # GitHub's archived flag moves a project too, once the data is there
    catalog.get("later").github = {"archived": True}
    groups = project_groups(catalog.section("projects"))
    assert [(g.key, [e.id for e in g.entries]) for g in groups] == [
        ("general", ["alpha", "first"]), ("archived", ["old", "later"])]


def test_reading_list_by_topic_newest_first(tmp_path):
    def res(name: str, year: str, topic: str) -> str:
        when = f"  year: {year}\n" if year else ""  # no year: from the original guide (no added)
        return (f"- name: {name}\n  url: https://r.example.org/{name}\n{when}  type: article\n"
                f"  topic: {topic}\n  description: x\n")

    text = res("a", "2012", "design") + res("b", "2019", "celery") + res("c", "", "celery") \
        + res("d", "2024", "celery") + res("e", "2019", "celery")
    catalog = load_catalog(write(tmp_path, FULL, resources=text))
    topics = resource_topics(catalog.section("resources"))
    # schema topic order; newest first, same year in file order, unknown year last
    assert [(g.key, [e.id for e in g.entries]) for g in topics] == [
        ("celery", ["d", "b", "e", "c"]), ("design", ["a"])]
    assert catalog.get("c").year is None


@pytest.mark.parametrize(("section", "old", "new", "line", "words"), [
    # projects
    (P, "  group: general\n", "", 1, "missing the required field 'group'"),
    (P, "group: general", "group: genral", 3, "unknown group 'genral' (did you mean 'general'?"),
    (P, "  added: 2026-11-30\n", "  added: 2026-11-30\n  status: archive\n  status_source: https://x.org/\n",
     9, "unknown status 'archive' (did you mean 'archived'?"),
    (P, "  added: 2026-11-30\n", "  added: 2026-11-30\n  status: unmaintained\n", 9, "needs a status_source"),
    (P, "  added: 2026-11-30\n", "  added: 2026-11-30\n  status_source: https://x.org/\n", 9,
     "status_source without a status"),
    (P, "  added: 2026-11-30\n", "  added: 2026-11-30\n  status: archived\n  status_source: ftp://x.org/\n",
     10, "status_source 'ftp://x.org/' is not an http(s) URL"),
    (P, "pypi: alpha-queue", "pypi: Alpha_Queue", 6, "not normalised (did you mean 'alpha-queue'?"),
    (P, "pypi: alpha-queue", "pypi: alpha queue!", 6, "not a PyPI project name"),
    (P, "summary: Jobs on Redis, with retries", "summary: " + "x" * 91, 7, "more than 90"),
    (P, "summary: Jobs on Redis, with retries", "summary: Jobs on *Redis*", 7, "summary must be plain text"),
    (P, "summary: Jobs on Redis, with retries", "summary: See [docs](https://a.org/)", 7, "plain text"),
    (P, "added: 2026-11-30", "added: last week", 8, "added 'last week' is not a date"),
    (P, "added: 2026-11-30", "added: 2026-13-01", 8, "is not a date"),
    (P, "added: 2026-11-30", "added: 2999-01-01", 8, "in the future"),
    (P, "added: 2026-11-30", "added: [2026]", 8, "is not a date"),
    # facts
    (P, "    retries:", "    retry:", 11, "unknown fact 'retry' (did you mean 'retries'?"),
    (P, "    retries:", "    protocols:", 11, "unknown fact 'protocols'"),
    (P, ', source: "https://alpha.example.org/docs/#retrying"', "", 11, "fact 'retries' has no source"),
    (P, "{value: true, ", "{", 11, "fact 'retries' has no value"),
    (P, "    retries: {value: true", "    retries: {valeu: true", 11, "did you mean 'value'?"),
    (P, "    retries: {value: true, source:", "    retries: {value: true, sources:", 11,
     "did you mean 'source'?"),
    (P, "    retries: {value: true", "    retries: {value: 'true'", 11, "must be true, false or partial"),
    (P, "    retries: {value: true", "    retries: {value: [yes]", 11, "must be true, false or partial"),
    (P, "    retries: {value: true", "    retries: {value: parital", 11, "must be true, false or partial"),
    (P, "    retries: {value: true, source: \"https://alpha.example.org/docs/#retrying\", note: exponential "
     "backoff}", "    retries: {value: partial, source: \"https://alpha.example.org/docs/#retrying\"}", 11,
     "fact 'retries' is partial but has no note"),
    # facts are those of the entry's kind: a queue has no 'cron', a scheduler no 'priorities'
    (P, "    retries:", "    cron: {value: true, source: https://a.org/}\n    retries:", 11,
     "fact 'cron' does not apply to a general project (facts of a general project: brokers,"),
    (P, "summary: Jobs on Redis, with retries", "part_of: '*Django*'", 7, "part_of must be the plain name"),
    # builds_on names another project of the catalog (checked once every file is loaded)
    (P, "summary: Jobs on Redis, with retries", "builds_on: alpah", 7,
     "builds_on names 'alpah', not another project's id"),
    (P, "    retries: {value: true", "    retries: {value: true, value: false", 11, "appears twice"),
    (P, "    retries: {", "    brokers: {value: [redis], source: https://a.org/}\n    retries: {", 13,
     "fact 'brokers' appears twice"),
    (P, "value: [redis, rabbitmq]", "value: [redis, rabbit]", 13,
     "unknown brokers value 'rabbit' (did you mean 'rabbitmq'?"),
    (P, "value: [redis, rabbitmq]", "value: [redis, redis]", 13, "lists 'redis' twice"),
    (P, "value: [redis, rabbitmq]", "value: redis", 13, "must be a non-empty list"),
    (P, "value: [redis, rabbitmq]", "value: []", 13, "must be a non-empty list"),
    (P, "value: [redis, rabbitmq]", "value: [redis, 6379]", 13, "must be a name"),
    (P, "    brokers:\n", "    frameworks:\n", 13, "unknown frameworks value 'redis'"),
    (P, "source: https://alpha.example.org/docs/brokers.html#broker-overview",
     "source: alpha.example.org/docs", 14,
     "source of fact 'brokers' 'alpha.example.org/docs' is not an http(s) URL"),
    (P, "source: https://alpha.example.org/docs/brokers.html#broker-overview", "source: ''", 14, "is empty"),
    (P, "note: exponential backoff", "note: " + "n" * 41, 11, "more than 40"),
    (P, "note: exponential backoff", "note: '*bold*'", 11, "must be plain text"),
    # hosted
    (H, "value: [amqp]", "value: [sqs]", 5, "unknown protocols value 'sqs' (did you mean 'sqs-api'?"),
    (H, "value: [alpha]", "value: [alpah]", 6,
     "works_with names 'alpah', not a project id (did you mean 'alpha'?"),
    (H, "    protocols:", "    brokers:", 5, "unknown fact 'brokers'"),
    (H, "  url: https://cloud", "  group: general\n  url: https://cloud", 2,
     "field 'group' does not belong in hosted"),
    # resources
    (R, "  type: article\n", "", 1, "missing the required field 'type'"),
    (R, "  topic: celery\n", "", 1, "missing the required field 'topic'"),
    (R, "type: article", "type: blog", 4, "unknown type 'blog'"),
    (R, "type: article", "type: articel", 4, "did you mean 'article'?"),
    (R, "topic: celery", "topic: celeri", 5, "unknown topic 'celeri' (did you mean 'celery'?"),
    (R, "year: 2014", "year: 1066", 3, "year 1066 is out of range"),
    (R, "year: 2014", "year: '2014'", 3, "is not a year"),
    (R, "year: 2014", "year: 2014-06-01", 3, "is not a year"),
    (R, "  year: 2014\n", "  year: 2014\n  facts: {}\n", 4, "field 'facts' does not belong in resources"),
])
def test_bad_field_stops_with_file_line_and_fix(tmp_path, section, old, new, line, words):
    base = {P: FULL, H: HOSTED, R: RESOURCE}[section]
    assert old in base
    error = fails(tmp_path, section, base.replace(old, new, 1))
    assert str(error).startswith(f"content/catalog/{section}.yaml:{line}: "), str(error)
    assert words in str(error)
    assert str(error).endswith(")"), "every error says how to fix it"


def test_a_fact_without_a_source_fails(tmp_path):
    text = FULL.replace(', source: "https://alpha.example.org/docs/#retrying"', "")
    with pytest.raises(CatalogError, match=r"projects.yaml:11: fact 'retries' has no source"):
        load_catalog(write(tmp_path, text))


def test_facts_must_be_a_mapping(tmp_path):
    text = FULL.split("  facts:")[0] + "  facts: [retries]\n"
    with pytest.raises(CatalogError, match=r"projects.yaml:10: facts must be a mapping of fact names"):
        load_catalog(write(tmp_path, text))


def test_year_is_left_out_when_the_page_shows_none(tmp_path):
    # a year is read off the page or its URL, never guessed: undated pages leave it out
    seed = RESOURCE.replace("  year: 2014\n", "").replace("  added: 2026-11-30\n", "")
    catalog = load_catalog(write(tmp_path / "a", FULL, resources=seed))
    assert catalog.get("a-post").year is None and catalog.get("a-post").from_seed
    catalog = load_catalog(write(tmp_path / "b", FULL, resources=RESOURCE.replace("  year: 2014\n", "")))
    assert catalog.get("a-post").year is None and not catalog.get("a-post").from_seed
    with pytest.raises(CatalogError, match=r"resources.yaml:3: year is empty \(leave 'year' out"):
        load_catalog(write(tmp_path / "c", FULL, resources=seed.replace("  type:", "  year: null\n  type:")))


def test_plain_http_fact_source_warns(tmp_path):
    text = FULL.replace('"https://alpha.example.org/docs/#retrying"', "http://alpha.example.org/docs/")
    catalog = load_catalog(write(tmp_path, text))
    warnings = [str(w) for w in catalog.warnings]
    assert any("projects.yaml:11: source of fact 'retries' uses plain http://" in w for w in warnings)


def test_real_catalog_facts_all_have_sources():
    catalog = load_catalog(CONTENT)
    facts = [f for e in catalog for f in e.facts.values()]
    assert facts, "the real catalog carries sourced facts"
    assert all(f.source.startswith("https://") for f in facts)
    assert all(e.group for e in catalog.section("projects"))
    assert all(e.type and e.topic for e in catalog.section("resources"))


def test_partial_is_an_answer_with_a_note_and_unknown_is_not_no(tmp_path):
    text = FULL.replace("note: exponential backoff}", "note: \"Redis broker only\"}").replace(
        "retries: {value: true", "retries: {value: partial")
    alpha = load_catalog(write(tmp_path, text)).get("alpha")
    assert alpha.facts["retries"].answer == "partial" and alpha.facts["retries"].note == "Redis broker only"
    assert alpha.facts["asyncio"].answer == "no"
    rows = {key: fact for key, _label, fact in alpha.fact_rows()}
    assert rows["scheduling"] is None, "a fact the catalog lacks is unknown, not 'no'"
    assert alpha.unknown_core_facts() == ["scheduling", "priorities", "rate_limits", "results", "monitoring"]


SCHEDULER = """\
- name: Ticker
  group: scheduler
  url: https://ticker.example.org/
  description: Runs functions on a timer.
  facts:
    in_process: {{value: {in_process}, source: https://ticker.example.org/#how}}
    cron: {{value: true, source: https://ticker.example.org/#cron}}
{extra}"""


def test_facts_and_labels_follow_the_kind_of_group(tmp_path):
    extra = ("    brokers: {value: [redis], source: https://ticker.example.org/#stores}\n"
             "    works_with: {value: [alpha], source: https://ticker.example.org/#celery}\n")
    catalog = load_catalog(write(tmp_path, FULL + SCHEDULER.format(in_process="false", extra=extra)))
    ticker = catalog.get("ticker")
    assert ticker.kind == "scheduler" and catalog.get("alpha").kind == "queue"
    labels = {key: label for key, label, _fact in ticker.fact_rows()}
    assert labels["brokers"] == "Stores schedules in" and labels["works_with"] == "Schedules tasks of"
    assert "priorities" not in labels
    assert ticker.unknown_core_facts() == ["persistence", "asyncio"]


def test_schedules_tasks_of_does_not_apply_to_a_scheduler_in_your_process(tmp_path):
    # in your process it runs plain callables: "whose tasks" is no question, so no row, not "unknown"
    ticker = load_catalog(write(tmp_path / "in", FULL + SCHEDULER.format(in_process="true", extra=""))).get(
        "ticker")
    assert not ticker.applies("works_with") and ticker.applies("brokers")
    keys = [key for key, _label, _fact in ticker.fact_rows()]
    assert keys == ["in_process", "cron", "persistence", "asyncio", "brokers", "frameworks"]
    rows, unsourced = ticker.fact_table()
    assert "Schedules tasks of" not in unsourced and "Stores schedules in" in unsourced
    # a separate scheduler process schedules some queue's tasks: the row is there, unknown until sourced
    other = load_catalog(write(tmp_path / "out", FULL + SCHEDULER.format(in_process="false", extra=""))).get(
        "ticker")
    assert other.applies("works_with") and ("works_with", "Schedules tasks of", None) in other.fact_rows()
    # partial is not true: a scheduler that runs in your process only in part may still schedule a queue's
    partial = SCHEDULER.format(in_process='partial, note: "or as a daemon"', extra="")
    assert load_catalog(write(tmp_path / "partial", FULL + partial)).get("ticker").applies("works_with")


def test_a_fact_that_does_not_apply_is_an_error_naming_its_line(tmp_path):
    extra = "    works_with: {value: [alpha], source: https://ticker.example.org/#alpha}\n"
    info = fails(tmp_path, "projects", FULL + SCHEDULER.format(in_process="true", extra=extra))
    line = (FULL + SCHEDULER).splitlines().index("{extra}") + 1
    assert str(info).startswith(f"content/catalog/projects.yaml:{line}: fact 'works_with' does not apply to "
                                "a scheduler project whose 'in_process' is 'yes'"), str(info)
    assert "leave 'works_with' out: Runs in your process (yes) rules out Schedules tasks of" in str(info)


def test_three_or_more_unknown_facts_fold_into_one_line_and_fewer_stay_rows(tmp_path):
    alpha = load_catalog(write(tmp_path)).get("alpha")  # retries, brokers, asyncio answered; 6 unknown
    rows, unsourced = alpha.fact_table()
    assert [key for key, _label, _fact in rows] == ["brokers", "asyncio", "retries"]
    assert all(fact is not None for _key, _label, fact in rows)
    assert unsourced == ["Periodic scheduling", "Priorities", "Rate limits", "Result storage",
                         "Monitoring UI", "Framework integrations"]
    # below the threshold every row stays, unknown ones in place and in schema order; nothing is folded
    rows, unsourced = alpha.fact_table(fold_at=7)
    assert unsourced == [] and rows == alpha.fact_rows() and len(rows) == 9
    assert [key for key, _label, fact in rows if fact is None][:2] == ["scheduling", "priorities"]


def test_maintenance_only_stays_in_its_group_and_part_of_names_the_host(tmp_path):
    text = FULL.replace("  added: 2026-11-30\n", "  added: 2026-11-30\n  status: maintenance-only\n"
                        "  status_source: https://github.com/example/alpha/issues/1\n  part_of: Example\n")
    catalog = load_catalog(write(tmp_path, text + "\n" + OLD))
    alpha = catalog.get("alpha")
    assert alpha.status == "maintenance-only" and not alpha.archived and alpha.part_of == "Example"
    groups = {g.key: [e.id for e in g.entries] for g in project_groups(catalog.section("projects"))}
    assert groups == {"general": ["alpha"], "archived": ["old"]}
