"""The site built from a store filled by real checks: markings, archived copies,
per-entry status, the link-health page and its SVG, and no network at build time."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pelican import Pelican
from pelican.settings import read_settings

from linkcheck.engine.reasons import TABLE
from linkcheck.runs.local import run_check
from linkcheck.store import Store
from linkcheck.upkeep.archive import lookup_archives
from tests.support.tworuns import make_settings

ROOT = Path(__file__).resolve().parents[3]

PROJECTS = """# Loopback projects for the link-health site test.
- name: Fine Queue
  id: fine
  url: {B}/ok
  description: Works.
  group: general

- name: Gone Queue
  id: gone
  url: {B}/gone
  description: Gone for good.
  group: general

- name: Moved Queue
  id: moved
  url: {B}/old
  description: Moved for good.
  group: general

- name: Walled Queue
  id: walled
  url: {B}/blocked
  description: Behind a bot wall.
  group: general

- name: Flaky Queue
  id: flaky
  url: {B}/flaky
  description: Fails in the second run only.
  group: general

- name: Cited Queue
  id: cited
  url: {B}/ok?cited
  description: Works, but the page backing one of its facts is gone.
  group: general
  facts:
    scheduling: {{value: true, source: "{B}/gone"}}
    retries: {{value: false, source: "{B}/ok", note: no retries}}
"""

DEMO = """Title: Health demo
Slug: health-demo

