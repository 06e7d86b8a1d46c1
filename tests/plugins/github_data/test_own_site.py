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
            "release_tag": "v1.<b>2</b>", "release_published_at": "2025-11-20T00:00:00Z",
            "description": "Stars <b>and</b> queues"}, fetched_at=1_767_000_000.0)
    out = build_own_site(HERE, tmp_path / "out", store)
    page = soup(out / "projects.html")
    rows = {r["data-project"]: r for r in page.select("tr[data-project]")}
    starry = rows["starry-queue"].select_one(".vitals")
    unfetched = rows["unfetched-queue"].select_one(".vitals")
    text = " ".join(starry.get_text(" ", strip=True).split())
    assert starry.select_one("a.v-stars").get_text() == "4.3k" and "MIT" in text
    # the figure links its source
    assert starry.select_one("a.v-stars")["href"] == "https://github.com/example/starry"
    assert "v1.<b>2</b> (Nov 2025)" in text and page.find("b") is None  # stored text stays text
    # no figures, no placeholders: the repository and PyPI as plain links
    assert "stars" not in unfetched.get_text() and not unfetched.select(".v-release")
    assert [a.get_text() for a in unfetched.select("a.v-link")] == ["home", "repository", "PyPI"]
