#!/usr/bin/env bash
# `make test`: every test once, in one build. Installs what is missing, builds the whole tree once
# with AddressSanitizer and UndefinedBehaviorSanitizer (warnings as errors), runs the C++ suite on
# both backends (CTest starts and stops its own PostgreSQL), then the web app's lint, unit tests
# and browser tests against that build's anxin. Prints the time of every phase at the end, whether
# the run passed or not, and exits with the first failing phase's status.
set -uo pipefail
cd "$(dirname "$0")/.."

build=${ANXIN_TEST_BUILD:-build-test}
jobs=${JOBS:-$(nproc)}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

phases=()
started=$(date +%s)

summary() {
  echo
  echo "make test: time per phase"
  for line in "${phases[@]}"; do echo "  $line"; done
  printf '  %-12s %5d s\n' total $(($(date +%s) - started))
}

# phase NAME COMMAND...: runs COMMAND, records its time, stops everything on failure.
phase() {
  local name=$1
  shift
  local start rc
  start=$(date +%s)
  echo "== $name: $*"
  "$@"
  rc=$?
  phases+=("$(printf '%-12s %5d s%s' "$name" $(($(date +%s) - start)) "$([ $rc -eq 0 ] || echo "  FAILED ($rc)")")")
  if [ $rc -ne 0 ]; then
    summary
    exit $rc
  fi
}

phase deps bash scripts/install-deps.sh
if [ ! -f "$build/build.ninja" ]; then
  # -g1: line tables for sanitizer reports, without the full debug information that doubles
  # compile and link times.
  phase configure cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 \
    -DANXIN_SANITIZE=ON
fi
phase build cmake --build "$build" -j "$jobs"
phase ctest bash -c "cd '$build' && ctest --output-on-failure -j '$jobs' --timeout 900"
phase web-build make --no-print-directory web BUILD="$build"
phase web-test make --no-print-directory web-test-only BUILD="$build"
summary
