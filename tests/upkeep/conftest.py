"""Two real check runs against a loopback web: the fixtures live in tests/support/tworuns.py."""

from tests.support.tworuns import fake_wayback, fake_web, two_runs  # noqa: F401
