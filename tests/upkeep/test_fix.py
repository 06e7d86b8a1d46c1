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
        diff = fix_redirects(settings, store, dry_run=True)
    assert diff == EXPECTED_DIFF.format(B=base, SP=" ")
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


def test_a_rewrite_that_would_break_the_catalog_is_refused(tmp_path):
    from linkcheck.upkeep.fix import FixError, content_files, rewrite_files

    text = ("- name: A\n  url: https://a.test/old\n  description: One.\n"
            "- name: B\n  url: https://b.test/\n  description: Two.\n")
    content = _catalog(tmp_path, text)
    with pytest.raises(FixError, match="would break the catalog"):
        # the old page now redirects to B's home: two entries, one page
        rewrite_files(content_files(content), {"https://a.test/old": "https://b.test/"}, root=tmp_path,
                      dry_run=False, catalog_dir=content / "catalog")
    assert (content / "catalog" / "examples.yaml").read_text() == text  # nothing written


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
