"""Unverified claims: catalog facts whose source link broke or lost its #anchor.

Every catalog fact names the documentation section that backs it (docs/catalog.md).
When that source fails (an error verdict) or the page is up but the section's
anchor is gone (``anchor_missing``), the fact is no longer confirmed by its
source: the report lists it with the entry, the fact, the source and the first
failing check of the current streak, "unverified since".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from linkcheck.model import Location, Result
from linkcheck.store import Store
from linkcheck.timefmt import utc_iso

# A long streak still ends within this many checks of one URL (history is newest first).
_HISTORY_LIMIT = 1000


def claim_fails(verdict: str, reason: str) -> bool:
    """The source no longer backs its claim: the link is broken or its #anchor went missing."""
    return verdict == "error" or reason == "anchor_missing"


def failing_since(store: Store, url: str, until: float) -> float:
    """checked_at of the first check of the current failing streak, up to ``until``."""
    since = until
    for r in store.history(url, limit=_HISTORY_LIMIT):
        if r.checked_at > until:
            continue  # a later run than the one reported on
        if not claim_fails(r.verdict, r.reason):
            break
        since = r.checked_at
    return since


def unverified_claims(store: Store, results: Mapping[str, Result],
                      locations: Mapping[str, list[Location]]) -> list[dict[str, Any]]:
    """One item per (fact, source) whose source fails in ``results``, by entry then fact."""
    items = []
    for url, r in results.items():
        if not claim_fails(r.verdict, r.reason):
            continue
        facts = [loc for loc in locations.get(url, []) if loc.fact and loc.entry]
        if not facts:
            continue
        since = failing_since(store, url, r.checked_at)
        for loc in facts:
            items.append({
                "entry": loc.entry, "fact": loc.fact, "source": url,
                "since": utc_iso(since), "since_ts": since,
                "verdict": r.verdict, "reason": r.reason, "message": r.message, "status": r.status,
                "where": f"{loc.source}:{loc.line}" if loc.line else loc.source,
            })
    return sorted(items, key=lambda i: (i["entry"], i["fact"], i["source"]))
