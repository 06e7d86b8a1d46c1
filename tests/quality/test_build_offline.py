"""The site builds without network: proxies point at a dead port and, where the kernel lets
us, the build runs in a network namespace of its own (`unshare -n`: not even loopback)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.quality.conftest import build_site
from tests.quality.tools import REPO
from tests.support.servers import free_port


def _netns_prefix() -> list[str]:
    unshare = shutil.which("unshare")
    if not unshare:
        return []
    probe = subprocess.run([unshare, "-n", "true"], capture_output=True, timeout=30)
    return [unshare, "-n"] if probe.returncode == 0 else []


def test_site_builds_without_network(tmp_path: Path) -> None:
    if not (REPO / "pelicanconf.py").is_file():
        raise AssertionError("pelicanconf.py is missing: there is no site to build")
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy") and k != "GITHUB_TOKEN"}
    env.update({
        "HTTP_PROXY": dead, "HTTPS_PROXY": dead, "ALL_PROXY": dead,
        "http_proxy": dead, "https_proxy": dead, "all_proxy": dead,
        "NO_PROXY": "", "no_proxy": "",
        # A fresh clone: no store yet, so nothing to read but content/.
        "LINKCHECK_VAR_DIR": str(tmp_path / "var"),
    })
    prefix = _netns_prefix()
    out = tmp_path / "out"
    proc = build_site(out, env=env, prefix=prefix)
    where = "in a network namespace without interfaces" if prefix else "with proxies on a dead port"
    assert proc.returncode == 0, f"the build failed {where}:\n{proc.stdout}\n{proc.stderr}"
    for page in ("index.html", "task-queues.html", "projects.html"):
        assert (out / page).is_file(), f"the offline build wrote no {page}"
