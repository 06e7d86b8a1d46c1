"""What the store knows about problem links, shaped for people: suggested
fixes, per-host statistics and locations. Shared by the reports and the
site's link-health page so both say the same thing."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any

from linkcheck.engine.reasons import NOT_CHECKED_REASONS, TABLE
from linkcheck.upkeep.fix import is_permanent_move, target_url
from linkcheck.urls import host_of


def is_blocked(reason: str | None) -> bool:
    """Blocked for robots or otherwise alive-but-unchecked: never an alarm."""
    return reason in NOT_CHECKED_REASONS


def suggest_fix(url: str, verdict: str | None, reason: str | None, status: int | None,
                final_url: str | None) -> str:
    """One sentence telling a maintainer what to do about a link ("" when nothing);
    ``final_url`` is where a moved link now lives (``upkeep.fix.moved_to``)."""
    if verdict == "ok" or verdict is None:
        return ""
    if is_permanent_move(verdict, reason, final_url):
        assert final_url is not None
        new = target_url(url, final_url)
        return f"Update the link to {new} (python -m linkcheck fix --redirects does it)."
    if reason in TABLE and TABLE[reason].fix:
        return TABLE[reason].fix
    if verdict == "error":
        return "Open the link in a browser; if it is really gone, replace or remove it."
    return "Review the link by hand."


def host_label(url: str) -> str:
    """The host a statistics row is about, with a label for none or an unparsable URL."""
    host = host_of(url)
    return "(invalid)" if host is None else host or "(none)"


def host_stats(verdicts: Mapping[str, str | None]) -> list[dict[str, Any]]:
    """Per host: total and count per verdict, worst hosts (most errors) first."""
    per: dict[str, Counter[str]] = defaultdict(Counter)
    for url, verdict in verdicts.items():
        per[host_label(url)][verdict or "unchecked"] += 1
    rows = [
        {"host": host, "total": sum(c.values()), "ok": c["ok"], "warn": c["warn"],
         "error": c["error"], "unchecked": c["unchecked"]}
        for host, c in per.items()
    ]
    return sorted(rows, key=lambda r: (-r["error"], -r["warn"], r["host"]))
