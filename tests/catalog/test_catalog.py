"""linkcheck.catalog: the loader and its validation rules, without Pelican."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from linkcheck.catalog import PLAIN_HTTP, SECTIONS, CatalogError, load_catalog, normalize_url, render_inline
from linkcheck.cli import main
from tests.support.site import CONTENT, copy_content, write_yaml

GOOD = """\
- name: Alpha
  url: https://alpha.example.org/
  repo: https://github.com/example/alpha
  description: Alpha runs jobs.
  group: general

- name: Beta
  url: https://beta.example.org/docs/
  description: >-
    Beta runs jobs
    too.
  group: asyncio
"""
G = "  group: general\n"


def catalog_dir(tmp_path: Path, projects: str, **others: str) -> Path:
    content = tmp_path / "content"
    (content / "catalog").mkdir(parents=True)
    write_yaml(content, "projects", projects)
    for section, text in others.items():
        write_yaml(content, section, text)
    return content


def fails(tmp_path: Path, projects: str, **others: str) -> CatalogError:
    with pytest.raises(CatalogError) as info:
        load_catalog(catalog_dir(tmp_path, projects, **others))
    return info.value


def test_real_catalog_loads_every_seed_entry_once():
    catalog = load_catalog(CONTENT)
    # the original guide's entries (no `added`), then at least the 25 projects issue 15 asks for
    assert [sum(1 for e in catalog.section(s) if e.from_seed) for s in SECTIONS] == [4, 3, 3, 23]
    assert len(catalog.section("projects")) >= 25
    names = [e.name for e in catalog.section("projects")]
    assert names.count("Huey") == 1
    huey = catalog.get("huey")
    # both of the seed's Huey descriptions survive the merge
    assert "previously named Invoker" in huey.description
    assert "crontab-like repeating tasks" in huey.description
    for name, repo in [("celery", "celery/celery"), ("rq", "rq/rq"), ("huey", "coleifer/huey"),
                       ("taskmaster", "dcramer/taskmaster"), ("dramatiq", "Bogdanp/dramatiq"),
                       ("arq", "python-arq/arq"), ("taskiq", "taskiq-python/taskiq"),
                       ("procrastinate", "procrastinate-org/procrastinate")]:
        assert catalog.get(name).github_repo == repo
    ids = [e.id for e in catalog]
    assert len(ids) == len(set(ids))


def test_fields_lines_and_folded_text(tmp_path):
    catalog = load_catalog(catalog_dir(tmp_path, GOOD))
    alpha, beta = catalog.section("projects")
    assert (alpha.id, alpha.line, alpha.field_lines["repo"]) == ("alpha", 1, 3)
    assert beta.line == 7 and beta.field_lines["description"] == 9
    assert beta.description == "Beta runs jobs too."
    assert beta.repo is None and beta.github_repo is None
    assert alpha.links() == ["https://alpha.example.org/", "https://github.com/example/alpha"]
    assert alpha.health is None and alpha.github is None
    assert str(catalog.files[0]).endswith("projects.yaml")


@pytest.mark.parametrize("second_url", [
    "https://alpha.example.org/",            # identical
    "http://alpha.example.org/",             # scheme
    "https://www.alpha.example.org/",        # www.
    "https://alpha.example.org",             # trailing slash
    "https://alpha.example.org:443/",        # default port
    "https://alpha.example.org/#install",    # fragment
    "HTTP://WWW.Alpha.Example.org:80",       # all at once, upper case host
])
def test_duplicate_urls_are_rejected_after_normalising(tmp_path, second_url):
    text = GOOD + f"\n- name: Gamma\n  url: {second_url}\n  description: Same page.\n" + G
    error = fails(tmp_path, text)
    assert error.line == 15
    assert str(error).startswith("content/catalog/projects.yaml:15: duplicate entry")
    assert "'alpha' at content/catalog/projects.yaml:1" in str(error)
    assert "merge the two entries" in str(error)


def test_duplicates_across_files_and_by_repo_and_name(tmp_path):
    error = fails(tmp_path, GOOD, resources="- name: A post\n  url: https://github.com/example/alpha/\n"
                                           "  description: x\n  year: 2014\n  type: article\n"
                                           "  topic: celery\n")
    assert (error.path.name, error.line) == ("resources.yaml", 2)
    assert "projects.yaml:1" in error.message
    error = fails(tmp_path / "b",
                  GOOD + "\n- name: alpha\n  url: https://other.example/\n  description: x\n" + G)
    assert error.line == 14 and "duplicate id 'alpha'" in error.message
    error = fails(tmp_path / "c", GOOD + "\n- name: ALPHA\n  id: alpha-two\n  url: https://other.example/\n"
                  "  description: x\n" + G)
    assert error.line == 14 and "name 'ALPHA' is already used" in error.message


def test_different_port_or_path_is_not_a_duplicate():
    assert normalize_url("https://a.example:8443/x") != normalize_url("https://a.example/x")
    assert normalize_url("https://a.example/x?page=2") != normalize_url("https://a.example/x")
    assert normalize_url("https://a.example/X") != normalize_url("https://a.example/x")


@pytest.mark.parametrize(("text", "line", "words"), [
    ("- name: A\n  url: https://a.example/\n  description: [broken\n", 3, "malformed YAML"),
    ("- name: A\n  url: https://a.example/\n description: x\n", 3, "malformed YAML"),
    ("name: A\nurl: https://a.example/\n", 1, "expected a list of entries"),
    ("- just a string\n", 1, "must be a mapping"),
    ("- name: A\n  url: https://a.example/\n", 1, "missing the required field 'description'"),
    ("- name: A\n  description: x\n", 1, "missing the required field 'url'"),
    ("- name: A\n  url: https://a.example/\n  description: x\n  homepage: https://b.example/\n", 4,
     "unknown field 'homepage'"),
    ("- name: A\n  url: https://a.example/\n  descripton: x\n", 3, "did you mean 'description'"),
    ("- name: A\n  url: ftp://a.example/file\n  description: x\n", 2, "not an http(s) URL"),
    ("- name: A\n  url: javascript:alert(1)\n  description: x\n", 2, "not an http(s) URL"),
    ("- name: A\n  url: https://a.example/\n  description: '[x](javascript:alert(1))'\n", 3,
     "not an http(s) URL"),
    ("- name: A\n  url: a.example\n  description: x\n", 2, "not an http(s) URL"),
    ("- name: A\n  url: https://a.example/\n  repo: https://gitlab.com/a/b\n  description: x\n", 3,
     "not a GitHub repository URL"),
    ("- name: A\n  url: https://a.example/\n  description:\n", 3, "is empty"),
    ("- name: 2048\n  url: https://a.example/\n  description: x\n", 1, "must be text"),
    ("- name: A\n  url: [https://a.example/]\n  description: x\n", 2, "must be text"),
    ("- name: A\n  name: B\n  url: https://a.example/\n  description: x\n", 2, "appears twice"),
    ("- name: A\n  id: Not A Slug\n  url: https://a.example/\n  description: x\n", 2, "not a slug"),
    ("- name: A\n  url: https://a.example/\n  description: '# Big heading'\n", 3, "one paragraph"),
    ("- name: A\n  url: https://a.example/\n  description: '- a list item'\n", 3, "one paragraph"),
])
def test_bad_entries_stop_with_file_line_and_fix(tmp_path, text, line, words):
    if text.startswith("- name") and not any(w in words for w in ("missing", "malformed")):
        text += G  # a last line: every other line keeps its number
    error = fails(tmp_path, text)
    assert error.line == line, str(error)
    assert words in str(error)
    assert str(error).startswith(f"content/catalog/projects.yaml:{line}: ")
    assert str(error).endswith(")"), "every error says how to fix it"


def test_unknown_section_file_is_rejected(tmp_path):
    content = catalog_dir(tmp_path, GOOD)
    (content / "catalog" / "tools.yaml").write_text("[]\n")
    with pytest.raises(CatalogError, match=r"tools.yaml:1: unknown catalog section file"):
        load_catalog(content)


def test_plain_http_is_a_warning_not_an_error(tmp_path):
    text = (GOOD + "\n- name: Old\n  url: http://old.example/\n"
            "  description: See [it](http://old.example/a).\n" + G)
    catalog = load_catalog(catalog_dir(tmp_path, text))
    assert catalog.get("old") is not None
    warnings = [str(w) for w in catalog.warnings]
    assert "content/catalog/projects.yaml:15: url uses plain http:// (http://old.example/)" in warnings[0]
    assert any("description uses plain http://" in w for w in warnings)


def test_descriptions_escape_html_but_keep_markdown():
    rendered = render_inline('Use <script>alert("x")</script> & [docs](https://a.example/?a=1&b=2) *now*')
    assert "<script>" not in rendered
    assert "&lt;script&gt;" in rendered
    assert "&amp; " in rendered
    assert '<a href="https://a.example/?a=1&amp;b=2">docs</a>' in rendered
    assert "<em>now</em>" in rendered


def test_real_content_copy_round_trips(tmp_path):
    # the catalog loader reads whatever content folder it is given
    content = copy_content(tmp_path)
    assert len(load_catalog(content)) == len(load_catalog(CONTENT))


def test_alias_bomb_in_a_key_is_refused_with_its_line(tmp_path):
    bomb = "".join(f"- &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n" if i else "- &a0 [x]\n"
                   for i in range(12))
    text = GOOD + f"- name: Bomb\n  url: https://bomb.example/\n{G}  description: x\n  ? [{bomb}]\n"
    error = fails(tmp_path / "a", "- ? [&a0 [lol]]\n  : x\n")
    assert error.line == 1 and "anchors and aliases" in error.message
    error = fails(tmp_path / "b", text.replace("  ? [", "  ? [&z ["))
    assert "anchors and aliases" in error.message and error.line > 10


def test_fifty_thousand_nested_brackets_are_a_file_line_error(tmp_path):
    error = fails(tmp_path, GOOD + "- name: Deep\n  url: https://deep.example/\n" + G
                  + "  description: x\n  tags: " + "[" * 50_000 + "]" * 50_000 + "\n")
    line = len(GOOD.splitlines()) + 5
    assert "nested more than" in error.message and error.line == line
    assert f"projects.yaml:{line}" in str(error)


def test_libyaml_and_the_pure_python_parser_read_the_real_catalog_alike(monkeypatch):
    """The loader parses with libyaml (a quarter of a site build was the pure-Python parser) and
    falls back to PyYAML's own parser for files libyaml refuses (as above): both read the same."""
    from linkcheck.catalog import load as loader

    if loader._LIBYAML is None:
        pytest.skip("this PyYAML has no libyaml")
    fast = load_catalog(CONTENT)
    monkeypatch.setattr(loader, "_LIBYAML", None)
    slow = load_catalog(CONTENT)

    assert len(fast.entries) > 100
    assert [vars(e) for e in fast.entries] == [vars(e) for e in slow.entries]
    assert fast.warnings == slow.warnings


