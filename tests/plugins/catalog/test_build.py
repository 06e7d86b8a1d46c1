"""Build the site with Pelican into a temporary folder and check what a reader gets."""

from __future__ import annotations

import logging
import os
import re
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from linkcheck.catalog import PLAIN_HTTP, CatalogError, load_catalog
from linkcheck.inventory.internal import check_internal
from plugins.catalog.generator import plain_http_summary
from tests.support.site import CONTENT, ROOT, SEED, build, copy_content, short_form, soup, write_yaml

# The seed's two links to Full Stack Python pages this site does not have.
MOVED_INTERNAL = {
    "/caching.html": "https://www.fullstackpython.com/caching.html",
    "/django.html": "https://www.fullstackpython.com/django.html",
}


def seed_headings() -> list[str]:
    return [line.lstrip("#").strip() for line in SEED.read_text().splitlines() if re.match(r"#{1,2} ", line)]


def seed_links_by_section() -> dict[str, set[str]]:
    """Every link of the seed, keyed by the heading it appears under."""
    found: dict[str, set[str]] = {}
    heading = ""
    for line in SEED.read_text().splitlines():
        if re.match(r"#{1,2} ", line):
            heading = line.lstrip("#").strip()
        for url in re.findall(r"\]\(([^)\s]+)\)", line):
            found.setdefault(heading, set()).add(MOVED_INTERNAL.get(url, url))
    return found


def original_part(page: Path):
    """The guide's founding text: its part after today's advice, headings one level down."""
    return soup(page).select_one("article section.original")


