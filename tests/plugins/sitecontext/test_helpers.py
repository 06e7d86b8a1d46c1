"""plugins/sitecontext/helpers.py: the number, date and "what to show" rules of the theme."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "plugins"))

from sitecontext import helpers as h  # noqa: E402

NOW = dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC).timestamp()
DAY = 86400


def Fact(value, note=None):  # noqa: N802 - mirrors the catalog's Fact(value, source, note)
    answer = ("list" if isinstance(value, tuple) else "partial" if value == "partial"
              else "yes" if value else "no")
    return SimpleNamespace(value=value, source="https://docs.example/#x", note=note, answer=answer)


def Project(id, *, downloads=None, stars=None, status=None, kind="queue", part_of=None, archived=False,  # noqa: N802,A002
            **facts):
    return SimpleNamespace(
        id=id, name=id.upper(), kind=kind, status=status, part_of=part_of, archived=archived,
        github={"stars": stars, "pushed": {}} if stars is not None else None,
        downloads={"last_month": downloads, "fetched_at": NOW} if downloads is not None else None,
        facts={k: Fact(v) for k, v in facts.items()})


def test_compact_number():
    assert [h.compact_number(v) for v in (0, 950, 1000, 84768, 999_950, 1_234_567)] == \
        ["0", "950", "1k", "84.8k", "1M", "1.2M"]
    assert h.compact_number(None) == "" and h.compact_number(True) == "" and h.compact_number("5") == ""


def test_dates():
    assert h.day_month_year(NOW) == "30 Nov 2026" and h.month_year("2026-09-06T10:00:00Z") == "Sep 2026"
    assert h.day_month_year(dt.date(2026, 1, 2)) == "2 Jan 2026"
    assert h.day_month_year(None) == "" and h.day_month_year("not a date") == ""


def test_long_inline_code_breaks_after_punctuation_never_inside_a_quoted_string():
    html = ('Use <code>@app.cron("*/5 * * * *", name=nightly)</code> or '
            '<code>scheduler.add_job(func, trigger)</code>; not code. (x)')
    out = str(h.code_breaks(html))
    assert '<code>@app.<wbr>cron(<wbr>"*/5\u00a0*\u00a0*\u00a0*\u00a0*", name=nightly)</code>' in out
    assert "<code>scheduler.<wbr>add_job(<wbr>func, trigger)</code>" in out
    assert out.endswith("; not code. (x)")
    long_quoted = "<code>&quot;0 * * * *&quot; and &quot;*/5 * * * *&quot;</code>"
    assert str(h.code_breaks(long_quoted)) == (
        "<code>&quot;0\u00a0*\u00a0*\u00a0*\u00a0*&quot; and "
        "&quot;*/5\u00a0*\u00a0*\u00a0*\u00a0*&quot;</code>")


def test_short_inline_code_stays_on_one_line_without_break_hints():
    # 25 characters or fewer (entities count as one): the class that keeps it whole, no <wbr>
    for code in ('@cron(&quot;*/5 * * * *&quot;)', "--with-scheduler", "django.tasks", ".delay()"):
        assert str(h.code_breaks(f"a <code>{code}</code> b")) == f'a <code class="nb">{code}</code> b'
    assert "<wbr>" in str(h.code_breaks("<code>" + "a." * 13 + "</code>"))  # 26 characters


def test_downloads_figure_links_its_source():
    assert h.downloads_url(SimpleNamespace(pypi="Django_Celery.Results")) == (
        "https://pypistats.org/packages/django-celery-results")
    assert h.downloads_url(SimpleNamespace(pypi=None)) is None


def test_license_label():
    assert h.license_label("NOASSERTION") == "" and h.license_label(" noassertion ") == ""
    assert h.license_label("BSD-3-Clause") == "BSD-3-Clause" and h.license_label(None) == ""


def test_latest_release_takes_the_newer_of_github_and_pypi():
    gh = {"release_tag": "v1.0", "released": {"ts": str(int(NOW - 40 * DAY))}}
    pypi = {"version": "1.1", "released": "2026-11-20T00:00:00Z", "yanked": False}
    entry = SimpleNamespace(github=gh, pypi="thing", pypi_release=pypi)
    release = h.latest_release(entry)
    assert (release.version, release.source) == ("1.1", "PyPI")
    assert release.url == "https://pypi.org/project/thing/1.1/"
    entry.pypi_release["yanked"] = True
    assert h.latest_release(entry).version == "v1.0"  # a yanked release is not "the latest"
    entry.github = None
    assert h.latest_release(entry).yanked == "yanked"
    assert h.latest_release(SimpleNamespace(github=None)) is None


def test_needs_come_from_maintained_task_queues_most_downloaded_first():
    a = Project("a", downloads=5, stars=900, asyncio=True, brokers=("redis",))
    b = Project("b", downloads=50, stars=1, asyncio="partial", brokers=("postgresql",))
    gone = Project("c", status="unmaintained", archived=True, asyncio=True, brokers=("redis",))
    kept = Project("k", status="maintenance-only", downloads=10**6, asyncio=True, brokers=("redis",))
    host = Project("h", part_of="Django", asyncio=True, brokers=("redis",))  # no figures of its own
    timer = Project("t", kind="scheduler", downloads=10**7, asyncio=True)
    bare = Project("d")
    found = {n["query"]: [e.id for e in n["entries"]] for n in h.needs([a, b, gone, kept, host, timer, bare])}
    # full answers first (b answers "partial"), then the most downloaded; a host's figures are not
    # the feature's own, so h comes after the queues with figures
    assert found == {"broker=redis&has=asyncio": ["a", "h"], "has=database": ["b"],
                     "has=asyncio": ["a", "h", "b"]}
    partly = next(n for n in h.needs([a, b]) if n["query"] == "has=asyncio")["partly"]
    assert partly == {"b"}  # a partial answer is named as such
    assert h.needs([bare, timer]) == []  # no queue facts: the home page stays quiet
    assert h.features(b) == ["asyncio", "database"] and h.brokers(a) == ["redis"]
    assert h.answer(None) == "unknown" and h.answer(Fact(False)) == "no"
    assert h.answer(Fact("partial")) == "partial"


def test_a_feature_of_a_larger_project_shows_no_figures_of_its_host():
    host = Project("django-tasks", part_of="Django", downloads=24_000_000, stars=85_000)
    assert h.stars_of(host) == -1 and h.downloads_of(host) == -1
    own = Project("celery", downloads=11_800_000, stars=26_800)
    assert (h.stars_of(own), h.downloads_of(own)) == (26_800, 11_800_000)


def test_status_badge_names_the_page_that_shows_it():
    kept = SimpleNamespace(status="maintenance-only", status_source="https://x.example/510", github=None,
                           repo=None)
    assert h.status_badge(kept) == {"kind": "maintenance-only", "label": "maintenance only",
                                    "url": "https://x.example/510"}
    flagged = SimpleNamespace(status=None, status_source=None, github={"archived": True},
                              repo="https://github.com/o/r")
    assert h.status_badge(flagged)["label"] == "archived on GitHub"
    assert h.status_badge(SimpleNamespace(status=None, status_source=None, github={}, repo=None)) is None


def test_grid_labels_are_css_strings_once_per_column():
    section = SimpleNamespace(key="queue", kind="queue", facts=("brokers", "scheduling"))
    css = str(h.grid_label_css([section]))
    assert css == '.grid-queue td:nth-of-type(1){--l:"Brokers"}.grid-queue td:nth-of-type(2){--l:"Periodic"}'
    assert h.css_string('a"b</style>') == '"a\\22 b\\3c /style\\3e "'


def test_recent_changes():
    new = SimpleNamespace(added=dt.date(2026, 11, 20), github=None)
    old = SimpleNamespace(added=dt.date(2025, 1, 1), github=None)
    seed = SimpleNamespace(added=None, github=None)
    assert h.recently_added([old, new, seed], NOW) == [new]
    fresh = SimpleNamespace(github={"release_tag": "v2", "released": {"ts": str(int(NOW - 3 * DAY))}})
    stale = SimpleNamespace(github={"release_tag": "v1", "released": {"ts": str(int(NOW - 90 * DAY))}})
    assert [e for e, _ in h.recent_releases([stale, fresh], NOW)] == [fresh]


def test_out_of_range_times_are_quiet_not_a_crash():
    # stored data never stops the build: these raised from fromtimestamp before
    for value in ("9999-12-31T23:59:59-23:59", 10**20, float("inf")):
        assert h.month_year(value) == "" and h.day_month_year(value) == ""
        assert h.iso_date(value) == ""
    assert h.day_month_year("2026-11-30T08:00:00Z") == "30 Nov 2026"


def test_a_flag_in_long_inline_code_never_breaks_at_its_hyphens():
    out = str(h.code_breaks("<code>rq worker --with-scheduler --burst</code>"))  # 34 characters
    assert out == ('<code>rq worker <span class="nb">--with-scheduler</span> '
                   '<span class="nb">--burst</span></code>')
    assert str(h.code_breaks("<code>celery -A proj worker &quot;--x-y z&quot;</code>")).count("nb") == 1


def test_notes_break_inside_identifiers_where_a_reader_expects_and_stay_escaped():
    assert str(h.soft_breaks("broker_priority")) == "broker_<wbr>priority"
    assert str(h.soft_breaks("CronScheduler")) == "Cron<wbr>Scheduler"
    assert str(h.soft_breaks("<b>x</b> & y")) == "&lt;b&gt;x&lt;/b&gt; &amp; y"
    assert str(h.soft_breaks("plain words, no identifiers")) == "plain words, no identifiers"
