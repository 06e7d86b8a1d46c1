"""``python -m linkcheck report [--run ID] [--deliver]``: write (and send) the report."""

from __future__ import annotations

import argparse
import logging

from linkcheck.cli import UsageError
from linkcheck.report.build import NoRunError, write_report
from linkcheck.settings import Settings
from linkcheck.store import Store

log = logging.getLogger("linkcheck.report.build")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report",
        help="write the link-health report of a check run (Markdown, JSON, HTML)",
        description="Write the report of a check run into the reports folder "
        "(LINKCHECK_REPORTS_DIR, default var/reports/) and, with --deliver, send it by email "
        "and/or webhook as configured in the environment. Exit 1 when delivery failed "
        "(the report files are kept).",
    )
    p.add_argument("--run", type=int, metavar="ID", help="the run to report on (default: the latest)")
    p.add_argument("--deliver", action="store_true", help="send it by email and/or webhook")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    settings: Settings = args.settings
    with Store.from_settings(settings) as store:
        try:
            report = write_report(settings, store, args.run)
        except NoRunError as exc:
            raise UsageError(str(exc)) from None
    for path in report.files():
        print(path)
    if not args.deliver:
        return 0
    from linkcheck.report.deliver import deliver

    outcomes = deliver(settings, report)
    if not outcomes:
        print("nothing delivered: set LINKCHECK_SMTP_HOST and LINKCHECK_MAIL_TO "
              "and/or LINKCHECK_WEBHOOK_URL")
        return 0
    for o in outcomes:
        print(f"{o.channel}: {'sent' if o.ok else 'FAILED'} after {o.attempts} attempt(s)"
              + (f" ({o.error})" if o.error else ""))
    return 0 if all(o.ok for o in outcomes) else 1
