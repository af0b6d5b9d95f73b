#!/usr/bin/env bash
# System packages the test suite uses: Debian's Chromium for the browser tests, and HAProxy, the load
# balancer of the cluster profile (make run-cluster) and its tests.
# Run as root (CI does); elsewhere it says what to install and carries on.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's ${missing[*]} for the tests…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || true
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  command -v chromium >/dev/null 2>&1 && chromium --version
  { command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ]; } && /usr/sbin/haproxy -v | head -n 1
else
  echo "Not installed: ${missing[*]}. The browser tests (chromium) and the cluster tests (haproxy) will be skipped." \
    "Install them with 'sudo apt-get install ${missing[*]}'." >&2
fi
