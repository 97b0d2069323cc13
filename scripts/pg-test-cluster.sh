#!/usr/bin/env bash
# Starts or stops the throwaway PostgreSQL 15 cluster the store tests use.
#
#   pg-test-cluster.sh start <dir> <port>   initdb (once) and start a cluster on 127.0.0.1:<port> with
#                                           superuser "anxin" (trust auth) and database anxin_test.
#                                           Idempotent: a cluster already running there is reused.
#   pg-test-cluster.sh stop <dir> <port>    forget <dir>; when no other user is left, stop the
#                                           cluster and delete its data.
#
# The data always lives in /tmp/anxin-pg-<port> (the postgres system user, which runs the server
# when we are root, may not be able to enter <dir>). <dir> only records that this build uses the
# cluster: several build directories may share one cluster, and the last to stop removes it.
# Durability settings stay at their safe defaults (fsync on, synchronous_commit on).
set -euo pipefail

usage() { echo "usage: $0 start|stop <dir> <port>" >&2; exit 2; }
[[ $# -eq 3 ]] || usage
action=$1
marker_dir=$2
port=$3
[[ $port =~ ^[0-9]+$ ]] || usage

bin=/usr/lib/postgresql/15/bin
data=/tmp/anxin-pg-$port
users=/tmp/anxin-pg-$port.users
lock=/tmp/anxin-pg-$port.lock
log=/tmp/anxin-pg-$port.log
marker_name=$(printf '%s' "$marker_dir" | tr -c 'A-Za-z0-9._-' '_')

say() { echo "pg-test-cluster: $*"; }

# Runs a command as the owner of the cluster: the postgres system user when we are root. The lock
# descriptor is closed so that the server does not hold the lock after we exit.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    (cd /tmp && runuser -u postgres -- "$@" 9>&-)
  else
    (cd /tmp && "$@" 9>&-)
  fi
}

running() { "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -t 2 >/dev/null 2>&1; }

psql_admin() { "$bin/psql" -X -q -h 127.0.0.1 -p "$port" -U anxin -d postgres -v ON_ERROR_STOP=1 "$@"; }

ensure_database() {
  if [[ $(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = 'anxin_test'") != 1 ]]; then
    say "creating database anxin_test"
    psql_admin -c "CREATE DATABASE anxin_test" || [[ $(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = 'anxin_test'") == 1 ]]
  fi
}

start() {
  mkdir -p "$users" "$marker_dir"
  chmod 1777 "$users" 2>/dev/null || true
  touch "$users/$marker_name"
  echo "$data" >"$marker_dir/data-dir"
  if running; then
    say "reusing the cluster already running on 127.0.0.1:$port ($data)"
    ensure_database
    return
  fi
  if [[ ! -f $data/PG_VERSION ]]; then
    say "initialising a new cluster in $data"
    rm -rf "$data"
    mkdir -p "$data"
    chmod 700 "$data"
    [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$data"
    as_owner "$bin/initdb" -D "$data" --auth=trust -U anxin -E UTF8 --no-locale >"$log" 2>&1 || {
      cat "$log" >&2
      exit 1
    }
    cat >>"$data/postgresql.conf" <<CONF
# Set by scripts/pg-test-cluster.sh
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$data'
fsync = on
synchronous_commit = on
full_page_writes = on
max_connections = 200
CONF
  fi
  [[ $(id -u) -eq 0 ]] && touch "$log" && chown postgres:postgres "$log"
  say "starting PostgreSQL on 127.0.0.1:$port (log $log)"
  if ! as_owner "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null; then
    if running; then
      say "another start won the race; reusing it"
    else
      cat "$log" >&2
      exit 1
    fi
  fi
  for _ in $(seq 1 60); do
    running && break
    sleep 0.5
  done
  running || { say "server did not become ready"; exit 1; }
  ensure_database
  say "ready: postgresql://anxin@127.0.0.1:$port/anxin_test"
}

stop() {
  rm -f "$users/$marker_name"
  rm -rf "$marker_dir"
  if [[ -d $users ]] && [[ -n $(ls -A "$users") ]]; then
    say "leaving the cluster on port $port running for its other users: $(ls "$users" | tr '\n' ' ')"
    return
  fi
  if [[ -f $data/PG_VERSION ]]; then
    say "stopping the cluster on port $port (immediate: its data is deleted next)"
    as_owner "$bin/pg_ctl" -D "$data" -m immediate -w -t 60 stop >/dev/null 2>&1 || true
  fi
  say "removing $data"
  rm -rf "$data" "$users" "$log"
}

# One start or stop at a time per port, across build directories.
exec 9>"$lock"
flock -w 120 9

case $action in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
