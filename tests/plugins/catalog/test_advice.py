"""The guide page: today's advice first, drawn from the catalog (plugins/catalog/guide.py), then the
founding text word for word, introduced by where it comes from.

The real site (empty store) for what readers get; a tiny site of its own, whose catalog the tests
change, for how the lists follow the facts and the figures.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from linkcheck.catalog import CatalogError, load_catalog
from linkcheck.catalog.needs import NEEDS, answer, match, meets, order_line
from linkcheck.catalog.needs import fact as fact_of
from linkcheck.catalog.ranking import status_rank
from linkcheck.store import Store
from tests.support.site import CONTENT, ROOT, SEED, build, copy_content, soup

GUIDE = "task-queues.html"
# Full Stack Python's task queues page: its first commit and the commit our text is, word for word
FIRST = "e888d555ec714eb86a6c8fcc58a965e14eefa080"
KEPT = "0cdcacd0944257d413f88a304f6bf68891669631"


def entry_id(href: str) -> str:
    """The entry a link names: its own page (projects/rq.html) or its row (#entry-rq)."""
    found = re.search(r"(?:#entry-|(?:^|/)projects/)([^/#?]+?)(?:\.html)?$", href)
    assert found, href
    return found.group(1)


def test_the_guide_opens_with_todays_advice_then_the_founding_text(site):
    article = soup(site / GUIDE).find("article")
    parts = [(tag.name, " ".join(tag.get("class", []))) for tag in article.find_all(recursive=False)]
    assert parts == [("h1", ""), ("nav", "toc toc-guide"), ("section", "advice"), ("section", "original")]
    advice = article.select_one("section.advice")
    assert advice.find("h2").get_text() == "Choosing a Python task queue today"
    # dated by a source the build names (git or file time of the advice and the projects catalog)
    when = advice.select_one(".advice-note time")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", when["datetime"]) and "Updated" in when.parent.get_text()
    # before any data the order says what it rests on: no figures yet
    assert "then in catalog order (no download figures yet)" in advice.select_one(".advice-note").get_text()
    assert not advice.select(".v-dl, .v-stars, .v-sign")
    assert "[advice:" not in advice.get_text()


def test_the_founding_text_has_its_provenance_line(site):
    original = soup(site / GUIDE).select_one("section.original")
    head = original.find(recursive=False)
    assert (head.name, head.get_text()) == ("h2", "Task queues")  # the seed's own h1, one level down
    line = head.find_next_sibling()
    assert "provenance" in line["class"]
    text = " ".join(line.get_text().split())
    assert text.startswith("The original text of Task Queues on Full Stack Python, written by Matt Makai "
                           "from 2014 to 2016 and kept here word for word as it stood on 16 Apr 2016")
    links = [a["href"] for a in line.find_all("a")]
    assert links[0] == "https://www.fullstackpython.com/task-queues.html"
    assert links[1].startswith(f"https://github.com/mattmakai/fullstackpython.com/blob/{KEPT}/")
    # the years and the commits are named where they are set
    conf = (ROOT / "pelicanconf.py").read_text()
    assert f"mattmakai/fullstackpython.com@{FIRST}:" in conf
    assert f"mattmakai/fullstackpython.com@{KEPT}:" in conf
    # then the founding text itself: its first paragraph, word for word
    first = SEED.read_text().split("# Task queues", 1)[1].strip().split("\n\n", 1)[0]
    prose = line.find_next("p", class_=False)
    assert " ".join(prose.get_text().split()) == " ".join(first.split())


def test_every_project_named_in_the_advice_is_a_maintained_entry_of_its_needs_kind(site):
    catalog = load_catalog(CONTENT)
    advice = soup(site / GUIDE).select_one("section.advice")
    lists = advice.select("ul.advice-list[data-need]")
    keys = [ul["data-need"] for ul in lists]
    assert set(keys) >= {"django-periodic", "async-redis", "database", "rabbitmq", "durable", "timer",
                         "in-process"}
    for ul, key in zip(lists, keys, strict=True):
        need = NEEDS[key]
        named = []
        for li in ul.find_all("li", recursive=False):
            link = li.select_one(".advice-name a")
            entry = catalog.get(entry_id(link["href"]))
            assert entry is not None and link.get_text() == entry.name, link
            assert entry.kind == need.kind and status_rank(entry) == 0 and not entry.archived, (key, entry.id)
            # every reason is one of its facts, cited by that fact's own source
            sources = {f.source for f in entry.facts.values()}
            cited = [a["href"] for a in li.select(".reasons a.c")]
            assert cited and set(cited) <= sources, (key, entry.id)
            named.append(entry.id)
        # the list is the catalog's answer, by the same machinery as the home page
        (expected,) = match(catalog.section("projects"), [key], limit=3)
        assert named == [e.id for e in expected.entries], key
    # anything else named (maintenance-only projects, scheduler add-ons) is an entry too
    named_links = advice.select("a[href*='#entry-'], a[href^='projects/']")
    assert named_links
    for a in named_links:
        assert catalog.get(entry_id(a["href"])) is not None, a
        if a["href"].startswith("projects/"):  # a project's own page, which the build wrote
            assert (site / a["href"]).is_file(), a
    # and each side-by-side page linked exists
    pairs = [a["href"] for a in advice.select("a[href^='compare/']")]
    assert len(pairs) >= 12 and all((site / href).is_file() for href in pairs)


def test_the_trade_offs_come_from_facts(site):
    advice = soup(site / GUIDE).select_one("section.advice")
    django = advice.select_one("ul[data-need=django-periodic]").find_next_sibling("p", class_="advice-more")
    text = " ".join(django.get_text().split())
    # Dramatiq answers "no" to scheduling with its note, and the schedulers that work with it
    assert "Dramatiq has no periodic scheduling of its own (delays only; cron via APScheduler) docs;" in text
    assert re.search(r"(periodiq or dramatiq-crontab|dramatiq-crontab or periodiq) adds it\.", text)
    asyncio = advice.select_one("ul[data-need=async-redis]").find_next_sibling("p", class_="advice-more")
    arq = load_catalog(CONTENT).get("arq")
    assert " ".join(asyncio.get_text().split()) == "arq meets it too, but is maintenance only."
    assert asyncio.find("a", string="maintenance only")["href"] == arq.status_source


def test_the_home_page_links_the_advice(site):
    note = soup(site / "index.html").select_one("#start + p.note")
    link = note.find("a", string="Choosing a Python task queue today")
    assert link["href"] == "./task-queues.html#choosing-a-python-task-queue-today"


def test_the_guide_is_in_the_sitemap_dated_by_its_advice_too(tmp_path, monkeypatch):
    monkeypatch.setenv("SITEURL", "https://queues.example.org")
    content = copy_content(tmp_path)
    out = build(content, tmp_path / "out", "publishconf.py")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    rows = {u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns)
            for u in ET.parse(out / "sitemap.xml").getroot()}
    assert "https://queues.example.org/task-queues.html" in rows
    # the copy is not a git checkout: file times; the advice file is one of the page's sources
    advice = content / "guide" / "today.md"
    os.utime(advice, (2_000_000_000, 2_000_000_000))  # 2033-05-18
    out = build(content, tmp_path / "out2", "publishconf.py")
    rows = {u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns)
            for u in ET.parse(out / "sitemap.xml").getroot()}
    assert rows["https://queues.example.org/task-queues.html"] == "2033-05-18"
    assert soup(out / GUIDE).select_one(".advice-note time")["datetime"] == "2033-05-18"