def built_links_by_section(page: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for link in original_part(page).find_all("a", href=True):
        heading = link.find_previous(["h2", "h3"])
        found.setdefault(heading.get_text(strip=True), set()).add(link["href"])
    return found


def nav_labels(page: Path) -> list[str]:
    return [a.get_text(strip=True) for a in soup(page).select("nav.site-nav a")]


def test_guide_keeps_the_seed_headings_in_order(site):
    # the founding text is the guide's second part: its h1 and h2s one level down, in order
    guide = site / "task-queues.html"
    headings = [h.get_text(strip=True) for h in original_part(guide).find_all(["h2", "h3"])]
    assert headings == seed_headings()
    assert [h.get_text(strip=True) for h in soup(guide).find_all("h1")] == ["Task queue guide"]


def test_every_seed_link_appears_under_its_section(site):
    built = built_links_by_section(site / "task-queues.html")
    expected = seed_links_by_section()
    # the per-line parse saw every link of the seed (no link spans two lines)
    everything = {MOVED_INTERNAL.get(u, u) for u in re.findall(r"\]\(([^)\s]+)\)", SEED.read_text())}
    assert set().union(*expected.values()) == everything and len(everything) > 30
    for heading, urls in expected.items():
        missing = urls - built.get(heading, set())
        assert not missing, f"links of section {heading!r} missing from the guide: {sorted(missing)}"


def test_each_section_has_its_own_page_linked_from_the_index(site):
    catalog = load_catalog(CONTENT)
    pages = {"projects.html": ["projects"], "hosted.html": ["hosted"],
             "resources.html": ["examples", "resources"]}
    for filename, sections in pages.items():
        page = soup(site / filename)
        hrefs = {a["href"] for a in page.select("main a[href]")}
        for section in sections:
            for entry in catalog.section(section):
                assert entry.url in hrefs, (filename, entry.id)
                if entry.repo:
                    assert entry.repo in hrefs
    index_links = {a["href"] for a in soup(site / "index.html").select("main a[href]")}
    assert {"./task-queues.html", "./projects.html", "./hosted.html", "./resources.html"} <= index_links


def test_entries_stay_quiet_until_data_exists(site):
    """Before any check or GitHub/PyPI refresh: no per-entry placeholder, no figure, one quiet line
    per page (in the footer)."""
    for name, selector in (("projects.html", "tr[data-project]"), ("resources.html", "li.entry"),
                           ("hosted.html", "li.entry")):
        page = soup(site / name)
        entries = page.select(selector)
        assert entries, name
        for entry in entries:
            text = entry.get_text(" ", strip=True)
            assert "not checked" not in text and "not fetched" not in text, (name, text)
            assert entry.select_one(".link-health") is None
            # no figure before data: only the catalog's own status (it has a source) and the links
            assert not entry.select(".v-stars, .v-dl, .v-release, .v-license, .v-sign"), (name, text)
        lines = page.select(".page-links")
        assert [" ".join(p.get_text().split()) for p in lines] == [
            "Links on this page have not been checked yet · Link health"], name
        assert lines[0].find_parent("footer") is not None, "link health stays out of the content"
    # the order line says only what applies: no figures, no ranking by them
    assert "Order: maintained first, then catalog order" in soup(site / "projects.html").get_text()


def test_navigation_follows_sortorder_and_sidebartitle(site, tmp_path):
    assert nav_labels(site / "index.html") == ["Guide", "Projects", "Hosted services", "Reading list"]
    content = copy_content(tmp_path)
    page = content / "pages" / "resources.md"
    page.write_text(page.read_text().replace("sortorder: 0714", "sortorder: 0001")
                    .replace("sidebartitle: Reading list", "sidebartitle: Reading & examples"))
    out = build(content, tmp_path / "out")
    assert nav_labels(out / "task-queues.html") == ["Reading & examples", "Guide", "Projects",
                                                     "Hosted services"]
    assert "Reading &amp; examples" in (out / "index.html").read_text()


def test_navigation_labels_are_their_pages_titles_or_a_short_form(site):
    links = soup(site / "index.html").select("nav.site-nav a")
    assert len(links) >= 4
    for link in links:
        page = soup(site / link["href"].removeprefix("./"))
        h1 = page.find("h1").get_text(" ", strip=True)
        assert page.title.get_text().startswith(f"{h1} ·"), (link["href"], page.title)
        assert short_form(link.get_text(strip=True), h1), (link.get_text(strip=True), h1)
    # the rule itself: words of the title, in order
    assert short_form("Hosted services", "Hosted message and task queue services")
    assert not short_form("Guide", "Task queues") and not short_form("Services hosted", "Hosted services")
    assert not short_form("", "Task queues")


def test_meta_description_and_title(site):
    page = soup(site / "task-queues.html")
    # the guide's source keeps the seed's own; PAGE_OVERRIDES describes the page as it is now
    meta = page.find("meta", attrs={"name": "description"})["content"]
    assert meta.startswith("Which Python task queue to choose today") and "(2014–2016)" in meta
    assert page.title.get_text().startswith("Task queue guide ·")
    # one name per page across navigation, <title> and <h1>
    assert page.find("h1").get_text(strip=True) == "Task queue guide"


def test_toc_is_honoured(site, tmp_path):
    # the guide's source says toc: False (it is the seed, verbatim); PAGE_OVERRIDES asks for one
    assert soup(site / "task-queues.html").select_one("nav.toc") is not None
    assert soup(site / "projects.html").select_one("nav.toc") is None
    content = copy_content(tmp_path)
    projects = content / "pages" / "projects.md"
    projects.write_text(projects.read_text().replace("slug: projects", "slug: projects\ntoc: True"))
    assert soup(build(content, tmp_path / "out") / "projects.html").select_one("nav.toc") is not None
    # the guide: its contents list today's advice, need by need, then the original text, which
    # lists its own sections where it starts
    page = soup(site / "task-queues.html")
    toc = page.select("nav.toc a")
    assert toc[0].get_text() == "Choosing a Python task queue today" and len(toc) >= 2 + 7
    assert toc[-1].get_text() == "Task queues: the original guide, 2014–2016"  # names the heading it lands on
    sections = page.select("section.original nav.toc-inline a")
    assert [a.get_text() for a in sections] == seed_headings()[1:]
    ids = {tag["id"] for tag in page.find_all(id=True)}
    assert all(a["href"].lstrip("#") in ids for a in toc + sections)


def test_no_internal_link_dangles(site):
    assert check_internal(site) == []
    hrefs = [a["href"] for p in site.glob("*.html") for a in soup(p).find_all("a", href=True)]
    assert not any(h.startswith("/") for h in hrefs)
    assert MOVED_INTERNAL["/caching.html"] in hrefs and MOVED_INTERNAL["/django.html"] in hrefs


def test_duplicate_entry_stops_the_build_naming_file_and_line(tmp_path):
    content = copy_content(tmp_path)
    projects = content / "catalog" / "projects.yaml"
    lines = projects.read_text().splitlines()
    huey = load_catalog(CONTENT).get("huey")
    projects.write_text("\n".join(lines + ["", "- name: Huey again", f"  url: {huey.url.rstrip('/')}",
                                           "  description: The same project.", "  group: general"]) + "\n")
    with pytest.raises(CatalogError) as info:
        build(content, tmp_path / "out")
    assert str(info.value).startswith(f"content/catalog/projects.yaml:{len(lines) + 3}: duplicate entry")
    assert "entry 'huey' at content/catalog/projects.yaml:" in str(info.value)


def test_pelican_command_exits_nonzero_with_the_message(tmp_path):
    content = copy_content(tmp_path)
    hosted = content / "catalog" / "hosted.yaml"
    hosted.write_text(hosted.read_text() + "\n- name: SQS\n  url: https://aws.amazon.com/sqs\n"
                      "  description: x\n")
    line = len(hosted.read_text().splitlines()) - 1
    env = {**os.environ, "COLUMNS": "400", "NO_COLOR": "1"}
    pelican = str(Path(sys.executable).parent / "pelican")
    args = [pelican, str(content), "-o", str(tmp_path / "out"), "-s", str(ROOT / "pelicanconf.py")]
    proc = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120, check=False)
    assert proc.returncode != 0
    assert f"content/catalog/hosted.yaml:{line}: duplicate entry" in proc.stdout + proc.stderr
    assert not (tmp_path / "out" / "hosted.html").exists()


