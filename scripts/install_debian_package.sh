#!/usr/bin/env bash
# Installs a Debian package the project runs (never a downloaded copy) when its program is
# missing and we may (root with apt-get); otherwise says how.
#   usage: scripts/install_debian_package.sh PROGRAM PACKAGE "WHAT IT IS FOR"
# `make test` uses it for chromium (the browser tests) and haproxy (the production topology).
set -euo pipefail
program=$1 package=$2 purpose=$3
if [ -x "$program" ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "==> installing Debian's $package for $purpose"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$package" >/dev/null \
    || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$package" >/dev/null; }
else
  echo "warning: $program is missing; install Debian's '$package' package" >&2
  echo "         (sudo apt-get install $package), needed for $purpose." >&2
fi
