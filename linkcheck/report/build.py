"""The link-health report of one check run, as Markdown, JSON and HTML (templates in render.py).

Contents: what changed since the previous run (newly broken, recovered, newly
moved), every problem with where it appears and a suggested fix, content
drift, catalog edits to consider (``edits.py``), per-host and run statistics.
Files are named by the run's start time and copied to ``latest.*``. Everything
that came from outside (messages, titles, redirect targets) is escaped for the
format it is written into.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from linkcheck.model import Result
from linkcheck.report.claims import unverified_claims
from linkcheck.report.drift import find_drift
from linkcheck.report.edits import catalog_edits_for
from linkcheck.report.problems import host_stats, is_blocked, suggest_fix
from linkcheck.report.render import render_html, render_markdown, summary_line
from linkcheck.store import Store
from linkcheck.timefmt import utc_iso
from linkcheck.upkeep.fix import is_permanent_move, moved_to


@dataclass(frozen=True)
class ReportPaths:
    md: Path
    json: Path
    html: Path
    latest_md: Path
    latest_json: Path
    latest_html: Path
    run_id: int

    def files(self) -> list[Path]:
        return [self.md, self.json, self.html]


@dataclass(frozen=True)
class Report:
    """One written report, handed as it is to delivery: nothing is read back from disk."""

    data: dict[str, Any]  # also the JSON file
    summary: str  # the one-line summary (email preamble, chat text)
    markdown: str
    html: str
    json_text: str
    paths: ReportPaths

    @property
    def run_id(self) -> int:
        return self.paths.run_id

    def files(self) -> list[Path]:
        return self.paths.files()


class NoRunError(LookupError):
    """The store has no check run to report on."""


# ------------------------------------------------------------------ data
_iso = utc_iso


def _checked_runs(store: Store) -> list[dict[str, Any]]:
    """Check runs that judged links, oldest first. Offline runs are left out: they
    hold back every error, so comparing with one would invent recoveries."""
    return [r for r in store.runs_with_results("check") if r["status"] != "offline"]


def _is_move(r: Result) -> bool:
    return is_permanent_move(r.verdict, r.reason, moved_to(r.redirects, r.final_url))


def build_report(store: Store, run_id: int | None = None, *, now: float | None = None,
                 settings: Any = None) -> dict[str, Any]:
    """The report as plain data (this is also the JSON file). With ``settings``, the catalog
    in ``settings.content_dir`` is read for "Catalog edits to consider"."""
    runs = _checked_runs(store)
    if not runs:
        raise NoRunError("no check run with results in the store: run `python -m linkcheck check` first")
    if run_id is None:
        finished = [r for r in runs if r["status"] == "done"]
        run = (finished or runs)[-1]  # a run still in progress is reported only on request
    else:
        matches = [r for r in runs if r["id"] == run_id]
        if not matches:
            raise NoRunError(f"run {run_id} is not a check run with results")
        run = matches[0]
    earlier = [r for r in runs if r["id"] < run["id"] and r["status"] == "done"]
    prev = earlier[-1] if earlier else None

    cur = store.run_results(run["id"])
    before = store.run_results(prev["id"]) if prev else {}
    statuses = store.link_statuses(now=now)
    locations = store.locations()
    archives = store.archive_lookups()

    def item(r: Result) -> dict[str, Any]:
        s = statuses.get(r.url)
        snap = archives.get(r.url) or {}
        return {
            "url": r.url,
            "verdict": r.verdict,
            "reason": r.reason,
            "status": r.status,
            "message": r.message,
            "final_url": r.final_url,
            "checked_at": _iso(r.checked_at),
            "broken_for_readers": bool(s and s.broken),
            "consecutive_failures": s.consecutive_failures if s else None,
            "failing_since": _iso(s.failing_since) if s else None,
            "blocked_for_robots": is_blocked(r.reason),
            "suggested_fix": suggest_fix(r.url, r.verdict, r.reason, r.status,
                                         moved_to(r.redirects, r.final_url)),
            "archived_copy": snap.get("snapshot_url"),
            "locations": [loc.to_json() for loc in locations.get(r.url, [])],
        }

    ordered = sorted(cur.values(), key=lambda r: r.url)
    newly_broken = [item(r) for r in ordered if r.verdict == "error"
                    and (r.url not in before or before[r.url].verdict != "error")]
    recovered = [item(r) for r in ordered if r.verdict != "error"
                 and r.url in before and before[r.url].verdict == "error"]
    newly_moved = [item(r) for r in ordered if _is_move(r)
                   and not (r.url in before and _is_move(before[r.url]))]
    problems = [item(r) for r in sorted(ordered, key=lambda r: (r.verdict != "error", r.url))
                if r.verdict != "ok"]
    drift = [
        {"url": d.url, "verdict": "warn", "reason": "content_drift", "was": d.was, "now": d.now,
         "message": d.message, "similarity": d.similarity,
         "suggested_fix": suggest_fix(d.url, "warn", "content_drift", None, None),
         "locations": [loc.to_json() for loc in locations.get(d.url, [])]}
        for d in find_drift(statuses[u] for u in cur if u in statuses)
    ]
    claims = unverified_claims(store, cur, locations)
    counts = {v: 0 for v in ("ok", "warn", "error")}
    counts.update(store.run_counts(run["id"]))
    reasons: dict[str, int] = {}
    for r in cur.values():
        reasons[r.reason] = reasons.get(r.reason, 0) + 1
    duration = (run["finished_at"] - run["started_at"]) if run.get("finished_at") else None
    edits, edits_note = (catalog_edits_for(settings, store, now if now is not None else time.time())
                         if settings is not None else ([], None))
    return {
        "generated_at": _iso(now) if now else _iso(dt.datetime.now(dt.UTC).timestamp()),
        "run": {"id": run["id"], "started_at": _iso(run["started_at"]),
                "finished_at": _iso(run.get("finished_at")), "status": run["status"],
                "duration_seconds": round(duration, 3) if duration is not None else None,
                "stats": run.get("stats") or {}},
        "previous_run": ({"id": prev["id"], "started_at": _iso(prev["started_at"]),
                          "counts": store.run_counts(prev["id"])} if prev else None),
        "counts": counts,
        "summary": {
            "links": len(cur),
            "problems": len(problems),
            "broken_for_readers": sum(1 for p in problems if p["broken_for_readers"]),
            "newly_broken": len(newly_broken),
            "recovered": len(recovered),
            "newly_moved": len(newly_moved),
            "content_drift": len(drift),
            "unverified_claims": len(claims),
            "catalog_edits": len(edits),
            "hosts": len({p["host"] for p in host_stats({u: r.verdict for u, r in cur.items()})}),
        },
        "changes": {"newly_broken": newly_broken, "recovered": recovered, "newly_moved": newly_moved},
        "problems": problems,
        "content_drift": drift,
        "unverified_claims": claims,
        "reasons": dict(sorted(reasons.items())),
        "hosts": host_stats({u: r.verdict for u, r in cur.items()}),
        "metadata_warnings": metadata_warnings(store),
        "catalog_edits": edits,
        "catalog_edits_note": edits_note,
    }


def metadata_warnings(store: Store) -> list[dict[str, Any]]:
    """PyPI projects whose declared source repository is not the catalog's ``repo``: a renamed
    project, or a PyPI name taken over by someone else (as the last PyPI refresh stored it)."""
    from linkcheck.metadata.pypi import mismatches

    return [
        {"kind": "pypi_source_mismatch", "pypi": name, "catalog_repo": ours, "pypi_source_repo": theirs,
         "message": f"PyPI project {name} declares its source at github.com/{theirs}, "
                    f"but the catalog's repo is github.com/{ours}"}
        for name, (ours, theirs) in sorted(mismatches(store).items())
    ]


# ----------------------------------------------------------------- files
def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)  # a crash mid-write never leaves a truncated report


def write_report(settings: Any, store: Store, run_id: int | None = None) -> Report:
    """Write the report of ``run_id`` (default: the latest run) and return it with its paths."""
    data = build_report(store, run_id, settings=settings)
    reports_dir = Path(settings.reports_dir)
    reports_dir.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.strptime(data["run"]["started_at"], "%Y-%m-%dT%H:%M:%SZ")
    stem = f"linkcheck-{started:%Y%m%d-%H%M%S}-run{data['run']['id']}"
    texts = {
        "md": render_markdown(data),
        "json": json.dumps(data, indent=2, ensure_ascii=False) + "\n",
        "html": render_html(data),
    }
    # latest.* follows the newest completed run: re-reporting an old run leaves it alone
    done = [r["id"] for r in _checked_runs(store) if r["status"] == "done"]
    is_newest = not done or data["run"]["id"] >= max(done)
    for ext, text in texts.items():
        _write_atomic(reports_dir / f"{stem}.{ext}", text)
        if is_newest or not (reports_dir / f"latest.{ext}").exists():
            shutil.copyfile(reports_dir / f"{stem}.{ext}", reports_dir / f"latest.{ext}.tmp")
            os.replace(reports_dir / f"latest.{ext}.tmp", reports_dir / f"latest.{ext}")
    paths = ReportPaths(
        md=reports_dir / f"{stem}.md", json=reports_dir / f"{stem}.json",
        html=reports_dir / f"{stem}.html", latest_md=reports_dir / "latest.md",
        latest_json=reports_dir / "latest.json", latest_html=reports_dir / "latest.html",
        run_id=data["run"]["id"],
    )
    return Report(data=data, summary=summary_line(data), markdown=texts["md"], html=texts["html"],
                  json_text=texts["json"], paths=paths)


def write_offline_report(settings: Any, store: Store, run_id: int) -> Path:
    """A run whose checker had no network judged nothing: a short note says so
    (``latest.*`` keeps the last real report, nothing is rebuilt)."""
    run = next((r for r in store.runs("check") if r["id"] == run_id), None)
    if run is None:
        raise NoRunError(f"run {run_id} is not a check run")
    reports_dir = Path(settings.reports_dir)
    reports_dir.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.fromtimestamp(run["started_at"], dt.UTC)
    path = reports_dir / f"linkcheck-{started:%Y%m%d-%H%M%S}-run{run_id}-offline.md"
    stats = run["stats"]
    _write_atomic(path, (
        f"# Link check run {run_id}: no network\n\n"
        f"Started {utc_iso(run['started_at'])}. The checker reached none of the "
        f"{stats.get('total', '?')} links' hosts at connection level, so it judged nothing: "
        "no link is recorded as broken, the site was not rebuilt, and the last report "
        "(latest.md) still stands. Check the checking machine's network or DNS; the next "
        "scheduled run will try again.\n"))
    return path
