"""Project events: what a GitHub or PyPI refresh saw change between two fetches of a project.

The refreshers compare the stored row before a fetch with the new data and record
one ``project_events`` row per change, for the catalog's news feed:

| kind | seen when |
|---|---|
| ``release`` | PyPI names a newer version than before (detail: version, released, previous) |
| ``archived`` / ``unarchived`` | GitHub's archived flag flips |
| ``renamed`` | GitHub answers for the catalog's repository under a new name (detail: from, to) |
| ``inactive-classifier`` | the latest PyPI release declares "Development Status :: 7 - Inactive" |
| ``yanked`` | a PyPI release is yanked that was not before (detail: version) |

Nothing is recorded on a project's first fetch (there is no earlier state to
differ from), nor when the earlier row lacks the field (stored by an older
linkcheck that did not keep it): a new field is not news. ``project`` is
``pypi:NAME`` or ``github:OWNER/NAME`` as the catalog writes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from linkcheck.store import Store
from linkcheck.timefmt import to_timestamp

Change = tuple[str, dict[str, Any]]


def record_events(store: Store, project: str, changes: list[Change], at: float) -> None:
    for kind, detail in changes:
        store.record_project_event(project, kind, detail, at)


def pypi_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Change]:
    """Changes between two stored PyPI data dicts of one project (``metadata/pypi.py`` shape)."""
    changes: list[Change] = []
    old, new = before.get("version"), after.get("version")
    if new and new != old:
        old_ts, new_ts = to_timestamp(before.get("released")), to_timestamp(after.get("released"))
        # a yanked latest release makes PyPI name an older one: that is no new release
        if new_ts is not None and (old_ts is None or new_ts > old_ts):
            changes.append(("release", {"version": new, "released": after.get("released"), "previous": old}))
    if "inactive" in before and not before["inactive"] and after.get("inactive") is True:
        changes.append(("inactive-classifier", {"version": new}))
    if isinstance(before.get("yanked_versions"), list):
        known = set(before["yanked_versions"])
        changes += [("yanked", {"version": v}) for v in after.get("yanked_versions") or [] if v not in known]
    return changes


def github_changes(repo: str, before: Mapping[str, Any], after_state: str, after: Mapping[str, Any],
                   renamed_to: str | None) -> list[Change]:
    """Changes between a stored GitHub row (``before``: state, data, renamed_to) and new figures."""
    if before.get("state") not in ("ok", "renamed"):
        return []  # missing or blocked before: no figures to compare with
    changes: list[Change] = []
    data = before.get("data") or {}
    if "archived" in data and bool(data["archived"]) != bool(after.get("archived")):
        changes.append(("archived" if after.get("archived") else "unarchived", {"repo": renamed_to or repo}))
    was = (before.get("renamed_to") or "").lower() if before.get("state") == "renamed" else ""
    if after_state == "renamed" and renamed_to and renamed_to.lower() != was:
        changes.append(("renamed", {"from": before.get("renamed_to") or repo, "to": renamed_to}))
    return changes
