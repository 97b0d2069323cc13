#!/usr/bin/env bash
# `make run`: migrate, load the demo data once, print the demo logins and serve on
# http://127.0.0.1:8080 with the embedded SQLite database under ./data (override with ANXIN_*).
set -euo pipefail
anxin=${1:-build/src/app/anxin}
export ANXIN_DATA_DIR=${ANXIN_DATA_DIR:-./data}
mkdir -p "$ANXIN_DATA_DIR"
"$anxin" migrate
"$anxin" seed-demo
echo
echo "Anxin is serving on http://${ANXIN_LISTEN:-127.0.0.1:8080} (Ctrl-C stops it)."
echo "  API description: http://${ANXIN_LISTEN:-127.0.0.1:8080}/openapi.json"
exec "$anxin" serve
