"""Rebuild the site with Pelican, as a subprocess (Pelican keeps global state,
and a plugin crash must not take a Celery worker down with it).

The new site is built into a fresh folder next to the target and swapped in
only when Pelican succeeds, so readers never see a half-written or failed build.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from linkcheck.redact import redact
from linkcheck.settings import PROJECT_ROOT

log = logging.getLogger(__name__)


class BuildError(RuntimeError):
    """Pelican failed; the message carries Pelican's own words."""


def _pelican_message(output: str) -> str:
    """The lines of Pelican's output that say what went wrong."""
    lines = [ln.rstrip() for ln in output.splitlines() if ln.strip()]
    wanted = [ln for ln in lines if any(w in ln for w in ("ERROR", "CRITICAL", "Error", "error:"))]
    return "\n".join((wanted or lines)[-15:])


def build_site(
    settings: Any,
    *,
    output_dir: Path | None = None,
    conf: str = "publishconf.py",
    timeout: float | None = None,
) -> Path:
    """Build ``settings.content_dir`` with ``conf`` (relative to the project root)
    into ``output_dir`` (default: ``settings.site_output_dir``). Returns the folder."""
    target = Path(output_dir or getattr(settings, "site_output_dir", None) or settings.output_dir).resolve()
    conf_path = Path(conf) if Path(conf).is_absolute() else PROJECT_ROOT / conf
    if not conf_path.is_file():
        raise BuildError(f"Pelican settings file not found: {conf_path}")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    cmd = [sys.executable, "-m", "pelican", str(Path(settings.content_dir).resolve()),
           "-o", str(staging), "-s", str(conf_path), "--fatal", "errors"]
    log.info("building the site into %s", target)
    try:
        proc = subprocess.run(cmd, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})
    except subprocess.TimeoutExpired as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildError(f"pelican did not finish within {timeout:g}s") from exc
    if proc.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        message = redact(_pelican_message(proc.stderr + "\n" + proc.stdout), settings.secret_parts())
        raise BuildError(f"pelican failed (exit {proc.returncode}) with {conf_path.name}:\n{message}")
    _swap_in(staging, target)
    return target


def _swap_in(staging: Path, target: Path) -> None:
    """Replace ``target`` with ``staging``: two renames, so the site is whole at every moment
    except between them."""
    staging.chmod(0o755)  # mkdtemp makes it private; the site is served to everyone
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        target.rename(old)
    staging.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
