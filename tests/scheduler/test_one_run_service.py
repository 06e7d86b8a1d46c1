"""One check-run service: the same inventory checked by the CLI and by a real
Celery worker (chunks) leaves identical results in the store."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from linkcheck.settings import PROJECT_ROOT
from linkcheck.store import Store
from tests.support.servers import free_port

from .conftest import Deployment, FakeSite, Procs, wait_for, write_content

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]

FIELDS = ("verdict", "reason", "status", "final_url", "redirects", "title")


def _stored(store: Store, run_id: int) -> dict[str, tuple]:
    return {url: tuple(getattr(r, f) for f in FIELDS) for url, r in store.run_results(run_id).items()}


def test_cli_and_celery_worker_record_identical_results(
    deployment: Deployment, fake_site: FakeSite, procs: Procs
) -> None:
    d = deployment
    dead = f"http://127.0.20.7:{free_port()}/nobody-listens"  # a network-level failure, held then written
    own = f"{d.env['SITEURL']}/links.html"  # the site's own page: dropped by both paths
    content = d.root / "content"
    shutil.rmtree(content)
    write_content(content, [*fake_site.urls(), dead, own])

    # the CLI path: `python -m linkcheck check content/` into its own store
    cli_store = d.root / "cli.sqlite3"
    env = {**d.env, "LINKCHECK_STORE": str(cli_store)}
    proc = subprocess.run([sys.executable, "-m", "linkcheck", "check", str(content)], cwd=PROJECT_ROOT,
                          env=env, capture_output=True, text=True, timeout=90)
    assert proc.returncode == 1, proc.stdout + proc.stderr  # /missing and the dead host are errors

    # the Celery path: a real worker, host-disjoint chunks
    procs.worker("all", "celery,state", concurrency=2)
    d.send("linkcheck.start_check_run")

    def finished() -> int | None:
        with d.store() as store:
            done = [r for r in store.runs("check") if r["status"] in ("done", "offline")]
        return done[0]["id"] if done else None

    celery_run = wait_for(finished, 90, "the Celery run to finish", procs)
    with Store(cli_store) as store:
        cli_run = store.runs("check")[-1]
        cli = _stored(store, cli_run["id"])
    with d.store() as store:
        celery = _stored(store, celery_run)
        chunks = store.run_chunks(celery_run)
        celery_stats = store.runs("check")[-1]["stats"]

    assert len(chunks) > 1  # really chunked
    assert own not in cli and own not in celery
    assert cli[dead][0] == "error" and cli[dead][2] is None  # no HTTP answer
    assert sorted(cli) == sorted([*fake_site.urls(), dead])
    assert cli == celery
    assert cli_run["status"] == "done"
    for key in ("total", "checked", "ok", "warn", "error", "offline", "recorded"):
        assert cli_run["stats"][key] == celery_stats[key], key
