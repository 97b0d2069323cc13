#!/usr/bin/env bash
# Runs Anxin's benchmarks in one go and prints every figure as `bench: <name> <value> <unit>` and
# every ratio as `ratio: <name> <value>`, with the machine's details, so runs compare by machine.
# Usage: bench/run.sh <build-dir>
set -euo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$build" && pwd)
anxin="$build/src/app/anxin"
work="$build/bench-work"
rm -rf "$work"; mkdir -p "$work"

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), \
$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -n1), kernel $(uname -r)"
echo "machine: disk for data: $(df -h "$work" | awk 'NR==2 {print $1 " " $2}')"
command -v wrk >/dev/null || { echo "bench: wrk is missing (run make deps)"; exit 1; }

# (b) The raw durable commit rate of single-row SQLite inserts (WAL, synchronous=FULL).
"$build/bench/sqlite_raw_commit" "$work/raw" 5 | tee "$work/raw.txt"
raw_rate=$(awk '/sqlite_raw_commit_rate/ {print $3}' "$work/raw.txt")

# (a) The bare HTTP rate of GET /healthz with 64 keep-alive connections.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export ANXIN_DATA_DIR="$work/data" ANXIN_LOG_LEVEL=warn
"$anxin" migrate >/dev/null
"$anxin" serve --listen "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
wrk -t2 -c64 -d10s --latency "http://127.0.0.1:$port/healthz" >"$work/wrk-healthz.txt"
rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$work/wrk-healthz.txt")
p50=$(awk '$1=="50%" {print $2}' "$work/wrk-healthz.txt")
p99=$(awk '$1=="99%" {print $2}' "$work/wrk-healthz.txt")
echo "bench: healthz_rps $rps req/s"
echo "bench: healthz_p50 $p50"
echo "bench: healthz_p99 $p99"
echo "ratio: healthz_vs_raw_commit $(awk -v a="$rps" -v b="$raw_rate" 'BEGIN {printf "%.2f", a/b}')"
