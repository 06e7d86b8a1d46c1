"""The `check` command as other tools use it: a subprocess, JSON shape, exit codes."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LINKCHECK_VAR_DIR": str(tmp_path / "var"),
           "LINKCHECK_STORE": str(tmp_path / "var" / "store.sqlite3"), "LINKCHECK_RETRIES": "0",
           "LINKCHECK_TIMEOUT": "5"}
    return subprocess.run([sys.executable, "-m", "linkcheck", "check", *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)


def _md(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "doc.md"
    path.write_text(text)
    return path


def test_json_shape_and_exit_1_on_error(tmp_path, web_hosts):
    a, b = web_hosts
    _md(tmp_path, f"# Doc\n\nSee [ok]({a}/ok) and\n[gone]({b}/gone).\n")
    proc = _run(tmp_path, "--allow-private", "--json", "out.json", "doc.md")
    assert proc.returncode == 1, proc.stderr
    data = json.loads((tmp_path / "out.json").read_text())
    assert set(data) == {"results", "summary"}
    by_url = {r["url"]: r for r in data["results"]}
    assert set(by_url) == {f"{a}/ok", f"{b}/gone"}
    for r in data["results"]:
        assert {"url", "verdict", "reason", "status", "final_url", "message", "locations"} <= set(r)
        assert r["verdict"] in ("ok", "warn", "error") and isinstance(r["reason"], str) and r["message"]
    assert (by_url[f"{a}/ok"]["verdict"], by_url[f"{a}/ok"]["status"]) == ("ok", 200)
    assert (by_url[f"{b}/gone"]["verdict"], by_url[f"{b}/gone"]["status"]) == ("error", 404)
    assert by_url[f"{b}/gone"]["locations"] == [{"source": "doc.md", "line": 4, "page": None, "entry": None,
                                                 "fact": None}]
    summary = data["summary"]
    assert (summary["ok"], summary["warn"], summary["error"], summary["total"]) == (1, 0, 1, 2)
    assert summary["offline"] is False and summary["run_id"] is not None
    # not a TTY: quiet plain lines naming the problem and where it appears
    assert f"{b}/gone" in proc.stdout and "doc.md:4" in proc.stdout
    assert f"{a}/ok " not in proc.stdout
    with sqlite3.connect(tmp_path / "var" / "store.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM checks").fetchone()[0] == 2


def test_exit_0_json_on_stdout_and_no_store(tmp_path, web_hosts):
    a, b = web_hosts
    _md(tmp_path, f"[one]({a}/ok) [two]({b}/also-ok)\n")
    proc = _run(tmp_path, "--allow-private", "--no-store", "--json", "-", "doc.md", f"{b}/ok")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert sorted(r["url"] for r in data["results"]) == sorted([f"{a}/ok", f"{b}/also-ok", f"{b}/ok"])
    assert all(r["verdict"] == "ok" for r in data["results"])
    assert data["summary"]["run_id"] is None
    assert not (tmp_path / "var" / "store.sqlite3").exists()


def test_processes_option_same_output_and_one_store(tmp_path, web_hosts):
    a, b = web_hosts
    _md(tmp_path, f"[ok]({a}/ok) [gone]({b}/gone) [also]({b}/also-ok)\n")
    proc = _run(tmp_path, "--allow-private", "--processes", "2", "--json", "out.json", "doc.md")
    assert proc.returncode == 1, proc.stderr
    data = json.loads((tmp_path / "out.json").read_text())
    verdicts = {r["url"]: r["verdict"] for r in data["results"]}
    assert verdicts == {f"{a}/ok": "ok", f"{b}/gone": "error", f"{b}/also-ok": "ok"}
    with sqlite3.connect(tmp_path / "var" / "store.sqlite3") as db:  # the parent recorded them all
        assert db.execute("SELECT COUNT(*) FROM checks").fetchone()[0] == 3
    assert _run(tmp_path, "--processes", "0", "doc.md").returncode == 2  # at least 1


def test_ssrf_guard_is_on_without_allow_private(tmp_path, web_hosts):
    a, _ = web_hosts
    proc = _run(tmp_path, "--no-store", "--json", "-", f"{a}/ok")
    assert proc.returncode == 1, proc.stderr
    (result,) = json.loads(proc.stdout)["results"]
    assert result["verdict"] == "error" and result["status"] is None


def test_exit_2_on_usage_and_missing_source(tmp_path, capsys, monkeypatch):
    missing = _run(tmp_path, "--no-store", "nowhere/site")
    assert missing.returncode == 2
    assert "nowhere/site: no such file or directory" in missing.stderr
    # the other usage errors in-process: same parser and handler, no interpreter start-up each
    from linkcheck.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LINKCHECK_VAR_DIR", str(tmp_path / "var"))
    assert main(["check", "--concurrency", "0", "x.md"]) == 2
    assert "--concurrency" in capsys.readouterr().err
    assert main(["check"]) == 2
    assert "SOURCE" in capsys.readouterr().err
    (tmp_path / "notes.txt").write_text("https://x.test/")
    assert main(["check", "--no-store", "notes.txt"]) == 2
    assert "notes.txt: unsupported file type" in capsys.readouterr().err


def test_internal_mode_needs_no_network(tmp_path):
    site = tmp_path / "output"
    site.mkdir()
    (site / "index.html").write_text('<html><body>\n<a href="about.html">about</a>\n'
                                     '<a href="missing.html">missing</a>\n'
                                     '<a href="https://not-fetched.invalid/">external</a></body></html>\n')
    (site / "about.html").write_text('<html><body><a href="index.html">home</a></body></html>\n')
    proc = _run(tmp_path, "--internal", "--json", "internal.json", "output")
    assert proc.returncode == 1, proc.stderr
    data = json.loads((tmp_path / "internal.json").read_text())
    assert [(p["page"], p["line"], p["url"]) for p in data["internal"]] == [("index.html", 3, "missing.html")]
    assert data["summary"]["problems"] == 1
    assert "index.html:3: missing.html" in proc.stdout
    (site / "index.html").write_text('<html><body><a href="about.html">about</a></body></html>\n')
    from linkcheck.cli import main

    assert main(["check", "--internal", str(site)]) == 0
    assert main(["check", "--internal", str(tmp_path / "nowhere")]) == 2


def test_offline_says_so_and_records_no_failure(tmp_path):
    from tests.support.servers import free_port

    # nothing listens on these hosts: every link fails at connection level, as without network
    urls = [f"http://127.0.2.{i}:{free_port(f'127.0.2.{i}')}/x" for i in range(20, 26)]
    proc = _run(tmp_path, "--allow-private", *urls)
    assert proc.returncode == 2, proc.stderr
    assert "no network" in proc.stdout and "nothing judged broken" in proc.stdout
    assert "connection_error" not in proc.stdout  # nothing listed as a problem
    with sqlite3.connect(tmp_path / "var" / "store.sqlite3") as db:
        assert db.execute("SELECT status FROM runs").fetchall() == [("offline",)]
        assert db.execute("SELECT COUNT(*) FROM checks").fetchone()[0] == 0


def _on_terminal(tmp_path: Path, columns: str) -> tuple[int, str]:
    """``check --allow-private --no-store doc.md`` on a real pseudo-terminal: exit code, output."""
    import pty

    master, slave = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LINKCHECK_VAR_DIR": str(tmp_path / "var"),
           "COLUMNS": columns, "TERM": "xterm"}
    proc = subprocess.Popen([sys.executable, "-m", "linkcheck", "check", "--allow-private", "--no-store",
                             "doc.md"], cwd=tmp_path, env=env, stdout=slave, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return proc.wait(60), b"".join(chunks).decode(errors="replace")


def test_terminal_gets_progress_and_summary_table(tmp_path, web_hosts):
    a, b = web_hosts
    _md(tmp_path, f"[ok]({a}/ok)\n[gone]({b}/gone)\n")
    returncode, raw = _on_terminal(tmp_path, "200")
    assert returncode == 1
    screen = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", raw)
    assert "checking links" in screen  # the progress bar was drawn
    assert "Links that need attention" in screen
    assert f"{b}/gone" in screen and "doc.md:2" in screen
    assert "checked 2 links" in screen and "1 ok, 0 warn, 1 error" in screen


def test_killed_mid_run_keeps_what_was_recorded(tmp_path, web_hosts):
    import signal
    import time

    a, b = web_hosts
    fast = [f"{a}/ok?n={i}" for i in range(6)]
    _md(tmp_path, "\n".join(f"[x]({u})" for u in [*fast, f"{b}/slow"]) + "\n")
    store = tmp_path / "var" / "store.sqlite3"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LINKCHECK_VAR_DIR": str(tmp_path / "var"),
           "LINKCHECK_STORE": str(store), "LINKCHECK_RETRIES": "0"}
    proc = subprocess.Popen([sys.executable, "-m", "linkcheck", "check", "--allow-private", "doc.md"],
                            cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        recorded = 0
        while time.time() < deadline and recorded < len(fast):
            time.sleep(0.2)
            try:  # read-only: polling must not create the file before the checker does
                with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as db:
                    recorded = db.execute("SELECT COUNT(*) FROM checks").fetchone()[0]
            except sqlite3.OperationalError:  # not created yet (no file, or no schema so far)
                continue
        assert proc.poll() is None, "the run should still be waiting on /slow"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    with sqlite3.connect(store) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        urls = {u for (u,) in db.execute("SELECT url FROM checks")}
        assert urls == set(fast)
        assert db.execute("SELECT status FROM runs").fetchall() == [("running",)]
        assert db.execute("SELECT COUNT(DISTINCT url) FROM locations").fetchone()[0] == len(fast) + 1


def test_markup_and_escapes_from_the_web_are_printed_as_text(tmp_path, web_hosts):
    a, _ = web_hosts
    hostile = [f"{a}/gone?x=[/]", f"{a}/gone?y=[link=https://evil.example/]click[/link]",
               f"{a}/gone?z=%1B]0;pwned%07"]
    _md(tmp_path, "\n".join(f"[l{i}]({u})" for i, u in enumerate(hostile)) + "\n")
    returncode, raw = _on_terminal(tmp_path, "250")
    assert returncode == 1  # a MarkupError used to end the run with exit 2 and no table
    assert "\x1b]8;" not in raw  # no terminal hyperlink planted
    screen = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", raw)
    assert "x=[/]" in screen and "[link=https://evil.example/]click[/link]" in screen
    assert "checked 3 links" in screen

    plain = _run(tmp_path, "--allow-private", "--no-store", "doc.md")  # not a terminal
    assert plain.returncode == 1 and "[link=https://evil.example/]" in plain.stdout


def test_out_of_range_numbers_are_usage_errors(tmp_path, capsys, monkeypatch):
    from linkcheck.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LINKCHECK_VAR_DIR", str(tmp_path / "var"))
    (tmp_path / "doc.md").write_text("[x](https://x.test/)\n")
    for args in (["--timeout", "nan"], ["--timeout", "inf"], ["--timeout", "0"],
                 ["--concurrency", "100000000000000000000"], ["--processes", "-1"]):
        assert main(["check", "--no-store", *args, "doc.md"]) == 2, args
        assert "must be from" in capsys.readouterr().err
    for env, value in (("LINKCHECK_TIMEOUT", "-1"), ("LINKCHECK_TIMEOUT", "nan"),
                       ("LINKCHECK_CONCURRENCY", "100000000000000000000")):
        monkeypatch.setenv(env, value)
        assert main(["check", "--no-store", "doc.md"]) == 2
        err = capsys.readouterr().err
        assert f"error: {env}" in err and "must be a number from" in err and "Traceback" not in err
        monkeypatch.delenv(env)


def test_no_links_found_says_why(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<p><a href='#top'>top</a> <a href='/about.html'>a</a></p>")
    proc = _run(tmp_path, "--no-store", "site")
    assert proc.returncode == 0
    assert "checked 0 links: no external link found" in proc.stdout


def test_a_redirect_to_a_src_flood_and_a_healthy_link_are_both_reported(tmp_path):
    """Issue 24: a page reached by a redirect serving "src=" * 32768 held `check --timeout 5`
    of it and of a healthy link for over two minutes (42 s of CPU per page on the event loop)."""
    import time

    from tests.support.fakeweb import redirect, serve_sites, site, static

    async def flood(request):
        from aiohttp import web

        return web.Response(body=b"src=" * 32768, headers={"Content-Type": "text/html"})

    bad = site({"/r": redirect("/flood", 302), "/flood": flood})
    good = site({"/ok": static("Fine")})
    with serve_sites(bad, good, first_host=41) as (a, b):
        _md(tmp_path, f"[flood]({a}/r) [ok]({b}/ok)\n")
        started = time.monotonic()
        proc = _run(tmp_path, "--allow-private", "--no-store", "--timeout", "5", "--json", "-", "doc.md")
        took = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr
    by_url = {r["url"]: r for r in json.loads(proc.stdout)["results"]}
    assert by_url[f"{a}/r"]["reason"] == "redirect_temporary" and by_url[f"{b}/ok"]["reason"] == "ok"
    assert took < 30  # a few seconds (start-up included); over 120 s before


def test_credentials_in_a_link_are_never_sent_shown_or_stored(tmp_path):
    """Issue 24: a URL written with user:password@ was printed in full in the output, the
    JSON, the store and the reports. It is masked from the inventory on, flagged with its
    file and line, and the check asks without it."""
    from tests.support.fakeweb import HITS, serve_sites, site, static

    app = site({"/private": static("Private")})
    with serve_sites(app, first_host=43) as (base,):
        secret = base.replace("http://", "http://admin:hunter2pw@") + "/private"
        _md(tmp_path, f"# Ops\n\nThe [board]({secret}).\n")
        proc = _run(tmp_path, "--allow-private", "--json", "out.json", "doc.md")
        env = {**os.environ, "PYTHONPATH": str(ROOT), "LINKCHECK_VAR_DIR": str(tmp_path / "var"),
               "LINKCHECK_STORE": str(tmp_path / "var" / "store.sqlite3")}
        report = subprocess.run([sys.executable, "-m", "linkcheck", "report"], cwd=tmp_path, env=env,
                                capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and report.returncode == 0, proc.stderr + report.stderr
    masked = base.replace("http://", "http://***@") + "/private"
    assert f"warning: doc.md:3: a link carries credentials ({masked})" in proc.stdout
    data = json.loads((tmp_path / "out.json").read_text())
    assert [r["url"] for r in data["results"]] == [masked] and data["results"][0]["verdict"] == "ok"
    assert len(data["summary"]["credentials"]) == 1
    assert "Authorization" not in app[HITS][0].headers  # checked as a reader without them
    written = [p for p in (tmp_path / "var").rglob("*") if p.is_file()]
    assert any(p.suffix == ".json" for p in written) and any(p.suffix == ".sqlite3" for p in written)
    for text in [proc.stdout, proc.stderr, report.stdout, report.stderr,
                 *(p.read_bytes().decode("utf-8", "replace") for p in written)]:
        assert "hunter2pw" not in text and "admin:" not in text
