"""The catalog: the YAML entry files in ``content/catalog/``, validated, as Python objects.

The one model both the site plugins and the link checker import:

- ``schema``: sections, fields, project groups, fact keys and enum values;
- ``model``: ``Entry`` (typed fields, ``facts: dict[str, Fact]``, ``links()``),
  ``Fact``, ``Catalog``, ``project_groups`` and ``resource_topics``;
- ``load``: ``load_catalog(content_dir)``, which raises ``CatalogError``
  ("path:line: message (how to fix)") on the first problem.

Pure Python, no Pelican import. The authoring guide is docs/catalog.md.
"""

from linkcheck.catalog.load import did_you_mean, load_catalog
from linkcheck.catalog.model import (
    PLAIN_HTTP,
    Catalog,
    CatalogError,
    CatalogWarning,
    Entry,
    EntryLink,
    Fact,
    Group,
    is_inline,
    is_plain,
    normalize_pypi,
    normalize_url,
    project_groups,
    render_inline,
    resource_topics,
    slugify,
)
from linkcheck.catalog.schema import GROUPS, SECTIONS

__all__ = [
    "GROUPS", "PLAIN_HTTP", "SECTIONS", "Catalog", "CatalogError", "CatalogWarning",
    "Entry", "EntryLink", "Fact", "Group", "did_you_mean", "is_inline", "is_plain", "load_catalog",
    "normalize_pypi", "normalize_url", "project_groups", "render_inline", "resource_topics", "slugify",
]