def test_plain_http_is_one_summary_line_and_builds_without_network(tmp_path, caplog, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError(f"the build tried to open a connection: {args}")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    with caplog.at_level(logging.WARNING):
        out = build(CONTENT, tmp_path / "out")
    assert (out / "task-queues.html").exists()
    plain = [w for w in load_catalog(CONTENT).warnings if w.kind == PLAIN_HTTP]
    assert len(plain) > 1  # the real content has several, or this test proves nothing
    # nothing else is wrong with the real content: the build says this one thing only
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert warnings == [f"{len(plain)} catalog URLs use plain http://: `make lint-content` lists them"]


def test_pelican_command_prints_one_warning_line_for_the_real_content(tmp_path):
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    pelican = str(Path(sys.executable).parent / "pelican")
    args = [pelican, str(CONTENT), "-o", str(tmp_path / "out"), "-s", str(ROOT / "pelicanconf.py")]
    proc = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = [ln for ln in (proc.stdout + proc.stderr).splitlines() if "WARNING" in ln or "ERROR" in ln]
    assert len(lines) == 1 and "catalog URLs use plain http://: `make lint-content` lists them" in lines[0], (
        proc.stdout + proc.stderr)


def test_other_catalog_warnings_stay_one_line_each_beside_the_summary(tmp_path, caplog):
    content = copy_content(tmp_path)
    plain = sum(1 for w in load_catalog(content).warnings if w.kind == PLAIN_HTTP)
    write_yaml(content, "examples", "# emptied for the test\n")
    hosted = content / "catalog" / "hosted.yaml"
    hosted.write_text(hosted.read_text() + "\n- name: Plain queue\n  url: http://plain-queue.example/\n"
                      "  description: Served without TLS.\n")
    with caplog.at_level(logging.WARNING):
        build(content, tmp_path / "out")
    # asyncio's "Task was destroyed" comes from garbage collection of an earlier test's loop in
    # this worker, whenever it happens to run: not something the build said.
    warnings = [r.getMessage() for r in caplog.records
                if r.levelno >= logging.WARNING and r.name != "asyncio"]
    assert warnings == [
        "catalog: content/catalog/examples.yaml:1: empty catalog file: section 'examples' has no entries",
        f"{plain + 1} catalog URLs use plain http://: `make lint-content` lists them",
    ]
    assert plain_http_summary(1) == "1 catalog URL uses plain http://: `make lint-content` lists them"


def test_html_in_catalog_text_is_escaped(tmp_path):
    content = copy_content(tmp_path)
    hosted = content / "catalog" / "hosted.yaml"
    hosted.write_text(hosted.read_text() + (
        '\n- name: "Evil <b>Queue</b> & Co"\n  url: https://evil.example/?a=1&b="2"\n'
        "  description: 'Runs <script>alert(1)</script> & [docs](https://evil.example/docs) \"fast\"'\n"))
    out = build(content, tmp_path / "out")
    for name in ("hosted.html",):  # the guide shows the seed's own bullets, not entries
        html = (out / name).read_text()
        assert "<script>" not in html and "<b>Queue" not in html
        assert "Evil &lt;b&gt;Queue&lt;/b&gt; &amp; Co" in html
        assert "Runs &lt;script&gt;alert(1)&lt;/script&gt; &amp; " in html
        assert 'href="https://evil.example/?a=1&amp;b=&#34;2&#34;"' in html
        assert '<a href="https://evil.example/docs">docs</a>' in html


def test_unknown_marker_names_the_page_and_line(tmp_path):
    content = copy_content(tmp_path)
    page = content / "pages" / "hosted.md"
    page.write_text(page.read_text().replace("[catalog:hosted]", "[catalog:hostd]"))
    line = page.read_text().splitlines().index("[catalog:hostd]") + 1
    with pytest.raises(CatalogError, match=rf"content/pages/hosted.md:{line}: unknown catalog marker"):
        build(content, tmp_path / "out")


def test_publish_build_has_absolute_urls_feed_sitemap_and_canonical(tmp_path, monkeypatch):
    siteurl = "https://queues.example.org"
    monkeypatch.setenv("SITEURL", siteurl)
    out = build(CONTENT, tmp_path / "out", conf="publishconf.py")
    pages = ["task-queues.html", "projects.html", "hosted.html", "resources.html"]
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "a": "http://www.w3.org/2005/Atom"}
    locs = [e.text for e in ET.parse(out / "sitemap.xml").getroot().findall("s:url/s:loc", ns)]
    # every page, the link-health page too (issue 16), what's new (plugins/news), and the generated
    # "X vs Y" pages (issue 21) and projects' own pages, one per project
    compared = sorted(p.relative_to(out).as_posix() for p in (out / "compare").glob("*.html"))
    projects = sorted(p.relative_to(out).as_posix() for p in (out / "projects").glob("*.html"))
    assert len(compared) >= 8
    assert len(projects) == len(load_catalog(CONTENT).section("projects"))
    assert locs[:5] == [f"{siteurl}/"] + [f"{siteurl}/{p}" for p in pages]
    assert locs[-2:] == [f"{siteurl}/link-health.html", f"{siteurl}/news.html"]
    assert sorted(locs[5:-2]) == [f"{siteurl}/{p}" for p in sorted(compared + projects)]
    for generated in (compared[0], "projects/celery.html"):
        page = soup(out / generated)
        assert page.find("link", rel="canonical")["href"] == f"{siteurl}/{generated}"
        assert page.find("link", rel="stylesheet")["href"] == f"{siteurl}/theme/css/site.css"
    celery = soup(out / "projects/celery.html")
    assert celery.select_one(".crumbs a")["href"] == f"{siteurl}/projects.html"
    assert soup(out / "projects.html").select_one("#entry-celery .pn a")["href"] == \
        f"{siteurl}/projects/celery.html"
    feed = ET.parse(out / "feeds" / "all.atom.xml").getroot()
    entries = {e.find("a:link", ns).get("href") for e in feed.findall("a:entry", ns)}
    assert entries == {f"{siteurl}/{p}" for p in pages}
    for name in pages:
        page = soup(out / name)
        assert page.find("link", rel="canonical")["href"] == f"{siteurl}/{name}"
        assert page.find("link", rel="stylesheet")["href"] == f"{siteurl}/theme/css/site.css"
        assert page.find("link", type="application/atom+xml")["href"] == f"{siteurl}/feeds/all.atom.xml"
    assert check_internal(out, site_url=siteurl) == []
    home = soup(out / "index.html")
    assert home.find("link", rel="canonical")["href"] == f"{siteurl}/"
    assert home.select_one("a.site-name")["href"] == f"{siteurl}/"  # one address for the home page
    assert home.find("link", rel="icon")["href"] == f"{siteurl}/theme/favicon.svg"
    assert (out / "theme" / "favicon.svg").is_file()
    assert "Built " in home.select_one(".site-footer").get_text()


