"""Delivery: email to a local aiosmtpd server, webhook to a local receiver, retries,
no secret in logs, and a failed delivery never loses the report files."""

from __future__ import annotations

import email
import json
import logging
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default as default_policy

import pytest
from aiohttp import web
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from linkcheck.report.build import Report, summary_line, write_report
from linkcheck.report.deliver import deliver
from linkcheck.store import Store
from tests.support.servers import free_port, serve_app
from tests.support.tworuns import TwoRuns, make_settings

PASSWORD = "s3cret-Pa55word"
TOKEN = "T0KEN-b1e2c3d4"


class _Inbox:
    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd hook name)
        self.envelopes.append(envelope)
        return "250 Message accepted"


def _auth(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"reporter" and (
        auth_data.password == PASSWORD.encode())
    return AuthResult(success=ok)


@pytest.fixture
def smtp_server() -> Iterator[tuple[_Inbox, int]]:
    inbox = _Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=_auth,
                            auth_require_tls=False)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def webhook() -> Iterator[tuple[list, str, dict]]:
    """A receiver at /hooks/TOKEN that answers 503 ``state['fail']`` times, then 200."""
    received: list = []
    state = {"fail": 0}

    async def hook(request: web.Request) -> web.Response:
        if request.match_info["token"] != TOKEN:
            return web.Response(status=404)
        if state["fail"] > 0:
            state["fail"] -= 1
            return web.Response(status=503)
        received.append(await request.json())
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_post("/hooks/{token}", hook)
    with serve_app(app, host="127.0.5.31") as base:
        yield received, f"{base}/hooks/{TOKEN}", state


@pytest.fixture
def report(two_runs: TwoRuns) -> Report:
    with Store.from_settings(two_runs.settings) as store:
        return write_report(two_runs.settings, store)


def _our_logs(caplog) -> str:
    """Everything logged, except the test receiver's own access log."""
    return "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("aiohttp"))


def test_email_delivered_with_login(two_runs, report, smtp_server, caplog):
    inbox, port = smtp_server
    settings = make_settings(two_runs.root, smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False,
                             smtp_user="reporter", smtp_password=PASSWORD,
                             mail_from="linkcheck@example.test", mail_to="a@example.test, b@example.test")
    caplog.set_level(logging.DEBUG)
    outcomes = deliver(settings, report, backoff=0.01)
    assert [(o.channel, o.ok, o.attempts) for o in outcomes] == [("email", True, 1)]
    assert len(inbox.envelopes) == 1
    env = inbox.envelopes[0]
    assert env.mail_from == "linkcheck@example.test"
    assert sorted(env.rcpt_tos) == ["a@example.test", "b@example.test"]
    msg = email.message_from_bytes(env.content, _class=EmailMessage, policy=default_policy)
    data = json.loads(report.paths.json.read_text(encoding="utf-8"))
    assert msg["Subject"].startswith(f"Link health: {data['summary']['newly_broken']} newly broken")
    plain = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert plain == report.paths.md.read_text(encoding="utf-8")
    assert "<h1>Link health report" in msg.get_body(("html",)).get_content()
    attachments = list(msg.iter_attachments())
    assert [a.get_filename() for a in attachments] == [report.paths.json.name]
    assert json.loads(attachments[0].get_content()) == data
    assert PASSWORD not in _our_logs(caplog)


def test_webhook_retried_then_delivered(two_runs, report, webhook, caplog):
    received, url, state = webhook
    state["fail"] = 2
    settings = make_settings(two_runs.root, webhook_url=url)
    caplog.set_level(logging.DEBUG)
    outcomes = deliver(settings, report, backoff=0.01)
    assert [(o.channel, o.ok, o.attempts) for o in outcomes] == [("webhook", True, 3)]
    assert len(received) == 1
    data = json.loads(report.paths.json.read_text(encoding="utf-8"))
    assert received[0]["text"] == summary_line(data)
    assert received[0]["report"] == data
    assert "attempt 1/4 failed" in caplog.text  # failures are logged...
    assert TOKEN not in _our_logs(caplog)  # ...without the webhook URL's secret


def test_failed_delivery_keeps_report_and_hides_secrets(two_runs, report, webhook, caplog):
    _, url, state = webhook
    state["fail"] = 100
    closed_port = free_port()  # nothing listens there
    settings = make_settings(two_runs.root, webhook_url=url, smtp_host="127.0.0.1", smtp_port=closed_port,
                             smtp_starttls=False, smtp_user="reporter", smtp_password=PASSWORD,
                             mail_to="a@example.test")
    before = {p: p.read_bytes() for p in report.files()}
    caplog.set_level(logging.DEBUG)
    outcomes = deliver(settings, report, attempts=3, backoff=0.01)
    assert [(o.channel, o.ok, o.attempts) for o in outcomes] == [("email", False, 3), ("webhook", False, 3)]
    assert "HTTP 503" in outcomes[1].error
    assert {p: p.read_bytes() for p in report.files()} == before
    assert "gave up after 3 attempts" in caplog.text
    for secret in (PASSWORD, TOKEN):
        assert secret not in _our_logs(caplog)
        assert all(secret not in (o.error or "") for o in outcomes)


def test_nothing_configured_sends_nothing(two_runs, report):
    assert deliver(make_settings(two_runs.root), report) == []


