"""The embedded SQLite store: link check history, where links appear, GitHub
metadata and Internet Archive look-ups.

WAL mode and ``BEGIN IMMEDIATE`` transactions make it safe with several writer
processes (CLI, Celery workers); every write is one short transaction, so a
checker killed mid-run loses nothing already recorded and never leaves a
half-written row. Recording a result is idempotent per (run, url): a Celery
chunk redelivered after a crash records each link once.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from linkcheck.model import Location, Result, storable_text

log = logging.getLogger(__name__)

# Version 1, verbatim: every store written before numbered migrations has it
# (and ``meta.schema_version = 1`` but ``PRAGMA user_version = 0``).
SCHEMA_V1 = """
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

# Version 2: what the ``meta`` key-value drawer held gets tables of its own.
SCHEMA_V2 = """
CREATE TABLE run_plans (               -- a check run split into chunks (scheduled runs)
    run_id INTEGER PRIMARY KEY REFERENCES runs(id),
    urls_total INTEGER NOT NULL,
    chunks_total INTEGER NOT NULL,
    followups_at REAL                  -- report and rebuild sent: the run is closed for good
);
CREATE TABLE run_chunks (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    idx INTEGER NOT NULL,
    urls TEXT NOT NULL,                -- JSON list, host-disjoint from the other chunks
    sent_at REAL,                      -- last time its job was dispatched
    attempts INTEGER NOT NULL DEFAULT 0,
    done_at REAL,
    results INTEGER,
    held INTEGER,
    unchecked TEXT NOT NULL DEFAULT '[]',  -- JSON: URLs the chunk ran out of time for
    PRIMARY KEY (run_id, idx)
);
CREATE TABLE held_results (            -- network-level errors waiting for the offline verdict
    run_id INTEGER NOT NULL REFERENCES runs(id),
    idx INTEGER NOT NULL,
    url TEXT NOT NULL,
    result TEXT NOT NULL,              -- JSON (Result.to_json)
    PRIMARY KEY (run_id, url)
);
CREATE TABLE locks (                   -- which run a job-lock token opened
    token TEXT PRIMARY KEY,
    job TEXT NOT NULL,
    run_id INTEGER REFERENCES runs(id),
    taken_at REAL NOT NULL
);
CREATE TABLE github_resume (           -- rate-limit pause per API mode
    mode TEXT PRIMARY KEY,             -- rest | graphql
    paused_until REAL NOT NULL
);
CREATE TABLE github_pending (repo TEXT PRIMARY KEY);  -- left over by a stopped refresh
"""


# Version 4: metadata refreshers keep what failed apart from what was left over, and PyPI data.
SCHEMA_V4 = """
CREATE TABLE github_failures (         -- asked, no usable answer: retried with the regular order
    repo TEXT PRIMARY KEY,
    error TEXT NOT NULL,
    failed_at REAL NOT NULL
);
CREATE TABLE pypi_projects (
    name TEXT PRIMARY KEY,             -- normalised PyPI name, as in the catalog
    state TEXT NOT NULL,               -- ok | missing
    data TEXT NOT NULL DEFAULT '{}',   -- JSON: version, released, requires_python, yanked, urls
    etag TEXT,
    fetched_at REAL NOT NULL,
    error TEXT,                        -- last failure (the data above stays the last good one)
    failed_at REAL
);
CREATE TABLE api_pauses (              -- rate-limit pause of an API other than GitHub's modes
    api TEXT PRIMARY KEY,              -- pypi
    paused_until REAL NOT NULL
);
"""


def _script(sql: str) -> Callable[[sqlite3.Connection], None]:
    def apply(db: sqlite3.Connection) -> None:
        for statement in sql.split(";"):
            if statement.strip():
                db.execute(statement)
    return apply


