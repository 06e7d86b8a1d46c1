"""The catalog's Pelican generator: load, validate, annotate pages, write sitemap/feed."""

from __future__ import annotations

import logging
import re
from html import unescape
from pathlib import Path
from typing import Any

from pelican.generators import Generator

from linkcheck.catalog import SECTIONS, Catalog, CatalogError, load_catalog

from .outputs import page_dates, write_feed, write_sitemap
from .settings import catalog_settings
from .signals import catalog_loaded

logger = logging.getLogger(__name__)

# Markdown renders a marker line "[catalog:projects]" as its own paragraph.
MARKER_RE = re.compile(r"<p>\s*\[catalog:([^\]\s]*)\]\s*</p>")
HEADING_RE = re.compile(r"<h([1-6])\b([^>]*)>(.*?)</h\1>", re.S)
ID_RE = re.compile(r'\bid="([^"]+)"')
TAG_RE = re.compile(r"<[^>]+>")
TRUE_WORDS = {"true", "yes", "1", "on"}


def _truthy(value: Any) -> bool:
    return str(value).strip().lower() in TRUE_WORDS


def _source_line(path: str | None, needle: str) -> int:
    """1-based line of the first occurrence of ``needle`` in ``path`` (1 if not found)."""
    if not path:
        return 1
    try:
        for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
            if needle in line:
                return number
    except OSError:
        pass
    return 1


class CatalogGenerator(Generator):
    """Runs after the pages generator, so it can rewrite pages before anything is written."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options = catalog_settings(self.settings)
        self.catalog: Catalog | None = None

    # --- context

    def generate_context(self) -> None:
        content_dir = Path(self.options["content_dir"] or self.settings["PATH"])
        catalog = load_catalog(content_dir)
        for warning in catalog.warnings:
            if self.options["warnings_fatal"]:
                raise CatalogError(warning.path, warning.line, warning.message,
                                   "CATALOG['warnings_fatal'] is on", display_path=warning.display_path)
            logger.warning("catalog: %s", warning)
        self.catalog = catalog
        catalog_loaded.send(catalog, settings=self.settings)
        self.context["catalog"] = catalog
        self.context["catalog_sections"] = SECTIONS

        pages = list(self.context.get("pages", []))
        hidden = list(self.context.get("hidden_pages", []))
        for page in pages + hidden:
            self._annotate(page)
        self.context["nav_pages"] = sorted(pages, key=self._nav_key)

    def _nav_key(self, page: Any) -> tuple[float, str]:
        raw = getattr(page, "sortorder", None)
        if raw is None:
            return (float("inf"), page.title)
        try:
            return (float(str(raw).strip()), page.title)
        except ValueError as exc:
            line = _source_line(page.source_path, "sortorder")
            raise CatalogError(Path(page.source_path), line, f"sortorder {raw!r} is not a number",
                               "use a number such as 'sortorder: 0711'",
                               display_path=self._display(page.source_path)) from exc

    def _display(self, path: str) -> str:
        try:
            return str(Path(path).relative_to(Path(self.settings["PATH"]).parent))
        except ValueError:
            return path

    def _annotate(self, page: Any) -> None:
        content = page._content
        sections: list[str] = []

        def render(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in SECTIONS:
                line = _source_line(page.source_path, f"[catalog:{name}]")
                raise CatalogError(Path(page.source_path), line, f"unknown catalog marker [catalog:{name}]",
                                   "use one of " + ", ".join(f"[catalog:{s}]" for s in SECTIONS),
                                   display_path=self._display(page.source_path))
            sections.append(name)
            return self._render_list(name, page)

        content = MARKER_RE.sub(render, content)
        stray = re.search(r"\[catalog:[^\]]*\]", content)
        if stray:
            line = _source_line(page.source_path, stray.group(0))
            raise CatalogError(Path(page.source_path), line,
                               f"marker {stray.group(0)} is not a paragraph of its own",
                               "put the marker alone on its line, with a blank line before and after",
                               display_path=self._display(page.source_path))
        if content != page._content:
            page._content = content
            # Content is memoized per page; drop anything computed from the old text.
            cache = page.get_content.cache
            for key in [k for k in cache if k and k[0] is page]:
                del cache[key]
        page.catalog_sections = sections
        page.has_h1 = bool(re.match(r"\s*<h1\b", content))
        page.show_toc = _truthy(getattr(page, "toc", False))
        page.toc_items = self._toc(content) if page.show_toc else []
        page.meta_description = str(getattr(page, "meta", "") or "").strip()

    def _render_list(self, section: str, page: Any = None) -> str:
        assert self.catalog is not None
        template = self.env.get_template(self.options["list_template"])
        return template.render(
            **self.context,
            section=section,
            section_title=SECTIONS[section],
            entries=self.catalog.section(section),
            # the page being rendered: the theme shows the projects page as a comparison
            page=page,
        )

    @staticmethod
    def _toc(content: str) -> list[dict[str, Any]]:
        items = []
        for level, attrs, inner in HEADING_RE.findall(content):
            found = ID_RE.search(attrs)
            if level in ("2", "3") and found:
                title = unescape(TAG_RE.sub("", inner)).strip()
                items.append({"level": int(level), "id": found.group(1), "title": title})
        return items

    # --- output

    def generate_output(self, writer: Any) -> None:
        output = Path(self.output_path)
        pages = list(self.context.get("nav_pages", []))
        catalog_files = self.catalog.files if self.catalog else []
        if not (self.options["sitemap"] or self.options["feed"]):
            return
        dated = page_dates(pages, catalog_files)
        if self.options["sitemap"]:
            write_sitemap(self.settings, output / self.options["sitemap"], dated)
        if self.options["feed"]:
            write_feed(self.settings, output, self.options["feed"], dated)
