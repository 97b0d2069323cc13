#!/usr/bin/env bash
# Crash test: activates cards under load and kills the server with SIGKILL several times, then
# checks that every activation answered 2xx has its policy and an activated card, that no card
# has two policies, that the ledger balances and that the audit chain is intact.
# Usage: crash_test.sh <anxin> <card_load> <work-dir> <kills> <cards>
set -euo pipefail
anxin=$1 load=$2 work=$3 kills=${4:-3} cards=${5:-240}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
rm -rf "$work"; mkdir -p "$work"
export ANXIN_DATA_DIR="$work/data" ANXIN_LOG_LEVEL=warn ANXIN_PRODUCTS_DIR="$here/../../products"
db="$work/data/anxin.db"
port=$(free_port)
export ANXIN_LISTEN="127.0.0.1:$port"

"$anxin" seed-demo >/dev/null
start_server() { "$anxin" serve >>"$work/serve.log" 2>&1 & server=$!; wait_ready "$port"; }
start_server
"$load" prepare --port "$port" --cards "$cards" --out "$work/cards.csv"

answered="$work/answered.csv"
: >"$answered"
for round in $(seq 1 "$kills"); do
  # Clients hammer the server; it is killed without warning while requests are in flight.
  "$load" activate --port "$port" --cards-file "$work/cards.csv" --clients 32 --log "$answered" >"$work/load-$round.txt" 2>&1 &
  loader=$!
  sleep "0.$(( (RANDOM % 3) + 1 ))"
  kill -KILL "$server"; wait "$server" 2>/dev/null || true
  wait "$loader" || true
  echo "round $round: killed the server; $(grep -c ',201,' "$answered" || true) activations answered 201 so far"
  start_server
done
# Finish the remaining cards on a healthy server (cards activated before a kill answer 409).
"$load" activate --port "$port" --cards-file "$work/cards.csv" --clients 16 --log "$answered" >"$work/load-final.txt"
kill -TERM "$server"; wait "$server" || true

python3 - "$db" "$answered" "$work/cards.csv" <<'PY'
import sqlite3, sys
db, answered, cards_file = sys.argv[1:4]
con = sqlite3.connect(db)
ok = {}
for line in open(answered):
    serial, status, policy_no = line.strip().split(",")
    if status == "201":
        if serial in ok:
            sys.exit(f"FAIL: {serial} was answered 201 twice")
        ok[serial] = policy_no
problems = []
for serial, policy_no in ok.items():
    row = con.execute("SELECT c.status, p.policy_no FROM cards c LEFT JOIN policies p ON p.id = c.policy_id WHERE c.serial = ?", (serial,)).fetchone()
    if row is None or row[0] != "activated" or row[1] != policy_no:
        problems.append(f"{serial}: answered 201 with {policy_no} but the database has {row}")
dupes = con.execute("SELECT card_serial, COUNT(*) FROM policies WHERE card_serial IS NOT NULL GROUP BY card_serial HAVING COUNT(*) > 1").fetchall()
if dupes:
    problems.append(f"cards with two policies: {dupes[:5]}")
orphans = con.execute("SELECT COUNT(*) FROM cards c WHERE c.status = 'activated' AND NOT EXISTS (SELECT 1 FROM policies p WHERE p.card_serial = c.serial)").fetchone()[0]
if orphans:
    problems.append(f"{orphans} activated cards without a policy")
debit, credit = con.execute("SELECT COALESCE(SUM(debit_fen),0), COALESCE(SUM(credit_fen),0) FROM journal_lines").fetchone()
if debit != credit:
    problems.append(f"ledger does not balance: debit {debit} credit {credit}")
activated = con.execute("SELECT COUNT(*) FROM cards WHERE status = 'activated'").fetchone()[0]
total = sum(1 for _ in open(cards_file))
if activated != total:
    problems.append(f"only {activated} of {total} cards activated after the final round")
if problems:
    print("\n".join(problems)); sys.exit(1)
print(f"crash test: {len(ok)} activations answered 201, all durable; {activated} cards activated, one policy each; ledger balanced ({debit} fen)")
PY
"$anxin" audit verify
echo "1 passed, 0 failed"
