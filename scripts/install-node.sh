#!/usr/bin/env bash
# The npm packages the project uses, installed into .cache/node once:
# - axe-core, the accessibility engine the browser tests inject into pages (WCAG 2.1 A and AA rules);
# - Chart.js, which draws the review app's charts in the browser.
# Without node/npm it says so: the accessibility tests skip (they fail in CI) and the review app's
# charts show their tables only.
set -euo pipefail
cd "$(dirname "$0")/.."
target=.cache/node
wanted=("axe-core@4.14.1" "chart.js@4.6.1")
missing=()
for pkg in "${wanted[@]}"; do
  name=${pkg%@*} version=${pkg##*@}
  if ! grep -qs "\"version\": \"$version\"" "$target/node_modules/$name/package.json"; then
    missing+=("$pkg")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v npm >/dev/null 2>&1; then
  echo "npm is not installed: the accessibility checks will be skipped and the review app draws no charts." >&2
  exit 0
fi
echo "Installing ${missing[*]} from npm…"
mkdir -p "$target"
npm install --silent --no-audit --no-fund --no-save --prefix "$target" "${wanted[@]}" >/dev/null
