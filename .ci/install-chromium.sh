#!/usr/bin/env bash
# Installs Debian's Chromium for the browser test of the HTML report
# (test/report/html/browser.test.ts opens the report headless and screenshots it).
# On a non-Debian system, or without root, this does nothing harmful: it says what
# to install (the test then skips, except with CI=true, where it fails).
#
# Idempotent and non-interactive: safe to run on every CI job.
set -euo pipefail

log() { printf 'install-chromium: %s\n' "$*" >&2; }

have_chromium() { command -v chromium >/dev/null 2>&1 && chromium --version >/dev/null 2>&1; }
if have_chromium; then log "$(chromium --version 2>/dev/null) already installed"; exit 0; fi

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=(sudo -n); else
    log "not root and no sudo: install Chromium by hand (Debian/Ubuntu: apt-get install chromium)"; exit 1
  fi
else
  SUDO=()
fi

if [ ! -r /etc/os-release ]; then log "no /etc/os-release: unknown system, nothing done"; exit 1; fi
. /etc/os-release
export DEBIAN_FRONTEND=noninteractive

case "${ID:-}" in
  debian | ubuntu)
    "${SUDO[@]}" apt-get update -qq
    "${SUDO[@]}" apt-get install -y -qq --no-install-recommends chromium
    ;;
  *)
    log "unsupported system ${PRETTY_NAME:-?}: install Chromium and put it on PATH (or set MSSI_CHROMIUM)"
    exit 1
    ;;
esac

if have_chromium; then log "installed $(chromium --version 2>/dev/null)"; else
  log "the chromium package is installed but 'chromium --version' fails"; exit 1
fi
