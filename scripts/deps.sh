#!/usr/bin/env bash
# Installs what the till needs on Debian when it is missing: the X11/GL headers Fyne's desktop
# driver builds against, Xvfb for the headless window tests, socat, libxml2-utils (xmllint for
# FatturaPA), and the Go modules. Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# chromium drives the back office's pages in tests; postgresql is the portal's optional store.
packages=(gcc pkg-config libgl1-mesa-dev xorg-dev xvfb x11-utils xauth socat libxml2-utils chromium postgresql)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "deps: run as root: apt-get update && apt-get install -y ${missing[*]}" >&2; exit 1
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v go >/dev/null; then
  if [ -x /usr/local/go/bin/go ]; then export PATH="/usr/local/go/bin:$PATH"; else
    echo "deps: Go 1.26 or newer is required: install it from the official tarball into /usr/local/go" >&2; exit 1
  fi
fi
go mod download
