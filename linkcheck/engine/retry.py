"""When and how long to wait before trying a request again."""

from __future__ import annotations

import random
import time
from email.utils import parsedate_to_datetime

# Statuses that usually mean "try again later", not "this link is broken".
TRANSIENT_STATUSES = frozenset({408, 429, 502, 503, 504})


def backoff_delay(attempt: int, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Exponential backoff with "equal jitter": half fixed, half random, so that
    many links to one struggling host do not retry in lockstep."""
    ceiling = min(cap, base * (2**attempt))
    r = (rng or random).random()
    return ceiling / 2 + r * ceiling / 2


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def retry_delay(attempt: int, retry_after: str | None, *, base: float, cap: float,
                retry_after_cap: float, rng: random.Random | None = None) -> float:
    """The wait before retry number ``attempt + 1``: the server's word if it gave one
    (capped, so a hostile "Retry-After: 86400" cannot stall a run), else backoff."""
    asked = parse_retry_after(retry_after)
    if asked is not None:
        return min(asked, retry_after_cap)
    return backoff_delay(attempt, base, cap, rng)
