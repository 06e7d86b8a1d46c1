"""docs/configuration.md and docs/cli.md are generated from the code: they cannot drift."""

from __future__ import annotations

import re
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


ROOT = DOCS.parent
# A path of the project named in prose: the folders a reader would open it in.
_PROJECT_PATH = re.compile(r"(?<![\w/.-])((?:linkcheck|plugins|theme|tests|benchmarks|scripts|deploy)"
                           r"/[\w./-]*\w)")


def test_every_project_path_the_docs_name_exists():
    """Docs that name a module, template or test the reader cannot find send them astray:
    every ``linkcheck/...``, ``plugins/...``, ``theme/...`` (...) path in README.md, docs/ and
    benchmarks/README.md must exist."""
    stale = []
    for doc in [ROOT / "README.md", ROOT / "benchmarks" / "README.md", *sorted(DOCS.glob("*.md"))]:
        for number, line in enumerate(doc.read_text(encoding="utf-8").splitlines(), start=1):
            for match in _PROJECT_PATH.finditer(line):
                if not (ROOT / match.group(1)).exists():
                    stale.append(f"{doc.relative_to(ROOT)}:{number}: {match.group(1)}")
    assert stale == []
