"""What the home page, the guide, the news page, the search page and the projects page say to a
reader, read off the two shared builds (empty store and seeded store, tests/quality/conftest.py):
no build of their own, no browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from linkcheck.catalog import load_catalog
from linkcheck.catalog.needs import DATABASES
from tests.quality.tools import REPO
from tests.support.site import soup

PRE_RELEASE = re.compile(r"\d(?:a|b|rc|dev)\d", re.I)


def names(li) -> list[str]:
    return [a.get_text() for a in li.select(".need-names a")
            if "compare=" not in a["href"] and not re.fullmatch(r"\d+ more", a.get_text())]


@pytest.mark.parametrize("build", ["fresh", "stored-data"])
def test_the_home_page(builds: dict[str, Path], build: str) -> None:
    if build not in builds:
        pytest.skip(f"no {build} build")
    catalog = load_catalog(REPO / "content")
    by_name = {e.name: e for e in catalog.section("projects")}
    home = soup(builds[build] / "index.html")
    main = home.select_one("main")
    # a returning reader finds What's new at the top
    assert main.select_one(".freshness a.whats-new")["href"].endswith("news.html")
    # the hero claims checked links only when a check exists; the footer says nothing of links on a
    # page that links nothing outside the site (the hero links the link-health page itself)
    lead = main.select_one(".lead").get_text()
    assert ("links are checked" in lead) == (build == "stored-data"), (build, lead)
    assert not main.select("a[href^='http']") and not home.select(".page-links"), build
    assert "link-checked" not in lead
    # the Django need: no project twice (django-rq is named with RQ), a database option among them
    django = next(li for li in main.select("#start ~ ul.needs > li")
                  if "Django" in li.select_one(".need-label").get_text())
    shown = names(django)
    assert len(shown) == len(set(shown)) and "django-rq" in shown, shown
    listed = [by_name[n] for n in shown if n in by_name and n != "django-rq"]
    assert any(set(e.facts["brokers"].value) & DATABASES for e in listed), shown
    for li in main.select("#start ~ ul.needs > li"):
        label = li.select_one(".need-label")
        if label.name != "a":  # "Side by side": its more is the projects page's list of them
            continue
        # "with django-rq for Django" only under a need about Django
        assert ("for Django" in li.select_one(".need-names").get_text()) <= ("Django" in label.get_text())
        # "and N more" links the need's filtered projects page (a kind: its section), as the label does
        for more in li.select(".need-names a"):
            if re.fullmatch(r"\d+ more", more.get_text()):
                assert more["href"] == label["href"], (label.get_text(), more["href"])
    # every project named under "Choosing between two, or not a queue at all" links its page
    for li in main.select("#choices + ul.needs > li"):
        text = li.select_one(".need-names").get_text()
        linked = [a.get_text() for a in li.select(".need-names a")
                  if not re.fullmatch(r"\d+ more", a.get_text())]
        assert ", ".join(linked) == re.sub(r" and \d+ more$", "", text), (text, linked)
    if build == "fresh":
        return
    # a feature's release is its host's: "FastAPI 0.118.0 (BackgroundTasks)"
    releases = main.find("h3", string="Releases in the last month").find_next("ul")
    lines = [" ".join(li.get_text().split()) for li in releases.find_all("li")]
    hosted = [e for e in catalog.section("projects") if e.part_of]
    for e in hosted:
        assert not any(line.startswith(e.name + " ") for line in lines), lines
    assert any(re.match(r"FastAPI \S+ \(BackgroundTasks\)", line) for line in lines), lines
    # the date in brackets, never read as part of the version: "Prefect 3.4.22 (29 Nov 2026)"
    dated = [" ".join(li.get_text().split()) for li in releases.select("li:not(.more)")]
    assert dated and all(re.search(r" \(\d{1,2} \w{3} \d{4}\)$", line) for line in dated), dated
    # a long list ends with "and N more", linking What's new
    added = main.find("h3", string="Added to the catalog").find_next("ul")
    more = added.select_one("li.more a")
    assert more and more["href"].endswith("news.html") and re.fullmatch(r"and \d+ more", more.get_text())


def test_the_guide_names_what_it_links_and_notes_what_changed(builds: dict[str, Path]) -> None:
    page = soup(builds["fresh"] / "task-queues.html")
    original = page.select_one("section.original")
    heading = original.find("h2").get_text()
    entry = page.select_one("nav.toc-guide a[href='#original-guide']").get_text()
    assert entry.startswith(f"{heading}: the original guide"), (entry, heading)
    # the editor's note: ours, before the founding text, after the provenance line
    note = original.select_one("p.editor-note")
    assert note.find_previous_sibling("p")["class"] == ["provenance"]
    text = " ".join(note.get_text().split())
    assert text.startswith("Editor's note: kept as written in 2016.") and "Huey is listed twice" in text
    for a in note.find_all("a"):
        href = a["href"]
        assert href.startswith("#") and page.find(id=href[1:]) or (builds["fresh"] / href).is_file(), href


def separators_held(line) -> bool:
    """Every " ·" of a line of links rides in a nowrap span with the link before it: no line of
    the wrapped text can start with the dot."""
    loose = [t for t in line.find_all(string=True, recursive=False) if "·" in t]
    return not loose and all(a.parent.name == "span" and "nowrap" in a.parent.get("class", [])
                             for a in line.select("a, button"))


def test_news_leaves_pre_releases_out_and_puts_status_changes_first(builds: dict[str, Path]) -> None:
    if "stored-data" not in builds:
        pytest.skip("no seeded build")
    page = soup(builds["stored-data"] / "news.html").select_one("main")
    titles = [" ".join(t.get_text().split()) for t in page.select(".news-title")]
    assert titles and not [t for t in titles if PRE_RELEASE.search(t)], titles
    assert page.find("h2").get_text() == "Status changes"
    first = page.select_one("ol.news").select(".news-kind")
    assert first and not [k for k in first if k.get_text() in ("Release", "New")]
    assert not [t for t in titles if re.match(r"\d+ \w+ added to the catalog", t)], titles
    # a group of new entries links its page, as a single one links its row
    groups = [a for a in page.select("a.news-title") if re.match(r"\d+ new ", a.get_text())]
    assert groups and all(a["href"].endswith(".html") for a in groups)
    jump = page.select_one("p.news-jump")
    assert separators_held(jump), jump
    assert all(" " not in a.get_text() for a in jump.select("a[href^='#news-2']"))  # "December\xa02026"


def test_search_and_projects_pages_say_what_they_do(builds: dict[str, Path]) -> None:
    search = soup(builds["fresh"] / "search.html")
    examples = search.select("[data-search-examples] button[data-q]")
    assert len(examples) >= 3 and all(b["data-q"] == b.get_text() for b in examples)
    assert separators_held(search.select_one("[data-search-examples]"))
    assert "PostgreSQL" in search.select_one("p[data-search-nojs]").get_text()
    for build, words in (("fresh", "catalog order"), ("stored-data", "most downloaded")):
        if build not in builds:
            continue
        projects = soup(builds[build] / "projects.html")
        default = projects.select_one("select[name=sort] option[value=default]").get_text()
        note = projects.select_one(".order-note").get_text()
        assert words in default, default
        assert ("catalog order" in note) == (words == "catalog order"), note


def test_the_hosted_services_come_by_kind(builds: dict[str, Path]) -> None:
    from linkcheck.catalog.hosted import KINDS, hosted_kinds

    catalog = load_catalog(REPO / "content")
    kinds = hosted_kinds(catalog.section("hosted"), catalog.section("projects"))
    by_kind = {k.key: [e.id for e in k.entries] for k in kinds}
    # every service once, each where its facts put it
    listed = sorted(i for ids in by_kind.values() for i in ids)
    assert listed == sorted(e.id for e in catalog.section("hosted"))
    assert {"upstash-redis", "amazon-elasticache"} <= set(by_kind["redis"])
    assert {"cloudamqp", "amazon-mq"} <= set(by_kind["amqp"])
    assert "azure-service-bus" in by_kind["cloud-queue"]  # AMQP 1.0 is not RabbitMQ's protocol
    assert {"temporal-cloud", "prefect-cloud"} <= set(by_kind["workflow"])
    assert by_kind["http-push"][-1] == "iron-io"  # no longer a Celery broker: last of its kind
    assert [k.key for k in kinds] == [k for k in KINDS if k in by_kind] and kinds[-1].key == "workflow"
    page = soup(builds["fresh"] / "hosted.html").select_one("main")
    headings = [h.get_text() for h in page.select("h2.catalog-group-title")]
    assert headings == [k.title for k in kinds]
    jumps = [a["href"] for a in page.select("nav.toc-inline a")]
    assert jumps == [f"#hosted-{k.key}" for k in kinds] and all(page.find(id=j[1:]) for j in jumps)
    # a missing row would read as "no": what is listed says where it comes from
    labels = {dt.get_text() for dt in page.select("dl.facts dt")}
    assert "Documented with" in labels and "Works with" not in labels
    # each workflow cloud says what running its engine takes, from the engine's sourced fact
    for card in page.select("#hosted-workflow ~ ul li.entry"):
        engine = card.select_one(".entry-engine")
        assert engine and engine.select_one("a.c")["href"].startswith("https://"), card["id"]
        # the other way is running the engine yourself, never this cloud again, and the engine is
        # named once (no "Documented with" row repeating it)
        name = card.select_one(".entry-name a").get_text()
        text = " ".join(engine.get_text().split())
        assert "Or run it yourself:" in text or "only as a managed service" in text, text
        assert name not in text, text
        engine_name = engine.select_one("a").get_text()
        assert engine_name not in " ".join(dd.get_text() for dd in card.select("dl.facts dd")), card["id"]
