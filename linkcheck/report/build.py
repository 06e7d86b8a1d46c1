"""The link-health report of one check run, as Markdown, JSON and HTML.

Contents: what changed since the previous run (newly broken, recovered, newly
moved), every problem with where it appears and a suggested fix, content
drift, per-host and run statistics. Files are named by the run's start time
and copied to ``latest.*``. Everything that came from outside (messages,
titles, redirect targets) is escaped for the format it is written into.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from linkcheck.model import Result
from linkcheck.report.drift import find_drift
from linkcheck.report.problems import host_stats, is_blocked, location_dicts, suggest_fix
from linkcheck.store import Store
from linkcheck.timefmt import utc_iso
from linkcheck.upkeep.fix import is_permanent_move


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


class NoRunError(LookupError):
    """The store has no check run to report on."""


# ------------------------------------------------------------------ data
_iso = utc_iso


def _checked_runs(store: Store) -> list[dict[str, Any]]:
    """Check runs that judged links, oldest first. Offline runs are left out: they
    hold back every error, so comparing with one would invent recoveries."""
    return [r for r in store.runs_with_results("check") if r["status"] != "offline"]


def _is_move(r: Result) -> bool:
    return is_permanent_move(r.verdict, r.reason, r.final_url)


def build_report(store: Store, run_id: int | None = None, *, now: float | None = None) -> dict[str, Any]:
    """The report as plain data (this is also the JSON file)."""
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
            "suggested_fix": suggest_fix(r.url, r.verdict, r.reason, r.status, r.final_url),
            "archived_copy": snap.get("snapshot_url"),
            "locations": location_dicts(locations.get(r.url, [])),
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
         "locations": location_dicts(locations.get(d.url, []))}
        for d in find_drift(statuses[u] for u in cur if u in statuses)
    ]
    counts = {v: 0 for v in ("ok", "warn", "error")}
    counts.update(store.run_counts(run["id"]))
    reasons: dict[str, int] = {}
    for r in cur.values():
        reasons[r.reason] = reasons.get(r.reason, 0) + 1
    duration = (run["finished_at"] - run["started_at"]) if run.get("finished_at") else None
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
            "hosts": len({p["host"] for p in host_stats({u: r.verdict for u, r in cur.items()})}),
        },
        "changes": {"newly_broken": newly_broken, "recovered": recovered, "newly_moved": newly_moved},
        "problems": problems,
        "content_drift": drift,
        "reasons": dict(sorted(reasons.items())),
        "hosts": host_stats({u: r.verdict for u, r in cur.items()}),
        "metadata_warnings": metadata_warnings(store),
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


def summary_line(data: dict[str, Any]) -> str:
    s, c = data["summary"], data["counts"]
    return (f"Link check run {data['run']['id']}: {s['links']} links, {c['ok']} ok, {c['warn']} warn, "
            f"{c['error']} error; {s['newly_broken']} newly broken, {s['recovered']} recovered, "
            f"{s['newly_moved']} newly moved, {s['content_drift']} content drift.")


# ------------------------------------------------------------- Markdown
# Every character that can start inline markup, a link, HTML or a table cell. Values are
# never at the start of a line, so list and heading markers ("-", "+", "1.") are harmless.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#!|<>~&])")


def md_text(value: object) -> str:
    """Escape outside text for Markdown: no markup, links or HTML can get through."""
    text = " ".join(str(value).split())  # no newlines: they would end table rows and lists
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_url(url: str) -> str:
    """An autolink whose text cannot break out of its angle brackets."""
    return "<" + quote(url, safe=":/?#[]@!$&'()*+,;=%~-._") + ">"


def _status_note(p: dict[str, Any]) -> str:
    """" (HTTP 404)" unless the message already names the status."""
    if p.get("status") and str(p["status"]) not in str(p["message"]):
        return f" (HTTP {p['status']})"
    return ""


def _md_where(locs: list[dict[str, Any]]) -> str:
    parts = []
    for loc in locs:
        where = f"`{loc['source']}:{loc['line']}`" if loc["line"] else f"`{loc['source']}`"
        if loc.get("page"):
            where += f" on page {md_text(loc['page'])}"
        if loc.get("entry"):
            where += f" (entry {md_text(loc['entry'])})"
        parts.append(where)
    return "; ".join(parts) or "location unknown"


def _md_items(items: list[dict[str, Any]], empty: str) -> list[str]:
    if not items:
        return [f"_{empty}_", ""]
    lines = []
    for p in items:
        status = _status_note(p)  # digits only: nothing to escape
        lines.append(f"- **{p['verdict']}** {md_url(p['url'])} — {md_text(p['message'])}{status}")
        lines.append(f"  - where: {_md_where(p['locations'])}")
        if p.get("failing_since"):
            broken = ", shown as broken to readers" if p.get("broken_for_readers") else ""
            lines.append(f"  - failing since {p['failing_since']}{broken}")
        if p.get("suggested_fix"):
            lines.append(f"  - fix: {md_text(p['suggested_fix'])}")
        if p.get("archived_copy"):
            lines.append(f"  - archived copy: {md_url(p['archived_copy'])}")
    lines.append("")
    return lines


def render_markdown(data: dict[str, Any]) -> str:
    ch = data["changes"]
    out = [f"# Link health report — run {data['run']['id']}", "",
           md_text(summary_line(data)), "",
           f"Run started {data['run']['started_at']}"
           + (f", previous run {data['previous_run']['id']} started {data['previous_run']['started_at']}."
              if data["previous_run"] else ", no previous run."), "",
           "## Changes since the previous run", "",
           "### Newly broken", "", *_md_items(ch["newly_broken"], "none"),
           "### Recovered", "", *_md_items(ch["recovered"], "none"),
           "### Newly moved", "", *_md_items(ch["newly_moved"], "none"),
           "## All problems", "", *_md_items(data["problems"], "no problems: every link is ok"),
           "## Content drift", ""]
    if data["content_drift"]:
        for d in data["content_drift"]:
            out.append(f"- **warn** {md_url(d['url'])} — {md_text(d['message'])}")
            out.append(f"  - where: {_md_where(d['locations'])}")
            out.append(f"  - fix: {md_text(d['suggested_fix'])}")
        out.append("")
    else:
        out += ["_none_", ""]
    if data.get("metadata_warnings"):
        out += ["## Project metadata", ""]
        out += [f"- **warn** {md_text(w['message'])}: check the entry's `repo` and `pypi`"
                for w in data["metadata_warnings"]]
        out.append("")
    out += ["## Statistics", "", "| verdict | links |", "|---|---|"]
    out += [f"| {v} | {n} |" for v, n in data["counts"].items()]
    out += ["", "| reason | links |", "|---|---|"]
    out += [f"| {md_text(r)} | {n} |" for r, n in data["reasons"].items()]
    out += ["", "| host | links | ok | warn | error |", "|---|---|---|---|---|"]
    out += [f"| {md_text(h['host'])} | {h['total']} | {h['ok']} | {h['warn']} | {h['error']} |"
            for h in data["hosts"]]
    if data["run"]["duration_seconds"] is not None:
        out += ["", f"Run time: {data['run']['duration_seconds']} s."]
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------ HTML
def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _h_link(url: str) -> str:
    # only http(s) targets become clickable; anything else is shown as text
    if url.lower().startswith(("http://", "https://")):
        return f'<a href="{_e(url)}" rel="nofollow noopener">{_e(url)}</a>'
    return f"<code>{_e(url)}</code>"


def _h_where(locs: list[dict[str, Any]]) -> str:
    parts = []
    for loc in locs:
        where = f"<code>{_e(loc['source'])}{':' + _e(loc['line']) if loc['line'] else ''}</code>"
        if loc.get("page"):
            where += f" page {_e(loc['page'])}"
        if loc.get("entry"):
            where += f" (entry {_e(loc['entry'])})"
        parts.append(where)
    return "<br>".join(parts) or "unknown"


def _h_table(items: list[dict[str, Any]], empty: str) -> str:
    if not items:
        return f"<p><em>{_e(empty)}</em></p>"
    rows = []
    for p in items:
        extra = f"<br>archived copy: {_h_link(p['archived_copy'])}" if p.get("archived_copy") else ""
        status = _e(_status_note(p))
        since = _e(p.get("failing_since") or "")
        if p.get("broken_for_readers"):
            since += " (shown as broken)"
        rows.append(
            f"<tr><td>{_e(p['verdict'])}</td><td>{_h_link(p['url'])}{extra}</td>"
            f"<td>{_e(p['message'])}{status}</td>"
            f"<td>{_h_where(p['locations'])}</td><td>{since}</td>"
            f"<td>{_e(p.get('suggested_fix') or '')}</td></tr>"
        )
    return ("<table><thead><tr><th>verdict</th><th>link</th><th>what happened</th><th>where</th>"
            "<th>failing since</th><th>suggested fix</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>")


def render_html(data: dict[str, Any]) -> str:
    ch = data["changes"]
    drift_rows = "".join(
        f"<tr><td>{_h_link(d['url'])}</td><td>{_e(d['message'])}</td><td>{_h_where(d['locations'])}</td></tr>"
        for d in data["content_drift"]
    )
    drift = (f"<table><thead><tr><th>link</th><th>change</th><th>where</th></tr></thead>"
             f"<tbody>{drift_rows}</tbody></table>" if drift_rows else "<p><em>none</em></p>")
    counts = "".join(f"<tr><td>{_e(v)}</td><td>{n}</td></tr>" for v, n in data["counts"].items())
    meta = "".join(f"<li>{_e(w['message'])}: check the entry's repo and pypi</li>"
                   for w in data.get("metadata_warnings") or [])
    meta = f"<h2>Project metadata</h2><ul>{meta}</ul>" if meta else ""
    hosts = "".join(
        f"<tr><td>{_e(h['host'])}</td><td>{h['total']}</td><td>{h['ok']}</td><td>{h['warn']}</td>"
        f"<td>{h['error']}</td></tr>" for h in data["hosts"]
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Link health report — run {data['run']['id']}</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem}}
table{{border-collapse:collapse;width:100%;margin:1rem 0}}th,td{{border:1px solid #999;padding:.3rem;
text-align:left;vertical-align:top;overflow-wrap:anywhere}}</style></head>
<body><main>
<h1>Link health report — run {data['run']['id']}</h1>
<p>{_e(summary_line(data))}</p>
<p>Run started {_e(data['run']['started_at'])}.</p>
<h2>Changes since the previous run</h2>
<h3>Newly broken</h3>{_h_table(ch['newly_broken'], 'none')}
<h3>Recovered</h3>{_h_table(ch['recovered'], 'none')}
<h3>Newly moved</h3>{_h_table(ch['newly_moved'], 'none')}
<h2>All problems</h2>{_h_table(data['problems'], 'no problems: every link is ok')}
<h2>Content drift</h2>{drift}
{meta}
<h2>Statistics</h2>
<table><thead><tr><th>verdict</th><th>links</th></tr></thead><tbody>{counts}</tbody></table>
<table><thead><tr><th>host</th><th>links</th><th>ok</th><th>warn</th><th>error</th></tr></thead>
<tbody>{hosts}</tbody></table>
</main></body></html>
"""


# ----------------------------------------------------------------- files
def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)  # a crash mid-write never leaves a truncated report


def write_report(settings: Any, store: Store, run_id: int | None = None) -> ReportPaths:
    """Write the report of ``run_id`` (default: the latest run) and return its paths."""
    data = build_report(store, run_id)
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
    return ReportPaths(
        md=reports_dir / f"{stem}.md", json=reports_dir / f"{stem}.json",
        html=reports_dir / f"{stem}.html", latest_md=reports_dir / "latest.md",
        latest_json=reports_dir / "latest.json", latest_html=reports_dir / "latest.html",
        run_id=data["run"]["id"],
    )
