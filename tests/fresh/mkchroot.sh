#!/bin/sh
# mkchroot.sh DIR TOP -- a fresh Debian bookworm system in DIR/root for
# tests/fresh/run.sh: mmdebstrap variant minbase from the host's apt sources
# (read, not changed), plus exactly the packages that TOP's apt-packages
# lists name, found and read as tests/install-deps.sh finds and reads them
# (no Recommends).  DIR/packages lists them; DIR/stamp is written last and
# makes re-runs no-ops.  The caller names DIR by a hash of the lists and of
# this script, so changing either builds a new system.  Cold: ~2 min.
set -eu
dir=${1:?usage: mkchroot.sh DIR TOP}
top=${2:?usage: mkchroot.sh DIR TOP}
[ -f "$dir/stamp" ] && exit 0
say() { printf 'fresh: %s\n' "$*" >&2; }
die() { printf 'fresh: fatal: %s\n' "$*" >&2; exit 1; }
command -v mmdebstrap >/dev/null || die "mmdebstrap missing (tests/fresh/apt-packages)"

lists=$(find "$top/.ci" "$top/deps" "$top/tests" "$top/debian" -maxdepth 2 \
	-name '*apt-packages' 2>/dev/null | sort)
[ -n "$lists" ] || die "no apt-packages lists in $top"
# shellcheck disable=SC2086
pkgs=$(cat $lists | sed 's/#.*//' | tr -s ' \t' '\n' | sed '/^$/d' | sort -u)

rm -rf "$dir"
mkdir -p "$dir"
sources=/etc/apt/sources.list.d/debian.sources
[ -f "$sources" ] || sources=/etc/apt/sources.list
say "mmdebstrap bookworm minbase + $(echo "$pkgs" | wc -l) packages into $dir/root"
t0=$(date +%s)
# No initramfs for a kernel while installing (there is none; INITRD=No all
# the same, as tests/initramfs/mkchroot.sh does).
INITRD=No mmdebstrap --mode=root --variant=minbase \
	--include="$(echo "$pkgs" | paste -sd, -)" \
	--aptopt='APT::Install-Recommends "false"' \
	bookworm "$dir/root" "$sources" </dev/null >"$dir/mmdebstrap.log" 2>&1 ||
	{ tail -n 30 "$dir/mmdebstrap.log" >&2; die "mmdebstrap failed, see $dir/mmdebstrap.log"; }
echo "$pkgs" >"$dir/packages"
date -u +%FT%TZ >"$dir/stamp"
say "system ready in $(($(date +%s) - t0))s"