def test_pathological_descriptions_are_refused_before_markdown(tmp_path):
    import time

    started = time.process_time()
    error = fails(tmp_path / "a", GOOD + "- name: Brackets\n  url: https://b.example/\n" + G
                  + "  description: '" + "[" * 3_000 + "'\n")
    assert time.process_time() - started < 2.0  # Python-Markdown took seconds on this
    assert "Markdown markup characters" in error.message and error.line == len(GOOD.splitlines()) + 4
    error = fails(tmp_path / "b", GOOD + "- name: Long\n  url: https://l.example/\n" + G
                  + "  description: " + "word " * 2_000 + "\n")
    assert "more than 4,000" in error.message


def test_code_spans_are_escaped_once():
    assert render_inline("Use `a < b && c` or <b>x</b>") == (
        "Use <code>a &lt; b &amp;&amp; c</code> or &lt;b&gt;x&lt;/b&gt;")


def test_invisible_and_direction_changing_characters_are_flagged(tmp_path):
    text = GOOD.replace("Alpha runs jobs.", "Alpha \u202eruns\u202c jobs\u200b.")
    catalog = load_catalog(catalog_dir(tmp_path, text))
    flagged = [str(w) for w in catalog.warnings if "direction-changing" in str(w)]
    assert len(flagged) == 1 and "projects.yaml:4" in flagged[0]
    assert "U+200B" in flagged[0] and "U+202E" in flagged[0]


