"""Text-level pieces: whole-URL rewriting and broken-link marking (no network, no store)."""

from __future__ import annotations

from linkcheck.upkeep.fix import _rewrite_text, target_url
from plugins.linkhealth.annotate import annotate_counted, count_phrase, links_line
from plugins.linkhealth.chart import history_svg
from plugins.linkhealth.data import plain_reason


def test_rewrite_only_whole_urls():
    mapping = {"http://a.test/x": "https://a.test/y"}
    text = ("[x](http://a.test/x) and http://a.test/x. End\n"
            "keep http://a.test/xyz and http://a.test/x/deeper and http://a.test/x.html\n"
            "url: 'http://a.test/x'  # comment http://a.test/x\n")
    assert _rewrite_text(text, mapping) == (
        "[x](https://a.test/y) and https://a.test/y. End\n"
        "keep http://a.test/xyz and http://a.test/x/deeper and http://a.test/x.html\n"
        "url: 'https://a.test/y'  # comment https://a.test/y\n")


def test_rewrite_is_one_pass_and_longest_first():
    mapping = {"http://a.test/": "http://a.test/index", "http://a.test/index": "http://b.test/"}
    assert _rewrite_text("<http://a.test/> <http://a.test/index>", mapping) == (
        "<http://a.test/index> <http://b.test/>")


def test_fragment_kept_across_a_move():
    assert target_url("http://a.test/doc#install", "https://b.test/docs/") == "https://b.test/docs/#install"
    assert target_url("http://a.test/doc#x", "https://b.test/#y") == "https://b.test/#y"


def test_annotate_marks_only_broken_links_and_escapes():
    health = {
        "http://gone.test/a?x=1&y=2": {"broken": True, "archive_url": 'https://arch.test/"><script>',
                                       "failing_since": "2026-01-01 00:00 UTC", "state": "broken"},
        "http://ok.test/": {"broken": False, "state": "ok"},
        "http://walled.test/": {"broken": False, "state": "blocked"},
    }
    page = ('<p><a href="http://gone.test/a?x=1&amp;y=2">Gone</a> <a href="http://ok.test/">ok</a> '
            '<a href="/internal.html">in</a> <a href="http://unchecked.test/">u</a> '
            '<a href="http://walled.test/">w</a> <a href="http://ok.test/">again</a></p>')
    out, marked, states = annotate_counted(page, health.get)
    # distinct checked URLs by state; unchecked links are not counted
    assert marked == 1 and states == {"broken": 1, "ok": 1, "blocked": 1}
    assert count_phrase(states) == ": 1 work, 1 broken, 1 could not be checked automatically"
    assert '<a href="http://gone.test/a?x=1&amp;y=2" data-link-state="broken">Gone</a>' in out
    # the separator ends the words' unbreakable run: no line can start with it
    assert "broken link\u00a0·</span> <a" in out and "link-health-icon" in out
    assert "</a>\u2060<span" in out  # the mark never wraps away from its link
    assert 'href="https://arch.test/&quot;&gt;&lt;script&gt;">archived copy</a>' in out
    assert "<script>" not in out
    assert out.count("broken link") == 1
    # a page processed twice is not marked twice
    again, marked_again, _ = annotate_counted(out, health.get)
    assert marked_again == 0 and again == out


def test_a_mark_goes_after_the_text_kept_with_its_link():
    health = {"http://gone.test/": {"broken": True, "state": "broken"}}
    page = ('<p><a href="http://gone.test/">Old article</a> <span class="entry-when" data-linkhealth="tail">'
            '(2014, article)</span> text</p>')
    out, marked, _ = annotate_counted(page, health.get)
    assert marked == 1
    assert out.index("(2014, article)") < out.index("broken link") < out.index(" text")


def test_plain_reason_never_shows_a_code():
    assert plain_reason("not_found", 404, None) == "not found (HTTP 404)"
    assert plain_reason("not_found", None, None) == "not found"
    assert plain_reason("redirected_home", 200, "javascript:x") == (
        "redirected to the home page (another page): the page is gone")
    assert plain_reason("no_such_code", 500, None) == "does not answer"


def test_count_phrase_calls_failing_only_what_the_page_marks():
    assert count_phrase({"ok": 2, "moved": 1}) == ": all 3 work" and count_phrase({}) == ""
    # a blocked link is not a failing one: "10 work, 1 could not be checked", never "10 of 11 work"
    assert count_phrase({"ok": 10, "blocked": 1}) == ": 10 work, 1 could not be checked automatically"
    assert count_phrase({"ok": 3, "broken": 1, "unconfirmed": 2}) == ": 3 work, 1 broken, 2 being rechecked"
    assert " of " not in count_phrase({"ok": 4, "blocked": 1})


def test_history_svg_is_self_contained():
    history = [{"run": i, "started_at": 1_700_000_000 + i * 86400, "work": 10 - i, "failed": i,
                "unchecked": i % 2} for i in range(4)]
    svg = history_svg(history)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert svg.count("<polyline") == 3
    assert "<script" not in svg and "href" not in svg and "url(" not in svg
    assert "latest run: 7 work, 3 failed, 1 not checked" in svg
    assert history_svg([]) == ""


def test_the_footer_line_goes_on_a_page_without_links_of_its_own():
    line = ('<!--linkhealth:line--> · <span class="page-links">Links checked<!--linkhealth:count--></span>'
            "<!--/linkhealth:line-->")
    credit = '<footer><p>Built · <a href="https://fullstackpython.com/">credit</a>' + line + "</p></footer>"
    # only the footer's own credit link and a site link: no line, no dangling separator
    bare = links_line('<main><a href="news.html">news</a></main>' + credit, {})
    assert "page-links" not in bare and "credit</a></p>" in bare
    # an external link in the page: the count fills the slot
    page = links_line('<main><a href="https://celery.dev/">Celery</a></main>' + credit, {"ok": 1})
    assert "Links checked: all 1 work</span>" in page
    # the plugin's own anchors (archive copies, link-health tables) are not the page's links
    archive = '<main><a data-linkhealth="archive" href="https://web.archive.org/x">a</a></main>'
    own = links_line(archive + credit, {})
    assert "page-links" not in own


def test_history_svg_gives_the_few_failures_their_own_scale_and_writes_days_as_the_page_does():
    import re

    day = 1_764_720_000  # 3 Dec 2025 00:00 UTC
    history = [{"run": i, "started_at": day + i * 86400, "work": 440 + i, "failed": 15 - i,
                "unchecked": 7} for i in range(3)]
    svg = history_svg(history)
    texts = re.findall(r">([^<>]+)</text>", svg)
    assert "3 Dec" in texts and "5 Dec" in texts and not [t for t in texts if re.fullmatch(r"\d\d-\d\d", t)]
    # the failed line spans a real height, not a flat line at the bottom of a 0-442 axis
    ys = {m[0]: [float(v.split(",")[1]) for v in m[1].split()]
          for m in re.findall(r'class="series-(\w+)"><polyline points="([^"]+)"', svg)}
    assert max(ys["failed"]) - min(ys["failed"]) > 10  # 15 to 13: 11 px of 84 (under 1 px on one axis)
    assert min(ys["failed"]) > max(ys["work"])  # the second panel lies below the first
    assert "15" in texts and "442" in texts  # each panel's own top value