def _meta_to_tables(db: sqlite3.Connection) -> None:
    """Move what version 1 kept in ``meta`` into the version 2 tables."""
    _script(SCHEMA_V2)(db)
    rows = {r[0]: r[1] for r in db.execute("SELECT key, value FROM meta")}
    for key, value in rows.items():
        parts = key.split(":")
        if parts[0] == "run" and len(parts) >= 3:
            run_id = int(parts[1])
            if parts[2] == "plan":
                plan = json.loads(value)
                db.execute("INSERT OR IGNORE INTO run_plans(run_id, urls_total, chunks_total)"
                           " VALUES (?, ?, ?)", (run_id, plan["urls"], plan["chunks"]))
                for idx, urls in enumerate(plan.get("lists", [])):
                    db.execute("INSERT OR IGNORE INTO run_chunks(run_id, idx, urls, attempts)"
                               " VALUES (?, ?, ?, 1)", (run_id, idx, json.dumps(urls)))
                if plan.get("token"):
                    db.execute("INSERT OR IGNORE INTO locks(token, job, run_id, taken_at)"
                               " VALUES (?, 'check-run', ?, 0)", (plan["token"], run_id))
            elif parts[2] == "chunk":
                info = json.loads(value)
                db.execute("UPDATE run_chunks SET done_at = 0, results = ?, held = ?, unchecked = ?"
                           " WHERE run_id = ? AND idx = ?",
                           (info.get("results"), info.get("held"), json.dumps(info.get("unchecked", [])),
                            run_id, int(parts[3])))
            elif parts[2] == "held":
                for item in json.loads(value):
                    db.execute("INSERT OR IGNORE INTO held_results(run_id, idx, url, result)"
                               " VALUES (?, ?, ?, ?)", (run_id, int(parts[3]), item["url"], json.dumps(item)))
            elif parts[2] == "finished":
                db.execute("UPDATE run_plans SET followups_at = 0 WHERE run_id = ?", (run_id,))
        elif parts[0] == "lock" and len(parts) > 1:
            token = key[len("lock:"):]
            db.execute("INSERT OR IGNORE INTO locks(token, job, run_id, taken_at) VALUES (?, ?, ?, 0)",
                       (token, token.split(":", 1)[0], int(value)))
        elif key.startswith("github_resume_after:"):
            db.execute("INSERT OR REPLACE INTO github_resume(mode, paused_until) VALUES (?, ?)",
                       (key.rsplit(":", 1)[1], float(value or 0)))
        elif key == "github_pending":
            for repo in json.loads(value or "[]"):
                db.execute("INSERT OR IGNORE INTO github_pending(repo) VALUES (?)", (repo,))
    db.execute("DROP TABLE meta")


# Version 6: what the run watchdog saw of each chunk, and one claim per schedule
# interval (a second beat process starts no second run).
SCHEMA_V6 = """
ALTER TABLE run_chunks ADD COLUMN seen_at REAL;        -- last heartbeat the watchdog saw
ALTER TABLE run_chunks ADD COLUMN stalled_since REAL;  -- no sign of life since (NULL: healthy)
CREATE TABLE schedule_claims (
    job TEXT PRIMARY KEY,              -- 'check-run'
    claimed_at REAL NOT NULL,          -- when the last scheduled run of the job was let through
    token TEXT
);
"""


# Version 7: PyPI download counts (pypistats.org) and what the metadata refreshes saw change.
SCHEMA_V7 = """
CREATE TABLE pypi_downloads (
    name TEXT PRIMARY KEY,             -- normalised PyPI name, as in the catalog
    last_month INTEGER,                -- downloads in the last 30 days, NULL until one good answer
    fetched_at REAL NOT NULL,          -- when last_month was fetched (0 when never)
    error TEXT,                        -- last failure (last_month stays the last good figure)
    failed_at REAL
);
CREATE TABLE project_events (          -- news of catalog projects, for the catalog feed
    id INTEGER PRIMARY KEY,
    project TEXT NOT NULL,             -- 'pypi:NAME' or 'github:OWNER/NAME'
    kind TEXT NOT NULL,                -- release, archived, unarchived, renamed, inactive-classifier, yanked
    detail TEXT NOT NULL DEFAULT '{}', -- JSON: version, its upload date, new name, ...
    at REAL NOT NULL                   -- when the refresh saw the change
);
CREATE INDEX project_events_at ON project_events(at)
"""


@dataclass(frozen=True)
class Migration:
    version: int
    what: str
    apply: Callable[[sqlite3.Connection], None]


# Append-only: a released step never changes; a new one takes the next number.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "runs, links, checks, locations, github_repos, archive, meta", _script(SCHEMA_V1)),
    Migration(2, "run plans, run chunks, held results, locks, GitHub resume state (out of meta)",
              _meta_to_tables),
    # the catalog fact (e.g. "brokers") a URL is the source of; '' for other links
    Migration(3, "locations.fact", _script("ALTER TABLE locations ADD COLUMN fact TEXT NOT NULL DEFAULT ''")),
    Migration(4, "GitHub failures; PyPI projects and pause", _script(SCHEMA_V4)),
    Migration(5, "runs.pid and runs.host: an in-process run whose process died is reaped",
              _script("ALTER TABLE runs ADD COLUMN pid INTEGER; ALTER TABLE runs ADD COLUMN host TEXT")),
    Migration(6, "chunk liveness (seen_at, stalled_since), schedule claims", _script(SCHEMA_V6)),
    Migration(7, "PyPI downloads; project events", _script(SCHEMA_V7)),
)
SCHEMA_VERSION = MIGRATIONS[-1].version


class StoreVersionError(RuntimeError):
    """The store file was written by a newer linkcheck than this one."""


class StoreFileError(RuntimeError):
    """The store file cannot be opened as a store: says which file and the way out."""


# what the database may refuse in a result (a number SQLite cannot hold, text it cannot take)
_REFUSED = (sqlite3.InterfaceError, sqlite3.DataError, sqlite3.IntegrityError, ValueError, OverflowError,
            TypeError)


