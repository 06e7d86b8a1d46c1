"""Plain data types shared by every step of the pipeline."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

_SURROGATES = re.compile("[\ud800-\udfff]")


def storable_text(text: str) -> str:
    """Text SQLite, JSON and every report can take: lone surrogates (a UTF-7 page can
    decode to them) become U+FFFD instead of failing a write later."""
    return text if text.isascii() else _SURROGATES.sub("\ufffd", text)

Verdict = Literal["ok", "warn", "error"]
VERDICTS: tuple[Verdict, ...] = ("ok", "warn", "error")


@dataclass(frozen=True)
class Location:
    """Where a link appears: the source file and line, the built page, the catalog entry."""

    source: str  # path of the file the link was found in, relative to the project root
    line: int | None = None
    page: str | None = None  # URL path of the built page, e.g. "task-queues.html"
    entry: str | None = None  # catalog entry id, e.g. "celery"
    # the entry's fact this URL is the source of, e.g. "brokers" ("status" for status_source)
    fact: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The one JSON shape of a location (reports, `check --json`, the site). Spelled
        out: ``dataclasses.asdict`` costs ten times more, and a big run has a location per link."""
        return {"source": self.source, "line": self.line, "page": self.page, "entry": self.entry,
                "fact": self.fact}

    def describe(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        if self.entry and self.fact:
            where += f" (entry {self.entry}, fact {self.fact})"
        elif self.entry:
            where += f" (entry {self.entry})"
        return where


@dataclass
class Link:
    """One distinct URL as written (fragment included) and everywhere it appears."""

    url: str
    locations: list[Location] = field(default_factory=list)
    kind: Literal["link", "image"] = "link"
    # written with credentials (user:password@): ``url`` holds them masked, see redact.mask_userinfo
    credentials: bool = False


@dataclass
class Result:
    """The verdict for one URL as written (fragment included)."""

    url: str
    verdict: Verdict
    reason: str  # machine-readable code, see linkcheck.engine.verdict.REASONS
    message: str  # one human sentence
    status: int | None = None  # last HTTP status seen, None when no response
    final_url: str | None = None
    redirects: list[tuple[int, str]] = field(default_factory=list)  # (status, location) hops
    title: str | None = None  # <title> of the final page, untrusted text
    checked_at: float = 0.0  # unix time
    elapsed: float = 0.0  # seconds spent on this URL, retries included
    attempts: int = 1

    def to_json(self) -> dict[str, Any]:
        return {"url": self.url, "verdict": self.verdict, "reason": self.reason, "message": self.message,
                "status": self.status, "final_url": self.final_url,
                "redirects": [list(hop) for hop in self.redirects], "title": self.title,
                "checked_at": self.checked_at, "elapsed": self.elapsed, "attempts": self.attempts}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Result:
        data = dict(data)
        data["redirects"] = [tuple(hop) for hop in data.get("redirects") or []]
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})
