# Shared helpers for the crash and multi-node tests (sourced).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# wait_ready PORT: waits up to 30 s for /healthz.
wait_ready() {
  for _ in $(seq 1 300); do
    curl -fsS "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "server on port $1 did not come up" >&2
  return 1
}

# api_token PORT LOGIN: prints a bearer token for a demo account.
api_token() {
  curl -fsS -H 'Content-Type: application/json' \
    -d "{\"login\":\"$2\",\"password\":\"Anxin-demo-2026\"}" "http://127.0.0.1:$1/api/v1/sessions" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