def _text(value: str | None) -> str | None:
    return None if value is None else storable_text(value)


def storable(result: Result) -> Result:
    texts = (result.url, result.final_url, result.message, result.title, *(u for _s, u in result.redirects))
    if all(text is None or text.isascii() for text in texts):
        return result  # nothing to mend (the usual case): no copy
    return replace(
        result, url=_text(result.url) or "", final_url=_text(result.final_url),
        message=_text(result.message) or "", title=_text(result.title),
        redirects=[(s, _text(u) or "") for s, u in result.redirects],
    )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def schema_version(db: sqlite3.Connection) -> int:
    """The file's schema version; files from before numbered migrations say 1 in ``meta``."""
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if version == 0 and db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'runs'"
    ).fetchone():
        return 1
    return version


def migrate(db: sqlite3.Connection, path: Path | str = "store") -> int:
    """Bring the open database up to ``SCHEMA_VERSION`` (call inside a transaction)."""
    current = schema_version(db)
    if current > SCHEMA_VERSION:
        raise StoreVersionError(f"{path}: schema version {current} is newer than this linkcheck "
                                f"knows ({SCHEMA_VERSION}); upgrade linkcheck")
    for step in MIGRATIONS:
        if step.version > current:
            step.apply(db)
            db.execute(f"PRAGMA user_version = {step.version:d}")
    return SCHEMA_VERSION


@dataclass(frozen=True)
class LinkStatus:
    url: str
    verdict: str | None
    reason: str | None
    status: int | None
    final_url: str | None
    message: str | None
    redirects: list[tuple[int, str]]
    first_seen: float
    last_checked: float | None
    last_ok: float | None
    consecutive_failures: int
    failing_since: float | None
    first_title: str | None
    last_title: str | None
    broken: bool  # failed often and long enough to tell readers (see Store.is_broken)


