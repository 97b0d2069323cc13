#!/usr/bin/env bash
# Installs the Debian packages Anxin needs to build, test and run. Idempotent: installs only what
# is missing, through apt-get (with sudo when not root). Nothing is downloaded from anywhere else.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ccache lld
  clang-format clang-tidy
  libboost-dev nlohmann-json3-dev libsqlite3-dev sqlite3 libpq-dev
  libsodium-dev libspdlog-dev libfmt-dev libcli11-dev libcurl4-openssl-dev
  libgtest-dev libgmock-dev
  libhpdf-dev fonts-arphic-uming poppler-utils poppler-data
  libgoogle-perftools-dev
  postgresql postgresql-contrib
  wrk curl
  chromium
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  sudo_cmd=()
else
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
