#!/usr/bin/env bash
# Crash test: activates cards under load and kills the server with SIGKILL several times. Every
# other card is sent with an Idempotency-Key ("act-<serial>", the same body each time) and every
# round after a restart retries every card, the keyed ones with their key. Then checks that:
#   - every activation answered 201 has its policy and an activated card, no card has two
#     policies, the ledger balances and the audit chain is intact;
#   - for a keyed card, every 201 names the same policy and at most one of them was not a replay:
#     a retry after a crash either replayed the committed answer or activated anew, never a
#     second effect; and the last round, on a healthy server, answered 201 for every keyed card:
#     never an effect whose answer is lost;
#   - every card has exactly one activation audit record, and every key's stored answer names
#     its card's policy.
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
final="$work/final.csv"
: >"$answered"
: >"$final"
for round in $(seq 1 "$kills"); do
  # Clients hammer the server; it is killed without warning while requests are in flight.
  "$load" activate --port "$port" --cards-file "$work/cards.csv" --clients 32 --keyed half --log "$answered" >"$work/load-$round.txt" 2>&1 &
  loader=$!
  sleep "0.$(( (RANDOM % 3) + 1 ))"
  kill -KILL "$server"; wait "$server" 2>/dev/null || true
  wait "$loader" || true
  echo "round $round: killed the server; $(grep -c ',201,' "$answered" || true) answers 201 so far"
  start_server
done
# Retry every card on a healthy server: un-keyed cards activated before a kill answer 409, keyed
# ones must answer 201 (their stored answer, or a fresh activation).
"$load" activate --port "$port" --cards-file "$work/cards.csv" --clients 16 --keyed half --log "$final" >"$work/load-final.txt"
kill -TERM "$server"; wait "$server" || true

python3 - "$db" "$answered" "$final" "$work/cards.csv" <<'PY'
import base64, json, sqlite3, sys
db, answered_file, final_file, cards_file = sys.argv[1:5]
con = sqlite3.connect(db)
serials = [line.split(",")[0] for line in open(cards_file) if line.strip()]
keyed = {serial for i, serial in enumerate(serials) if i % 2 == 0}  # card_load --keyed half

def read(path):
    for line in open(path):
        serial, status, policy_no, replayed = line.strip().split(",")
        yield serial, int(status), policy_no, replayed == "1"

problems = []
policy_of = {}      # serial -> the policy number its 201 answers named
fresh = {}          # serial -> 201 answers that were not replays
for serial, status, policy_no, replayed in list(read(answered_file)) + list(read(final_file)):
    if status != 201:
        continue
    if policy_of.setdefault(serial, policy_no) != policy_no:
        problems.append(f"{serial}: answered 201 with {policy_of[serial]} and with {policy_no}")
    if not replayed:
        fresh[serial] = fresh.get(serial, 0) + 1
for serial, n in fresh.items():
    if n > 1:
        problems.append(f"{serial}: activated {n} times (answers 201 not replayed)")
unanswered = []
for serial, status, _, _ in read(final_file):
    if serial in keyed and status != 201:
        unanswered.append(f"{serial}: the retry with its key answered {status}")
if unanswered:
    problems.append(f"{len(unanswered)} keyed cards lost their answer: " + "; ".join(unanswered[:5]))

for serial, policy_no in policy_of.items():
    row = con.execute("SELECT c.status, p.policy_no FROM cards c LEFT JOIN policies p ON p.id = c.policy_id WHERE c.serial = ?", (serial,)).fetchone()
    if row is None or row[0] != "activated" or row[1] != policy_no:
        problems.append(f"{serial}: answered 201 with {policy_no} but the database has {row}")
dupes = con.execute("SELECT card_serial, COUNT(*) FROM policies WHERE card_serial IS NOT NULL GROUP BY card_serial HAVING COUNT(*) > 1").fetchall()
if dupes:
    problems.append(f"cards with two policies: {dupes[:5]}")
orphans = con.execute("SELECT COUNT(*) FROM cards c WHERE c.status = 'activated' AND NOT EXISTS (SELECT 1 FROM policies p WHERE p.card_serial = c.serial)").fetchone()[0]
if orphans:
    problems.append(f"{orphans} activated cards without a policy")
audits = dict(con.execute("SELECT object_id, COUNT(*) FROM audit_events WHERE action = 'card.activate' GROUP BY object_id").fetchall())
twice = [s for s, n in audits.items() if n != 1]
if twice:
    problems.append(f"cards with several activation audit records: {twice[:5]}")
debit, credit = con.execute("SELECT COALESCE(SUM(debit_fen),0), COALESCE(SUM(credit_fen),0) FROM journal_lines").fetchone()
if debit != credit:
    problems.append(f"ledger does not balance: debit {debit} credit {credit}")
activated = con.execute("SELECT COUNT(*) FROM cards WHERE status = 'activated'").fetchone()[0]
if activated != len(serials):
    problems.append(f"only {activated} of {len(serials)} cards activated after the final round")
if len(audits) != activated:
    problems.append(f"{len(audits)} cards with an activation audit record, {activated} activated")
stored = 0
for serial in sorted(keyed):
    key = con.execute("SELECT state, status, response_body FROM idempotency_keys WHERE key = ?", ("act-" + serial,)).fetchone()
    policy = con.execute("SELECT p.policy_no FROM cards c JOIN policies p ON p.id = c.policy_id WHERE c.serial = ?", (serial,)).fetchone()
    if key is None or key[0] != "done":
        problems.append(f"{serial}: no answer stored for its key ({key[0] if key else 'no row'}; policy {policy})")
        continue
    answer = json.loads(base64.b64decode(key[2]))
    if key[1] != 201 or policy is None or answer.get("policy_no") != policy[0]:
        problems.append(f"{serial}: the stored answer ({key[1]}, {answer.get('policy_no')}) is not its policy {policy}")
    stored += 1
if problems:
    print("\n".join(problems[:20]))
    if len(problems) > 20:
        print(f"... and {len(problems) - 20} more")
    print(f"FAIL: {len(problems)} problems"); sys.exit(1)
print(f"crash test: {sum(fresh.values())} activations answered 201, all durable; {activated} cards activated, "
      f"one policy and one audit record each; {stored} keyed cards, each retried with its key and "
      f"answered its one policy; ledger balanced ({debit} fen)")
PY
"$anxin" audit verify
echo "1 passed, 0 failed"
