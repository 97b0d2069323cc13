#!/usr/bin/env bash
# Counts the instructions the SQLite writer thread spends per card activation, with callgrind:
# prepares N cards with a normal server, then serves the same data under callgrind, once counting
# all of the SQLite writer thread (every write transaction, its savepoint and the group's COMMIT)
# and once only inside CardActivationService::Commit (the activation's own transaction body),
# while 16 clients activate the cards.
# Prints `bench: sqlite_writer_instructions_per_activation <n>` and
# `bench: sqlite_activation_commit_instructions <n>`.
# Usage: bench/writer_profile.sh <build-dir> [cards]   (ANXIN=... CARD_LOAD=... to profile other binaries)
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
cards=${2:-400}
root=$(cd "$(dirname "$0")/.." && pwd)
anxin=${ANXIN:-$build/src/app/anxin}
load=${CARD_LOAD:-$build/bench/card_load}
work="$build/bench-work/writer-profile"
rm -rf "$work"; mkdir -p "$work"
. "$root/tests/crash/lib.sh"
command -v valgrind >/dev/null || { echo "bench: valgrind is missing"; exit 1; }

server=""
stop_server() { if [ -n "$server" ]; then kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; server=""; fi; }
trap stop_server EXIT
env_of() { echo ANXIN_DATA_DIR="$work/data" ANXIN_LOG_LEVEL=warn ANXIN_PRODUCTS_DIR="$root/products"; }

port=$(free_port)
env $(env_of) "$anxin" seed-demo >/dev/null
env $(env_of) ANXIN_LISTEN="127.0.0.1:$port" "$anxin" serve >>"$work/serve.log" 2>&1 &
server=$!
wait_ready "$port"
"$load" prepare --port "$port" --cards "$cards" --out "$work/cards.csv" >/dev/null
stop_server

# profile <name> [callgrind options...]: serves the prepared data under callgrind, one output per
# thread, runs the activations, and prints the instructions of the writer thread (the one that runs
# SqliteDatabase::WriterLoop) or, with a toggle, of what was collected, per activation.
profile() {
  local name=$1
  shift
  rm -rf "$work/data-$name"
  cp -r "$work/data" "$work/data-$name"
  port=$(free_port)
  ANXIN_DATA_DIR="$work/data-$name" ANXIN_LOG_LEVEL=warn ANXIN_LISTEN="127.0.0.1:$port" \
    valgrind --tool=callgrind --separate-threads=yes "$@" \
    --callgrind-out-file="$work/callgrind-$name.out" "$anxin" serve >>"$work/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 1 600); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
  "$load" activate --port "$port" --cards-file "$work/cards.csv" --clients 16 >"$work/activate-$name.txt"
  stop_server
  local total=0
  for out in "$work"/callgrind-"$name".out*; do
    if [ "$#" -gt 0 ] || grep -q WriterLoop "$out"; then
      local ir
      ir=$(callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1; exit}')
      [[ $ir =~ ^[0-9]+$ ]] || ir=0
      total=$((total + ${ir:-0}))
    fi
  done
  awk -v t="$total" -v n="$cards" 'BEGIN {printf "%.0f\n", t / n}'
}
writer=$(profile writer)
commit=$(profile commit --collect-atstart=no --toggle-collect='*CardActivationService::Commit*')
echo "bench: sqlite_writer_instructions_per_activation $writer instructions (all of the writer thread)"
echo "bench: sqlite_activation_commit_instructions $commit instructions (the activation's transaction body)"
