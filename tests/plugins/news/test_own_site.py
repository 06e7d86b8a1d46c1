"""The news plugin on its own tiny site: items of each kind with their dates and links, escaping
in the page and the feed, the window, and the quiet page before any store data exists."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from linkcheck.inventory.internal import check_internal
from tests.plugins.news.conftest import (
    ATOM,
    EVIL_REPO,
    EVIL_VERSION,
    EVIL_YANKED,
    HERE,
    NOW,
    SITEURL,
    check_atom,
    seed,
)
from tests.support.site import build_own_site, soup

FEED = "feeds/news.atom.xml"


def build_news(out: Path, store: Path, *, siteurl: str = SITEURL, settings: dict[str, Any] | None = None,
               **news: Any) -> Path:
    return build_own_site(HERE, out, store, NEWS={"store": str(store), "now": NOW, **news},
                          SITEURL=siteurl, RELATIVE_URLS=not siteurl, **(settings or {}))


def news_link_problems(out: Path, **kwargs: Any) -> list[Any]:
    """Internal links of the news page that do not land (the tiny site has no reading-list page,
    which its home page links)."""
    return [p for p in check_internal(out, **kwargs) if p.page == "news.html"]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("news-seeded")
    return build_news(tmp / "out", seed(tmp / "store.sqlite3"))


def items(out: Path) -> dict[str, Any]:
    return {li["id"].removeprefix("news-"): li for li in soup(out / "news.html").select("li.news-item")}


def date_of(li: Any) -> str:
    return li.select_one("time")["datetime"]


def title_link(li: Any) -> str | None:
    link = li.select_one("a.news-title")
    return link["href"] if link else None


def test_items_of_each_kind_with_their_dates_and_links(seeded: Path) -> None:
    found = items(seeded)
    entry = f"{SITEURL}/projects.html#entry-alpha-queue"
    expected = {  # key: (date, title, link of the title)
        "release-alpha-queue-2-0": ("2025-12-28", "Alpha Queue 2.0 released", entry),
        "release-alpha-queue-1-9": ("2025-11-15", "Alpha Queue 1.9 released", entry),
        "archived-github-example-alpha-1767074400": ("2025-12-30", "Alpha Queue: repository archived", entry),
        "inactive-pypi-alpha-queue-1767009600": ("2025-12-29", "Alpha Queue marked inactive on PyPI", entry),
        "added-projects-2025-12-20": ("2025-12-20", "Alpha Queue added to the catalog", entry),
        "added-hosted-2025-12-20": ("2025-12-20", "Cloud Queue added to the catalog",
                                    f"{SITEURL}/hosted.html#entry-cloud-queue"),
        # the feature's entry, the host's release
        "release-hostframework-6-0": ("2025-12-03", "Hostframework 6.0 released",
                                      f"{SITEURL}/projects.html#entry-host-tasks"),
    }
    for key, (day, title, link) in expected.items():
        assert key in found, (key, sorted(found))
        li = found[key]
        assert date_of(li) == day, key
        assert li.select_one(".news-title").get_text(" ", strip=True) == title, key
        assert title_link(li) == link, key
    releases = [k for k in found if k.startswith("release-")]
    assert sorted(releases) == ["release-alpha-queue-1-9", "release-alpha-queue-2-0",
                                "release-evil-queue-img-src-x-onerror-alert-1-1-0",
                                "release-hostframework-6-0"]
    # the release is the host's, never the feature's own
    assert not [k for k in releases if "Host tasks" in found[k].select_one(".news-title").get_text()]
    host = found["release-hostframework-6-0"].get_text()
    assert "Host tasks (host.tasks) is part of Hostframework." in host
    assert found["release-alpha-queue-2-0"].select_one('a[href="https://pypi.org/project/alpha-queue/2.0/"]')
    text = soup(seeded / "news.html").select_one("main").get_text(" ", strip=True)
    # out of the window (before it, or a project the catalog does not list): not news
    assert "Old Queue" not in text and "0.1" not in text and "9.9" not in text and "elsewhere" not in text
    # status changes first in a block of their own, then the rest by month; newest first in each
    page = soup(seeded / "news.html")
    assert [h.get_text() for h in page.select("main h2")] == [
        "Status changes", "December 2025", "November 2025"]
    blocks = [[date_of(li) for li in ol.select("li.news-item")] for ol in page.select("main ol.news")]
    assert all(dates == sorted(dates, reverse=True) for dates in blocks)
    kinds = [[li.select_one(".news-kind")["class"][1] for li in ol.select("li.news-item")]
             for ol in page.select("main ol.news")]
    assert set(kinds[0]) <= {f"news-kind-{k}" for k in ("status", "archived", "unarchived", "renamed",
                                                         "inactive", "yanked")}
    assert not {"news-kind-release", "news-kind-added"} & set(kinds[0])
    assert {"news-kind-archived", "news-kind-inactive"} <= set(kinds[0])
    # every link inside the site lands on an element that exists
    assert news_link_problems(seeded, site_url=SITEURL) == []


def test_hostile_text_is_escaped_in_the_page_and_the_feed(seeded: Path) -> None:
    page = soup(seeded / "news.html")
    main = page.select_one("main")
    assert main.find("script") is None and main.find("img") is None and main.find("b") is None
    text = main.get_text(" ", strip=True)
    assert "Evil <script>alert(1)</script> Queue" in text
    assert "<img src=x onerror=alert(1)>1.0" in text and "\x07" not in text  # no control character
    assert EVIL_YANKED in text and f"moved to {EVIL_REPO}" in text
    root, parsed = check_atom(seeded / FEED)
    titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    assert "Evil <script>alert(1)</script> Queue added to the catalog" in titles
    assert f"Evil <script>alert(1)</script> Queue {EVIL_YANKED} yanked on PyPI" in titles
    assert f"Evil <script>alert(1)</script> Queue {EVIL_VERSION.rstrip(chr(7))} released" in titles
    for entry in root.findall(f"{ATOM}entry"):
        # type="html": what a feed reader renders holds the hostile text as text, never as markup
        summary = lxml.html.fragment_fromstring(entry.findtext(f"{ATOM}summary"), create_parent="div")
        assert not summary.xpath("//script | //img | //b"), entry.findtext(f"{ATOM}title")
    moved = next(e for e in parsed.entries if e.title.endswith(f"moved to {EVIL_REPO}"))
    assert "evil/&lt;b&gt;new&lt;/b&gt;" in moved.summary and "<b>" not in moved.summary


def test_the_feed_parses_and_says_what_the_page_says(seeded: Path) -> None:
    root, parsed = check_atom(seeded / FEED)
    page = items(seeded)
    # the same items (the page lists status changes first; the feed is newest first throughout)
    assert sorted(e.id for e in parsed.entries) == sorted(f"{SITEURL}/news.html#news-{key}" for key in page)
    by_id = {e.id: e for e in parsed.entries}
    for key, li in page.items():
        entry = by_id[f"{SITEURL}/news.html#news-{key}"]
        assert entry.title == li.select_one(".news-title").get_text(" ", strip=True)
        assert datetime(*entry.updated_parsed[:6], tzinfo=UTC).date().isoformat() == date_of(li)
        assert entry.link == (title_link(li) or f"{SITEURL}/news.html#news-{key}")
    newest = max(calendar.timegm(e.updated_parsed) for e in parsed.entries)
    assert calendar.timegm(parsed.feed.updated_parsed) == newest
    assert parsed.feed.title == "Python Task Queues: what's new"
    # found from every page, and said on the news page
    for name in ("index.html", "projects.html", "news.html"):
        links = soup(seeded / name).select('link[rel=alternate][type="application/atom+xml"]')
        assert f"{SITEURL}/{FEED}" in [link["href"] for link in links], name
    assert soup(seeded / "news.html").select_one(f'main a[href="{SITEURL}/{FEED}"]') is not None
    assert soup(seeded / "index.html").select_one(f'footer a[href="{SITEURL}/news.html"]') is not None


def test_without_a_store_only_new_entries_and_no_placeholders(tmp_path: Path) -> None:
    out = build_news(tmp_path / "out", tmp_path / "no-store.sqlite3", siteurl="")
    assert not (tmp_path / "no-store.sqlite3").exists()  # reading never creates a store
    found = items(out)
    assert sorted(found) == ["added-hosted-2025-12-20", "added-projects-2025-12-02",
                             "added-projects-2025-12-20"]
    main = soup(out / "news.html").select_one("main")
    text = main.get_text(" ", strip=True)
    for word in ("None", "unknown", "not fetched", "Release", "Archived", "Status"):
        assert word not in text, word
    # a local build (SITEURL "") writes no feed, and says nothing of one: no sentence without its link
    assert not (out / "feeds").exists()
    assert "feed" not in text.lower() and "site's address" not in text
    for name in ("index.html", "news.html"):
        assert not soup(out / name).select('link[type="application/atom+xml"]'), name
    assert news_link_problems(out) == []


def test_the_window_and_the_count_limit_the_items(tmp_path: Path) -> None:
    store = seed(tmp_path / "store.sqlite3")
    out = build_news(tmp_path / "few", store, max_items=3)
    found = items(out)
    assert list(found) == ["archived-github-example-alpha-1767074400", "inactive-pypi-alpha-queue-1767009600",
                           "release-alpha-queue-2-0"]
    assert "the latest 3" in soup(out / "news.html").select_one(".news-about").get_text()
    _, parsed = check_atom(out / FEED)
    assert len(parsed.entries) == 3
    out = build_news(tmp_path / "short", store, days=10)
    assert min(date_of(li) for li in items(out).values()) >= "2025-12-22"


def test_nothing_in_the_window_is_one_quiet_line(tmp_path: Path) -> None:
    out = build_news(tmp_path / "out", tmp_path / "no-store.sqlite3", days=1)
    article = soup(out / "news.html").select_one("main article")
    assert [p.get_text(" ", strip=True) for p in article.find_all("p")] == [
        "Nothing new in the catalog in the last 1 days."]
    assert not article.select("li, h2")
    _, parsed = check_atom(out / FEED)
    assert parsed.entries == []


def test_the_page_is_in_the_sitemap_dated_by_its_newest_item(tmp_path: Path) -> None:
    out = build_news(tmp_path / "out", seed(tmp_path / "store.sqlite3"),
                     settings={"CATALOG": {"sitemap": "sitemap.xml", "feed": None}})
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    from xml.etree import ElementTree as ET

    rows = {u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns)
            for u in ET.parse(out / "sitemap.xml").getroot().findall("s:url", ns)}
    assert rows[f"{SITEURL}/news.html"] == "2025-12-30"


def test_no_page_no_feed_no_links(tmp_path: Path) -> None:
    out = build_news(tmp_path / "out", seed(tmp_path / "store.sqlite3"), page=None)
    assert not (out / "news.html").exists() and not (out / "feeds").exists()
    home = soup(out / "index.html")
    assert not home.select('a[href$="news.html"]') and not home.select('link[type="application/atom+xml"]')
