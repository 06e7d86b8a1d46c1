"""The loop of a per-project refresh (PyPI releases, PyPI downloads): one API, one project at a time.

One failing project (``ProjectError``, a read timeout) is recorded and the others go on;
``max_errors`` failures in a row mean the API is down for this run, and the rest goes
first next time. A rate limit (``RateLimited`` from the shared client) stops the run
with its pause stored under the API's key; an unreachable API ends it with one error.
Messages are scrubbed of secrets before they are kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import requests

from linkcheck.metadata.http import ApiClient, RateLimited
from linkcheck.metadata.summary import RefreshSummary
from linkcheck.redact import redact
from linkcheck.settings import Settings
from linkcheck.store import Store

MAX_CONSECUTIVE_ERRORS = 5


class ProjectError(Exception):
    """One project could not be fetched this time; recorded and retried next run."""


def sweep(names: Iterable[str], fetch: Callable[[str], None], failed: Callable[[str, str], None], *,
          client: ApiClient, summary: RefreshSummary, store: Store, settings: Settings, api: str,
          label: str, base_url: str, max_errors: int = MAX_CONSECUTIVE_ERRORS) -> None:
    """``fetch`` each name in order; ``failed(name, message)`` records one that gave no usable
    answer (it is in ``summary.failed`` and ``summary.errors`` already). Closes ``client``."""
    consecutive = 0
    try:
        for name in names:
            try:
                fetch(name)
            except (ProjectError, requests.ReadTimeout) as exc:
                why = str(exc) if isinstance(exc, ProjectError) else f"{name}: {type(exc).__name__}"
                why = redact(why, settings.secret_parts())
                summary.failed.append(name)
                summary.errors.append(why)
                failed(name, why)
                consecutive += 1
                if consecutive >= max_errors:
                    summary.errors.append("stopped after repeated errors; the rest goes first next run")
                    break
                continue
            consecutive = 0
    except RateLimited as stop:
        summary.rate_limited = True
        summary.rate_limit_reason = stop.why
        summary.resume_after = stop.resume_after
        store.set_api_paused_until(api, stop.resume_after)
    except requests.RequestException as exc:
        summary.errors.append(redact(f"cannot reach {label} at {base_url}: {type(exc).__name__}",
                                     settings.secret_parts()))
    else:
        if summary.requests:  # the API answered again: any earlier pause is over
            store.set_api_paused_until(api, 0.0)
    finally:
        client.close()
