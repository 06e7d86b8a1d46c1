"""The catalog pages: projects compared like with like (a table per kind, inactive last), every
answer with its source and unknown distinct from no, hosted services with protocols, the reading
list by topic, newest first, with years."""

from __future__ import annotations

from linkcheck.catalog import load_catalog, resource_topics
from linkcheck.catalog.ranking import kind_sections
from linkcheck.catalog.schema import KIND_FACTS, fact_label
from tests.support.site import CONTENT, build, copy_content, soup

EXTRA_PROJECT = """
- name: Old Scheduler
  id: old-scheduler
  group: scheduler
  status: unmaintained
  status_source: https://old-scheduler.example/README#status
  url: https://old-scheduler.example/
  pypi: old-scheduler
  summary: A cron-like scheduler, <b>no longer</b> maintained
  added: 2026-11-30
  description: Runs jobs on a timetable.
  facts:
    cron: {value: true, source: "https://old-scheduler.example/docs#cron", note: "cron & <friends>"}
"""
EXTRA_QUEUE = """
- name: Three Answers
  id: three-answers
  group: general
  url: https://three-answers.example/
  summary: A queue with a yes, a no, a partial and an unknown
  added: 2026-11-30
  description: A queue for the test.
  facts:
    retries: {value: true, source: "https://three-answers.example/docs#retries"}
    priorities:
      {value: false, source: "https://three-answers.example/docs#features", note: no priority queues}
    rate_limits: {value: partial, source: "https://three-answers.example/docs#limits", note: per worker only}
"""
EXTRA_HOSTED = """
- name: Managed Broker
  id: managed-broker
  url: https://managed-broker.example/
  added: 2026-11-30
  description: A managed broker.
  facts:
    protocols: {value: [amqp, redis], source: https://managed-broker.example/docs#protocols}
    works_with: {value: [dramatiq], source: https://managed-broker.example/docs#python}
"""


def group_titles(page) -> list[str]:
    return [h.get_text(strip=True) for h in page.select("article .catalog-group-title")]


def test_projects_page_compares_like_with_like(site):
    """One table per kind (task queues first, in-process work next to them as the alternative it
    is, then schedulers, workflow engines, monitoring), each with its kind's facts as columns in
    the default order; the inactive projects last."""
    page = soup(site / "projects.html")
    sections = kind_sections(load_catalog(CONTENT).section("projects"))
    assert [s.key for s in sections][:2] == ["queue", "in-process"]
    titles = [h.get_text(strip=True) for h in page.select("article .group-title")]
    assert titles == [s.title for s in sections]
    for section in sections:
        table = page.select_one(f"table.grid-{section.key}")
        assert [tr["data-project"] for tr in table.select("tbody tr")] == [e.id for e in section.entries]
        if section.kind:
            heads = [th.get_text(strip=True) for th in table.select("thead th[data-k]")]
            assert heads == [fact_label(k, section.kind) for k in section.facts]
            assert set(section.core) <= set(section.facts) <= set(KIND_FACTS[section.kind])
    queues = page.select_one("table.grid-queue")
    assert {tr["data-project"] for tr in queues.select("tbody tr")} >= {"celery", "rq", "dramatiq"}
    assert queues.select_one("#entry-fastapi-backgroundtasks") is None  # not a queue
    assert page.select_one("table.grid-in-process #entry-fastapi-backgroundtasks") is not None


def test_every_answer_cites_its_source_and_unknown_is_not_no(site):
    catalog = load_catalog(CONTENT)
    page = soup(site / "projects.html")
    # the catalog's in-process schedulers (APScheduler, schedule) are what the rule is for
    assert {tr["data-project"] for tr in page.select("tr:has(> td.a-na)")} >= {"apscheduler", "schedule"}
    for section in kind_sections(catalog.section("projects")):
        if not section.kind:
            continue
        for entry in section.entries:
            cells = page.select_one(f"#entry-{entry.id}").select("td")
            assert len(cells) == len(section.facts), entry.id
            for key, cell in zip(section.facts, cells, strict=True):
                fact = entry.facts.get(key)
                if not entry.applies(key):  # ruled out by another answer: says so, not "unknown"
                    assert fact is None and cell["class"] == ["a-na", "opt"], (entry.id, key)
                    assert cell.get_text(strip=True) == "does not apply" and cell.select_one("a") is None
                    continue
                if fact is None:  # unknown says so in words, with no citation
                    assert cell["class"][0] == "a-unknown" and cell.get_text(strip=True) == "unknown"
                    assert cell.select_one("a") is None
                    continue
                citation = cell.find("a", recursive=False)
                assert (citation["href"], citation.get_text()) == (fact.source, "docs"), (entry.id, key)
                assert cell["class"][0] == f"a-{fact.answer}"
                if fact.answer in ("yes", "no", "partial"):
                    assert cell.find("b").get_text() == fact.answer  # the answer in words
                if fact.note:
                    assert cell.find("small").get_text() == fact.note


