#!/usr/bin/env bash
# The browser tests (test/browser): headless Debian Chromium driven by playwright-core, which never
# downloads a browser of its own. Installs Chromium (and a CJK font, so screenshots are legible) when
# missing, then runs jest.browser.config.js. Arguments go to jest; SCREENSHOT_DIR keeps the screenshots.
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
export CHROMIUM_PATH

apt_updated=false
apt_install() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "test-browser: missing $*; install as root: apt-get install -y $*" >&2
    exit 1
  fi
  if [ "$apt_updated" = false ]; then
    apt-get update -qq
    apt_updated=true
  fi
  echo "test-browser: installing $* (Debian)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if [ ! -x "$CHROMIUM_PATH" ]; then
  if [ "$CHROMIUM_PATH" != /usr/bin/chromium ]; then
    echo "test-browser: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable" >&2
    exit 1
  fi
  apt_install chromium fonts-wqy-microhei
elif ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  apt_install fonts-wqy-microhei
fi

"$CHROMIUM_PATH" --version 2>/dev/null || true
exec npx jest --config jest.browser.config.js "$@"
