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

from linkcheck.runs.local import run_check
from linkcheck.store import Store
from linkcheck.upkeep.archive import lookup_archives

from .conftest import make_settings

ROOT = Path(__file__).resolve().parents[2]

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
    hosted.write_text(re.sub(r"\n    works_with:\n(?:      .*\n)+", "\n", hosted.read_text(encoding="utf-8")),
                      encoding="utf-8")
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


def _status_text(entry) -> str:
    return " ".join(entry.select_one(".status").get_text(" ").split())


def test_broken_entry_marked_with_text_icon_and_archived_copy(site):
    output, base, snapshot, _ = site
    gone = _entry(soup(output / "projects.html"), "gone")
    link = gone.find("a", href=f"{base}/gone")
    assert link["data-link-state"] == "broken"
    mark = link.find_next_sibling("span", class_="link-health-broken")
    assert "broken link" in mark.get_text() and mark.find("svg") is not None
    archived = gone.find("a", string="archived copy")
    assert archived["href"] == snapshot
    status = _status_text(gone)
    assert status.startswith("Link: broken (failing since ")
    assert "last checked" in status and gone.select_one(".status time")["datetime"].endswith("Z")


def test_no_alarm_for_ok_moved_blocked_unconfirmed_or_unchecked(site):
    output, base, _, _ = site
    page = soup(output / "projects.html")
    expected = {
        "fine": "Link: works",
        "moved": "Link: works (moved to a new address)",
        "walled": "Link: not checkable automatically",
        "flaky": "Link: being rechecked",  # failed once: not yet news for readers
    }
    for entry_id, text in expected.items():
        entry = _entry(page, entry_id)
        assert _status_text(entry).startswith(text + " · last checked"), entry_id
        assert entry.find(attrs={"data-link-state": "broken"}) is None, entry_id
        assert "broken" not in entry.get_text().lower(), entry_id
    # entries never checked keep the theme's wording
    hosted = soup(output / "hosted.html").select(".entry .status")
    assert hosted and all(" ".join(s.get_text().split()) == "Link: not checked yet" for s in hosted)


def test_guide_page_links_marked(site):
    output, base, snapshot, _ = site
    page = soup(output / "health-demo.html")
    gone = page.find("a", href=f"{base}/gone")
    assert gone["data-link-state"] == "broken"
    assert gone.find_next_sibling("a", string="archived copy")["href"] == snapshot
    fine = page.find("a", href=f"{base}/ok")
    assert not fine.has_attr("data-link-state")
    assert len(page.select(".link-health-broken")) == 1


def test_link_health_page(site):
    output, base, snapshot, content = site
    page = soup(output / "link-health.html")
    assert page.find("h1").get_text() == "Link health"
    totals = {row.th.get_text(): int(row.td.get_text()) for row in page.select("table.lh-totals tbody tr")}
    # latest verdicts: /ok ok; /old and /blocked warn; /gone and /flaky error (only /gone confirmed)
    assert totals == {"ok": 1, "warn": 2, "error": 2, "broken for readers": 1}
    broken_rows = page.select("table.lh-broken tbody tr")
    assert len(broken_rows) == 1
    row = broken_rows[0]
    text = " ".join(row.get_text(" ").split())
    yaml_line = next(i for i, line in enumerate(
        (content / "catalog" / "projects.yaml").read_text().splitlines(), 1) if line.endswith(f"{base}/gone"))
    assert f"content/catalog/projects.yaml:{yaml_line}" in text and "gone" in text
    assert "content/pages/health-demo.md:4" in text
    assert "not found (HTTP 404)" in text and "(2 checks)" in text
    assert "find its new address" in text
    assert row.find("a", string="archived copy")["href"] == snapshot
    moved = " ".join(page.select_one("table.lh-moved").get_text(" ").split())
    assert f"{base}/old" in moved and f"{base}/new" in moved and "fix --redirects" in moved
    blocked = " ".join(page.select_one("table.lh-blocked").get_text(" ").split())
    assert f"{base}/blocked" in blocked and "blocked for robots" in blocked
    hosts = page.select("table.lh-hosts tbody tr")
    assert [c.get_text() for c in hosts[0].find_all("td")] == ["127.0.5.21", "5", "1", "2", "2"]


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
    history = [[int(td.get_text()) for td in tr.find_all("td")[2:]] for tr in rows]
    # phase 1: /ok, /flaky ok; /old, /blocked warn; /gone error. Phase 2: /flaky fails too.
    assert history == [[2, 2, 1], [1, 2, 2]]
    assert "<script" not in html
    assert not re.search(r"""(src|href)=["']https?://(?!127\.)""", str(svg))


def test_build_without_store_says_not_checked(tmp_path):
    output = build(ROOT / "content", tmp_path / "out", store_path=str(tmp_path / "none.sqlite3"))
    assert not (tmp_path / "none.sqlite3").exists()
    statuses = soup(output / "projects.html").select(".entry .status")
    assert statuses and all(" ".join(s.get_text().split()) == "Link: not checked yet" for s in statuses)
    assert "No link has been checked yet" in (output / "link-health.html").read_text(encoding="utf-8")
