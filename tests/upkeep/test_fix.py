"""`fix --redirects` on a copy of content checked for real: exactly the expected diff."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from linkcheck.runs.local import run_check
from linkcheck.store import Store
from linkcheck.upkeep.fix import fix_redirects
from tests.support.tworuns import make_settings

ROOT = Path(__file__).resolve().parents[2]

GUIDE = """Title: Guide
Slug: guide

Read [the old docs]({B}/old) or <{B}/old#top>.
Keep {B}/older and [fine]({B}/ok) as they are.
Temporary moves stay: [temp]({B}/temp).
"""

PROJECTS = """# Projects for the fix test. Comments and quoting must survive.
- name: Old Project  # moved for good
  url: "{B}/old"
  description: >-
    Moved; see also [the later page]({B}/later).
  group: general

- name: Fine
  url: {B}/ok
  description: Stays as it is.
  group: general
"""

# {SP}: the single space difflib writes for an unchanged blank line
EXPECTED_DIFF = """--- a/content/catalog/projects.yaml
+++ b/content/catalog/projects.yaml
@@ -1,8 +1,8 @@
 # Projects for the fix test. Comments and quoting must survive.
 - name: Old Project  # moved for good
-  url: "{B}/old"
+  url: "{B}/new"
   description: >-
-    Moved; see also [the later page]({B}/later).
+    Moved; see also [the later page]({B}/new).
   group: general
{SP}
 - name: Fine
--- a/content/pages/guide.md
+++ b/content/pages/guide.md
@@ -1,6 +1,6 @@
 Title: Guide
 Slug: guide
{SP}
-Read [the old docs]({B}/old) or <{B}/old#top>.
+Read [the old docs]({B}/new) or <{B}/new#top>.
 Keep {B}/older and [fine]({B}/ok) as they are.
 Temporary moves stay: [temp]({B}/temp).
