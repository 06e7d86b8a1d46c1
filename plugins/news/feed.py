"""The Atom 1.0 feed of the news items (feedgenerator's Atom1Feed), for an absolute SITEURL only.

Titles are Atom text (the XML writer escapes them); each summary is ``type="html"``, so every piece
of catalog or store text in it is HTML-escaped first and then XML-escaped by the writer: a feed
reader shows ``<b>`` in a project name as text, never as markup.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from pathlib import Path

from feedgenerator import Atom1Feed

from .items import NewsItem


def absolute(siteurl: str, href: str) -> str:
    return href if href.startswith(("https://", "http://")) else f"{siteurl}/{href}"


def item_anchor(page: str, item: NewsItem) -> str:
    return f"{page}#news-{item.key}"


def summary_html(item: NewsItem, siteurl: str) -> str:
    parts = [f"<p>{escape(item.text)}</p>"] if item.text else []
    if item.refs:
        links = "".join(f'<li><a href="{escape(absolute(siteurl, r.href))}">{escape(r.text)}</a>'
                        f"{': ' + escape(r.note) if r.note else ''}</li>" for r in item.refs)
        parts.append(f"<ul>{links}</ul>")
    parts.append(f"<p>Dated by {escape(item.dated_by)}.</p>")
    return "".join(parts)


def write_feed(path: Path, items: Iterable[NewsItem], *, siteurl: str, page: str, feed: str, title: str,
               author: str, language: str, subtitle: str) -> int:
    """Write the feed to ``path``; returns the number of entries."""
    atom = Atom1Feed(title=title, link=f"{siteurl}/{page}", feed_url=f"{siteurl}/{feed}",
                     description=subtitle, language=language, author_name=author or None)
    count = 0
    for item in items:
        anchor = f"{siteurl}/{item_anchor(page, item)}"
        atom.add_item(title=item.title, link=absolute(siteurl, item.link) if item.link else anchor,
                      unique_id=anchor, description=summary_html(item, siteurl),
                      pubdate=item.when, updateddate=item.when)
        count += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        atom.write(handle, "utf-8")
    return count
