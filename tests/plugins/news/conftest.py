"""The news plugin's test site, its seeded store and the checks every feed must pass."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import feedparser
from lxml import etree

from linkcheck.store import Store

HERE = Path(__file__).resolve().parent
NOW = 1_767_225_600.0  # 2026-01-01T00:00:00Z: the build time the tests pin
DAY = 86400.0
SITEURL = "https://news.example.test"
ATOM = "{http://www.w3.org/2005/Atom}"
EVIL_VERSION = "<img src=x onerror=alert(1)>1.0\x07"
EVIL_YANKED = "</title><script>alert(2)</script>"
EVIL_REPO = "evil/<b>new</b>"


def seed(path: Path) -> Path:
    """PyPI data and project events as the refreshes write them, through the real Store API."""
    with Store(path) as s:
        s.save_pypi_project("alpha-queue", state="ok", etag=None, fetched_at=NOW - DAY,
                            data={"version": "2.0", "released": "2025-12-28T10:00:00Z"})
        s.save_pypi_project("hostframework", state="ok", etag=None, fetched_at=NOW - DAY,
                            data={"version": "6.0", "released": "2025-12-03T08:00:00Z"})
        s.save_pypi_project("evil-queue", state="ok", etag=None, fetched_at=NOW - DAY,
                            data={"version": EVIL_VERSION, "released": "2025-12-10T00:00:00Z"})
        s.record_project_event("pypi:alpha-queue", "release",
                               {"version": "1.9", "released": "2025-11-15T09:00:00Z", "previous": "1.8"},
                               NOW - 40 * DAY)
        # the latest release, seen as an event too: one item per (project, version)
        s.record_project_event("pypi:alpha-queue", "release",
                               {"version": "2.0", "released": "2025-12-28T10:00:00Z", "previous": "1.9"},
                               NOW - 3 * DAY)
        s.record_project_event("pypi:alpha-queue", "inactive-classifier", {"version": "2.0"}, NOW - 2.5 * DAY)
        s.record_project_event("github:example/alpha", "archived", {"repo": "example/alpha"},
                               NOW - 2 * DAY + 6 * 3600)  # 2025-12-30T06:00Z
        s.record_project_event("github:Example/Evil", "renamed", {"from": "example/evil", "to": EVIL_REPO},
                               NOW - 5 * DAY)
        s.record_project_event("pypi:evil-queue", "yanked", {"version": EVIL_YANKED}, NOW - 6 * DAY)
        # not catalog news: a project the catalog does not list, and a release before the window
        s.record_project_event("pypi:elsewhere", "release",
                               {"version": "9.9", "released": "2025-12-31T00:00:00Z"}, NOW - DAY)
        s.record_project_event("pypi:alpha-queue", "release",
                               {"version": "0.1", "released": "2024-01-01T00:00:00Z"}, NOW - 400 * DAY)
    return path


def check_atom(path: Path) -> tuple[etree._Element, Any]:
    """The feed parsed strictly as XML with every element RFC 4287 requires, then read back by
    feedparser (what feed readers use) without complaint. Returns (XML root, feedparser result)."""
    root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert (root.findtext(f"{ATOM}{name}") or "").strip(), f"feed has no <{name}>"
    assert root.find(f"{ATOM}author/{ATOM}name") is not None, "feed has no author (entries have none)"
    assert root.find(f"{ATOM}link[@rel='self']").get("href", "").startswith("https://")
    ids = []
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert (entry.findtext(f"{ATOM}{name}") or "").strip(), f"entry without <{name}>"
        link = entry.find(f"{ATOM}link[@rel='alternate']")
        assert link is not None and link.get("href", "").startswith("https://")
        summary = entry.find(f"{ATOM}summary")
        assert summary is not None and summary.get("type") == "html"
        ids.append(entry.findtext(f"{ATOM}id"))
    assert len(ids) == len(set(ids)), "entry ids repeat"
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert len(parsed.entries) == len(ids)
    return root, parsed