# ------------------------------------------------------------------ a tiny site of its own

SRC = "https://docs.example.org/guide#x"
GUIDE_MD = """Title: Guide
slug: guide
template: guide
advice: guide/today.md

# Original

The original text.
"""
ADVICE_MD = """Title: Choosing today

Our words.

### A nightly job in Django {#django}

[advice:django-periodic]
"""


def fact(key: str, value: object, note: str = "") -> str:
    shown = f"[{', '.join(value)}]" if isinstance(value, tuple) else str(value).lower()
    extra = f", note: {note}" if note else ""
    return f"    {key}: {{value: {shown}, source: '{SRC}#{key}'{extra}}}\n"


def project(pid: str, group: str = "general", extra: str = "", **facts: object) -> str:
    body = "".join(fact(k, v, "a limit" if v == "partial" else "") for k, v in facts.items())
    return (f"- name: {pid.title()}\n  id: {pid}\n  group: {group}\n  url: https://{pid}.example.org/\n"
            f"  pypi: {pid}\n  description: x\n{extra}" + (f"  facts:\n{body}" if body else ""))


def tiny_site(tmp_path: Path, *entries: str) -> Path:
    content = tmp_path / "content"
    (content / "pages").mkdir(parents=True, exist_ok=True)
    (content / "guide").mkdir(exist_ok=True)
    (content / "catalog").mkdir(exist_ok=True)
    (content / "pages" / "guide.md").write_text(GUIDE_MD)
    (content / "guide" / "today.md").write_text(ADVICE_MD)
    (content / "catalog" / "projects.yaml").write_text("\n".join(entries))
    return content