A guide paragraph with [a gone page]({B}/gone) and [a fine page]({B}/ok).
"""


def build(content: Path, output: Path, **linkhealth: object) -> Path:
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={
        "PATH": str(content), "OUTPUT_PATH": str(output),
        "LINKHEALTH": {"page": "link-health.html", **linkhealth},
    })
    Pelican(settings).run()
    return output


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def site(tmp_path_factory, fake_web, fake_wayback):
    web_, base = fake_web
    wayback, api = fake_wayback
    root = tmp_path_factory.mktemp("lhsite")
    content = root / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "catalog" / "projects.yaml").write_text(PROJECTS.format(B=base), encoding="utf-8")
    # the real hosted services name real projects in works_with: drop those facts here
    hosted = content / "catalog" / "hosted.yaml"
    # (a facts mapping that held only works_with goes too)
    text = re.sub(r"\n  facts:\n    works_with:\n(?:      .*\n)+(?!    )", "\n",
                  hosted.read_text(encoding="utf-8"))
    hosted.write_text(re.sub(r"\n    works_with:\n(?:      .*\n)+", "\n", text), encoding="utf-8")
    (content / "pages" / "health-demo.md").write_text(DEMO.format(B=base), encoding="utf-8")
    settings = make_settings(root, wayback_api_url=api)
    snapshot = f"https://web.archive.org/web/20240101000000/{base}/gone"
    wayback.snapshots[f"{base}/gone"] = snapshot
    with Store.from_settings(settings) as store:
        for phase in (1, 2):
            web_.phase = phase
            # only the loopback links: the real catalog's internet links stay unchecked
            run_check(settings, [content / "catalog" / "projects.yaml", content / "pages" / "health-demo.md"],
                      store=store, root=root)
        web_.phase = 1
        assert lookup_archives(settings, store) == 1
    requests_before, asked_before = len(web_.requests), len(wayback.asked)
    output = build(content, root / "output", store_path=str(settings.store_path),
                   broken_after_runs=2, broken_after_hours=0)
    # the build only read the store: no request reached the web or the archive
    assert (len(web_.requests), len(wayback.asked)) == (requests_before, asked_before)
    return output, base, snapshot, content


def _entry(page: BeautifulSoup, entry_id: str):
    node = page.find(id=f"entry-{entry_id}")
    assert node is not None, entry_id
    return node


def _footer_line(page: BeautifulSoup) -> str:
    lines = page.select(".page-links")
    assert len(lines) == 1, "one links line per page"
    return " ".join(lines[0].get_text(" ").split())


def test_broken_entry_marked_once_with_text_icon_and_archived_copy(site):
    output, base, snapshot, _ = site
    gone = _entry(soup(output / "projects.html"), "gone")
    link = gone.find("a", href=f"{base}/gone")
    assert link["data-link-state"] == "broken"
    mark = link.find_next_sibling("span", class_="link-health-broken")
    assert "broken link" in mark.get_text()
    assert mark.select_one("i.link-health-icon[aria-hidden=true]") is not None
    # icon and words stay with the link: word joiners, no space to break at
    assert link.next_sibling == "\u2060" and mark.get_text().startswith("\u2060")
    archived = mark.find("a", string="archived copy")
    assert archived["href"] == snapshot
    # once per link: the entry has no other alarm (no status line repeating it)
    assert len(gone.select(".link-health-broken")) == 1
    assert gone.get_text().count("broken") == 1


def test_a_broken_fact_source_marks_the_citation_never_the_answer(site):
    output, base, _, _ = site
    cell = _entry(soup(output / "projects.html"), "cited").select("td")[2]  # brokers, asyncio, scheduling
    answer, citation = cell.find("b"), cell.find("a", href=f"{base}/gone")
    assert answer.get_text() == "yes" and citation.get_text() == "docs"  # a citation, labelled as one
    assert citation["data-link-state"] == "broken"
    assert citation.find_next_sibling("span", class_="link-health-broken") is not None
    # the mark follows the citation: the answer is never what reads as broken
    assert answer.find_next_sibling() is citation
    assert " ".join(cell.get_text(" ", strip=True).split()).startswith("yes docs")
    # the other answers of the entry carry no mark
    assert len(_entry(soup(output / "projects.html"), "cited").select(".link-health-broken")) == 1


def test_on_a_projects_own_page_too_the_citation_is_marked_never_the_answer(site):
    output, base, _, _ = site
    page = soup(output / "projects" / "cited.html")
    rows = {tr.th.get_text(): tr.td for tr in page.select("table.vs-one tbody tr")}
    cell = rows["Periodic scheduling"]
    answer, citation = cell.find("b"), cell.find("a", href=f"{base}/gone")
    assert answer.get_text() == "yes" and citation.get_text() == "docs"
    assert citation["data-link-state"] == "broken" and answer.find_next_sibling() is citation
    assert citation.find_next_sibling("span", class_="link-health-broken") is not None
    assert len(page.select("main .link-health-broken")) == 1  # the retries source works
    # the page's own links line counts its links like any page
    assert _footer_line(page).startswith("Links checked ")


def test_no_alarm_for_ok_moved_blocked_unconfirmed_or_unchecked(site):
    output, base, _, _ = site
    page = soup(output / "projects.html")
    for entry_id in ("fine", "moved", "walled", "flaky"):
        entry = _entry(page, entry_id)
        assert entry.find(attrs={"data-link-state": "broken"}) is None, entry_id
        assert "broken" not in entry.get_text().lower(), entry_id
        assert "checked" not in entry.get_text().lower(), entry_id  # no per-link text at all
    # the page's one line: when checked, how many of its checked links work (ok or moved); only
    # what the page marks is called broken: flaky (unconfirmed) and walled (blocked) are not
    line = _footer_line(page)
    assert line.startswith("Links checked ") and " of " not in line, line
    assert line.endswith(": 3 work, 1 broken, 1 could not be checked automatically, 1 being rechecked"), line
    assert len(page.select("[data-link-state=broken]")) == 1 + 1  # /gone: the entry and a fact's source
    assert _footer_line(soup(output / "hosted.html")).startswith("Links checked")


def test_guide_page_links_marked(site):
    output, base, snapshot, _ = site
    page = soup(output / "health-demo.html")
    gone = page.find("a", href=f"{base}/gone")
    assert gone["data-link-state"] == "broken"
    mark = gone.find_next_sibling("span", class_="link-health-broken")
    assert mark.find("a", string="archived copy")["href"] == snapshot
    fine = page.find("a", href=f"{base}/ok")
    assert not fine.has_attr("data-link-state")
    assert len(page.select(".link-health-broken")) == 1


def test_link_health_page(site):
    output, base, snapshot, content = site
    html = (output / "link-health.html").read_text(encoding="utf-8")
    page = BeautifulSoup(html, "html.parser")
    assert page.find("h1").get_text() == "Link health"
    summary = " ".join(page.select_one(".lh-summary").get_text(" ").split())
    # latest verdicts: /ok ok, /old moved, /blocked blocked, /gone broken, /flaky unconfirmed
    assert "3 of 6 links work" in summary and "2 failed: 1 broken, 1 being rechecked" in summary
    assert "1 could not be checked" in summary
    broken = page.select("#broken ~ ul.lh-list")[0].find_all("li", recursive=False)
    assert len(broken) == 1
    text = " ".join(broken[0].get_text(" ").split())
    assert f"{base}/gone" in text and "not found (HTTP 404)" in text and "failing since" in text
    # plain words only: no reason code, no checker message reaches the reader
    assert not [code for code in TABLE if "_" in code and code in page.get_text()]
    # where readers meet it: the entry by name, the page by title; never file:line
    assert "Gone Queue" in text and "Health demo" in text
    assert broken[0].find("a", string="Read the archived copy")["href"] == snapshot
    # the moved links are folded away under their count
    assert page.select_one("details.lh-moved summary").get_text().startswith("1 moved link,")
    moved = " ".join(page.select("#moved ~ details.lh-moved ul.lh-list")[0].get_text(" ").split())
    assert f"{base}/old" in moved and f"{base}/new" in moved
    unverified = " ".join(page.select_one("#unverified ~ ul.lh-list").get_text(" ").split())
    assert f"{base}/blocked" in unverified and f"{base}/flaky" in unverified
    # maintainer details stay in the reports
    for internal in ("projects.yaml", "health-demo.md", "make ", "fix --redirects", "suggested fix"):
        assert internal not in page.get_text(), internal
    assert not page.select("table.lh-hosts")


def test_history_chart_is_inline_svg(site):
    output, _, _, _ = site
    html = (output / "link-health.html").read_text(encoding="utf-8")
    page = BeautifulSoup(html, "html.parser")
    svg = page.select_one("figure.lh-chart svg")
    assert svg is not None and svg["role"] == "img" and svg.find("title") is not None
    lines = svg.find_all("polyline")
    assert len(lines) == 3
    assert all(len(line["points"].split()) == 2 for line in lines)  # two runs
    rows = page.select("table.lh-history tbody tr")
    history = [[int(td.get_text()) for td in tr.find_all("td")[1:]] for tr in rows]
    # newest first, as work / failed / not checked. Phase 1: /ok, /ok?cited, /flaky ok and /old
    # moved work; /blocked refuses checkers; /gone fails. Phase 2: /flaky fails too.
    assert history == [[3, 2, 1], [4, 1, 1]]
    # the tiles count the same groups: the latest check's row is what they say
    tiles = {li["data-group"]: int(li.strong.get_text()) for li in page.select(".lh-summary li[data-group]")}
    assert tiles == dict(zip(("work", "failed", "unchecked"), history[0], strict=True))
    assert [t.get_text() for t in svg.select("text")][-3:] == ["work", "failed", "not checked"]
    assert "<script" not in html
    assert not re.search(r"""(src|href)=["']https?://(?!127\.)""", str(svg))


def test_build_without_store_stays_quiet(tmp_path):
    output = build(ROOT / "content", tmp_path / "out", store_path=str(tmp_path / "none.sqlite3"))
    assert not (tmp_path / "none.sqlite3").exists()
    page = soup(output / "projects.html")
    assert page.select("tr[data-project]") and not page.select(".link-health, .status")
    assert _footer_line(page) == "Links on this page have not been checked yet · Link health"
    health = soup(output / "link-health.html")
    # said once, in the page: its footer neither repeats it nor links the page it is on
    assert health.get_text().count("not been checked yet") == 1
    assert not health.select(".page-links") and not health.select('footer a[href$="link-health.html"]')
