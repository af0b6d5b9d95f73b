#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter (Rasa 3.6 needs >=3.8,<3.11; this project uses 3.10).
# Order: $PYTHON if set, python3.10 on PATH, pyenv's 3.10.x. Fails with a message saying what to install.
set -euo pipefail

is_310() { "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' 2>/dev/null; }

if [ -n "${PYTHON:-}" ]; then
  if is_310 "$PYTHON"; then echo "$PYTHON"; exit 0; fi
  echo "PYTHON=$PYTHON is not a working Python 3.10 interpreter." >&2
  exit 1
fi
if command -v python3.10 >/dev/null 2>&1; then
  candidate=$(command -v python3.10)
  if is_310 "$candidate"; then echo "$candidate"; exit 0; fi
  # (a pyenv shim without 3.10 selected fails this check; pyenv is tried next)
fi
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for v in $(ls "$root/versions" 2>/dev/null | grep -E '^3\.10\.' | sort -V -r); do
    if is_310 "$root/versions/$v/bin/python"; then echo "$root/versions/$v/bin/python"; exit 0; fi
  done
fi
for p in /usr/bin/python3.10 /usr/local/bin/python3.10 /opt/homebrew/bin/python3.10; do
  if [ -x "$p" ] && is_310 "$p"; then echo "$p"; exit 0; fi
done
cat >&2 <<'MSG'
Python 3.10 was not found. Rasa Open Source 3.6 runs only on Python 3.8-3.10.
Install Python 3.10 (for example `pyenv install 3.10.13`, `apt-get install python3.10 python3.10-venv`,
or `brew install python@3.10`), or point PYTHON at one: `make run PYTHON=/path/to/python3.10`.
MSG
exit 1
