"""The catalog plugin on its own tiny site: entries rendered at the marker, text escaped."""

from __future__ import annotations

from pathlib import Path

from tests.support.site import build_own_site, soup

HERE = Path(__file__).resolve().parent


def test_entries_replace_the_marker_and_outside_text_is_escaped(tmp_path: Path):
    out = build_own_site(HERE, tmp_path / "out", tmp_path / "no-store.sqlite3")
    page = soup(out / "projects.html")
    assert "[catalog:projects]" not in page.get_text()
    names = [e.get_text(" ", strip=True) for e in page.select(".entry h3, .entry .entry-name")]
    text = page.get_text(" ", strip=True)
    assert "Example Queue" in text and "Old <Queue>" in text, names
    # never markup: the only scripts are the theme's own files
    assert all(tag.get("src") for tag in page.find_all("script")) and page.find("queue") is None
    assert "<script>alert(1)</script>" in text  # shown as the text it is
    assert page.select_one('a[href="https://queue.example.test/"]') is not None
