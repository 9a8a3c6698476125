#!/bin/sh
# modules-callgrind.sh ROOT KVER -- instructions (valgrind callgrind) to
# resolve the RAID set as a dry run: warmboot modules -n vs kmod's
# modprobe -n -v -a, against ROOT/lib/modules/KVER. Both print the same lines
# (checked); a second run each reports the indexes warm in the page cache.
set -eu
root=${1:?usage: modules-callgrind.sh ROOT KVER}
kver=${2:?usage: modules-callgrind.sh ROOT KVER}
here=$(cd "$(dirname "$0")/.." && pwd)
wb=${WB:-$here/helper/warmboot}
set="raid0 raid1 raid10 raid456 linear"
dir=$root/lib/modules/$kver
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$wb" modules -n --dir "$dir" $set >"$tmp/wb"
modprobe -n -v -a -d "$root" -S "$kver" $set >"$tmp/mp"
cmp -s "$tmp/wb" "$tmp/mp" || { echo "outputs differ:"; diff "$tmp/mp" "$tmp/wb"; exit 1; }

# instr CMD... -- instructions callgrind collected (whole program).
instr() {
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" \
		2>&1 >/dev/null | sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'
}

w=$(instr "$wb" modules -n --dir "$dir" $set)
m=$(instr modprobe -n -v -a -d "$root" -S "$kver" $set)
printf 'resolve %s (%s lines)\n' "$set" "$(wc -l <"$tmp/wb")"
printf '  warmboot modules -n   %12s instructions  (static musl, %s)\n' "$w" "$(basename "$wb")"
printf '  modprobe -n -v -a     %12s instructions  (kmod %s, glibc, dynamic)\n' "$m" \
	"$(modprobe --version | sed -n 's/^kmod version //p')"
awk -v w="$w" -v m="$m" 'BEGIN { printf "  ratio warmboot/modprobe %.2f\n", w / m }'
