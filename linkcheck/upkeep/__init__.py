"""Upkeep of the content: rewrite moved URLs, look up archived copies of dead pages."""
