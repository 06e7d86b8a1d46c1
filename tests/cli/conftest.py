"""Loopback web hosts for check runs: the fixture lives in tests/support/webhosts.py."""

from tests.support.webhosts import web_hosts  # noqa: F401
