#!/usr/bin/env bash
# The web app's figures: initial JavaScript of the portal and the console (gzip), and the first
# contentful paint of the portal's activation page in headless Chromium against a local anxin.
# Usage: bench/web_bench.sh [build-dir]   (builds web/dist first with `make web`)
set -euo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
make -C "$root" --no-print-directory web BUILD="$build" >/dev/null
cd "$root/web"
ANXIN_BIN="$(cd "$root" && cd "$build" && pwd)/src/app/anxin" node scripts/web-bench.mjs
