#!/usr/bin/env bash
# Install what the quality gates (tests/quality) need, only when it is missing:
#   - Debian's chromium and fonts          (browser tests, axe-core)
#   - a headless Java runtime              (the Nu Html Checker, vnu.jar)
#   - node_modules from package-lock.json  (vnu-jar, axe-core) via `npm ci`
# Idempotent and quiet: a second run does nothing and prints one line.
# Needs root (or sudo) for apt-get. Used by .ci/run; developers run `bash scripts/ci-deps.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."

LOG="$(mktemp -t ci-deps.XXXXXX.log)"
trap 'rm -f "$LOG"' EXIT
fail() {
    echo "ci-deps: $*" >&2
    if [ -s "$LOG" ]; then tail -n 40 "$LOG" >&2; fi
    exit 1
}

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
fi

APT_UPDATED=""
apt_install() {
    command -v apt-get >/dev/null 2>&1 || fail "apt-get not found: install $* by hand"
    if [ -z "$APT_UPDATED" ]; then
        $SUDO apt-get update -qq >>"$LOG" 2>&1 || fail "apt-get update failed"
        APT_UPDATED=1
    fi
    echo "ci-deps: apt-get install $*"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" \
        >>"$LOG" 2>&1 || fail "apt-get install $* failed"
}

have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

# 1. System packages: chromium (+ fonts so pages render with real glyph metrics), Java, npm.
want=()
[ -x /usr/bin/chromium ] || want+=(chromium)
for font in fonts-dejavu-core fonts-liberation; do
    have_pkg "$font" || want+=("$font")
done
command -v java >/dev/null 2>&1 || want+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || want+=(nodejs npm)
if [ "${#want[@]}" -gt 0 ]; then
    apt_install "${want[@]}"
fi
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium still missing after apt-get"
command -v java >/dev/null 2>&1 || fail "java still missing after apt-get"

# 2. npm packages pinned by package-lock.json; reinstalled when the lock file changes.
STAMP=node_modules/.ci-deps-lock.sha256
lock_sum="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ] || [ ! -f node_modules/axe-core/axe.min.js ] \
    || [ "$(cat "$STAMP" 2>/dev/null)" != "$lock_sum" ]; then
    echo "ci-deps: npm ci (vnu-jar, axe-core)"
    # --ignore-scripts: vnu-jar's postinstall would try to download a Java runtime.
    npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >>"$LOG" 2>&1 || fail "npm ci failed"
    echo "$lock_sum" >"$STAMP"
fi

chromium_v="$(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}')"
java_v="$(java -version 2>&1 | awk -F'"' 'NR==1{print $2}')"
vnu_v="$(node -p 'require("./node_modules/vnu-jar/package.json").version')"
axe_v="$(node -p 'require("./node_modules/axe-core/package.json").version')"
echo "ci-deps: ready: chromium ${chromium_v}, java ${java_v}, vnu ${vnu_v}, axe-core ${axe_v}"
