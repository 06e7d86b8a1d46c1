"""The links of a Markdown source: what the site's renderer puts on its page.

The site renders Markdown with Python-Markdown under Pelican's ``MARKDOWN`` setting.
The inventory renders each source the same way and takes the links from that HTML,
so a link is checked exactly when a reader can click it: in a nested list after a
blank line, in a raw HTML block, a table, a footnote, a reference definition with a
title -- whatever the renderer makes of the source, and nothing it leaves as text or
code. Formatted metadata fields (Pelican's ``FORMATTED_FIELDS``, ``Summary:`` by
default) are rendered as Pelican renders them.

**Settings** come from the site's Pelican settings file (``pelicanconf.py``, or the
file named by ``LINKCHECK_PELICAN_CONF``), read the way Pelican reads it: the file is
executed (``pelican.settings.get_settings_from_file``; it is Python), deprecated names
are converted, Pelican's defaults fill in ``MARKDOWN`` and ``FORMATTED_FIELDS`` when
the file leaves them out, and ``MARKDOWN`` is completed as Pelican's Markdown reader
completes it (every configured extension enabled, ``meta`` always). What the inventory
leaves out cannot add, remove or change a link, and halves the time: code highlighting
(``codehilite``, ``pymdownx.highlight``) runs without Pygments -- it only colours
code, and on a code-heavy site it is three quarters of the rendering time -- and
emphasis, heading ids, the table of contents and layout are skipped (``_links_only``).
``tests/inventory/test_markdown_corpus.py`` holds the inventory to Pelican's own reader.

**Lines**: each rendered link is looked up in the source where its URL is written
(after ``](``, ``<``, a quote or ``=``, or in a reference definition), so a reference
link reports its definition's line and a URL written in several places reports each
of them. When a URL is written in more places than it is rendered, places inside code
(spans or blocks, as the renderer made them) are passed over. A URL the renderer
changed past recognition (an entity inside it) keeps its file and no line.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown

from linkcheck.inventory.extract import Found, Kind, external_url, link_candidates, parse_html


class SettingsError(ValueError):
    """The site's Pelican settings cannot be read, or name a Markdown extension that cannot load."""


_HIGHLIGHTERS = ("codehilite", "pymdownx.highlight")


@dataclass(frozen=True)
class SiteMarkdown:
    """How the site renders Markdown: Python-Markdown's keyword arguments, and the
    metadata fields rendered as Markdown too."""

    options: Mapping[str, Any]
    formatted_fields: tuple[str, ...]
    origin: str  # the settings file, or "Pelican's defaults": for messages

    @classmethod
    def defaults(cls) -> SiteMarkdown:
        """What Pelican renders with no settings file."""
        from pelican.settings import DEFAULT_CONFIG

        return cls.from_settings(DEFAULT_CONFIG, "Pelican's defaults")

    @classmethod
    def read(cls, conf: Path) -> SiteMarkdown:
        """The ``MARKDOWN`` and ``FORMATTED_FIELDS`` settings of a Pelican settings file, read
        as Pelican reads it (the file is executed). Raises ``SettingsError``."""
        if not conf.is_file():
            raise SettingsError(f"{conf}: Pelican settings file not found (LINKCHECK_PELICAN_CONF names "
                                "the file the site is built with; the inventory renders Markdown with it)")
        from pelican.settings import get_settings_from_file, handle_deprecated_settings

        try:
            values = handle_deprecated_settings(get_settings_from_file(str(conf)))
        except (Exception, SystemExit) as exc:  # its own code failed (publishconf exits without SITEURL)
            raise SettingsError(f"{conf}: cannot read the site's Pelican settings: "
                                f"{type(exc).__name__}: {exc}") from exc
        return cls.from_settings(values, str(conf))

    @classmethod
    def from_settings(cls, values: Mapping[str, Any], origin: str) -> SiteMarkdown:
        from pelican.settings import DEFAULT_CONFIG

        given = values.get("MARKDOWN") or DEFAULT_CONFIG["MARKDOWN"]
        if not isinstance(given, Mapping):
            raise SettingsError(f"{origin}: MARKDOWN must be a dict of Python-Markdown settings")
        options = dict(given)
        configs = {name: dict(config) for name, config in (options.get("extension_configs") or {}).items()}
        extensions = list(options.get("extensions") or [])
        # as pelican.readers.MarkdownReader completes it
        extensions += [name for name in configs if name not in extensions]
        if "markdown.extensions.meta" not in extensions:
            extensions.append("markdown.extensions.meta")
        for ext in extensions:  # highlighting colours code and never adds a link: skip its cost
            if isinstance(ext, str) and any(h in ext for h in _HIGHLIGHTERS):
                configs.setdefault(ext, {})["use_pygments"] = False
            elif any(h in type(ext).__module__ for h in _HIGHLIGHTERS) and hasattr(ext, "setConfig"):
                ext.setConfig("use_pygments", False)
        options.update(extensions=extensions, extension_configs=configs)
        fields = values.get("FORMATTED_FIELDS", DEFAULT_CONFIG["FORMATTED_FIELDS"]) or ()
        return cls(options, tuple(str(f).lower() for f in fields), origin)


