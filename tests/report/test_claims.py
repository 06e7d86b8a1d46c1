"""Unverified claims: a catalog fact whose source page lost its #anchor, or broke, is listed in
the link-health report with its entry, fact, source and the first failing check of the streak.

Three real check runs of a catalog against a loopback docs site: run 1 everything is there;
in runs 2 and 3 one section's anchor is gone and another source page answers 404.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiohttp import web

from linkcheck.report.build import build_report, render_html, render_markdown, write_report
from linkcheck.runs.local import run_check
from linkcheck.store import Store
from linkcheck.timefmt import utc_iso
from tests.support.servers import serve_app
from tests.support.tworuns import make_settings

DOCS = """<!doctype html><html><head><title>Queue docs</title></head><body>
<h1 id="guide">Guide</h1>
{brokers}
<h2 id="message-retries">Message Retries</h2><p>Retries with backoff.</p>
</body></html>"""
BROKERS = '<h2 id="message-brokers">Message Brokers</h2><p>RabbitMQ and Redis.</p>'

PROJECTS = """\
- name: Loop Queue
  id: loop-queue
  group: general
  url: {B}/
  description: A queue documented on loopback.
  facts:
    brokers:
      value: [rabbitmq, redis]
      source: {B}/guide.html#message-brokers
    retries: {{value: true, source: "{B}/guide.html#message-retries"}}
    scheduling: {{value: true, source: "{B}/cron.html#periodic", note: "<b>beat</b>"}}
"""


@dataclass
class Docs:
    phase: int = 1

    def app(self) -> web.Application:
        async def handler(request: web.Request) -> web.Response:
            later = self.phase > 1
            if request.path == "/guide.html":
                # the "Message Brokers" section is renamed away after run 1: its anchor disappears
                text = DOCS.format(brokers="" if later else BROKERS)
                return web.Response(text=text, content_type="text/html")
            if request.path == "/cron.html" and not later:
                return web.Response(text='<html><body><h2 id="periodic">Periodic</h2></body></html>',
                                    content_type="text/html")
            if request.path == "/":
                return web.Response(text="<html><body>home</body></html>", content_type="text/html")
            return web.Response(status=404, text="<html><body>Not Found</body></html>",
                                content_type="text/html")

        app = web.Application()
        app.router.add_get("/{tail:.*}", handler)
        return app


@dataclass
class Runs:
    settings: object
    base: str
    run_ids: list[int]
    checked_at: dict[int, dict[str, float]]
    projects: Path


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runs]:
    docs = Docs()
    with serve_app(docs.app(), host="127.0.5.41") as base:
        root = tmp_path_factory.mktemp("claims")
        settings = make_settings(root)
        projects = root / "content" / "catalog" / "projects.yaml"
        projects.parent.mkdir(parents=True)
        projects.write_text(PROJECTS.format(B=base), encoding="utf-8")
        run_ids, checked = [], {}
        with Store.from_settings(settings) as store:
            for phase in (1, 2, 3):
                docs.phase = phase
                summary = run_check(settings, [projects], store=store, root=root)
                assert summary.run_id is not None and not summary.offline
                run_ids.append(summary.run_id)
                results = store.run_results(summary.run_id)
                checked[summary.run_id] = {u: r.checked_at for u, r in results.items()}
        yield Runs(settings, base, run_ids, checked, projects)


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_missing_anchor_and_broken_source_are_unverified_since_their_first_failure(runs: Runs):
    b = runs.base
    first, second, third = runs.run_ids
    with Store.from_settings(runs.settings) as store:
        data = build_report(store, third)
        claims = data["unverified_claims"]
        assert [(c["entry"], c["fact"], c["source"]) for c in claims] == [
            ("loop-queue", "brokers", f"{b}/guide.html#message-brokers"),
            ("loop-queue", "scheduling", f"{b}/cron.html#periodic"),
        ]
        brokers, scheduling = claims
        assert brokers["reason"] == "anchor_missing" and brokers["verdict"] == "warn"
        assert scheduling["verdict"] == "error" and scheduling["status"] == 404
        # since the first failing check (run 2), not the latest one (run 3)
        assert brokers["since_ts"] == runs.checked_at[second][brokers["source"]]
        assert scheduling["since_ts"] == runs.checked_at[second][scheduling["source"]]
        assert brokers["since_ts"] < runs.checked_at[third][brokers["source"]]
        assert brokers["since"] == utc_iso(brokers["since_ts"])
        line = line_of(runs.projects, "message-brokers")
        assert brokers["where"] == f"content/catalog/projects.yaml:{line}"
        assert data["summary"]["unverified_claims"] == 2
        # the anchor that stayed is verified; in run 1 every claim was
        assert build_report(store, first)["unverified_claims"] == []
        # reporting on run 2 does not look at run 3's checks
        assert build_report(store, second)["unverified_claims"][0]["since_ts"] == brokers["since_ts"]


def test_claims_in_every_report_format_escaped(runs: Runs):
    with Store.from_settings(runs.settings) as store:
        paths = write_report(runs.settings, store).paths
        data = build_report(store)
    md = render_markdown(data)
    section = md.split("## Unverified claims", 1)[1].split("\n## ", 1)[0]
    assert "entry loop-queue, fact brokers: claim unverified since" in section
    assert f"<{runs.base}/guide.html#message-brokers>" in section
    assert "fact scheduling" in section and "message-retries" not in section
    html = render_html(data)
    table = html.split("<h2>Unverified claims</h2>", 1)[1].split("<h2>", 1)[0]
    assert table.count("<tr>") == 3  # header + two claims
    assert f'href="{runs.base}/cron.html#periodic"' in table
    saved = json.loads(paths.json.read_text(encoding="utf-8"))
    assert [c["fact"] for c in saved["unverified_claims"]] == ["brokers", "scheduling"]
    assert "## Unverified claims" in paths.md.read_text(encoding="utf-8")


def test_no_claims_says_so(runs: Runs):
    with Store.from_settings(runs.settings) as store:
        data = build_report(store, runs.run_ids[0])
    assert "_none: every fact's source is up, anchors included_" in render_markdown(data)
    assert "<h2>Unverified claims</h2><p><em>none" in render_html(data)
