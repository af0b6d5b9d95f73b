#!/usr/bin/env bash
# axe-core (npm), the accessibility engine the browser tests inject into pages (WCAG 2.1 A and AA rules).
# Installed into .cache/node once; without node/npm it says so and the accessibility tests skip (fail in CI).
set -euo pipefail
cd "$(dirname "$0")/.."
version=4.14.1
target=.cache/node
if [ -f "$target/node_modules/axe-core/axe.min.js" ] && grep -q "\"version\": \"$version\"" "$target/node_modules/axe-core/package.json"; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "npm is not installed: the accessibility checks of the browser tests will be skipped." >&2
  exit 0
fi
echo "Installing axe-core $version for the accessibility tests…"
mkdir -p "$target"
npm install --silent --no-audit --no-fund --no-save --prefix "$target" "axe-core@$version" >/dev/null
