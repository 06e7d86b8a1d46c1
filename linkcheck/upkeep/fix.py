"""``fix --redirects``: rewrite permanently moved URLs in the content sources.

Only the URL text changes: the files are edited as text (never parsed and
re-serialised), so Markdown formatting, YAML quoting, comments and line
endings stay exactly as the maintainer wrote them. A new URL is written so it
fits where it stands (escaped inside a single-quoted YAML scalar, parentheses
encoded inside a Markdown link), and the catalog is validated with the change
before any file is written: a rewrite that would break it is refused.
"""

from __future__ import annotations

import difflib
import re
import shutil
import tempfile
from collections.abc import Iterable, Mapping
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


class FixError(Exception):
    """The rewrite would break a content file: nothing was written."""


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
            new = target_url(url, moved)
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
        if start and _URL_CONTINUES.match(text[start - 1]):
            return m.group(0)
        if end < len(text):
            nxt = text[end]
            if _URL_CONTINUES.match(nxt):
                return m.group(0)
            if nxt in _SENTENCE_PUNCT and end + 1 < len(text) and _URL_CONTINUES.match(text[end + 1]):
                return m.group(0)  # "…/page" followed by ".html" is a longer URL
        new = _url_text(mapping[m.group(0)])
        if text.endswith("](", 0, start):  # a Markdown link destination ends at an unbalanced ")"
            new = new.replace("(", "%28").replace(")", "%29")
        if any(a < start < b for a, b in quoted):
            new = new.replace("'", "''")  # YAML's escape inside '...'
        return new

    return pattern.sub(replace, text)


def content_files(content_dir: Path) -> list[Path]:
    return sorted(p for p in content_dir.rglob("*") if p.is_file() and p.suffix in SOURCE_SUFFIXES)


def _validate(changed: Mapping[Path, str], catalog_dir: Path | None) -> None:
    for path, text in changed.items():
        if path.suffix in (".yaml", ".yml"):
            try:
                yaml.safe_load(text)
            except yaml.YAMLError as exc:
                raise FixError(f"{path}: the rewrite would make invalid YAML ({exc}); "
                               "nothing was changed: edit this URL by hand") from None
    if catalog_dir is None or not any(p.parent == catalog_dir for p in changed):
        return
    with tempfile.TemporaryDirectory(prefix="linkcheck-fix-") as tmp:
        trial = Path(tmp) / "content"
        shutil.copytree(catalog_dir.parent, trial)
        for path, text in changed.items():
            if path.parent == catalog_dir:
                (trial / "catalog" / path.name).write_text(text, encoding="utf-8")
        try:
            load_catalog(trial)
        except CatalogError as exc:
            raise FixError(f"the rewrite would break the catalog: {exc.message} "
                           f"({catalog_dir / exc.path.name}:{exc.line}); nothing was changed: "
                           "edit this URL by hand") from None


def rewrite_files(
    files: Iterable[Path], mapping: Mapping[str, str], *, root: Path, dry_run: bool,
    catalog_dir: Path | None = None,
) -> str:
    """Apply ``mapping`` to ``files`` (unless ``dry_run``) and return a unified diff.

    Every changed YAML file must still parse, and the catalog (when ``catalog_dir``
    holds one) must still validate, before anything is written: else ``FixError``."""
    diffs: list[str] = []
    changed: dict[Path, str] = {}
    for path in files:
        # newline="" keeps CRLF files CRLF
        with path.open(encoding="utf-8", newline="") as fh:
            before = fh.read()
        after = _rewrite_text(before, mapping, yaml_file=path.suffix in (".yaml", ".yml"))
        if after == before:
            continue
        changed[path] = after
        try:
            rel = path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            rel = path.as_posix()
        diffs.extend(
            difflib.unified_diff(
                before.splitlines(keepends=True),
                after.splitlines(keepends=True),
                fromfile=f"a/{rel}",
                tofile=f"b/{rel}",
            )
        )
    _validate(changed, catalog_dir)
    if not dry_run:
        for path, after in changed.items():
            tmp = path.with_name(path.name + ".linkcheck-tmp")
            with tmp.open("w", encoding="utf-8", newline="") as fh:
                fh.write(after)
            tmp.replace(path)  # atomic: an interrupted fix never leaves half a file
    return "".join(line if line.endswith("\n") else line + "\n" for line in diffs)


def fix_redirects(settings: Any, store: Store, *, dry_run: bool) -> str:
    """Rewrite permanently moved URLs in ``settings.content_dir``; return the diff."""
    mapping = moved_urls(store.link_statuses())
    content_dir = Path(settings.content_dir)
    return rewrite_files(
        content_files(content_dir), mapping, root=content_dir.parent, dry_run=dry_run,
        catalog_dir=content_dir / "catalog",
    )
