#!/usr/bin/env bash
# Makes sure the real tools the tests run are installed: promtool, prometheus, amtool and
# prometheus-alertmanager (Debian's names), and Chromium for the sandbox report's browser test
# (driven by playwright-core, which downloads no browser).
# On Debian/Ubuntu it installs them with apt-get (as root, or through sudo); elsewhere it stops
# with the exact instructions. Tests never skip for a missing binary.
set -euo pipefail

have_all() {
  command -v promtool >/dev/null && command -v prometheus >/dev/null && command -v amtool >/dev/null &&
    { command -v prometheus-alertmanager >/dev/null || command -v alertmanager >/dev/null; } &&
    { command -v chromium >/dev/null || [ -x /usr/bin/chromium ]; }
}

if have_all; then
  exit 0
fi

if [ -r /etc/os-release ] && grep -qiE '^(ID|ID_LIKE)=.*(debian|ubuntu)' /etc/os-release; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then SUDO="sudo"; else
      echo "prometheus/alertmanager/chromium are missing and this user cannot install them." >&2
      echo "Run as root: apt-get update && apt-get install -y --no-install-recommends prometheus prometheus-alertmanager chromium" >&2
      exit 1
    fi
  fi
  echo "Installing Debian's prometheus, prometheus-alertmanager and chromium (needed by the tests)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends prometheus prometheus-alertmanager chromium >/dev/null
  have_all && exit 0
  echo "apt-get finished but promtool/amtool/chromium are still missing" >&2
  exit 1
fi

cat >&2 <<'MSG'
The tests run the real promtool, prometheus, amtool, alertmanager and Chromium, which are not installed.
Install them, then run the tests again:
  Debian/Ubuntu: apt-get install -y --no-install-recommends prometheus prometheus-alertmanager chromium
  macOS (Homebrew): brew install prometheus alertmanager; brew install --cask chromium
  Other: download prometheus-*.tar.gz and alertmanager-*.tar.gz from https://prometheus.io/download/
         and put promtool, prometheus, amtool and alertmanager on PATH.
MSG
exit 1
