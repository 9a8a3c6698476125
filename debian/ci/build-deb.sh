#!/bin/sh
# build-deb.sh OUT CACHE -- build the warmboot .deb with
# `dpkg-buildpackage -b -us -uc` in a copy of the work tree (tracked and
# untracked, not ignored files: whatever mkinitramfs-hooks/ and scripts/
# hold now), so that `debian/rules clean` never touches the tree others
# build and test in.  The copy keeps modification times, and CACHE is the
# project's: the musl sysroot there stays up to date and is reused.
# Leaves OUT/warmboot_*.deb, .buildinfo, .changes and OUT/build.log.
set -eu
out=${1:?usage: build-deb.sh OUT CACHE}
cache=${2:?usage: build-deb.sh OUT CACHE}
top=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -rf "$out/src" "$out"/warmboot_*
mkdir -p "$out/src/warmboot"
cd "$top"
git ls-files -z -co --exclude-standard |
	xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
	tar --null -T - -cf - | tar -xf - -C "$out/src/warmboot"
cd "$out/src/warmboot"
start=$(date +%s)
if ! CACHE=$cache dpkg-buildpackage -b -us -uc >"$out/build.log" 2>&1; then
	tail -n 40 "$out/build.log" >&2
	echo "build-deb: fatal: dpkg-buildpackage failed, see $out/build.log" >&2
	exit 1
fi
mv "$out/src"/warmboot_* "$out/"
rm -rf "$out/src"
echo "build-deb: $(ls "$out"/warmboot_*.deb) in $(( $(date +%s) - start ))s" >&2
