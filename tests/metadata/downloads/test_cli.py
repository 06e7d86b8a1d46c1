"""`python -m linkcheck downloads`: catalog names, summary, --json, exit codes."""

from __future__ import annotations

import json

import pytest

from linkcheck.cli import main
from linkcheck.store import Store
from tests.metadata.pypi.test_cli import CATALOG


@pytest.fixture
def env(tmp_path, api, monkeypatch):
    (tmp_path / "content" / "catalog").mkdir(parents=True)
    (tmp_path / "content" / "catalog" / "projects.yaml").write_text(CATALOG)
    monkeypatch.setenv("LINKCHECK_ROOT", str(tmp_path))
    monkeypatch.setenv("PYPISTATS_API_URL", api)
    return tmp_path


def test_catalog_projects_fetched_then_fresh_exit_0(env, fake, capsys):
    fake.add("alpha", 1234)
    fake.add("beta-queue", 5678)
    assert main(["downloads", "--json", "-"]) == 0
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert (report["requested"], report["updated"], report["requests"]) == (2, 2, 2)
    assert "Downloads: 2 projects; 2 requests, 2 fetched (2 changed), 0 still fresh (not asked)" in err
    with Store(env / "var" / "linkcheck.sqlite3") as store:
        assert {n: f["last_month"] for n, f in store.pypi_downloads().items()} == {
            "alpha": 1234, "beta-queue": 5678}
    assert main(["downloads"]) == 0
    assert "0 requests, 0 fetched (0 changed), 2 still fresh (not asked)" in capsys.readouterr().out


def test_failing_project_exit_2_paused_exit_0_and_one_project(env, fake, capsys):
    fake.add("alpha", 1)
    fake.broken.add("beta-queue")
    assert main(["downloads"]) == 2
    out = capsys.readouterr().out
    assert "error: beta-queue: HTTP 503 from pypistats" in out
    assert "1 projects failed this run and are retried with the next; they keep their last good figure" in out
    fake.seen.clear()
    fake.broken.clear()
    fake.add("beta-queue", 2)
    fake.limit_after = 0
    assert main(["downloads", "--project", "beta-queue"]) == 0
    out = capsys.readouterr().out
    assert "paused: rate limited (HTTP 429, Retry-After 3600 s); 1 projects resume after" in out
    assert [s.name for s in fake.seen] == ["beta-queue"]
