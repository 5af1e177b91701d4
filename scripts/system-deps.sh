#!/usr/bin/env bash
# Install the Debian packages zhifa needs when they are missing (as root), else print the command and stop.
#   fonts-noto-cjk, libharfbuzz-subset0: Chinese PDFs with WeasyPrint (without them ~7 s a page)
#   chromium (with --test): the browser tests
set -eu
packages="fonts-noto-cjk libharfbuzz-subset0"
[ "${1:-}" = "--test" ] && packages="$packages chromium"
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "zhifa needs these Debian/Ubuntu packages:$missing (install them with your system's package manager)" >&2
  exit 1
fi
if [ "$(id -u)" != 0 ]; then
  echo "zhifa needs Debian packages:$missing" >&2
  echo "run: sudo apt-get update && sudo apt-get install -y$missing" >&2
  exit 1
fi
echo "installing Debian packages:$missing"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
