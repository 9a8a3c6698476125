#!/bin/sh
# mkfixtures.sh VMDIR -- make the md fixture disk images (cached).
# The images are made by the reference mdadm in one guest boot (scenario
# mkfixtures) and kept in VMDIR/fixtures-KEY/, KEY being a hash of that
# scenario, this script and the fetched package pins (kernel, mdadm, ...).
# VMDIR/fixtures is a symlink to the current set.  Contents:
#   NAME.img      sparse member disks (NAME = serial, see scenarios/mkfixtures)
#   out/          manifest, disks.txt, examine/*.txt, *-scan*.txt, detail-*.txt
set -eu
vm=${1:?usage: mkfixtures.sh VMDIR}
here=$(cd "$(dirname "$0")" && pwd)
scen=$here/scenarios/mkfixtures
key=$(cat "$scen" "$here/mkfixtures.sh" \
	"$vm/pins" | sha256sum | cut -c1-16)
dir=$vm/fixtures-$key
if [ -f "$dir/stamp" ]; then
	ln -sfn "fixtures-$key" "$vm/fixtures"
	exit 0
fi
rm -rf "$dir.tmp"
mkdir -p "$dir.tmp"
set --
for line in $(sed -n 's/^#disk \([^ ]*\) \([^ ]*\)$/\1:\2/p' "$scen"); do
	truncate -s "${line#*:}" "$dir.tmp/${line%%:*}.img"
	set -- "$@" --scsi "$dir.tmp/${line%%:*}.img"
done
"$here/mkinitramfs.sh" "$vm" "$vm/tools.cpio" base modules tools
if ! "$here/run-guest.sh" --vm "$vm" --initrd "$vm/tools.cpio" --timeout 600 \
	--log "$dir.tmp/console.log" --out "$dir.tmp/out" "$@" mkfixtures >/dev/null; then
	echo "mkfixtures: fatal: guest failed; console in $dir.tmp/console.log:" >&2
	grep -a -e '^WBVM' -e 'mdadm' "$dir.tmp/console.log" | tail -n 40 >&2
	exit 1
fi
date -u +%FT%TZ >"$dir.tmp/stamp"
rm -rf "$dir"
mv "$dir.tmp" "$dir"
ln -sfn "fixtures-$key" "$vm/fixtures"
for old in "$vm"/fixtures-*; do
	[ "$old" = "$dir" ] || rm -rf "$old"
done
echo "mkfixtures: $dir" >&2
