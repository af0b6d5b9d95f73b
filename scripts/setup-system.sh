#!/usr/bin/env bash
# System packages the test suite uses: Debian's Chromium for the browser tests.
# Run as root (CI does); elsewhere it says what to install and carries on.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || true
  apt-get install -y -qq --no-install-recommends chromium >/dev/null
  chromium --version
else
  echo "Chromium is not installed: the browser tests will be skipped. Install it with 'sudo apt-get install chromium'." >&2
fi
