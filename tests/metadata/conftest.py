"""Shared by the metadata tests: checker settings for one test, pointed at its fake APIs."""

from __future__ import annotations

from pathlib import Path

from linkcheck.settings import Settings


def metadata_settings(tmp_path: Path, **overrides: object) -> Settings:
    """Private var/, content/ and output/ under ``tmp_path``, quick timeouts; ``overrides``
    name the fake APIs (``github_api_url=...``) and anything else a test sets."""
    values: dict[str, object] = {
        "var_dir": tmp_path / "var", "store_path": tmp_path / "var" / "linkcheck.sqlite3",
        "reports_dir": tmp_path / "var" / "reports", "content_dir": tmp_path / "content",
        "output_dir": tmp_path / "output", "timeout": 5.0, "connect_timeout": 2.0,
        **overrides,
    }
    return Settings.from_env(**values)