def shown(out: Path, key: str = "django-periodic") -> list[str]:
    ul = soup(out / "guide.html").select_one(f"ul.advice-list[data-need={key}]")
    return [entry_id(a["href"]) for a in ul.select(".advice-name > a:first-child")] if ul else []


def build_tiny(content: Path, out: Path, store: Path) -> Path:
    return build(content, out, CATALOG={"compare_pairs": (("alpha", "beta"),)},
                 GITHUB_DATA={"store": str(store), "now": 1_767_225_600.0},
                 LINKHEALTH={"store_path": str(store)}, NEWS={"store": str(store)})


def test_each_list_follows_the_catalogs_facts_and_figures(tmp_path):
    store = tmp_path / "store.sqlite3"
    kept = "  status: maintenance-only\n  status_source: https://github.com/example/gamma/issues/1\n"
    base = [project("alpha", frameworks=("django",), scheduling=True, brokers=("redis",)),
            project("beta", frameworks=("django",), scheduling=False),
            project("gamma", extra=kept, frameworks=("django",), scheduling=True)]
    content = tiny_site(tmp_path, *base)
    out = build_tiny(content, tmp_path / "o1", store)
    assert shown(out) == ["alpha"]
    page = soup(out / "guide.html")
    li = page.select_one("ul.advice-list li")
    assert " ".join(li.select_one(".reasons").get_text().split()) == (
        "a documented Django integration docs; periodic schedules built in docs; Redis as the broker docs")
    assert "Gamma meets it too, but is maintenance only." in page.select_one(".advice-more").get_text()
    assert page.select_one("section.original h2").get_text() == "Original"
    assert page.select_one(".provenance") is None  # no origin metadata: no line

    # beta gains scheduling (partly): it is listed after the full answer, said so
    (content / "catalog" / "projects.yaml").write_text("\n".join(
        [base[0], project("beta", frameworks=("django",), scheduling="partial"), base[2]]))
    out = build_tiny(content, tmp_path / "o2", store)
    assert shown(out) == ["alpha", "beta"]
    beta = soup(out / "guide.html").select("ul.advice-list li")[1]
    partly = beta.select_one(".r-partial").get_text(" ", strip=True)
    assert partly.startswith("periodic schedules built in, partly (a limit)")
    # the pair shown together has a generated page: it is linked
    assert soup(out / "guide.html").select_one(".advice-links a[href='compare/alpha-vs-beta.html']")

    # figures: the most downloaded full answer first (a partial answer stays after them)
    with Store(store) as s:
        s.save_pypi_downloads("alpha", 1_000, fetched_at=1_767_000_000.0)
        s.save_pypi_downloads("beta", 9_000_000, fetched_at=1_767_000_000.0)
    (content / "catalog" / "projects.yaml").write_text("\n".join(
        [base[0], project("beta", frameworks=("django",), scheduling=True), base[2]]))
    out = build_tiny(content, tmp_path / "o3", store)
    assert shown(out) == ["beta", "alpha"]
    page = soup(out / "guide.html")
    assert [a.get_text() for a in page.select(".advice-name .v-dl")] == ["9M/month", "1k/month"]
    assert "then the most downloaded from PyPI last month" in page.select_one(".advice-note").get_text()

    # nobody meets it any more: one line, no list
    flask_only = project("alpha", frameworks=("flask",), scheduling=True)
    (content / "catalog" / "projects.yaml").write_text(flask_only)
    out = build_tiny(content, tmp_path / "o4", store)
    assert shown(out) == []
    assert soup(out / "guide.html").select_one("p[data-need=django-periodic]").get_text() == (
        "No maintained project in the catalog says it does this yet.")


