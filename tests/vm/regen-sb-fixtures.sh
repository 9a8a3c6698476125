#!/bin/sh
# regen-sb-fixtures.sh VMDIR [DEST] -- export the md metadata regions of the
# cached fixture disks (VMDIR/fixtures, made by mkfixtures.sh) as small files
# for unit tests, into DEST (default tests/fixtures/md).  See DEST/README.
set -eu
vm=${1:?usage: regen-sb-fixtures.sh VMDIR [DEST]}
here=$(cd "$(dirname "$0")" && pwd)
dest=${2:-$here/../fixtures/md}
fx=$vm/fixtures
[ -f "$fx/stamp" ] || { echo "regen-sb-fixtures: fatal: no $fx (make vm-fixtures)" >&2; exit 1; }
HEAD=262144 TAIL=131072

rm -rf "$dest/members" "$dest/capture"
mkdir -p "$dest/members" "$dest/capture/examine"

# export NAME IMAGE OFFSET SIZE -- head and tail of IMAGE[OFFSET, OFFSET+SIZE)
export_region() {
	dd if="$2" bs=4096 skip=$(($3 / 4096)) count=$((HEAD / 4096)) 2>/dev/null |
		zstd -q -19 -c >"$dest/members/$1.head.zst"
	dd if="$2" bs=4096 skip=$((($3 + $4 - TAIL) / 4096)) count=$((TAIL / 4096)) 2>/dev/null |
		zstd -q -19 -c >"$dest/members/$1.tail.zst"
	echo "$1 $4 $(basename "$2" .img) $3" >>"$dest/members/layout"
}

# le32 FILE OFFSET -- little-endian 32-bit number at OFFSET
le32() {
	od -An -tu4 -j "$2" -N 4 "$1" | tr -d ' '
}

echo "# name size disk offset  (bytes; head=$HEAD tail=$TAIL)" >"$dest/members/layout"
for img in "$fx"/*.img; do
	name=$(basename "$img" .img)
	export_region "$name" "$img" 0 "$(stat -c %s "$img")"
	# MBR partitions (signature 55 aa at 510)
	if [ "$(od -An -tx1 -j 510 -N 2 "$img" | tr -d ' ')" = 55aa ]; then
		for n in 1 2 3 4; do
			e=$((446 + (n - 1) * 16))
			start=$(le32 "$img" $((e + 8)))
			len=$(le32 "$img" $((e + 12)))
			[ "$len" -gt 0 ] || continue
			export_region "$name$n" "$img" $((start * 512)) $((len * 512))
		done
	fi
done
cp "$fx"/out/*.txt "$fx/out/manifest" "$dest/capture/"
cp "$fx"/out/examine/*.txt "$dest/capture/examine/"
du -sh "$dest" >&2
