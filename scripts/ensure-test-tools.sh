#!/usr/bin/env bash
# Installs what the end-to-end tests need from Debian: Chromium (Playwright drives it; it never
# downloads a browser of its own) and, where the Electron binary is present, Xvfb for its window.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
if [ -f node_modules/electron/path.txt ] && ! command -v xvfb-run >/dev/null; then need+=(xvfb xauth); fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "The end-to-end tests need: ${need[*]}. Install them with: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "Installing ${need[*]} from Debian…" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
