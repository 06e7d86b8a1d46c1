"""Content drift: a page whose ``<title>`` became something else entirely.

Real catalogs have had links turn into parked, sold or hijacked domains while
still answering 200. The store keeps each link's title at its first successful
check (``first_title``) and the latest (``last_title``); this module decides
whether the two are *completely* different. Small edits (a version bump, a
reworded tagline, a changed separator) must not raise a warning, so the rule
compares normalised words and characters and warns only when both agree the
titles share next to nothing.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# Below this similarity (0..1) the titles are "completely different".
DRIFT_THRESHOLD = 0.25

# Words that say nothing about what a page is.
_STOPWORDS = frozenset({
    "a", "an", "and", "the", "of", "for", "to", "in", "on", "at", "by", "with", "from", "is", "are",
    "be", "this", "that", "your", "our", "my", "its",
})
# Words a parked or for-sale domain puts in its title; new ones there defeat the
# "one title just extends the other" allowance ("huey" -> "huey.io is for sale").
_PARKED_HINTS = frozenset({"sale", "parked", "expired", "auction", "buy"})
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)  # letters only: version numbers are small edits


@dataclass(frozen=True)
class Drift:
    url: str
    was: str
    now: str
    similarity: float

    @property
    def message(self) -> str:
        return f"content changed: was {self.was!r}, now {self.now!r}"


# Titles are compared this long at most: stored titles are shorter (the engine keeps 300
# characters), and the character ratio below costs the square of the length.
TITLE_CAP = 300


def _normalise(title: str) -> str:
    text = unicodedata.normalize("NFKC", title[:TITLE_CAP]).casefold()
    return " ".join(text.split())[:TITLE_CAP]  # NFKC and casefold can lengthen a title


def _words(title: str) -> set[str]:
    words = set()
    for w in _WORD.findall(_normalise(title)):
        if w in _STOPWORDS or len(w) < 2:
            continue
        # light stemming so "queue"/"queues" and "doc"/"docs" count as the same word
        words.add(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w)
    return words


def title_similarity(a: str, b: str) -> float:
    """1.0 for the same title, near 0 for unrelated ones.

    Jaccard overlap of meaningful words. A title that only gains or loses words
    ("Celery" -> "Celery - Distributed Task Queue") scores at least 0.5 unless
    the new words look like a parked domain. Titles without letters fall back
    to a character ratio.
    """
    na, nb = _normalise(a), _normalise(b)
    if na == nb:
        return 1.0
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return difflib.SequenceMatcher(None, na, nb, autojunk=False).ratio()
    score = len(wa & wb) / len(wa | wb)
    parked = bool((wb - wa) & _PARKED_HINTS)
    if parked:
        return min(score, DRIFT_THRESHOLD - 0.05)
    if wa <= wb or wb <= wa:
        score = max(score, 0.5)
    return score


def has_drifted(first_title: str | None, last_title: str | None) -> bool:
    """True when both titles are known, non-empty and completely different."""
    if not first_title or not last_title or not first_title.strip() or not last_title.strip():
        return False  # a page without a title tells us nothing
    return title_similarity(first_title, last_title) < DRIFT_THRESHOLD


def find_drift(statuses: Iterable[object]) -> list[Drift]:
    """Links (``LinkStatus``-like: url, first_title, last_title) whose content drifted."""
    out: list[Drift] = []
    for s in statuses:
        first, last = getattr(s, "first_title", None), getattr(s, "last_title", None)
        if has_drifted(first, last):
            assert first is not None and last is not None
            out.append(Drift(s.url, first.strip(), last.strip(),  # type: ignore[attr-defined]
                             round(title_similarity(first, last), 3)))
    return sorted(out, key=lambda d: d.url)
