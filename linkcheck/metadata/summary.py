"""What one metadata refresh (GitHub, PyPI) did: the counters and lists both share."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(kw_only=True)
class RefreshSummary:
    requested: int = 0  # repositories or projects in scope
    requests: int = 0  # HTTP requests sent
    updated: int = 0  # items whose data was written (200)
    changed: int = 0  # stored data or states that differ from before (a rebuild is worth it)
    not_modified: int = 0  # confirmed unchanged (304)
    failed: list[str] = field(default_factory=list)  # asked this run, no usable answer; retried next run
    rejected: list[str] = field(default_factory=list)  # out-of-range values not stored, naming the item
    pending: list[str] = field(default_factory=list)  # not reached this run, first in line next run
    errors: list[str] = field(default_factory=list)
    rate_limited: bool = False
    rate_limit_reason: str = ""
    resume_after: float | None = None
    run_id: int | None = None

    @property
    def problems(self) -> bool:
        """Something in the catalog needs a maintainer (exit code 1)."""
        return False

    @property
    def run_status(self) -> str:
        """How the refresh's run is stored: done, partial (paused or some errors), failed."""
        if self.errors:
            return "failed" if not self.updated and not self.not_modified else "partial"
        return "partial" if self.rate_limited else "done"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
