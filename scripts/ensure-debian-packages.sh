#!/usr/bin/env bash
# Installs Debian packages for the real tools the tests drive (promtool, amtool,
# prometheus, node-exporter, chromium), but only when the command is missing, so
# a warm machine pays nothing. Usage: ensure-debian-packages.sh CMD[|ALT...]=PKG ...
# (any of the alternative commands being present counts, e.g. chromium|google-chrome).
set -euo pipefail
missing=()
for pair in "$@"; do
  cmds=${pair%%=*}; pkg=${pair#*=}
  found=""
  for cmd in ${cmds//|/ }; do command -v "$cmd" >/dev/null 2>&1 && found=1 && break; done
  [ -n "$found" ] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "error: need Debian packages ${missing[*]}; run as root: apt-get install ${missing[*]}" >&2
    exit 2
  fi
else SUDO=""; fi
echo "installing Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Wait for a concurrent apt/dpkg (another make test, unattended-upgrades) instead of failing at once.
LOCK=(-o DPkg::Lock::Timeout=300)
$SUDO apt-get "${LOCK[@]}" update -qq >/dev/null
$SUDO apt-get "${LOCK[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
