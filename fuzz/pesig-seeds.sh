#!/bin/sh
# pesig-seeds.sh VMLINUZ DIR -- seeds for fuzz_pesig from a signed kernel:
# its certificate table (the WIN_CERTIFICATE), its PE head, and the head of
# a copy stripped of the signature (certificate table entry zeroed).
set -eu
img=$1 dir=$2
mkdir -p "$dir"
u32() { od -An -tu4 -j"$1" -N4 "$img" | tr -d ' '; }
pe=$(u32 60)
entry=$((pe + 24 + 112 + 32))	# PE32+ data directory 4
off=$(u32 $entry) size=$(u32 $((entry + 4)))
[ "$size" -gt 0 ] || { echo "pesig-seeds.sh: $img is not signed" >&2; exit 1; }
tail -c +$((off + 1)) "$img" | head -c "$size" >"$dir/table"
head -c 4096 "$img" >"$dir/head-signed"
cp "$dir/head-signed" "$dir/head-stripped"
dd if=/dev/zero of="$dir/head-stripped" bs=1 seek=$entry count=8 conv=notrunc 2>/dev/null
# the head with its table right behind it, the entry pointing there
{ cat "$dir/head-signed" "$dir/table"; } >"$dir/head-table"
printf '\000\020\000\000' | dd of="$dir/head-table" bs=1 seek=$entry count=4 conv=notrunc 2>/dev/null
