"""linkcheck.inventory.internal.check_internal on small hand-made sites."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkcheck.cli import main
from linkcheck.inventory.internal import check_internal


def make_site(root: Path, files: dict[str, str]) -> Path:
    for name, body in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"<!doctype html><html><body>\n{body}\n</body></html>\n", encoding="utf-8")
    return root


def test_good_links_pass(tmp_path):
    site = make_site(tmp_path, {
        "index.html": '<a href="#top">top</a> <a href="#">top</a> <a href="docs/">docs</a>\n'
                      '<a href="docs/page.html#intro">intro</a> <a href="/docs/page.html?x=1">q</a>\n'
                      '<a href="https://example.org/missing.html">external</a> <a href="mailto:a@b.c">m</a>\n'
                      '<img src="img/a%20b.png" alt=""> <a href="#here">here</a><p id="here">x</p>',
        "docs/index.html": '<a href="../index.html">up</a> <a href="page.html">p</a>',
        "docs/page.html": '<h2 id="intro">Intro</h2><a name="old-anchor"></a><a href="#old-anchor">old</a>',
    })
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "a b.png").write_bytes(b"\x89PNG")
    assert check_internal(site) == []


def test_missing_files_and_anchors_are_reported_with_page_and_line(tmp_path):
    site = make_site(tmp_path, {
        "index.html": '<a href="/caching.html">caching</a>\n<a href="page.html#nowhere">x</a>\n'
                      '<link rel="stylesheet" href="theme/site.css">\n<a href="../outside.html">out</a>',
        "page.html": '<a href="#gone">gone</a><img srcset="a.png 1x, b.png 2x" alt="">',
        "a.png": "",
    })
    problems = {(p.page, p.line, p.url, p.reason) for p in check_internal(site)}
    assert problems == {
        ("index.html", 2, "/caching.html", "missing-file"),
        ("index.html", 3, "page.html#nowhere", "missing-anchor"),
        ("index.html", 4, "theme/site.css", "missing-file"),
        ("index.html", 5, "../outside.html", "missing-file"),
        ("page.html", 2, "#gone", "missing-anchor"),
        ("page.html", 2, "b.png", "missing-file"),
    }
    text = [str(p) for p in check_internal(site)]
    assert "index.html:3: page.html#nowhere: no id 'nowhere' in page.html" in text


def test_absolute_links_under_site_url_are_internal(tmp_path):
    site = make_site(tmp_path, {
        "index.html": '<a href="https://site.example/sub/a.html">a</a>\n'
                      '<a href="https://site.example/sub/b.html">b</a>\n'
                      '<a href="https://site.example/other/c.html">outside base</a>\n'
                      '<a href="https://site.example/sub/">home</a>',
        "a.html": "a",
    })
    assert check_internal(site) == []  # without site_url every absolute link is external
    problems = check_internal(site, site_url="https://site.example/sub")
    assert [(p.url, p.reason) for p in problems] == [("https://site.example/sub/b.html", "missing-file")]


def test_missing_output_dir_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="build the site first"):
        check_internal(tmp_path / "nope")


def test_a_malformed_link_is_reported_and_the_check_goes_on(tmp_path, capsys):
    site = make_site(tmp_path, {
        "a.html": '<a href="http://localhost]">bad</a>\n<a href="gone.html">gone</a>\n'
                  '<img srcset="http://[::1 1x, b.png 2x" alt="">',
        "z.html": '<a href="#nowhere">later page</a>',
    })
    problems = [(p.page, p.line, p.url, p.reason) for p in check_internal(site)]
    assert problems == [
        ("a.html", 2, "http://localhost]", "malformed-url"),
        ("a.html", 3, "gone.html", "missing-file"),
        ("a.html", 4, "http://[::1", "malformed-url"),
        ("a.html", 4, "b.png", "missing-file"),
        ("z.html", 2, "#nowhere", "missing-anchor"),
    ]
    assert "a.html:2: http://localhost]: malformed URL (Invalid IPv6 URL)" in map(str, check_internal(site))

    # the command reports every problem, in page order, and exits 1 (not 2: no crash)
    assert main(["check", "--internal", str(site)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "a.html:2: http://localhost]: malformed URL (Invalid IPv6 URL)"
    assert out[1] == "a.html:3: gone.html: no file gone.html in the built site"
    assert out[-1] == "5 internal link problem(s)"


def test_anchors_follow_the_engines_rules(tmp_path):
    site = make_site(tmp_path, {
        "index.html": '<a href="readme.html#installation">rendered heading</a>\n'
                      '<a href="readme.html#:~:text=pip%20install">text fragment</a>\n'
                      '<a href="readme.html#usage:~:text=run">anchor and text</a>\n'
                      '<a href="readme.html#api%3Aclient">encoded</a>\n'
                      '<a href="readme.html#gone:~:text=x">missing anchor</a>',
        # GitHub-rendered Markdown: heading ids carry a "user-content-" prefix
        "readme.html": '<h2 id="user-content-installation">Installation</h2><h2 id="usage">Usage</h2>'
                       '<h3 id="api:client">api:client</h3>',
    })
    problems = check_internal(site)
    assert [(p.line, p.reason) for p in problems] == [(6, "missing-anchor")]


def test_base_href_is_honoured(tmp_path):
    site = make_site(tmp_path, {
        "blog/post.html": '<head><base href="/docs/"></head>\n<a href="guide.html">guide</a>\n'
                          '<a href="#intro">intro on the base page</a>\n<a href="missing.html">missing</a>',
        "docs/guide.html": "guide",
        "docs/index.html": '<p id="intro">intro</p>',
    })
    problems = check_internal(site)
    assert [(p.page, p.line, p.url, p.reason) for p in problems] == [
        ("blog/post.html", 5, "missing.html", "missing-file")]


def test_latin1_page_is_read_in_its_declared_charset(tmp_path):
    (tmp_path / "index.html").write_bytes(
        b'<!doctype html><html><head><meta charset="iso-8859-1"></head><body>\n'
        b'<a href="#caf\xe9">caf\xe9</a><p id="caf\xe9">x</p>\n</body></html>\n')
    assert check_internal(tmp_path) == []
