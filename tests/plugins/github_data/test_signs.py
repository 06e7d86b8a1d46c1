"""The plugin attaches ``entry.downloads`` and ``entry.signs`` from the store on a real build."""

from __future__ import annotations

from pathlib import Path

from linkcheck.store import Store
from tests.support.site import build, build_own_site, built_catalog, soup

HERE = Path(__file__).resolve().parent
NOW = 1_767_225_600.0  # build_own_site pins the build time: 2026-01-01


def test_downloads_and_signs_attached_after_a_real_build(tmp_path: Path):
    store = tmp_path / "store.sqlite3"
    with Store(store) as s:
        s.save_github_repo("example/starry", state="ok", fetched_at=NOW - 3600, data={
            "name_with_owner": "example/starry", "stars": 10, "archived": True,
            "pushed_at": "2023-05-01T00:00:00Z", "description": "Deprecated: use something else"})
        s.save_pypi_project("starry", state="ok", etag=None, fetched_at=NOW - 3600, data={
            "version": "0.3", "released": "2023-04-02T00:00:00Z"})
        s.save_pypi_downloads("starry", 4321, NOW - 7200)
        s.save_pypi_downloads_failure("unfetched", "HTTP 503 from pypistats", NOW - 60)
    with built_catalog() as seen:
        out = build_own_site(HERE, tmp_path / "out", store)
    entries = {e.id: e for e in seen["catalog"].section("projects")}
    starry, unfetched = entries["starry-queue"], entries["unfetched-queue"]
    assert starry.downloads == {"last_month": 4321, "fetched_at": NOW - 7200}
    assert [(s.kind, s.text) for s in starry.signs] == [
        ("archived", "repository archived on GitHub"),
        ("deprecated", "description says deprecated"),
        ("quiet", "no release since April 2023"),
    ]
    assert starry.github["inactive"] is True  # the same threshold: no push for 548 days
    # a failure with no good figure, no GitHub data: nothing attached, nothing said
    assert unfetched.downloads is None and unfetched.signs == []
    page = soup(out / "projects.html")
    card = page.select_one("#entry-unfetched-queue")
    assert "download" not in card.get_text(" ", strip=True).lower()
    # the site shows the figure and one quiet line (the archived badge already says "archived")
    row = page.select_one("#entry-starry-queue .vitals")
    assert row.select_one("a.v-dl").get_text() == "4.3k/month"
    assert row.select_one(".badge").get_text() == "archived on GitHub"
    assert [a.get_text() for a in row.select(".v-sign")] == ["description says deprecated"]


def test_no_store_at_all_attaches_nothing(tmp_path: Path):
    with built_catalog() as seen:
        out = build_own_site(HERE, tmp_path / "out", tmp_path / "none.sqlite3")
    assert not (tmp_path / "none.sqlite3").exists()  # a build never creates the store
    for entry in seen["catalog"].section("projects"):
        assert entry.downloads is None and entry.signs == []
    text = soup(out / "projects.html").get_text(" ", strip=True).lower()
    assert "download" not in text and "no release since" not in text


def test_the_threshold_comes_from_the_site_settings(tmp_path: Path):
    store = tmp_path / "store.sqlite3"
    with Store(store) as s:
        s.save_github_repo("example/starry", state="ok", fetched_at=NOW, data={
            "name_with_owner": "example/starry", "pushed_at": "2025-06-01T00:00:00Z"})
    with built_catalog() as seen:
        build(HERE / "site" / "content", tmp_path / "out",
              GITHUB_DATA={"store": str(store), "now": NOW, "quiet_after_days": 100},
              LINKHEALTH={"store_path": str(store)})
    starry = seen["catalog"].get("starry-queue")
    assert [s.text for s in starry.signs] == ["no commit since June 2025"]
    assert starry.github["inactive"] is True