def test_publish_refuses_a_missing_siteurl(tmp_path, monkeypatch):
    monkeypatch.delenv("SITEURL", raising=False)
    with pytest.raises(SystemExit, match="set SITEURL"):
        build(CONTENT, tmp_path / "out", conf="publishconf.py")


def test_non_numeric_sortorder_names_the_page(tmp_path):
    content = copy_content(tmp_path)
    page = content / "pages" / "hosted.md"
    page.write_text(page.read_text().replace("sortorder: 0713", "sortorder: second"))
    line = page.read_text().splitlines().index("sortorder: second") + 1
    with pytest.raises(CatalogError, match=rf"content/pages/hosted.md:{line}: sortorder 'second' is not"):
        build(content, tmp_path / "out")


def test_warnings_fatal_turns_plain_http_into_an_error(tmp_path):
    # the original guide's links with no known https:// form stay plain http:// (docs/catalog.md)
    plain = [w for w in load_catalog(CONTENT).warnings if w.kind == PLAIN_HTTP]
    assert plain, "the real catalog no longer has a plain http:// link: point this test at a copy with one"
    with pytest.raises(CatalogError, match=re.escape(f"{plain[0]} (CATALOG['warnings_fatal'] is on)")):
        build(CONTENT, tmp_path / "out", CATALOG={"warnings_fatal": True})


