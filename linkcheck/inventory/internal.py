"""Dangling internal links in a built site: no network, only the files in output/.

Every ``href``/``src`` of every HTML page that stays inside the site (relative,
root-relative, or under ``site_url``) must name an existing file, and a
``#fragment`` must name an ``id`` (or ``<a name>``) in the target page. A link
that cannot be parsed as a URL at all is reported too, and the check goes on.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import SplitResult, unquote, urljoin, urlsplit

from bs4 import BeautifulSoup

from linkcheck.engine.anchors import anchor_of, has_anchor
from linkcheck.engine.page import decode

# Attributes that hold one URL; srcset is handled separately (a list of candidates).
URL_ATTRS: dict[str, tuple[str, ...]] = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "img": ("src",),
    "script": ("src",),
    "iframe": ("src",),
    "source": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "embed": ("src",),
    "form": ("action",),
}


@dataclass(frozen=True)
class InternalProblem:
    page: str  # the page holding the link, relative to the output dir (posix)
    line: int | None
    url: str  # as written in the page
    reason: str  # "missing-file", "missing-anchor" or "malformed-url"
    message: str

    def __str__(self) -> str:
        where = f"{self.page}:{self.line}" if self.line else self.page
        return f"{where}: {self.url}: {self.message}"


@dataclass(frozen=True)
class _Page:
    ids: frozenset[str]
    links: tuple[tuple[str, int | None], ...]
    base: str | None = None  # <base href>: what its relative links resolve against


def _parse(path: Path) -> _Page:
    # its BOM or declared charset, as a browser reads it
    soup = BeautifulSoup(decode(path.read_bytes(), None), "html.parser")
    base_tag = soup.find("base", href=True)
    base = str(base_tag["href"]).strip() if base_tag is not None else None
    ids = {str(tag["id"]) for tag in soup.find_all(id=True)}
    ids |= {str(tag["name"]) for tag in soup.find_all("a", attrs={"name": True})}
    links: list[tuple[str, int | None]] = []
    for tag in soup.find_all(list(URL_ATTRS) + ["img", "source"]):
        for attr in URL_ATTRS.get(tag.name, ()):
            value = tag.get(attr)
            if isinstance(value, str):
                links.append((value.strip(), tag.sourceline))
        srcset = tag.get("srcset")
        if isinstance(srcset, str):
            for candidate in srcset.split(","):
                url = candidate.strip().split(" ")[0]
                if url:
                    links.append((url, tag.sourceline))
    return _Page(frozenset(ids), tuple(links), base or None)


def check_internal(output_dir: Path, *, site_url: str | None = None) -> list[InternalProblem]:
    """Internal links and anchors of the built site at ``output_dir`` that dangle.

    ``site_url``: the published base URL (publishconf SITEURL); absolute links under it
    count as internal. Returns problems in page order; an empty list means all good.
    """
    root = Path(output_dir).resolve()
    if not root.is_dir():
        raise FileNotFoundError(f"{output_dir}: not a directory (build the site first)")
    base = urlsplit(site_url.rstrip("/") + "/") if site_url else None

    @cache
    def page(path: Path) -> _Page:
        return _parse(path)

    problems: list[InternalProblem] = []
    for html_file in sorted(root.rglob("*.html")):
        rel_page = html_file.relative_to(root).as_posix()
        parsed = page(html_file)
        for url, line in parsed.links:
            try:
                target = _target(_against_base(url, rel_page, parsed.base), rel_page, base)
            except ValueError as exc:  # urlsplit: "Invalid IPv6 URL", a bad port, ...
                problems.append(InternalProblem(rel_page, line, url, "malformed-url",
                                                f"malformed URL ({exc})"))
                continue
            if target is None:
                continue
            rel_path, fragment = target
            file = _resolve(root, rel_path)
            if file is None:
                problems.append(InternalProblem(rel_page, line, url, "missing-file",
                                                f"no file {rel_path or '/'} in the built site"))
                continue
            anchor = anchor_of(fragment)  # the same rules as for external pages
            if anchor is None or file.suffix not in (".html", ".htm"):
                continue
            if not has_anchor(page(file).ids, anchor):
                target_name = file.relative_to(root).as_posix()
                problems.append(InternalProblem(rel_page, line, url, "missing-anchor",
                                                f"no id {fragment!r} in {target_name}"))
    return problems


_SITE = "http://site.invalid"  # stands for the site's own origin while resolving against <base>


def _against_base(url: str, rel_page: str, base_href: str | None) -> str:
    """``url`` as a browser resolves it on a page with ``<base href>``: relative links
    (and bare #fragments) against the base, not the page's own address."""
    if not base_href or urlsplit(url).scheme:
        return url
    resolved = urljoin(urljoin(f"{_SITE}/{rel_page}", base_href), url)
    return resolved[len(_SITE):] if resolved.startswith(_SITE + "/") else resolved


def _target(url: str, rel_page: str, base: SplitResult | None) -> tuple[str, str] | None:
    """(site-relative path, fragment) for an internal URL, None for an external one.
    Raises ValueError for a URL that cannot be parsed at all."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        if base is None or (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
            return None  # external (http, mailto, data, ...)
        if not parts.path.startswith(base.path) and parts.path + "/" != base.path:
            return None
        path = parts.path[len(base.path):] if parts.path.startswith(base.path) else ""
    elif parts.path.startswith("/"):
        path = parts.path.lstrip("/")
    elif parts.path:
        path = posixpath.join(posixpath.dirname(rel_page), parts.path)
    else:
        path = rel_page  # "#anchor" or "?query": this page
    normal = posixpath.normpath(unquote(path)) if path else ""
    if normal == ".":
        normal = ""
    if path.endswith("/") and normal:
        normal += "/"
    return normal, parts.fragment


def _resolve(root: Path, rel_path: str) -> Path | None:
    """The file a site-relative path serves, like a static web server would (index.html for dirs)."""
    if rel_path.startswith("../") or rel_path == "..":
        return None  # points outside the site
    candidate = root / rel_path
    if rel_path == "" or rel_path.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None
