"""The built projects page shows PyPI release data from the store, escaped; the build never dies on it."""

from __future__ import annotations

import time
from pathlib import Path

from bs4 import BeautifulSoup

from linkcheck.metadata.pypi import refresh
from linkcheck.store import Store
from tests.support.site import build

PROJECTS = """\
- name: Hostile Queue
  id: hostile
  group: general
  url: https://hostile.example/
  pypi: hostile
  description: Strings from outside.
- name: Fresh Queue
  id: fresh
  group: general
  url: https://fresh.example/
  pypi: fresh
  description: Never fetched.
- name: Plain Queue
  id: plain
  group: general
  url: https://plain.example/
  description: Not on PyPI.
"""


def _content(root: Path) -> Path:
    content = root / "content"
    (content / "catalog").mkdir(parents=True)
    (content / "pages").mkdir()
    (content / "catalog" / "projects.yaml").write_text(PROJECTS)
    (content / "pages" / "projects.md").write_text(
        "Title: Projects\nslug: projects\n\nThe projects.\n\n[catalog:projects]\n")
    return content


def test_pypi_release_shown_escaped_with_yanked_and_python(tmp_path, fake, make_settings):
    fake.add("hostile", version='1.0<script>alert("v")</script>', yanked=True,
             yanked_reason='<img src=x onerror="alert(1)">', requires_python=">=3.9,<4 & more",
             uploaded="2026-10-01T12:00:00Z")
    settings = make_settings()
    with Store(settings.store_path) as store:
        refresh(settings, store, projects={"hostile": None, "fresh": None})
        # stored before range checks: an implausible date must not stop the build
        row = store.pypi_project("fresh")
        assert row["state"] == "missing"
    out = build(_content(tmp_path), tmp_path / "output",
                GITHUB_DATA={"store": str(settings.store_path), "now": time.time()},
                LINKHEALTH={"store_path": str(tmp_path / "no-links.sqlite3")},
                CATALOG={"compare_pairs": [("hostile", "fresh")]})
    html = (out / "projects.html").read_text()
    assert "<script>alert" not in html and "<img src=x" not in html
    page = BeautifulSoup(html, "html.parser")
    hostile = page.select_one("#entry-hostile .vitals")
    release = hostile.select_one(".v-release")
    assert release.get_text(" ", strip=True).startswith('1.0<script>alert("v")</script>')
    assert "yanked: <img src=x" in hostile.select_one(".v-yanked").get_text()
    assert release.get_text(" ", strip=True).endswith("(Oct\u00a02026)")  # month and year together, bracketed
    assert hostile.find("a", class_="v-link", string="PyPI")["href"] == "https://pypi.org/project/hostile/"
    # the side-by-side page adds what the row leaves out: the Python versions, from PyPI
    vs = (out / "compare" / "fresh-vs-hostile.html").read_text()  # names in order, whatever the config's
    assert "<script>alert" not in vs and "<img src=x" not in vs
    python = next(tr for tr in BeautifulSoup(vs, "html.parser").select("table.vs tr")
                  if tr.th.get_text() == "Requires Python")
    assert [td.get_text(" ", strip=True) for td in python.select("td")] == ["unknown", ">=3.9,<4 & more PyPI"]
    release_row = next(tr for tr in BeautifulSoup(vs, "html.parser").select("table.vs tr")
                       if tr.th.get_text() == "Latest release")
    assert release_row.select_one("time")["datetime"] == "2026-10-01"
    # not fetched yet: nothing shown, no placeholder
    fresh = page.select_one("#entry-fresh .vitals")
    assert [a.get_text() for a in fresh.select("a.v-link")] == ["home", "PyPI"]
    assert "not fetched" not in page.get_text()
    assert not fresh.select(".v-release, .v-dl, .v-stars")
    assert page.select_one("#entry-plain .v-release") is None


def test_release_data_as_the_plugin_attaches_it(tmp_path, fake, make_settings):
    from plugins.github_data.figures import pypi_release

    fake.add("q", version="2.0", uploaded="2026-10-01T12:00:00Z")
    settings = make_settings()
    with Store(settings.store_path) as store:
        refresh(settings, store, projects={"q": None})
        row = store.pypi_project("q")
        store.save_pypi_project("bad", state="ok", etag=None,
                                data={"version": "1", "released": "9999-12-31T23:59:59-14:00",
                                      "urls": {"x": "javascript:alert(1)"}})
        bad = store.pypi_project("bad")
    release = pypi_release(row, time.time())
    assert release["version"] == "2.0" and release["released"].year == 2026
    assert release["released"].tzinfo is not None
    assert release["requires_python"] == ">=3.9" and release["yanked"] is False
    assert release["urls"]["Source"] == "https://github.com/pypa/sampleproject/"
    odd = pypi_release(bad, time.time())
    assert odd["released"] is None and odd["urls"] == {}
