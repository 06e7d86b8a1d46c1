"""Catalog edits to consider: maintained entries whose GitHub or PyPI data says they look
unmaintained, archived or renamed, with the evidence and a ready YAML snippet.

The signs come from ``metadata/vitality.py`` (the same ones the site shows). An entry
is listed when its signs suggest a stronger ``status`` than the catalog gives it (only
entries the catalog calls maintained: no status, or ``maintenance-only``), or when its
repository answers under a new name. An entry whose status already matches is not
listed. Nothing here changes the catalog: a maintainer reads the evidence and edits.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from linkcheck.metadata.vitality import STATUS_ORDER, Sign, for_entry, strongest
from linkcheck.store import Store


def _proposal(entry: Any, signs: list[Sign]) -> tuple[dict[str, str], list[Sign]]:
    """(fields to set, the signs backing them) for one entry; empty when nothing to propose."""
    fields: dict[str, str] = {}
    backing: list[Sign] = []
    current = getattr(entry, "status", None)
    best = strongest(signs)
    # only entries the catalog calls maintained; every suggestion is stronger than maintenance-only
    # except maintenance-only itself, which then already matches
    maintained = current is None or current == "maintenance-only"
    if best is not None and maintained and best.suggests != current:
        fields["status"] = best.suggests or ""
        fields["status_source"] = best.source_url
        backing += [s for s in signs if s.suggests in STATUS_ORDER]
    renamed = next((s for s in signs if s.kind == "renamed" and s.renamed_to), None)
    if renamed is not None:
        fields["repo"] = f"https://github.com/{renamed.renamed_to}"
        backing.append(renamed)
    return fields, backing


def catalog_edits(store: Store, entries: Iterable[Any], *, now: float, quiet_after_days: float,
                  root: Path | None = None) -> list[dict[str, Any]]:
    """One item per catalog project with an edit to consider, in catalog order.

    ``root``: paths in ``where`` are shown relative to it (the project root).
    """
    github_rows = {repo.lower(): row for repo, row in store.github_repos().items()}
    pypi_rows = store.pypi_projects()
    items = []
    for entry in entries:
        if getattr(entry, "section", None) != "projects":
            continue
        signs = for_entry(entry, github_rows, pypi_rows, now=now, quiet_after_days=quiet_after_days)
        fields, backing = _proposal(entry, signs)
        if not fields:
            continue
        path = Path(entry.path)
        shown = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
        line = entry.field_lines.get("status" if "status" in fields else "repo", entry.line)
        items.append({
            "entry": entry.id,
            "name": entry.name,
            "where": f"{shown}:{line}",
            "status": entry.status,
            "proposed": fields,
            # built from our own vocabulary and URLs assembled from checked names: safe as YAML
            "yaml": "\n".join(f"{key}: {value}" for key, value in fields.items()),
            "evidence": [{"kind": s.kind, "text": s.text, "evidence": s.evidence, "source_url": s.source_url}
                         for s in backing],
        })
    return items


def catalog_edits_for(settings: Any, store: Store, now: float) -> tuple[list[dict[str, Any]], str | None]:
    """``catalog_edits`` over the catalog in ``settings.content_dir``; (items, None), or ([], why)
    when the catalog cannot be read (the report still goes out)."""
    from linkcheck.catalog import CatalogError, load_catalog

    content_dir = Path(settings.content_dir)
    try:
        catalog = load_catalog(content_dir)
    except CatalogError as exc:
        return [], f"the catalog could not be read: {exc}"
    return catalog_edits(store, catalog.section("projects"), now=now,
                         quiet_after_days=settings.quiet_after_days, root=content_dir.parent), None
