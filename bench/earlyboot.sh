#!/bin/sh
# bench/earlyboot.sh [ROUNDS] -- an emergency chain loader's early-boot path
# in one VM rig guest (qemu TCG), warmboot against kmod + mdadm 4.2 +
# kexec-tools, ROUNDS rounds (default 4) in alternating order: storage and fs
# modules, assemble a RAID1 (2 virtio-blk members), mount its ext4 read-only,
# load the kernel and initrd on it for kexec (not exec). The guest side is
# tests/vm/scenarios/bench-earlyboot (phases stamped in dmesg, microseconds).
# Prints each phase's median and the totals, the ratio warmboot/reference,
# and the user/system CPU time of the phase's processes (medians, 10 ms ticks).
# Disks (cached in $CACHE/bench-guest/earlyboot-disks): the RAID1 made by
# mdadm in a rig guest (tests/initramfs/mkraid.sh), an ext4 written into both
# data areas here with /boot/vmlinuz-KVER (the rig's bzImage) and
# /boot/initrd.img-KVER (the bench's own initramfs, zstd), one empty scsi-hd.
# Needs make vm-fetch and helper/warmboot. Raw console:
# $CACHE/bench-guest/earlyboot.log.
set -eu
rounds=${1:-4}
top=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${CACHE:-$top/.cache}
. "$top/tests/vm/suite.sh"
t=$top/tests/vm
work=$CACHE/bench-guest
vm=$work/vm-earlyboot-$SUITE
# a private VMDIR: mkinitramfs.sh stages layers there
mkdir -p "$vm"
for f in root kver vmlinuz vmlinux pins stamp; do ln -sfn "$VM_DIR/$f" "$vm/$f"; done
kver=$(cat "$vm/kver")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wb-earlyboot.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

pack() {
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort |
		cpio --quiet -o -H newc -R 0:0 --reproducible) >"$2"
}

# The initramfs: the rig's layers, then the modules layer again with ext4
# and its dependencies added (depmod'ed together, so it replaces the index).
"$t/mkinitramfs.sh" "$vm" "$tmp/rig.cpio" base modules tools "warmboot=$top/helper/warmboot"
mkdir "$tmp/fs"
(cd "$tmp/fs" && cpio --quiet -id <"$vm/layers/modules.cpio")
src=$vm/root/lib/modules/$kver
for f in kernel/fs/ext4/ext4.ko $(sed -n "s|^kernel/fs/ext4/ext4.ko: *||p" "$src/modules.dep"); do
	mkdir -p "$tmp/fs/lib/modules/$kver/${f%/*}"
	cp "$src/$f" "$tmp/fs/lib/modules/$kver/$f"
done
depmod -b "$tmp/fs" "$kver"
pack "$tmp/fs" "$tmp/fs.cpio"
cat "$tmp/rig.cpio" "$tmp/fs.cpio" >"$work/earlyboot.cpio"

d=$work/earlyboot-disks
# bump disks-vN when the way the disks are made here changes
key=$( (echo disks-v1; cat "$vm/pins" "$t/scenarios/initramfs-mkraid" "$top/tests/initramfs/mkraid.sh") |
	sha256sum | cut -c1-16)
if [ "$(cat "$d/stamp" 2>/dev/null)" != "$key" ]; then
	rm -rf "$d"
	mkdir -p "$d"
	"$top/tests/initramfs/mkraid.sh" "$vm" "$d/raid"
	off=$(sed -n 's/^ *Data Offset : \([0-9]*\) sectors.*/\1/p' "$d/raid/out/examine-r1a")
	kib=$(sed -n 's/^ *Array Size : \([0-9]*\) KiB.*/\1/p' "$d/raid/out/examine-r1a")
	if [ -z "$off" ] || [ -z "$kib" ]; then echo "earlyboot: fatal: no data offset/size" >&2; exit 1; fi
	mkdir -p "$tmp/root/boot"
	cp "$vm/vmlinuz" "$tmp/root/boot/vmlinuz-$kver"
	zstd -q -3 <"$work/earlyboot.cpio" >"$tmp/root/boot/initrd.img-$kver"
	wc -c <"$tmp/root/boot/initrd.img-$kver" >"$d/initrd.size"
	mke2fs -q -t ext4 -F -d "$tmp/root" -E root_owner=0:0 "$tmp/ext4.img" "${kib}k"
	for m in r1a r1b; do
		mv "$d/raid/$m.img" "$d/$m.img"
		dd if="$tmp/ext4.img" of="$d/$m.img" bs=512 seek="$off" conv=notrunc,sparse status=none
	done
	truncate -s 8M "$d/s1.img"
	echo "$key" >"$d/stamp"
