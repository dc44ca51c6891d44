#!/usr/bin/env bash
# Installs what the till needs on Debian when it is missing: the X11/GL headers Fyne's desktop
# driver builds against, Xvfb for the headless window tests, socat, libxml2-utils (xmllint for
# FatturaPA), and the Go modules. Safe to run again: it installs only what is missing.
# `scripts/deps.sh --package` adds what scripts/package.sh needs: the mingw-w64 cross-compiler for
# the Windows .exe, xz for the Linux archive, file, make and binutils for scripts/check-packages.sh,
# and the pinned fyne tool.
set -euo pipefail
cd "$(dirname "$0")/.."
package=false
if [ "${1:-}" = "--package" ]; then package=true; fi
# The fyne command that scripts/package.sh runs; a newer one may lay out the archive differently.
fyne_tools_version=v1.7.4

# chromium drives the back office's pages in tests; postgresql is the portal's optional store.
packages=(gcc pkg-config libgl1-mesa-dev xorg-dev xvfb x11-utils xauth socat libxml2-utils chromium postgresql)
if $package; then packages+=(gcc-mingw-w64-x86-64 xz-utils file make binutils); fi
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

if $package; then
  gobin=$(go env GOBIN)
  fyne="${gobin:-$(go env GOPATH)/bin}/fyne"
  # Read whole before grep: grep -q stopping early would kill fyne (SIGPIPE) and fail the pipe.
  installed=$("$fyne" version 2>/dev/null || true)
  if ! grep -qx "fyne cli version: $fyne_tools_version" <<<"$installed"; then
    echo "deps: installing the fyne tool $fyne_tools_version"
    # GOFLAGS may carry the till's -ldflags (scripts/package.sh): they are not the tool's.
    GOFLAGS= go install "fyne.io/tools/cmd/fyne@$fyne_tools_version"
  fi
fi
