#!/usr/bin/env bash
# Installs what the tests need from Debian: Chromium (Playwright drives it; it never downloads a
# browser of its own), where the Electron binary is present Xvfb for its window, and Mesa's EGL
# and OpenGL ES (llvmpipe), the software adapter the webgpu backend's tests run on where there
# is no GPU. Without Mesa those tests skip saying why, so a non-root user is only told.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
if [ -f node_modules/electron/path.txt ] && ! command -v xvfb-run >/dev/null; then need+=(xvfb xauth); fi
mesa=()
if command -v dpkg-query >/dev/null; then
  for pkg in libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || mesa+=("$pkg")
  done
fi
[ ${#need[@]} -eq 0 ] && [ ${#mesa[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  if [ ${#mesa[@]} -gt 0 ]; then
    echo "The webgpu tests will skip: no software GPU adapter. Install it with: sudo apt-get install -y ${mesa[*]}" >&2
  fi
  if [ ${#need[@]} -gt 0 ]; then
    echo "The end-to-end tests need: ${need[*]}. Install them with: sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
  exit 0
fi
all=("${need[@]}" "${mesa[@]}")
echo "Installing ${all[*]} from Debian…" >&2
export DEBIAN_FRONTEND=noninteractive
# another apt (an unattended upgrade, a second install) may hold dpkg's lock: wait for it
# (DPkg::Lock::Timeout), and try the whole step again a few times if it still fails
for attempt in 1 2 3 4 5; do
  if apt-get -o DPkg::Lock::Timeout=120 update -qq >/dev/null &&
    apt-get -o DPkg::Lock::Timeout=120 install -y -qq --no-install-recommends "${all[@]}" >/dev/null; then
    exit 0
  fi
  echo "apt-get failed (attempt $attempt of 5); trying again in 15 s…" >&2
  sleep 15
done
echo "Could not install ${all[*]} from Debian; see apt-get's messages above." >&2
exit 1
