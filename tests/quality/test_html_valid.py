"""Every HTML page of the build passes the Nu Html Checker with zero errors.

One JVM for all files. A deliberately broken canary page rides along in the same
invocation, so the gate proves it can see an error before it trusts a clean run.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

from tests.quality.tools import require_java, require_vnu

CANARY = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>canary</title></head>
<body><p>unclosed <div></p><img src="x.png"><span id="a"></span><span id="a"></span></body></html>
"""


def run_vnu(files: list[Path]) -> list[dict[str, object]]:
    java = require_java()
    jar = require_vnu()
    # The JIT's first tier only: a run of a few seconds finishes as soon, on half the CPU.
    proc = subprocess.run(
        [java, "-Xss4m", "-XX:TieredStopAtLevel=1", "-jar", str(jar), "--errors-only", "--format", "json",
         *map(str, files)],
        capture_output=True, text=True, timeout=600,
    )
    # vnu writes its JSON report to stderr; exit 1 just means "there were errors".
    raw = proc.stderr.strip() or proc.stdout.strip()
    try:
        report = json.loads(raw)
    except json.JSONDecodeError as exc:
        output = f"{proc.stdout}\n{proc.stderr}"
        raise AssertionError(f"vnu gave no JSON (exit {proc.returncode}):\n{output}") from exc
    return list(report.get("messages", []))


def _file_of(message: dict[str, object]) -> Path:
    return Path(unquote(urlparse(str(message.get("url", ""))).path))


def _fmt(message: dict[str, object], roots: dict[str, Path]) -> str:
    path = _file_of(message)
    where = str(path)
    for name, root in roots.items():
        if path.is_relative_to(root):
            where = f"[{name}] {path.relative_to(root).as_posix()}"
    line = message.get("lastLine", "?")
    extract = str(message.get("extract", "")).replace("\n", " ")[:160]
    return f"{where}:{line}: {message.get('type')}: {message.get('message')}  [{extract}]"


def test_every_page_passes_vnu(builds: dict[str, Path], tmp_path: Path) -> None:
    canary = tmp_path / "canary.html"
    canary.write_text(CANARY, encoding="utf-8")
    pages = sorted(p for root in builds.values() for p in root.rglob("*.html"))
    assert pages, "no HTML pages in the builds"
    messages = run_vnu([canary, *pages])

    canary_errors = [m for m in messages if _file_of(m) == canary]
    assert canary_errors, "vnu reported nothing for a deliberately broken page: the gate is blind"

    site_errors = [
        m for m in messages if _file_of(m) != canary and m.get("type") in {"error", "non-document-error"}
    ]
    report = "\n".join(_fmt(m, builds) for m in site_errors)
    assert not site_errors, f"{len(site_errors)} HTML error(s) in {len(pages)} page(s):\n{report}"
