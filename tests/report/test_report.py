"""Reports from two real check runs: deltas, locations, fixes, drift, escaping, files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from linkcheck.report.build import write_report
from linkcheck.store import Store
from tests.support.tworuns import TwoRuns

ROOT = Path(__file__).resolve().parents[2]


def _urls(items: list[dict]) -> set[str]:
    return {i["url"] for i in items}


def test_deltas_between_two_runs(two_runs: TwoRuns):
    u = two_runs.url
    with Store.from_settings(two_runs.settings) as store:
        paths = write_report(two_runs.settings, store).paths
    data = json.loads(paths.json.read_text(encoding="utf-8"))
    assert data["run"]["id"] == two_runs.run_ids[1]
    assert data["previous_run"]["id"] == two_runs.run_ids[0]
    changes = data["changes"]
    # /gone failed in both runs: not news. /flaky fails for the first time.
    assert _urls(changes["newly_broken"]) == {u("/flaky")}
    assert _urls(changes["recovered"]) == {u("/healing")}
    # /old moved in both runs; /later moved only now
    assert _urls(changes["newly_moved"]) == {u("/later")}
    assert data["summary"]["newly_broken"] == 1 and data["summary"]["recovered"] == 1
    assert data["counts"]["error"] == 2  # /gone and /flaky
    assert sum(data["counts"].values()) == data["summary"]["links"] == 9


def test_first_run_reports_everything_failing_as_new(two_runs: TwoRuns):
    u = two_runs.url
    with Store.from_settings(two_runs.settings) as store:
        paths = write_report(two_runs.settings, store, run_id=two_runs.run_ids[0]).paths
    data = json.loads(paths.json.read_text(encoding="utf-8"))
    assert data["previous_run"] is None
    assert _urls(data["changes"]["newly_broken"]) == {u("/gone"), u("/healing")}
    assert _urls(data["changes"]["recovered"]) == set()
    assert _urls(data["changes"]["newly_moved"]) == {u("/old")}


def test_problems_have_locations_fixes_and_broken_rule(two_runs: TwoRuns):
    u = two_runs.url
    with Store.from_settings(two_runs.settings) as store:
        paths = write_report(two_runs.settings, store).paths
    data = json.loads(paths.json.read_text(encoding="utf-8"))
    problems = {p["url"]: p for p in data["problems"]}
    assert u("/ok") not in problems and u("/new") not in problems
    gone = problems[u("/gone")]
    assert gone["verdict"] == "error" and gone["status"] == 404
    assert gone["locations"] == [{"source": "content/pages/links.md", "line": two_runs.line_of("/gone"),
                                  "page": gone["locations"][0]["page"], "entry": None, "fact": None}]
    # two failed runs, 0 h threshold in this test: readers are told; /flaky failed once only
    assert gone["broken_for_readers"] is True and gone["consecutive_failures"] == 2
    assert problems[u("/flaky")]["broken_for_readers"] is False
    assert "gone" in gone["suggested_fix"].lower()
    moved = problems[u("/old")]
    assert moved["verdict"] == "warn" and u("/new") in moved["suggested_fix"]
    blocked = problems[u("/blocked")]
    assert blocked["verdict"] == "warn" and blocked["blocked_for_robots"] is True
    # the Markdown names the file and line too
    md = paths.md.read_text(encoding="utf-8")
    assert f"`content/pages/links.md:{two_runs.line_of('/gone')}`" in md


def test_content_drift_is_reported_and_escaped(two_runs: TwoRuns):
    u = two_runs.url
    with Store.from_settings(two_runs.settings) as store:
        paths = write_report(two_runs.settings, store).paths
    data = json.loads(paths.json.read_text(encoding="utf-8"))
    drift = {d["url"]: d for d in data["content_drift"]}
    assert set(drift) == {u("/parked")}
    assert drift[u("/parked")]["verdict"] == "warn"
    assert drift[u("/parked")]["message"] == (
        "content changed: was 'Huey task queue docs', now '<script>alert(1)</script> huey.io domain for sale'"
    )
    html = paths.html.read_text(encoding="utf-8")
    md = paths.md.read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in md and r"\<script\>alert\(1\)\</script\>" in md


def test_files_named_by_run_time_with_latest_copies(two_runs: TwoRuns):
    with Store.from_settings(two_runs.settings) as store:
        paths = write_report(two_runs.settings, store).paths
    reports = two_runs.settings.reports_dir
    for made, latest in ((paths.md, paths.latest_md), (paths.json, paths.latest_json),
                         (paths.html, paths.latest_html)):
        assert made.parent == reports and made.name.startswith("linkcheck-")
        assert made.name.endswith(f"-run{two_runs.run_ids[1]}{made.suffix}")
        assert latest.read_bytes() == made.read_bytes()
    assert not list(reports.glob("*.tmp"))
    # reporting an older run again does not move latest.* back in time
    with Store.from_settings(two_runs.settings) as store:
        old = write_report(two_runs.settings, store, run_id=two_runs.run_ids[0]).paths
    assert old.md.name.endswith(f"-run{two_runs.run_ids[0]}.md")
    assert paths.latest_md.read_bytes() == paths.md.read_bytes()


def test_report_command(two_runs: TwoRuns):
    env = {**os.environ, "LINKCHECK_STORE": str(two_runs.settings.store_path),
           "LINKCHECK_REPORTS_DIR": str(two_runs.root / "cli-reports"),
           "LINKCHECK_BROKEN_AFTER_HOURS": "0"}
    for key in ("LINKCHECK_SMTP_HOST", "LINKCHECK_WEBHOOK_URL"):
        env.pop(key, None)
    done = subprocess.run([sys.executable, "-m", "linkcheck", "report", "--run", str(two_runs.run_ids[0])],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    printed = [Path(line) for line in done.stdout.split()]
    assert len(printed) == 3 and all(p.is_file() for p in printed)
    assert all(f"run{two_runs.run_ids[0]}" in p.name for p in printed)
    bad = subprocess.run([sys.executable, "-m", "linkcheck", "report", "--run", "999"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "999" in bad.stderr
