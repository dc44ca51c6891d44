#!/usr/bin/env bash
# Checks the packages scripts/package.sh wrote into OUTDIR, as an installer would find them:
# the Linux archive holds the binary, the desktop entry and the icon, its Makefile installs them,
# and the binary runs and prints FyneApp.toml's version; the Windows .exe is a 64-bit GUI
# executable that carries its icon and version resource (read by scripts/peresources.go).
# Usage: scripts/check-packages.sh OUTDIR
set -euo pipefail
if [ $# -ne 1 ]; then echo "usage: scripts/check-packages.sh OUTDIR" >&2; exit 2; fi
out=$(cd "$1" && pwd)
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
version=$(sed -n 's/^[[:space:]]*Version[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' FyneApp.toml | head -n 1)
build=$(sed -n 's/^[[:space:]]*Build[[:space:]]*=[[:space:]]*\([0-9]*\).*/\1/p' FyneApp.toml | head -n 1)
name=$(sed -n 's/^[[:space:]]*Name[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' FyneApp.toml | head -n 1)
id=$(sed -n 's/^[[:space:]]*ID[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' FyneApp.toml | head -n 1)
work=$(mktemp -d "${TMPDIR:-/tmp}/till-check-packages.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM # so that the EXIT trap cleans up when the build is stopped
failed=0
fail() { echo "check-packages: FAIL: $*"; failed=1; }
pass() { echo "check-packages: ok: $*"; }

tarball="$out/$name-$version-linux-amd64.tar.xz"
if [ ! -f "$tarball" ]; then
  fail "$tarball is missing"
else
  listing=$(tar -tJf "$tarball")
  # fyne puts the files under usr/local when the building machine has /usr/local, else usr.
  for f in "bin/till" "share/applications/$id.desktop" "share/pixmaps/$id.png"; do
    if grep -Eq "^till/usr/(local/)?$f\$" <<<"$listing"; then pass "the archive holds $f"; else fail "the archive lacks $f"; fi
  done
  grep -qx "till/Makefile" <<<"$listing" && pass "the archive holds its Makefile" || fail "the archive lacks its Makefile"

  tar -xJf "$tarball" -C "$work"
  desktop=$(find "$work/till/usr" -name "$id.desktop" | head -n 1)
  for line in "Name=$name" "Exec=till" "Icon=$id" "Type=Application"; do
    if grep -qx "$line" "$desktop"; then pass "desktop entry: $line"; else fail "the desktop entry lacks $line"; fi
  done
  icon=$(find "$work/till/usr" -name "$id.png" | head -n 1)
  if cmp -s "$icon" assets/icon.png; then pass "the icon is assets/icon.png"; else fail "the packaged icon is not assets/icon.png"; fi

  # `sudo make install`, into a staging root instead of /.
  if make -s -C "$work/till" install DESTDIR="$work/root" >"$work/make.log" 2>&1; then
    bin=$(find "$work/root" -path '*/bin/till' -type f | head -n 1)
    if [ -n "$bin" ] && [ -x "$bin" ] && [ -n "$(find "$work/root" -name "$id.desktop")" ] && [ -n "$(find "$work/root" -name "$id.png")" ]; then
      pass "make install puts the binary, the desktop entry and the icon in place"
      file -b "$bin" | grep -q "ELF 64-bit LSB .*x86-64" && pass "the binary is x86-64 ELF" || fail "the binary is $(file -b "$bin")"
      got=$("$bin" version 2>&1 || true)
      if [ "$got" = "$version" ]; then pass "till version prints $version"; else fail "till version printed '$got', want '$version'"; fi
    else
      fail "make install left: $(cd "$work/root" && find . -type f)"
    fi
  else
    fail "make install failed: $(cat "$work/make.log")"
  fi
fi

exe="$out/$name-$version-windows-amd64.exe"
if [ ! -f "$exe" ]; then
  fail "$exe is missing"
else
  kind=$(file -b "$exe")
  if grep -q "^PE32+ executable (GUI) x86-64.*MS Windows" <<<"$kind"; then pass "the .exe is $kind"; else fail "the .exe is $kind, want a PE32+ x86-64 GUI executable"; fi
  # fyne's resource object: the icon, the manifest and a version block naming the app and
  # FyneApp.toml's version.build, in UTF-16 as Windows' Properties dialog reads it.
  pe=$(go run scripts/peresources.go "$exe")
  for line in "machine amd64" "subsystem gui" "resource icon" "resource group-icon" "resource version" "resource manifest"; do
    if grep -qx "$line" <<<"$pe"; then pass "the .exe: $line"; else fail "the .exe lacks $line (it has: $(tr '\n' ' ' <<<"$pe"))"; fi
  done
  strings=$(strings -e l "$exe")
  for s in "ProductName" "$name" "ProductVersion" "$version.$build"; do
    if grep -qx "$s" <<<"$strings"; then pass "the .exe's version resource holds $s"; else fail "the .exe's version resource lacks $s"; fi
  done
fi

if ((failed)); then echo "check-packages: the packages in $out are not right"; exit 1; fi
echo "check-packages: both packages are right"
