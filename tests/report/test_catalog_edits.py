"""Signs of life end to end, and "Catalog edits to consider" in the link-health report.

GitHub and PyPI data from the loopback fakes shows an archived repository, a project
quiet for three years and a description that says "deprecated"; the refreshes store it,
a real site build attaches the three quiet lines as ``entry.signs``, and the report
lists the three proposed edits with their evidence and a YAML snippet. An entry whose
status already says so is not listed.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from linkcheck.metadata import github, pypi
from linkcheck.model import Result
from linkcheck.report.build import build_report, render_html, render_markdown, write_report
from linkcheck.report.edits import catalog_edits
from linkcheck.settings import Settings
from linkcheck.store import Store
from tests.support.fakegithub import FakeGitHub, serve_fake_github
from tests.support.fakepypi import FakePyPI, serve_fake_pypi
from tests.support.site import build, built_catalog, soup
from tests.support.tworuns import make_settings

DAY = 86400.0
NOW = time.time()
LONG_AGO = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(NOW - 3 * 365 * DAY))
RECENT = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(NOW - 20 * DAY))
LONG_AGO_MONTH = time.strftime("%B %Y", time.gmtime(NOW - 3 * 365 * DAY))

PROJECTS = """\
- name: Frozen Queue
  id: frozen
  group: general
  url: https://frozen.example/
  repo: https://github.com/org/frozen
  pypi: frozen
  description: Its repository is archived.
- name: Sleepy Queue
  id: sleepy
  group: general
  url: https://sleepy.example/
  repo: https://github.com/org/sleepy
  pypi: sleepy
  description: No release or push for three years.
- name: Old Queue
  id: oldq
  group: asyncio
  url: https://oldq.example/
  repo: https://github.com/org/oldq
  pypi: oldq
  description: Its GitHub description says it is deprecated.
- name: Lively Queue
  id: lively
  group: general
  url: https://lively.example/
  repo: https://github.com/org/lively
  pypi: lively
  description: Released last month.
- name: Known Archive
  id: known
  group: general
  url: https://known.example/
  repo: https://github.com/org/known
  status: archived
  status_source: https://github.com/org/known
  description: The catalog says archived already.
