#!/bin/sh
# bench/reference.sh [VMDIR] (default $VM_DIR of $SUITE) -- measure the reference toolchain in one qemu
# (TCG) guest: kmod and busybox `modprobe -a` of the md personalities,
# `mdadm --assemble --scan` of a RAID1 + RAID5 (made once by mdadm, cached),
# `kexec -s -l` of the Debian bzImage.  Prints one line per figure.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
vmt=$here/../tests/vm
CACHE=${CACHE:-$here/../.cache}
. "$vmt/suite.sh"
vm=${1:-$VM_DIR}
"$vmt/fetch.sh" "$vm" "$SUITE"
"$vmt/mkinitramfs.sh" "$vm" "$vm/tools-boot.cpio" base modules tools boot
disks=$vm/bench-disks
if [ ! -f "$disks/stamp" ]; then
	rm -rf "$disks"
	mkdir -p "$disks/out"
	for d in d1a d1b d5a d5b d5c; do truncate -s 24M "$disks/$d.img"; done
	WBVM_EXCLUSIVE=1 "$vmt/run-guest.sh" --vm "$vm" --initrd "$vm/tools-boot.cpio" --out "$disks/out" \
		--disk "$disks/d1a.img" --disk "$disks/d1b.img" --disk "$disks/d5a.img" \
		--disk "$disks/d5b.img" --disk "$disks/d5c.img" demo-create >/dev/null
	: >"$disks/stamp"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for d in d1a d1b d5a d5b d5c; do cp --sparse=always "$disks/$d.img" "$tmp/"; done
start=$(date +%s%N)
WBVM_EXCLUSIVE=1 "$vmt/run-guest.sh" --vm "$vm" --initrd "$vm/tools-boot.cpio" --log "$tmp/console.log" \
	--disk "$tmp/d1a.img" --disk "$tmp/d1b.img" --disk "$tmp/d5a.img" \
	--disk "$tmp/d5b.img" --disk "$tmp/d5c.img" bench-reference >"$tmp/out" || {
	cat "$tmp/out"
	exit 1
}
end=$(date +%s%N)
echo "# reference toolchain, qemu TCG guest ($(nproc) host cores), kernel $(cat "$vm/kver")"
echo "# host $(uname -r), $(date -u +%F)"
grep -a -e '^WBVM: BEGIN' "$tmp/out" | sed 's/^WBVM: /guest /'
grep -a -e '^WBVM: TIME' -e '^WBVM: INFO' "$tmp/out" | sed 's/^WBVM: //'
echo "host wall for the boot: $(((end - start) / 1000000)) ms"
