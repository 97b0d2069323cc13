#!/usr/bin/env bash
# Runs Anxin's benchmarks in one go and prints every figure as `bench: <name> <value> <unit>` and
# every ratio as `ratio: <name> <value>`, with the machine's details, so runs compare by machine.
# Baselines measured in the same run: (a) bare HTTP rate of GET /healthz, (b) raw durable commit
# rate of single-row SQLite inserts. Workloads: card activation on SQLite and on PostgreSQL (with
# pgbench TPC-B on the same server), and a 1,000,000-card batch.
# Usage: bench/run.sh <build-dir>     (BENCH_QUICK=1 for a short smoke run; BENCH_PG_ROUNDS=N for
# N alternating PostgreSQL rounds instead of 3; BENCH_PARTS="sqlite pg"
# runs only some of: health (the /healthz rate), sqlite (raw commit and SQLite activation), batch
# (the 1,000,000-card batch, after sqlite), pg (PostgreSQL activation and pgbench); default all)
set -euo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$build" && pwd)
anxin="$build/src/app/anxin"
load="$build/bench/card_load"
work="$build/bench-work"
quick=${BENCH_QUICK:-0}
parts=" ${BENCH_PARTS:-health sqlite batch pg} "
part() { [[ $parts == *" $1 "* ]]; }
rm -rf "$work"; mkdir -p "$work"
. "$root/tests/crash/lib.sh"

duration=10; cards=6000; batch=1000000; pg_rounds=${BENCH_PG_ROUNDS:-3}
if [ "$quick" = 1 ]; then duration=2; cards=600; batch=20000; pg_rounds=1; fi

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), \
$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -n1), kernel $(uname -r)"
echo "machine: disk for data: $(df -h "$work" | awk 'NR==2 {print $1 " " $2}')"
command -v wrk >/dev/null || { echo "bench: wrk is missing (run make deps)"; exit 1; }

