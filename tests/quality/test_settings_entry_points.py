"""Settings are built once at each entry point and passed down: no other module reads them
from the environment, and the plugins take the store from their Pelican settings dict."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from linkcheck.settings import DEFAULT_STORE, Settings, plugin_options, plugin_store_path

ROOT = Path(__file__).resolve().parents[2]
ENTRY_POINTS = {"linkcheck/cli/__init__.py", "linkcheck/scheduler/app.py", "pelicanconf.py"}


def test_only_entry_points_build_settings_from_the_environment():
    files = [ROOT / "pelicanconf.py", *(ROOT / "linkcheck").rglob("*.py"), *(ROOT / "plugins").rglob("*.py")]
    callers = {str(path.relative_to(ROOT)) for path in files
               if re.search(r"Settings\.from_env\(", path.read_text(encoding="utf-8"))}
    callers.discard("linkcheck/settings.py")  # where it is defined
    assert callers == ENTRY_POINTS


def test_plugins_take_the_store_from_their_settings_not_the_environment(monkeypatch, tmp_path):
    from plugins.github_data.settings import github_data_settings
    from plugins.linkhealth.settings import linkhealth_settings

    monkeypatch.setenv("LINKCHECK_STORE", str(tmp_path / "from-env.sqlite3"))
    pelican = {"PATH": str(tmp_path / "site" / "content"),
               "LINKHEALTH": {"store_path": "data/health.sqlite3"}}
    health = linkhealth_settings(pelican)
    assert plugin_store_path(pelican, health["store_path"]) == tmp_path / "site" / "data" / "health.sqlite3"
    github = github_data_settings(pelican)  # no GITHUB_DATA: the documented default
    assert plugin_store_path(pelican, github["store"]) == tmp_path / "site" / DEFAULT_STORE
    assert health["broken_after_runs"] == Settings.broken_after_runs


def test_unknown_plugin_setting_names_the_known_ones():
    with pytest.raises(ValueError, match=r"LINKHEALTH setting has unknown keys \['stor'\]; known: "):
        plugin_options({"LINKHEALTH": {"stor": "x"}}, "LINKHEALTH", {"store": None})
