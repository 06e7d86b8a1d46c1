"""Where the quality-gate tools live, and what to do when one is missing.

In CI (``CI=true``) a missing tool is a failure: the gates must never pass by
skipping. On a developer machine the test is skipped with a reason that names
the install step (``bash scripts/ci-deps.sh``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NODE_MODULES = REPO / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
ARTIFACTS = REPO / "test-artifacts"

# Debian's chromium as root in a container: no sandbox, no GPU, and nothing that
# phones home (the gates also assert that no request leaves the loopback server).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

VIEWPORTS: dict[str, dict[str, int]] = {
    "360x740": {"width": 360, "height": 740},
    "1280x800": {"width": 1280, "height": 800},
}

INSTALL_HINT = "run `bash scripts/ci-deps.sh` (apt chromium + fonts, a Java runtime, `npm ci`)"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


def missing(what: str, how: str = INSTALL_HINT) -> None:
    """Fail in CI, skip elsewhere; never returns."""
    message = f"{what} is missing: {how}"
    if in_ci():
        pytest.fail(f"CI=true and {message}", pytrace=False)
    pytest.skip(message)


def require_java() -> str:
    java = shutil.which("java")
    if not java:
        missing("java (a Java runtime for the Nu Html Checker)", "apt-get install -y default-jre-headless, "
                "or " + INSTALL_HINT)
    return str(java)


def require_vnu() -> Path:
    if not VNU_JAR.is_file():
        missing(f"{VNU_JAR.relative_to(REPO)}", "run `npm ci --no-audit --no-fund --ignore-scripts`, or "
                + INSTALL_HINT)
    return VNU_JAR


def require_axe() -> Path:
    if not AXE_JS.is_file():
        missing(f"{AXE_JS.relative_to(REPO)}", "run `npm ci --no-audit --no-fund --ignore-scripts`, or "
                + INSTALL_HINT)
    return AXE_JS


def require_chromium() -> Path:
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        missing(f"Debian chromium ({CHROMIUM})", "apt-get install -y chromium, or " + INSTALL_HINT)
    return CHROMIUM
