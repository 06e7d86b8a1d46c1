"""The guide keeps the seed verbatim: its prose, its bullets, its link texts, its order.

The only differences allowed: the seed's two site-relative links point at Full Stack
Python, and a one-line pointer to the section's own page follows each list.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from linkcheck.catalog import CatalogError, load_catalog
from tests.support.site import CONTENT, SEED, build, copy_content, soup

GUIDE = CONTENT / "pages" / "task-queues.md"
MOVED = {"](/caching.html)": "](https://www.fullstackpython.com/caching.html)",
         "](/django.html)": "](https://www.fullstackpython.com/django.html)"}
# Entries whose catalog url is now the canonical https page; the guide keeps the seed's link.
MOVED_SINCE_SEED = {"celery": "http://www.celeryproject.org/", "rq": "http://python-rq.org/",
                    "huey": "http://huey.readthedocs.org/en/latest/", "iron-io": "http://www.iron.io/",
                    "amazon-sqs": "http://aws.amazon.com/sqs/", "cloudamqp": "http://www.cloudamqp.com/"}
MORE_RE = re.compile(r"^\[catalog-more:(\w+)\]$")


def _lines(text: str) -> list[str]:
    # trailing blanks mean nothing in Markdown (the seed has no two-space line breaks)
    return [line.rstrip() for line in text.rstrip().splitlines()]


def _squeeze(lines: list[str]) -> list[str]:
    return [line for i, line in enumerate(lines) if line or (i and lines[i - 1])]


def test_guide_source_is_the_seed_plus_pointers():
    assert not any(line.endswith("  ") for line in SEED.read_text().splitlines())
    expected = SEED.read_text()
    for old, new in MOVED.items():
        expected = expected.replace(old, new)
    guide = _lines(GUIDE.read_text())
    pointers = [MORE_RE.match(line).group(1) for line in guide if MORE_RE.match(line)]
    assert pointers == ["projects", "hosted", "examples", "resources"]
    prose = [line for line in guide if not MORE_RE.match(line)]
    # a pointer paragraph brings its own blank line: compare with blank runs squeezed
    assert _squeeze(prose) == _squeeze(_lines(expected))


def test_seed_link_texts_and_subjects_are_back(site):
    article = soup(site / "task-queues.html").find("article")
    texts = {a.get_text(" ", strip=True): a["href"] for a in article.find_all("a", href=True)}
    assert texts["Flask application"].endswith("/appointment-reminders/python/flask")
    assert texts["this Django application"].endswith("/appointment-reminders/python/django")
    assert texts["Implementing a Redis Task Queue"].startswith("https://realpython.com/")
    assert texts["secure Celery"] == "https://engineering.heroku.com/blogs/2014-09-15-securing-celery"
    assert texts["task queue Celery with Flask"] == "http://blog.miguelgrinberg.com/post/using-celery-with-flask"
    text = article.get_text(" ", strip=True)
    assert "Celery in Production on the Caktus Group blog contains good practices" in text
    assert "[catalog" not in text
    # the guide does not re-sort: Celery stays first, Huey's two bullets stay
    projects = article.find("h3", string="Task queue projects").find_next("ul")
    names = [li.find("a").get_text() for li in projects.find_all("li", recursive=False)]
    assert names == ["Celery", "RQ (Redis Queue)", "Taskmaster", "Huey", "Huey"]


def test_every_seed_entry_is_on_the_guide(site):
    """Entries without `added` came from the original guide: the guide links each of them."""
    hrefs = {a["href"] for a in soup(site / "task-queues.html").select("article a[href]")}
    catalog = load_catalog(CONTENT)
    seed_entries = [e for e in catalog if e.from_seed]
    assert len(seed_entries) > 30
    assert set(MOVED_SINCE_SEED.values()) <= hrefs
    # an entry may also have moved to the https:// form of the guide's http:// link (docs/catalog.md)
    plain = {e.id: "http://" + e.url.removeprefix("https://") for e in seed_entries}
    missing = [e.id for e in seed_entries if not {MOVED_SINCE_SEED.get(e.id, e.url), plain[e.id]} & hrefs]
    assert not missing, f"entries without 'added' that the guide does not show: {missing}"


def test_pointer_lines_count_the_entries_since_the_seed(site):
    catalog = load_catalog(CONTENT)
    pointers = soup(site / "task-queues.html").select("article p.catalog-more")
    assert len(pointers) == 4
    pages = {"projects": "projects.html", "hosted": "hosted.html", "examples": "resources.html",
             "resources": "resources.html"}
    for section, p in zip(pages, pointers, strict=True):
        added = sum(1 for e in catalog.section(section) if e.added is not None)
        text = " ".join(p.get_text().split())
        assert text.startswith(f"{added} more " if added else "All "), text
        assert p.find("a")["href"] == pages[section]
    assert "more projects, compared on the projects page." in " ".join(pointers[0].get_text().split())


def test_pointer_says_one_in_the_singular(tmp_path):
    content = copy_content(tmp_path)
    (content / "catalog" / "hosted.yaml").write_text(
        "- name: Old Queue\n  url: https://old-queue.example/\n  description: From the guide.\n"
        "- name: New Queue\n  url: https://new-queue.example/\n  added: 2026-11-30\n"
        "  description: A new one.\n")
    out = build(content, tmp_path / "out")
    p = soup(out / "task-queues.html").select("article p.catalog-more")[1]
    assert " ".join(p.get_text().split()) == "1 more hosted service, described on the hosted services page."


def test_unknown_more_marker_names_the_page_and_line(tmp_path: Path):
    content = copy_content(tmp_path)
    guide = content / "pages" / "task-queues.md"
    guide.write_text(guide.read_text().replace("[catalog-more:hosted]", "[catalog-more:hostd]"))
    line = guide.read_text().splitlines().index("[catalog-more:hostd]") + 1
    with pytest.raises(CatalogError, match=rf"content/pages/task-queues.md:{line}: unknown catalog marker"):
        build(content, tmp_path / "out")
