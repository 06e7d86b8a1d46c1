"""Build the site in-process into a temporary folder, the way `make html` does."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup
from pelican import Pelican, signals
from pelican.log import LimitFilter
from pelican.settings import read_settings

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
SEED = Path(__file__).resolve().parent / "data" / "seed-task-queues.md"


def copy_content(dest: Path) -> Path:
    """A private copy of the real content/ that a test may edit."""
    target = dest / "content"
    shutil.copytree(CONTENT, target)
    return target


def build(content: Path, output: Path, conf: str = "pelicanconf.py", **overrides: Any) -> Path:
    settings = read_settings(str(ROOT / conf),
                             override={"PATH": str(content), "OUTPUT_PATH": str(output), **overrides})
    # Pelican drops a warning it has logged before in this process; each build starts afresh.
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()
    Pelican(settings).run()
    return output


def short_form(label: str, title: str) -> bool:
    """The navigation label rule (docs/site.md, "Labels"): a label is its page's title, or a short
    form of it: some of the title's words, in their order ("Projects" for "Task queue projects")."""
    words = iter(title.lower().split())
    return bool(label.split()) and all(word in words for word in label.lower().split())


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def write_yaml(content: Path, section: str, text: str) -> Path:
    path = content / "catalog" / f"{section}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def build_own_site(plugin_tests: Path, output: Path, store: Path, **overrides: Any) -> Path:
    """Build a plugin's own tiny site (``<plugin tests>/site/content``, as pelican-plugins test
    theirs) with both store-reading plugins pointed at ``store``."""
    return build(plugin_tests / "site" / "content", output,
                 LINKHEALTH={"store_path": str(store), "broken_after_hours": 0.0},
                 GITHUB_DATA={"store": str(store), "now": 1_767_225_600.0}, **overrides)


@contextmanager
def built_catalog() -> Iterator[dict[str, Any]]:
    """``seen["catalog"]``: the catalog as the pages of a build in this block saw it (after every
    plugin attached its data on ``catalog_loaded``)."""
    seen: dict[str, Any] = {}

    def keep(generators: list[Any]) -> None:
        for generator in generators:
            if getattr(generator, "catalog", None) is not None:
                seen["catalog"] = generator.catalog

    signals.all_generators_finalized.connect(keep)
    try:
        yield seen
    finally:
        signals.all_generators_finalized.disconnect(keep)