class MarkdownLinks:
    """Renders Markdown sources with the site's settings and lists their links.

    One Python-Markdown instance serves every file (``reset()`` between files, as its
    extensions expect); building one per file, as Pelican does, costs more than
    rendering a short page. Not thread-safe: one per thread."""

    def __init__(self, site: SiteMarkdown) -> None:
        self.site = site
        try:
            self._md = markdown.Markdown(**site.options)
            self._fields = markdown.Markdown(**site.options) if site.formatted_fields else None
        except Exception as exc:  # an extension that is not installed, a bad option
            raise SettingsError(f"{site.origin}: MARKDOWN cannot be used: "
                                f"{type(exc).__name__}: {exc}") from exc
        if self._fields is not None and "meta" in self._fields.preprocessors:
            self._fields.preprocessors.deregister("meta")  # as Pelican renders a formatted field
        for md in (self._md, self._fields):
            if md is not None:
                _links_only(md)

    def render(self, text: str) -> list[str]:
        """The HTML the site makes of ``text``: the content, then each formatted metadata field."""
        md = self._md.reset()
        parts = [md.convert(text)]
        meta: dict[str, list[str]] = getattr(md, "Meta", None) or {}
        if self._fields is not None:
            for name, value in meta.items():
                if name.lower() in self.site.formatted_fields:
                    parts.append(self._fields.reset().convert("\n".join(value)))
        return parts

    def extract(self, text: str) -> list[Found]:
        """Every link the checker judges on the rendered page, with the line it is written on."""
        rendered: list[tuple[str, str, Kind]] = []  # (URL to check, value as rendered, kind)
        trees = []
        for html in self.render(text):
            root = parse_html(html)
            if root is None:
                continue
            trees.append(root)
            for _element, values in link_candidates(root):
                for candidate, kind in values:
                    url = external_url(candidate)
                    if url:
                        rendered.append((url, candidate.strip(), kind))
        if not rendered:
            return []
        return _locate(text, rendered, lambda: _code_texts(trees))


# Python-Markdown's own inline patterns (core, extra, footnotes): what starts a match of each is known.
_KNOWN_PATTERNS = frozenset({
    "backtick", "escape", "reference", "link", "image_link", "image_reference", "short_reference",
    "short_image_ref", "autolink", "automail", "linebreak", "html", "entity", "not_strong", "em_strong",
    "em_strong2", "strong_em", "strong", "emphasis", "emphasis2", "footnote", "abbr",
})
_EMPHASIS = frozenset({"em_strong", "em_strong2", "not_strong", "strong_em", "strong", "emphasis",
                       "emphasis2"})
# Text none of the known patterns can match: no code, escape, link, tag, entity, line break, emphasis.
_INLINE_START = re.compile(r"[`\\\[<&*_]|  \n")
# Tree steps that only lay out what is there: ids and a table of contents of internal links,
# newlines between blocks.
_LAYOUT_ONLY = ("toc", "prettify")


class _PlainText(markdown.treeprocessors.Treeprocessor):
    """Marks text no inline pattern can match as done (``AtomicString``), so the inline step,
    most of the rendering time, does not try every pattern on it for nothing."""

    def run(self, root: Any) -> None:
        atomic = markdown.util.AtomicString
        for el in root.iter():
            text, tail = el.text, el.tail
            if text and not isinstance(text, atomic) and not _INLINE_START.search(text):
                el.text = atomic(text)
            if tail and not isinstance(tail, atomic) and not _INLINE_START.search(tail):
                el.tail = atomic(tail)


def _links_only(md: markdown.Markdown) -> None:
    """Make ``md`` skip work that cannot add, remove or change a link (a third of the time):

    - emphasis, when it is the last inline pattern to run: patterns run in priority order
      and a pattern's match is only handed to the patterns after it, so links come out the
      same with or without it;
    - laying out: heading ids and ``[TOC]`` (links to the page itself), newlines;
    - trying inline patterns on text where none of them can match, when every pattern is
      one of Python-Markdown's own (an extension's pattern may start anywhere);
    - looking each pattern up in the registry, by priority, for every piece of text: the
      inline step gets the same patterns in the same order as a plain list.
    """
    patterns = md.inlinePatterns._priority  # the registry's (name, priority) items
    emphasis = [item for item in patterns if item.name in _EMPHASIS]
    if emphasis:
        highest = max(item.priority for item in emphasis)
        if all(item.priority > highest for item in patterns if item.name not in _EMPHASIS):
            for item in emphasis:
                md.inlinePatterns.deregister(item.name)
    for name in _LAYOUT_ONLY:
        if name in md.treeprocessors:
            md.treeprocessors.deregister(name)
    inline = next((item for item in md.treeprocessors._priority if item.name == "inline"), None)
    if inline is not None and all(item.name in _KNOWN_PATTERNS for item in md.inlinePatterns._priority):
        md.treeprocessors.register(_PlainText(md), "linkcheck-plain-text", inline.priority + 0.5)
    if inline is not None:
        md.treeprocessors[inline.name].inlinePatterns = list(md.inlinePatterns)