"""


@pytest.fixture(scope="module")
def checked_content(tmp_path_factory, fake_web):
    web_, base = fake_web
    root = tmp_path_factory.mktemp("fix")
    content = root / "content"
    (content / "pages").mkdir(parents=True)
    (content / "catalog").mkdir()
    (content / "pages" / "guide.md").write_text(GUIDE.format(B=base), encoding="utf-8")
    (content / "catalog" / "projects.yaml").write_text(PROJECTS.format(B=base), encoding="utf-8")
    settings = make_settings(root)
    web_.phase = 2  # /later has moved too
    try:
        with Store.from_settings(settings) as store:
            summary = run_check(settings, [content], store=store, root=root)
    finally:
        web_.phase = 1
    assert summary.run_id is not None
    return settings, base, root


def test_dry_run_prints_exact_diff_and_changes_nothing(checked_content):
    settings, base, root = checked_content
    guide = root / "content" / "pages" / "guide.md"
    before = guide.read_bytes()
    with Store.from_settings(settings) as store:
        statuses = store.link_statuses()
        assert statuses[f"{base}/old"].reason == "moved_permanently"
        assert statuses[f"{base}/temp"].verdict == "ok"
        result = fix_redirects(settings, store, dry_run=True)
    assert result.diff == EXPECTED_DIFF.format(B=base, SP=" ") and result.refused == []
    assert guide.read_bytes() == before


def test_command_rewrites_only_url_text(checked_content):
    settings, base, root = checked_content
    env = {**os.environ, "LINKCHECK_STORE": str(settings.store_path),
           "LINKCHECK_CONTENT_DIR": str(root / "content")}
    done = subprocess.run([sys.executable, "-m", "linkcheck", "fix", "--redirects"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == EXPECTED_DIFF.format(B=base, SP=" ")
    guide = (root / "content" / "pages" / "guide.md").read_text(encoding="utf-8")
    assert guide == GUIDE.format(B=base).replace(f"({base}/old)", f"({base}/new)").replace(
        f"<{base}/old#top>", f"<{base}/new#top>")
    assert f"Keep {base}/older and" in guide  # a longer URL sharing the prefix is untouched
    projects = (root / "content" / "catalog" / "projects.yaml").read_text(encoding="utf-8")
    assert projects == PROJECTS.format(B=base).replace(f'"{base}/old"', f'"{base}/new"').replace(
        f"({base}/later)", f"({base}/new)")
    # a second run has nothing left to do
    again = subprocess.run([sys.executable, "-m", "linkcheck", "fix", "--redirects", "--dry-run"],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0 and again.stdout == ""
    assert "nothing to fix" in again.stderr


def _catalog(tmp_path: Path, projects: str) -> Path:
    content = tmp_path / "content"
    (content / "catalog").mkdir(parents=True)
    (content / "pages").mkdir()
    (content / "catalog" / "examples.yaml").write_text(projects, encoding="utf-8")
    return content


def test_targets_are_quoted_for_where_they_stand(tmp_path):
    import yaml

    from linkcheck.upkeep.fix import content_files, rewrite_files

    content = _catalog(tmp_path, "- name: A\n  url: 'https://a.test/old'\n"
                                 "  description: See [docs](https://a.test/d) and 'https://a.test/q'.\n")
    (content / "pages" / "p.md").write_text("Read [docs](https://a.test/d).\n", encoding="utf-8")
    mapping = {"https://a.test/old": "https://a.test/it's new", "https://a.test/d": "https://a.test/x_(y)",
               "https://a.test/q": "https://a.test/\"q\""}
    rewrite_files(content_files(content), mapping, root=tmp_path, dry_run=False,
                  catalog_dir=content / "catalog")
    data = yaml.safe_load((content / "catalog" / "examples.yaml").read_text())
    assert data[0]["url"] == "https://a.test/it''s%20new".replace("''", "'")  # parses back exactly
    assert "[docs](https://a.test/x_%28y%29)" in data[0]["description"]
    assert "https://a.test/%22q%22" in data[0]["description"]
    assert (content / "pages" / "p.md").read_text() == "Read [docs](https://a.test/x_%28y%29).\n"


def test_a_rewrite_that_would_break_the_catalog_is_refused_and_the_others_applied(tmp_path):
    from linkcheck.upkeep.fix import content_files, rewrite_files

    text = ("- name: A\n  url: https://a.test/old\n  description: One.\n"
            "- name: B\n  url: https://b.test/\n  description: Two.\n"
            "- name: C\n  url: https://c.test/old\n  description: Three.\n")
    content = _catalog(tmp_path, text)
    (content / "pages" / "p.md").write_text("[a](https://a.test/old) [d](https://d.test/old)\n")
    # the old page of A now redirects to B's home: two entries, one page. C and D moved fine.
    mapping = {"https://a.test/old": "https://b.test/", "https://c.test/old": "https://c.test/new",
               "https://d.test/old": "https://d.test/new"}
    result = rewrite_files(content_files(content), mapping, root=tmp_path, dry_run=False,
                           catalog_dir=content / "catalog")
    assert len(result.refused) == 1
    assert result.refused[0].startswith("https://a.test/old -> https://b.test/: ")
    assert "would break the catalog" in result.refused[0] and "examples.yaml" in result.refused[0]
    assert (content / "catalog" / "examples.yaml").read_text() == text.replace("c.test/old", "c.test/new")
    # refused everywhere, so the page and the catalog keep saying the same
    assert (content / "pages" / "p.md").read_text() == "[a](https://a.test/old) [d](https://d.test/new)\n"


def test_fix_targets_the_end_of_the_permanent_hops_and_never_a_dead_page(tmp_path):
    from linkcheck.engine.check import CheckOptions
    from linkcheck.engine.run import check
    from linkcheck.upkeep.fix import moved_urls
    from tests.support.fakeweb import redirect, serve_sites, site, static

    body = "<p>" + "Celery moves slow work out of the request. " * 100 + "</p>"
    app = site({
        "/": static("Home", body),
        "/old-post": redirect("/", 301),  # removed, sent home: dead, never a target
        "/a": redirect("/b", 301),
        "/b": redirect("/login", 302),  # a login bounce after the move: not part of the address
        "/login": static("Sign in", body),
        "/gone": redirect("/missing", 301),
        "/missing": static("Page not found – Example", "<h1>Page not found</h1>"),
    })
    with serve_sites(app, first_host=34) as (url,):
        results = check([url + "/old-post", url + "/a#top", url + "/gone"],
                        CheckOptions(allow_private=True, timeout=2.0, retries=0))
    assert [r.reason for r in results] == ["redirected_home", "moved_permanently", "soft_404"]
    with Store(tmp_path / "s.sqlite3") as store:
        run = store.start_run("check")
        for r in results:
            store.record_result(run, r)
        assert moved_urls(store.link_statuses()) == {url + "/a#top": url + "/b#top"}


# --------------------------------------------------------------- issue 24: hostile targets
HOSTILE_PAGE = """Title: Links
Slug: links

<p><a href='{B}/old'>single</a> <a href="{B}/old">double</a> <a href={B}/old>unquoted</a></p>

A [Markdown link]({B}/old), an autolink <{B}/old> and a [reference][r].

[r]: {B}/old
"""

HOSTILE_CATALOG = """- name: Moved
  url: '{B}/old'
  description: "See <a href='{B}/old'>the docs</a>."
  group: general