def test_lint_content_lists_every_warning_with_file_and_line(tmp_path, capsys):
    text = (GOOD + "\n- name: Old\n  url: http://old.example/\n"
            "  description: See [it](http://old.example/a).\n" + G)
    content = catalog_dir(tmp_path, text, examples="", resources="[]\n")
    assert main(["lint-content", str(content)]) == 0
    switch = "switch to https:// if the site supports it"
    assert capsys.readouterr().out.splitlines()[:5] == [
        f"content/catalog/projects.yaml:15: url uses plain http:// (http://old.example/); {switch}",
        f"content/catalog/projects.yaml:16: description uses plain http:// (http://old.example/a); {switch}",
        "content/catalog/hosted.yaml:0: no catalog file: section 'hosted' is empty",
        "content/catalog/examples.yaml:1: empty catalog file: section 'examples' has no entries",
        "4 warning(s) in 3 catalog entries: 2 plain http://, 2 other",
    ]


def test_lint_content_of_the_real_content_lists_the_plain_http_links(capsys, monkeypatch):
    monkeypatch.setenv("LINKCHECK_CONTENT_DIR", str(CONTENT))
    assert main(["lint-content"]) == 0
    lines = capsys.readouterr().out.splitlines()
    plain = [w for w in load_catalog(CONTENT).warnings if w.kind == PLAIN_HTTP]
    assert lines[:len(plain)] == [str(w) for w in plain]
    assert lines[len(plain)].startswith(f"{len(plain)} warning(s) in ")
    listed = re.compile(r"content/catalog/\w+\.yaml:\d+: \w+ uses plain http:// \(http://")
    assert all(listed.match(line) for line in lines[:len(plain)])
    assert lines[len(plain)] == f"{len(plain)} warning(s) in {len(load_catalog(CONTENT))} catalog entries: " \
                        f"{len(plain)} plain http://"


