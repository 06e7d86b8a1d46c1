"""The plugin's one settings dict, ``SEARCH`` in pelicanconf.py, with defaults."""

from __future__ import annotations

from typing import Any

from linkcheck.settings import plugin_options

DEFAULTS: dict[str, Any] = {
    # Output path of the search page, or None for no search at all (no page, no index, no
    # search field in the header).
    "page": "search.html",
    # Template of that page (theme/templates/<name>.html).
    "template": "search",
    # Folder of the output that receives Pagefind's bundle (index, fragments, pagefind.js).
    "bundle": "pagefind",
    # Parts of <main> never indexed (CSS selectors, Pagefind's --exclude-selectors): the site's
    # chrome (the links line, broken-link marks) and an entry's name line, which its record
    # already has as its heading. Elements marked data-pagefind-ignore are left out too;
    # Pagefind itself skips nav, form, script and the like.
    "exclude": [".page-links", "[data-linkhealth=mark]", ".entry-name"],
    # Written pages left out of the index besides the search page (paths in the output).
    "skip": [],
    # Seconds the Pagefind binary may take before the build stops with an error.
    "timeout": 120,
}


def search_settings(pelican_settings: dict[str, Any]) -> dict[str, Any]:
    return plugin_options(pelican_settings, "SEARCH", DEFAULTS)
