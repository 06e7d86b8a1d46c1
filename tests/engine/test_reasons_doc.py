"""One reason table: the docs are generated from it, and every code is complete."""

from __future__ import annotations

from pathlib import Path

from linkcheck.engine.reasons import REASONS, TABLE, markdown_table
from linkcheck.engine.verdict import sentence

DOC = Path(__file__).resolve().parents[2] / "docs" / "verdicts.md"


def test_docs_table_is_generated_from_the_reason_table():
    assert DOC.read_text(encoding="utf-8") == markdown_table(), (
        "docs/verdicts.md is stale: run `python -m linkcheck.engine.reasons > docs/verdicts.md`")


def test_every_reason_has_a_sentence_and_errors_a_fix():
    for code in TABLE:
        assert sentence(code, status=500, final_url="https://x.test/").strip()
        if TABLE[code].verdict == "error":
            assert TABLE[code].fix, code


def test_engine_codes_exclude_report_only_codes():
    assert "content_drift" in TABLE and "content_drift" not in REASONS
    assert {code for code, r in TABLE.items() if r.engine} == set(REASONS)
