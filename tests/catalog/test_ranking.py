"""linkcheck.catalog.ranking: the default order (maintained, widely used first, never a host's
figures) and the projects page's sections, like with like."""

from __future__ import annotations

from pathlib import Path

from linkcheck.catalog import load_catalog
from linkcheck.catalog.ranking import kind_sections, order_basis, own_downloads, own_stars, reader_order
from linkcheck.catalog.schema import CORE_FACTS

SRC = "https://docs.example.org/guide#x"


def project(pid: str, group: str = "general", extra: str = "", facts: str = "") -> str:
    text = (f"- name: {pid.title()}\n  id: {pid}\n  group: {group}\n  url: https://{pid}.example.org/\n"
            f"  repo: https://github.com/example/{pid}\n  description: x\n{extra}")
    return text + (f"  facts:\n{facts}" if facts else "")


def catalog(tmp_path: Path, *entries: str):
    (tmp_path / "catalog").mkdir(exist_ok=True)
    (tmp_path / "catalog" / "projects.yaml").write_text("\n".join(entries), encoding="utf-8")
    return load_catalog(tmp_path)


def figures(entry, downloads=None, stars=None, archived=False):
    entry.downloads = {"last_month": downloads, "fetched_at": 1.0} if downloads is not None else None
    entry.github = {"stars": stars, "archived": archived} if stars is not None or archived else None


def test_maintained_first_then_downloads_then_stars_then_catalog_order(tmp_path):
    kept = "  status: maintenance-only\n  status_source: https://github.com/example/kept/issues/1\n"
    host = "  part_of: Django\n"
    c = catalog(tmp_path, project("starry"), project("plain"), project("popular"), project("small"),
                project("kept", extra=kept), project("feature", extra=host), project("nothing"))
    e = {x.id: x for x in c.section("projects")}
    figures(e["starry"], stars=90_000)           # no downloads figure: after those with one
    figures(e["popular"], downloads=5_000_000, stars=100)
    figures(e["small"], downloads=20_000, stars=50_000)
    figures(e["kept"], downloads=99_000_000, stars=99_000)  # maintenance-only: after maintained ones
    figures(e["feature"], downloads=24_000_000, stars=85_000)  # its host's figures: never its own
    figures(e["plain"], stars=10)
    order = [x.id for x in reader_order(c.section("projects"))]
    assert order == ["popular", "small", "starry", "plain", "feature", "nothing", "kept"]
    assert own_stars(e["feature"]) is None and own_downloads(e["feature"]) is None
    assert own_stars(e["small"]) == 50_000 and own_downloads(e["small"]) == 20_000
    assert order_basis(c.section("projects")) == "downloads"


def test_without_any_figure_the_order_is_the_catalogs(tmp_path):
    c = catalog(tmp_path, project("b"), project("a"), project("c"))
    assert [x.id for x in reader_order(c.section("projects"))] == ["b", "a", "c"]
    assert order_basis(c.section("projects")) == ""
    figures(c.get("c"), stars=3)
    assert order_basis(c.section("projects")) == "stars"


def test_sections_like_with_like_in_reading_order_inactive_last(tmp_path):
    gone = "  status: unmaintained\n  status_source: https://github.com/example/gone\n"
    c = catalog(
        tmp_path,
        project("timer", "scheduler", facts=f"    cron: {{value: true, source: '{SRC}'}}\n"),
        project("celery", facts=f"    retries: {{value: true, source: '{SRC}'}}\n"),
        project("pg", "database"),
        project("flow", "workflow", facts=f"    retries: {{value: true, source: '{SRC}'}}\n"),
        project("inline", "in-process"),
        project("gone", extra=gone),
        project("flagged", "asyncio"),
    )
    figures(c.get("flagged"), archived=True)  # GitHub's archived flag sets it apart too
    figures(c.get("pg"), downloads=10)
    sections = kind_sections(c.section("projects"))
    assert [(s.key, [x.id for x in s.entries]) for s in sections] == [
        ("queue", ["pg", "celery"]), ("in-process", ["inline"]), ("scheduler", ["timer"]),
        ("workflow", ["flow"]), ("archived", ["gone", "flagged"])]
    queue, _, _, workflow, archived = sections
    # core facts are columns even when nobody answers them; a further fact once someone does
    assert queue.facts == CORE_FACTS["queue"] and queue.core == CORE_FACTS["queue"]
    assert workflow.facts == ("hosting", "durable", "asyncio", "retries")
    assert archived.kind is None and archived.facts == ()
