"""``fix --redirects``: rewrite permanently moved URLs in the content sources.

Only the URL text changes: the files are edited as text (never parsed and
re-serialised), so Markdown formatting, YAML quoting, comments and line
endings stay exactly as the maintainer wrote them. A new URL comes from a
server's Location header, so it is written percent-encoded for where it stands
(``_encode_for``): a Markdown link destination, an angle-bracket autolink, a raw
HTML attribute value (single-, double- or unquoted), a YAML scalar. Each rewrite
is validated with the catalog before any file is written; one that would break
it is refused and reported, and the others are applied. Files are written
through a new file created exclusively beside them (``O_EXCL | O_NOFOLLOW``) and
renamed over them: no symbolic link is ever followed, and a content file that is
one, or lies outside the content folder, is left alone and reported.
"""

from __future__ import annotations

import difflib
import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import yaml

from linkcheck.catalog import CatalogError, load_catalog
from linkcheck.engine.reasons import PERMANENT_MOVE_REASONS
from linkcheck.engine.verdict import permanent_target
from linkcheck.store import LinkStatus, Store

# Content files that hold links a maintainer writes.
SOURCE_SUFFIXES = (".md", ".markdown", ".yaml", ".yml")

# Characters that continue a URL; punctuation that may end a sentence is checked separately.
_URL_CONTINUES = re.compile(r"[A-Za-z0-9\-_~/?#@$&*+=%]")
_SENTENCE_PUNCT = ".,;:!"
# Never valid raw in a URL (RFC 3986): a server-chosen Location may still carry them.
_NOT_IN_URLS = re.compile(r"[\x00-\x20\"<>\\^`{|}\x7f]")
_TAG_NAME = re.compile(r"<[A-Za-z][A-Za-z0-9-]*")
_TAG_REACH = 8192  # characters looked back for the start tag an attribute value belongs to


@dataclass
class FixResult:
    """What ``fix`` did: the diff of what it wrote (or would write), and one line for each
    rewrite it refused, saying why."""

    diff: str = ""
    refused: list[str] = field(default_factory=list)


def _url_text(url: str) -> str:
    """A target URL as it may be written into a content file (unsafe bytes %-encoded)."""
    return _NOT_IN_URLS.sub(lambda m: f"%{ord(m.group(0)):02X}", url)


