"""Writes the link-health page from the snapshot the plugin loaded."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from markupsafe import Markup
from pelican.generators import Generator

from .chart import history_svg
from .data import HealthData, human_time


class LinkHealthGenerator(Generator):
    data: HealthData | None = None  # set by the plugin before generators run
    options: dict[str, Any] = {}

    def generate_context(self) -> None:
        self.context["linkhealth_page"] = self.options.get("page")

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
        )
