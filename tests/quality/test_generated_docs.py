"""docs/configuration.md and docs/cli.md are generated from the code: they cannot drift."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from pathlib import Path

import pytest

from linkcheck.cli import COMMAND_MODULES
from linkcheck.cli import reference as cli_reference
from linkcheck.settings import BOUNDS, Settings, markdown_reference

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.mark.parametrize(("doc", "generate", "module"), [
    ("configuration.md", markdown_reference, "linkcheck.settings"),
    ("cli.md", cli_reference.markdown_reference, "linkcheck.cli.reference"),
])
def test_committed_doc_is_up_to_date(doc: str, generate: Callable[[], str], module: str):
    assert (DOCS / doc).read_text(encoding="utf-8") == generate(), (
        f"docs/{doc} is stale: run `make docs` (python -m {module} > docs/{doc})")


def test_every_setting_and_bound_is_documented():
    doc = markdown_reference()
    for name, (variable, low, high) in BOUNDS.items():
        assert f"| `{variable}`" in doc and f"{low:g} – {high:g}" in doc, name
    rows = [line for line in doc.splitlines() if line.startswith(("| `", "| —"))]
    assert len(rows) == len(fields(Settings))
    assert "secret" in next(r for r in rows if "GITHUB_TOKEN" in r)


def test_every_command_has_a_section():
    doc = cli_reference.markdown_reference()
    for module in COMMAND_MODULES:
        name = module.rsplit(".", 1)[1].removesuffix("_cmd").replace("_", "-")
        assert f"\n## {name}\n" in doc, name
