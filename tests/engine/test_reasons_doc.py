"""The README's verdict table lists exactly the engine's reason codes, with their verdicts."""

from __future__ import annotations

import re
from pathlib import Path

from linkcheck.engine.verdict import REASONS, sentence

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_table_matches_reasons():
    text = README.read_text(encoding="utf-8")
    section = text.split("## Link checker: verdicts", 1)[1]
    rows = dict(re.findall(r"^\| `([a-z0-9_]+)` \| (ok|warn|error) \|", section, re.MULTILINE))
    assert rows == {code: verdict for code, (verdict, _) in REASONS.items()}


def test_every_reason_has_a_sentence():
    for code in REASONS:
        assert sentence(code, status=500, final_url="https://x.test/").strip()
