"""Compiled templates kept for the life of the process.

Pelican gives each generator its own Jinja environment, and Jinja compiles a template again for
each environment and each build. A process that builds more than once (``pelican --autoreload``,
the scheduler's rebuilds, the test suite) spent a third of every later build compiling the same
theme. Jinja's bytecode cache checks each template's source checksum, so an edited template is
compiled afresh; environments with different options (``JINJA_ENVIRONMENT``) never share code.
"""

from __future__ import annotations

from typing import Any

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket


class CompiledTemplates(BytecodeCache):
    """Jinja's bytecode cache in memory: one entry per template file, replaced when it changes."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # ignored by Jinja when the checksum differs

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_CACHES: dict[str, CompiledTemplates] = {}


def share_compiled_templates(generator: Any) -> None:
    """``generator_init``: the generator's environment uses the cache of its options, unless the
    site's ``JINJA_ENVIRONMENT`` names a bytecode cache of its own."""
    env = generator.env
    if env.bytecode_cache is not None:
        return
    options = repr(sorted((k, repr(v)) for k, v in generator.settings.get("JINJA_ENVIRONMENT", {}).items()))
    env.bytecode_cache = _CACHES.setdefault(options, CompiledTemplates())
