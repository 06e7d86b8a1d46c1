"""The linkhealth plugin on its own tiny site, reading a store filled through the Store API."""

from __future__ import annotations

from pathlib import Path

from linkcheck.model import Result
from linkcheck.store import Store
from tests.support.site import build_own_site, soup

HERE = Path(__file__).resolve().parent
GONE, FINE = "https://gone.example.test/page", "https://fine.example.test/"


def _two_runs(path: Path) -> None:
    with Store(path) as store:
        for started in (1_700_000_000.0, 1_700_090_000.0):
            run = store.start_run("check", started_at=started)
            store.record_result(run, Result(url=GONE, verdict="error", reason="not_found",
                                            message="not found (HTTP 404)", status=404,
                                            checked_at=started + 1))
            store.record_result(run, Result(url=FINE, verdict="ok", reason="ok", message="OK",
                                            status=200, checked_at=started + 1))
            store.finish_run(run)


def test_broken_link_marked_and_health_page_written(tmp_path: Path):
    store = tmp_path / "store.sqlite3"
    _two_runs(store)
    out = build_own_site(HERE, tmp_path / "out", store)
    page = soup(out / "links.html")
    gone = [a for a in page.find_all("a") if a.get("href") == GONE]
    assert gone and "broken link" in page.get_text(" ", strip=True)
    fine = next(a for a in page.find_all("a") if a.get("href") == FINE)
    assert "broken" not in fine.parent.get_text(" ", strip=True)
    health = soup(out / "link-health.html").get_text(" ", strip=True)
    assert GONE in health and "not found" in health


def test_without_a_store_links_are_not_checked_yet(tmp_path: Path):
    out = build_own_site(HERE, tmp_path / "out", tmp_path / "absent.sqlite3")
    text = soup(out / "links.html").get_text(" ", strip=True)
    assert "broken link" not in text and "have not been checked yet" in text
    assert not (tmp_path / "absent.sqlite3").exists()  # building never creates a store
