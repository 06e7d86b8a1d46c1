"""`make screenshots`: every page (the generated side-by-side and project pages too) at 360 and
1280 px, light and dark, in three data states.

States (the store the build reads):
- empty:  a fresh clone, no store;
- github: GitHub figures, PyPI releases and project events, no link check yet;
- full:   the same and three check runs with broken, moved, blocked links and archived copies.

The sites are built and seeded exactly as the quality gates build them (tests/quality/conftest.py
and seed.py), served on loopback and shot by Debian's chromium (headless, fresh profile, every
request outside loopback aborted). Output: test-artifacts/screenshots/<state>/<page>-<width>-<scheme>.png
(git-ignored). A visual review is part of done: look at every image.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.quality.browsing import new_context, open_page  # noqa: E402
from tests.quality.conftest import StaticServer, build_site  # noqa: E402
from tests.quality.seed import seed_store  # noqa: E402
from tests.quality.tools import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS  # noqa: E402

STATES = {"empty": {}, "github": {"links": False, "github": True}, "full": {"links": True, "github": True}}
WIDTHS = {360: 740, 1280: 800}
SCHEMES = ("light", "dark")


def build(state: str, work: Path) -> Path:
    var = work / f"var-{state}"
    var.mkdir(parents=True)
    seed = STATES[state]
    if seed:
        from linkcheck.catalog import load_catalog

        repos = sorted({e.github_repo for e in load_catalog(REPO / "content").entries if e.github_repo})
        seed_store(var / "linkcheck.sqlite3", REPO, repos, **seed)
    env = {**os.environ, "LINKCHECK_VAR_DIR": str(var), "LINKCHECK_BROKEN_AFTER_HOURS": "1"}
    env.pop("LINKCHECK_STORE", None)
    out = work / f"site-{state}"
    proc = build_site(out, env=env)
    if proc.returncode != 0:
        raise SystemExit(f"build of state {state!r} failed:\n{proc.stdout}\n{proc.stderr}")
    return out


def shoot(site: Path, dest: Path, pages: list[str] | None, tiles: bool = False) -> list[Path]:
    from playwright.sync_api import sync_playwright

    server = StaticServer(site)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    written = []
    try:
        names = pages or sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
        with sync_playwright() as pw:
            # launch() gives chromium a fresh temporary --user-data-dir each time
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            try:
                for width, height in WIDTHS.items():
                    for scheme in SCHEMES:
                        context, watch = new_context(browser, server.url, color_scheme=scheme,
                                                     viewport={"width": width, "height": height})
                        for name in names:
                            if not (site / name).is_file():
                                continue
                            page = open_page(context, watch, "/" + name)
                            stem = name.removesuffix(".html").replace("/", "__")
                            target = dest / f"{stem}-{width}-{scheme}.png"
                            page.screenshot(path=str(target), full_page=True)
                            written.append(target)
                            if tiles:  # viewport-sized slices, easier to look at than one tall image
                                full = page.evaluate("document.documentElement.scrollHeight")
                                step = 2 * height
                                for n, top in enumerate(range(0, full, step), 1):
                                    clip = {"x": 0, "y": top, "width": width, "height": min(step, full - top)}
                                    tile = target.with_name(f"{target.stem}.{n}.png")
                                    page.screenshot(path=str(tile), full_page=True, clip=clip)
                            page.close()
                        context.close()
                        problems = watch.outside + watch.page_errors + watch.failed
                        if problems:
                            print(f"  {width}px {scheme}: " + "; ".join(problems[:5]), file=sys.stderr)
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--state", action="append", choices=list(STATES), help="only these states")
    parser.add_argument("--page", action="append", help="only these pages, e.g. projects.html")
    parser.add_argument("--tiles", action="store_true", help="also write slices two viewports tall")
    parser.add_argument("--out", type=Path, default=ARTIFACTS / "screenshots")
    args = parser.parse_args()
    if not CHROMIUM.is_file():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install -y chromium (or bash scripts/ci-deps.sh)")
    with tempfile.TemporaryDirectory(prefix="screenshots-") as tmp:
        for state in args.state or list(STATES):
            dest = args.out / state
            dest.mkdir(parents=True, exist_ok=True)
            for old in dest.glob("*.png"):
                old.unlink()
            site = build(state, Path(tmp))
            kept = dest / "site"  # the built pages next to their pictures, to read the HTML
            shutil.rmtree(kept, ignore_errors=True)
            shutil.copytree(site, kept)
            shots = shoot(site, dest, args.page, args.tiles)
            print(f"{state}: {len(shots)} screenshots in {dest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
