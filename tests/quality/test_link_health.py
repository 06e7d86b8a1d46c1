"""What the build with data tells readers about its links, read off the pages (the quality gates'
shared builds, no build of its own): each page's footer count calls failing only what the page
marks, the link-health page speaks in plain words and its tiles count what its chart draws."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from linkcheck.engine.reasons import TABLE
from tests.support.site import soup

COUNT_RE = re.compile(r"^Links checked \d+ \w+ \d{4}: (?:all (?P<all>\d+) work|(?P<work>\d+) work"
                      r"(?:, (?P<broken>\d+) broken)?"
                      r"(?:, (?P<blocked>\d+) could not be checked automatically)?"
                      r"(?:, (?P<rechecking>\d+) being rechecked)?)$")


@pytest.fixture(scope="module")
def stored(builds: dict[str, Path]) -> Path:
    if "stored-data" not in builds:
        pytest.skip("no build with data (QUALITY_SITE_DIR checks one given build)")
    return builds["stored-data"]


def test_each_footer_calls_failing_only_what_its_page_marks(stored: Path) -> None:
    problems: list[str] = []
    said_blocked = 0
    for path in sorted(stored.rglob("*.html")):
        name = path.relative_to(stored).as_posix()
        page = soup(path)
        lines = page.select(".page-links")
        if name == "link-health.html":
            assert not lines, "the link-health page's footer links itself"
            continue
        # a page without an external link of its own says nothing about links (the footer's credit
        # link is on every page)
        own = [a for a in page.select("main a[href^='http']") if not a.has_attr("data-linkhealth")]
        if bool(lines) != bool(own):
            problems.append(f"{name}: footer line {bool(lines)} but {len(own)} external links")
        if not lines or not lines[0].get_text().startswith("Links checked"):
            continue
        text = " ".join(lines[0].get_text().split())
        found = COUNT_RE.match(text)
        if found is None:  # a page without a checked external link says only when
            if not re.fullmatch(r"Links checked \d+ \w+ \d{4}", text):
                problems.append(f"{name}: {text!r}")
            continue
        marked = {a["href"] for a in page.select("main a[data-link-state=broken]")}
        if int(found["broken"] or 0) != len(marked):
            problems.append(f"{name}: {text!r} but {len(marked)} marked")
        said_blocked += int(found["blocked"] or 0)
    assert not soup(stored / "search.html").select(".page-links"), "search has no links to speak of"
    assert not problems, "footer counts:\n  " + "\n  ".join(problems)
    assert said_blocked, "no page says a link could not be checked: the seeded bot walls went missing"


def test_link_health_page_speaks_plainly_and_its_tiles_count_what_its_chart_draws(stored: Path) -> None:
    page = soup(stored / "link-health.html")
    text = page.select_one("main").get_text(" ")
    # reason codes and the checker's own messages stay in the reports
    assert not [code for code in TABLE if "_" in code and code in text]
    assert "seeded for the quality gates" not in text
    broken = page.select("#broken ~ ul.lh-list")[0]  # the next lists are the unverified ones
    details = [" ".join(p.get_text(" ").split()) for p in broken.select(".lh-detail")]
    assert details and all(" · failing since " in d for d in details), details[:3]
    tiles = {li["data-group"]: int(li.strong.get_text()) for li in page.select(".lh-summary li[data-group]")}
    latest = [int(td.get_text()) for td in page.select("table.lh-history tbody tr")[0].find_all("td")[1:]]
    groups = [th["data-group"] for th in page.select("table.lh-history thead th[data-group]")]
    assert groups == ["work", "failed", "unchecked"]
    # the seeded runs check every link, so the latest check is what the tiles say
    assert {g: tiles.get(g, 0) for g in groups} == dict(zip(groups, latest, strict=True))
    assert tiles["failed"] >= len(broken.find_all("li", recursive=False)) == len(details)
    desc = page.select_one("svg.link-health-chart desc").get_text()
    assert f"latest run: {latest[0]} work, {latest[1]} failed, {latest[2]} not checked." in desc
    # the moved links fold away under their count
    moved = page.select_one("details.lh-moved")
    assert moved is not None and moved.summary.get_text().startswith(f"{len(moved.select('li'))} moved link")