fi
# fresh copies each run: assembling bumps the superblocks' event counts
for m in r1a r1b s1; do cp --sparse=always "$d/$m.img" "$tmp/$m.img"; done

log=$work/earlyboot.log
load=$(cut -d' ' -f1-3 /proc/loadavg)
WBVM_EXCLUSIVE=1 "$t/run-guest.sh" --vm "$vm" --initrd "$work/earlyboot.cpio" \
	--append "wb.rounds=$rounds" --timeout 900 --mem 768M \
	--disk "$tmp/r1a.img" --disk "$tmp/r1b.img" --scsi "$tmp/s1.img" \
	bench-earlyboot >"$log" || { grep -a 'WBVM:' "$log" | tail -n 30; exit 1; }
echo "# bench-earlyboot: $(date -u '+%F %H:%M') UTC, qemu TCG -smp 2 on $(nproc) host cores," \
	"host load before $load, after $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# kernel $kver: bzImage $(wc -c <"$vm/vmlinuz") B, initrd $(cat "$d/initrd.size") B (zstd)"
echo "# $rounds rounds, order alternating (odd: warmboot first); medians in ms"
grep -a -e '^WBVM: FAIL' -e '^WBVM: INFO wb round 1' -e '^WBVM: INFO ref round 1' "$log" |
	sed 's/^WBVM: /# /'
# WBK: [  12.345678] wbbench: begin wb 1 modules
grep -a '^WBK: ' "$log" | tr -d '[]' | awk -v rounds="$rounds" '
	$4 == "begin" { t0[$5, $6, $7] = $2; next }
	$4 == "end" { ms[$5, $7, $6] = ($2 - t0[$5, $6, $7]) * 1000; next }
	$4 == "cpu" { sub("user=", "", $8); sub("sys=", "", $9)
		us[$5, $7, $6] = $8; sy[$5, $7, $6] = $9
		if ($7 != "check-alone" && $7 != "load-force") { us[$5, "total", $6] += $8; sy[$5, "total", $6] += $9 } }
	function median(a, n,   i, j, x) {
		for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	END {
		np = split("modules assemble mount load total", ph, " ")
		printf "%-9s %9s %9s %6s %13s %13s   %s\n", "phase", "warmboot", "reference", "ratio",
			"wb user/sys", "ref user/sys", "runs wb | ref"
		for (k = 1; k <= np; k++) {
			p = ph[k]; s = ""
			for (r = 1; r <= rounds; r++) { a[r] = ms["wb", p, r]; b[r] = ms["ref", p, r]
				u1[r] = us["wb", p, r]; s1[r] = sy["wb", p, r]
				u2[r] = us["ref", p, r]; s2[r] = sy["ref", p, r]
				s = s sprintf(" %.0f", a[r]) }
			s = s " |"
			for (r = 1; r <= rounds; r++) s = s sprintf(" %.0f", b[r])
			w = median(a, rounds); f = median(b, rounds)
			printf "%-9s %9.0f %9.0f %6.2f %13s %13s  %s\n", p, w, f, f ? w / f : 0,
				sprintf("%d/%d", median(u1, rounds), median(s1, rounds)),
				sprintf("%d/%d", median(u2, rounds), median(s2, rounds)), s
		}
		for (r = 1; r <= rounds; r++) { a[r] = ms["wb", "check-alone", r]; u1[r] = us["wb", "check-alone", r]
			s1[r] = sy["wb", "check-alone", r] }
		printf "aside: warmboot check KERNEL --initrd INITRD alone %.0f ms, user/sys %d/%d\n",
			median(a, rounds), median(u1, rounds), median(s1, rounds)
		for (r = 1; r <= rounds; r++) { a[r] = ms["wb", "load-force", r]; u1[r] = us["wb", "load-force", r]
			s1[r] = sy["wb", "load-force", r] }
		printf "aside: warmboot load --force (no check) %.0f ms, user/sys %d/%d\n",
			median(a, rounds), median(u1, rounds), median(s1, rounds)
	}'
