"""The catalog's Pelican generator: load, validate, annotate pages, write sitemap/feed."""

from __future__ import annotations

import logging
import re
from html import unescape
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from pelican.generators import Generator

from linkcheck.catalog import (
    PLAIN_HTTP,
    SECTIONS,
    Catalog,
    CatalogError,
    CatalogWarning,
    Group,
    load_catalog,
    project_groups,
    resource_topics,
)
from linkcheck.catalog.hosted import hosted_kinds
from linkcheck.catalog.ranking import kind_sections, order_basis
from linkcheck.catalog.schema import (
    ARCHIVED_GROUP,
    ARCHIVED_GROUP_TITLE,
    BROKERS,
    FACT_LABELS,
    FRAMEWORKS,
    GROUPS,
    PROTOCOLS,
    RESOURCE_TOPICS,
    RESOURCE_TYPES,
    SECTION_FACTS,
)

from .compare import by_entry, comparisons
from .dates import last_changed
from .guide import frame_guides
from .outputs import page_dates, write_feed, write_sitemap
from .project import page_url, project_pages
from .settings import catalog_settings
from .signals import catalog_loaded

logger = logging.getLogger(__name__)

# Markdown renders a marker line "[catalog:projects]" as its own paragraph.
MARKER_RE = re.compile(r"<p>\s*\[catalog:([^\]\s]*)\]\s*</p>")
# "[catalog-more:projects]": one line pointing from the guide to the section's own page.
MORE_RE = re.compile(r"<p>\s*\[catalog-more:([^\]\s]*)\]\s*</p>")
STRAY_RE = re.compile(r"\[catalog(?:-more)?:[^\]]*\]")
HEADING_RE = re.compile(r"<h([1-6])\b([^>]*)>(.*?)</h\1>", re.S)
ID_RE = re.compile(r'\bid="([^"]+)"')
TAG_RE = re.compile(r"<[^>]+>")
TRUE_WORDS = {"true", "yes", "1", "on"}


def _truthy(value: Any) -> bool:
    return str(value).strip().lower() in TRUE_WORDS


