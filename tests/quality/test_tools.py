"""A missing gate tool fails in CI and skips, saying how to install it, elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.quality import tools


def test_missing_tool_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    monkeypatch.setattr(tools, "CHROMIUM", Path("/nonexistent/chromium"))
    with pytest.raises(pytest.fail.Exception, match="CI=true and Debian chromium"):
        tools.require_chromium()


def test_missing_tool_skips_with_install_hint_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(tools, "VNU_JAR", tools.REPO / "node_modules" / "nope" / "vnu.jar")
    with pytest.raises(pytest.skip.Exception, match=r"scripts/ci-deps\.sh"):
        tools.require_vnu()
    monkeypatch.setattr(tools.shutil, "which", lambda name: None)
    with pytest.raises(pytest.skip.Exception, match="default-jre-headless"):
        tools.require_java()
