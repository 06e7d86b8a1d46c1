"""plugins/sitecontext/templatecache.py: a process that builds twice compiles the theme once, and an
edited template is compiled afresh."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest

from tests.support.site import ROOT, build

sys.path.insert(0, str(ROOT / "plugins"))

from sitecontext.templatecache import share_compiled_templates  # noqa: E402

SITE = ROOT / "tests" / "plugins" / "catalog" / "site" / "content"


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The names of the templates Jinja compiles (its own compile runs; the list only watches)."""
    names: list[str] = []
    real = jinja2.Environment.compile

    def watched(self, source, name=None, filename=None, raw=False, defer_init=False):  # noqa: ANN001
        names.append(str(name))
        return real(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", watched)
    yield names


def _pages(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(root.rglob("*.html"))}


def test_a_second_build_compiles_no_template_and_writes_the_same_pages(tmp_path: Path,
                                                                      compiles: list[str]) -> None:
    theme = shutil.copytree(ROOT / "theme", tmp_path / "theme")  # a theme no earlier build compiled
    first = build(SITE, tmp_path / "one", THEME=str(theme), BUILD_TIME=1_767_225_600.0)
    compiled_first = len(compiles)
    second = build(SITE, tmp_path / "two", THEME=str(theme), BUILD_TIME=1_767_225_600.0)

    assert compiled_first >= 5, compiles
    assert "base.html" in compiles
    assert compiles[compiled_first:] == [], "the second build compiled templates again"
    assert _pages(first) == _pages(second)


def test_an_edited_template_is_compiled_afresh(tmp_path: Path, compiles: list[str]) -> None:
    theme = shutil.copytree(ROOT / "theme", tmp_path / "theme")
    build(SITE, tmp_path / "one", THEME=str(theme))
    base = theme / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</body>", "<!-- edited --></body>"),
                    encoding="utf-8")
    compiles.clear()
    out = build(SITE, tmp_path / "two", THEME=str(theme))

    assert compiles == ["base.html"]
    assert "<!-- edited -->" in (out / "projects.html").read_text(encoding="utf-8")


def test_environments_with_other_options_or_their_own_cache_do_not_share() -> None:
    def generator(**options: object) -> SimpleNamespace:
        return SimpleNamespace(env=jinja2.Environment(**options), settings={"JINJA_ENVIRONMENT": options})

    a, b = generator(trim_blocks=True), generator(trim_blocks=True)
    other = generator(trim_blocks=False)
    own_cache = jinja2.FileSystemBytecodeCache()
    own = generator(bytecode_cache=own_cache)
    for g in (a, b, other, own):
        share_compiled_templates(g)

    assert a.env.bytecode_cache is b.env.bytecode_cache is not None
    assert other.env.bytecode_cache is not a.env.bytecode_cache
    assert own.env.bytecode_cache is own_cache
