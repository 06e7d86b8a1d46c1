"""One settings object for the checker, filled from the environment.

Every knob is documented by its comment below; docs/configuration.md is generated
from them (``python -m linkcheck.settings``). Secrets (GitHub token, SMTP password)
are read here but excluded from ``repr`` so they never reach logs or reports by accident.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class SettingsError(ValueError):
    """A setting out of its range: says which variable and what it takes."""


# setting -> (environment variable, lowest, highest). NaN, infinities and values outside
# these would not fail loudly: they turn every link into an error or exhaust the machine.
BOUNDS: dict[str, tuple[str, float, float]] = {
    "concurrency": ("LINKCHECK_CONCURRENCY", 1, 10_000),
    "host_concurrency": ("LINKCHECK_HOST_CONCURRENCY", 1, 1_000),
    "host_interval": ("LINKCHECK_HOST_INTERVAL", 0, 3_600),
    "connect_timeout": ("LINKCHECK_CONNECT_TIMEOUT", 0.1, 3_600),
    "timeout": ("LINKCHECK_TIMEOUT", 0.1, 3_600),
    "retries": ("LINKCHECK_RETRIES", 0, 20),
    "retry_after_cap": ("LINKCHECK_RETRY_AFTER_CAP", 0, 86_400),
    "max_redirects": ("LINKCHECK_MAX_REDIRECTS", 0, 100),
    "max_body_bytes": ("LINKCHECK_MAX_BODY_BYTES", 1_024, 1 << 30),
    "api_max_bytes": ("LINKCHECK_API_MAX_BYTES", 1_024, 1 << 30),
    "processes": ("LINKCHECK_PROCESSES", 0, 64),
    "broken_after_runs": ("LINKCHECK_BROKEN_AFTER_RUNS", 1, 1_000),
    "broken_after_hours": ("LINKCHECK_BROKEN_AFTER_HOURS", 0, 24 * 365),
    "check_interval_hours": ("LINKCHECK_CHECK_INTERVAL_HOURS", 0, 24 * 365),
    "github_interval_hours": ("LINKCHECK_GITHUB_INTERVAL_HOURS", 0, 24 * 365),
    "downloads_interval_hours": ("LINKCHECK_DOWNLOADS_INTERVAL_HOURS", 0, 24 * 365),
    "downloads_max_age_hours": ("LINKCHECK_DOWNLOADS_MAX_AGE_HOURS", 0, 24 * 365),
    "quiet_after_days": ("LINKCHECK_QUIET_AFTER_DAYS", 1, 36_500),
    "chunk_size": ("LINKCHECK_CHUNK_SIZE", 0, 100_000),
    "task_time_limit": ("LINKCHECK_TASK_TIME_LIMIT", 1, 7 * 86_400),
    "visibility_timeout": ("LINKCHECK_VISIBILITY_TIMEOUT", 0, 7 * 86_400),
}


def check_bounds(name: str, value: float) -> None:
    """Raise SettingsError when ``value`` is not a finite number within BOUNDS[name]."""
    env, low, high = BOUNDS[name]
    if not math.isfinite(value) or not low <= value <= high:
        raise SettingsError(f"{env} ({name}) must be a number from {low:g} to {high:g}, got {value!r}")


def _env(name: str, default: str) -> str:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"environment variable {name} must be an integer, got {raw!r}") from exc


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ValueError(f"environment variable {name} must be a number, got {raw!r}") from exc


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    # --- where state lives
    var_dir: Path  # state of the checker: the store, reports, the scheduler's Redis
    store_path: Path  # the SQLite store (results, runs, GitHub and PyPI data); the site reads it
    reports_dir: Path  # link-health reports (Markdown, JSON, HTML; latest.*)
    content_dir: Path  # the site's sources: pages and catalog/*.yaml
    output_dir: Path  # the built site (`make html`)
    # --- engine (politeness: no looser than 10 requests at once per host, 50 ms apart)
    concurrency: int = 512  # requests in flight in one process
    host_concurrency: int = 8  # requests in flight to one host
    host_interval: float = 0.05  # seconds between two requests to one host
    connect_timeout: float = 10.0  # seconds to connect
    timeout: float = 30.0  # seconds per request; a link's budget is twice this
    retries: int = 3  # retries of a transient failure (5xx, 429, reset)
    retry_after_cap: float = 60.0  # longest Retry-After waited for, seconds
    max_redirects: int = 20  # redirect hops followed
    max_body_bytes: int = 1024 * 1024  # bytes of a page read (title, anchors, soft 404)
    allow_private: bool = False  # check private and loopback addresses (tests, intranets)
    user_agent: str = ""  # User-Agent of every request; empty: the project's own
    processes: int = 0  # engine processes for one check run; 0: automatic (one per core, big runs)
    # --- when readers are told a link is broken
    broken_after_runs: int = 2  # consecutive failed runs before readers see "broken"
    broken_after_hours: float = 24.0  # ...spanning at least this many hours
    # --- GitHub
    github_api_url: str = "https://api.github.com"  # GitHub API (tests point it at loopback)
    github_token: str = field(default="", repr=False)  # GraphQL with a token; REST without
    github_release_interval_hours: float = 24.0  # REST: ask for the latest release at least this often
    github_backoff: float = 2.0  # seconds before retrying a GraphQL query that timed out
    # --- PyPI JSON API
    pypi_api_url: str = "https://pypi.org"  # PyPI JSON API
    # --- PyPI downloads (pypistats.org JSON API; it updates once a day)
    pypistats_api_url: str = "https://pypistats.org/api"  # pypistats.org API (tests point it at loopback)
    # a project's figure younger than this is not asked for again (less a 24th of it, an hour for
    # a day, so a schedule as long as this refreshes every figure every time)
    downloads_max_age_hours: float = 24.0
    downloads_interval_hours: float = 24.0  # scheduled downloads refreshes, hours apart (0: none)
    # --- signs of life (the site's quiet lines and the report's catalog edits)
    # "long" for a project: no release (and no push) for more than this many days reads
    # "no release since ..." on the site and proposes `status: unmaintained` in the report;
    # also the site's "inactive" badge (no push for this long). 548 days = 18 months.
    quiet_after_days: float = 548.0
    # --- Internet Archive availability API
    wayback_api_url: str = "https://archive.org/wayback/available"  # archived copies of broken links
    # --- answers of outside APIs (GitHub, PyPI, the Internet Archive)
    api_max_bytes: int = 32 * 1024 * 1024  # bytes of one API answer read, after decompression
    # --- Celery / Redis
    broker_url: str = ""  # Redis for Celery; empty: `make scheduler` starts its own
    check_interval_hours: float = 24.0  # scheduled check runs, hours apart (0: none)
    github_interval_hours: float = 12.0  # scheduled GitHub and PyPI refreshes, hours apart
    # URLs per scheduled check chunk, a host never split; 0: automatic, sized from the
    # inventory and the check workers' processes (docs/operations.md, "How big a chunk is")
    chunk_size: int = 0
    task_time_limit: float = 1800.0  # hard limit of one Celery task, seconds (soft: 90 %)
    visibility_timeout: float = 0.0  # unacked jobs come back after this; 0: limit + 10 min
    site_output_dir: Path | None = None  # where scheduled rebuilds publish; None: output_dir
    # settings file of scheduled rebuilds: publishconf.py when SITEURL is set, else the
    # local preview (pelicanconf.py); see pelican_conf_rule(). Its MARKDOWN setting is how
    # the inventory renders Markdown sources (the file is executed, as Pelican does)
    pelican_conf: str = "publishconf.py"
    site_url: str = ""  # the public site (SITEURL): links to its own pages are not checked
    # a started chunk silent this long (no heartbeat, not queued) is sent again
    chunk_stall_after: float = 40.0
    # seconds between two looks at running scheduled runs (by a state worker; 0: none)
    watch_interval: float = 10.0
    # --- report delivery
    smtp_host: str = ""  # mail the report through this server; empty: no mail
    smtp_port: int = 587  # SMTP port
    smtp_starttls: bool = True  # STARTTLS before logging in
    smtp_user: str = ""  # SMTP login
    smtp_password: str = field(default="", repr=False)  # SMTP password
    mail_from: str = ""  # sender; empty: the SMTP login
    mail_to: str = ""  # recipients, comma-separated
    webhook_url: str = field(default="", repr=False)  # POST the report summary here (chat webhook)
    delivery_attempts: int = 4  # tries per channel before a delivery is given up (and logged)
    delivery_backoff: float = 2.0  # seconds before the second try, doubled before each next one

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        root = Path(_env("LINKCHECK_ROOT", str(PROJECT_ROOT)))
        var_dir = Path(_env("LINKCHECK_VAR_DIR", str(root / "var")))
        values: dict[str, object] = {
            "var_dir": var_dir,
            "store_path": Path(_env("LINKCHECK_STORE", str(var_dir / "linkcheck.sqlite3"))),
            "reports_dir": Path(_env("LINKCHECK_REPORTS_DIR", str(var_dir / "reports"))),
            "content_dir": Path(_env("LINKCHECK_CONTENT_DIR", str(root / "content"))),
            "output_dir": Path(_env("LINKCHECK_OUTPUT_DIR", str(root / "output"))),
            "concurrency": _env_int("LINKCHECK_CONCURRENCY", cls.concurrency),
            "host_concurrency": _env_int("LINKCHECK_HOST_CONCURRENCY", cls.host_concurrency),
            "host_interval": _env_float("LINKCHECK_HOST_INTERVAL", cls.host_interval),
            "connect_timeout": _env_float("LINKCHECK_CONNECT_TIMEOUT", cls.connect_timeout),
            "timeout": _env_float("LINKCHECK_TIMEOUT", cls.timeout),
            "retries": _env_int("LINKCHECK_RETRIES", cls.retries),
            "retry_after_cap": _env_float("LINKCHECK_RETRY_AFTER_CAP", cls.retry_after_cap),
            "max_redirects": _env_int("LINKCHECK_MAX_REDIRECTS", cls.max_redirects),
            "max_body_bytes": _env_int("LINKCHECK_MAX_BODY_BYTES", cls.max_body_bytes),
            "allow_private": _env_bool("LINKCHECK_ALLOW_PRIVATE", False),
            "user_agent": _env("LINKCHECK_USER_AGENT", ""),
            "processes": _env_int("LINKCHECK_PROCESSES", cls.processes),
            "broken_after_runs": _env_int("LINKCHECK_BROKEN_AFTER_RUNS", cls.broken_after_runs),
            "broken_after_hours": _env_float("LINKCHECK_BROKEN_AFTER_HOURS", cls.broken_after_hours),
            "github_api_url": _env("GITHUB_API_URL", cls.github_api_url).rstrip("/"),
            "github_token": os.environ.get("GITHUB_TOKEN", ""),
            "github_release_interval_hours": _env_float(
                "LINKCHECK_GITHUB_RELEASE_INTERVAL_HOURS", cls.github_release_interval_hours
            ),
            "github_backoff": _env_float("LINKCHECK_GITHUB_BACKOFF", cls.github_backoff),
            "pypi_api_url": _env("PYPI_API_URL", cls.pypi_api_url).rstrip("/"),
            "pypistats_api_url": _env("PYPISTATS_API_URL", cls.pypistats_api_url).rstrip("/"),
            "downloads_max_age_hours": _env_float("LINKCHECK_DOWNLOADS_MAX_AGE_HOURS",
                                                  cls.downloads_max_age_hours),
            "downloads_interval_hours": _env_float("LINKCHECK_DOWNLOADS_INTERVAL_HOURS",
                                                   cls.downloads_interval_hours),
            "quiet_after_days": _env_float("LINKCHECK_QUIET_AFTER_DAYS", cls.quiet_after_days),
            "wayback_api_url": _env("WAYBACK_API_URL", cls.wayback_api_url),
            "api_max_bytes": _env_int("LINKCHECK_API_MAX_BYTES", cls.api_max_bytes),
            "broker_url": _env("LINKCHECK_BROKER_URL", os.environ.get("REDIS_URL", "")),
            "check_interval_hours": _env_float("LINKCHECK_CHECK_INTERVAL_HOURS", cls.check_interval_hours),
            "github_interval_hours": _env_float(
                "LINKCHECK_GITHUB_INTERVAL_HOURS", cls.github_interval_hours
            ),
            "chunk_size": _env_int("LINKCHECK_CHUNK_SIZE", cls.chunk_size),
            "task_time_limit": _env_float("LINKCHECK_TASK_TIME_LIMIT", cls.task_time_limit),
            "visibility_timeout": _env_float("LINKCHECK_VISIBILITY_TIMEOUT", cls.visibility_timeout),
            "site_output_dir": Path(
                _env("LINKCHECK_SITE_OUTPUT", _env("LINKCHECK_OUTPUT_DIR", str(root / "output")))
            ),
            "pelican_conf": _env("LINKCHECK_PELICAN_CONF",
                                 "publishconf.py" if os.environ.get("SITEURL", "").strip()
                                 else "pelicanconf.py"),
            "site_url": os.environ.get("SITEURL", "").strip().rstrip("/"),
            "chunk_stall_after": _env_float("LINKCHECK_CHUNK_STALL_AFTER", cls.chunk_stall_after),
            "watch_interval": _env_float("LINKCHECK_WATCH_INTERVAL", cls.watch_interval),
            "smtp_host": _env("LINKCHECK_SMTP_HOST", ""),
            "smtp_port": _env_int("LINKCHECK_SMTP_PORT", cls.smtp_port),
            "smtp_starttls": _env_bool("LINKCHECK_SMTP_STARTTLS", True),
            "smtp_user": _env("LINKCHECK_SMTP_USER", ""),
            "smtp_password": os.environ.get("LINKCHECK_SMTP_PASSWORD", ""),
            "mail_from": _env("LINKCHECK_MAIL_FROM", ""),
            "mail_to": _env("LINKCHECK_MAIL_TO", ""),
            "webhook_url": _env("LINKCHECK_WEBHOOK_URL", ""),
            "delivery_attempts": _env_int("LINKCHECK_DELIVERY_ATTEMPTS", cls.delivery_attempts),
            "delivery_backoff": _env_float("LINKCHECK_DELIVERY_BACKOFF", cls.delivery_backoff),
        }
        known = {f.name for f in fields(cls)}
        for key, value in overrides.items():
            if key not in known:
                raise TypeError(f"unknown setting {key!r}")
            values[key] = value
        return cls(**values)  # type: ignore[arg-type]

    def pelican_conf_rule(self) -> tuple[bool, str]:
        """(fine, what to say at start-up) about how scheduled rebuilds build the site.
        One rule for scheduler, worker and beat: SITEURL set -> publishconf.py (the public
        site); unset -> pelicanconf.py (a local preview); publishconf.py without SITEURL
        cannot build, so processes refuse to start and say how to fix it."""
        if Path(self.pelican_conf).name == "publishconf.py" and not self.site_url:
            return False, ("LINKCHECK_PELICAN_CONF=publishconf.py needs SITEURL: set SITEURL="
                           "https://your.site (the public address), or unset LINKCHECK_PELICAN_CONF "
                           "to rebuild a local preview with pelicanconf.py")
        if self.site_url:
            return True, f"rebuilds use {self.pelican_conf} for {self.site_url}"
        return True, (f"SITEURL is not set: rebuilds use {self.pelican_conf} (a local preview); "
                      "set SITEURL=https://your.site to publish with publishconf.py")

    @property
    def pelican_conf_path(self) -> Path:
        """The Pelican settings file the site is built with (a relative name: under the project
        root). The inventory renders Markdown with its MARKDOWN setting."""
        return PROJECT_ROOT / self.pelican_conf

    @property
    def agent(self) -> str:
        """The User-Agent of every request: LINKCHECK_USER_AGENT, else the project's."""
        from linkcheck import USER_AGENT

        return self.user_agent or USER_AGENT

    def __post_init__(self) -> None:
        for name in BOUNDS:
            if hasattr(self, name):
                check_bounds(name, getattr(self, name))

    def secrets(self) -> list[str]:
        """Values that must never appear in logs, reports or the site."""
        return [s for s in (self.github_token, self.smtp_password, self.webhook_url, self.broker_url) if s]

    def secret_parts(self) -> list[str]:
        """``secrets()`` and every piece of them (userinfo, query tokens, base64 echoes)."""
        from linkcheck.redact import secret_parts

        return secret_parts(self.smtp_user, self.secrets())


