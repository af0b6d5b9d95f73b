#!/usr/bin/env bash
# Create .venv with Python 3.10 when missing and install the pinned dependencies.
# Re-installs only when requirements.lock or pyproject.toml changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-node.sh
stamp=.venv/.installed
want=$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
if [ -x .venv/bin/python ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
if [ ! -x .venv/bin/python ]; then
  py=$(scripts/find-python.sh)
  echo "Creating .venv with $py"
  "$py" -m venv .venv
fi
start=$(date +%s)
echo "Installing pinned dependencies into .venv (first time: about 2-3 minutes, 2.9 GB)…"
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade "pip==24.0"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
# the project itself, editable, so that the `advisor` command is on .venv/bin
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
echo "$want" > "$stamp"
echo "Dependencies installed in $(( $(date +%s) - start )) s."
