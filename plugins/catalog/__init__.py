"""Pelican plugin: the task-queue catalog.

Loads and validates ``content/catalog/*.yaml`` (see ``linkcheck.catalog``), fails
the build with ``file:line: message (how to fix)`` on bad entries, logs warnings,
puts the catalog into the template context, renders ``[catalog:SECTION]`` marker
paragraphs of pages as entry lists, and writes ``sitemap.xml`` and an Atom feed
of the pages when configured. Settings: one ``CATALOG`` dict, see ``settings.py``.
"""

from pelican import signals as pelican_signals

from .generator import CatalogGenerator
from .signals import catalog_loaded

__all__ = ["CatalogGenerator", "catalog_loaded", "register"]


def _get_generators(pelican_object):
    return CatalogGenerator


def register() -> None:
    pelican_signals.get_generators.connect(_get_generators)