# The store path the site's plugins read when pelicanconf.py names none: the checker's
# default, relative to the folder holding content/ (the project root).
DEFAULT_STORE = "var/linkcheck.sqlite3"


def plugin_options(pelican_settings: dict[str, Any], key: str, defaults: dict[str, Any]) -> dict[str, Any]:
    """A Pelican plugin's one settings dict (``pelican_settings[key]``) over its defaults;
    an unknown key stops the build with the list of known ones."""
    given = pelican_settings.get(key) or {}
    unknown = sorted(set(given) - set(defaults))
    if unknown:
        raise ValueError(f"{key} setting has unknown keys {unknown}; known: {sorted(defaults)}")
    return {**defaults, **given}


def plugin_store_path(pelican_settings: dict[str, Any], store: str | Path) -> Path:
    """A plugin's store path; a relative one is taken from the folder holding content/
    (the project root), like pelicanconf paths."""
    path = Path(store)
    return path if path.is_absolute() else Path(pelican_settings["PATH"]).parent / path


# ------------------------------------------------------------ the reference
def _field_notes() -> tuple[dict[str, str], dict[str, str]]:
    """(field -> its comment, field -> its section) read from this file's Settings class:
    the comments beside the fields are the documentation, written once."""
    import inspect

    notes: dict[str, str] = {}
    sections: dict[str, str] = {}
    section, pending = "", []
    for line in inspect.getsource(Settings).splitlines():
        text = line.strip()
        if text.startswith("# ---"):
            section, pending = text.removeprefix("# ---").strip(), []
        elif text.startswith("#"):
            pending.append(text.lstrip("# "))
        elif re.match(r"^[a-z_]+: ", text):
            name = text.split(":", 1)[0]
            comment = text.split("  # ", 1)[1] if "  # " in text else ""
            notes[name] = " ".join([*pending, comment]).strip()
            sections[name] = section
            pending = []
        elif text.startswith(("def ", "@")) and notes:
            break  # the methods: no more fields
    return notes, sections