"""


@dataclass
class World:
    root: Path
    settings: Settings
    projects: Path


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    gh, py = FakeGitHub(), FakePyPI()
    gh.add_repo("org/frozen", archived=True, pushed_at=RECENT, description="A task queue")
    gh.add_repo("org/sleepy", release=None, pushed_at=LONG_AGO, description="A task queue")
    gh.add_repo("org/oldq", pushed_at=RECENT, description="DEPRECATED: use <b>New Queue</b> instead")
    gh.add_repo("org/lively", pushed_at=RECENT, description="A lively task queue")
    gh.add_repo("org/known", release=None, archived=True, pushed_at=LONG_AGO)
    for name in ("frozen", "oldq", "lively"):
        py.add(name, version="2.0", uploaded=RECENT)
    py.add("sleepy", version="0.9", uploaded=LONG_AGO)
    root = tmp_path_factory.mktemp("edits")
    content = root / "content"
    (content / "catalog").mkdir(parents=True)
    (content / "pages").mkdir()
    projects = content / "catalog" / "projects.yaml"
    projects.write_text(PROJECTS)
    (content / "pages" / "projects.md").write_text(
        "Title: Projects\nslug: projects\n\nThe projects.\n\n[catalog:projects]\n")
    with serve_fake_github(gh) as gh_api, serve_fake_pypi(py) as py_api:
        settings = make_settings(root, github_api_url=gh_api, pypi_api_url=py_api)
        with Store.from_settings(settings) as store:
            assert github.refresh(settings, store).errors == []
            assert pypi.refresh(settings, store).errors == []
            run = store.start_run("check")  # the report is a check run's: one checked link
            store.record_result(run, Result(url="https://frozen.example/", verdict="ok", reason="ok",
                                            message="OK", status=200))
            store.finish_run(run)
    yield World(root, settings, projects)


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_the_site_build_attaches_the_three_quiet_lines(world: World, tmp_path: Path):
    with built_catalog() as seen:
        out = build(world.root / "content", tmp_path / "output",
                    GITHUB_DATA={"store": str(world.settings.store_path), "now": time.time(),
                                 "quiet_after_days": world.settings.quiet_after_days},
                    LINKHEALTH={"store_path": str(world.settings.store_path)})
    signs = {e.id: [(s.kind, s.text) for s in e.signs] for e in seen["catalog"].section("projects")}
    assert signs["frozen"] == [("archived", "repository archived on GitHub")]
    assert signs["sleepy"] == [("quiet", f"no release since {LONG_AGO_MONTH}")]
    assert signs["oldq"] == [("deprecated", "description says deprecated")]
    assert signs["lively"] == []
    assert signs["known"] == [("archived", "repository archived on GitHub"),
                              ("quiet", f"no commit since {LONG_AGO_MONTH}")]
    html = (out / "projects.html").read_text()
    assert "<b>New Queue</b>" not in html  # stored text stays text
    assert soup(out / "projects.html").select_one("#entry-lively") is not None


def test_the_report_lists_the_three_proposed_edits_with_evidence(world: World):
    with Store.from_settings(world.settings) as store:
        report = write_report(world.settings, store)
    data = report.data
    edits = {e["entry"]: e for e in data["catalog_edits"]}
    assert list(edits) == ["frozen", "sleepy", "oldq"] and data["summary"]["catalog_edits"] == 3
    frozen, sleepy, oldq = edits["frozen"], edits["sleepy"], edits["oldq"]
    assert frozen["proposed"] == {"status": "archived", "status_source": "https://github.com/org/frozen"}
    assert frozen["yaml"] == "status: archived\nstatus_source: https://github.com/org/frozen"
    assert frozen["evidence"][0]["evidence"].startswith("GitHub marks org/frozen as archived (seen ")
    assert frozen["where"] == f"content/catalog/projects.yaml:{line_of(world.projects, 'name: Frozen Queue')}"
    assert sleepy["proposed"] == {"status": "unmaintained", "status_source": "https://pypi.org/project/sleepy/0.9/"}
    assert sleepy["evidence"][0]["evidence"] == (
        f"latest release 0.9 on PyPI, {LONG_AGO[:10]}; last push {LONG_AGO[:10]}")
    assert oldq["proposed"] == {"status": "unmaintained", "status_source": "https://github.com/org/oldq"}
    assert oldq["evidence"][0]["evidence"] == (
        "GitHub description of org/oldq: \u201cDEPRECATED: use <b>New Queue</b> instead\u201d")
    assert data["catalog_edits_note"] is None
    assert json.loads(report.json_text)["catalog_edits"] == data["catalog_edits"]

    md = report.markdown.split("## Catalog edits to consider", 1)[1].split("\n## ", 1)[0]
    assert "### Frozen Queue (`content/catalog/projects.yaml:" in md
    assert "```yaml\nstatus: archived\nstatus_source: https://github.com/org/frozen\n```" in md
    assert "```yaml\nstatus: unmaintained\nstatus_source: https://pypi.org/project/sleepy/0.9/\n```" in md
    assert "- repository archived on GitHub: GitHub marks org/frozen as archived" in md
    assert "\\<b\\>New Queue\\</b\\>" in md and "<b>" not in md  # outside text escaped for Markdown
    assert "Known Archive" not in md and "Lively" not in md
    html = report.html.split("<h2>Catalog edits to consider</h2>", 1)[1].split("<h2>", 1)[0]
    assert "<pre><code>status: archived\nstatus_source: https://github.com/org/frozen</code></pre>" in html
    assert "&lt;b&gt;New Queue&lt;/b&gt;" in html and "<b>" not in html
    assert '<a href="https://github.com/org/oldq" rel="nofollow noopener">' in html


def test_report_without_settings_or_catalog_says_so(world: World, tmp_path: Path):
    with Store.from_settings(world.settings) as store:
        plain = build_report(store)  # no settings: no catalog read
        assert plain["catalog_edits"] == [] and plain["catalog_edits_note"] is None
        broken = build_report(store, settings=make_settings(tmp_path))  # no catalog folder there
    assert broken["catalog_edits"] == [] and "catalog could not be read" in broken["catalog_edits_note"]
    assert "catalog could not be read" in render_markdown(broken)
    assert "catalog could not be read" in render_html(broken)
    assert "_none: no maintained entry looks unmaintained" in render_markdown(plain)


def test_statuses_that_already_match_renames_and_maintenance_only(world: World, tmp_path: Path):
    from linkcheck.catalog import load_catalog

    text = PROJECTS.replace("  pypi: sleepy\n", "  pypi: sleepy\n  status: unmaintained\n"
                                                "  status_source: https://sleepy.example/\n")
    text = text.replace("  pypi: oldq\n", "  pypi: oldq\n  status: maintenance-only\n"
                                          "  status_source: https://oldq.example/\n")
    projects = tmp_path / "content" / "catalog" / "projects.yaml"
    projects.parent.mkdir(parents=True)
    projects.write_text(text)
    entries = load_catalog(tmp_path / "content").section("projects")
    with Store.from_settings(world.settings) as world_store:  # this test's own copy of the data
        copy = sqlite3.connect(tmp_path / "copy.sqlite3")
        world_store.db.backup(copy)
        copy.close()
    with Store(tmp_path / "copy.sqlite3") as store:
        store.save_github_repo("org/lively", state="renamed", renamed_to="neworg/lively",
                               data={"name_with_owner": "neworg/lively", "pushed_at": RECENT})
        store.save_github_repo("org/oldq", state="ok", data={"pushed_at": RECENT,
                                                              "description": "In maintenance mode"})
        edits = {e["entry"]: e for e in catalog_edits(store, entries, now=time.time(),
                                                      quiet_after_days=548, root=tmp_path)}
    # sleepy says unmaintained already; oldq is maintenance-only and its description says so
    assert list(edits) == ["frozen", "lively"]
    assert edits["lively"]["proposed"] == {"repo": "https://github.com/neworg/lively"}
    assert edits["lively"]["yaml"] == "repo: https://github.com/neworg/lively"
    line = line_of(projects, "repo: https://github.com/org/lively")
    assert edits["lively"]["where"] == f"content/catalog/projects.yaml:{line}"