class Store:
    """A handle on the SQLite store. Cheap to create; one per process or thread."""

    def __init__(
        self,
        path: str | Path,
        *,
        broken_after_runs: int = 2,
        broken_after_hours: float = 24.0,
    ) -> None:
        self.path = Path(path)
        self.broken_after_runs = broken_after_runs
        self.broken_after_hours = broken_after_hours
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.is_file() and self.path.stat().st_size == 0:
            # SQLite takes an empty file as a new database: say so, the history is gone
            log.warning("%s is empty (0 bytes): starting a new link history there; restore a backup "
                        "of the file if the old history matters", self.path)
        # isolation_level=None: we issue BEGIN IMMEDIATE ourselves so writers
        # queue on the lock instead of failing with "database is locked".
        self.db = sqlite3.connect(self.path, timeout=60.0, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            # a big run writes a page or two per result: checkpoint (and sync) the WAL every
            # 40 MB rather than every 4 MB, ten times fewer waits on a busy disk
            self.db.execute("PRAGMA wal_autocheckpoint=10000")
            self.db.execute("PRAGMA busy_timeout=60000")
            self.db.execute("PRAGMA foreign_keys=ON")
            if schema_version(self.db) != SCHEMA_VERSION:
                with self.transaction():  # BEGIN IMMEDIATE: one process migrates, the others wait
                    migrate(self.db, self.path)
        except sqlite3.DatabaseError as exc:
            self.db.close()
            if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                raise
            raise StoreFileError(
                f"{self.path}: not a usable link store ({exc}). Move it aside "
                f"(mv {self.path} {self.path}.broken) and the next run starts a new history, "
                "or restore a backup; set LINKCHECK_STORE to use another file") from None

    @classmethod
    def from_settings(cls, settings: Any) -> Store:
        return cls(
            settings.store_path,
            broken_after_runs=settings.broken_after_runs,
            broken_after_hours=settings.broken_after_hours,
        )

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    # ------------------------------------------------------------------ runs
    def start_run(self, kind: str = "check", *, started_at: float | None = None,
                  in_process: bool = False) -> int:
        """A new run. ``in_process``: this process runs it to the end (CLI), so its pid is
        kept, and runs left 'running' by dead processes of this host are marked
        'interrupted' first (a SIGKILLed run would otherwise stay 'running' forever)."""
        host = socket.gethostname()
        with self.transaction() as db:
            if in_process:
                stale = [r["id"] for r in db.execute(
                    "SELECT id, pid FROM runs WHERE status = 'running' AND pid IS NOT NULL AND host = ?",
                    (host,)) if not _alive(r["pid"])]
                for run_id in stale:
                    db.execute("UPDATE runs SET status = 'interrupted', finished_at = ? WHERE id = ?",
                               (time.time(), run_id))
                if stale:
                    log.warning("marked %d earlier run(s) as interrupted (their process is gone): %s",
                                len(stale), ", ".join(map(str, stale)))
            cur = db.execute(
                "INSERT INTO runs(kind, started_at, pid, host) VALUES (?, ?, ?, ?)",
                (kind, started_at if started_at is not None else time.time(),
                 os.getpid() if in_process else None, host if in_process else None),
            )
            return int(cur.lastrowid or 0)

    def finish_run(
        self, run_id: int, *, status: str = "done", stats: dict[str, Any] | None = None
    ) -> None:
        with self.transaction() as db:
            db.execute(
                "UPDATE runs SET finished_at = ?, status = ?, stats = ? WHERE id = ?",
                (time.time(), status, json.dumps(stats or {}), run_id),
            )

    def runs(self, kind: str | None = "check", limit: int | None = None) -> list[dict[str, Any]]:
        """Runs, oldest first (the last ``limit`` of them when given)."""
        sql = "SELECT * FROM runs"
        args: list[Any] = []
        if kind:
            sql += " WHERE kind = ?"
            args.append(kind)
        sql += " ORDER BY id DESC"
        if limit:
            sql += " LIMIT ?"
            args.append(limit)
        rows = [dict(r) for r in self.db.execute(sql, args)]
        for row in rows:
            row["stats"] = json.loads(row["stats"] or "{}")
        return list(reversed(rows))

    def run_counts(self, run_id: int) -> dict[str, int]:
        """Verdict counts of one run, e.g. {'ok': 40, 'warn': 3, 'error': 1}."""
        rows = self.db.execute(
            "SELECT verdict, COUNT(*) AS n FROM checks WHERE run_id = ? GROUP BY verdict",
            (run_id,),
        )
        return {r["verdict"]: r["n"] for r in rows}

    def run_results(self, run_id: int) -> dict[str, Result]:
        rows = self.db.execute("SELECT * FROM checks WHERE run_id = ?", (run_id,))
        return {r["url"]: _check_row_to_result(r) for r in rows}

    # --------------------------------------------------------------- results
    def record_result(self, run_id: int, result: Result) -> bool:
        """Record one check. Returns False (and changes nothing) when this run
        already recorded this URL, so redelivered work is harmless. A result the
        database refuses is recorded as that link's ``check_failed``: one link's data
        never fails a run."""
        result = storable(result)
        try:
            with self.transaction():
                return self._record(run_id, result)
        except _REFUSED as exc:
            log.warning("could not store the result of %s (%s): recorded as check_failed",
                        result.url, type(exc).__name__)
            with self.transaction():
                return self._record(run_id, Result(
                    url=result.url, verdict="error", reason="check_failed",
                    message=f"the checker could not store this result ({type(exc).__name__})",
                    checked_at=result.checked_at, elapsed=result.elapsed))

    def record_results(self, run_id: int, results: Iterable[Result]) -> int:
        """Record many checks in one transaction (a commit per result cost half the time
        of recording); returns how many were new, like ``record_result`` for each. When
        the database refuses one, the batch is undone and recorded one by one, so that
        one alone becomes its link's ``check_failed``."""
        batch = [storable(r) for r in results]
        if not batch:
            return 0
        try:
            with self.transaction():
                return sum(self._record(run_id, result) for result in batch)
        except _REFUSED:
            return sum(1 for result in batch if self.record_result(run_id, result))

    def _record(self, run_id: int, result: Result) -> bool:
        """Write one check and its link's state; the caller holds the transaction."""
        checked_at = result.checked_at or time.time()
        redirects = json.dumps(result.redirects)
        db = self.db
        cur = db.execute(
            "INSERT OR IGNORE INTO checks(run_id, url, checked_at, verdict, reason, status,"
            " final_url, redirects, message, title, elapsed)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                run_id,
                result.url,
                checked_at,
                result.verdict,
                result.reason,
                result.status,
                result.final_url,
                redirects,
                result.message,
                result.title,
                result.elapsed,
            ),
        )
        if cur.rowcount == 0:
            return False
        # the link's state, in one statement: a new link starts its history here
        failed = result.verdict == "error"
        ok = not failed
        db.execute(
            """
            INSERT INTO links(url, first_seen, last_checked, last_ok, verdict, reason, status,
                              final_url, message, redirects, consecutive_failures, failing_since,
                              first_title, last_title, last_run_id)
            VALUES (:url, :at, :at, CASE WHEN :ok THEN :at END, :verdict, :reason, :status,
                    :final_url, :message, :redirects, CASE WHEN :failed THEN 1 ELSE 0 END,
                    CASE WHEN :failed THEN :at END, :title, :title, :run_id)
            ON CONFLICT(url) DO UPDATE SET
                last_checked = :at,
                last_ok = CASE WHEN :ok THEN :at ELSE last_ok END,
                verdict = :verdict, reason = :reason, status = :status,
                final_url = :final_url, message = :message, redirects = :redirects,
                consecutive_failures = CASE WHEN :failed THEN consecutive_failures + 1
                                            ELSE 0 END,
                failing_since = CASE WHEN :failed THEN COALESCE(failing_since, :at)
                                     ELSE NULL END,
                first_title = CASE WHEN first_title IS NULL AND :ok AND :title IS NOT NULL
                                   THEN :title ELSE first_title END,
                last_title = COALESCE(:title, last_title),
                last_run_id = :run_id
            """,
            {
                "at": checked_at,
                "ok": ok,
                "failed": failed,
                "verdict": result.verdict,
                "reason": result.reason,
                "status": result.status,
                "final_url": result.final_url,
                "message": result.message,
                "redirects": redirects,
                "title": result.title if ok else None,
                "run_id": run_id,
                "url": result.url,
            },
        )
        return True

    def is_broken(self, consecutive_failures: int, failing_since: float | None,
                  now: float | None = None) -> bool:
        """Readers hear a link is broken only after it failed in N consecutive
        runs spanning at least T hours (defaults: 2 runs, 24 h)."""
        if failing_since is None or consecutive_failures < self.broken_after_runs:
            return False
        now = time.time() if now is None else now
        return now - failing_since >= self.broken_after_hours * 3600

    def link_status(self, url: str, now: float | None = None) -> LinkStatus | None:
        row = self.db.execute("SELECT * FROM links WHERE url = ?", (url,)).fetchone()
        return self._status(row, now) if row else None

    def link_statuses(self, now: float | None = None) -> dict[str, LinkStatus]:
        return {r["url"]: self._status(r, now) for r in self.db.execute("SELECT * FROM links")}

    def _status(self, row: sqlite3.Row, now: float | None) -> LinkStatus:
        return LinkStatus(
            url=row["url"],
            verdict=row["verdict"],
            reason=row["reason"],
            status=row["status"],
            final_url=row["final_url"],
            message=row["message"],
            redirects=[tuple(h) for h in json.loads(row["redirects"] or "[]")],
            first_seen=row["first_seen"],
            last_checked=row["last_checked"],
            last_ok=row["last_ok"],
            consecutive_failures=row["consecutive_failures"],
            failing_since=row["failing_since"],
            first_title=row["first_title"],
            last_title=row["last_title"],
            broken=self.is_broken(row["consecutive_failures"], row["failing_since"], now),
        )

    def history(self, url: str, limit: int = 50) -> list[Result]:
        rows = self.db.execute(
            "SELECT * FROM checks WHERE url = ? ORDER BY checked_at DESC LIMIT ?", (url, limit)
        )
        return [_check_row_to_result(r) for r in rows]

    # ------------------------------------------------------------- locations
    def record_locations(self, links: Iterable[tuple[str, Iterable[Location]]]) -> None:
        """Record where each URL appears; seen-again locations are refreshed."""
        now = time.time()
        with self.transaction() as db:
            for url, locations in links:
                db.execute(
                    "INSERT OR IGNORE INTO links(url, first_seen) VALUES (?, ?)", (url, now)
                )
                for loc in locations:
                    db.execute(
                        "INSERT INTO locations(url, source, line, page, entry, fact, last_seen)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET last_seen = ?, fact = ?",
                        (url, loc.source, loc.line or 0, loc.page or "", loc.entry or "",
                         loc.fact or "", now, now, loc.fact or ""),
                    )

    def locations(self, url: str | None = None) -> dict[str, list[Location]]:
        sql = "SELECT * FROM locations"
        args: tuple[Any, ...] = ()
        if url is not None:
            sql += " WHERE url = ?"
            args = (url,)
        out: dict[str, list[Location]] = {}
        for r in self.db.execute(sql + " ORDER BY source, line", args):
            out.setdefault(r["url"], []).append(
                Location(r["source"], r["line"] or None, r["page"] or None, r["entry"] or None,
                         r["fact"] or None)
            )
        return out

    # ---------------------------------------------------------------- github
    def github_repo(self, repo: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT * FROM github_repos WHERE repo = ?", (repo,)).fetchone()
        return _repo_row(row) if row else None

    def github_repos(self) -> dict[str, dict[str, Any]]:
        return {r["repo"]: _repo_row(r) for r in self.db.execute("SELECT * FROM github_repos")}

    def save_github_repo(
        self,
        repo: str,
        *,
        state: str,
        data: dict[str, Any] | None = None,
        etag: str | None = None,
        renamed_to: str | None = None,
        fetched_at: float | None = None,
    ) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO github_repos(repo, state, data, etag, renamed_to, fetched_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(repo) DO UPDATE SET"
                " state = excluded.state, data = excluded.data, etag = excluded.etag,"
                " renamed_to = excluded.renamed_to, fetched_at = excluded.fetched_at",
                (repo, state, json.dumps(data or {}), etag, renamed_to,
                 fetched_at if fetched_at is not None else time.time()),
            )

    def touch_github_repo(self, repo: str, fetched_at: float | None = None) -> None:
        """Mark stored data as confirmed fresh (a 304 Not Modified)."""
        with self.transaction() as db:
            db.execute(
                "UPDATE github_repos SET fetched_at = ? WHERE repo = ?",
                (fetched_at if fetched_at is not None else time.time(), repo),
            )

    # --------------------------------------------------------------- archive
    def archive_lookup(self, url: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT * FROM archive WHERE url = ?", (url,)).fetchone()
        return dict(row) if row else None

    def archive_lookups(self) -> dict[str, dict[str, Any]]:
        return {r["url"]: dict(r) for r in self.db.execute("SELECT * FROM archive")}

    def save_archive_lookup(
        self, url: str, snapshot_url: str | None, snapshot_time: str | None = None
    ) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO archive(url, snapshot_url, snapshot_time, looked_up_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET"
                " snapshot_url = excluded.snapshot_url, snapshot_time = excluded.snapshot_time,"
                " looked_up_at = excluded.looked_up_at",
                (url, snapshot_url, snapshot_time, time.time()),
            )

    # ------------------------------------------------------ chunked check runs
    def plan_chunks(self, run_id: int, chunks: list[list[str]]) -> bool:
        """Remember a run's chunks (once: a redelivered start plans nothing twice)."""
        with self.transaction() as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO run_plans(run_id, urls_total, chunks_total) VALUES (?, ?, ?)",
                (run_id, sum(map(len, chunks)), len(chunks)),
            )
            if cur.rowcount == 0:
                return False
            db.executemany(
                "INSERT INTO run_chunks(run_id, idx, urls) VALUES (?, ?, ?)",
                [(run_id, i, json.dumps(urls)) for i, urls in enumerate(chunks)],
            )
            return True

    def run_plan(self, run_id: int) -> dict[str, Any] | None:
        """{'urls_total', 'chunks_total', 'followups_at', 'token'}; None for unchunked runs."""
        row = self.db.execute(
            "SELECT p.*, (SELECT token FROM locks WHERE run_id = p.run_id LIMIT 1) AS token"
            " FROM run_plans p WHERE run_id = ?", (run_id,)).fetchone()
        return dict(row) if row else None

    def run_chunks(self, run_id: int) -> list[dict[str, Any]]:
        """Every chunk of a run in order, with its URLs and state."""
        out = []
        for r in self.db.execute("SELECT * FROM run_chunks WHERE run_id = ? ORDER BY idx", (run_id,)):
            row = dict(r)
            row["urls"] = json.loads(row["urls"])
            row["unchecked"] = json.loads(row["unchecked"] or "[]")
            out.append(row)
        return out

    def mark_chunk_sent(self, run_id: int, idx: int, *, attempts_seen: int | None = None,
                        at: float | None = None) -> bool:
        """Count one dispatch of a chunk. With ``attempts_seen``, only if nobody
        dispatched it since (two watchers never send a chunk twice)."""
        sql = ("UPDATE run_chunks SET sent_at = ?, attempts = attempts + 1"
               " WHERE run_id = ? AND idx = ? AND done_at IS NULL")
        args: list[Any] = [at if at is not None else time.time(), run_id, idx]
        if attempts_seen is not None:
            sql += " AND attempts = ?"
            args.append(attempts_seen)
        with self.transaction() as db:
            return db.execute(sql, args).rowcount == 1

    def mark_chunk_done(self, run_id: int, idx: int, *, results: int, held: int,
                        unchecked: list[str]) -> bool:
        """Record a chunk as reported; True the first time."""
        with self.transaction() as db:
            return db.execute(
                "UPDATE run_chunks SET done_at = ?, results = ?, held = ?, unchecked = ?"
                " WHERE run_id = ? AND idx = ? AND done_at IS NULL",
                (time.time(), results, held, json.dumps(unchecked), run_id, idx),
            ).rowcount == 1

    def hold_results(self, run_id: int, results: list[Result], *, chunk: int = 0) -> int:
        """Keep results aside until the run's offline verdict (idempotent per URL)."""
        if not results:
            return 0
        with self.transaction() as db:
            return sum(db.execute(
                "INSERT OR IGNORE INTO held_results(run_id, idx, url, result) VALUES (?, ?, ?, ?)",
                (run_id, chunk, r.url, json.dumps(r.to_json()))).rowcount for r in results)

    def held_results(self, run_id: int) -> list[Result]:
        rows = self.db.execute(
            "SELECT result FROM held_results WHERE run_id = ? ORDER BY idx, url", (run_id,))
        return [Result.from_json(json.loads(r["result"])) for r in rows]

    def note_chunk_liveness(self, run_id: int, idx: int, *, seen_at: float | None,
                            stalled_since: float | None) -> None:
        """What the watchdog last saw of a chunk (shown by ``linkcheck runs``)."""
        with self.transaction() as db:
            db.execute("UPDATE run_chunks SET seen_at = COALESCE(?, seen_at), stalled_since = ?"
                       " WHERE run_id = ? AND idx = ?", (seen_at, stalled_since, run_id, idx))

    def claim_schedule(self, job: str, *, min_gap: float, token: str, now: float | None = None) -> bool:
        """Let one scheduled run of ``job`` through per interval: True when no claim
        was made in the last ``min_gap`` seconds (atomic across processes)."""
        now = time.time() if now is None else now
        with self.transaction() as db:
            row = db.execute("SELECT claimed_at FROM schedule_claims WHERE job = ?", (job,)).fetchone()
            if row is not None and now - row["claimed_at"] < min_gap:
                return False
            db.execute("INSERT INTO schedule_claims(job, claimed_at, token) VALUES (?, ?, ?)"
                       " ON CONFLICT(job) DO UPDATE SET claimed_at = excluded.claimed_at,"
                       " token = excluded.token", (job, now, token))
            return True

    def mark_followups_sent(self, run_id: int) -> bool:
        """True the first time: report and rebuild of the run are on their way."""
        with self.transaction() as db:
            return db.execute(
                "UPDATE run_plans SET followups_at = ? WHERE run_id = ? AND followups_at IS NULL",
                (time.time(), run_id),
            ).rowcount == 1

    def recorded_count(self, run_id: int) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM checks WHERE run_id = ?", (run_id,)).fetchone()[0])

    def run_started_at(self, run_id: int) -> float | None:
        row = self.db.execute("SELECT started_at FROM runs WHERE id = ?", (run_id,)).fetchone()
        return float(row["started_at"]) if row else None

    def runs_with_results(self, kind: str = "check") -> list[dict[str, Any]]:
        """Runs of ``kind`` that recorded at least one check, oldest first."""
        with_checks = {r[0] for r in self.db.execute("SELECT DISTINCT run_id FROM checks")}
        return [r for r in self.runs(kind) if r["id"] in with_checks]

    # ----------------------------------------------------------------- locks
    def bind_lock(self, token: str, job: str, run_id: int) -> None:
        """Remember that the holder of lock ``token`` opened ``run_id``."""
        with self.transaction() as db:
            db.execute("INSERT OR IGNORE INTO locks(token, job, run_id, taken_at) VALUES (?, ?, ?, ?)",
                       (token, job, run_id, time.time()))

    def run_of_lock(self, token: str) -> int | None:
        row = self.db.execute("SELECT run_id FROM locks WHERE token = ?", (token,)).fetchone()
        return int(row["run_id"]) if row and row["run_id"] is not None else None

    # --------------------------------------------------- GitHub resume state
    def github_paused_until(self, mode: str) -> float:
        row = self.db.execute("SELECT paused_until FROM github_resume WHERE mode = ?", (mode,)).fetchone()
        return float(row["paused_until"]) if row else 0.0

    def set_github_paused_until(self, mode: str, until: float) -> None:
        with self.transaction() as db:
            db.execute("INSERT INTO github_resume(mode, paused_until) VALUES (?, ?)"
                       " ON CONFLICT(mode) DO UPDATE SET paused_until = excluded.paused_until",
                       (mode, until))

    def github_pending(self) -> set[str]:
        return {r["repo"] for r in self.db.execute("SELECT repo FROM github_pending")}

    def set_github_pending(self, repos: Iterable[str]) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM github_pending")
            db.executemany("INSERT OR IGNORE INTO github_pending(repo) VALUES (?)", [(r,) for r in repos])

    def github_failures(self) -> dict[str, dict[str, Any]]:
        """Repositories whose last attempt failed: ``{repo: {"error": text, "at": unix time}}``."""
        return {r["repo"]: {"error": r["error"], "at": r["failed_at"]}
                for r in self.db.execute("SELECT * FROM github_failures")}

    def record_github_attempts(self, attempted: Iterable[str], failed: dict[str, str], at: float) -> None:
        """Attempted repositories lose their failure record; ``failed`` ones get a new one."""
        with self.transaction() as db:
            db.executemany("DELETE FROM github_failures WHERE repo = ?", [(r,) for r in attempted])
            db.executemany("INSERT OR REPLACE INTO github_failures(repo, error, failed_at) VALUES (?, ?, ?)",
                           [(repo, error, at) for repo, error in failed.items()])

    # ------------------------------------------------------------------ pypi
    def pypi_projects(self) -> dict[str, dict[str, Any]]:
        return {r["name"]: _repo_row(r) for r in self.db.execute("SELECT * FROM pypi_projects")}

    def pypi_project(self, name: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT * FROM pypi_projects WHERE name = ?", (name,)).fetchone()
        return _repo_row(row) if row else None

    def save_pypi_project(self, name: str, *, state: str, data: dict[str, Any], etag: str | None,
                          fetched_at: float | None = None) -> None:
        """A usable answer (200, 404): clears any failure."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO pypi_projects(name, state, data, etag, fetched_at, error, failed_at)"
                " VALUES (?, ?, ?, ?, ?, NULL, NULL) ON CONFLICT(name) DO UPDATE SET"
                " state = excluded.state, data = excluded.data, etag = excluded.etag,"
                " fetched_at = excluded.fetched_at, error = NULL, failed_at = NULL",
                (name, state, json.dumps(data), etag, fetched_at if fetched_at is not None else time.time()),
            )

    def touch_pypi_project(self, name: str, fetched_at: float | None = None) -> None:
        """A 304: the stored data is confirmed fresh."""
        with self.transaction() as db:
            db.execute("UPDATE pypi_projects SET fetched_at = ?, error = NULL, failed_at = NULL"
                       " WHERE name = ?", (fetched_at if fetched_at is not None else time.time(), name))

    def fail_pypi_project(self, name: str, error: str, at: float | None = None) -> None:
        """No usable answer: the last good data stays; a never-fetched project gets a 'failed' row."""
        at = at if at is not None else time.time()
        with self.transaction() as db:
            db.execute(
                "INSERT INTO pypi_projects(name, state, data, etag, fetched_at, error, failed_at)"
                " VALUES (?, 'failed', '{}', NULL, 0, ?, ?) ON CONFLICT(name) DO UPDATE SET"
                " error = excluded.error, failed_at = excluded.failed_at",
                (name, error, at),
            )

    # ------------------------------------------------------- PyPI downloads
    def save_pypi_downloads(self, name: str, last_month: int, fetched_at: float) -> None:
        """A good figure: replaces the last one and clears any failure."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO pypi_downloads(name, last_month, fetched_at, error, failed_at)"
                " VALUES (?, ?, ?, NULL, NULL) ON CONFLICT(name) DO UPDATE SET"
                " last_month = excluded.last_month, fetched_at = excluded.fetched_at,"
                " error = NULL, failed_at = NULL",
                (name, int(last_month), fetched_at),
            )

    def save_pypi_downloads_failure(self, name: str, error: str, failed_at: float) -> None:
        """No usable answer: the last good figure stays; a never-fetched name gets a row without one."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO pypi_downloads(name, last_month, fetched_at, error, failed_at)"
                " VALUES (?, NULL, 0, ?, ?) ON CONFLICT(name) DO UPDATE SET"
                " error = excluded.error, failed_at = excluded.failed_at",
                (name, error, failed_at),
            )

    def pypi_downloads(self) -> dict[str, dict[str, Any]]:
        """``{name: {"last_month": int, "fetched_at": float}}`` for names with a good figure."""
        return {r["name"]: {"last_month": int(r["last_month"]), "fetched_at": float(r["fetched_at"])}
                for r in self.db.execute(
                    "SELECT name, last_month, fetched_at FROM pypi_downloads WHERE last_month IS NOT NULL")}

    def pypi_downloads_attempts(self) -> dict[str, dict[str, Any]]:
        """Every row, failures included: ``{name: {last_month, fetched_at, error, failed_at}}``."""
        return {r["name"]: {k: r[k] for k in ("last_month", "fetched_at", "error", "failed_at")}
                for r in self.db.execute("SELECT * FROM pypi_downloads")}

    # -------------------------------------------------------- project events
    def record_project_event(self, project: str, kind: str, detail: dict[str, Any], at: float) -> None:
        with self.transaction() as db:
            db.execute("INSERT INTO project_events(project, kind, detail, at) VALUES (?, ?, ?, ?)",
                       (project, kind, json.dumps(detail, sort_keys=True), at))

    def project_events(self, since: float | None = None) -> list[dict[str, Any]]:
        """Events newest first (``at`` at or after ``since`` when given); ``detail`` decoded."""
        sql, args = "SELECT * FROM project_events", ()
        if since is not None:
            sql, args = sql + " WHERE at >= ?", (since,)
        rows = self.db.execute(sql + " ORDER BY at DESC, id DESC", args)
        return [{**dict(r), "detail": json.loads(r["detail"] or "{}")} for r in rows]

    # ------------------------------------------------------------ API pauses
    def api_paused_until(self, api: str) -> float:
        row = self.db.execute("SELECT paused_until FROM api_pauses WHERE api = ?", (api,)).fetchone()
        return float(row["paused_until"]) if row else 0.0

    def set_api_paused_until(self, api: str, until: float) -> None:
        with self.transaction() as db:
            db.execute("INSERT INTO api_pauses(api, paused_until) VALUES (?, ?)"
                       " ON CONFLICT(api) DO UPDATE SET paused_until = excluded.paused_until", (api, until))


def _check_row_to_result(r: sqlite3.Row) -> Result:
    return Result(
        url=r["url"],
        verdict=r["verdict"],
        reason=r["reason"],
        message=r["message"],
        status=r["status"],
        final_url=r["final_url"],
        redirects=[tuple(h) for h in json.loads(r["redirects"] or "[]")],
        title=r["title"],
        checked_at=r["checked_at"],
        elapsed=r["elapsed"],
    )


def _repo_row(r: sqlite3.Row) -> dict[str, Any]:
    out = dict(r)
    out["data"] = json.loads(out["data"] or "{}")
    return out
