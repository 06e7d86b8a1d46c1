"""A page per project (projects/<id>.html): the project's own words, every fact of its kind with
its citation and note ("unknown" in words), its links, and what to compare it with: its
side-by-side pages, then the most alike projects of its kind by their sourced answers; linked from
its row on the projects page (which keeps a "home" link) and from its side-by-side pages."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from linkcheck.catalog import Entry, load_catalog
from linkcheck.catalog.ranking import kind_sections
from pelicanconf import CATALOG
from plugins.catalog.compare import by_entry, comparisons, likeness, most_alike, related
from plugins.catalog.project import ALIKE, ProjectPage, project_pages
from tests.support.site import CONTENT, build, copy_content, soup

SRC = "https://docs.example.org/guide"


def _catalog(tmp_path: Path, text: str):
    (tmp_path / "catalog").mkdir()
    (tmp_path / "catalog" / "projects.yaml").write_text(text, encoding="utf-8")
    return load_catalog(tmp_path)


def _queue(qid: str, facts: dict[str, str], **fields: str) -> str:
    lines = [f"- name: {qid.title()}", f"  id: {qid}", f"  group: {fields.pop('group', 'general')}",
             f"  url: https://{qid}.example.org/", "  description: x"]
    lines += [f"  {key}: {value}" for key, value in fields.items()]
    if facts:
        lines.append("  facts:")
        for key, value in facts.items():
            note = ", note: in memory only" if value == "partial" else ""
            lines.append(f'    {key}: {{value: {value}, source: "{SRC}#{qid}-{key}"{note}}}')
    return "\n".join(lines) + "\n"


ALIKE_CATALOG = "".join([
    _queue("origin", {"brokers": "[redis, rabbitmq]", "retries": "true", "results": "true",
                      "scheduling": "false", "asyncio": "false"}),
    # half origin's brokers (3 x 1/2), retries and results alike (1 + 1), two shared no's (0.25, and
    # 3 x 0.25 for asyncio, which weighs three times for a queue)
    _queue("twin", {"brokers": "[redis]", "retries": "true", "results": "true", "scheduling": "false",
                    "asyncio": "false"}),
    # half the brokers, retries alike, results partial against yes (0.5), async yes against no (3 x -0.5)
    _queue("sibling", {"brokers": "[rabbitmq]", "retries": "true", "results": "partial", "asyncio": "true"}),
    # half the brokers, but a no where origin has a yes twice (-0.5 each), no's alike: 1.5 - 1 + 0.25 + 0.75
    _queue("rival", {"brokers": "[redis, memory]", "retries": "false", "results": "false",
                     "scheduling": "false", "asyncio": "false"}),
    # agrees on everything but shares no broker: never an alternative
    _queue("cousin", {"brokers": "[postgresql]", "retries": "true", "results": "true", "scheduling": "false",
                      "asyncio": "false"}),
    # wraps origin: a companion, never its alternative, and listed as working with it
    _queue("wrapper", {"brokers": "[redis, rabbitmq]", "retries": "true", "results": "true"},
           builds_on="origin"),
    # nothing sourced: no evidence of likeness at all
    _queue("stranger", {}),
    # a scheduler that answers alike is another kind: never offered
    _queue("timer", {"asyncio": "false", "brokers": "[redis, rabbitmq]"}, group="scheduler"),
])


def test_likeness_needs_a_shared_broker_and_weighs_yes_over_no(tmp_path):
    catalog = _catalog(tmp_path, ALIKE_CATALOG)
    origin = catalog.get("origin")
    assert likeness(origin, catalog.get("twin")) == 1.5 + 2 + 0.25 + 0.75
    assert likeness(origin, catalog.get("sibling")) == 1.5 + 1 + 0.5 - 1.5
    assert likeness(origin, catalog.get("rival")) == 1.5 - 1 + 0.25 + 0.75  # in-memory is for tests only
    # the share of origin's brokers the other serves, however many more it has: all of them
    assert likeness(catalog.get("twin"), catalog.get("origin")) == 3 + 2 + 0.25 + 0.75
    for other in ("cousin", "wrapper", "stranger", "timer", "origin"):
        assert likeness(origin, catalog.get(other)) is None, other
    alike = most_alike(origin, catalog.section("projects"), 3)
    # rival and the async-only sibling score under half the closest (twin): filler, left out;
    # alone, rival is offered
    assert [e.id for e in alike] == ["twin"]
    assert most_alike(origin, [catalog.get("rival")]) == [catalog.get("rival")]
    assert [e.id for e in most_alike(origin, catalog.section("projects"), 1)] == ["twin"]
    # the wrapper's page never offers what it wraps either
    assert origin not in most_alike(catalog.get("wrapper"), catalog.section("projects"))


def test_each_page_offers_its_side_by_side_pages_then_the_most_alike_without_one(tmp_path):
    catalog = _catalog(tmp_path, ALIKE_CATALOG)
    found, _ = comparisons(catalog, [("twin", "origin")])
    assert [c.title for c in found] == ["Origin vs Twin"]  # names in order, whatever the config's
    sections = kind_sections(catalog.section("projects"))
    pages = {p.entry.id: p for p in project_pages(sections, by_entry(found))}
    assert set(pages) == {e.id for e in catalog.section("projects")}
    origin = pages["origin"]
    assert [other.id for other, _ in origin.comparisons] == ["twin"]
    # twin has its page with origin already, and as the closest still keeps rival and the
    # async-only sibling out as filler
    assert origin.alike == []
    assert [e.id for e in origin.works_with_it] == ["wrapper"]
    assert origin.url == "projects/origin.html" and origin.section.key == "queue"
    assert pages["timer"].alike == [] and pages["timer"].section.key == "scheduler"
    # no facts to match on: the top maintained projects of its group instead
    assert pages["stranger"].alike == [] and pages["stranger"].fallback_reason == "group"
    assert pages["stranger"].fallback and all(e.group == "general" for e in pages["stranger"].fallback)


def _real_pages() -> dict[str, ProjectPage]:
    catalog = load_catalog(CONTENT)
    found, _ = comparisons(catalog, CATALOG["compare_pairs"])
    sections = kind_sections(catalog.section("projects"))
    return {p.entry.id: p for p in project_pages(sections, by_entry(found))}


def _offered(page: ProjectPage) -> list[Entry]:
    return [other for other, _ in page.comparisons] + page.alike


def test_the_real_catalogs_suggestions_are_ones_a_reader_would_agree_with():
    pages = _real_pages()
    for pid, page in pages.items():
        entry = page.entry
        for other in page.alike:
            # never a companion that wraps, extends or serves it
            assert not related(entry, other) and other.builds_on != entry.id, (pid, other.id)
            if entry.kind == "queue":  # a shared broker, never a test-only one
                shared = set(other.facts["brokers"].values) & set(entry.facts["brokers"].values)
                assert shared - {"memory", "filesystem"}, (pid, other.id)
            if entry.kind in ("scheduler", "monitoring") and "works_with" in entry.facts:
                assert set(other.facts["works_with"].values) & set(entry.facts["works_with"].values)
            if page.wants_alternatives:
                assert other.status is None, (pid, other.id)
    assert all("postgresql" in o.facts["brokers"].values for o in _offered(pages["procrastinate"]))
    assert all("postgresql" in o.facts["brokers"].values for o in _offered(pages["pgmq"]))
    assert [e.id for e in pages["schedule"].alike] == ["apscheduler"]
    assert [e.id for e in pages["apscheduler"].alike] == ["schedule"]
    assert "django-rq" not in [e.id for e in _offered(pages["rq"])]
    assert "django-rq" not in [e.id for e in _offered(pages["celery"])]  # RQ stands for it
    assert not {"django-tasks", "django-tasks-db"} & {e.id for e in pages["django-tasks"].alike
                                                     + pages["django-tasks-db"].alike}
    assert {e.id for e in pages["rq-dashboard"].alike} <= {"rq-exporter"}
    assert "rq-dashboard" not in [e.id for e in pages["flower"].alike]
    assert "dagster" in [e.id for e in pages["apache-airflow"].alike]
    assert [e.id for e in pages["rq-scheduler"].alike] == []  # the only scheduler for RQ
    # a queue serving more brokers is no less alike: Taskiq serves streaQ's Redis, and more
    assert "taskiq" in [e.id for e in pages["streaq"].alike]
    # a sync queue never leads with an async-only one, nor the other way round
    for pid, page in pages.items():
        asyncio = page.entry.facts.get("asyncio")
        if page.entry.kind == "queue" and page.alike and asyncio is not None and asyncio.answer != "partial":
            first = page.alike[0].facts.get("asyncio")
            assert first is None or first.answer in (asyncio.answer, "partial"), (pid, page.alike[0].id)
    # a Django queue's suggestions come with a Django integration first
    assert "django" in pages["django-q2"].alike[0].facts["frameworks"].values
    # maintained candidates before maintenance-only ones: arq never leads another's suggestions
    assert all(page.alike[:1] != [pages["arq"].entry] for page in pages.values())
    # the companions are listed the other way round
    assert {"periodiq", "dramatiq-crontab"} <= {e.id for e in pages["dramatiq"].works_with_it}
    assert {"django-rq", "rq-scheduler", "rq-dashboard"} <= {e.id for e in pages["rq"].works_with_it}
    # in-process work: the maintained queues that run async def natively
    fastapi = pages["fastapi-backgroundtasks"]
    assert fastapi.alike == [] and fastapi.fallback_reason == "async" and fastapi.fallback
    for other in fastapi.fallback:
        assert other.kind == "queue" and other.facts["asyncio"].answer == "yes" and other.status is None
        assert other.facts["retries"].answer == "yes", other.id  # partial retries are no alternative
    # ranked as the guide ranks a need: full answers on retries and results before downloads
    full = [sum(e.facts[k].answer == "yes" for k in ("retries", "results") if k in e.facts)
            for e in fastapi.fallback]
    assert full == sorted(full, reverse=True) and "faststream" not in [e.id for e in fastapi.fallback]
    # a queue on a test-only backend, or built on another: its base, then the guide's Django queues
    for pid in ("django-tasks", "django-tasks-framework"):
        page = pages[pid]
        assert page.fallback_reason == "framework" and len(page.fallback) >= 3, pid
        for other in page.fallback:
            assert "django" in other.facts["frameworks"].values and other.status is None, (pid, other.id)
            assert not related(page.entry, other) and other.id != pid
    assert pages["django-tasks"].base.id == "django-tasks-framework"
    assert pages["django-rq"].base.id == "rq"
    assert "celery-vs-rq" in [c.slug for _, c in pages["django-rq"].base_comparisons]
    # a scheduler or dashboard nothing stands in for: the served queue's own fact of that job
    queue, fact = pages["rq-scheduler"].served
    assert queue.id == "rq" and fact.key == "scheduling" and fact.answer == "yes"
    # a suggestion that lacks what defines the project is named as such, only there
    assert pages["rq-exporter"].lacking == "Prometheus metrics"
    assert {pid for pid, page in pages.items() if page.lacking} == {"rq-exporter"}
    queue, fact = pages["dramatiq-dashboard"].served
    assert queue.id == "dramatiq" and fact.key == "monitoring" and fact.source.startswith("https://")
    # no facts: the top maintained queues of its group
    taskmaster = pages["taskmaster"]
    assert taskmaster.fallback and all(e.group == "general" and e.status is None for e in taskmaster.fallback)


def _text(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").get_text().split())


def test_every_project_has_a_page_with_its_words_every_fact_and_its_links(site):
    catalog = load_catalog(CONTENT)
    projects = catalog.section("projects")
    # the catalog has entries both sides of the fold, so the page is checked both ways below
    assert {len(e.fact_table()[1]) >= 3 for e in projects if e.facts} == {True, False}
    written = sorted(p.name for p in (site / "projects").glob("*.html"))
    assert written == sorted(f"{e.id}.html" for e in projects)
    for entry in projects:
        page = soup(site / "projects" / f"{entry.id}.html")
        main = page.select_one("main")
        assert main.find("h1").get_text() == entry.name
        assert page.find("title").get_text().startswith(f"{entry.name} · ")
        if entry.summary:
            assert main.select_one("p.lead").get_text() == entry.summary
        # the description paragraph, the catalog's own words, shown nowhere else but here
        assert _text(entry.description_html) in " ".join(main.get_text().split()), entry.id
        links = [(a.get_text(), a["href"]) for a in main.select(".project-links a")]
        # a home page that is the repository is called what it is
        assert links[0] == ("repository" if entry.repo == entry.url else "home page", entry.url)
        if entry.repo and entry.repo != entry.url:
            assert (f"{entry.part_of}'s repository" if entry.part_of else "repository", entry.repo) in links
        if entry.pypi:
            assert (f"{entry.part_of} on PyPI" if entry.part_of else "PyPI", entry.pypi_url) in links
        rows = main.select("table.vs-one tbody tr")
        if not entry.facts:  # one line, not a column of "unknown"
            assert not rows and "no sourced fact" in main.get_text()
            continue
        shown, unsourced = entry.fact_table()
        assert [tr.th.get_text() for tr in rows] == [label for _, label, _ in shown]
        # three or more unknown facts: named on one line, not a column of "unknown"; fewer stay rows
        line = main.select_one("p.unsourced")
        if unsourced:
            assert len(unsourced) >= 3 and line.get_text() == f"Not yet sourced: {', '.join(unsourced)}."
            assert all(fact is not None for _, _, fact in shown), entry.id
        else:
            assert line is None
        # a fact another answer rules out (a scheduler in your process schedules no queue's tasks)
        ruled_out = [key for key in entry.fact_keys() if not entry.applies(key)]
        assert not {label for key, label, _ in entry.fact_rows() if key in ruled_out}
        for tr, (key, _, fact) in zip(rows, shown, strict=True):
            cell = tr.td
            if fact is None:
                assert cell.get_text(strip=True) == "unknown" and cell.find("a") is None
                assert cell["class"] == ["a-unknown"]
                continue
            citation = cell.find("a", recursive=False)
            assert (citation.get_text(), citation["href"]) == ("docs", fact.source), (entry.id, key)
            assert cell["class"] == [f"a-{fact.answer}"]
            if fact.note:
                assert cell.find("small").get_text() == fact.note
            if fact.answer in ("yes", "no", "partial"):
                assert cell.find("b").get_text() == fact.answer  # in words, the symbol beside it


def test_the_projects_page_links_each_page_and_keeps_the_home_page(site):
    catalog = load_catalog(CONTENT)
    page = soup(site / "projects.html")
    for entry in catalog.section("projects"):
        row = page.select_one(f"#entry-{entry.id}")
        assert row.select_one(".pn a")["href"] == f"projects/{entry.id}.html"
        home = "repository" if entry.repo == entry.url else "home"
        assert row.select_one(".vitals").find("a", class_="v-link", string=home)["href"] == entry.url


def _pairs(site: Path) -> list[tuple[str, str]]:
    return [tuple(p.stem.split("-vs-")) for p in sorted((site / "compare").glob("*.html"))]


def test_side_by_side_pages_link_both_projects_pages_both_ways(site):
    pairs = _pairs(site)
    assert len(pairs) >= 8
    for a_id, b_id in pairs:
        vs = soup(site / "compare" / f"{a_id}-vs-{b_id}.html")
        heads = [a["href"] for a in vs.select("table.vs thead th a")]
        assert heads == [f"../projects/{a_id}.html", f"../projects/{b_id}.html"]
        for one in (a_id, b_id):
            own = soup(site / "projects" / f"{one}.html")
            assert own.select_one(f"#compare-with ~ ul a[href='../compare/{a_id}-vs-{b_id}.html']")


def test_compare_with_offers_the_most_alike_of_the_same_kind_side_by_side(site):
    catalog = load_catalog(CONTENT)
    # RQ: side-by-side pages with four queues, then the most alike without one
    page = soup(site / "projects" / "rq.html")
    paired = {one for pair in _pairs(site) if "rq" in pair for one in pair} - {"rq"}
    assert paired
    links = page.select("#compare-with ~ ul a[href^='../projects.html?compare=']")
    assert 0 < len(links) <= ALIKE
    for link in links:
        href = link["href"]
        assert href.startswith("../projects.html?compare=rq,") and href.endswith("#compare")
        other = catalog.get(href.split(",")[1].removesuffix("#compare"))
        assert other.kind == "queue" and other.id not in paired and not other.archived
        # named as the side by side it opens; without JavaScript, the other project's own page
        assert link.get_text() == f"RQ vs {other.name.split(' (')[0]}" and "vs-js" in link["class"]
        assert link.find_next_sibling("noscript").a["href"] == f"../projects/{other.id}.html"
    assert page.select_one("head noscript style") is not None
    # a maintenance-only project named in these lists carries its status
    names = [a.get_text(" ", strip=True) for a in page.select("#compare-with ~ ul a")]
    assert "arq vs RQ (Redis Queue) (arq: maintenance only)" in names, names
    # a queue built on another says so, with the base's side-by-side pages
    rq_page = soup(site / "projects" / "django-rq.html").select_one("section[aria-labelledby=compare-with]")
    assert "Builds on: RQ (Redis Queue)" in rq_page.get_text(" ", strip=True)
    assert rq_page.select_one("a[href='../compare/celery-vs-rq.html']") is not None
    exporter = soup(site / "projects" / "rq-exporter.html").select_one("#compare-with").parent
    assert "Unlike rq-exporter, rq-dashboard offers no Prometheus metrics." in exporter.get_text(" ")
    # no dead end where the only backend is for tests; no "come close enough" wording anywhere
    tasks = soup(site / "projects" / "django-tasks.html").select_one("section[aria-labelledby=compare-with]")
    assert len(tasks.select("ul.vs-list a")) >= 3 and "close enough" not in tasks.get_text()
    # the side-by-side view is reachable on the projects page (its panel and every project's row)
    assert soup(site / "projects.html").select_one("section#compare[data-compare]") is not None


def test_an_inactive_project_shows_its_status_source_and_maintained_alternatives(tmp_path):
    content = copy_content(tmp_path)
    path = content / "catalog" / "projects.yaml"
    path.write_text(path.read_text() + "\n" + _queue(
        "bygone", {"brokers": "[redis]", "retries": "true", "results": "true"},
        status="unmaintained", status_source="https://bygone.example.org/README#status",
        added="2026-11-30"))
    out = build(content, tmp_path / "out")
    page = soup(out / "projects" / "bygone.html")
    badge = page.select_one("main .vitals .badge")
    assert (badge.get_text(), badge["href"]) == ("unmaintained", "https://bygone.example.org/README#status")
    crumbs = [a["href"] for a in page.select("nav.crumbs a")]
    assert crumbs == ["../projects.html", "../projects.html#projects-archived"]
    assert page.select_one("#compare-with").get_text() == "Maintained alternatives"
    alternatives = [a["href"] for a in page.select("#compare-with ~ ul a")]
    assert 0 < len(alternatives) <= ALIKE
    catalog = load_catalog(content)
    for href in alternatives:  # maintained task queues, on their own pages
        other = catalog.get(href.removeprefix("../projects/").removesuffix(".html"))
        assert other.kind == "queue" and not other.archived and other.id != "bygone"
    # an inactive project without any fact: one line, then the top maintained queues of its group
    taskmaster = soup(out / "projects" / "taskmaster.html").select_one("main")
    assert taskmaster.select_one("table") is None
    fallback = [a["href"] for a in taskmaster.select("#compare-with ~ ul a")]
    assert 0 < len(fallback) <= ALIKE
    for href in fallback:
        other = catalog.get(href.removeprefix("../projects/").removesuffix(".html"))
        assert other.group == "general" and other.status is None and not other.archived
    # a project others name as the one they schedule or watch lists them
    dramatiq = soup(out / "projects" / "dramatiq.html")
    named = {a["href"] for a in dramatiq.select("#works-with-it ~ ul a")}
    assert {"../projects/periodiq.html", "../projects/dramatiq-crontab.html"} <= named
