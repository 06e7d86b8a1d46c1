"""Zero dangling internal links or anchors in the built site (our own checker, offline)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.quality.tools import in_ci


def _check_internal():  # type: ignore[no-untyped-def]
    try:
        from linkcheck.inventory.internal import check_internal
    except ImportError as exc:
        message = (f"linkcheck.inventory.internal.check_internal is not importable ({exc}); "
                   "see docs/contracts.md")
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return check_internal


def test_the_checker_sees_dangling_links(tmp_path: Path) -> None:
    check_internal = _check_internal()
    (tmp_path / "index.html").write_text(
        '<!doctype html><title>t</title><a href="gone.html">a</a> <a href="#nowhere">b</a>'
        ' <a href="other.html#missing">c</a> <a href="other.html#here">ok</a>',
        encoding="utf-8",
    )
    (tmp_path / "other.html").write_text('<!doctype html><title>o</title><h2 id="here">x</h2>',
                                         encoding="utf-8")
    urls = sorted(p.url for p in check_internal(tmp_path))
    assert urls == ["#nowhere", "gone.html", "other.html#missing"]


def test_no_dangling_internal_links(site_dir: Path, html_pages: list[str]) -> None:
    check_internal = _check_internal()
    problems = check_internal(site_dir)
    report = "\n  ".join(str(p) for p in problems)
    count = f"{len(problems)} dangling internal link(s) in {len(html_pages)} page(s)"
    assert not problems, f"{count}:\n  {report}"
