"""The catalog: load and validate the YAML entry files in ``content/catalog/``.

Pure Python, no Pelican import: the site plugin, the link collector and the
GitHub refresher all read the catalog through ``load_catalog``. Fatal problems
raise ``CatalogError`` naming the file and line and saying how to fix them;
lesser ones (plain ``http://``) are collected in ``Catalog.warnings``.

File format (one file per section, e.g. ``content/catalog/projects.yaml``)::

    - name: Celery
      url: https://docs.celeryq.dev/
      repo: https://github.com/celery/celery     # optional
      description: The Celery distributed task queue ...   # inline Markdown
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import markdown
import yaml

# Section name -> heading used on the site. The order is the order of the site.
SECTIONS: dict[str, str] = {
    "projects": "Task queue projects",
    "hosted": "Hosted message and task queue services",
    "examples": "Open source examples that use task queues",
    "resources": "Task queue resources",
}
REQUIRED_FIELDS: tuple[str, ...] = ("name", "url", "description")
OPTIONAL_FIELDS: tuple[str, ...] = ("id", "repo")
ALLOWED_FIELDS: tuple[str, ...] = REQUIRED_FIELDS + OPTIONAL_FIELDS

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_GITHUB_REPO_RE = re.compile(r"^https://github\.com/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(?:\.git)?/?$")
# Link targets in rendered description HTML (inline links, images, references, autolinks).
_HREF_RE = re.compile(r'\b(?:href|src)="([^"]*)"')
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class CatalogWarning:
    path: Path
    line: int
    message: str
    display_path: str = ""

    def __str__(self) -> str:
        return f"{self.display_path or self.path}:{self.line}: {self.message}"


class CatalogError(Exception):
    """A fatal catalog problem: ``str()`` is ``"path:line: message (how to fix)"``."""

    def __init__(self, path: Path, line: int, message: str, fix: str = "", display_path: str = "") -> None:
        self.path = path
        self.line = line
        self.message = message
        self.fix = fix
        self.display_path = display_path or str(path)
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"{self.display_path}:{self.line}: {self.message}"
        return f"{text} ({self.fix})" if self.fix else text


@dataclass(eq=False)
class Entry:
    id: str
    section: str
    name: str
    url: str
    description: str
    repo: str | None
    path: Path
    line: int
    field_lines: dict[str, int] = field(default_factory=dict)
    # Filled by other plugins through the catalog_loaded signal; None = no data yet.
    health: dict[str, Any] | None = None
    github: dict[str, Any] | None = None

    @property
    def github_repo(self) -> str | None:
        if not self.repo:
            return None
        match = _GITHUB_REPO_RE.match(self.repo)
        return f"{match.group(1)}/{match.group(2)}" if match else None

    @property
    def description_html(self) -> str:
        return render_inline(self.description)

    def description_links(self) -> list[str]:
        return [html.unescape(url) for url in _HREF_RE.findall(self.description_html)]

    def links(self) -> list[str]:
        """Every external URL this entry carries: url, repo, links in the description."""
        urls = [self.url] + ([self.repo] if self.repo else []) + self.description_links()
        return list(dict.fromkeys(urls))

    def __repr__(self) -> str:
        return f"Entry({self.id!r}, section={self.section!r}, url={self.url!r})"


@dataclass
class Catalog:
    entries: list[Entry] = field(default_factory=list)
    warnings: list[CatalogWarning] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    def section(self, name: str) -> list[Entry]:
        if name not in SECTIONS:
            raise KeyError(f"unknown catalog section {name!r}; known: {', '.join(SECTIONS)}")
        return [e for e in self.entries if e.section == name]

    def get(self, entry_id: str) -> Entry | None:
        return next((e for e in self.entries if e.id == entry_id), None)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


def render_inline(text: str) -> str:
    """Inline Markdown to HTML with every HTML special character of the source escaped.

    Escaping first means raw HTML in a description shows as text, never as markup.
    """
    rendered = _render_block(text)
    if rendered.startswith("<p>") and rendered.endswith("</p>"):
        rendered = rendered[3:-4]
    return rendered


def _render_block(text: str) -> str:
    return markdown.markdown(html.escape(text, quote=False), output_format="html")


def is_inline(text: str) -> bool:
    """True when ``text`` renders as one paragraph (no list, heading, quote or code block)."""
    rendered = _render_block(text)
    return rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1


def normalize_url(url: str) -> str:
    """The identity of a page for duplicate detection.

    Ignores scheme, a leading ``www.``, a default port, a trailing slash and the fragment.
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    host = host.removeprefix("www.")
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is not None and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"{host}:{port}"
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


