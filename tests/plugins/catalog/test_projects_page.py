"""The projects page with real-looking GitHub and PyPI data (tests/quality/seed.py): a task queue
leads, a feature of a larger project never shows its host's figures, and without downloads data
the page says nothing about downloads."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkcheck.catalog import load_catalog
from tests.quality.seed import seed_store
from tests.support.site import CONTENT, ROOT, build, soup


def _built(tmp_path: Path, *, downloads: bool) -> Path:
    store = tmp_path / "store.sqlite3"
    seed_store(store, ROOT, links=False, github=True, downloads=downloads)
    return build(CONTENT, tmp_path / "out", GITHUB_DATA={"store": str(store)},
                 LINKHEALTH={"store_path": str(tmp_path / "no-links.sqlite3")})


@pytest.fixture(scope="module")
def with_downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _built(tmp_path_factory.mktemp("downloads"), downloads=True)


@pytest.fixture(scope="module")
def stars_only(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _built(tmp_path_factory.mktemp("stars"), downloads=False)


def _rows(out: Path, table: str = "grid-queue") -> list[str]:
    return [tr["data-project"] for tr in soup(out / "projects.html").select(f"table.{table} tbody tr")]


@pytest.mark.parametrize("data", ["with_downloads", "stars_only"])
def test_the_first_project_a_reader_sees_is_a_maintained_task_queue(data, request):
    out = request.getfixturevalue(data)
    catalog = load_catalog(CONTENT)
    page = soup(out / "projects.html")
    first = page.select_one("tr[data-project]")
    entry = catalog.get(first["data-project"])
    assert first.find_parent("table")["class"] == ["grid", "grid-queue"]
    assert entry.kind == "queue" and entry.status is None and not entry.part_of
    # the frameworks' stars (FastAPI ~90k, Django ~85k in the seed) lead nothing
    assert "fastapi-backgroundtasks" not in _rows(out)
    assert _rows(out).index("django-tasks-framework") > _rows(out).index("celery")


def test_with_downloads_the_order_is_maintained_then_most_downloaded(with_downloads):
    rows = _rows(with_downloads)
    page = soup(with_downloads / "projects.html")
    dl = {tr["data-project"]: int(tr["data-dl"]) for tr in page.select("table.grid-queue tbody tr")}
    status = {e.id: e.status for e in load_catalog(CONTENT).section("projects")}
    maintained = [r for r in rows if status[r] is None]
    assert rows[:len(maintained)] == maintained  # maintained first (maintenance-only after)
    counted = [dl[r] for r in maintained if dl[r] >= 0]
    assert counted == sorted(counted, reverse=True) and rows[0] == "celery"
    line = page.select_one(".order-note").get_text()
    assert line == ("Order: maintained first, then most PyPI downloads last month (else GitHub stars); "
                    "inactive last.")
    assert "downloads" in [o["value"] for o in page.select("select[name=sort] option")]


def test_a_feature_of_a_larger_project_shows_part_of_and_its_hosts_release_only(with_downloads):
    row = soup(with_downloads / "projects.html").select_one("#entry-django-tasks-framework")
    vitals = row.select_one(".vitals")
    assert vitals.select_one(".v-host").get_text() == "part of Django"
    assert vitals.select_one(".v-release").get_text(" ", strip=True).startswith("Django ")
    assert not vitals.select(".v-stars, .v-dl")  # Django's figures are not django.tasks'
    assert (row["data-stars"], row["data-dl"]) == ("-1", "-1")
    assert [a.get_text() for a in vitals.select("a.v-link")] == ["home", "Django's repository",
                                                                  "Django on PyPI"]
    # its own page: the same vitals, the host's links said to be the host's
    own = soup(with_downloads / "projects" / "django-tasks-framework.html").select_one("main")
    vitals = own.select_one(".vitals")
    assert vitals.select_one(".v-host").get_text() == "part of Django"
    assert vitals.select_one(".v-release").get_text(" ", strip=True).startswith("Django ")
    assert not vitals.select(".v-stars, .v-dl, a.v-link")  # its links are a line of their own
    assert [a.get_text() for a in own.select(".project-links a")] == ["home page", "Django's repository",
                                                                     "Django on PyPI"]
    celery = soup(with_downloads / "projects" / "celery.html").select_one("main .vitals")
    assert celery.select_one(".v-stars") and celery.select_one(".v-dl")  # its own figures
    # each figure links its source: the downloads come from pypistats, not from the PyPI page
    assert celery.select_one(".v-dl")["href"] == "https://pypistats.org/packages/celery"


def test_without_downloads_data_nothing_speaks_of_downloads(stars_only):
    pages = ["projects.html", "index.html"]
    pages += [f"compare/{p.name}" for p in (stars_only / "compare").glob("*.html")]
    for name in pages:
        text = soup(stars_only / name).select_one("main").get_text(" ", strip=True).lower()
        assert "download" not in text and "/month" not in text, name
    page = soup(stars_only / "projects.html")
    assert "downloads" not in [o["value"] for o in page.select("select[name=sort] option")]
    line = page.select_one(".order-note").get_text()
    assert line.startswith("Order: maintained first, then most GitHub stars")
    # the default order then rests on stars: the maintained queues with stars of their own first,
    # most first, then those without (part_of entries: their host's stars are not theirs)
    catalog = load_catalog(CONTENT)
    stars = [int(tr["data-stars"]) for tr in page.select("table.grid-queue tbody tr")
             if catalog.get(tr["data-project"]).status is None]
    own = [s for s in stars if s >= 0]
    assert len(own) > 10 and stars[:len(own)] == sorted(own, reverse=True)
    assert set(stars[len(own):]) <= {-1}