@pytest.mark.parametrize(("advice", "line", "message"), [
    ("Title: T\n\n[advice:djang-periodic]\n", 3,
     "unknown marker [advice:djang-periodic] (did you mean 'django-periodic'?"),
    ("Title: T\n\nText [advice:timer] inline.\n", 3, "marker [advice:timer] is not a paragraph of its own"),
    ("Title: T\n\n### Again {#original-guide}\n", 3, "id 'original-guide' is used twice on guide.html"),
    ("Title: T\n\n### Original\n", 3, "id 'original' is used twice on guide.html"),
    ("Title: Original\n\nText.\n", 1, "id 'original' is used twice on guide.html"),
    ("Just words.\n", 1, "advice file has no Title"),
])
def test_a_bad_advice_file_names_its_file_and_line(tmp_path, advice, line, message):
    content = tiny_site(tmp_path, project("alpha", frameworks=("django",), scheduling=True))
    (content / "guide" / "today.md").write_text(advice)
    with pytest.raises(CatalogError) as info:
        build_tiny(content, tmp_path / "out", tmp_path / "store.sqlite3")
    assert str(info.value).startswith(f"{content / 'guide' / 'today.md'}:{line}: {message}"), str(info.value)


def test_a_missing_advice_file_names_the_page(tmp_path):
    content = tiny_site(tmp_path, project("alpha"))
    (content / "guide" / "today.md").unlink()
    with pytest.raises(CatalogError, match=r"guide\.md:4: advice file guide/today\.md of guide\.html not"):
        build_tiny(content, tmp_path / "out", tmp_path / "store.sqlite3")
    # set in PAGE_OVERRIDES (the real guide): named there
    real = copy_content(tmp_path / "real")
    (real / "guide" / "today.md").unlink()
    with pytest.raises(CatalogError, match=r"^pelicanconf\.py:1: advice file guide/today\.md of task-queues"):
        build(real, tmp_path / "out2")


@pytest.mark.parametrize(("change", "message"), [
    ({"last": "16 April 2016"}, "PAGE_OVERRIDES origin last '16 April 2016' is not a date"),
    ({"author": None}, "PAGE_OVERRIDES origin of 'task-queues' has"),
])
def test_a_bad_origin_is_named(tmp_path, change, message):
    from pelicanconf import PAGE_OVERRIDES  # the real settings, changed in one place

    guide = dict(PAGE_OVERRIDES["task-queues"])
    origin = {k: v for k, v in {**guide["origin"], **change}.items() if v is not None}
    with pytest.raises(CatalogError, match=re.escape(f"pelicanconf.py:1: {message}")):
        build(CONTENT, tmp_path / "out", PAGE_OVERRIDES={"task-queues": {**guide, "origin": origin}})


# ------------------------------------------------------------------ the ranking on the real catalog

def seeded_projects() -> list:
    """The real catalog's projects with the seeded downloads (tests/quality/seed.py) attached as
    the github_data plugin attaches the store's: the order readers get once figures exist."""
    from tests.quality.seed import DOWNLOADS

    projects = load_catalog(CONTENT).section("projects")
    for entry in projects:
        if entry.pypi in DOWNLOADS:
            entry.downloads = {"last_month": DOWNLOADS[entry.pypi]}
    return projects


