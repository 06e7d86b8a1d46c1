"""Secrets out of every text we write: logs, reports, CLI messages, build errors.

A secret leaks in pieces too: the password of a URL's userinfo in a parser's
complaint ("nonnumeric port: 'pass@host'"), a token in a query string or a
webhook path, the base64 an SMTP server echoes back for AUTH PLAIN. ``secret_parts``
expands each secret into every such piece; ``redact`` removes them all, longest
first; ``RedactingFilter`` applies it to every log record of the process.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterable
from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

MASK = "***"
# Shorter pieces are not masked on their own: "a" or "443" would shred every message.
MIN_PART = 6


def _b64(raw: str) -> list[str]:
    encoded = base64.b64encode(raw.encode("utf-8")).decode("ascii")
    return [encoded, encoded.rstrip("=")]


def url_parts(url: str) -> list[str]:
    """The secret pieces of a URL: its userinfo and password, query values, path segments."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return []
    out: list[str] = []
    netloc = parts.netloc
    if "@" in netloc:
        userinfo = netloc.rsplit("@", 1)[0]
        out += [userinfo, unquote(userinfo)]
        user, _, password = userinfo.partition(":")
        if password:
            out += [password, unquote(password), *_b64(f"{unquote(user)}:{unquote(password)}")]
    out += [value for _, value in parse_qsl(parts.query, keep_blank_values=False)]
    out += [seg for seg in parts.path.split("/") if len(seg) >= 16]  # webhook tokens live in paths
    return out


def secret_parts(user: str | None, secrets: Iterable[str]) -> list[str]:
    """Every piece of every secret, longest first. ``user`` is the SMTP login (its
    AUTH PLAIN/LOGIN base64 forms carry the password)."""
    parts: set[str] = set()
    for secret in secrets:
        if not secret:
            continue
        parts.add(secret)
        if "://" in secret:
            parts.update(url_parts(secret))
        else:
            parts.update(_b64(secret))  # AUTH LOGIN sends the password alone
            if user:
                parts.update(_b64(f"\0{user}\0{secret}"))  # AUTH PLAIN
                parts.update(_b64(f"{user}:{secret}"))  # HTTP basic
    return sorted((p for p in parts if len(p) >= MIN_PART), key=len, reverse=True)


def redact(text: str, parts: Iterable[str]) -> str:
    for part in parts:
        if part in text:
            text = text.replace(part, MASK)
    return text


def userinfo_span(url: str) -> tuple[int, int] | None:
    """Where the userinfo (``user:password``) of ``url`` is, or None: by plain string rules,
    so a URL no parser accepts (``[`` in the host) is still caught."""
    start = url.find("://")
    if start == -1:
        return None
    start += 3
    end = len(url)
    for stop in "/?#":
        at = url.find(stop, start)
        if at != -1:
            end = min(end, at)
    at = url.rfind("@", start, end)
    return (start, at) if at != -1 else None


def mask_userinfo(url: str) -> str:
    """``url`` with its userinfo replaced by the mask (``https://***@host/x``): a link written
    in the content with credentials is shown, stored and checked only like this. The user
    name goes too: tokens often stand there (``https://TOKEN@github.com/...``)."""
    span = userinfo_span(url)
    return url if span is None else url[:span[0]] + MASK + url[span[1]:]


def redact_url(url: str) -> str:
    """``url`` for a log line: password and query values masked, the rest kept."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "(unparsable URL)"
    netloc = parts.hostname or ""
    if port:
        netloc += f":{port}"
    if parts.username or parts.password:
        netloc = f"{parts.username or ''}:{MASK}@{netloc}" if parts.password else f"{parts.username}@{netloc}"
    query = "&".join(f"{key}={MASK}" for key, _ in parse_qsl(parts.query, keep_blank_values=True))
    return urlunsplit(parts._replace(netloc=netloc, query=query))


class RedactingFilter(logging.Filter):
    """Masks secrets in every record that passes a handler (message and arguments)."""

    def __init__(self, parts: Iterable[str]) -> None:
        super().__init__()
        self.parts = list(parts)

    def filter(self, record: logging.LogRecord) -> bool:
        if self.parts:
            message = record.getMessage()
            if record.exc_info and not record.exc_text:
                record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.msg, record.args = redact(message, self.parts), None
            if record.exc_text:
                record.exc_text = redact(record.exc_text, self.parts)
        return True


def install(parts: Iterable[str], logger: logging.Logger | None = None) -> None:
    """Put the filter on every handler of ``logger`` (default: the root logger)."""
    target = logger or logging.getLogger()
    parts = list(parts)
    for handler in target.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter(parts))