servers=()
stop_servers() { for pid in "${servers[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done; servers=(); wait 2>/dev/null || true; }
trap 'stop_servers' EXIT
# serve <data-dir> [database-url]: starts a node, sets $port and $server.
serve() {
  port=$(free_port)
  ANXIN_DATA_DIR="$1" ANXIN_DATABASE_URL="${2:-}" ANXIN_LOG_LEVEL=warn ANXIN_PRODUCTS_DIR="$root/products" \
    "$anxin" seed-demo >/dev/null 2>>"$work/serve.log"
  ANXIN_DATA_DIR="$1" ANXIN_DATABASE_URL="${2:-}" ANXIN_LOG_LEVEL=warn ANXIN_LISTEN="127.0.0.1:$port" \
    "$anxin" serve >>"$work/serve.log" 2>&1 &
  server=$!
  servers+=("$server")
  wait_ready "$port"
}
ratio() { awk -v a="$2" -v b="$3" -v n="$1" 'BEGIN { if (b > 0) printf "ratio: %s %.2f\n", n, a / b }'; }

act_rate=0; rps=0; raw_rate=0
if part sqlite || part health; then
# (b) The raw durable commit rate of single-row SQLite inserts (WAL, synchronous=FULL).
"$build/bench/sqlite_raw_commit" "$work/raw" 5 | tee "$work/raw.txt"
raw_rate=$(awk '/sqlite_raw_commit_rate/ {print $3}' "$work/raw.txt")
fi

if part health; then
# (a) The bare HTTP rate of GET /healthz with 64 keep-alive connections.
serve "$work/health"
wrk -t2 -c64 -d"${duration}s" --latency "http://127.0.0.1:$port/healthz" >"$work/wrk-healthz.txt"
rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$work/wrk-healthz.txt")
echo "bench: healthz_rps $rps req/s"
echo "bench: healthz_p50 $(awk '$1=="50%" {print $2}' "$work/wrk-healthz.txt")"
echo "bench: healthz_p99 $(awk '$1=="99%" {print $2}' "$work/wrk-healthz.txt")"
stop_servers
ratio healthz_vs_raw_commit "$rps" "$raw_rate"
fi

if part sqlite || part batch; then
# Card activation against SQLite: 64 clients, distinct cards, each answered after its commit.
serve "$work/sqlite"
"$load" prepare --port "$port" --cards "$cards" --out "$work/cards-sqlite.csv" >/dev/null
"$load" activate --port "$port" --cards-file "$work/cards-sqlite.csv" --clients 64 | tee "$work/act-sqlite.txt"
act_rate=$(awk '/bench: activation_rate/ {print $3}' "$work/act-sqlite.txt")
commits=$(curl -fsS "http://127.0.0.1:$port/metrics" | awk '/^anxin_db_commits_total/ {print $2}')
txs=$(curl -fsS "http://127.0.0.1:$port/metrics" | awk '/^anxin_db_transactions_total/ {print $2}')
echo "bench: sqlite_transactions_per_commit $(awk -v a="$txs" -v b="$commits" 'BEGIN {printf "%.2f", a/b}') tx/commit"
ratio activation_vs_raw_commit "$act_rate" "$raw_rate"

# A batch of 1,000,000 cards on SQLite: time and the server's peak memory.
if part batch; then
rss_before=$(awk '/VmHWM/ {print $2}' "/proc/$server/status")
"$load" batch --port "$port" --quantity "$batch" | tee "$work/batch.txt"
rss_after=$(awk '/VmHWM/ {print $2}' "/proc/$server/status")
echo "bench: card_batch_peak_rss_mib $(awk -v k="$rss_after" 'BEGIN {printf "%.1f", k/1024}') MiB"
echo "bench: card_batch_rss_growth_mib $(awk -v a="$rss_after" -v b="$rss_before" 'BEGIN {printf "%.1f", (a-b)/1024}') MiB"
fi
stop_servers
fi

if part pg; then

# The same activation workload against PostgreSQL (synchronous_commit=on), and pgbench TPC-B on
# the same server for comparison. pgbench's own rate swings by a third or more between runs on a
# shared 2-core machine, so the two alternate for $pg_rounds rounds (activation, then pgbench, each
# after a CHECKPOINT and with the other stopped), and the figures reported are the medians: the
# ratio is the median of the rounds' ratios, each of an activation run and the pgbench run right
# after it.
pg_port=$(free_port)
"$root/scripts/pg-test-cluster.sh" start "$work/pg" "$pg_port" >/dev/null
trap 'stop_servers; "$root/scripts/pg-test-cluster.sh" stop "$work/pg" "$pg_port" >/dev/null 2>&1 || true' EXIT
pg_sql() { psql -X -q -At -h 127.0.0.1 -p "$pg_port" -U anxin "$@"; }
pg_sql -d postgres -c "CREATE DATABASE anxin_bench" -c "CREATE DATABASE pgbench"
echo "bench: pg_synchronous_commit $(pg_sql -d postgres -c 'SHOW synchronous_commit')"
pgbench -q -i -s 10 -h 127.0.0.1 -p "$pg_port" -U anxin pgbench >/dev/null 2>&1
median() { sort -n | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
: >"$work/pg-rounds.txt"
for round in $(seq 1 "$pg_rounds"); do
  serve "$work/pgnode" "postgresql://anxin@127.0.0.1:$pg_port/anxin_bench"
  "$load" prepare --port "$port" --cards "$cards" --out "$work/cards-pg-$round.csv" >/dev/null
  pg_sql -d anxin_bench -c "CHECKPOINT"
  "$load" activate --port "$port" --cards-file "$work/cards-pg-$round.csv" --clients 64 >"$work/act-pg-$round.txt"
  stop_servers
  pg_sql -d pgbench -c "CHECKPOINT"
  pgbench -c 64 -j 2 -T "$duration" -M prepared -h 127.0.0.1 -p "$pg_port" -U anxin pgbench >"$work/pgbench-$round.txt" 2>&1
  rate=$(awk '/bench: activation_rate/ {print $3}' "$work/act-pg-$round.txt")
  p50=$(awk '/bench: activation_p50_ms/ {print $3}' "$work/act-pg-$round.txt")
  p99=$(awk '/bench: activation_p99_ms/ {print $3}' "$work/act-pg-$round.txt")
  round_tps=$(awk '/^tps/ {printf "%.0f", $3; exit}' "$work/pgbench-$round.txt")
  round_ratio=$(awk -v a="$rate" -v b="$round_tps" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print 0 }')
  echo "bench: pg_round $round activation $rate/s (p50 $p50 ms, p99 $p99 ms), pgbench $round_tps tx/s, ratio $round_ratio"
  echo "$rate $p50 $p99 $round_tps $round_ratio" >>"$work/pg-rounds.txt"
done
pg_rate=$(awk '{print $1}' "$work/pg-rounds.txt" | median)
tps=$(awk '{print $4}' "$work/pg-rounds.txt" | median)
echo "bench: pg_activation_rate $pg_rate activation/s (median of $pg_rounds rounds)"
echo "bench: pg_activation_p50_ms $(awk '{print $2}' "$work/pg-rounds.txt" | median) ms (median)"
echo "bench: pg_activation_p99_ms $(awk '{print $3}' "$work/pg-rounds.txt" | median) ms (median)"
echo "bench: pgbench_tpcb_tps $tps tx/s (median of $pg_rounds rounds)"
echo "ratio: pg_activation_vs_pgbench_tpcb $(awk '{print $5}' "$work/pg-rounds.txt" | median)"
ratio pg_activation_vs_sqlite_activation "$pg_rate" "$act_rate"
fi