def _env_names() -> dict[str, list[str]]:
    """field -> the environment variables ``from_env`` reads for it, first one first."""
    import ast
    import inspect
    import textwrap

    def constants(expr: ast.AST) -> list[str]:
        found = []
        for c in ast.walk(expr):
            if isinstance(c, ast.Name) and c.id in local:
                found += local[c.id]
            elif (isinstance(c, ast.Constant) and isinstance(c.value, str)
                  and re.fullmatch(r"[A-Z][A-Z0-9_]+", c.value)):
                found.append(c.value)
        return found

    tree = ast.parse(textwrap.dedent(inspect.getsource(Settings.from_env)))
    local: dict[str, list[str]] = {}  # root, var_dir: variables set from the environment first
    names: dict[str, list[str]] = {}
    for node in ast.walk(tree):
        target = node.targets[0] if isinstance(node, ast.Assign) else None
        if isinstance(target, ast.Name) and target.id != "values":
            local[target.id] = constants(node.value)[:1]
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    names[key.value] = list(dict.fromkeys(constants(value)))
    return names


def _default(name: str, value: object) -> str:
    if isinstance(value, Path):
        try:
            return str(value.relative_to(PROJECT_ROOT))
        except ValueError:
            return str(value)
    if value in ("", None):
        return "(none)"
    return str(value)


