"""Catalog status changes dated by git: a real repository made in the test, real git commands.
The commit that set the status line dates the item; without git (or a commit) there is no item."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from plugins.news.gitstatus import status_changes
from tests.plugins.news.conftest import HERE, NOW
from tests.support.site import build_own_site, soup

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

FIRST = "2025-11-20T09:00:00+00:00"
SECOND = "2025-12-15T12:30:00+00:00"
STATUS = ("status-queue", "unmaintained")  # (entry id, its status) of the status line
STATUS_LINE = "  status: unmaintained\n  status_source: https://status.example.test/notice\n"


def git(cwd: Path, *args: str, when: str = FIRST) -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.test",
                           "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
                          cwd=cwd, env=env, check=True, capture_output=True, text=True, timeout=30).stdout


def site_copy(tmp_path: Path, *, status: bool) -> Path:
    """The test site's content with Status Queue's status lines in or out."""
    content = tmp_path / "site" / "content"
    shutil.copytree(HERE / "site" / "content", content)
    projects = content / "catalog" / "projects.yaml"
    text = projects.read_text()
    assert STATUS_LINE in text
    projects.write_text(text if status else text.replace(STATUS_LINE, ""))
    return content


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with two commits: the entry without a status, then the status line added."""
    content = site_copy(tmp_path, status=False)
    git(content.parent, "init", "-q")
    git(content.parent, "add", "-A")
    git(content.parent, "commit", "-q", "-m", "catalog")
    (content / "catalog" / "projects.yaml").write_text(
        (HERE / "site" / "content" / "catalog" / "projects.yaml").read_text())
    git(content.parent, "commit", "-q", "-am", "Status Queue is unmaintained", when=SECOND)
    return content


def status_line(content: Path) -> int:
    lines = (content / "catalog" / "projects.yaml").read_text().splitlines()
    return lines.index("  status: unmaintained") + 1


def build(content: Path, out: Path) -> Path:
    store = out.parent / "no-store.sqlite3"
    return build_own_site(content.parent.parent, out, store, NEWS={"store": str(store), "now": NOW})


def status_items(out: Path) -> list[tuple[str, str, str]]:
    return [(li["id"], li.select_one("time")["datetime"], li.select_one(".news-title").get_text(strip=True))
            for li in soup(out / "news.html").select("li.news-item") if li["id"].startswith("news-status-")]


def test_status_change_is_dated_by_the_commit_that_set_it(repo: Path, tmp_path: Path) -> None:
    projects = repo / "catalog" / "projects.yaml"
    [change] = status_changes(projects, {status_line(repo): STATUS}, timeout=10)
    second = git(repo.parent, "rev-parse", "HEAD").strip()
    assert (change.entry_id, change.status, change.before, change.commit) == (
        "status-queue", "unmaintained", None, second)
    assert change.when.isoformat() == SECOND
    out = build(repo, tmp_path / "out")
    [(anchor, day, title)] = status_items(out)
    assert (anchor, day, title) == (f"news-status-status-queue-{second[:12]}", "2025-12-15",
                                    "Status Queue is now unmaintained")
    item = soup(out / "news.html").select_one(f"#{anchor}")
    assert "Catalog status: maintained → unmaintained." in item.get_text()
    assert item.select_one('a[href="https://status.example.test/notice"]') is not None
    assert item.select_one("a.news-title")["href"] == "./projects.html#entry-status-queue"


def test_a_status_that_came_with_its_entry_or_a_move_is_no_change(tmp_path: Path) -> None:
    content = site_copy(tmp_path, status=True)
    git(content.parent, "init", "-q")
    git(content.parent, "add", "-A")
    git(content.parent, "commit", "-q", "-m", "catalog with the status from the start")
    projects = content / "catalog" / "projects.yaml"
    assert status_changes(projects, {status_line(content): STATUS}, timeout=10) == []
    # the entry moved to the top of the file in a second commit: the line is new, the status is not
    text = projects.read_text()
    start = text.index("- name: Status Queue")
    block = text[start:]
    head = text[:start]
    first_entry = head.index("- name: Alpha Queue")
    projects.write_text(head[:first_entry] + block + head[first_entry:])
    git(content.parent, "commit", "-q", "-am", "reorder", when=SECOND)
    assert status_changes(projects, {status_line(content): STATUS}, timeout=10) == []


def test_no_repository_no_git_or_uncommitted_means_no_status_item(repo: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    plain = site_copy(tmp_path / "plain", status=True)  # not in a repository
    assert status_items(build(plain, tmp_path / "out-plain")) == []
    # uncommitted: the status line is edited after the last commit
    projects = repo / "catalog" / "projects.yaml"
    projects.write_text(projects.read_text().replace("status: unmaintained", "status: archived"))
    assert status_items(build(repo, tmp_path / "out-dirty")) == []
    git(repo.parent, "checkout", "-q", "--", ".")
    assert len(status_items(build(repo, tmp_path / "out-clean"))) == 1
    # no git program at all
    empty = tmp_path / "no-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert status_items(build(repo, tmp_path / "out-no-git")) == []


def test_a_git_that_hangs_is_stopped_by_the_timeout(repo: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "slow-bin"
    bin_dir.mkdir()
    fake = bin_dir / "git"
    fake.write_text("#!/bin/sh\nexec sleep 30\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    import time

    started = time.monotonic()
    found = status_changes(repo / "catalog" / "projects.yaml",
                           {status_line(repo): STATUS}, timeout=0.5)
    assert found == [] and time.monotonic() - started < 10
