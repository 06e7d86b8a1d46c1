"""The generated "X vs Y" pages: at least eight pairs, every cell with its source or "unknown",
a "choose X if … / Y if …" drawn only from the rows, linked from both projects' rows."""

from __future__ import annotations

from pathlib import Path

from linkcheck.catalog import load_catalog
from pelicanconf import CATALOG
from plugins.catalog.compare import (
    TEST_ONLY,
    YES_PHRASES,
    _covered,
    compare,
    comparisons,
    join_or,
    short_name,
)
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
    assert c.a.gains == ["rate limits"] and c.b.gains == ["tasks written as async def"]
    # a partial against a no is a limit, never a headline reason
    assert c.a.limits == ["stored task results only in part: in memory only"]
    # a value the other side does not list is "listed only", never a reason (it may work all the same)
    assert c.a.listed == ["RabbitMQ as the broker"] and c.b.listed == ["PostgreSQL as the broker"]
    assert c.both == ["Redis as the broker", "automatic retries"]
    # Beta's monitoring UI is a yes where Alpha's is unknown: never a reason, named as unknown
    assert c.a.unknown == ["Monitoring UI"] and c.b.unknown == []
    assert c.sentences() == [
        "Choose Alpha if you need rate limits. It offers stored task results only in part: in memory "
        "only. Only Alpha lists RabbitMQ as the broker.",
        "Choose Beta if you need tasks written as async def. Only Beta lists PostgreSQL as the broker.",
        "Both offer Redis as the broker and automatic retries.",
        "Not known for Alpha: monitoring UI.",
    ]
    # every row is a fact of the kind, in schema order, each side's Fact or None (unknown)
    assert [r.key for r in c.rows][:3] == ["brokers", "asyncio", "scheduling"]
    assert next(r for r in c.rows if r.key == "scheduling").facts == (None, None)


def test_a_side_with_nothing_the_other_lacks_is_said_plainly(tmp_path):
    lesser = (TWO.replace("[redis, rabbitmq]", "[redis, memory]")
              .replace(f'true, source: "{SRC}#a-rate"', f'false, source: "{SRC}#a-rate"')
              .replace(f'partial, source: "{SRC}#a-results", note: in memory only',
                       f'false, source: "{SRC}#a-results"'))
    catalog = _catalog(tmp_path, lesser)
    c = compare(catalog.get("alpha"), catalog.get("beta"), catalog)
    # in-memory is for tests: no reason, nothing "only Alpha lists"
    assert c.a.gains == [] and c.a.listed == []
    assert c.sentences()[0] == "Every feature of Alpha in this table, Beta has too."
    assert c.sentences()[1].startswith("Choose Beta if you need tasks written as async def")
    assert "Neither offers rate limits or stored task results." in c.sentences()
    # "every feature" only where the other side leaves nothing of it unknown
    framework = f'    frameworks: {{value: [django], source: "{SRC}#a-fw"}}\n'
    unknown = lesser.replace("    asyncio: {value: false", framework + "    asyncio: {value: false", 1)
    (tmp_path / "u").mkdir()
    catalog = _catalog(tmp_path / "u", unknown)
    c = compare(catalog.get("alpha"), catalog.get("beta"), catalog)
    assert c.sentences()[0] == "Alpha has nothing in this table that Beta is known to lack."
    assert "Not known for Beta: framework integrations." in c.sentences()


def test_a_note_that_names_a_value_keeps_it_from_being_a_difference(tmp_path):
    noted = TWO.replace(f'[redis, postgresql], source: "{SRC}#b-brokers"',
                        f'[redis], source: "{SRC}#b-brokers", note: "RabbitMQ via a plugin"')
    noted = noted.replace(f'[redis, rabbitmq], source: "{SRC}#a-brokers"',
                          f'[redis, rabbitmq, sqs], source: "{SRC}#a-brokers", note: SQS is experimental')
    catalog = _catalog(tmp_path, noted)
    c = compare(catalog.get("alpha"), catalog.get("beta"), catalog)
    # Beta's note covers RabbitMQ; Alpha's own note about SQS travels with it
    assert c.a.listed == ["Amazon SQS as the broker; SQS is experimental"]


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
        items = [li.get_text(" ", strip=True) for li in page.select("ul.choose > li")]
        assert a.name in items[0] and short_name(b) in items[1], path.name
        assert "maintained" not in [td.get_text(strip=True) for td in page.select("table.vs td")]
        assert page.select_one("#more ~ ul.vs-list a") is not None, path.name  # never a dead end
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


def test_the_real_pages_choose_sentences_never_contradict_their_table():
    catalog = load_catalog(CONTENT)
    found, problems = comparisons(catalog, CATALOG["compare_pairs"])
    assert not problems and len(found) >= 8
    test_only = {catalog.get("huey").facts["brokers"].value_labels()[i]
                 for i, v in enumerate(catalog.get("huey").facts["brokers"].values) if v in TEST_ONLY}
    assert test_only == {"in-memory", "filesystem"}
    titles = [c.title for c in found]
    for c in found:
        a, b = c.entries
        assert (a.name.casefold(), a.id) < (b.name.casefold(), b.id), c.title  # one order rule
        text = " ".join(c.sentences())
        for me, other in ((c.a, c.b), (c.b, c.a)):
            mine, theirs = me.entry, other.entry
            # a reason is a yes where the other side's own cell says no
            for gain in me.gains:
                key = next(k for k, phrase in YES_PHRASES.items() if gain.removesuffix(" in full") == phrase)
                answers = (mine.facts[key].answer, theirs.facts[key].answer)
                assert answers == ("yes", "partial" if gain.endswith(" in full") else "no"), (c.title, gain)
            # "only X lists V": the other side's cell and note name no V
            for key, values in me.only.items():
                ft = theirs.facts[key]
                labels = dict(zip(mine.facts[key].values, mine.facts[key].value_labels(), strict=True))
                for value in values:
                    assert value not in ft.values, (c.title, value)
                    assert not _covered(value, labels[value], ft.note), (c.title, value)
            # "every feature" only where the other side has no unknowns
            if f"Every feature of {mine.name}" in text or f"Every feature of {short_name(mine)} " in text:
                assert not other.unknown, c.title
        for label in test_only:
            assert label not in text, (c.title, label)
        assert "((" not in text and not any(t in text for t in ("(partly", "in full ("))
        for entry in c.entries:  # the long name once, then the short one
            if short_name(entry) != entry.name:
                assert text.count(entry.name) <= 1, (c.title, entry.name)
    assert "Celery vs RQ (Redis Queue)" in titles and "SAQ vs Taskiq" in titles
    celery_rq = compare(catalog.get("celery"), catalog.get("rq"), catalog)
    assert "Valkey" not in " ".join(celery_rq.a.gains + celery_rq.b.gains)
    taskiq_saq = compare(catalog.get("taskiq"), catalog.get("saq"), catalog)
    assert not any("PostgreSQL" in listed for listed in taskiq_saq.b.listed)  # Taskiq's note covers it
    dramatiq_huey = compare(catalog.get("dramatiq"), catalog.get("huey"), catalog)
    assert not any("Flask" in listed for listed in dramatiq_huey.a.listed)  # Huey's note covers it