def _single_quoted_spans(text: str) -> list[tuple[int, int]]:
    """Offsets of the single-quoted scalars of a YAML text ([] if it does not scan)."""
    try:
        tokens = list(yaml.scan(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError:
        return []
    return [(tok.start_mark.index, tok.end_mark.index) for tok in tokens
            if isinstance(tok, yaml.ScalarToken) and tok.style == "'"]


def attribute_quote(text: str, start: int) -> str | None:
    """The quote of the raw HTML attribute value that holds offset ``start`` (a URL's first
    character): ``'"'``, ``"'"``, ``""`` for an unquoted value, None outside any start tag
    (an autolink ``<https://...>`` is not a tag)."""
    floor = max(0, start - _TAG_REACH)
    lt = text.rfind("<", floor, start)
    while lt != -1:
        name = _TAG_NAME.match(text, lt)
        if name is not None and lt + 1 != start:
            return _quote_at(text, name.end(), start)
        lt = text.rfind("<", floor, lt)
    return None


def _quote_at(text: str, i: int, start: int) -> str | None:
    """Walk a start tag's attributes from ``i`` to ``start``: which quote is open there."""
    quote = ""
    while i < start:
        c = text[i]
        if quote:
            if c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        elif c == ">":
            return None  # the tag ended before the URL: text, not an attribute
        i += 1
    return quote


def _encode_for(url: str, text: str, start: int, yaml_quoted: bool) -> str:
    """``url`` (from a server, so untrusted) percent-encoded for where it stands in
    ``text``: nothing in it may end the link, the attribute or the scalar it is written in."""
    new = _url_text(url)  # spaces, quotes, angle brackets, backslashes, controls: in any context
    if text.endswith(("](", "](<"), 0, start):
        # a Markdown link destination ends at an unbalanced ")", and Python-Markdown reads
        # a "'" in it as the start of a title
        new = new.replace("(", "%28").replace(")", "%29").replace("'", "%27")
    quote = attribute_quote(text, start)
    if quote is not None:  # raw HTML: "&" starts a character reference there
        new = new.replace("&", "&amp;")
        if quote in ("'", ""):  # a "'" would end a single-quoted value, or an unquoted one's meaning
            new = new.replace("'", "%27")
    if yaml_quoted:
        new = new.replace("'", "''")  # YAML's escape inside '...'
    return new


def moved_to(redirects: list[tuple[int, str]], final_url: str | None) -> str | None:
    """The new address of a moved link: the end of its unbroken run of 301/308 hops, not
    where temporary hops after them (login, geo, session) happened to end. The final URL
    only for rows stored before redirects were kept."""
    return permanent_target(redirects) if redirects else final_url


# linkcheck.engine.verdict: a chain starting with 301/308 that ends on a live page (verdict "warn");
# a page judged dead (redirected home, soft 404, parked) is an error and never a move.
def is_permanent_move(verdict: str | None, reason: str | None, final_url: str | None) -> bool:
    return verdict == "warn" and reason in PERMANENT_MOVE_REASONS and bool(final_url)


def target_url(url: str, final_url: str) -> str:
    """The final URL, keeping the fragment as written when the redirect dropped it
    (servers never see fragments, so a redirect cannot carry one)."""
    written = urlsplit(url)
    final = urlsplit(final_url)
    if written.fragment and not final.fragment:
        final = final._replace(fragment=written.fragment)
    return urlunsplit(final)


def moved_urls(statuses: Mapping[str, LinkStatus]) -> dict[str, str]:
    """{url as written: new url} for every link whose last verdict is a permanent move."""
    out: dict[str, str] = {}
    for url, s in statuses.items():
        moved = moved_to(s.redirects, s.final_url)
        if is_permanent_move(s.verdict, s.reason, moved):
            assert moved is not None
            try:
                new = target_url(url, moved)
            except ValueError:  # a Location urlsplit cannot read ("[" in the host): not a target
                continue
            if new != url and urlsplit(new).scheme in ("http", "https"):
                out[url] = new
    return out


def _rewrite_text(text: str, mapping: Mapping[str, str], *, yaml_file: bool = False) -> str:
    """Replace whole-URL occurrences only: ``https://a.test/x`` must not match
    inside ``https://a.test/xy``. One pass, longest URL first, so a replacement
    is never rewritten again."""
    if not mapping:
        return text
    quoted = _single_quoted_spans(text) if yaml_file else []
    pattern = re.compile("|".join(re.escape(u) for u in sorted(mapping, key=len, reverse=True)))

    def replace(m: re.Match[str]) -> str:
        start, end = m.start(), m.end()
        if start and _URL_CONTINUES.match(text[start - 1]) and not (
                text[start - 1] == "=" and attribute_quote(text, start) == ""):  # <a href=URL>
            return m.group(0)
        if end < len(text):
            nxt = text[end]
            if _URL_CONTINUES.match(nxt):
                return m.group(0)
            if nxt in _SENTENCE_PUNCT and end + 1 < len(text) and _URL_CONTINUES.match(text[end + 1]):
                return m.group(0)  # "…/page" followed by ".html" is a longer URL
        return _encode_for(mapping[m.group(0)], text, start, any(a < start < b for a, b in quoted))

    return pattern.sub(replace, text)


def content_files(content_dir: Path) -> list[Path]:
    return sorted(p for p in content_dir.rglob("*")
                  if p.suffix in SOURCE_SUFFIXES and (p.is_symlink() or p.is_file()))


def _is_yaml(path: Path) -> bool:
    return path.suffix in (".yaml", ".yml")


class _Trial:
    """The catalog with some rewrites applied, in a scratch copy of the content folder
    (copied once; each trial only replaces catalog files)."""

    def __init__(self, catalog_dir: Path | None, scratch: Path) -> None:
        self.catalog_dir = catalog_dir
        self.copy: Path | None = None
        if catalog_dir is not None and catalog_dir.is_dir():
            self.copy = scratch / "content"
            shutil.copytree(catalog_dir.parent, self.copy, symlinks=True)

    def problem(self, changed: Mapping[Path, str], originals: Mapping[Path, str]) -> str | None:
        """Why these rewritten texts would break a YAML file or the catalog, or None."""
        for path, text in changed.items():
            if _is_yaml(path):
                try:
                    yaml.safe_load(text)
                except yaml.YAMLError as exc:
                    return f"{path}: the rewrite would make invalid YAML ({exc})"
        if self.copy is None or self.catalog_dir is None:
            return None
        catalog = [p for p in changed if p.parent == self.catalog_dir]
        if not catalog:
            return None
        for path in catalog:
            (self.copy / "catalog" / path.name).write_text(changed[path], encoding="utf-8")
        try:
            load_catalog(self.copy)
        except CatalogError as exc:
            return (f"the rewrite would break the catalog: {exc.message} "
                    f"({self.catalog_dir / exc.path.name}:{exc.line})")
        finally:
            for path in catalog:  # back to the original for the next trial
                (self.copy / "catalog" / path.name).write_text(originals[path], encoding="utf-8")
        return None


def _replace_file(path: Path, text: str) -> None:
    """Write ``text`` into a new file beside ``path``, created exclusively and never through
    a symbolic link (``O_EXCL | O_NOFOLLOW``, an unguessable name), then rename it over
    ``path``: an interrupted fix never leaves half a file, and a link planted in the
    content folder is never written through."""
    mode = os.stat(path, follow_symlinks=False).st_mode & 0o777
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.linkcheck-tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(tmp, flags, mode)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _unsafe(path: Path, root: Path) -> str | None:
    """Why ``path`` must not be rewritten: a symbolic link, or not inside ``root``."""
    if path.is_symlink():
        return f"{path}: a symbolic link, not rewritten (edit the file it points to by hand)"
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return f"{path}: outside {root}, not rewritten"
    return None


def rewrite_files(
    files: Iterable[Path], mapping: Mapping[str, str], *, root: Path, dry_run: bool,
    catalog_dir: Path | None = None, content_dir: Path | None = None,
) -> FixResult:
    """Apply ``mapping`` to ``files`` (unless ``dry_run``); return the diff and the refusals.

    Every changed YAML file must still parse and the catalog (when ``catalog_dir`` holds
    one) must still validate: a URL whose rewrite would break either is refused (in every
    file, so the content stays consistent) and the others are applied. Files that are
    symbolic links or lie outside ``content_dir`` (default: ``root``) are not touched."""
    result = FixResult()
    originals: dict[Path, str] = {}
    for path in files:
        unsafe = _unsafe(path, content_dir or root)
        if unsafe is None:
            with path.open(encoding="utf-8", newline="") as fh:  # newline="": CRLF files stay CRLF
                originals[path] = fh.read()
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):  # a dangling link: nothing to rewrite anyway
            continue
        if _rewrite_text(text, mapping) != text:
            result.refused.append(unsafe)

    def rewritten(urls: Mapping[str, str]) -> dict[Path, str]:
        out = {}
        for path, before in originals.items():
            after = _rewrite_text(before, urls, yaml_file=_is_yaml(path))
            if after != before:
                out[path] = after
        return out

    with tempfile.TemporaryDirectory(prefix="linkcheck-fix-") as scratch:
        trial = _Trial(catalog_dir, Path(scratch))
        changed = rewritten(mapping)
        if trial.problem(changed, originals) is not None:
            # find the culprits: YAML rewrites one URL at a time, keeping those that fit
            accepted = {u: new for u, new in mapping.items()
                        if not any(_is_yaml(p) for p in rewritten({u: new}))}
            for url in sorted(set(mapping) - set(accepted)):
                problem = trial.problem(rewritten({**accepted, url: mapping[url]}), originals)
                if problem is None:
                    accepted[url] = mapping[url]
                else:
                    result.refused.append(f"{url} -> {mapping[url]}: {problem}; edit this URL by hand")
            changed = rewritten(accepted)
    for path, after in changed.items():
        try:
            rel = path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            rel = path.as_posix()
        result.diff += "".join(
            line if line.endswith("\n") else line + "\n"
            for line in difflib.unified_diff(originals[path].splitlines(keepends=True),
                                             after.splitlines(keepends=True),
                                             fromfile=f"a/{rel}", tofile=f"b/{rel}"))
    if not dry_run:
        for path, after in changed.items():
            _replace_file(path, after)
    return result


def fix_redirects(settings: Any, store: Store, *, dry_run: bool) -> FixResult:
    """Rewrite permanently moved URLs in ``settings.content_dir``: the diff and the refusals."""
    mapping = moved_urls(store.link_statuses())
    content_dir = Path(settings.content_dir)
    return rewrite_files(
        content_files(content_dir), mapping, root=content_dir.parent, dry_run=dry_run,
        catalog_dir=content_dir / "catalog", content_dir=content_dir,
    )
