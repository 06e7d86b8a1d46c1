"""`python -m linkcheck github`: summary, --json, exit codes, and the token never in any output."""

from __future__ import annotations

import json
import logging

import pytest

from linkcheck.cli import main
from linkcheck.store import Store

from .conftest import TOKEN

CATALOG = """\
- name: Alpha
  url: https://alpha.example/
  repo: https://github.com/org/alpha
  description: A queue.
  group: general
- name: Beta
  url: https://beta.example/
  repo: https://github.com/old/beta
  description: Another queue.
  group: general
- name: Gamma
  url: https://gamma.example/
  repo: https://github.com/org/gamma
  description: Deleted upstream.
  group: general
- name: Delta
  url: https://delta.example/
  description: No repository.
  group: general
"""


@pytest.fixture
def env(tmp_path, api, monkeypatch):
    (tmp_path / "content" / "catalog").mkdir(parents=True)
    (tmp_path / "content" / "catalog" / "projects.yaml").write_text(CATALOG)
    monkeypatch.setenv("LINKCHECK_ROOT", str(tmp_path))
    monkeypatch.setenv("GITHUB_API_URL", api)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    return tmp_path


def _everything(printed: str, caplog, env) -> str:
    """Console output, log records and every file written (store included)."""
    text = printed + caplog.text
    for path in env.rglob("*"):
        if path.is_file():
            text += path.read_bytes().decode("utf-8", "replace")
    return text


def test_catalog_projects_renamed_and_missing_exit_1(env, fake, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    fake.add_repo("org/alpha", stargazers_count=5)
    fake.add_repo("old/beta")
    fake.rename("old/beta", "new/beta")
    code = main(["-v", "github", "--json", "-"])
    out, err = capsys.readouterr()
    assert code == 1
    report = json.loads(out)  # stdout is pure JSON with --json -
    assert report["requests"] == 1 and report["requested"] == 3
    assert report["renamed"] == {"old/beta": "new/beta"} and report["missing"] == ["org/gamma"]
    assert "renamed: old/beta -> update the catalog to new/beta" in err
    assert "missing: org/gamma" in err
    with Store(env / "var" / "linkcheck.sqlite3") as store:
        assert store.github_repo("org/alpha")["data"]["stars"] == 5
    assert TOKEN not in _everything(out + err, caplog, env)


def test_all_fine_exit_0_and_json_file(env, fake, capsys):
    for name in ("org/alpha", "old/beta", "org/gamma"):
        fake.add_repo(name)
    code = main(["github", "--json", str(env / "summary.json")])
    assert code == 0
    out = capsys.readouterr().out
    assert "GitHub: 3 repositories via GraphQL (token); 1 requests, 3 fetched (3 changed)" in out
    assert json.loads((env / "summary.json").read_text())["updated"] == 3


def test_rest_without_token_and_runtime_errors_exit_2(env, fake, capsys, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    monkeypatch.delenv("GITHUB_TOKEN")
    fake.add_repo("org/alpha")
    assert main(["github", "--repo", "org/alpha"]) == 0
    assert "REST without token" in capsys.readouterr().out
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN + "-revoked")
    fake.token = TOKEN
    assert main(["-v", "github", "--repo", "org/alpha"]) == 2
    out = capsys.readouterr().out
    assert "error: GitHub rejected GITHUB_TOKEN (HTTP 401)" in out
    assert TOKEN not in out + caplog.text
    assert fake.seen[-1].authorization == f"bearer {TOKEN}-revoked"  # it was really sent, only there


def test_blocked_is_exit_1_and_a_failing_repository_exit_2(env, fake, capsys, monkeypatch):
    monkeypatch.delenv("GITHUB_TOKEN")
    for name in ("org/alpha", "old/beta", "org/gamma"):
        fake.add_repo(name)
    fake.blocked.add("org/gamma")
    assert main(["github"]) == 1
    out = capsys.readouterr().out
    assert "unavailable: org/gamma blocked by GitHub (tos)" in out
    fake.broken.add("old/beta")
    assert main(["github", "--json", str(env / "s.json")]) == 2
    out = capsys.readouterr().out
    assert "1 repositories failed this run and are retried with the next: old/beta" in out
    report = json.loads((env / "s.json").read_text())
    assert report["failed"] == ["old/beta"] and report["pending"] == []
