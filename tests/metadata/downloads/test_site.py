"""The real site with and without download figures: attached from the store, quiet without them."""

from __future__ import annotations

import time

from linkcheck.metadata.downloads import refresh
from linkcheck.store import Store
from tests.support.site import CONTENT, build, built_catalog, soup


def _build(tmp_path, store_path):
    with built_catalog() as seen:
        out = build(CONTENT, tmp_path / "output", GITHUB_DATA={"store": str(store_path), "now": time.time()},
                    LINKHEALTH={"store_path": str(tmp_path / "no-links.sqlite3")})
    return out, {e.id: e for e in seen["catalog"].section("projects")}


def test_no_download_data_no_word_about_downloads(tmp_path, fake, make_settings):
    settings = make_settings()
    fake.broken.add("celery")
    with Store(settings.store_path) as store:  # a store whose only downloads row is a failure
        refresh(settings, store, projects=["celery"])
        store.save_pypi_project("celery", state="ok", etag=None, data={"version": "5.5.3"})
        assert store.pypi_downloads() == {}
    out, entries = _build(tmp_path, settings.store_path)
    assert all(e.downloads is None for e in entries.values())
    page = soup(out / "projects.html")
    assert "download" not in page.get_text(" ", strip=True).lower()  # no placeholder, no empty column
    assert not page.select("[data-downloads]")


def test_figures_attached_by_pypi_name(tmp_path, fake, make_settings):
    settings = make_settings()
    fake.add("celery", 31_000_000)
    fake.add("rq", 2_500_000)
    with Store(settings.store_path) as store:
        summary = refresh(settings, store, projects=["celery", "rq", "dramatiq"])
        assert summary.no_data == ["dramatiq"]
    _out, entries = _build(tmp_path, settings.store_path)
    assert entries["celery"].downloads["last_month"] == 31_000_000
    assert entries["rq"].downloads["last_month"] == 2_500_000
    assert entries["dramatiq"].downloads is None
    assert sum(1 for e in entries.values() if e.downloads) == 2