class _FileLoader:
    """Validates one section file; shares duplicate bookkeeping with the other files."""

    def __init__(self, path: Path, content_dir: Path, section: str, catalog: Catalog,
                 seen_urls: dict[str, Entry], seen_ids: dict[str, Entry], seen_names: dict[str, Entry]):
        self.path = path
        self.content_dir = content_dir
        self.display = _display_path(path, content_dir)
        self.section = section
        self.catalog = catalog
        self.seen_urls = seen_urls
        self.seen_ids = seen_ids
        self.seen_names = seen_names

    def error(self, line: int, message: str, fix: str) -> CatalogError:
        return CatalogError(self.path, line, message, fix, display_path=self.display)

    def warn(self, line: int, message: str) -> None:
        self.catalog.warnings.append(CatalogWarning(self.path, line, message, display_path=self.display))

    def where(self, entry: Entry) -> str:
        return f"{_display_path(entry.path, self.content_dir)}:{entry.line}"

    def load(self) -> None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise self.error(1, f"not valid UTF-8 ({exc.reason})", "save the file as UTF-8") from exc
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            # An unclosed bracket or quote is noticed at the end of the file; point at its start.
            if exc.context_mark and (mark is None or mark.line >= len(text.splitlines())):
                mark = exc.context_mark
            line = mark.line + 1 if mark else 1
            problem = " ".join(str(p) for p in (exc.context, exc.problem) if p)
            fix = "check indentation and quote values that contain ': ' or start with '['"
            raise self.error(line, f"malformed YAML: {problem}", fix) from exc
        if root is None:
            self.warn(1, f"empty catalog file: section {self.section!r} has no entries")
            return
        if not isinstance(root, yaml.SequenceNode):
            raise self.error(_line(root), "expected a list of entries",
                             "start each entry with '- name: ...' at the left margin")
        for item in root.value:
            self.catalog.entries.append(self.entry(item))

    def entry(self, node: yaml.Node) -> Entry:
        line = _line(node)
        if not isinstance(node, yaml.MappingNode):
            raise self.error(line, "an entry must be a mapping of fields",
                             "write 'name:', 'url:' and 'description:' on their own indented lines")
        values: dict[str, str] = {}
        lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            key_line = _line(key_node)
            if not isinstance(key_node, yaml.ScalarNode) or key not in ALLOWED_FIELDS:
                hint = difflib.get_close_matches(key, ALLOWED_FIELDS, n=1)
                fix = f"did you mean '{hint[0]}'? " if hint else ""
                raise self.error(key_line, f"unknown field {key!r}",
                                 f"{fix}allowed fields: {', '.join(ALLOWED_FIELDS)}")
            if key in values:
                raise self.error(key_line, f"field {key!r} appears twice in this entry (first at line "
                                 f"{lines[key]})", "keep one of the two")
            values[key] = self.text(key, value_node)
            lines[key] = key_line
        for name in REQUIRED_FIELDS:
            if name not in values:
                raise self.error(line, f"entry is missing the required field {name!r}",
                                 f"add '{name}: ...' to the entry; required: {', '.join(REQUIRED_FIELDS)}")

        entry_id = values.get("id") or slugify(values["name"])
        if not _ID_RE.match(entry_id):
            raise self.error(lines.get("id", line), f"id {entry_id!r} is not a slug",
                             "use lower-case letters, digits and single hyphens, e.g. 'rq'")
        entry = Entry(id=entry_id, section=self.section, name=values["name"], url=values["url"],
                      description=values["description"], repo=values.get("repo"), path=self.path,
                      line=line, field_lines=lines)
        if not is_inline(entry.description):
            raise self.error(lines["description"], "description must be one paragraph of inline Markdown",
                             "remove the leading '-', '#', '>' or indentation that starts a list, heading, "
                             "quote or code block")
        self.check_url(entry, "url", entry.url)
        if entry.repo is not None:
            self.check_url(entry, "repo", entry.repo)
            if not _GITHUB_REPO_RE.match(entry.repo):
                raise self.error(lines["repo"], f"repo {entry.repo!r} is not a GitHub repository URL",
                                 "use https://github.com/OWNER/NAME, or leave 'repo' out")
        for link in entry.description_links():
            self.check_url(entry, "description", link)
        self.check_duplicates(entry)
        return entry

    def text(self, key: str, node: yaml.Node) -> str:
        line = _line(node)
        if not isinstance(node, yaml.ScalarNode):
            raise self.error(line, f"field {key!r} must be text, not a list or mapping",
                             "write the value on one line after the colon, or use '>-' for long text")
        if node.tag == "tag:yaml.org,2002:null" or not str(node.value).strip():
            raise self.error(line, f"field {key!r} is empty", f"give '{key}' a value or remove the line")
        if node.tag != "tag:yaml.org,2002:str":
            raise self.error(line, f"field {key!r} must be text, got {node.value!r}",
                             f"put the value in quotes: {key}: \"{node.value}\"")
        # Folded or multi-line text: the site renders it as one paragraph anyway.
        return " ".join(str(node.value).split())

    def check_url(self, entry: Entry, key: str, url: str) -> None:
        line = entry.field_lines.get(key, entry.line)
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise self.error(line, f"{key} {url!r} is not an http(s) URL",
                             "catalog links must start with https:// (or http://)")
        if not parts.hostname or any(ch.isspace() for ch in url):
            raise self.error(line, f"{key} {url!r} is not a valid URL", "write a full URL like https://example.org/")
        try:
            parts.port  # noqa: B018 -- raises on a malformed port
        except ValueError as exc:
            raise self.error(line, f"{key} {url!r} has an invalid port", "fix or remove the port") from exc
        if scheme == "http":
            self.warn(line, f"{key} uses plain http:// ({url}); switch to https:// if the site supports it")

    def check_duplicates(self, entry: Entry) -> None:
        other = self.seen_ids.get(entry.id)
        if other is not None:
            field_name = "id" if "id" in entry.field_lines else "name"
            raise self.error(entry.field_lines.get(field_name, entry.line),
                             f"duplicate id {entry.id!r}: already used by entry at {self.where(other)}",
                             "merge the two entries, or give this one a distinct 'id:'")
        key = entry.name.casefold()
        other = self.seen_names.get(key)
        if other is not None:
            raise self.error(entry.field_lines["name"],
                             f"duplicate entry: name {entry.name!r} is already used at {self.where(other)}",
                             "merge the two entries into one, combining their descriptions")
        own: set[str] = set()
        for field_name in ("url", "repo"):
            url = getattr(entry, field_name)
            if not url:
                continue
            norm = normalize_url(url)
            other = self.seen_urls.get(norm)
            if other is not None and other is not entry:
                raise self.error(
                    entry.field_lines[field_name],
                    f"duplicate entry: {field_name} {url} is the same page as entry {other.id!r} at "
                    f"{self.where(other)} (compared ignoring scheme, www., default port, trailing slash "
                    "and fragment)",
                    "merge the two entries into one, combining their descriptions, or remove this one",
                )
            own.add(norm)
        for norm in own:
            self.seen_urls[norm] = entry
        self.seen_ids[entry.id] = entry
        self.seen_names[key] = entry


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _display_path(path: Path, content_dir: Path) -> str:
    # Shown relative to the project (content dir's parent), e.g. content/catalog/projects.yaml
    try:
        return str(path.relative_to(content_dir.parent))
    except ValueError:
        return str(path)