def plain_http_summary(count: int) -> str:
    """The one build line that stands for every plain http:// warning."""
    urls = "catalog URL uses" if count == 1 else "catalog URLs use"
    return f"{count} {urls} plain http://: `make lint-content` lists them"


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
        self._log_warnings(catalog.warnings)
        self.catalog = catalog
        for entry in catalog.section("projects"):
            entry.page_url = page_url(entry)  # before the signal: the search plugin reads it
        catalog_loaded.send(catalog, settings=self.settings)
        # after the signal: GitHub's archived flag (attached by github_data) moves projects, and
        # the downloads and stars it attached order them
        self.context.update(self._catalog_context(catalog))
        self.comparisons, problems = comparisons(catalog, self.options["compare_pairs"])
        for problem in problems:
            if self.options["warnings_fatal"]:
                raise CatalogError(Path("pelicanconf.py"), 1, problem, "CATALOG['warnings_fatal'] is on")
            logger.warning("catalog: %s", problem)
        self.context["catalog_comparisons"] = self.comparisons
        self.context["catalog_compare_of"] = by_entry(self.comparisons)
        self.project_pages = project_pages(self.context["catalog_kind_sections"],
                                           self.context["catalog_compare_of"])

        pages = list(self.context.get("pages", []))
        hidden = list(self.context.get("hidden_pages", []))
        self.section_pages = self._section_pages(pages + hidden)
        self.context["catalog_pages"] = {s: p.url for s, p in self.section_pages.items()}
        for page in pages + hidden:
            self._annotate(page)
        # the guide: today's advice (rendered from the catalog) before the founding text (guide.py)
        frame_guides(self, pages + hidden)
        self.context["nav_pages"] = sorted(pages, key=self._nav_key)

    @staticmethod
    def _catalog_context(catalog: Catalog) -> dict[str, Any]:
        """The names every template sees (documented in plugins/catalog/__init__.py)."""
        return {
            "catalog": catalog,
            "catalog_sections": SECTIONS,
            "catalog_groups": {**GROUPS, ARCHIVED_GROUP: ARCHIVED_GROUP_TITLE},
            "catalog_project_groups": project_groups(catalog.section("projects")),
            "catalog_kind_sections": kind_sections(catalog.section("projects")),
            "catalog_order_basis": order_basis(catalog.section("projects")),
            "catalog_resource_topics": resource_topics(catalog.section("resources")),
            "catalog_section_facts": SECTION_FACTS,
            "catalog_fact_labels": FACT_LABELS,
            "catalog_vocabulary": {"brokers": BROKERS, "frameworks": FRAMEWORKS, "protocols": PROTOCOLS,
                                   "groups": tuple(GROUPS), "types": RESOURCE_TYPES,
                                   "topics": tuple(RESOURCE_TOPICS)},
        }

    @staticmethod
    def _section_pages(pages: list[Any]) -> dict[str, Any]:
        """Section -> the first page showing its full list (a [catalog:SECTION] marker)."""
        found: dict[str, Any] = {}
        for page in pages:
            for name in MARKER_RE.findall(page._content):
                found.setdefault(name, page)
        return found

    def _log_warnings(self, warnings: list[CatalogWarning]) -> None:
        """Each warning on its own, except plain http:// links: one summary line for all of them,
        so that a build with nothing new to say stays quiet and a real problem stands out."""
        if self.options["warnings_fatal"] and warnings:
            first = warnings[0]
            raise CatalogError(first.path, first.line, first.message,
                               "CATALOG['warnings_fatal'] is on", display_path=first.display_path)
        for warning in warnings:
            if warning.kind != PLAIN_HTTP:
                logger.warning("catalog: %s", warning)
        plain = sum(1 for w in warnings if w.kind == PLAIN_HTTP)
        if plain:
            logger.warning(plain_http_summary(plain))

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
            # group headings sit one level below the heading the list is under
            above = HEADING_RE.findall(content, 0, match.start())
            level = min(int(above[-1][0]) + 1, 6) if above else 2
            return self._render_list(name, level, page)

        def render_more(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in SECTIONS:
                line = _source_line(page.source_path, f"[catalog-more:{name}]")
                raise CatalogError(Path(page.source_path), line,
                                   f"unknown catalog marker [catalog-more:{name}]",
                                   "use one of " + ", ".join(f"[catalog-more:{s}]" for s in SECTIONS),
                                   display_path=self._display(page.source_path))
            return self._render_more(name, page)

        content = MARKER_RE.sub(render, content)
        content = MORE_RE.sub(render_more, content)
        stray = STRAY_RE.search(content)
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

    def _render_list(self, section: str, heading_level: int = 2, page: Any = None) -> str:
        assert self.catalog is not None
        entries = self.catalog.section(section)
        groups: list[Group]
        if section == "projects":
            groups = self.context["catalog_project_groups"]
        elif section == "resources":
            groups = self.context["catalog_resource_topics"]
        elif section == "hosted":  # by what each takes off your servers, read off its facts
            groups = hosted_kinds(entries, self.catalog.section("projects"))
        else:
            groups = [Group(section, SECTIONS[section], entries)] if entries else []
        template = self.env.get_template(self.options["list_template"])
        return template.render(
            **self.context,
            section=section,
            section_title=SECTIONS[section],
            entries=entries,
            groups=groups,
            fact_keys=SECTION_FACTS[section],
            heading_level=heading_level,
            # the page being rendered: the theme shows the projects page as a comparison
            page=page,
        )

    def _render_more(self, section: str, page: Any) -> str:
        """The guide's pointer under a seed list: how many more entries the section's page has."""
        assert self.catalog is not None
        target = self.section_pages.get(section)
        template = self.env.get_template(self.options["more_template"])
        return template.render(
            **self.context,
            section=section,
            # entries since the original guide: the guide shows the seed's own bullets
            more=sum(1 for e in self.catalog.section(section) if not e.from_seed),
            total=len(self.catalog.section(section)),
            target_url=target.url if target is not None and target is not page else None,
            target_title=getattr(target, "sidebartitle", None) or getattr(target, "title", ""),
        )

    def _write_generated(self, writer: Any, url: str, title: str, slug: str, template: str,
                         **names: Any) -> Any:
        """One generated page (an "X vs Y" page, a project's page); returns its page-like object
        (url, title: what the navigation and the sitemap read)."""
        page = SimpleNamespace(url=url, save_as=url, title=title, slug=slug, source_path=None)
        writer.write_file(
            url,
            self.get_template(Path(template).stem),
            self.context,
            relative_urls=self.settings.get("RELATIVE_URLS", False),
            url=url,
            page=page,
            **names,
        )
        return page

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
        compare, project = self.options["compare_template"], self.options["project_template"]
        generated = [self._write_generated(writer, c.url, c.title, "compare", compare, comparison=c)
                     for c in self.comparisons]
        generated += [self._write_generated(writer, p.url, p.title, "project", project, project=p)
                      for p in self.project_pages]
        if not (self.options["sitemap"] or self.options["feed"]):
            return
        dated = page_dates(pages, catalog_files)
        if self.options["sitemap"]:
            # a comparison or a project's page shows the projects file's facts: dated by its last change
            projects_file = [p for p in catalog_files if p.stem == "projects"]
            when = last_changed(projects_file) if projects_file else None
            extra = [(page, when) for page in generated] if when else []
            write_sitemap(self.settings, output / self.options["sitemap"], dated + extra)
        if self.options["feed"]:
            write_feed(self.settings, output, self.options["feed"], dated)