def test_webhook_userinfo_sent_as_basic_auth_and_never_logged(two_runs, report, caplog):
    seen: list[str] = []

    async def hook(request: web.Request) -> web.Response:
        seen.append(request.headers.get("Authorization", ""))
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_post("/hooks/x", hook)
    with serve_app(app, host="127.0.5.32") as base:
        url = base.replace("http://", f"http://hookuser:{PASSWORD}@") + "/hooks/x"
        settings = make_settings(two_runs.root, webhook_url=url)
        caplog.set_level(logging.DEBUG)
        outcomes = deliver(settings, report, backoff=0.01)
    import base64

    assert [(o.channel, o.ok) for o in outcomes] == [("webhook", True)]  # was InvalidURL: nonnumeric port
    assert seen == ["Basic " + base64.b64encode(f"hookuser:{PASSWORD}".encode()).decode()]
    assert PASSWORD not in _our_logs(caplog)


def test_every_piece_of_a_secret_is_redacted():
    import base64

    from linkcheck.redact import redact, redact_url, secret_parts

    webhook = f"https://hookuser:{PASSWORD}@hooks.example/services/{TOKEN}ABCDEFGH?token=q-{TOKEN}"
    parts = secret_parts("reporter", [PASSWORD, webhook])
    leaks = [
        f"InvalidURL: nonnumeric port: '{PASSWORD}@hooks.example'",  # urllib's complaint
        f"GET /services/{TOKEN}ABCDEFGH failed",
        f"token=q-{TOKEN}",
        "535 auth failed for " + base64.b64encode(f"\0reporter\0{PASSWORD}".encode()).decode(),
        "334 " + base64.b64encode(PASSWORD.encode()).decode(),
    ]
    for text in leaks:
        cleaned = redact(text, parts)
        assert PASSWORD not in cleaned and TOKEN not in cleaned and "***" in cleaned, text
        assert base64.b64encode(PASSWORD.encode()).decode().rstrip("=") not in cleaned
    shown = redact_url(webhook)
    assert PASSWORD not in shown and TOKEN not in shown.split("?")[1] and "hooks.example" in shown


def test_cli_error_lines_and_logs_are_redacted(two_runs, tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root), "LINKCHECK_ROOT": str(two_runs.root),
           "LINKCHECK_STORE": str(two_runs.settings.store_path),
           "LINKCHECK_VAR_DIR": str(tmp_path / "var"),
           "LINKCHECK_WEBHOOK_URL": f"http://hookuser:{PASSWORD}@127.0.0.1:1/hooks/{TOKEN}",
           "LINKCHECK_DELIVERY_BACKOFF": "0.05"}  # every try logs; the default 2 s, doubled, is 14 s
    proc = subprocess.run([sys.executable, "-m", "linkcheck", "-v", "report", "--deliver"], env=env,
                          capture_output=True, text=True, timeout=120)
    out = proc.stdout + proc.stderr
    assert "webhook" in out  # it tried and said so
    assert "attempt 4/4 failed" in out  # LINKCHECK_DELIVERY_ATTEMPTS' default, each try logged
    assert PASSWORD not in out and TOKEN not in out


def test_webhook_redirect_is_a_failed_delivery_and_leaks_nothing(two_runs, tmp_path):
    """Issue 24: a hook URL with credentials that answers 302 to another host. urllib used to
    follow it: the other host got ``Authorization: Basic ...``, the POST body was dropped,
    and the delivery was logged as succeeded (exit 0)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    hook_hits: list[dict] = []
    elsewhere_hits: list[dict] = []

    async def elsewhere(request: web.Request) -> web.Response:
        elsewhere_hits.append({"method": request.method, "headers": dict(request.headers),
                               "body": await request.read()})
        return web.json_response({"ok": True})

    other = web.Application()
    other.router.add_route("*", "/{tail:.*}", elsewhere)
    with serve_app(other, host="127.0.5.34") as other_base:
        async def hook(request: web.Request) -> web.Response:
            hook_hits.append({"auth": request.headers.get("Authorization", ""), "body": await request.read()})
            raise web.HTTPFound(f"{other_base}/collect")

        app = web.Application()
        app.router.add_post("/hooks/{token}", hook)
        with serve_app(app, host="127.0.5.33") as base:
            url = base.replace("http://", f"http://hookuser:{PASSWORD}@") + f"/hooks/{TOKEN}"
            root = Path(__file__).resolve().parents[2]
            env = {**os.environ, "PYTHONPATH": str(root), "LINKCHECK_ROOT": str(two_runs.root),
                   "LINKCHECK_STORE": str(two_runs.settings.store_path),
                   "LINKCHECK_VAR_DIR": str(tmp_path / "var"), "LINKCHECK_WEBHOOK_URL": url}
            env.pop("LINKCHECK_SMTP_HOST", None)
            proc = subprocess.run([sys.executable, "-m", "linkcheck", "report", "--deliver"], env=env,
                                  capture_output=True, text=True, timeout=120)
    out = proc.stdout + proc.stderr
    print(f"\nwebhook answering 302: exit {proc.returncode}; hook hit {len(hook_hits)} time(s); "
          f"the other host {len(elsewhere_hits)} time(s)\n{out[-600:]}")
    assert proc.returncode == 1, out
    assert "webhook: FAILED after 1 attempt(s)" in out and "HTTP 302" in out and "not followed" in out
    assert "delivery gave up" in out and "delivery succeeded" not in out
    assert elsewhere_hits == []  # no request at all, so no credentials and no report there
    assert len(hook_hits) == 1 and hook_hits[0]["auth"].startswith("Basic ") and hook_hits[0]["body"]
    assert PASSWORD not in out and TOKEN not in out
