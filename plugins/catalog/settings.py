"""The plugin's one settings dict, ``CATALOG`` in pelicanconf.py, with defaults."""

from __future__ import annotations

from typing import Any

from linkcheck.settings import plugin_options

DEFAULTS: dict[str, Any] = {
    # Folder holding catalog/<section>.yaml; None means Pelican's PATH (content/).
    "content_dir": None,
    # Template rendered in place of each [catalog:SECTION] marker paragraph.
    "list_template": "partials/catalog_list.html",
    # Template rendered in place of each [catalog-more:SECTION] marker paragraph (the guide).
    "more_template": "partials/catalog_more.html",
    # Output path of sitemap.xml, or None; needs an absolute SITEURL (publishconf.py).
    "sitemap": None,
    # Output path of an Atom feed of the site's pages, or None; needs an absolute SITEURL.
    "feed": None,
    # Pairs of project ids shown side by side on generated pages, compare/<a>-vs-<b>.html with the
    # two in the order of their names, whatever the order given here (in the sitemap, linked from
    # both projects' entries); pelicanconf.py names the pairs readers ask for.
    "compare_pairs": (),
    # Template of one generated comparison page.
    "compare_template": "compare.html",
    # Template of a project's own page, projects/<id>.html (one per project, in the sitemap, linked
    # from its row on the projects page, its side-by-side pages and search results).
    "project_template": "project.html",
    # Treat catalog warnings (plain http:// ...) as errors that stop the build.
    "warnings_fatal": False,
}


def catalog_settings(pelican_settings: dict[str, Any]) -> dict[str, Any]:
    return plugin_options(pelican_settings, "CATALOG", DEFAULTS)
