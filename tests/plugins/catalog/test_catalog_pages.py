"""The catalog pages: projects grouped by kind (archived last), facts with their sources,
hosted services with protocols, the reading list by topic, newest first, with years."""

from __future__ import annotations

from linkcheck.catalog import load_catalog, project_groups, resource_topics
from linkcheck.catalog.schema import GROUPS
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


def test_projects_page_groups_by_kind_in_schema_order(site):
    page = soup(site / "projects.html")
    groups = project_groups(load_catalog(CONTENT).section("projects"))
    assert group_titles(page) == [g.title for g in groups]
    order = list(GROUPS) + ["archived"]
    assert [order.index(g.key) for g in groups] == sorted(order.index(g.key) for g in groups)
    for group in groups:
        ul = page.select_one(f"ul.catalog-group-{group.key}")
        assert {li["id"] for li in ul.select("li.entry")} == {f"entry-{e.id}" for e in group.entries}


def test_facts_link_their_sources(site):
    catalog = load_catalog(CONTENT)
    page = soup(site / "projects.html")
    with_facts = [e for e in catalog.section("projects") if e.facts]
    assert with_facts
    for entry in with_facts:
        item = page.select_one(f"#entry-{entry.id}")
        sources = [a["href"] for a in item.select("dl.facts a.fact-source")]
        assert sources == [f.source for f in entry.facts.values()]
        labels = [dt.get_text(strip=True) for dt in item.select("dl.facts dt")]
        assert labels == [f.label for f in entry.facts.values()]


def test_archived_group_last_and_outside_text_escaped(tmp_path):
    content = copy_content(tmp_path)
    for name, extra in (("projects", EXTRA_PROJECT), ("hosted", EXTRA_HOSTED)):
        path = content / "catalog" / f"{name}.yaml"
        path.write_text(path.read_text() + extra)
    out = build(content, tmp_path / "out")
    page = soup(out / "projects.html")
    assert group_titles(page)[-1] == "Archived / unmaintained"
    old = page.select_one("ul.catalog-group-archived #entry-old-scheduler")
    assert "entry-archived" in old["class"]
    assert old.select_one(".entry-status a")["href"] == "https://old-scheduler.example/README#status"
    assert old.select_one(".entry-pypi a")["href"] == "https://pypi.org/project/old-scheduler/"
    # no release data yet: no placeholder (issue 16); the catalog's own status shows as a badge
    assert old.select_one(".v-release") is None and "not fetched" not in old.get_text()
    html = (out / "projects.html").read_text()
    assert "A cron-like scheduler, &lt;b&gt;no longer&lt;/b&gt; maintained" in html
    assert "(cron &amp; &lt;friends&gt;)" in html
    hosted = soup(out / "hosted.html").select_one("#entry-managed-broker")
    protocols = hosted.select_one(".fact-protocols dd").get_text(" ", strip=True)
    assert protocols.startswith("AMQP, Redis protocol")
    link = hosted.select_one(".fact-works_with dd a")
    assert (link.get_text(), link["href"]) == ("Dramatiq", "projects.html#entry-dramatiq")
    assert soup(out / "projects.html").select_one("#entry-dramatiq") is not None


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
                        else f"({entry.type}, from the original guide)")
            assert when == expected