def test_catalog_loaded_signal_runs_before_pages_are_rendered(tmp_path):
    from blinker import signal

    calls = []

    def receiver(catalog, settings):
        calls.append((catalog, settings, (tmp_path / "out" / "projects.html").exists()))
        catalog.get("celery").summary = "Rewritten <em>by a plugin</em> at signal time."

    catalog_loaded = signal("catalog_loaded")
    catalog_loaded.connect(receiver, weak=False)
    try:
        out = build(CONTENT, tmp_path / "out")
    finally:
        catalog_loaded.disconnect(receiver)
    assert len(calls) == 1
    catalog, settings, page_existed = calls[0]
    assert len(catalog.section("projects")) == len(load_catalog(CONTENT).section("projects"))
    assert settings["PATH"] == str(CONTENT)
    assert page_existed is False
    html = (out / "projects.html").read_text()
    assert "Rewritten &lt;em&gt;by a plugin&lt;/em&gt; at signal time." in html


def test_marker_inside_a_paragraph_is_an_error(tmp_path):
    content = copy_content(tmp_path)
    page = content / "pages" / "hosted.md"
    page.write_text(page.read_text().replace("\n[catalog:hosted]", "Services: [catalog:hosted]"))
    line = next(n for n, text in enumerate(page.read_text().splitlines(), 1) if "[catalog:hosted]" in text)
    with pytest.raises(CatalogError, match=rf"content/pages/hosted.md:{line}: marker \[catalog:hosted\]"):
        build(content, tmp_path / "out")
