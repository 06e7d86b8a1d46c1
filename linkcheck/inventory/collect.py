"""The inventory: every distinct external URL in the given sources and where it appears.

A source is an HTML or Markdown file, a directory (the built ``output/`` or
``content/``, walked for ``.html``/``.md`` files; a ``catalog/`` folder inside it
is read through ``linkcheck.catalog``), a catalog YAML file, or a URL (checked
as is, its page is not crawled). Each URL is kept once, as written, with every
``Location`` it was found at; a URL written with credentials (``user:password@``)
is kept with them masked (``https://***@host/``) and marked, for ``check`` and
``lint-content`` to name where it is written. Markdown sources are rendered as the
site renders them (``linkcheck.inventory.markdown``, with the site's Pelican settings file).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from linkcheck.engine.page import decode
from linkcheck.inventory.extract import HTML_SUFFIXES, MARKDOWN_SUFFIXES, Found, external_url, extract_html
from linkcheck.model import Link, Location
from linkcheck.redact import mask_userinfo

if TYPE_CHECKING:
    from linkcheck.catalog import Entry
    from linkcheck.inventory.markdown import MarkdownLinks

YAML_SUFFIXES = frozenset({".yaml", ".yml"})
# Folders never worth walking: VCS, caches, virtualenvs, dependencies.
_SKIP_DIRS = {".git", ".hg", ".svn", "__pycache__", ".venv", "venv", "node_modules", ".tox",
              ".pytest_cache", ".ruff_cache"}


class SourceError(ValueError):
    """A source that cannot be read: a missing path or an unsupported file type."""


def is_url_source(source: str | Path) -> bool:
    return isinstance(source, str) and source.lower().startswith(("http://", "https://"))


class _Inventory:
    def __init__(self, root: Path, pelican_conf: Path | None) -> None:
        self.root = root
        self.pelican_conf = pelican_conf
        self.links: dict[str, Link] = {}
        self._seen: dict[str, set[Location]] = {}
        self._markdown: MarkdownLinks | None = None

    def add(self, url: str, location: Location | None, kind: str = "link") -> None:
        masked = mask_userinfo(url)  # a secret in the content goes no further: not stored, shown or sent
        url, credentials = masked, masked != url
        link = self.links.get(url)
        if link is None:
            link = self.links[url] = Link(url, [], kind, credentials)  # type: ignore[arg-type]
            self._seen[url] = set()
        if location is not None and location not in self._seen[url]:
            self._seen[url].add(location)
            link.locations.append(location)

    def rel(self, path: Path) -> str:
        """``path`` relative to the root when inside it, else absolute (always with /)."""
        absolute = path.resolve()
        try:
            return absolute.relative_to(self.root).as_posix()
        except ValueError:
            return absolute.as_posix()

    # ------------------------------------------------------------- sources
    def add_file(self, path: Path, page: str | None, source: str | None = None) -> None:
        try:
            text = decode(path.read_bytes(), None)  # its BOM or declared charset, as a browser reads it
        except OSError as exc:
            raise SourceError(f"{path}: cannot read ({exc.strerror or exc})") from exc
        source = source or self.rel(path)
        for found in self.extract(text, path):
            self.add(found.url, Location(source, found.line, page), found.kind)

    def extract(self, text: str, path: Path) -> list[Found]:
        if path.suffix.lower() in HTML_SUFFIXES:
            return extract_html(text)
        return self.markdown().extract(text)

    def markdown(self) -> MarkdownLinks:
        """The site's Markdown renderer, set up on the first Markdown source (Pelican is
        imported and its settings file executed only for runs that have one)."""
        if self._markdown is None:
            from linkcheck.inventory.markdown import MarkdownLinks, SettingsError, SiteMarkdown

            try:
                site = SiteMarkdown.read(self.pelican_conf) if self.pelican_conf else SiteMarkdown.defaults()
                self._markdown = MarkdownLinks(site)
            except SettingsError as exc:
                raise SourceError(str(exc)) from exc
        return self._markdown

    def add_entries(self, entries: Iterable[Entry]) -> None:
        for entry in entries:
            source = self.rel(Path(entry.path))
            for item in entry.link_items():
                url = external_url(item.url)
                if url:
                    self.add(url, Location(source, item.line, None, entry.id, item.fact))

    def add_catalog(self, content_dir: Path, only: Path | None = None) -> None:
        # imported here: the catalog pulls in YAML and Markdown, which plain HTML runs never need
        from linkcheck.catalog import CatalogError, load_catalog

        try:
            catalog = load_catalog(content_dir)
        except CatalogError as exc:
            raise SourceError(str(exc)) from exc
        entries = catalog.entries
        if only is not None:
            entries = [e for e in entries if Path(e.path).resolve() == only.resolve()]
        self.add_entries(entries)

    def add_directory(self, directory: Path) -> None:
        catalog_dir = directory / "catalog"
        has_catalog = catalog_dir.is_dir() and any(
            p.suffix in YAML_SUFFIXES for p in catalog_dir.iterdir()
        )
        if has_catalog:
            self.add_catalog(directory)
        elif directory.name == "catalog" and any(p.suffix in YAML_SUFFIXES for p in directory.iterdir()):
            self.add_catalog(directory.parent)
        files: list[Path] = []
        for dirpath, dirnames, filenames in os.walk(directory):
            # sorted, so locations come out in a stable order run after run
            dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS and not d.startswith("."))
            for name in sorted(filenames):
                suffix = os.path.splitext(name)[1].lower()
                if suffix in HTML_SUFFIXES or suffix in MARKDOWN_SUFFIXES:
                    files.append(Path(dirpath, name))
        base = self.rel(directory)  # resolved once, not for every file
        for path in files:
            inside = path.relative_to(directory).as_posix()
            # the built page's URL path, e.g. "task-queues.html" (HTML under a site dir only)
            page = inside if path.suffix.lower() in HTML_SUFFIXES else None
            self.add_file(path, page, inside if base == "." else f"{base}/{inside}")

    def add_source(self, source: str | Path) -> None:
        if is_url_source(source):
            url = external_url(str(source))
            if url is None:
                raise SourceError(f"{source}: not a valid http(s) URL")
            self.add(url, None)
            return
        path = Path(source)
        if not path.exists():
            raise SourceError(f"{source}: no such file or directory")
        if path.is_dir():
            self.add_directory(path)
            return
        suffix = path.suffix.lower()
        if suffix in HTML_SUFFIXES:
            self.add_file(path, path.name)
        elif suffix in MARKDOWN_SUFFIXES:
            self.add_file(path, None)
        elif suffix in YAML_SUFFIXES and path.resolve().parent.name == "catalog":
            self.add_catalog(path.resolve().parent.parent, only=path)
        else:
            raise SourceError(
                f"{source}: unsupported file type {suffix or '(none)'!r}; give an HTML or Markdown"
                " file, a catalog YAML file, a directory or an http(s) URL"
            )


def credential_warnings(links: dict[str, Link]) -> list[str]:
    """One ``file:line: ...`` line for every place a link is written with credentials."""
    lines = []
    for url, link in links.items():
        if link.credentials:
            for where in link.locations or [None]:
                shown = where.describe() if where is not None else "(given on the command line)"
                lines.append(f"{shown}: a link carries credentials ({url}): they are never checked, "
                             "stored or shown; remove them from the content")
    return lines


def collect(sources: Iterable[str | Path], *, root: Path | None = None,
            pelican_conf: Path | None = None) -> dict[str, Link]:
    """Every distinct external URL in ``sources``, keyed by URL as written.

    Locations name source files relative to ``root`` (default: the current
    directory). Markdown is rendered with the ``MARKDOWN`` setting of the Pelican
    settings file ``pelican_conf`` (None: Pelican's defaults). Raises ``SourceError``
    for a missing or unreadable source, or settings that cannot be read.
    """
    inventory = _Inventory((root or Path.cwd()).resolve(), pelican_conf)
    for source in sources:
        inventory.add_source(source)
    return inventory.links
