"""``fix --redirects``: rewrite permanently moved URLs in the content sources.

Only the URL text changes: the files are edited as text (never parsed and
re-serialised), so Markdown formatting, YAML quoting, comments and line
endings stay exactly as the maintainer wrote them.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from linkcheck.engine.reasons import PERMANENT_MOVE_REASONS
from linkcheck.store import LinkStatus, Store

# Content files that hold links a maintainer writes.
SOURCE_SUFFIXES = (".md", ".markdown", ".yaml", ".yml")

# Characters that continue a URL; punctuation that may end a sentence is checked separately.
_URL_CONTINUES = re.compile(r"[A-Za-z0-9\-_~/?#@$&*+=%]")
_SENTENCE_PUNCT = ".,;:!"


# linkcheck.engine.verdict: a 301/308 chain that ends on a live page (verdict "warn").
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
        if is_permanent_move(s.verdict, s.reason, s.final_url):
            assert s.final_url is not None
            new = target_url(url, s.final_url)
            if new != url and urlsplit(new).scheme in ("http", "https"):
                out[url] = new
    return out


def _rewrite_text(text: str, mapping: Mapping[str, str]) -> str:
    """Replace whole-URL occurrences only: ``https://a.test/x`` must not match
    inside ``https://a.test/xy``. One pass, longest URL first, so a replacement
    is never rewritten again."""
    if not mapping:
        return text
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
        return mapping[m.group(0)]

    return pattern.sub(replace, text)


def content_files(content_dir: Path) -> list[Path]:
    return sorted(p for p in content_dir.rglob("*") if p.is_file() and p.suffix in SOURCE_SUFFIXES)


def rewrite_files(
    files: Iterable[Path], mapping: Mapping[str, str], *, root: Path, dry_run: bool
) -> str:
    """Apply ``mapping`` to ``files`` (unless ``dry_run``) and return a unified diff."""
    diffs: list[str] = []
    for path in files:
        # newline="" keeps CRLF files CRLF
        with path.open(encoding="utf-8", newline="") as fh:
            before = fh.read()
        after = _rewrite_text(before, mapping)
        if after == before:
            continue
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
        if not dry_run:
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
        content_files(content_dir), mapping, root=content_dir.parent, dry_run=dry_run
    )
