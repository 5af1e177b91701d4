#!/usr/bin/env bash
# Create .venv with a Python >= 3.12 and install zhifa into it (with --test: the test extra too).
set -eu
cd "$(dirname "$0")/.."
extra=""
[ "${1:-}" = "--test" ] && extra="[test]"
scripts/system-deps.sh ${1:-}
venv=${ZHIFA_VENV:-.venv}
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import sys' >/dev/null 2>&1; then
  python=$(scripts/find-python.sh)
  echo "creating $venv with $python"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --upgrade pip
fi
stamp="$venv/.zhifa-installed$extra"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  "$venv/bin/python" -m pip install -q --disable-pip-version-check -e ".$extra"
  touch "$stamp"
fi
