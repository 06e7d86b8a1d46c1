"""Which pages the browser sweeps visit (conftest.swept_pages): all of them with data; with an
empty store, all but the generated families, of which a sample that covers each kind."""

from __future__ import annotations

from linkcheck.catalog import load_catalog
from tests.quality.conftest import swept_pages
from tests.quality.tools import REPO


def test_the_build_with_data_is_swept_whole_and_the_empty_one_by_family_samples() -> None:
    projects = [e for e in load_catalog(REPO / "content").entries if e.section == "projects"]
    generated = [f"projects/{e.id}.html" for e in projects] + [f"compare/{i}-vs-{i}.html" for i in "abc"]
    pages = sorted(["index.html", "projects.html", "task-queues.html", "news.html", *generated])

    assert swept_pages("stored-data", pages) == pages

    fresh = swept_pages("fresh", pages)
    assert {"index.html", "projects.html", "task-queues.html", "news.html"} <= set(fresh)
    assert [p for p in fresh if p.startswith("compare/")] == ["compare/a-vs-a.html", "compare/b-vs-b.html"]
    by_id = {e.id: e for e in projects}
    sampled = [by_id[p.removeprefix("projects/").removesuffix(".html")]
               for p in fresh if p.startswith("projects/")]
    assert {e.kind for e in sampled} == {e.kind for e in projects}, "a kind of project page is not swept"
    assert any(e.archived for e in sampled) and any(e.part_of for e in sampled)
    assert len(sampled) < len(projects) / 3
    assert fresh == sorted(fresh), "pages keep the build's order"
