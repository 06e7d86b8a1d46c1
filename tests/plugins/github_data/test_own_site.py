"""The github_data plugin on its own tiny site, reading figures saved through the Store API."""

from __future__ import annotations

from pathlib import Path

from linkcheck.store import Store
from tests.support.site import build_own_site, soup

HERE = Path(__file__).resolve().parent


def test_stored_figures_shown_and_missing_ones_said_so(tmp_path: Path):
    store = tmp_path / "store.sqlite3"
    with Store(store) as s:
        s.save_github_repo("example/starry", state="ok", data={
            "name_with_owner": "example/starry", "stars": 4321, "forks": 12, "open_issues": 3,
            "pushed_at": "2025-12-01T00:00:00Z", "license": "MIT", "language": "Python",
            "description": "Stars <b>and</b> queues"}, fetched_at=1_767_000_000.0)
    out = build_own_site(HERE, tmp_path / "out", store)
    page = soup(out / "projects.html")
    entries = {e.get_text(" ", strip=True).split(" ")[0]: e for e in page.select(".entry")}
    starry = entries["Starry"].get_text(" ", strip=True)
    unfetched = entries["Unfetched"].get_text(" ", strip=True)
    assert "★ 4.3k stars" in starry and "MIT" in starry and "updated 1 month ago" in starry
    assert "Stars <b>and</b> queues" in starry and page.find("b") is None  # stored text stays text
    assert "★" not in unfetched and "stars" not in unfetched  # no figures, no placeholders
