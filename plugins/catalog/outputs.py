"""sitemap.xml and an Atom feed of the site's pages (publish builds only).

Both need an absolute SITEURL; dates come from ``dates.last_changed`` (git or
file time of the page's sources), never invented.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from feedgenerator import Atom1Feed

from .dates import last_changed

logger = logging.getLogger(__name__)


def _site_url(settings: dict[str, Any], what: str) -> str | None:
    siteurl = str(settings.get("SITEURL") or "").rstrip("/")
    if not siteurl.startswith(("http://", "https://")):
        logger.warning("catalog: %s skipped: SITEURL must be an absolute URL (got %r)", what, siteurl)
        return None
    return siteurl


def _sources(page: Any, catalog_files: Iterable[Path]) -> list[Path]:
    sections = set(getattr(page, "catalog_sections", []))
    # extra_sources: files a page shows besides its own (the guide's advice, guide.py)
    extra = [Path(p) for p in getattr(page, "extra_sources", [])]
    return [Path(page.source_path), *extra] + [p for p in catalog_files if p.stem in sections]


def page_dates(pages: list[Any], catalog_files: list[Path]) -> list[tuple[Any, datetime]]:
    """Each page with the last change of its sources (its Markdown and the catalog files it shows)."""
    return [(page, last_changed(_sources(page, catalog_files))) for page in pages]


def write_sitemap(settings: dict[str, Any], path: Path, dated: list[tuple[Any, datetime]]) -> None:
    siteurl = _site_url(settings, "sitemap")
    if siteurl is None:
        return
    newest = max((d for _, d in dated), default=None)
    rows = [(f"{siteurl}/", newest)] + [(f"{siteurl}/{page.url}", d) for page, d in dated]
    # pages other plugins write (the link-health page): SITEMAP_EXTRA = [(url, unix time or None)]
    for url, stamp in settings.get("SITEMAP_EXTRA") or []:
        when = datetime.fromtimestamp(stamp, tz=UTC) if isinstance(stamp, int | float) else None
        rows.append((f"{siteurl}/{url}", when))
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for loc, when in rows:
        lastmod = f"<lastmod>{when.date().isoformat()}</lastmod>" if when else ""
        lines.append(f"  <url><loc>{escape(loc)}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    logger.info("catalog: wrote %s (%d URLs)", path, len(rows))


Dated = list[tuple[Any, datetime]]


def write_feed(settings: dict[str, Any], output_dir: Path, rel: str, dated: Dated) -> None:
    siteurl = _site_url(settings, "Atom feed")
    if siteurl is None:
        return
    path = output_dir / rel
    feed = Atom1Feed(
        title=str(settings.get("SITENAME", "")),
        link=f"{siteurl}/",
        feed_url=f"{siteurl}/{rel.lstrip('/')}",
        description=str(settings.get("SITESUBTITLE", "")),
        language=str(settings.get("DEFAULT_LANG", "en")),
    )
    # Newest first, as feed readers expect.
    for page, when in sorted(dated, key=lambda pd: pd[1], reverse=True):
        link = f"{siteurl}/{page.url}"
        feed.add_item(
            title=page.title,
            link=link,
            unique_id=link,
            description=str(getattr(page, "meta", "") or ""),
            updateddate=when,
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        feed.write(handle, "utf-8")
    logger.info("catalog: wrote %s (%d pages)", path, len(dated))