# ------------------------------------------------------------------ lines
_URL_ENDS = frozenset(")>\"' \t\r\n")  # what follows a URL as written: the end of its destination
_STRONG_BEFORE = frozenset("(<\"'=")  # an inline destination, an autolink, an attribute value
_REF_DEF_START = re.compile(r" {0,3}\[[^\]\n]+\]:[ \t]*<?")  # "[label]: " before a URL
_REF_LABEL_LINE = re.compile(r" {0,3}\[[^\]\n]+\]:[ \t]*")  # "[label]:" alone, the URL on the next line


def _code_texts(trees: Iterable[Any]) -> list[tuple[str, bool]]:
    """The code the renderer made: (text, is a block) for every ``<code>``."""
    return [("".join(code.itertext()), code.getparent() is not None and code.getparent().tag == "pre")
            for root in trees for code in root.iter("code")]


def _locate(text: str, rendered: list[tuple[str, str, Kind]], code: Any) -> list[Found]:
    """Give each rendered link the line where its URL is written; in source order."""
    wanted = Counter(raw for _, raw, _ in rendered)
    places: dict[str, list[int]] = {}
    code_texts: list[tuple[str, bool]] | None = None
    for raw, times in wanted.items():
        written = _written_at(text, raw)
        if len(written) > times:  # written more often than rendered: some are in code
            if code_texts is None:
                code_texts = code()
            inside = [(c, block) for c, block in code_texts if raw in c]
            if inside:
                kept = [p for p in written if not _in_code(text, p, inside)]
                written = kept + [p for p in written if p not in kept]
        places[raw] = written
    used: Counter[str] = Counter()
    located: list[tuple[int, str, Kind]] = []
    for url, raw, kind in rendered:
        written = places[raw]
        position = written[min(used[raw], len(written) - 1)] if written else -1
        used[raw] += 1
        located.append((position, url, kind))
    located.sort(key=lambda item: item[0])
    found: dict[Found, None] = {}
    line, counted = 1, 0
    for position, url, kind in located:  # in source order: count newlines once over the text
        if position >= 0:
            line += text.count("\n", counted, position)
            counted = position
        found[Found(url, line if position >= 0 else None, kind)] = None
    return list(found)


def _written_at(text: str, raw: str) -> list[int]:
    """Where ``raw`` is written as a link's URL: in a link's place first (after "](", "<",
    a quote, "=", or in a reference definition), else anywhere it stands alone."""
    strong: list[int] = []
    weak: list[int] = []
    forms = [raw, raw.replace("&", "&amp;")] if "&" in raw else [raw]
    for form in forms:
        start = 0
        while (p := text.find(form, start)) >= 0:
            start = p + 1
            end = p + len(form)
            if end < len(text) and text[end] not in _URL_ENDS:
                continue  # the start of a longer URL
            before = text[p - 1] if p else "\n"
            if before in _STRONG_BEFORE or _after_ref_label(text, p):
                strong.append(p)
            elif before in " \t\n":
                weak.append(p)
    found = sorted(strong) or sorted(weak)
    return found or _written_loosely(text, raw)


def _after_ref_label(text: str, p: int) -> bool:
    line_start = text.rfind("\n", 0, p) + 1
    if _REF_DEF_START.fullmatch(text, line_start, p):
        return True
    if text[line_start:p].strip():
        return False
    previous = text.rfind("\n", 0, max(0, line_start - 1)) + 1
    return line_start > 0 and _REF_LABEL_LINE.fullmatch(text, previous, line_start - 1) is not None


def _written_loosely(text: str, raw: str) -> list[int]:
    """The URL written with Markdown escapes (``a\\_b``) or entities (``&#38;``) the renderer removed."""
    parts = []
    for ch in raw:
        if ch == "&":
            parts.append(r"(?:&|&amp;|&#0*38;|&#[xX]0*26;)")
        elif ch.isascii() and not ch.isalnum() and not ch.isspace():
            parts.append(r"\\?" + re.escape(ch))
        else:
            parts.append(re.escape(ch))
    return [m.start() for m in re.finditer("".join(parts), text)]


def _in_code(text: str, p: int, code: list[tuple[str, bool]]) -> bool:
    """The place ``p`` lies inside code the renderer made: a line of a code block (the
    whole line), or a code span (between backticks on the line)."""
    line_start = text.rfind("\n", 0, p) + 1
    line_end = text.find("\n", p)
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    for snippet, block in code:
        for piece in snippet.split("\n") if block else [snippet]:
            piece = piece.strip()
            if not piece:
                continue
            if block:
                if line.strip() == piece:
                    return True
                continue
            q = line.find(piece)
            while q >= 0:
                end = q + len(piece)
                if (line_start + q <= p < line_start + end and line[:q].rstrip(" ").endswith("`")
                        and line[end:].lstrip(" ").startswith("`")):
                    return True
                q = line.find(piece, q + 1)
    return False
