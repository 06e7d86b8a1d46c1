"""Collection: files, directories, catalog YAML and URLs; each URL once, locations merged."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkcheck.inventory.collect import SourceError, collect
from linkcheck.model import Location

PROJECTS = """- name: Celery
  url: https://docs.celeryq.test/
  repo: https://github.com/celery/celery
  description: Distributed task queue, see [the FAQ](https://faq.celery.test/).
  group: general
- name: RQ
  url: https://python-rq.test/
  description: Simple jobs.
  group: general
"""


def _site(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    (content / "catalog").mkdir(parents=True)
    (content / "catalog" / "projects.yaml").write_text(PROJECTS)
    (content / "pages").mkdir()
    (content / "pages" / "guide.md").write_text(
        "Title: Guide\n\nUse [Celery](https://docs.celeryq.test/) or [RQ](https://python-rq.test/).\n"
    )
    output = tmp_path / "output"
    (output / "pages").mkdir(parents=True)
    (output / "index.html").write_text(
        '<html><body>\n<a href="https://docs.celeryq.test/">Celery</a>\n'
        '<a href="https://docs.celeryq.test/">again</a><a href="/pages/guide.html">guide</a>\n'
        '<img src="https://img.test/logo.png"></body></html>\n'
    )
    (output / "pages" / "guide.html").write_text('<p><a href="https://python-rq.test/">RQ</a></p>\n')
    (output / "theme").mkdir()
    (output / "theme" / "style.css").write_text("a { color: red }  /* https://css.test/ */\n")
    return tmp_path


def test_directories_and_catalog_merge_locations(tmp_path):
    root = _site(tmp_path)
    links = collect([root / "output", root / "content"], root=root)
    assert sorted(links) == [
        "https://docs.celeryq.test/", "https://faq.celery.test/", "https://github.com/celery/celery",
        "https://img.test/logo.png", "https://python-rq.test/",
    ]
    celery = links["https://docs.celeryq.test/"]
    assert celery.locations == [
        Location("output/index.html", 2, "index.html", None),
        Location("output/index.html", 3, "index.html", None),
        Location("content/catalog/projects.yaml", 2, None, "celery"),
        Location("content/pages/guide.md", 3, None, None),
    ]
    assert links["https://faq.celery.test/"].locations == [
        Location("content/catalog/projects.yaml", 4, None, "celery")]
    assert links["https://github.com/celery/celery"].locations == [
        Location("content/catalog/projects.yaml", 3, None, "celery")]
    assert links["https://img.test/logo.png"].kind == "image"
    rq = links["https://python-rq.test/"]
    assert [loc.describe() for loc in rq.locations] == [
        "output/pages/guide.html:1", "content/catalog/projects.yaml:7 (entry rq)",
        "content/pages/guide.md:3",
    ]


def test_same_source_twice_adds_nothing(tmp_path):
    root = _site(tmp_path)
    once = collect([root / "output"], root=root)
    twice = collect([root / "output", root / "output" / "index.html", root / "output"], root=root)
    assert {u: len(link.locations) for u, link in twice.items()} == {
        u: len(link.locations) for u, link in once.items()}


def test_catalog_yaml_file_and_url_sources(tmp_path):
    root = _site(tmp_path)
    links = collect([root / "content" / "catalog" / "projects.yaml", "https://given.test/page"], root=root)
    assert set(links) == {"https://docs.celeryq.test/", "https://github.com/celery/celery",
                          "https://faq.celery.test/", "https://python-rq.test/", "https://given.test/page"}
    assert links["https://given.test/page"].locations == []


def test_missing_and_unsupported_sources_are_clear_errors(tmp_path):
    with pytest.raises(SourceError, match="nope.html: no such file or directory"):
        collect([tmp_path / "nope.html"])
    (tmp_path / "notes.txt").write_text("https://x.test/")
    with pytest.raises(SourceError, match="unsupported file type '.txt'"):
        collect([tmp_path / "notes.txt"])


def test_bad_catalog_names_file_and_line(tmp_path):
    content = tmp_path / "content"
    (content / "catalog").mkdir(parents=True)
    (content / "catalog" / "projects.yaml").write_text("- name: X\n  url: https://x.test/\n  descripton: y\n")
    with pytest.raises(SourceError, match=r"projects.yaml:3: unknown field 'descripton'"):
        collect([content], root=tmp_path)


def test_credentials_in_a_link_are_masked_and_marked(tmp_path):
    """Issue 24: a URL written with user:password@ was printed, stored and reported in full."""
    (tmp_path / "a.md").write_text("[db](https://admin:hunter2pw@db.test/x?y=1#z)\n"
                                   "[tok](https://ghp_TOKENxyz@github.test/o/r) [fine](https://medium.test/@me)\n")
    links = collect([tmp_path / "a.md", "https://u:pw12345@cli.test/"], root=tmp_path)
    assert sorted(links) == ["https://***@cli.test/", "https://***@db.test/x?y=1#z",
                             "https://***@github.test/o/r", "https://medium.test/@me"]
    assert [u for u, link in links.items() if link.credentials] == [
        "https://***@db.test/x?y=1#z", "https://***@github.test/o/r", "https://***@cli.test/"]
    assert links["https://***@db.test/x?y=1#z"].locations == [Location("a.md", 1)]
    assert not any("hunter2pw" in u or "TOKENxyz" in u or "pw12345" in u for u in links)