def markdown_reference() -> str:
    """docs/configuration.md, generated from Settings, from_env and BOUNDS."""
    saved = dict(os.environ)
    try:  # defaults as a fresh machine sees them: no variable set
        prefixes = ("LINKCHECK_", "GITHUB_", "PYPI_", "PYPISTATS_", "WAYBACK_")
        for key in [k for k in os.environ if k.startswith(prefixes) or k in ("REDIS_URL", "SITEURL")]:
            del os.environ[key]
        defaults = Settings.from_env()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    notes, sections = _field_notes()
    env = _env_names()
    lines = [
        "# Configuration",
        "",
        "<!-- generated from linkcheck/settings.py by `python -m linkcheck.settings"
        " > docs/configuration.md`; edit the Settings class there -->",
        "",
        "The checker, the scheduler and the site's plugins share one `Settings` object",
        "(`linkcheck/settings.py`), built once from the environment at each entry point (the CLI,",
        "the Celery app, `pelicanconf.py`) and passed down. Paths are relative to the project root",
        "(`LINKCHECK_ROOT`, default: the folder holding this project).",
        "Secrets are never logged, reported or shown on the site.",
    ]
    current = None
    for f in fields(Settings):
        if sections[f.name] != current:
            current = sections[f.name]
            lines += ["", f"## {current[:1].upper()}{current[1:]}", "",
                      "| variable | default | range | meaning |", "|---|---|---|---|"]
        names = env.get(f.name) or []
        variable = f"`{names[0]}`" + (" (default from " + ", ".join(f"`{n}`" for n in names[1:]) + ")"
                                      if len(names) > 1 else "") if names else "—"
        low_high = f"{BOUNDS[f.name][1]:g} – {BOUNDS[f.name][2]:g}" if f.name in BOUNDS else ""
        default = "(secret)" if not f.repr else f"`{_default(f.name, getattr(defaults, f.name))}`"
        meaning = notes.get(f.name) or f.name.replace("_", " ")
        lines.append(f"| {variable} | {default} | {low_high} | {meaning} |")
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    sys.stdout.write(markdown_reference())
