"""The runner: collect -> check -> record into one store run, as results arrive."""

from __future__ import annotations

from pathlib import Path

from linkcheck.engine.check import CheckOptions
from linkcheck.model import Location
from linkcheck.runs.local import run_check
from linkcheck.settings import Settings
from linkcheck.store import Store


def _settings(tmp_path: Path) -> Settings:
    return Settings.from_env(var_dir=tmp_path, store_path=tmp_path / "s.sqlite3", allow_private=True,
                             retries=0, timeout=5.0)


def _page(tmp_path: Path, a: str, b: str) -> Path:
    page = tmp_path / "page.html"
    page.write_text(f'<html><body>\n<a href="{a}/ok">ok</a>\n<a href="{b}/gone">gone</a>\n'
                    f'<a href="{a}/temp">temp</a>\n<a href="{a}/ok">ok again</a>\n</body></html>\n')
    return page


def test_run_records_results_and_locations(tmp_path, web_hosts):
    a, b = web_hosts
    settings = _settings(tmp_path)
    page = _page(tmp_path, a, b)
    seen_in_store: list[bool] = []
    with Store.from_settings(settings) as store:
        def on_result(result):
            # crash safety: the result is already committed when the caller hears of it
            recorded = store.run_results(store.runs(limit=1)[-1]["id"])
            seen_in_store.append(result.url in recorded)

        summary = run_check(settings, [page], store=store, root=tmp_path, on_result=on_result,
                            options=CheckOptions.from_settings(settings))
        assert summary.counts == {"ok": 2, "warn": 0, "error": 1}
        assert summary.exit_code == 1
        assert summary.offline is False
        assert {r.url: r.verdict for r in summary.results} == {
            f"{a}/ok": "ok", f"{b}/gone": "error", f"{a}/temp": "ok"}
        assert seen_in_store == [True, True, True]
        assert store.run_counts(summary.run_id) == {"ok": 2, "error": 1}
        run = store.runs(limit=1)[-1]
        assert (run["id"], run["status"]) == (summary.run_id, "done")
        assert run["stats"]["error"] == 1 and run["stats"]["total"] == 3
        assert store.locations(f"{a}/ok") == {f"{a}/ok": [
            Location("page.html", 2, "page.html"), Location("page.html", 5, "page.html")]}
        gone = store.link_status(f"{b}/gone")
        assert (gone.verdict, gone.status, gone.consecutive_failures) == ("error", 404, 1)


def test_run_without_store(tmp_path, web_hosts):
    a, b = web_hosts
    settings = _settings(tmp_path)
    summary = run_check(settings, [_page(tmp_path, a, b), f"{b}/also-ok"], store=None)
    assert summary.run_id is None and summary.recorded == 0
    assert len(summary.results) == 4
    assert not (tmp_path / "s.sqlite3").exists()


def test_offline_run_records_nothing_as_broken(tmp_path):
    # nothing listens on these loopback hosts: every link fails at connection level,
    # which is what a checker without network sees
    from tests.support.servers import free_port

    settings = _settings(tmp_path)
    urls = [f"http://127.0.2.{i}:{free_port(f'127.0.2.{i}')}/x" for i in range(1, 13)]
    with Store.from_settings(settings) as store:
        summary = run_check(settings, urls, store=store)
        assert summary.offline is True
        assert summary.exit_code == 2
        assert all(r.verdict == "error" for r in summary.results)
        run = store.runs(limit=1)[-1]
        assert run["status"] == "offline"
        assert store.run_counts(summary.run_id) == {}
        assert all(store.link_status(u) is None or store.link_status(u).consecutive_failures == 0
                   for u in urls)
