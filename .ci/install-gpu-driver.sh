#!/usr/bin/env bash
# Installs a CPU Vulkan driver (Mesa's lavapipe) so that mssi's WebGPU backend
# (Dawn, npm `webgpu`) finds an adapter on a machine without a GPU.
#
# Why backports: Dawn rejects Debian 12's Mesa 22.3 lavapipe (requestAdapter()
# returns null); Mesa 25 from bookworm-backports is accepted. On a non-Debian
# system, or without root, this does nothing harmful: it says what to install.
#
# Idempotent and non-interactive: safe to run on every CI job.
set -euo pipefail

log() { printf 'install-gpu-driver: %s\n' "$*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=(sudo -n); else
    log "not root and no sudo: install mesa-vulkan-drivers (Mesa >= 24) and libvulkan1 by hand"; exit 1
  fi
else
  SUDO=()
fi

if [ ! -r /etc/os-release ]; then log "no /etc/os-release: unknown system, nothing done"; exit 1; fi
. /etc/os-release
export DEBIAN_FRONTEND=noninteractive

# Already done? (lavapipe's ICD file, from a Mesa new enough for Dawn)
mesa_version() { dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || true; }
have_driver() {
  local v; v="$(mesa_version)"
  [ -n "$v" ] && dpkg --compare-versions "$v" ge 24 && ls /usr/share/vulkan/icd.d/lvp_icd*.json >/dev/null 2>&1 \
    && dpkg-query -W -f='${Status}' libvulkan1 2>/dev/null | grep -q 'ok installed'
}
if have_driver; then log "lavapipe $(mesa_version) already installed"; exit 0; fi

case "${ID:-}:${VERSION_CODENAME:-}" in
  debian:bookworm)
    suite=bookworm-backports
    if ! grep -rqs "$suite" /etc/apt/sources.list /etc/apt/sources.list.d/; then
      log "enabling $suite"
      "${SUDO[@]}" tee /etc/apt/sources.list.d/mssi-bookworm-backports.sources >/dev/null <<SRC
Types: deb
URIs: http://deb.debian.org/debian
Suites: $suite
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    fi
    "${SUDO[@]}" apt-get update -qq
    "${SUDO[@]}" apt-get install -y -qq --no-install-recommends -t "$suite" mesa-vulkan-drivers libvulkan1
    ;;
  debian:* | ubuntu:*)
    # Newer releases ship a Mesa that Dawn accepts.
    "${SUDO[@]}" apt-get update -qq
    "${SUDO[@]}" apt-get install -y -qq --no-install-recommends mesa-vulkan-drivers libvulkan1
    ;;
  *)
    log "unsupported system ${PRETTY_NAME:-?}: install Mesa's lavapipe (mesa-vulkan-drivers) >= 24 and the Vulkan loader"
    exit 1
    ;;
esac

if have_driver; then log "installed lavapipe $(mesa_version)"; else
  log "mesa-vulkan-drivers $(mesa_version) installed, but it is not the Mesa >= 24 lavapipe Dawn needs"; exit 1
fi
