"""Template figures from stored rows: ages relative to the build, separators, badges, order."""

from __future__ import annotations

from plugins.github_data.figures import ago, figures

DAY = 86400
NOW = 1_800_000_000.0


def test_relative_ages():
    assert ago(NOW - 30, NOW) == "just now"
    assert ago(NOW + 3600, NOW) == "just now"  # clock skew never reads as the future
    assert ago(NOW - 60, NOW) == "1 minute ago"
    assert ago(NOW - 5 * 3600, NOW) == "5 hours ago"
    assert ago(NOW - DAY, NOW) == "1 day ago"
    assert ago(NOW - 95 * DAY, NOW) == "3 months ago"
    assert ago(NOW - 800 * DAY, NOW) == "2 years ago"


def test_figures_from_row_with_untrusted_values():
    row = {
        "repo": "a/b", "state": "ok", "renamed_to": None, "fetched_at": NOW - DAY,
        "data": {"stars": 1234567, "forks": "12", "pushed_at": "2020-01-01T00:00:00Z",
                 "homepage": "javascript:alert(1)", "description": "x" * 500, "archived": "yes"},
    }
    f = figures(row, NOW, description_chars=100)
    assert f["stars_text"] == "1,234,567"
    assert f["forks"] is None  # a string where a number belongs is dropped, not shown
    assert f["homepage"] is None
    assert len(f["description"]) == 100 and f["description"].endswith("…")
    assert f["archived"] is False and f["inactive"] is True
    assert f["pushed"]["iso"] == "2020-01-01T00:00:00Z" and f["pushed"]["date"] == "2020-01-01"
    assert f["fetched"]["ago"] == "1 day ago"
    assert f["released"] is None


def test_license_is_githubs_spdx_id_as_stored():
    # how it reads is the theme's one filter (sitecontext.helpers.license_label: NOASSERTION shows nothing)
    row = {"repo": "a/b", "state": "ok", "data": {"license": "NOASSERTION"}}
    assert figures(row, NOW)["license"] == "NOASSERTION" and "license_label" not in figures(row, NOW)
    assert figures({**row, "data": {"license": "MIT"}}, NOW)["license"] == "MIT"
    assert figures({**row, "data": {}}, NOW)["license"] is None


def test_stored_dates_out_of_range_never_stop_the_build():
    for bad in ("9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "2020-13-01T00:00:00Z", "x"):
        row = {"repo": "a/b", "state": "ok", "data": {"pushed_at": bad, "release_published_at": bad}}
        f = figures(row, NOW)
        assert f["pushed"] is None and f["released"] is None and f["inactive"] is False


def test_blocked_repository_state():
    row = {"repo": "a/b", "state": "blocked", "data": {"block_reason": "tos", "stars": 5}}
    f = figures(row, NOW)
    assert f["blocked"] and not f["missing"] and f["block_reason"] == "tos"


def test_downloads_figure_only_from_a_usable_row():
    from plugins.github_data.figures import downloads_figure

    assert downloads_figure({"last_month": 12, "fetched_at": NOW}) == {"last_month": 12, "fetched_at": NOW}
    for bad in (None, {}, {"last_month": "12", "fetched_at": NOW}, {"last_month": True, "fetched_at": NOW},
                {"last_month": -1, "fetched_at": NOW}, {"last_month": 3, "fetched_at": None}):
        assert downloads_figure(bad) is None


def test_inactive_note_names_the_threshold():
    from plugins.github_data.figures import threshold_words

    assert figures({"repo": "a/b", "state": "ok", "data": {}}, NOW)["inactive_note"] == (
        "no push to the repository in 18 months")
    assert [threshold_words(d) for d in (365, 548, 730, 90, 30)] == [
        "12 months", "18 months", "2 years", "3 months", "30 days"]