def test_lint_content_of_an_invalid_catalog_exits_2_naming_file_and_line(tmp_path, capsys):
    gamma = "\n- name: Gamma\n  url: ftp://gamma.example/\n  description: x\n" + G
    content = catalog_dir(tmp_path, GOOD + gamma)
    assert main(["lint-content", str(content)]) == 2
    assert "content/catalog/projects.yaml:15: url 'ftp://gamma.example/' is not an http(s) URL" in \
        capsys.readouterr().err


def test_lint_content_lists_unknown_core_facts_of_maintained_projects(tmp_path, capsys):
    known = "".join(f"    {key}: {{value: false, source: https://a.example/#{key}}}\n"
                    for key in ("asyncio", "scheduling", "retries", "priorities", "rate_limits", "results"))
    text = (GOOD.split("\n\n")[0] + "\n  facts:\n    brokers: {value: [redis], source: https://a.example/}\n"
            + known + "- name: Gone\n  url: https://gone.example/\n  description: x\n" + G
            + "  status: archived\n  status_source: https://gone.example/\n")
    assert main(["lint-content", str(catalog_dir(tmp_path, text, examples="", resources="[]\n"))]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-2:] == [
        "content/catalog/projects.yaml:1: alpha: core fact 'monitoring' of a queue is unknown",
        "1 core fact(s) of maintained projects unknown: answer each with true, false or partial and its "
        "source (docs/catalog.md, Facts)"]


def test_lint_content_names_every_link_written_with_credentials(tmp_path, capsys):
    """Issue 24: a URL with user:password@ in the content is a secret in the repository."""
    text = GOOD.replace("  description: Alpha runs jobs.",
                        "  description: Alpha runs [jobs](https://ops:s3cretPW@alpha.example.org/jobs).")
    content = catalog_dir(tmp_path, text, examples="", resources="[]\n")
    (content / "pages").mkdir()
    (content / "pages" / "ops.md").write_text("Title: Ops\n\nThe [board](https://ops:s3cretPW@board.test/).\n")
    assert main(["lint-content", str(content)]) == 1
    out = capsys.readouterr().out
    assert "s3cretPW" not in out
    flagged = [line for line in out.splitlines() if "carries credentials" in line]
    assert [line.split(": a link", 1)[0] for line in flagged] == [
        "content/catalog/projects.yaml:4 (entry alpha)", "content/pages/ops.md:3"]
    assert "(https://***@alpha.example.org/jobs)" in flagged[0]
    assert "2 link(s) written with credentials" in out
