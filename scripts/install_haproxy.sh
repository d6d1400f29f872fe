#!/usr/bin/env bash
# `make run-prod` and the load tests put Debian's HAProxy in front of the Rasa processes.
# Installs it when missing and we may (root with apt-get); otherwise says how.
set -euo pipefail
if command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "==> installing Debian's haproxy for the production topology"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q haproxy >/dev/null \
    || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q haproxy >/dev/null; }
else
  echo "warning: haproxy is missing; install Debian's 'haproxy' package (sudo apt-get install haproxy)." >&2
fi
