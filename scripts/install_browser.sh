#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (never a downloaded browser). Installs it
# when missing and we may (root with apt-get); otherwise says how.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "==> installing Debian's chromium for the browser tests"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null \
    || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }
else
  echo "warning: /usr/bin/chromium is missing; install Debian's 'chromium' package" >&2
  echo "         (sudo apt-get install chromium) or the browser tests will be skipped." >&2
fi
