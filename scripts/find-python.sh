#!/usr/bin/env bash
# Print the path of a Python >= 3.12 that really runs: $PYTHON first, then python3.13/python3.12/python3,
# then pyenv's installed versions (their shims fail unless selected), newest first.
set -u
works() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
if [ -n "${PYTHON:-}" ]; then
  if works "$PYTHON"; then command -v "$PYTHON" || echo "$PYTHON"; exit 0; fi
  echo "PYTHON=$PYTHON is not a working Python >= 3.12" >&2; exit 1
fi
for candidate in python3.14 python3.13 python3.12 python3; do
  if command -v "$candidate" >/dev/null 2>&1 && works "$candidate"; then command -v "$candidate"; exit 0; fi
done
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for candidate in $(ls -d "$root"/versions/*/bin/python3 2>/dev/null | sort -rV); do
    if works "$candidate"; then echo "$candidate"; exit 0; fi
  done
fi
echo "no Python >= 3.12 found: install one or set PYTHON=/path/to/python3.12" >&2
exit 1
