"""Numbered schema migrations: a store file written by the version 1 code opens
with every row intact, and what version 1 kept in ``meta`` lands in real tables."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from linkcheck.model import Location
from linkcheck.runs import progress
from linkcheck.store import MIGRATIONS, SCHEMA_VERSION, Store, StoreVersionError

# The version 1 schema exactly as the pre-migration store.py created it (commit 03a36a4).
V1_DDL = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,                -- 'check' | 'github' | ...
    started_at REAL NOT NULL,
    finished_at REAL,
    status TEXT NOT NULL DEFAULT 'running',  -- running | done | offline | failed
    stats TEXT NOT NULL DEFAULT '{}'   -- JSON
);
CREATE TABLE IF NOT EXISTS links (
    url TEXT PRIMARY KEY,              -- as written, fragment included
    first_seen REAL NOT NULL,
    last_checked REAL,
    last_ok REAL,
    verdict TEXT,
    reason TEXT,
    status INTEGER,
    final_url TEXT,
    message TEXT,
    redirects TEXT NOT NULL DEFAULT '[]',
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    failing_since REAL,                -- checked_at of the first error of the current streak
    first_title TEXT,                  -- <title> at the first successful check (content drift)
    last_title TEXT,
    last_run_id INTEGER
);
CREATE TABLE IF NOT EXISTS checks (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    url TEXT NOT NULL,
    checked_at REAL NOT NULL,
    verdict TEXT NOT NULL,
    reason TEXT NOT NULL,
    status INTEGER,
    final_url TEXT,
    redirects TEXT NOT NULL DEFAULT '[]',
    message TEXT NOT NULL,
    title TEXT,
    elapsed REAL NOT NULL DEFAULT 0,
    UNIQUE (run_id, url)
);
CREATE INDEX IF NOT EXISTS checks_url ON checks(url, checked_at);
CREATE TABLE IF NOT EXISTS locations (
    url TEXT NOT NULL,
    source TEXT NOT NULL,
    line INTEGER NOT NULL DEFAULT 0,   -- 0 when unknown
    page TEXT NOT NULL DEFAULT '',
    entry TEXT NOT NULL DEFAULT '',
    last_seen REAL NOT NULL,
    PRIMARY KEY (url, source, line, page, entry)
);
CREATE TABLE IF NOT EXISTS github_repos (
    repo TEXT PRIMARY KEY,             -- 'owner/name' as written in the catalog
    state TEXT NOT NULL,               -- ok | renamed | missing
    data TEXT NOT NULL DEFAULT '{}',   -- JSON: stars, forks, pushed_at, ...
    etag TEXT,
    renamed_to TEXT,
    fetched_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS archive (
    url TEXT PRIMARY KEY,
    snapshot_url TEXT,                 -- NULL when the archive has none
    snapshot_time TEXT,
    looked_up_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

HELD = {"url": "https://c.example/", "verdict": "error", "reason": "connect_failed",
        "message": "connection refused", "status": None, "final_url": None, "redirects": [],
        "title": None, "checked_at": 1700000100.0, "elapsed": 0.1}


def write_v1_store(path: Path) -> None:
    """A store as the version 1 code left it: a finished CLI run, a chunked run in
    flight (plan, one chunk done, held errors, its lock), GitHub state, an archive row."""
    db = sqlite3.connect(path)
    db.executescript(V1_DDL)
    db.executescript("""
        INSERT INTO meta VALUES ('schema_version', '1');
        INSERT INTO runs VALUES (1, 'check', 1700000000, 1700000050, 'done', '{"total": 2}');
        INSERT INTO runs VALUES (2, 'check', 1700000090, NULL, 'running', '{}');
        INSERT INTO links(url, first_seen, last_checked, verdict, reason, status, consecutive_failures,
                          failing_since, first_title, last_run_id)
            VALUES ('https://a.example/', 1700000000, 1700000010, 'ok', 'ok', 200, 0, NULL, 'A', 1),
                   ('https://b.example/x', 1700000000, 1700000011, 'error', 'not_found', 404, 1,
                    1700000011, NULL, 1);
        INSERT INTO checks(run_id, url, checked_at, verdict, reason, status, message, title)
            VALUES (1, 'https://a.example/', 1700000010, 'ok', 'ok', 200, 'OK', 'A'),
                   (1, 'https://b.example/x', 1700000011, 'error', 'not_found', 404, 'Not Found', NULL),
                   (2, 'https://a.example/', 1700000095, 'ok', 'ok', 200, 'OK', 'A');
        INSERT INTO locations VALUES ('https://a.example/', 'content/pages/links.md', 3, '', '', 1700000000);
        INSERT INTO github_repos VALUES ('acme/q', 'ok', '{"stars": 7}', '"e1"', NULL, 1700000000);
        INSERT INTO archive VALUES ('https://b.example/x', 'https://web.archive.org/x', '2020', 1700000000);
        INSERT INTO meta VALUES ('github_pending', '["acme/q", "acme/r"]');
        INSERT INTO meta VALUES ('github_resume_after:rest', '1700003600.0');
        INSERT INTO meta VALUES ('lock:check-run:abc', '2');
    """)
    plan = {"chunks": 3, "urls": 3, "token": "check-run:abc",
            "lists": [["https://a.example/"], ["https://c.example/"], ["https://d.example/"]]}
    db.execute("INSERT INTO meta VALUES ('run:2:plan', ?)", (json.dumps(plan),))
    db.execute("INSERT INTO meta VALUES ('run:2:chunk:000000', ?)",
               (json.dumps({"results": 1, "held": 0, "unchecked": []}),))
    db.execute("INSERT INTO meta VALUES ('run:2:chunk:000001', ?)",
               (json.dumps({"results": 1, "held": 1, "unchecked": []}),))
    db.execute("INSERT INTO meta VALUES ('run:2:held:000001', ?)", (json.dumps([HELD]),))
    db.commit()
    db.close()


def test_version_1_store_opens_with_every_row_and_meta_in_real_tables(tmp_path: Path) -> None:
    path = tmp_path / "v1.sqlite3"
    write_v1_store(path)
    with Store(path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        # version 1 data, untouched
        assert [r["status"] for r in store.runs("check")] == ["done", "running"]
        assert store.run_counts(1) == {"ok": 1, "error": 1}
        assert store.link_status("https://b.example/x").consecutive_failures == 1
        assert store.link_status("https://a.example/").first_title == "A"
        old = store.locations("https://a.example/")["https://a.example/"][0]
        assert (old.line, old.fact) == (3, None)  # version 3: locations gain fact, '' for old rows
        store.record_locations([("https://a.example/#brokers",
                                 [Location("content/catalog/projects.yaml", 9, None, "q", "brokers")])])
        found = store.locations("https://a.example/#brokers")["https://a.example/#brokers"]
        assert found[0].fact == "brokers"
        assert store.github_repo("acme/q")["data"] == {"stars": 7}
        assert store.archive_lookup("https://b.example/x")["snapshot_url"].endswith("/x")
        # the meta drawer, moved into tables
        assert store.github_pending() == {"acme/q", "acme/r"}
        assert store.github_paused_until("rest") == 1700003600.0
        assert store.run_of_lock("check-run:abc") == 2
        state = progress.progress(store, 2)
        assert (state.chunks_total, state.chunks_done, state.urls_total, state.finished) == (3, 2, 3, False)
        assert progress.planned(store, 2)["lists"][2] == ["https://d.example/"]
        assert progress.planned(store, 2)["token"] == "check-run:abc"
        assert [r.url for r in progress.held(store, 2)] == ["https://c.example/"]
        tables = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "meta" not in tables
    # opening again migrates nothing twice
    with Store(path) as store:
        assert store.github_pending() == {"acme/q", "acme/r"}
        assert len(store.run_chunks(2)) == 3


def test_fresh_store_and_migration_list_are_numbered_in_order(tmp_path: Path) -> None:
    assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    with Store(tmp_path / "new.sqlite3") as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_store_from_a_newer_linkcheck_is_refused_with_its_path(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    Store(path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    with pytest.raises(StoreVersionError, match="future.sqlite3"):
        Store(path)


def test_version_6_store_gains_downloads_and_events_with_its_rows_intact(tmp_path: Path) -> None:
    path = tmp_path / "v6.sqlite3"
    db = sqlite3.connect(path)
    for step in MIGRATIONS[:6]:
        step.apply(db)
    db.execute("PRAGMA user_version = 6")
    db.execute("INSERT INTO pypi_projects(name, state, data, etag, fetched_at)"
               " VALUES ('celery', 'ok', '{\"version\": \"5.4.0\"}', '\"e\"', 1700000000)")
    db.execute("INSERT INTO api_pauses VALUES ('pypi', 1700000600)")
    db.commit()
    db.close()
    with Store(path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 7
        assert store.pypi_project("celery")["data"] == {"version": "5.4.0"}
        assert store.api_paused_until("pypi") == 1700000600.0
        assert store.pypi_downloads() == {} and store.project_events() == []
        store.save_pypi_downloads("celery", 12_345_678, 1700000100.0)
        store.record_project_event("pypi:celery", "release", {"version": "5.5.0"}, 1700000200.0)
    with Store(path) as store:  # opening again migrates nothing twice
        assert store.pypi_downloads() == {"celery": {"last_month": 12_345_678, "fetched_at": 1700000100.0}}
        assert [e["kind"] for e in store.project_events()] == ["release"]