"""


def _links(html_text: str) -> list[dict[str, str | None]]:
    """The attributes of every <a>, as an HTML5 tokenizer reads them."""
    from html.parser import HTMLParser

    found: list[dict[str, str | None]] = []

    class Links(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "a":
                found.append(dict(attrs))

    Links().feed(html_text)
    return found


def _fix(root: Path, settings) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LINKCHECK_STORE": str(settings.store_path),
           "LINKCHECK_CONTENT_DIR": str(root / "content")}
    return subprocess.run([sys.executable, "-m", "linkcheck", "fix", "--redirects"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


def test_a_server_chosen_target_cannot_write_markup_into_the_content(tmp_path):
    """Issue 24: a Location with "'" was written into a single-quoted href in raw HTML and
    became an onmouseover= attribute on the built site."""
    import markdown
    import yaml

    from tests.support.fakeweb import redirect, serve_sites, site, static

    evil = "/new/x'onmouseover='alert(1)'"
    app = site({"/old": redirect(evil, 301), "/new/{tail:.*}": static("New home")})
    content = tmp_path / "content"
    (content / "pages").mkdir(parents=True)
    (content / "catalog").mkdir()
    settings = make_settings(tmp_path)
    with serve_sites(app, first_host=36) as (base,):
        (content / "pages" / "links.md").write_text(HOSTILE_PAGE.format(B=base), encoding="utf-8")
        (content / "catalog" / "projects.yaml").write_text(HOSTILE_CATALOG.format(B=base), encoding="utf-8")
        with Store.from_settings(settings) as store:
            run_check(settings, [content], store=store, root=tmp_path)
            assert store.link_statuses()[f"{base}/old"].reason == "moved_permanently"
    done = _fix(tmp_path, settings)
    assert done.returncode == 0, done.stderr

    page = (content / "pages" / "links.md").read_text(encoding="utf-8")
    html_text = markdown.markdown(page, extensions=["extra", "meta", "toc"], output_format="html5")
    links = _links(html_text)
    assert len(links) == 6
    assert all(set(a) == {"href"} for a in links), links  # no onmouseover, nothing but the href
    hrefs = [a["href"] for a in links]
    assert hrefs[0] == f"{base}/new/x%27onmouseover=%27alert(1)%27"  # single-quoted: "'" encoded
    assert hrefs[1] == f"{base}{evil}"  # a "'" cannot end a double-quoted value
    assert hrefs[2] == f"{base}/new/x%27onmouseover=%27alert(1)%27"  # unquoted
    assert hrefs[3] == f"{base}/new/x%27onmouseover=%27alert%281%29%27"  # a Markdown link: ")" and "'"
    assert all(h.startswith(f"{base}/new/x") for h in hrefs[4:])  # autolink, reference
    data = yaml.safe_load((content / "catalog" / "projects.yaml").read_text(encoding="utf-8"))
    assert data[0]["url"] == f"{base}{evil}"  # the single-quoted scalar parses back exactly
    assert [set(a) for a in _links(data[0]["description"])] == [{"href"}]


def test_fix_writes_no_file_through_a_planted_symbolic_link(tmp_path, fake_web):
    """Issue 24: a committed ``FILE.linkcheck-tmp`` symlink made fix write the page's text
    wherever the link pointed, outside content/."""
    _web, base = fake_web
    content = tmp_path / "content"
    (content / "pages").mkdir(parents=True)
    page = content / "pages" / "page.md"
    page.write_text(f"[old]({base}/old)\n", encoding="utf-8")
    outside = tmp_path / "outside.txt"
    outside.write_text("precious\n", encoding="utf-8")
    planted = content / "pages" / "page.md.linkcheck-tmp"
    planted.symlink_to(outside)
    elsewhere = tmp_path / "elsewhere.md"
    elsewhere.write_text(f"[old]({base}/old)\n", encoding="utf-8")
    (content / "pages" / "linked.md").symlink_to(elsewhere)
    settings = make_settings(tmp_path)
    with Store.from_settings(settings) as store:
        run_check(settings, [content], store=store, root=tmp_path)
    done = _fix(tmp_path, settings)

    assert outside.read_text(encoding="utf-8") == "precious\n"
    assert planted.is_symlink() and planted.resolve() == outside.resolve()
    assert page.read_text(encoding="utf-8") == f"[old]({base}/new)\n" and not page.is_symlink()
    assert elsewhere.read_text(encoding="utf-8") == f"[old]({base}/old)\n"  # not written through
    assert (content / "pages" / "linked.md").is_symlink()
    assert done.returncode == 1 and "linked.md: a symbolic link, not rewritten" in done.stderr
    assert sorted(p.name for p in (content / "pages").iterdir()) == ["linked.md", "page.md",
                                                                     "page.md.linkcheck-tmp"]
