"""`python -m linkcheck pypi`: catalog names, summary, --json, exit codes."""

from __future__ import annotations

import json

import pytest

from linkcheck.cli import main
from linkcheck.store import Store

CATALOG = """\
- name: Alpha
  id: alpha
  group: general
  url: https://alpha.example/
  repo: https://github.com/org/alpha
  pypi: alpha
  description: A queue.
- name: Beta
  id: beta
  group: general
  url: https://beta.example/
  repo: https://github.com/org/beta
  pypi: beta-queue
  description: Another queue.
- name: Gamma
  id: gamma
  group: general
  url: https://gamma.example/
  description: Not on PyPI.
"""


@pytest.fixture
def env(tmp_path, api, monkeypatch):
    (tmp_path / "content" / "catalog").mkdir(parents=True)
    (tmp_path / "content" / "catalog" / "projects.yaml").write_text(CATALOG)
    monkeypatch.setenv("LINKCHECK_ROOT", str(tmp_path))
    monkeypatch.setenv("PYPI_API_URL", api)
    return tmp_path


def test_catalog_projects_fetched_exit_0_then_problems_exit_1(env, fake, capsys):
    fake.add("alpha", source="https://github.com/org/alpha")
    fake.add("beta-queue", source="https://github.com/org/beta")
    assert main(["pypi", "--json", "-"]) == 0
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert report["requested"] == 2 and report["updated"] == 2 and report["requests"] == 2
    assert "PyPI: 2 projects; 2 requests, 2 fetched (2 changed), 0 unchanged (304)" in err
    with Store(env / "var" / "linkcheck.sqlite3") as store:
        assert store.pypi_project("alpha")["data"]["version"] == "4.0.0"
    fake.add("beta-queue", source="https://github.com/new-owner/beta")
    assert main(["pypi"]) == 1
    assert "source differs: PyPI's beta-queue declares github.com/new-owner/beta" in capsys.readouterr().out


def test_failing_project_exit_2_and_only_one_project(env, fake, capsys):
    fake.add("alpha", source="https://github.com/org/alpha")
    fake.broken.add("beta-queue")
    assert main(["pypi"]) == 2
    assert "error: beta-queue: HTTP 503 from PyPI" in capsys.readouterr().out
    fake.seen.clear()
    assert main(["pypi", "--project", "alpha"]) == 0
    assert [s.path for s in fake.seen] == ["/pypi/alpha/json"]
