"""Deliver a written report by email (SMTP) and/or webhook (JSON POST).

The report arrives as the ``Report`` that ``write_report`` returned (its texts
in memory); the files are written before delivery and never touched here, so a
failed delivery loses nothing: it is retried with backoff, logged, and the
files stay in the reports folder. Log lines and outcomes never contain the
SMTP password or the webhook URL (which usually embeds a token). The webhook
follows no redirect: a 3xx is a failed delivery, not retried, so the hook's
credentials and the report go to the hook's own address or nowhere.
"""

from __future__ import annotations

import base64
import json
import logging
import smtplib
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from linkcheck.redact import redact
from linkcheck.report.build import Report

log = logging.getLogger(__name__)

SMTP_TIMEOUT = 30.0
WEBHOOK_TIMEOUT = 20.0


@dataclass(frozen=True)
class DeliveryOutcome:
    channel: str  # "email" | "webhook"
    ok: bool
    attempts: int
    error: str | None = None  # redacted


class Refused(RuntimeError):
    """An answer that another attempt would only repeat (a redirect): no retry."""


def _retry(
    channel: str, send: Callable[[], None], secrets: list[str], attempts: int, backoff: float
) -> DeliveryOutcome:
    error = ""
    for attempt in range(1, attempts + 1):
        try:
            send()
        except Exception as exc:  # any failure is retried, then reported, never raised
            error = redact(f"{type(exc).__name__}: {exc}", secrets)
            log.warning("%s delivery attempt %d/%d failed: %s", channel, attempt, attempts, error)
            if isinstance(exc, Refused):
                return DeliveryOutcome(channel, False, attempt, error)
            if attempt < attempts:
                time.sleep(backoff * 2 ** (attempt - 1))
            continue
        log.info("%s delivery succeeded (attempt %d)", channel, attempt)
        return DeliveryOutcome(channel, True, attempt)
    return DeliveryOutcome(channel, False, attempts, error)


def _recipients(settings: Any) -> list[str]:
    return [a.strip() for a in str(settings.mail_to).replace(";", ",").split(",") if a.strip()]


def build_email(settings: Any, report: Report) -> EmailMessage:
    data = report.data
    msg = EmailMessage()
    s = data["summary"]
    msg["Subject"] = (f"Link health: {s['newly_broken']} newly broken, {data['counts']['error']} error, "
                      f"{data['counts']['warn']} warn (run {data['run']['id']})")
    msg["From"] = settings.mail_from or settings.smtp_user
    msg["To"] = ", ".join(_recipients(settings))
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="linkcheck.local")
    msg.set_content(report.markdown)
    msg.add_alternative(report.html, subtype="html")
    msg.add_attachment(report.json_text.encode("utf-8"), maintype="application", subtype="json",
                       filename=report.paths.json.name)
    msg.preamble = report.summary
    return msg


def send_email(settings: Any, msg: EmailMessage) -> None:
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT) as smtp:
        smtp.ehlo()
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(msg)


def webhook_payload(report: Report) -> dict[str, Any]:
    """Chat-friendly: ``text`` (Slack/Mattermost/Discord-compatible key) plus the full report."""
    return {"text": report.summary, "report_file": report.paths.json.name, "report": report.data}


def _split_userinfo(url: str) -> tuple[str, dict[str, str]]:
    """``https://user:pass@host/x`` -> (``https://host/x``, HTTP basic auth header): urllib
    neither sends userinfo nor parses it (it reads "pass@host" as a port)."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url, {}
    userinfo, host = parts.netloc.rsplit("@", 1)
    user, _, password = userinfo.partition(":")
    token = base64.b64encode(f"{unquote(user)}:{unquote(password)}".encode()).decode("ascii")
    return urlunsplit(parts._replace(netloc=host)), {"Authorization": f"Basic {token}"}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, never followed: urllib would send the Authorization header
    (the hook's credentials) to whatever host the Location names, and drop the body."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # urllib then raises HTTPError with the 3xx


_OPENER = urllib.request.build_opener(_NoRedirect)


def send_webhook(settings: Any, payload: dict[str, Any]) -> None:
    # urllib, not requests: urllib3's debug log prints the request path, which for
    # chat webhooks is the secret. Exception texts are built here for the same reason.
    url, headers = _split_userinfo(settings.webhook_url)
    headers.update({"Content-Type": "application/json", "User-Agent": settings.agent})
    request = urllib.request.Request(url, data=json.dumps(payload).encode("utf-8"), headers=headers,
                                     method="POST")
    try:
        with _OPENER.open(request, timeout=WEBHOOK_TIMEOUT) as resp:
            status = resp.status
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:
            raise Refused(f"webhook answered HTTP {exc.code} (a redirect, not followed: set "
                          "LINKCHECK_WEBHOOK_URL to the hook's final address)") from None
        raise RuntimeError(f"webhook answered HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise RuntimeError(f"webhook request failed ({type(exc).__name__})") from None
    if 300 <= status < 400:
        raise Refused(f"webhook answered HTTP {status} (a redirect, not followed)")
    if status >= 400:
        raise RuntimeError(f"webhook answered HTTP {status}")


def deliver(
    settings: Any, report: Report, *, attempts: int | None = None, backoff: float | None = None
) -> list[DeliveryOutcome]:
    """Send by every configured channel; an empty list when none is configured. Tries and
    backoff: the settings' (LINKCHECK_DELIVERY_ATTEMPTS, LINKCHECK_DELIVERY_BACKOFF) by default."""
    attempts = max(1, settings.delivery_attempts if attempts is None else attempts)
    backoff = max(0.0, settings.delivery_backoff if backoff is None else backoff)
    secrets = settings.secret_parts()
    outcomes: list[DeliveryOutcome] = []
    if settings.smtp_host and _recipients(settings):
        msg = build_email(settings, report)
        outcomes.append(_retry("email", lambda: send_email(settings, msg), secrets, attempts, backoff))
    elif settings.smtp_host:
        log.warning("email not sent: LINKCHECK_MAIL_TO is empty")
    if settings.webhook_url and not str(settings.webhook_url).lower().startswith(("http://", "https://")):
        log.error("webhook not sent: LINKCHECK_WEBHOOK_URL must be an http(s) URL")
    elif settings.webhook_url:
        payload = webhook_payload(report)
        outcomes.append(
            _retry("webhook", lambda: send_webhook(settings, payload), secrets, attempts, backoff)
        )
    for o in outcomes:
        if not o.ok:
            log.error("%s delivery gave up after %d attempts; the report stays at %s",
                      o.channel, o.attempts, report.paths.md)
    return outcomes
