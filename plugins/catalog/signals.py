"""Signals of the catalog plugin.

``catalog_loaded`` is sent once per build, after the catalog is validated and
before any page is rendered, as ``catalog_loaded.send(catalog, settings=settings)``.
Receivers attach data to entries (``entry.health``, ``entry.github``); the theme
shows "not checked yet" / "not fetched yet" while those stay None.
"""

from blinker import signal

# A named signal in blinker's default namespace: the same object however this
# module is imported (Pelican loads plugins by path, other plugins by name).
catalog_loaded = signal("catalog_loaded")
