"""The generated "X vs Y" pages: at least eight pairs, every cell with its source or "unknown",
a "choose X if … / Y if …" drawn only from the rows, linked from both projects' rows."""

from __future__ import annotations

from pathlib import Path

from linkcheck.catalog import load_catalog
from plugins.catalog.compare import compare, comparisons, join_or
from tests.support.site import CONTENT, soup

SRC = "https://docs.example.org/guide"


def _catalog(tmp_path: Path, text: str):
    (tmp_path / "catalog").mkdir()
    (tmp_path / "catalog" / "projects.yaml").write_text(text, encoding="utf-8")
    return load_catalog(tmp_path)


TWO = f"""
- name: Alpha
  id: alpha
  group: general
  url: https://alpha.example.org/
  description: x
  facts:
    brokers: {{value: [redis, rabbitmq], source: "{SRC}#a-brokers"}}
    retries: {{value: true, source: "{SRC}#a-retries"}}
    rate_limits: {{value: true, source: "{SRC}#a-rate"}}
    results: {{value: partial, source: "{SRC}#a-results", note: in memory only}}
    asyncio: {{value: false, source: "{SRC}#a-async", note: threads only}}
- name: Beta
  id: beta
  group: general
  url: https://beta.example.org/
  description: x
  facts:
    brokers: {{value: [redis, postgresql], source: "{SRC}#b-brokers"}}
    retries: {{value: true, source: "{SRC}#b-retries"}}
    rate_limits: {{value: false, source: "{SRC}#b-rate", note: not documented}}
    results: {{value: false, source: "{SRC}#b-results", note: fire and forget}}
    asyncio: {{value: true, source: "{SRC}#b-async"}}
    monitoring: {{value: true, source: "{SRC}#b-ui"}}
"""


def test_choose_sentences_come_only_from_the_differences(tmp_path):
    catalog = _catalog(tmp_path, TWO)
    c = compare(catalog.get("alpha"), catalog.get("beta"), catalog)
    assert c.url == "compare/alpha-vs-beta.html" and c.title == "Alpha vs Beta"
    assert c.a.gains == ["RabbitMQ as the broker", "rate limits",
                         "stored task results (partly: in memory only)"]
    assert c.b.gains == ["PostgreSQL as the broker", "tasks written as async def"]
    assert c.both == ["Redis as the broker", "automatic retries"]
    # Beta's monitoring UI is a yes where Alpha's is unknown: never a reason, named as unknown
    assert c.a.unknown == ["Monitoring UI"] and c.b.unknown == []
    assert c.sentences() == [
        "Choose Alpha if you need RabbitMQ as the broker; rate limits; or stored task results "
        "(partly: in memory only).",
        "Choose Beta if you need PostgreSQL as the broker; or tasks written as async def.",
        "Both offer Redis as the broker and automatic retries.",
        "Not known for Alpha: Monitoring UI.",
    ]
    # every row is a fact of the kind, in schema order, each side's Fact or None (unknown)
    assert [r.key for r in c.rows][:3] == ["brokers", "asyncio", "scheduling"]
    assert next(r for r in c.rows if r.key == "scheduling").facts == (None, None)


def test_a_side_with_nothing_the_other_lacks_is_said_plainly(tmp_path):
    lesser = (TWO.replace("[redis, rabbitmq]", "[redis]")
              .replace(f'true, source: "{SRC}#a-rate"', f'false, source: "{SRC}#a-rate"')
              .replace(f'partial, source: "{SRC}#a-results", note: in memory only',
                       f'false, source: "{SRC}#a-results"'))
    catalog = _catalog(tmp_path, lesser)
    c = compare(catalog.get("alpha"), catalog.get("beta"), catalog)
    assert c.a.gains == [] and c.sentences()[0] == "Every feature of Alpha in this table, Beta has too."
    assert c.sentences()[1].startswith("Choose Beta if you need PostgreSQL as the broker")


def test_pairs_with_a_missing_project_are_skipped_with_the_reason(tmp_path):
    catalog = _catalog(tmp_path, TWO)
    found, problems = comparisons(catalog, [("alpha", "beta"), ("beta", "alpha"), ("alpha", "bta"),
                                            ("alpha", "alpha")])
    assert [c.slug for c in found] == ["alpha-vs-beta"]  # the same pair once
    assert problems == [
        "compare pair ['alpha', 'bta'] skipped: no project with id 'bta' (did you mean 'beta'?)",
        "compare pair ['alpha', 'alpha'] skipped: give two different project ids"]
    assert join_or(["a"]) == "a" and join_or(["a", "b", "c"], "and") == "a, b and c"
    assert join_or(["a, b", "c"], sep="; ") == "a, b; or c"


def test_at_least_eight_pages_every_cell_sourced_and_linked_from_both_rows(site):
    catalog = load_catalog(CONTENT)
    pages = sorted((site / "compare").glob("*.html"))
    assert len(pages) >= 8
    named = {"celery", "rq", "dramatiq", "huey", "arq", "taskiq", "procrastinate", "pgqueuer", "saq",
             "django-q2"}
    projects = soup(site / "projects.html")
    for path in pages:
        a_id, b_id = path.stem.split("-vs-")
        assert {a_id, b_id} <= named, path.name
        a, b = catalog.get(a_id), catalog.get(b_id)
        page = soup(path)
        assert page.find("h1").get_text() == f"{a.name} vs {b.name}"
        choose = page.select_one("p.choose").get_text(" ", strip=True)
        assert f"Choose {a.name} if" in choose or f"Every feature of {a.name}" in choose
        rows = {tr.th.get_text(strip=True): tr.select("td") for tr in page.select("table.vs tbody tr")}
        for key, label, _ in a.fact_rows():
            cells = rows[label]
            for entry, cell in zip((a, b), cells, strict=True):
                fact = entry.facts.get(key)
                if fact is None:
                    assert cell.get_text(strip=True) == "unknown" and cell.select_one("a") is None
                else:
                    citation = cell.find("a", recursive=False)
                    assert (citation["href"], citation.get_text()) == (fact.source, "docs"), (path.name, key)
        # linked from both projects' rows on the projects page
        href = f"compare/{path.name}"
        for one in (a_id, b_id):
            assert projects.select_one(f"#entry-{one} .v-vs a[href='{href}']") is not None, (one, href)
        # and from the projects page's list of side-by-side pages
        assert projects.select_one(f"#side-by-side ~ ul a[href='{href}']") is not None
