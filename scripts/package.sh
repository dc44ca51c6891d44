#!/usr/bin/env bash
# Builds the till's packages into OUTDIR (created when missing):
#   Cassa-VERSION-linux-amd64.tar.xz   `fyne package -os linux`: the binary, the icon, the desktop
#                                      entry and a Makefile for `sudo make install`
#   Cassa-VERSION-windows-amd64.exe    `fyne package -os windows`, cross-built with mingw-w64: a
#                                      GUI executable with the icon and version resource inside
# Name, app id, version and icon come from FyneApp.toml; the version is also the one that
# `till version` prints. Installs what is missing first (scripts/deps.sh --package), so it works on
# a fresh Debian machine. Usage: scripts/package.sh OUTDIR [linux] [windows]  (default: both)
set -euo pipefail
if [ $# -lt 1 ] || [ -z "$1" ]; then
  echo "usage: scripts/package.sh OUTDIR [linux] [windows]" >&2
  exit 2
fi
mkdir -p "$1"
out=$(cd "$1" && pwd)
shift
targets=("$@")
if ((${#targets[@]} == 0)); then targets=(linux windows); fi
for t in "${targets[@]}"; do
  case "$t" in linux | windows) ;; *) echo "package: unknown target $t (linux, windows)" >&2; exit 2 ;; esac
done

cd "$(dirname "$0")/.."
repo=$(pwd)
scripts/deps.sh --package
export PATH="/usr/local/go/bin:$PATH"
gobin=$(go env GOBIN)
fyne="${gobin:-$(go env GOPATH)/bin}/fyne"

# meta KEY reads one quoted value of FyneApp.toml's [Details].
meta() {
  local v
  v=$(sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*\"\([^\"]*\)\".*/\1/p" FyneApp.toml | head -n 1)
  if [ -z "$v" ]; then echo "package: FyneApp.toml has no $1" >&2; exit 1; fi
  printf '%s' "$v"
}
name=$(meta Name)
version=$(meta Version)
icon=$(meta Icon)
if [ ! -f "$icon" ]; then echo "package: FyneApp.toml's icon $icon is missing" >&2; exit 1; fi

# fyne package builds in the source folder and leaves files there while it does (its metadata
# init file, the Windows resource object, the binaries): it works on a copy, so the working tree
# and any build or test running in it are never touched. The copy holds the files git knows,
# committed or new (a clean clone is all committed).
work=$(mktemp -d "${TMPDIR:-/tmp}/till-package.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM # so that the EXIT trap cleans up when the build is stopped
src="$work/src"
mkdir -p "$src"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
    tar --null -T - -cf - | tar -xf - -C "$src"
else
  tar --exclude=./.git -cf - . | tar -xf - -C "$src"
fi

# fyne reads FyneApp.toml beside the main package (and bumps its build number there, in the copy
# only), with the icon's path relative to it.
stage_metadata() {
  sed "s|^\([[:space:]]*Icon[[:space:]]*=[[:space:]]*\"\)\([^\"]*\)\"|\1../../\2\"|" \
    "$repo/FyneApp.toml" >"$src/cmd/till/FyneApp.toml"
}

# -trimpath (--release) keeps the build cache independent of the copy's folder, so a second run
# only relinks. fyne passes GOFLAGS' -ldflags to go build: that sets the version.
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-ldflags=-X=main.version=$version"

for t in "${targets[@]}"; do
  stage_metadata
  case "$t" in
  linux)
    echo "package: building $name $version for Linux"
    (cd "$src/cmd/till" && GOOS=linux GOARCH=amd64 "$fyne" package -os linux --release)
    mv "$src/cmd/till/$name.tar.xz" "$out/$name-$version-linux-amd64.tar.xz"
    echo "package: $out/$name-$version-linux-amd64.tar.xz"
    ;;
  windows)
    echo "package: building $name $version for Windows (cross-compiled with mingw-w64)"
    (cd "$src/cmd/till" && GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc CXX=x86_64-w64-mingw32-g++ \
      "$fyne" package -os windows --release)
    mv "$src/cmd/till/$name.exe" "$out/$name-$version-windows-amd64.exe"
    echo "package: $out/$name-$version-windows-amd64.exe"
    ;;
  esac
done