def test_no_and_unknown_and_partial_read_differently(tmp_path):
    content = copy_content(tmp_path)
    path = content / "catalog" / "projects.yaml"
    path.write_text(path.read_text() + EXTRA_QUEUE)
    out = build(content, tmp_path / "out")
    row = soup(out / "projects.html").select_one("#entry-three-answers")
    cells = dict(zip(KIND_FACTS["queue"], row.select("td"), strict=False))
    assert cells["retries"].get_text(" ", strip=True) == "yes docs"
    assert cells["priorities"].get_text(" ", strip=True) == "no docs no priority queues"
    assert cells["rate_limits"].get_text(" ", strip=True) == "partial docs per worker only"
    assert cells["results"].get_text(" ", strip=True) == "unknown"
    assert {c["class"][0] for c in cells.values()} >= {"a-yes", "a-no", "a-partial", "a-unknown"}


def test_archived_last_and_outside_text_escaped(tmp_path):
    content = copy_content(tmp_path)
    for name, extra in (("projects", EXTRA_PROJECT), ("hosted", EXTRA_HOSTED)):
        path = content / "catalog" / f"{name}.yaml"
        path.write_text(path.read_text() + extra)
    out = build(content, tmp_path / "out")
    page = soup(out / "projects.html")
    assert page.select("article .group-title")[-1].get_text(strip=True) == "Archived / unmaintained"
    old = page.select_one("table.grid-archived #entry-old-scheduler")
    badge = old.select_one(".badge")
    assert (badge.get_text(), badge["href"]) == ("unmaintained", "https://old-scheduler.example/README#status")
    assert old.select_one("a.v-link[href='https://pypi.org/project/old-scheduler/']").get_text() == "PyPI"
    # no release data yet: no placeholder (issue 16)
    assert old.select_one(".v-release") is None and "not fetched" not in old.get_text()
    html = (out / "projects.html").read_text()
    assert "A cron-like scheduler, &lt;b&gt;no longer&lt;/b&gt; maintained" in html
    assert "cron &amp; &lt;friends&gt;" in html
    hosted = soup(out / "hosted.html").select_one("#entry-managed-broker")
    protocols = hosted.select_one(".fact-protocols dd").get_text(" ", strip=True)
    assert protocols.startswith("AMQP, Redis protocol")
    link = hosted.select_one(".fact-works_with dd span a")
    # a project named in a works_with answer links its own page
    assert (link.get_text(), link["href"]) == ("Dramatiq", "projects/dramatiq.html")
    assert soup(out / "projects" / "dramatiq.html").find("h1").get_text() == "Dramatiq"


def test_reading_list_by_topic_newest_first_with_years(site):
    catalog = load_catalog(CONTENT)
    page = soup(site / "resources.html")
    topics = resource_topics(catalog.section("resources"))
    assert group_titles(page) == [t.title for t in topics]
    assert all(h.name == "h3" for h in page.select("article .catalog-group-title"))  # under "Reading list"
    for topic in topics:
        items = page.select(f"ul.catalog-group-{topic.key} > li.entry")
        assert [li["id"] for li in items] == [f"entry-{e.id}" for e in topic.entries]
        years = [e.year for e in topic.entries if e.year]
        assert years == sorted(years, reverse=True)
        for li, entry in zip(items, topic.entries, strict=True):
            when = li.select_one(".entry-when").get_text()
            expected = (f"({entry.year}, {entry.type})" if entry.year
                        else f"({entry.type}, from the original guide)" if entry.from_seed
                        else f"({entry.type})")
            assert when == expected


EXTRA_READINGS = """
- name: Undated Talk
  id: undated-talk
  url: https://talks.example/undated
  type: talk
  topic: celery
  added: 2026-11-30
  description: A talk whose page shows no date.
- name: Dated Talk
  id: dated-talk
  url: https://talks.example/2025/dated
  year: 2025
  type: talk
  topic: celery
  added: 2026-11-30
  description: A talk whose URL shows its year.
"""


def test_a_reading_without_a_year_is_from_the_original_guide_only_when_it_is(tmp_path):
    """A year is only read off the page, so an entry added since the original guide may have none:
    it shows its type alone; "from the original guide" belongs to the guide's own entries."""
    content = copy_content(tmp_path)
    path = content / "catalog" / "resources.yaml"
    path.write_text(path.read_text() + EXTRA_READINGS)
    out = build(content, tmp_path / "out")
    page = soup(out / "resources.html")

    def when(entry_id: str) -> str:
        return page.select_one(f"#entry-{entry_id} .entry-when").get_text()

    assert when("undated-talk") == "(talk)"
    assert when("dated-talk") == "(2025, talk)"
    seed_undated = [e for e in load_catalog(content).section("resources") if e.from_seed and not e.year]
    assert seed_undated, "the original guide has undated readings"
    assert when(seed_undated[0].id) == f"({seed_undated[0].type}, from the original guide)"
