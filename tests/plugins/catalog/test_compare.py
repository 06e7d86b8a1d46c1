"""The generated "X vs Y" pages: at least eight pairs, every cell with its source or "unknown",
a "choose X if … / Y if …" drawn only from the rows, linked from both projects' rows."""

from __future__ import annotations

import re
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
    # a partial against a no is a limit, a reason only for a side without any other
    assert c.a.limits == ["stored task results in part: in memory only"]
    # a value the other side does not list is "listed only", never a reason (it may work all the same)
    assert c.a.listed == ["RabbitMQ as the broker"] and c.b.listed == ["PostgreSQL as the broker"]
    assert c.both == ["Redis as the broker", "automatic retries"]
    # Beta's monitoring UI is a yes where Alpha's is unknown: never a reason, named as unknown
    assert c.a.unknown == ["Monitoring UI"] and c.b.unknown == []
    assert c.sentences() == [
        "Choose Alpha if you need rate limits. It offers stored task results in part: in memory "
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
    assert c.sentences()[0] == "Beta has every feature of Alpha in this table."
    assert c.sentences()[1].startswith("Choose Beta if you need tasks written as async def")
    assert "Neither offers rate limits or stored task results." in c.sentences()
    # "every feature" only where the other side leaves nothing of it unknown
    framework = f'    frameworks: {{value: [django], source: "{SRC}#a-fw"}}\n'
    unknown = lesser.replace("    asyncio: {value: false", framework + "    asyncio: {value: false", 1)
    (tmp_path / "u").mkdir()
    catalog = _catalog(tmp_path / "u", unknown)
    c = compare(catalog.get("alpha"), catalog.get("beta"), catalog)
    # no double negative ("has nothing … Beta is known to lack"), and no "every feature" outright
    assert c.sentences()[0] == "Beta has every feature of Alpha that this table answers for both."
    assert "Not known for Beta: framework integrations." in c.sentences()


def test_a_side_without_gains_is_chosen_for_what_only_it_lists_or_for_being_maintained(tmp_path):
    # Alpha: no yes against a no, but brokers only it lists; Beta maintenance only, nothing more
    alike = (TWO.replace(f'true, source: "{SRC}#a-rate"', f'false, source: "{SRC}#a-rate"')
             .replace(f'partial, source: "{SRC}#a-results", note: in memory only',
                      f'false, source: "{SRC}#a-results"')
             .replace(f'true, source: "{SRC}#b-async"', f'false, source: "{SRC}#b-async"')
             .replace(f'[redis, postgresql], source: "{SRC}#b-brokers"',
                      f'[redis], source: "{SRC}#b-brokers", note: "django-beta, flask-beta"')
             .replace(f'    monitoring: {{value: true, source: "{SRC}#b-ui"}}\n', "")
             .replace("  description: x\n  facts:\n    brokers: {value: [redis], ",
                      "  description: x\n  status: maintenance-only\n"
                      "  status_source: https://beta.example.org/#status\n  facts:\n"
                      "    brokers: {value: [redis], "))
    catalog = _catalog(tmp_path, alike)
    assert catalog.get("beta").status == "maintenance-only"
    lines = compare(catalog.get("alpha"), catalog.get("beta"), catalog).lines()
    texts = [f"{line.head}{line.tail}" for line in lines]
    # the template puts Beta's notice and its source between head and tail
    assert (lines[0].head, lines[0].entry.id) == (
        "Choose Alpha if you want a project under active development, unlike Beta", "beta")
    assert texts[0].endswith(". Only Alpha lists RabbitMQ as the broker.")
    # Beta's note is a bare list of packages: never carried into a sentence
    # and Beta's notice is not repeated on its own line
    assert texts[1] == "Alpha has every feature of Beta in this table." and lines[1].entry is None
    # without the notice: chosen for the broker only it lists
    (tmp_path / "m").mkdir()
    maintained = _catalog(tmp_path / "m", alike.replace("  status: maintenance-only\n", "").replace(
        "  status_source: https://beta.example.org/#status\n", ""))
    texts = compare(maintained.get("alpha"), maintained.get("beta"), maintained).sentences()
    assert texts[0] == "Choose Alpha if your broker is RabbitMQ (only Alpha lists it)."
    assert not any("django-beta" in t or "no feature in full" in t for t in texts)


def test_a_note_that_names_a_value_keeps_it_from_being_a_difference(tmp_path):
    noted = TWO.replace(f'[redis, postgresql], source: "{SRC}#b-brokers"',
                        f'[redis], source: "{SRC}#b-brokers", note: "RabbitMQ via a plugin"')
    noted = noted.replace(f'[redis, rabbitmq], source: "{SRC}#a-brokers"',
                          f'[redis, rabbitmq, sqs], source: "{SRC}#a-brokers", note: SQS is experimental')
    catalog = _catalog(tmp_path, noted)
    c = compare(catalog.get("alpha"), catalog.get("beta"), catalog)
    # Beta's note covers RabbitMQ; Alpha's own note about SQS travels with it, as its own sentence
    assert c.a.listed == ["Amazon SQS as the broker"] and c.a.notes == ["SQS is experimental"]
    assert "Only Alpha lists Amazon SQS as the broker. SQS is experimental." in " ".join(c.sentences())


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
            if f"every feature of {short_name(mine)} in this table" in text:
                assert not other.unknown, c.title
        # every page says what to choose, never in double negatives or a doubled "only"
        assert any(line.startswith("Choose ") for line in c.sentences()), c.title
        for bad in ("no feature in full", "known to lack", "only in part:", "Every feature of"):
            assert bad not in text, (c.title, bad)
        assert not re.search(r"; [\w-]+, [\w-]+\.", text), c.title  # no bare package list carried
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
    sentences = {c.slug: c.sentences() for c in found}
    # "More side by side" for a pair in no other: the pages sharing a broker, not every page
    pg = next(c for c in found if c.slug == "pgqueuer-vs-procrastinate")
    more = [c.slug for c in pg.more(found)]
    assert more and len(more) < len(found) - 1, more
    for c in pg.more(found):
        assert any("postgresql" in e.facts["brokers"].values for e in c.entries), c.slug
    celery_rq_more = next(c for c in found if c.slug == "celery-vs-rq").more(found)
    assert all({"celery", "rq"} & {e.id for e in c.entries} for c in celery_rq_more)
    assert "Choose Huey if your broker is Valkey, PostgreSQL or SQLite (only Huey lists them)." in (
        sentences["celery-vs-huey"])
    assert any(line.startswith("Choose Taskiq if you want a project under active development, unlike arq")
               for line in sentences["arq-vs-taskiq"])
    assert "SAQ has every feature of arq in this table." in sentences["arq-vs-saq"]
    assert "Both offer task priorities only in part." in sentences["saq-vs-taskiq"]
    # notes that are sentences travel once; Only-X clauses merge into one
    dramatiq_rq = " ".join(sentences["dramatiq-vs-rq"])
    assert dramatiq_rq.count("Only Dramatiq lists") == 1 and "Flask-Dramatiq" not in dramatiq_rq
    dramatiq_huey = compare(catalog.get("dramatiq"), catalog.get("huey"), catalog)
    assert not any("Flask" in listed for listed in dramatiq_huey.a.listed)  # Huey's note covers it
