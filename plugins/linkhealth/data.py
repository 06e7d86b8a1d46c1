"""A read-only snapshot of the link store, shaped for templates (no Pelican here).

Read once per build. Decides what readers are told: only links broken by the
store's rule (N consecutive failed runs over T hours) raise an alarm; a failure
not yet confirmed, a link blocked for robots and an unchecked link do not.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from linkcheck.engine.reasons import TABLE
from linkcheck.report.problems import host_label, host_stats, is_blocked, suggest_fix
from linkcheck.store import LinkStatus, Store
from linkcheck.timefmt import utc_human, utc_iso
from linkcheck.upkeep.fix import is_permanent_move, moved_to, target_url

# What a reader sees per state; wording avoids alarm where none is due.
READER_LABELS = {
    "ok": "works",
    "moved": "works (moved to a new address)",
    "broken": "broken",
    "unconfirmed": "being rechecked",  # one failure is not news: say nothing alarming yet
    "blocked": "not checkable automatically",
}


# The groups readers are told about, in the order the page's tiles and chart show them: a link
# works (ok or moved), failed (broken, or failed once and being rechecked: the page marks only
# broken ones) or could not be checked (the site refuses automated checkers).
GROUPS = ("work", "failed", "unchecked")
GROUP_OF_STATE = {"ok": "work", "moved": "work", "broken": "failed", "unconfirmed": "failed",
                  "blocked": "unchecked"}


def run_group(verdict: str | None, reason: str | None) -> str:
    """The group of one check in a run (the chart's series), by the rule reader_state applies to
    a link's latest check: an error failed, an alive-but-unchecked answer was not checked, the
    rest (ok, moved, other warnings) works."""
    if verdict == "error":
        return "failed"
    return "unchecked" if is_blocked(reason) else "work"


def plain_reason(reason: str, status: int | None, final_url: str | None) -> str:
    """What went wrong, in the reason table's words for one result ("not found (HTTP 404)"); never
    the raw code or the checker's own message (which may carry anything the server sent)."""
    found = TABLE.get(reason)
    if found is None:
        return "does not answer"
    sentence = found.sentence if status is not None else re.sub(r" ?\(HTTP \{status\}\)", "", found.sentence)
    return sentence.format(status=status, final_url=_safe_http(final_url) or "another page")


human_time = utc_human
iso_time = utc_iso


@dataclass
class LinkInfo:
    url: str
    state: str  # ok | moved | broken | unconfirmed | blocked
    verdict: str
    reason: str
    status: int | None
    message: str
    final_url: str | None
    new_url: str | None  # where a permanent move leads (fragment kept)
    last_checked: float
    failing_since: float | None
    consecutive_failures: int
    archive_url: str | None
    suggested_fix: str
    locations: list[dict[str, Any]] = field(default_factory=list)

    @property
    def problem(self) -> str:
        """What went wrong, in plain words for readers (never a raw code or server text)."""
        return plain_reason(self.reason, self.status, self.final_url)

    @property
    def host(self) -> str:
        return host_label(self.url)

    def as_health(self) -> dict[str, Any]:
        """The ``entry.health`` dict attached to catalog entries."""
        return {
            "url": self.url,
            "state": self.state,
            "label": READER_LABELS[self.state],
            "broken": self.state == "broken",
            "verdict": self.verdict,
            "new_url": self.new_url,
            "archive_url": self.archive_url if self.state == "broken" else None,
            "last_checked": human_time(self.last_checked),
            "last_checked_iso": iso_time(self.last_checked),
            "failing_since": human_time(self.failing_since) if self.state == "broken" else None,
        }


def reader_state(s: LinkStatus) -> str:
    if s.broken:
        return "broken"
    if s.verdict == "error":
        return "unconfirmed"
    if is_blocked(s.reason):
        return "blocked"
    if is_permanent_move(s.verdict, s.reason, moved_to(s.redirects, s.final_url)):
        return "moved"
    return "ok"


def _safe_http(url: str | None) -> str | None:
    """Only http(s) URLs from the store may become links in the site."""
    if url and url.lower().startswith(("http://", "https://")):
        return url
    return None


@dataclass
class HealthData:
    links: dict[str, LinkInfo]
    history: list[dict[str, Any]]  # oldest first: {"run", "started_at", "work", "failed", "unchecked"}
    generated_at: float

    @classmethod
    def load(
        cls,
        store_path: str | Path,
        *,
        broken_after_runs: int,
        broken_after_hours: float,
        history_runs: int = 60,
        now: float | None = None,
    ) -> HealthData | None:
        """None when there is no store yet (a fresh clone builds fine without one)."""
        path = Path(store_path)
        if not path.is_file():
            return None
        now = time.time() if now is None else now
        with Store(path, broken_after_runs=broken_after_runs,
                   broken_after_hours=broken_after_hours) as store:
            statuses = store.link_statuses(now=now)
            locations = store.locations()
            archives = store.archive_lookups()
            runs = [r for r in store.runs("check") if r["status"] != "offline"]
            history = []
            for run in runs[-history_runs:] if history_runs else runs:
                results = store.run_results(run["id"]).values()
                counts = Counter(run_group(r.verdict, r.reason) for r in results)
                if counts:
                    history.append({"run": run["id"], "started_at": run["started_at"],
                                    **{g: counts.get(g, 0) for g in GROUPS}})
        links: dict[str, LinkInfo] = {}
        for url, s in statuses.items():
            if s.last_checked is None or s.verdict is None:
                continue  # never checked: no health, the theme says "not checked yet"
            moved = moved_to(s.redirects, s.final_url)
            new_url = (target_url(url, moved) if moved and is_permanent_move(s.verdict, s.reason, moved)
                       else None)
            links[url] = LinkInfo(
                url=url, state=reader_state(s), verdict=s.verdict, reason=s.reason or "",
                status=s.status, message=s.message or "", final_url=s.final_url,
                new_url=_safe_http(new_url), last_checked=s.last_checked,
                failing_since=s.failing_since, consecutive_failures=s.consecutive_failures,
                archive_url=_safe_http((archives.get(url) or {}).get("snapshot_url")),
                suggested_fix=suggest_fix(url, s.verdict, s.reason, s.status, moved),
                locations=[loc.to_json() for loc in locations.get(url, [])],
            )
        return cls(links=links, history=history,
                   generated_at=now)

    # ---------------------------------------------------------- lookups
    def health(self, url: str) -> dict[str, Any] | None:
        info = self.links.get(url)
        return info.as_health() if info else None

    def by_state(self, state: str) -> list[LinkInfo]:
        return sorted((i for i in self.links.values() if i.state == state), key=lambda i: i.url)

    @property
    def totals(self) -> dict[str, int]:
        counted = Counter(i.verdict for i in self.links.values())
        return {v: counted.get(v, 0) for v in ("ok", "warn", "error")}

    @property
    def hosts(self) -> list[dict[str, Any]]:
        return host_stats({u: i.verdict for u, i in self.links.items()})

    @property
    def groups(self) -> dict[str, int]:
        """The tiles' numbers, in the chart's groups: {"work": n, "failed": n, "unchecked": n}."""
        counted = Counter(GROUP_OF_STATE[i.state] for i in self.links.values())
        return {g: counted.get(g, 0) for g in GROUPS}

    @property
    def last_checked_ts(self) -> float | None:
        return max((i.last_checked for i in self.links.values()), default=None)

    @property
    def last_checked(self) -> str | None:
        return human_time(max((i.last_checked for i in self.links.values()), default=None))
