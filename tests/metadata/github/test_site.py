"""The built projects page: GitHub figures from the store, escaped, sorted, never the token."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from linkcheck.metadata.github import refresh
from linkcheck.store import Store
from tests.support.site import build

from .conftest import TOKEN

DAY = 86400
NOW = time.time()

PROJECTS = """\
- name: Small Queue
  url: https://small.example/
  repo: https://github.com/org/small
  description: Few stars.
  group: general
- name: Big Queue
  url: https://big.example/
  repo: https://github.com/org/big
  description: Many stars.
  group: general
- name: Fresh Queue
  url: https://fresh.example/
  repo: https://github.com/org/fresh
  description: Never fetched.
  group: general
- name: Gone Queue
  url: https://gone.example/
  repo: https://github.com/org/gone
  description: Deleted upstream.
  group: general
"""


def _iso(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def _content(root: Path) -> Path:
    content = root / "content"
    (content / "catalog").mkdir(parents=True)
    (content / "pages").mkdir()
    (content / "catalog" / "projects.yaml").write_text(PROJECTS)
    (content / "pages" / "projects.md").write_text(
        "Title: Projects\nslug: projects\n\nThe projects.\n\n[catalog:projects]\n")
    return content


@pytest.fixture
def built(tmp_path, fake, make_settings):
    fake.add_repo("org/small", stargazers_count=7, pushed_at=_iso(NOW - 400 * DAY), archived=True,
                  description='<script>alert("x")</script><b>bold</b>')
    fake.add_repo("org/big", stargazers_count=1234567, pushed_at=_iso(NOW - 95 * DAY), release="v2.3.4")
    settings = make_settings(token=TOKEN)
    with Store(settings.store_path) as store:
        summary = refresh(settings, store, repos=["org/small", "org/big", "org/gone"])
    assert summary.missing == ["org/gone"]
    out = build(_content(tmp_path), tmp_path / "output",
                GITHUB_DATA={"store": str(settings.store_path), "now": NOW},
                LINKHEALTH={"store_path": str(tmp_path / "no-links.sqlite3")})
    return out, settings


def _page(out: Path) -> BeautifulSoup:
    return BeautifulSoup((out / "projects.html").read_text(), "html.parser")


def _entries(out: Path) -> dict[str, BeautifulSoup]:
    return {tr["id"]: tr for tr in _page(out).select("tr[data-project]")}


def test_projects_show_compact_vital_signs(built):
    out, _ = built
    entries = _entries(out)
    big = entries["entry-big-queue"]
    vitals = big.select_one(".vitals")
    assert big["data-stars"] == "1234567"
    assert vitals.select_one("a.v-stars").get_text() == "1.2M"  # ★ and "GitHub stars:" from the stylesheet
    assert vitals.select_one("a.v-stars")["href"] == "https://github.com/org/big"  # the figure's source
    assert vitals.select_one(".v-release").get_text(" ", strip=True).startswith("v2.3.4")
    assert vitals.select_one(".v-license").get_text() == "MIT"
    assert not vitals.select(".badge")  # only problems get a badge

    small = entries["entry-small-queue"].select_one(".vitals")
    badge = small.select_one(".badge")
    assert (badge.get_text(), badge["href"]) == ("archived on GitHub", "https://github.com/org/small")

    # nothing fetched: no figure, no placeholder; the repository as a plain link
    fresh = entries["entry-fresh-queue"]
    assert not fresh.select(".v-stars, .v-release, .v-license") and "not fetched" not in fresh.get_text()
    assert [a.get_text() for a in fresh.select("a.v-link")] == ["home", "repository"]
    assert "repository not found" in entries["entry-gone-queue"].select_one(".vitals").get_text()


def test_default_order_is_most_stars_without_downloads_and_archived_set_apart(built):
    out, _ = built
    # no downloads data: most stars first; no figures last, in catalog order; org/small is archived
    # on GitHub: set apart in the last section
    assert list(_entries(out)) == ["entry-big-queue", "entry-fresh-queue", "entry-gone-queue",
                                   "entry-small-queue"]
    page = _page(out)
    assert page.select_one("table.grid-archived tr[data-project]")["id"] == "entry-small-queue"
    assert "Order: maintained first, then most GitHub stars" in page.get_text()
    html = (out / "projects.html").read_text()
    assert "js/projects.js" in html
    assert (out / "theme" / "js" / "projects.js").exists()
    # the filter form is hidden until the script shows it
    assert page.select_one("form[data-projects-filters]").has_attr("hidden")


def test_github_text_is_escaped(built):
    out, _ = built
    html = (out / "projects.html").read_text()
    # the description is not shown (one description per project: the catalog's), and never as markup
    assert "<script>alert" not in html and "<b>bold</b>" not in html
    assert not _entries(out)["entry-small-queue"].select("script, b")


def test_token_never_reaches_the_site_or_store(built):
    out, settings = built
    for path in out.rglob("*"):
        if path.is_file():
            assert TOKEN.encode() not in path.read_bytes(), path
    for path in settings.store_path.parent.glob("*.sqlite3*"):
        assert TOKEN.encode() not in path.read_bytes()


def test_blocked_noassertion_and_bad_stored_dates_on_the_page(tmp_path, fake, make_settings):
    fake.add_repo("org/small", license={"key": "other", "name": "Other", "spdx_id": "NOASSERTION",
                                        "url": None, "node_id": "MDc6TGljZW5zZTA="})
    fake.add_repo("org/big")
    fake.blocked.add("org/gone")
    settings = make_settings()  # REST: GitHub names the reason of a block
    with Store(settings.store_path) as store:
        refresh(settings, store, repos=["org/small", "org/big", "org/gone"])
        # data stored before range checks existed: the build must not die on it
        row = store.github_repo("org/big")
        store.save_github_repo("org/big", state="ok",
                               data={**row["data"], "pushed_at": "9999-12-31T23:59:59-14:00"})
    out = build(_content(tmp_path), tmp_path / "output",
                GITHUB_DATA={"store": str(settings.store_path), "now": NOW},
                LINKHEALTH={"store_path": str(tmp_path / "no-links.sqlite3")})
    entries = _entries(out)
    # NOASSERTION (a licence GitHub could not name) shows nothing: no "other license"
    small = entries["entry-small-queue"]
    assert small.select_one(".v-license") is None and "licen" not in small.select_one(".vitals").get_text()
    gone = entries["entry-gone-queue"].select_one(".vitals").get_text()
    assert "repository unavailable" in gone and "(tos)" in gone
    big = entries["entry-big-queue"].select_one(".vitals")
    assert big.select_one("a.v-stars") is not None
