"""The news page and feed of the real catalog, built as `make publish` builds it, with a store
seeded like the quality gates' (GitHub figures, PyPI releases and project events)."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from linkcheck.catalog import load_catalog
from linkcheck.inventory.internal import check_internal
from tests.plugins.news.conftest import check_atom
from tests.quality.seed import seed_store
from tests.support.site import CONTENT, ROOT, build, soup

SITEURL = "https://queues.example.org"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("news-real")
    catalog = load_catalog(CONTENT)
    repos = sorted({e.github_repo for e in catalog.entries if e.github_repo})
    store = tmp / "linkcheck.sqlite3"
    seed_store(store, ROOT, repos, links=False, github=True)
    return build(CONTENT, tmp / "out", SITEURL=SITEURL, RELATIVE_URLS=False, SEARCH={"page": None},
                 GITHUB_DATA={"store": str(store)}, LINKHEALTH={"store_path": str(store)},
                 NEWS={"store": str(store)})


def test_the_real_feed_parses_and_matches_the_page(site: Path) -> None:
    _, parsed = check_atom(site / "feeds" / "news.atom.xml")
    page = soup(site / "news.html")
    keys = [li["id"] for li in page.select("li.news-item")]
    # the same items (the page lists status changes first, the feed is newest first throughout)
    assert sorted(e.id for e in parsed.entries) == sorted(f"{SITEURL}/news.html#{key}" for key in keys)
    assert 0 < len(keys) <= 50
    kinds = {key.split("-")[1] for key in keys}
    assert {"release", "added"} <= kinds, kinds
    assert [p for p in check_internal(site, site_url=SITEURL) if p.page == "news.html"] == []


def test_a_feature_of_a_larger_project_gets_the_host_s_release(site: Path) -> None:
    catalog = load_catalog(CONTENT)
    features = [e for e in catalog.section("projects") if e.part_of and e.pypi]
    assert features, "the catalog has no part_of entry with a PyPI name"
    page = soup(site / "news.html")
    titles = [t.get_text(strip=True) for t in page.select("li[id^=news-release-] .news-title")]
    for entry in features:
        assert not [t for t in titles if t.startswith(entry.name)], entry.name
    hosts = {e.part_of for e in features}
    assert [t for t in titles if any(t.startswith(f"{h} ") for h in hosts)], titles


def _commit_time(path: Path, line: int) -> str | None:
    try:
        out = subprocess.run(["git", "blame", "--porcelain", "-L", f"{line},{line}", "--", path.name],
                             cwd=path.parent, capture_output=True, text=True, timeout=30, check=False)
    except OSError:
        return None
    stamp = next((ln.split(" ", 1)[1] for ln in out.stdout.splitlines() if ln.startswith("committer-time ")),
                 None)
    return datetime.fromtimestamp(int(stamp), tz=UTC).date().isoformat() if stamp else None


def test_catalog_status_items_are_dated_by_the_commit_of_their_line(site: Path) -> None:
    catalog = load_catalog(CONTENT)
    shown = {li["id"]: li for li in soup(site / "news.html").select("li.news-item")
             if li["id"].startswith("news-status-")}
    with_status = {e.id: e for e in catalog.entries if e.status}
    for anchor, li in shown.items():
        entry_id = anchor.removeprefix("news-status-").rsplit("-", 1)[0]
        entry = with_status[entry_id]  # only entries with a status line
        assert li.select_one("time")["datetime"] == _commit_time(entry.path, entry.field_lines["status"])
