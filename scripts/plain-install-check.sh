#!/usr/bin/env bash
# CI stage: a plain install runs what the README promises. A fresh virtual
# environment gets only `pip install -e .` (no extras), then
# scripts/plain_install_check.py imports every module, runs check, github and
# the scheduler against loopback servers, and builds the site with its search
# index. Prints one line per check and ends with
# "plain-install: N passed, M failed"; exit 1 when anything failed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-python3}
started=$(date +%s)
work=$(mktemp -d "${TMPDIR:-/tmp}/plain-install.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "plain-install: fresh virtual environment in $work/venv ($("$PY" --version))"
"$PY" -m venv "$work/venv"
if ! "$work/venv/bin/python" -m pip install -q --disable-pip-version-check -e . >"$work/pip.log" 2>&1; then
    tail -n 30 "$work/pip.log"
    echo "plain-install: 0 passed, 1 failed (pip install -e . failed)"
    exit 1
fi
echo "plain-install: pip install -e . (no extras) done in $(( $(date +%s) - started ))s"

status=0
env -u PYTHONPATH "$work/venv/bin/python" scripts/plain_install_check.py --root "$PWD" || status=$?
echo "plain-install: stage took $(( $(date +%s) - started ))s"
exit "$status"