def test_the_django_needs_offer_a_database_and_name_each_project_once():
    projects = seeded_projects()
    for found in match(projects, ["django", "django-periodic"], limit=3):
        ids = [e.id for e in found.entries]
        assert len(ids) == 3, found.need.key
        # the text offers "or only your database": one of the first three needs nothing else
        assert any(meets(e, "database") for e in found.entries), (found.need.key, ids)
        # django-rq is RQ's Django package: RQ is named once, with it
        assert "django-rq" not in ids and "rq" in ids, ids
        assert [(fw, p.id) for fw, p in found.via["rq"]] == [("django", "django-rq")]
        # the package is not counted as a project of its own
        alone = [e for e in projects if e.kind == "queue" and status_rank(e) == 0
                 and all(meets(e, a) for a in found.need.atoms)]
        assert found.count == len(alone) - 1


def test_the_async_redis_need_puts_full_answers_to_what_it_shows_first():
    (found,) = match(seeded_projects(), ["async-redis"], limit=3)
    assert found.need.answered == ("asyncio", "retries", "results")
    for e in found.entries:  # every fact the guide shows for it, answered in full
        assert [answer(fact_of(e, k)) for k in found.need.answered] == ["yes"] * 3, e.id
    # FastStream is the most downloaded of them, but answers retries partly and keeps no results
    assert "faststream" not in [e.id for e in found.entries]
    assert found.count > 3


def test_fullness_ranks_before_downloads_and_the_promise_takes_the_last_place():
    from types import SimpleNamespace as NS

    from linkcheck.catalog.model import Fact

    def entry(pid, downloads, **facts):
        return NS(id=pid, name=pid, kind="queue", status=None, archived=False, part_of=None,
                  downloads={"last_month": downloads},
                  facts={k: Fact(k, tuple(v) if isinstance(v, list) else v, SRC,
                                       "a limit" if v == "partial" else None, 1, 1)
                               for k, v in facts.items()})

    fw = ["django"]
    big = entry("big", 9_000, frameworks=fw, scheduling="partial", brokers=["redis"])
    mid = entry("mid", 5_000, frameworks=fw, scheduling=True, brokers=["redis"])
    low = entry("low", 3_000, frameworks=fw, scheduling=True, brokers=["rabbitmq"])
    db = entry("db", 10, frameworks=fw, scheduling=True, brokers=["postgresql"])
    (found,) = match([big, mid, low, db], ["django-periodic"], limit=2)
    # full answers first even against downloads, then the database option takes the last place
    assert [e.id for e in found.entries] == ["mid", "db"]
    (found,) = match([big, mid, low], ["django-periodic"], limit=2)
    assert [e.id for e in found.entries] == ["mid", "low"]  # no database option: nothing forced


def test_the_async_need_ranks_on_retries_and_results_too():
    (found,) = match(seeded_projects(), ["async"], limit=3)
    assert found.need.answered == ("asyncio", "retries", "results")
    for e in found.entries:
        assert [answer(fact_of(e, k)) for k in found.need.answered] == ["yes"] * 3, e.id
    # FastStream keeps no results and retries only partly: it no longer comes first
    assert "faststream" not in [e.id for e in found.entries]


def test_the_durable_need_shows_a_library_among_the_first():
    (found,) = match(seeded_projects(), ["durable"], limit=3)
    # the intro offers "a library, a server of your own, or a hosted service": one of the first
    # three runs with nothing beside it
    assert any(meets(e, "hosting:library") for e in found.entries), [e.id for e in found.entries]
    assert "library alone" in order_line("downloads")


def test_a_framework_package_is_named_with_its_project_only_in_that_frameworks_need():
    (cron,) = match(seeded_projects(), ["cron-redis"], limit=3)
    ids = [e.id for e in cron.entries]
    assert "rq" in ids and "django-rq" not in ids, ids
    assert cron.via == {}  # "with django-rq for Django" is no answer to a need about Redis
