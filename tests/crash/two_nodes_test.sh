#!/usr/bin/env bash
# 64 concurrent activations of the same card: exactly one policy. With "sqlite" one node serves
# them; with a PostgreSQL port, two `anxin` nodes share one fresh PostgreSQL database.
# Usage: two_nodes_test.sh <anxin> <card_load> <work-dir> sqlite|<pg-port>
set -euo pipefail
anxin=$1 load=$2 work=$3 backend=$4
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
rm -rf "$work"; mkdir -p "$work"
export ANXIN_DATA_DIR="$work/data" ANXIN_LOG_LEVEL=warn ANXIN_PRODUCTS_DIR="$here/../../products"
if [ "$backend" != sqlite ]; then
  dbname="anxin_nodes_$$_$RANDOM"
  psql -X -q -h 127.0.0.1 -p "$backend" -U anxin -d postgres -c "CREATE DATABASE $dbname"
  trap 'psql -X -q -h 127.0.0.1 -p "$backend" -U anxin -d postgres -c "DROP DATABASE IF EXISTS $dbname WITH (FORCE)" || true' EXIT
  export ANXIN_DATABASE_URL="postgresql://anxin@127.0.0.1:$backend/$dbname"
  nodes=2
else
  nodes=1
fi
"$anxin" seed-demo >/dev/null
ports=()
pids=()
for n in $(seq 1 "$nodes"); do
  port=$(free_port)
  ANXIN_LISTEN="127.0.0.1:$port" "$anxin" serve >>"$work/serve-$n.log" 2>&1 &
  pids+=($!); ports+=("$port")
done
cleanup_nodes() { for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done; wait || true; }
trap 'cleanup_nodes; [ "$backend" != sqlite ] && psql -X -q -h 127.0.0.1 -p "$backend" -U anxin -d postgres -c "DROP DATABASE IF EXISTS $dbname WITH (FORCE)" || true' EXIT
for port in "${ports[@]}"; do wait_ready "$port"; done
"$load" prepare --port "${ports[0]}" --cards 3 --out "$work/cards.csv"
port_list=$(IFS=,; echo "${ports[*]}")
"$load" same-card --port "$port_list" --cards-file "$work/cards.csv" --clients 64
echo "1 passed, 0 failed"
