#!/usr/bin/env bash
# The page tests drive Debian's Chromium with playwright-core (npx playwright install cannot
# download browsers here). Installs the Debian package when it is missing and we may (root).
set -euo pipefail
CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$CHROMIUM_PATH" ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "ensure-chromium: no Chromium at $CHROMIUM_PATH; install the Debian package chromium (as root) or set CHROMIUM_PATH" >&2
  exit 1
fi
echo "== installing Chromium (Debian package chromium) for the page tests"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends chromium >/dev/null 2>&1 || {
  apt-get update >/dev/null
  apt-get install -y --no-install-recommends chromium >/dev/null
}
"$CHROMIUM_PATH" --version
