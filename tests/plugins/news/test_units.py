"""The news model on its own: cleaning outside text, mapping store events to catalog entries."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from plugins.news.items import changes_first, clean, collect, is_pre_release

NOW = 1_767_225_600.0  # 2026-01-01T00:00:00Z


def entry(entry_id: str, **fields: object) -> SimpleNamespace:
    values = {"id": entry_id, "name": entry_id.title(), "section": "projects", "pypi": None,
              "github_repo": None, "part_of": None, "added": None, "summary": None, "pypi_release": None,
              "status_source": None}
    return SimpleNamespace(**{**values, **fields})


def test_clean_keeps_text_and_drops_what_xml_cannot_carry() -> None:
    assert clean("  a\tb\nc  ") == "a b c"
    assert clean("v1\x00\x07\x1b[31m\ud800\ufffe") == "v1[31m"
    assert clean("<b>&amp;</b>") == "<b>&amp;</b>"  # escaping is the writers' job
    assert clean("x" * 300, 10) == "x" * 9 + "…"
    assert clean(None) is None and clean(42) is None and clean(" \x07 ") is None


def test_events_map_to_catalog_entries_by_repo_or_pypi_name() -> None:
    entries = [entry("alpha", pypi="alpha-queue", github_repo="Example/Alpha"),
               entry("moved", github_repo="neworg/moved", added=date(2025, 1, 1))]
    events = [
        {"project": "github:example/alpha", "kind": "archived", "detail": {"repo": "example/alpha"},
         "at": NOW - 10},
        {"project": "pypi:Alpha_Queue", "kind": "yanked", "detail": {"version": "1.0"}, "at": NOW - 20},
        # seen before the catalog followed the move: found by the new name
        {"project": "github:oldorg/moved", "kind": "renamed",
         "detail": {"from": "oldorg/moved", "to": "neworg/moved"}, "at": NOW - 30},
        {"project": "pypi:unknown", "kind": "yanked", "detail": {"version": "1.0"}, "at": NOW - 40},
        {"project": "github:example/alpha", "kind": "no-such-kind", "detail": {}, "at": NOW - 50},
        {"project": None, "kind": "archived", "detail": "not a dict", "at": "yesterday"},
    ]
    items = collect(entries, pages={"projects": "projects.html"}, events=events, now=NOW, days=30,
                    max_items=50)
    assert [(i.kind, i.link) for i in items] == [
        ("archived", "projects.html#entry-alpha"), ("yanked", "projects.html#entry-alpha"),
        ("renamed", "projects.html#entry-moved")]
    assert items[1].refs[0].href == "https://pypi.org/project/alpha-queue/1.0/"


def test_a_section_without_a_page_gives_items_without_entry_links() -> None:
    items = collect([entry("alpha", added=date(2025, 12, 24), summary="A queue")], pages={}, now=NOW, days=30,
                    max_items=50)
    assert [(i.title, i.text, i.link, i.when.date()) for i in items] == [
        ("Alpha added to the catalog", "A queue", None, date(2025, 12, 24))]


def test_items_whose_keys_slug_alike_keep_distinct_anchors() -> None:
    events = [{"project": "pypi:alpha-queue", "kind": "yanked", "detail": {"version": v}, "at": NOW - 10}
              for v in ("1.0", "1-0", "1_0")]
    items = collect([entry("alpha", pypi="alpha-queue")], pages={}, events=events, now=NOW, days=30,
                    max_items=50)
    assert sorted(i.key for i in items) == ["yanked-pypi-alpha-queue-1-0", "yanked-pypi-alpha-queue-1-0-2",
                                            "yanked-pypi-alpha-queue-1-0-3"]


def test_pre_releases_are_not_news_and_status_changes_come_first() -> None:
    for version in ("3.4.22rc1", "2.3.0rc1", "0.9.0RC2", "2.0b1", "1.0a3", "1.0.dev3", "1.0.0-beta.2",
                    "v4.0.0-alpha", "5.0c1"):
        assert is_pre_release(version), version
    for version in ("3.4.22", "v2.6.0", "1.0.post1", "2024.10.1", "0.71.3", "6.0"):
        assert not is_pre_release(version), version
    alpha = entry("alpha", pypi="alpha",
                  pypi_release={"version": "2.0rc1", "released": "2025-12-30T00:00:00Z"})
    beta = entry("beta", pypi="beta", pypi_release={"version": "1.1", "released": "2025-12-29T00:00:00Z"})
    events = [{"project": "pypi:beta", "kind": "release", "at": NOW - 10,
               "detail": {"version": "1.2.0b1", "released": "2025-12-30T00:00:00Z"}},
              {"project": "pypi:alpha", "kind": "yanked", "detail": {"version": "1.9"},
               "at": NOW - 10 * 86400}]
    items = collect([alpha, beta], pages={"projects": "projects.html"}, events=events, now=NOW, days=30,
                    max_items=50)
    assert [i.title for i in items] == ["Beta 1.1 released", "Alpha 1.9 yanked on PyPI"]
    changes, rest = changes_first(items)
    assert [i.kind for i in changes] == ["yanked"] and [i.kind for i in rest] == ["release"]


def test_entries_added_together_read_as_new_and_link_their_page() -> None:
    day = date(2025, 12, 20)
    items = collect([entry("alpha", added=day), entry("beta", added=day)],
                    pages={"projects": "projects.html"}, now=NOW, days=30, max_items=50)
    assert [(i.title, i.link) for i in items] == [("2 new projects", "projects.html")]
