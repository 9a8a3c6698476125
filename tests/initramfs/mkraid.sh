#!/bin/sh
# mkraid.sh VMDIR DIR -- the RAID1 member images the initramfs-tools tier
# boots from, made once by the reference mdadm 4.2 in a rig guest
# (scenarios/initramfs-mkraid): DIR/r1a.img DIR/r1b.img (128 MiB each,
# metadata 1.2, name wbhost:root, no filesystem yet: mkroot.sh writes the
# ext4 into both data areas), DIR/out/{detail,examine-r1a,examine-r1b},
# DIR/stamp.  The caller keys DIR by a hash of this script, the scenario and
# the rig's package pins.
set -eu
vm=${1:?usage: mkraid.sh VMDIR DIR} dir=${2:?usage: mkraid.sh VMDIR DIR}
here=$(cd "$(dirname "$0")" && pwd)
[ -f "$dir/stamp" ] && exit 0
mkdir -p "$dir"
rm -f "$dir/r1a.img" "$dir/r1b.img"
truncate -s 128M "$dir/r1a.img" "$dir/r1b.img"
"$here/../vm/mkinitramfs.sh" "$vm" "$dir/rig.cpio" base modules tools
"$here/../vm/run-guest.sh" --vm "$vm" --initrd "$dir/rig.cpio" \
	--disk "$dir/r1a.img" --disk "$dir/r1b.img" --out "$dir/out" --timeout 300 \
	--log "$dir/console.log" initramfs-mkraid >/dev/null ||
	{ echo "mkraid: fatal: guest failed, see $dir/console.log" >&2; exit 1; }
grep -q 'UUID=' "$dir/out/detail" || { echo "mkraid: fatal: no array in $dir/out/detail" >&2; exit 1; }
rm -f "$dir/rig.cpio"
date -u +%FT%TZ >"$dir/stamp"