def load_catalog(content_dir: Path) -> Catalog:
    """Read ``content_dir/catalog/<section>.yaml`` for every section, validated.

    Raises CatalogError on the first fatal problem; warnings are in ``Catalog.warnings``.
    """
    content_dir = Path(content_dir)
    catalog_dir = content_dir / "catalog"
    catalog = Catalog()
    if not catalog_dir.is_dir():
        files = ", ".join(f"{s}.yaml" for s in SECTIONS)
        raise CatalogError(catalog_dir, 0, "catalog folder not found",
                           f"create it with one YAML file per section: {files}",
                           display_path=_display_path(catalog_dir, content_dir))
    for path in sorted(catalog_dir.iterdir()):
        if path.suffix in (".yaml", ".yml") and path.stem not in SECTIONS:
            raise CatalogError(path, 1, f"unknown catalog section file {path.name!r}",
                               "rename it to one of: " + ", ".join(f"{s}.yaml" for s in SECTIONS),
                               display_path=_display_path(path, content_dir))
    seen_urls: dict[str, Entry] = {}
    seen_ids: dict[str, Entry] = {}
    seen_names: dict[str, Entry] = {}
    for section in SECTIONS:
        path = catalog_dir / f"{section}.yaml"
        if not path.exists() and (catalog_dir / f"{section}.yml").exists():
            path = catalog_dir / f"{section}.yml"
        display = _display_path(path, content_dir)
        if not path.exists():
            catalog.warnings.append(CatalogWarning(path, 0, f"no catalog file: section {section!r} is empty",
                                                   display_path=display))
            continue
        catalog.files.append(path)
        _FileLoader(path, content_dir, section, catalog, seen_urls, seen_ids, seen_names).load()
    return catalog
