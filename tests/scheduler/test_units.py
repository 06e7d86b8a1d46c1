"""Unit tests: chunking, progress, the fan-out functions, locks, Celery config,
the site build. Real SQLite, a real Redis, real loopback hosts; no Celery worker."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from linkcheck.engine import chunking
from linkcheck.engine.chunking import chunk_urls, host_key
from linkcheck.model import Result
from linkcheck.redact import redact_url
from linkcheck.runs import chunked as fanout
from linkcheck.runs import progress
from linkcheck.scheduler.app import celery_config, visibility_timeout
from linkcheck.scheduler.broker import BrokerError, EmbeddedRedis
from linkcheck.scheduler.locks import JobLock
from linkcheck.scheduler.sitebuild import BuildError, build_site
from linkcheck.settings import Settings
from linkcheck.store import Store

from .conftest import FakeSite, write_content


def _settings(tmp_path: Path, **kw: object) -> Settings:
    base = {"var_dir": tmp_path / "var", "store_path": tmp_path / "var" / "s.sqlite3", "broker_url": "",
            "content_dir": tmp_path / "content", "output_dir": tmp_path / "output",
            "site_output_dir": tmp_path / "site", "allow_private": True, "retries": 0, "timeout": 5.0}
    return Settings.from_env(**{**base, **kw})


# ------------------------------------------------------------------ chunking
def test_chunks_are_host_disjoint_and_bounded() -> None:
    urls = [f"https://h{h}.example/{i}" for h in range(7) for i in range(h + 1)]
    urls += ["https://H0.example:8443/other"]  # same host, other port and case
    chunks = chunk_urls(urls, 5)
    hosts = [{host_key(u) for u in c} for c in chunks]
    assert sorted(u for c in chunks for u in c) == sorted(urls)
    for a in range(len(hosts)):
        for b in range(a + 1, len(hosts)):
            assert not hosts[a] & hosts[b]
    # a host bigger than the bound (h5: 6, h6: 7) gets a chunk of its own; the rest fit
    assert all(len(c) <= 5 or len(h) == 1 for c, h in zip(chunks, hosts, strict=True))
    big = next(c for c in chunks if "https://h6.example/0" in c)
    assert len(big) == 7 and {host_key(u) for u in big} == {"h6.example"}
    # h4 (5), h5 (6), h6 (7) alone; h3 (4); h2 (3) + h1 (2); h0 (2, ports merged)
    assert sorted(map(len, chunks)) == [2, 4, 5, 5, 6, 7]


def test_chunking_is_deterministic_and_drops_repeats() -> None:
    urls = ["https://a.example/1", "https://b.example/1", "https://a.example/1", "https://a.example/2#x"]
    assert chunk_urls(urls, 10) == chunk_urls(list(urls), 10)
    assert sum(map(len, chunk_urls(urls, 10))) == 3
    assert chunk_urls(urls, 1) == [["https://a.example/1", "https://a.example/2#x"], ["https://b.example/1"]]
    with pytest.raises(ValueError):
        chunk_urls(urls, 0)


def _hosts_of(chunks: list[list[str]]) -> list[set[str]]:
    return [{host_key(u) for u in c} for c in chunks]


def test_automatic_chunks_keep_every_slot_and_engine_busy_within_bounds() -> None:
    # 100,000 links on 2,000 hosts, two check processes: 4 chunks each, 250 hosts a chunk
    urls = [f"https://h{j % 2000}.example/p{j}" for j in range(100_000)]
    chunks = chunking.plan(urls, slots=2)
    hosts = _hosts_of(chunks)
    assert len(chunks) == 8 and {len(c) for c in chunks} == {12_500} and {len(h) for h in hosts} == {250}
    assert sum(map(len, hosts)) == len(set().union(*hosts)) == 2000  # host-disjoint, nothing lost
    assert sorted(u for c in chunks for u in c) == sorted(urls)
    assert chunking.plan(list(reversed(urls)), slots=2) == chunks  # deterministic
    # few hosts: fewer chunks, so each still spreads over many hosts, but one per slot at least
    assert chunking.chunk_count(urls=5_000, hosts=1_500, slots=2) == 6  # 250 hosts a chunk
    assert chunking.chunk_count(urls=5_000, hosts=300, slots=2) == 2
    assert chunking.chunk_count(urls=5_000, hosts=300, slots=8) == 8
    # never more chunks than hosts (a host is never split), none for nothing
    assert chunking.chunk_count(urls=500, hosts=3, slots=8) == 3
    assert chunking.chunk_count(urls=0, hosts=0, slots=2) == 0 and chunking.plan([], slots=2) == []
    # a lost chunk costs little: at most MAX_CHUNK_URLS, however few slots
    assert chunking.chunk_count(urls=1_000_000, hosts=50_000, slots=1) == 50
    many = [f"https://h{j % 5000}.example/p{j}" for j in range(200_000)]
    assert max(map(len, chunking.plan(many, slots=1))) <= chunking.MAX_CHUNK_URLS


def test_a_big_host_stays_whole_in_an_automatic_plan() -> None:
    urls = [f"https://big.example/{i}" for i in range(3000)]
    urls += [f"https://h{j % 900}.example/p{j}" for j in range(9000)]
    chunks = chunking.plan(urls, slots=2)
    hosts = _hosts_of(chunks)
    assert sum(map(len, hosts)) == len(set().union(*hosts)) == 901
    assert sum("big.example" in h for h in hosts) == 1
    assert "https://big.example/0" in chunks[0]  # the slowest chunk is sent first
    assert len(chunks) == 4 and max(map(len, chunks)) - min(map(len, chunks)) <= 10  # about equal


def test_a_chunk_size_setting_packs_chunks_of_at_most_that_many() -> None:
    urls = [f"https://h{j % 40}.example/p{j}" for j in range(400)]
    assert chunking.plan(urls, slots=2, max_size=25) == chunk_urls(urls, 25)
    assert max(map(len, chunking.plan(urls, slots=2, max_size=25))) <= 25


# ------------------------------------------------------- progress and fan-out
def _result(url: str, verdict: str = "ok", reason: str = "ok", status: int | None = 200) -> Result:
    return Result(url=url, verdict=verdict, reason=reason, message=reason, status=status,
                  checked_at=time.time())  # type: ignore[arg-type]


def test_record_chunk_is_idempotent_and_says_when_complete(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite3") as store:
        run = store.start_run("check")
        chunks = [["https://a.example/1", "https://a.example/2"], ["https://b.example/1"]]
        progress.plan(store, run, chunks, token="t")
        first = fanout.ChunkOutcome([_result(u) for u in chunks[0]])
        assert fanout.record_chunk(store, run, 0, first) is False
        assert fanout.record_chunk(store, run, 0, first) is False  # redelivered: nothing twice
        state = progress.progress(store, run)
        assert (state.chunks_done, state.chunks_total, state.recorded) == (1, 2, 2)
        last = fanout.ChunkOutcome([_result("https://b.example/1", "error", "not_found", 404)])
        assert fanout.record_chunk(store, run, 1, last) is True
        assert fanout.record_chunk(store, run, 1, last) is True  # finishing twice is harmless
        assert fanout.finish_check_run(store, run) == "done"
        progress.mark_finished(store, run)
        assert fanout.record_chunk(store, run, 1, last) is False
        assert store.run_counts(run) == {"ok": 2, "error": 1}
        finished = store.runs("check")[-1]
        assert finished["status"] == "done" and finished["stats"]["recorded"] == 3
        assert progress.planned(store, run)["token"] == "t"


def test_abandoned_scheduled_runs_are_closed_but_cli_runs_are_left_alone(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite3") as store:
        dead = store.start_run("check")
        progress.plan(store, dead, [["https://a.example/"]])
        cli = store.start_run("check")  # a CLI `check` in progress: no plan, not ours to close
        assert fanout.abandon_stale_runs(store) == [dead]
        runs = {r["id"]: r for r in store.runs("check")}
        assert runs[dead]["status"] == "failed" and runs[dead]["stats"]["abandoned"]
        assert runs[cli]["status"] == "running"


def test_offline_rule_is_judged_over_the_whole_run(tmp_path: Path) -> None:
    hosts = ["a", "b", "c", "d"]
    with Store(tmp_path / "s.sqlite3") as store:
        # no host answered (the resolver itself did not), one host per chunk: offline
        run = store.start_run("check")
        progress.plan(store, run, [[f"https://{h}.example/"] for h in hosts])
        for i, h in enumerate(hosts):
            url = f"https://{h}.example/"
            outcome = fanout.ChunkOutcome([_result(url, "error", "dns_unreachable", None)])
            fanout.record_chunk(store, run, i, outcome)
        assert fanout.finish_check_run(store, run) == "offline"
        assert store.run_counts(run) == {}  # nothing recorded as broken

        # one dead host among answering ones: the checker is online, the error is recorded
        run2 = store.start_run("check")
        progress.plan(store, run2, [[f"https://{h}.example/"] for h in hosts])
        for i, h in enumerate(hosts):
            r = (_result(f"https://{h}.example/", "error", "connection_error", None) if h == "a"
                 else _result(f"https://{h}.example/"))
            fanout.record_chunk(store, run2, i, fanout.ChunkOutcome([r]))
        assert store.run_counts(run2) == {"ok": 3}  # the error is held until the end
        assert fanout.finish_check_run(store, run2) == "done"
        assert store.run_counts(run2) == {"ok": 3, "error": 1}


def test_plan_check_run_collects_and_splits(tmp_path: Path, monkeypatch) -> None:
    urls = [f"https://h{i % 3}.example/p{i}" for i in range(9)]
    write_content(tmp_path / "content", [*urls, "https://catalog.example.test/links.html"])
    monkeypatch.setenv("SITEURL", "https://catalog.example.test")  # the site's own pages are skipped
    settings = _settings(tmp_path, chunk_size=2)
    with Store.from_settings(settings) as store:
        plan = fanout.plan_check_run(settings, store, token="tok")
        assert sorted(u for c in plan.chunks for u in c) == sorted(urls)
        assert len(plan.chunks) == 3  # one host per chunk: each has 3 > 2 URLs
        assert store.locations(urls[0])[urls[0]]  # where each link appears is recorded
        assert progress.planned(store, plan.run_id)["lists"] == plan.chunks


def test_check_chunk_returns_json_and_names_what_ran_out_of_time(tmp_path: Path,
                                                                 fake_site: FakeSite) -> None:
    settings = _settings(tmp_path)
    ok = f"{fake_site.bases[0]}/ok/1"
    slow = f"{fake_site.slow_base}/slow"
    outcome = fanout.check_chunk(settings, [ok, f"{fake_site.bases[0]}/missing"])
    assert [r.verdict for r in outcome.results] == ["ok", "error"] and outcome.unchecked == []
    again = fanout.ChunkOutcome.from_json(outcome.to_json())
    assert again.results[0].url == ok and again.results[1].status == 404

    fake_site.delay[0] = 5.0
    started = time.monotonic()
    partial = fanout.check_chunk(settings, [ok, slow], budget=1.0)
    assert time.monotonic() - started < 4
    assert [r.url for r in partial.results] == [ok] and partial.unchecked == [slow]


# --------------------------------------------------------------------- locks
def test_job_lock_excludes_other_holders_extends_and_expires(redis_server: EmbeddedRedis) -> None:
    client = redis_server.client()
    lock = JobLock(client, "check-run", ttl=1.0)
    assert lock.acquire("run-1")
    assert lock.acquire("run-1")  # the holder may confirm (a redelivered start)
    assert not lock.acquire("run-2")
    assert lock.holder() == "run-1"
    assert not lock.release("run-2") and lock.holder() == "run-1"
    time.sleep(0.6)
    assert lock.extend("run-1")  # heartbeat pushes the expiry out
    time.sleep(0.6)
    assert lock.holder() == "run-1"
    assert lock.release("run-1") and lock.holder() is None
    assert lock.acquire("run-2")
    assert lock.acquire("run-3", wait=1.5)  # run-2 never released: expiry frees the job


# -------------------------------------------------------------------- celery
def test_watchdog_takes_one_turn_per_interval_and_logs_only_trouble(
    redis_server: EmbeddedRedis, caplog
) -> None:
    import logging

    from linkcheck.scheduler.watchdog import Watchdog

    looks: list[str] = []
    client = redis_server.client()
    a = Watchdog(client, lambda: looks.append("a"), interval=0.5, name="a")
    b = Watchdog(client, lambda: looks.append("b"), interval=0.5, name="b")
    caplog.set_level(logging.DEBUG, logger="linkcheck")
    assert a.tick() and not b.tick()  # two workers, one look per interval
    time.sleep(0.5)
    assert b.tick() and not a.tick()
    assert looks == ["a", "b"] and caplog.text == ""  # looking is silent

    def broken() -> None:
        raise ConnectionError("redis went away")

    c = Watchdog(client, broken, interval=0.05, name="c")
    time.sleep(0.5)  # b's turn ends
    for _ in range(3):
        time.sleep(0.06)
        assert not c.tick()
    assert caplog.text.count("could not look at the runs") == 1  # once per streak, not per tick
    c.act = lambda: None
    time.sleep(0.06)
    assert c.tick() and "looking at the runs again" in caplog.text


def test_celery_config_reliability_and_schedule(tmp_path: Path) -> None:
    settings = _settings(tmp_path, task_time_limit=600.0, check_interval_hours=24.0,
                         github_interval_hours=12.0)
    conf = celery_config(settings)
    assert conf["broker_url"] == conf["result_backend"]
    assert conf["broker_url"] == f"redis+socket://{tmp_path / 'var' / 'redis' / 'redis.sock'}"
    assert conf["task_acks_late"] and conf["task_reject_on_worker_lost"]
    assert conf["worker_prefetch_multiplier"] == 1
    assert conf["task_soft_time_limit"] < conf["task_time_limit"] == 600
    assert conf["broker_transport_options"]["visibility_timeout"] > conf["task_time_limit"]
    assert conf["broker_connection_retry_on_startup"]
    assert conf["beat_schedule"]["check-links"]["schedule"].total_seconds() == 24 * 3600
    assert conf["beat_schedule"]["refresh-github"]["schedule"].total_seconds() == 12 * 3600
    assert conf["beat_schedule"]["refresh-pypi"]["schedule"].total_seconds() == 12 * 3600
    # pypistats updates daily: downloads on their own, daily clock
    assert conf["beat_schedule"]["refresh-downloads"]["schedule"].total_seconds() == 24 * 3600
    assert conf["beat_schedule"]["refresh-downloads"]["task"] == "linkcheck.refresh_downloads"
    assert "refresh-downloads" not in celery_config(
        _settings(tmp_path, downloads_interval_hours=0))["beat_schedule"]
    assert set(conf["beat_schedule"]) == {"check-links", "refresh-github", "refresh-pypi",
                                          "refresh-downloads"}  # no watchdog entry
    assert conf["beat_schedule_filename"].startswith(str(tmp_path / "var"))
    assert conf["task_routes"]["linkcheck.check_chunk"]["queue"] == "celery"
    assert conf["task_routes"]["linkcheck.*"]["queue"] == "state"
    with pytest.raises(ValueError, match="VISIBILITY_TIMEOUT"):
        visibility_timeout(_settings(tmp_path, task_time_limit=60.0, visibility_timeout=30.0))
    assert "check-links" not in celery_config(_settings(tmp_path, check_interval_hours=0))["beat_schedule"]
    url = "redis://user:s3cret@redis.example:6379/0"
    assert celery_config(_settings(tmp_path, broker_url=url))["broker_url"] == url
    assert "s3cret" not in redact_url(url) and "redis.example:6379" in redact_url(url)


def test_routing_sends_chunks_to_any_worker_and_state_work_to_the_state_queue() -> None:
    from linkcheck.scheduler.app import app
    from linkcheck.scheduler.tasks import (
        check_chunk,
        rebuild_site,
        record_chunk,
        refresh_downloads,
        refresh_github,
        refresh_pypi,
        start_check_run,
        write_report,
    )

    router = app.amqp.router
    assert router.route({}, check_chunk.name)["queue"].name == "celery"
    for task in (start_check_run, record_chunk, write_report, rebuild_site, refresh_github, refresh_pypi,
                 refresh_downloads):
        assert router.route({}, task.name)["queue"].name == "state"


# -------------------------------------------------------------------- broker
def test_embedded_redis_on_a_private_socket_keeps_jobs_across_restarts(tmp_path: Path) -> None:
    server = EmbeddedRedis(tmp_path / "r")
    with server:
        assert oct(server.socket.stat().st_mode & 0o777) == "0o700"
        server.client().rpush("celery", "job")
        server.restart()
        assert server.client().lrange("celery", 0, -1) == [b"job"]
        with pytest.raises(BrokerError, match="already listens"):  # a second scheduler, same var/
            EmbeddedRedis(tmp_path / "r").start()
        assert server.client().ping()  # the first one is untouched
    assert not server.running()


# --------------------------------------------------------------------- build
def test_build_site_swaps_in_a_new_site_and_reports_pelican_errors(tmp_path: Path, monkeypatch) -> None:
    write_content(tmp_path / "content", ["https://example.org/a"])
    out = tmp_path / "site"
    settings = _settings(tmp_path, site_output_dir=out)
    monkeypatch.setenv("LINKCHECK_STORE", str(settings.store_path))
    monkeypatch.delenv("SITEURL", raising=False)
    with pytest.raises(BuildError, match="SITEURL"):  # publishconf's own message
        build_site(settings)
    assert not out.exists() and not list(tmp_path.glob(".site.building-*"))
    monkeypatch.setenv("SITEURL", "https://catalog.example.test")
    assert build_site(settings) == out
    assert "https://example.org/a" in (out / "links.html").read_text()
    (out / "stale.html").write_text("old")
    build_site(settings)
    assert not (out / "stale.html").exists() and (out / "links.html").exists()


def test_offline_run_gets_a_short_note_not_a_traceback(tmp_path: Path) -> None:
    from linkcheck.report.build import write_offline_report

    settings = _settings(tmp_path, reports_dir=tmp_path / "reports")
    with Store(settings.store_path) as store:
        run = store.start_run("check")
        progress.plan(store, run, [[f"https://{h}.example/"] for h in "abcd"])
        for i, h in enumerate("abcd"):
            fanout.record_chunk(store, run, i, fanout.ChunkOutcome(
                [_result(f"https://{h}.example/", "error", "dns_unreachable", None)]))
        assert fanout.finish_check_run(store, run) == "offline"
        note = write_offline_report(settings, store, run)
    text = note.read_text()
    assert "no network" in text and "not rebuilt" in text
    assert not (settings.reports_dir / "latest.md").exists()  # the last real report stands
