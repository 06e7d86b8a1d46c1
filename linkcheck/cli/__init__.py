"""``python -m linkcheck COMMAND``: one entry point, one module per command.

Each command module exposes ``register(subparsers)``, which adds its parser and
sets ``handler`` (a function taking the parsed args and returning an exit code).
``main`` builds the settings once, from the environment, and hands them to the
handler as ``args.settings``: no command reads the environment itself.
Exit codes: 0 success, 1 problems found (e.g. a broken link), 2 usage or
runtime error.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import re
import sys

from linkcheck import redact
from linkcheck.settings import Settings, SettingsError
from linkcheck.store import StoreFileError

# Command modules, in the order `--help` lists them.
COMMAND_MODULES: list[str] = [
    "linkcheck.cli.check_cmd",
    "linkcheck.cli.status_cmd",
    "linkcheck.cli.github_cmd",
    "linkcheck.cli.pypi_cmd",
    "linkcheck.cli.downloads_cmd",
    "linkcheck.cli.report_cmd",
    "linkcheck.cli.fix_cmd",
    "linkcheck.cli.archive_cmd",
    "linkcheck.cli.runs_cmd",
    "linkcheck.cli.scheduler_cmd",
    "linkcheck.cli.lint_content_cmd",
]


# C0 and C1 control characters except tab and newline: from the web they could move the
# cursor, retitle the terminal or plant escape-sequence links.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_safe(text: str) -> str:
    """Text from outside, made harmless for a terminal (controls shown as U+FFFD)."""
    return _CONTROL.sub("\ufffd", text)


class UsageError(Exception):
    """Bad arguments or input: reported in one line, exit code 2."""


def _modules_for(argv: list[str] | None) -> list[str]:
    """Only the named command's module when its name is the module's (``check`` ->
    ``linkcheck.cli.check_cmd``, ``lint-content`` -> ``lint_content_cmd``): other commands
    import Celery, Redis and requests, which cost every run ~20 MB and half a second of
    start-up. ``--help`` and unknown names get all."""
    first = next((a for a in argv or [] if not a.startswith("-")), None)
    module = f"linkcheck.cli.{(first or '').replace('-', '_')}_cmd"
    return [module] if first and module in COMMAND_MODULES else COMMAND_MODULES


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m linkcheck",
        description="Link health and GitHub metadata for the task-queue catalog.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in _modules_for(argv):
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser(sys.argv[1:] if argv is None else argv)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
    )
    parts: list[str] = []
    try:
        args.settings = Settings.from_env()
        parts = args.settings.secret_parts()
        redact.install(parts)  # every log line of every command passes the filter
        return int(args.handler(args) or 0)
    except (UsageError, SettingsError, StoreFileError) as exc:
        print(redact.redact(f"error: {exc}", parts), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; results recorded so far are kept", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (`... | head`): not a failure. Point stdout at /dev/null so
        # the interpreter's final flush does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # a runtime failure is exit 2, never a traceback-only crash
        logging.getLogger("linkcheck").debug("runtime error", exc_info=True)
        print(redact.redact(f"error: {type(exc).__name__}: {exc}", parts), file=sys.stderr)
        return 2
