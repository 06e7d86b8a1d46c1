"""Issue 24: a PyPI answer is read up to LINKCHECK_API_MAX_BYTES (decompressed), not whole:
a gzip bomb (1 MB that inflates to 1 GiB) took 3.2 GB of memory. The bombed project fails
with the API and the cap named; the refresh goes on with the others."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from aiohttp import web

from linkcheck.settings import Settings
from tests.support.bombs import gzip_bomb, with_bombs
from tests.support.servers import serve_app

ROOT = Path(__file__).resolve().parents[3]

CHILD = """
import json
from linkcheck.metadata import pypi
from linkcheck.settings import Settings
from linkcheck.store import Store
settings = Settings.from_env()
with Store.from_settings(settings) as store:
    s = pypi.refresh(settings, store, projects={"bomb": None, "celery": None, "rq": None})
    rows = store.pypi_projects()
print(json.dumps({"failed": s.failed, "errors": s.errors, "updated": s.updated,
                  "states": {n: r["state"] for n, r in rows.items()},
                  # VmHWM: this program's peak (ru_maxrss would count the forking pytest too)
                  "peak_rss_mb": next(int(line.split()[1]) for line in open("/proc/self/status")
                                      if line.startswith("VmHWM:")) / 1024}))
"""


def test_a_gzip_bomb_from_pypi_fails_one_project_in_bounded_memory(fake, tmp_path):
    fake.add("celery")
    fake.add("rq")

    async def bombed(request: web.Request) -> bool:
        return request.path == "/pypi/bomb/json"

    assert len(gzip_bomb()) < 1_100_000
    with serve_app(with_bombs(fake.app(), bombed)) as api:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PYPI_API_URL": api,
               "LINKCHECK_VAR_DIR": str(tmp_path / "var"), "LINKCHECK_CONTENT_DIR": str(tmp_path / "content")}
        env.pop("LINKCHECK_API_MAX_BYTES", None)  # the default cap
        proc = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True,
                              timeout=120)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    print(f"\nPyPI gzip bomb ({len(gzip_bomb())} bytes -> 1 GiB): peak RSS {result['peak_rss_mb']:.0f} MB")
    cap = Settings.api_max_bytes
    assert result["failed"] == ["bomb"] and result["updated"] == 2
    assert result["errors"] == [f"bomb: PyPI answered more than {cap} bytes (LINKCHECK_API_MAX_BYTES); "
                                "the answer was not read"]
    assert result["states"] == {"bomb": "failed", "celery": "ok", "rq": "ok"}
    assert result["peak_rss_mb"] < 256  # the cap (32 MiB) and the interpreter; 3.2 GB before


def test_the_bomb_is_a_valid_gzip_of_zeros():
    """tests/support/bombs.py builds its stream instead of compressing a GiB: the gzip it builds
    inflates to exactly its zeros, its CRC and length checked by the decompressor."""
    import gzip

    for mib in (1, 3):
        assert gzip.decompress(gzip_bomb(mib << 20)) == bytes(mib << 20)
