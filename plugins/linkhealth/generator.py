"""Writes the link-health page from the snapshot the plugin loaded."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from markupsafe import Markup
from pelican.generators import Generator

from .chart import history_svg
from .data import HealthData, human_time

# The page that shows each catalog section.
SECTION_PAGES = {"projects": "projects.html", "hosted": "hosted.html", "examples": "resources.html",
                 "resources": "resources.html"}


class LinkHealthGenerator(Generator):
    data: HealthData | None = None  # set by the plugin before generators run
    options: dict[str, Any] = {}

    def generate_context(self) -> None:
        self.context["linkhealth_page"] = self.options.get("page")

    def _where(self, info: Any) -> list[tuple[str, str]]:
        """(label, site URL) of the places a reader meets this link: catalog entries by name,
        pages by title. Only names the build knows are shown, never source paths."""
        catalog = self.context.get("catalog")
        pages = self.context.get("nav_pages", [])
        by_url = {p.url: p.title for p in pages}
        by_source = {Path(p.source_path).resolve(): p for p in pages}
        found: dict[str, str] = {}
        for loc in info.locations:
            entry = catalog.get(loc["entry"]) if catalog is not None and loc.get("entry") else None
            if entry is not None and entry.section in SECTION_PAGES:
                found.setdefault(f"{SECTION_PAGES[entry.section]}#entry-{entry.id}", entry.name)
                continue
            page = by_source.get((Path(self.settings["PATH"]).parent / (loc.get("source") or "")).resolve())
            if page is not None:
                found.setdefault(page.url, page.title)
            elif loc.get("page") in by_url:
                found.setdefault(loc["page"], by_url[loc["page"]])
        return [(label, url) for url, label in found.items()]

    def generate_output(self, writer: Any) -> None:
        page = self.options.get("page")
        if not page:
            return
        data = self.data
        template = self.get_template(self.options["template"])
        writer.write_file(
            page,
            template,
            self.context,
            relative_urls=self.settings.get("RELATIVE_URLS", False),
            url=page,
            # a page-like object so the base template's navigation state is right
            page=SimpleNamespace(url=page, title="Link health", slug="link-health"),
            linkhealth=data,
            linkhealth_broken=data.by_state("broken") if data else [],
            linkhealth_moved=data.by_state("moved") if data else [],
            linkhealth_blocked=data.by_state("blocked") if data else [],
            linkhealth_failing=data.by_state("unconfirmed") if data else [],
            # every number and label in the SVG is produced or escaped by chart.py
            linkhealth_chart=Markup(history_svg(data.history)) if data else Markup(""),
            linkhealth_human_time=human_time,
            linkhealth_where=self._where,
        )
