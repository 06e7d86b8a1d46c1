"""Load and validate ``content/catalog/<section>.yaml`` into a ``Catalog``.

Every rule of docs/catalog.md is checked here. Fatal problems raise
``CatalogError`` naming the file and line and saying how to fix them (with a
did-you-mean for misspelt fields, groups and enum values); lesser ones (plain
``http://``) are collected in ``Catalog.warnings``.
"""

from __future__ import annotations

import contextlib
import difflib
import re
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from linkcheck.catalog.model import (
    GITHUB_REPO_RE,
    PLAIN_HTTP,
    Catalog,
    CatalogError,
    CatalogWarning,
    Entry,
    Fact,
    is_inline,
    is_plain,
    normalize_pypi,
    normalize_url,
    slugify,
)
from linkcheck.catalog.schema import (
    BOOLEAN_FACTS,
    FACT_FIELDS,
    FIRST_YEAR,
    GROUPS,
    KIND_FACTS,
    LIST_FACTS,
    NOTE_MAX,
    PART_OF_MAX,
    PARTIAL,
    RESOURCE_TOPICS,
    RESOURCE_TYPES,
    SECTION_FACTS,
    SECTION_REQUIRED,
    SECTIONS,
    STATUSES,
    SUMMARY_MAX,
    allowed_fields,
    fact_label,
    ruled_out_by,
)

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# libyaml's parser when PyYAML has it (the pure-Python one was a quarter of a site build); both
# give the same nodes and line marks.
_LIBYAML = getattr(yaml, "CSafeLoader", None)
# Bounds a hand-written catalog never reaches and hostile input always does.
MAX_FILE_BYTES = 2_000_000
MAX_NESTING = 8
MAX_TEXT_CHARS = 4_000
MAX_MARKUP_CHARS = 200
# Bidi overrides/isolates/marks and zero-width characters ("Trojan Source" text).
_HIDDEN = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
# Fields whose value is kept as a YAML node and checked by its own method.
_NODE_FIELDS = frozenset({"facts", "added", "year"})


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """"did you mean 'x'? " for the closest choice, or "" when nothing is close."""
    hint = difflib.get_close_matches(word.lower(), list(choices), n=1)
    return f"did you mean '{hint[0]}'? " if hint else ""


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
        self.allowed = allowed_fields(section)

    def error(self, line: int, message: str, fix: str) -> CatalogError:
        return CatalogError(self.path, line, message, fix, display_path=self.display)

    def warn(self, line: int, message: str, kind: str = "") -> None:
        self.catalog.warnings.append(CatalogWarning(self.path, line, message, display_path=self.display,
                                                    kind=kind))

    def where(self, entry: Entry) -> str:
        return f"{_display_path(entry.path, self.content_dir)}:{entry.line}"

    def load(self) -> None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise self.error(1, f"not valid UTF-8 ({exc.reason})", "save the file as UTF-8") from exc
        root = self.parse(text)
        if root is None:
            self.warn(1, f"empty catalog file: section {self.section!r} has no entries")
            return
        if not isinstance(root, yaml.SequenceNode):
            raise self.error(_line(root), "expected a list of entries",
                             "start each entry with '- name: ...' at the left margin")
        for item in root.value:
            self.catalog.entries.append(self.entry(item))

    def parse(self, text: str) -> yaml.Node | None:
        """The file's YAML nodes. A file libyaml refuses is read again by the pure-Python parser:
        its limits and messages are the ones this loader turns into file:line errors."""
        if _LIBYAML is not None:
            try:
                self.refuse_hostile_yaml(text, _LIBYAML)
                return yaml.compose(text, Loader=_LIBYAML)
            except yaml.MarkedYAMLError:
                pass
        with contextlib.suppress(yaml.MarkedYAMLError):  # malformed: compose() reports it with its line
            self.refuse_hostile_yaml(text, yaml.SafeLoader)
        try:
            return yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            # An unclosed bracket or quote is noticed at the end of the file; point at its start.
            if exc.context_mark and (mark is None or mark.line >= len(text.splitlines())):
                mark = exc.context_mark
            line = mark.line + 1 if mark else 1
            problem = " ".join(str(p) for p in (exc.context, exc.problem) if p)
            fix = "check indentation and quote values that contain ': ' or start with '['"
            raise self.error(line, f"malformed YAML: {problem}", fix) from exc

    def refuse_hostile_yaml(self, text: str, loader: type) -> None:
        """Anchors, aliases and deep nesting, found by the scanner (linear, not recursive)
        before the composer sees them: an alias bomb expands to gigabytes, and 50,000
        nested '[' overflow the composer's recursion. A catalog needs neither. A malformed file
        raises the scanner's MarkedYAMLError."""
        if len(text) > MAX_FILE_BYTES:
            raise self.error(1, f"catalog file is {len(text):,} characters, more than {MAX_FILE_BYTES:,}",
                             "split the section or shorten descriptions")
        depth = 0
        for token in yaml.scan(text, Loader=loader):
            if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
                raise self.error(token.start_mark.line + 1, "YAML anchors and aliases (&name, *name) "
                                 "are not allowed in the catalog", "write each value out in full")
            if isinstance(token, (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken,
                                  yaml.BlockSequenceStartToken, yaml.BlockMappingStartToken)):
                depth += 1
                if depth > MAX_NESTING:
                    raise self.error(token.start_mark.line + 1,
                                     f"values nested more than {MAX_NESTING} levels deep",
                                     "a catalog entry needs at most a list inside a mapping")
            elif isinstance(token, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken,
                                    yaml.BlockEndToken)):
                depth -= 1

    # ------------------------------------------------------------------ entry
    def entry(self, node: yaml.Node) -> Entry:
        line = _line(node)
        if not isinstance(node, yaml.MappingNode):
            raise self.error(line, "an entry must be a mapping of fields",
                             "write 'name:', 'url:' and 'description:' on their own indented lines")
        values: dict[str, str] = {}
        nodes: dict[str, yaml.Node] = {}
        lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            key_line = _line(key_node)
            if not isinstance(key_node, yaml.ScalarNode) or key not in self.allowed:
                elsewhere = [s for s in SECTIONS if s != self.section and key in allowed_fields(s)]
                if elsewhere:
                    raise self.error(key_line, f"field {key!r} does not belong in {self.section}",
                                     f"it is a field of {' and '.join(elsewhere)} entries; "
                                     f"allowed here: {', '.join(self.allowed)}")
                raise self.error(key_line, f"unknown field {key!r}",
                                 f"{did_you_mean(key, self.allowed)}allowed fields: "
                                 f"{', '.join(self.allowed)}")
            if key in lines:
                raise self.error(key_line, f"field {key!r} appears twice in this entry (first at line "
                                 f"{lines[key]})", "keep one of the two")
            lines[key] = key_line
            if key in _NODE_FIELDS:
                nodes[key] = value_node
            else:
                values[key] = self.text(key, value_node)
        for name in SECTION_REQUIRED[self.section]:
            if name not in lines:
                raise self.error(line, f"entry is missing the required field {name!r}",
                                 f"add '{name}: ...' to the entry; required in {self.section}: "
                                 f"{', '.join(SECTION_REQUIRED[self.section])}")

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
            if not GITHUB_REPO_RE.match(entry.repo):
                raise self.error(lines["repo"], f"repo {entry.repo!r} is not a GitHub repository URL",
                                 "use https://github.com/OWNER/NAME, or leave 'repo' out")
        for link in entry.description_links():
            self.check_url(entry, "description", link)
        self.optional_fields(entry, values, nodes)
        self.check_duplicates(entry)
        return entry

    def optional_fields(self, entry: Entry, values: dict[str, str], nodes: dict[str, yaml.Node]) -> None:
        lines = entry.field_lines
        if "group" in values:
            entry.group = self.choice("group", values["group"], GROUPS, lines["group"])
        if "status" in values:
            entry.status = self.choice("status", values["status"], STATUSES, lines["status"],
                                       "leave 'status' out for a maintained project")
            if "status_source" not in values:
                raise self.error(lines["status"], f"status {entry.status!r} needs a status_source",
                                 "add 'status_source: https://...', the page that shows it (archived "
                                 "repository, README notice, last release)")
        if "status_source" in values:
            if "status" not in values:
                raise self.error(lines["status_source"], "status_source without a status",
                                 f"set 'status:' to one of {', '.join(STATUSES)}, or remove status_source")
            entry.status_source = values["status_source"]
            self.check_url(entry, "status_source", entry.status_source)
        if "pypi" in values:
            name = values["pypi"]
            normal = normalize_pypi(name)
            if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", normal):
                raise self.error(lines["pypi"], f"pypi {name!r} is not a PyPI project name",
                                 "write the name as on https://pypi.org/project/NAME/, e.g. 'celery'")
            if name != normal:
                raise self.error(lines["pypi"], f"pypi {name!r} is not normalised",
                                 f"did you mean '{normal}'? lower case, runs of '-', '_' and '.' become '-'")
            entry.pypi = name
        if "part_of" in values:
            entry.part_of = self.part_of(values["part_of"], lines["part_of"])
        if "builds_on" in values:
            entry.builds_on = values["builds_on"]  # a project id: checked once every file is loaded
        if "summary" in values:
            entry.summary = self.summary(values["summary"], lines["summary"])
        if "added" in nodes:
            entry.added = self.date("added", nodes["added"])
        if "year" in nodes:
            entry.year = self.year(nodes["year"])
        if "type" in values:
            entry.type = self.choice("type", values["type"], RESOURCE_TYPES, lines["type"])
        if "topic" in values:
            entry.topic = self.choice("topic", values["topic"], RESOURCE_TOPICS, lines["topic"])
        if "facts" in nodes:
            entry.facts = self.facts(entry, nodes["facts"])

    # ---------------------------------------------------------------- values
    def text(self, key: str, node: yaml.Node) -> str:
        line = _line(node)
        if not isinstance(node, yaml.ScalarNode):
            raise self.error(line, f"field {key!r} must be text, not a list or mapping",
                             "write the value on one line after the colon, or use '>-' for long text")
        if node.tag == _NULL or not str(node.value).strip():
            raise self.error(line, f"field {key!r} is empty", f"give '{key}' a value or remove the line")
        if node.tag != _STR:
            raise self.error(line, f"field {key!r} must be text, got {node.value!r}",
                             f"put the value in quotes: {key}: \"{node.value}\"")
        if len(node.value) > MAX_TEXT_CHARS:
            raise self.error(line, f"field {key!r} is {len(node.value):,} characters, more than "
                             f"{MAX_TEXT_CHARS:,}", "keep it to one short paragraph")
        if key == "description" and sum(node.value.count(c) for c in "[]<>`*_") > MAX_MARKUP_CHARS:
            # Python-Markdown is quadratic on thousands of '[': refuse before rendering
            raise self.error(line, f"field {key!r} has more than {MAX_MARKUP_CHARS} Markdown markup "
                             "characters ([ ] < > ` * _)", "a description is one paragraph with a few links")
        hidden = sorted({f"U+{ord(c):04X}" for c in _HIDDEN.findall(node.value)})
        if hidden:
            self.warn(line, f"field {key!r} contains invisible or direction-changing characters "
                      f"({', '.join(hidden)}): they can make text read differently than it is; remove them")
        # Folded or multi-line text: the site renders it as one paragraph anyway.
        return " ".join(str(node.value).split())

    def choice(self, key: str, value: str, allowed: Iterable[str], line: int, fix: str = "") -> str:
        allowed = list(allowed)
        if value in allowed:
            return value
        hint = did_you_mean(value, allowed)
        tail = f"; {fix}" if fix else ""
        raise self.error(line, f"unknown {key} {value!r}", f"{hint}one of: {', '.join(allowed)}{tail}")

    def summary(self, text: str, line: int) -> str:
        if len(text) > SUMMARY_MAX:
            raise self.error(line, f"summary is {len(text)} characters, more than {SUMMARY_MAX}",
                             "shorten it to one line; the description holds the detail")
        if not is_plain(text):
            raise self.error(line, "summary must be plain text",
                             "remove Markdown or HTML (links, *emphasis*, `code`, <tags>)")
        return text

    def part_of(self, text: str, line: int) -> str:
        if len(text) > PART_OF_MAX or not is_plain(text):
            raise self.error(line, f"part_of must be the plain name of the larger project, at most "
                             f"{PART_OF_MAX} characters", "e.g. part_of: Django")
        return text

    def date(self, key: str, node: yaml.Node) -> date:
        line = _line(node)
        raw = str(node.value) if isinstance(node, yaml.ScalarNode) else ""
        fix = f"write the date as YYYY-MM-DD, e.g. {key}: 2026-11-30"
        if not isinstance(node, yaml.ScalarNode) or node.tag not in (_TIMESTAMP, _STR):
            raise self.error(line, f"{key} {raw or 'value'!r} is not a date", fix)
        try:
            value = date.fromisoformat(raw.strip())
        except ValueError as exc:
            raise self.error(line, f"{key} {raw!r} is not a date", fix) from exc
        if value > datetime.now().date():
            raise self.error(line, f"{key} {value.isoformat()} is in the future",
                             "use the day the entry was added")
        return value

    def year(self, node: yaml.Node) -> int:
        line = _line(node)
        this_year = datetime.now().year
        fix = f"write the year of publication as four digits, {FIRST_YEAR}-{this_year}, e.g. year: 2014"
        if isinstance(node, yaml.ScalarNode) and node.tag == _NULL:
            raise self.error(line, "year is empty",
                             "leave 'year' out when the page and its URL show no date, never guess it")
        if not isinstance(node, yaml.ScalarNode) or node.tag != _INT:
            shown = node.value if isinstance(node, yaml.ScalarNode) else "a list or mapping"
            raise self.error(line, f"year {shown!r} is not a year", fix)
        try:
            value = int(str(node.value), 10)
        except ValueError as exc:
            raise self.error(line, f"year {node.value!r} is not a year", fix) from exc
        if not FIRST_YEAR <= value <= this_year:
            raise self.error(line, f"year {value} is out of range", fix)
        return value

    # ----------------------------------------------------------------- facts
    def facts(self, entry: Entry, node: yaml.Node) -> dict[str, Fact]:
        # projects: the facts of the entry's kind (a scheduler has no 'priorities', a monitoring UI
        # no 'brokers'); like is compared with like
        kind = entry.kind
        keys = KIND_FACTS[kind] if kind else SECTION_FACTS[self.section]
        whose = f"a {entry.group} project" if kind else self.section
        if not isinstance(node, yaml.MappingNode):
            raise self.error(_line(node), "facts must be a mapping of fact names",
                             "write each fact on its own indented line, e.g. '    retries: {value: true, "
                             "source: https://...}'")
        found: dict[str, Fact] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            key_line = _line(key_node)
            if key not in keys:
                known = key in SECTION_FACTS[self.section]
                raise self.error(key_line, f"{'fact' if known else 'unknown fact'} {key!r}"
                                 f"{' does not apply to ' + whose if known else ''}",
                                 f"{'' if known else did_you_mean(key, keys)}facts of {whose}: "
                                 f"{', '.join(keys)}")
            if key in found:
                raise self.error(key_line, f"fact {key!r} appears twice (first at line {found[key].line})",
                                 "keep one of the two")
            found[key] = self.fact(entry, key, key_line, value_node)
        # a fact another answer rules out (schema.NOT_APPLICABLE) would show a row that is no question
        for key, fact in found.items():
            decider = ruled_out_by(kind, key, found)
            if decider is not None:
                answer = found[decider].answer
                raise self.error(fact.line, f"fact {key!r} does not apply to {whose} whose "
                                 f"{decider!r} is {answer!r}",
                                 f"leave '{key}' out: {fact_label(decider, kind)} "
                                 f"({answer}) rules out {fact_label(key, kind)}")
        # schema order, whatever order the file uses
        return {k: found[k] for k in keys if k in found}

    def fact(self, entry: Entry, key: str, key_line: int, node: yaml.Node) -> Fact:
        shape = f"write '{key}: {{value: ..., source: https://docs...#section}}'"
        if not isinstance(node, yaml.MappingNode):
            raise self.error(key_line, f"fact {key!r} must be a mapping with value and source", shape)
        parts: dict[str, yaml.Node] = {}
        for sub_key_node, sub_node in node.value:
            sub = str(sub_key_node.value)
            if sub not in FACT_FIELDS:
                raise self.error(_line(sub_key_node), f"unknown field {sub!r} in fact {key!r}",
                                 f"{did_you_mean(sub, FACT_FIELDS)}a fact has: {', '.join(FACT_FIELDS)}")
            if sub in parts:
                raise self.error(_line(sub_key_node), f"field {sub!r} appears twice in fact {key!r}",
                                 "keep one of the two")
            parts[sub] = sub_node
        if "value" not in parts:
            raise self.error(key_line, f"fact {key!r} has no value", shape)
        if "source" not in parts:
            raise self.error(key_line, f"fact {key!r} has no source",
                             "every fact needs 'source:', the documentation section (URL#anchor) that "
                             "backs it; without one, leave the fact out")
        source = self.text(f"{key}.source", parts["source"])
        source_line = _line(parts["source"])
        self.check_link(source_line, f"source of fact {key!r}", source)
        note = None
        if "note" in parts:
            note = self.text(f"{key}.note", parts["note"])
            if len(note) > NOTE_MAX:
                raise self.error(_line(parts["note"]), f"note of fact {key!r} is {len(note)} characters, "
                                 f"more than {NOTE_MAX}", "shorten it, e.g. 'via rq-scheduler'")
            if not is_plain(note):
                raise self.error(_line(parts["note"]), f"note of fact {key!r} must be plain text",
                                 "remove Markdown or HTML")
        value = self.fact_value(key, parts["value"])
        if value == PARTIAL and note is None:
            raise self.error(key_line, f"fact {key!r} is partial but has no note",
                             "say what the limit is in 'note:', e.g. note: Redis broker only")
        return Fact(key=key, value=value, source=source, note=note, line=key_line, source_line=source_line)

    def fact_value(self, key: str, node: yaml.Node) -> bool | str | tuple[str, ...]:
        line = _line(node)
        if key in BOOLEAN_FACTS:
            if isinstance(node, yaml.ScalarNode) and node.tag == _STR and node.value == PARTIAL:
                return PARTIAL
            if not isinstance(node, yaml.ScalarNode) or node.tag != _BOOL:
                shown = node.value if isinstance(node, yaml.ScalarNode) else "a list or mapping"
                raise self.error(line, f"value of fact {key!r} must be true, false or partial, got {shown!r}",
                                 "write value: true, value: false or value: partial (no quotes; partial "
                                 "needs a note); leave the fact out if unsure")
            return str(node.value).lower() in ("true", "yes", "on")
        _label, allowed = LIST_FACTS[key]
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            raise self.error(line, f"value of fact {key!r} must be a non-empty list",
                             f"write value: [{', '.join((allowed or ('celery', 'rq'))[:2])}]")
        items: list[str] = []
        for item in node.value:
            if not isinstance(item, yaml.ScalarNode) or item.tag != _STR:
                raise self.error(_line(item), f"{key} value {item.value!r} must be a name",
                                 "write plain names, e.g. [redis, rabbitmq]")
            value = str(item.value)
            if allowed is not None and value not in allowed:
                raise self.error(_line(item), f"unknown {key} value {value!r}",
                                 f"{did_you_mean(value, allowed)}one of: {', '.join(allowed)}")
            if value in items:
                raise self.error(_line(item), f"{key} lists {value!r} twice", "keep one")
            items.append(value)
        return tuple(items)

    # ------------------------------------------------------------------ URLs
    def check_url(self, entry: Entry, key: str, url: str) -> None:
        self.check_link(entry.field_lines.get(key, entry.line), key, url)

    def check_link(self, line: int, what: str, url: str) -> None:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise self.error(line, f"{what} {url!r} is not an http(s) URL",
                             "catalog links must start with https:// (or http://)")
        if not parts.hostname or any(ch.isspace() for ch in url):
            raise self.error(line, f"{what} {url!r} is not a valid URL", "write a full URL like https://example.org/")
        try:
            parts.port  # noqa: B018 -- raises on a malformed port
        except ValueError as exc:
            raise self.error(line, f"{what} {url!r} has an invalid port", "fix or remove the port") from exc
        if scheme == "http":
            self.warn(line, f"{what} uses plain http:// ({url}); switch to https:// if the site supports it",
                      kind=PLAIN_HTTP)

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


def _check_works_with(catalog: Catalog, content_dir: Path) -> None:
    """works_with and builds_on name catalog projects: known only once every file is loaded."""
    projects = [e.id for e in catalog.section("projects")]
    for entry in catalog.entries:
        if entry.builds_on is not None and (entry.builds_on not in projects or entry.builds_on == entry.id):
            raise CatalogError(entry.path, entry.field_lines.get("builds_on", entry.line),
                               f"builds_on names {entry.builds_on!r}, not another project's id",
                               f"{did_you_mean(entry.builds_on, [p for p in projects if p != entry.id])}"
                               "use the id of the project it wraps or extends, from projects.yaml",
                               display_path=_display_path(entry.path, content_dir))
        fact = entry.facts.get("works_with")
        if fact is None:
            continue
        for value in fact.value if isinstance(fact.value, tuple) else ():
            if value not in projects:
                raise CatalogError(entry.path, fact.line, f"works_with names {value!r}, not a project id",
                                   f"{did_you_mean(value, projects)}use ids of entries in projects.yaml",
                                   display_path=_display_path(entry.path, content_dir))


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
    _check_works_with(catalog, content_dir)
    return catalog
