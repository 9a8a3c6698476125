#!/bin/sh
# bench/coldplug.sh [CONTROLLER...] -- per qemu storage controller
# (run-guest.sh --hba; default: every row of tests/vm/controllers.bats), two
# disks behind it, guests with the suite's Debian kernel and modules (SUITE,
# VM_DIR) and no module loaded before the scenario: `warmboot modules
# --storage` vs Debian's udev as initramfs-tools' init-top/udev runs it
# (systemd-udevd --daemon, udevadm trigger subsystems + devices
# --action=add, udevadm settle). One boot per way and controller, so each
# starts from a fresh kernel; BENCH_RUNS rounds (default 3), the order of
# the two ways alternating. Times from `udevadm monitor --kernel` in the
# guest (scenario bench-coldplug): start -> the last disk's block device
# (disk), start -> the command returned (done); medians in ms.
# udev, udevadm, their libraries (tests/vm/elfdeps.sh), ata_id, scsi_id,
# blkid, udev.conf, the .link files and the rules the suite's
# initramfs-tools hook copies come from the suite's initramfs chroot
# ($IRD/chroot, `make initramfs-chroot`; read only) into a layer of this
# run's own. Both ways boot the same initrd: the rig's base + modules
# layers, the controller drivers (kexec_md.bash's km_modules_layer),
# warmboot, udev. Each guest has the machine to itself (WBVM_EXCLUSIVE=1;
# WBVM_EXCLUSIVE= beside other guests, the table then says so).
# Raw consoles stay in $BENCH_OUT (default: a temp dir, removed on success).
# BENCH_APPEND: more guest command line ("initcall_debug wb.dmesg=1": where
# the time goes, in the consoles).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
t=$top/tests/vm
CACHE=${CACHE:-$top/.cache}
. "$t/suite.sh"
runs=${BENCH_RUNS:-3}
IRD=${IRD:-$CACHE/initramfs-$SUITE}
chroot=$IRD/chroot/root
: "${WBVM_EXCLUSIVE=1}"
export WBVM_EXCLUSIVE
hbas=${*:-megasas megasas-gen2 mptsas1068 lsi53c895a pvscsi am53c974 ich9-ahci nvme virtio-scsi-pci virtio-blk-pci}
[ -d "$chroot/usr/share/initramfs-tools" ] || { echo "coldplug: no chroot $chroot (make initramfs-chroot)" >&2; exit 2; }
[ -x "$top/helper/warmboot" ] || { echo "coldplug: build helper/warmboot first" >&2; exit 2; }
if [ -n "${BENCH_OUT:-}" ]; then work=$BENCH_OUT; mkdir -p "$work"; else
	work=$(mktemp -d "${TMPDIR:-/tmp}/wbcoldplug.XXXXXX"); fi

pack() { (cd "$1" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) >"$2"; }

# put FILE DEST-DIR: FILE of the chroot into the udev layer's DEST-DIR
put() { mkdir -p "$s$2" && cp -L "$chroot$1" "$s$2/"; elfs="$elfs $chroot$1"; }

# udev_layer OUT: what the suite's hooks/udev puts into an initramfs
udev_layer() {
	s=$work/udev.d hook=$chroot/usr/share/initramfs-tools/hooks/udev elfs=
	rm -rf "$s"
	# bookworm's hook copies to /lib/systemd, /bin, /lib/udev; trixie's to /usr/...
	u=; grep -q 'copy_exec /usr/lib/systemd/systemd-udevd' "$hook" && u=/usr
	put /lib/systemd/systemd-udevd "$u/lib/systemd"
	put /bin/udevadm "$u/bin"
	put /lib/udev/ata_id "$u/lib/udev"
	put /lib/udev/scsi_id "$u/lib/udev"
	put /sbin/blkid /sbin
	# trixie: udevd dlopen()s libkmod (the hook copies it by name)
	if grep -q libkmod "$hook"; then
		for l in "$chroot"/usr/lib/x86_64-linux-gnu/libkmod.so.*; do
			put "${l#"$chroot"}" /usr/lib/x86_64-linux-gnu
		done
	fi
	grep -q hwdb.bin "$hook" && put /lib/udev/hwdb.bin "$u/lib/udev"
	mkdir -p "$s/etc/udev" "$s$u/lib/systemd/network" "$s$u/lib/udev/rules.d"
	cp "$chroot/etc/udev/udev.conf" "$s/etc/udev/"
	cp "$chroot"/usr/lib/systemd/network/*.link "$s$u/lib/systemd/network/"
	# the hook's list of rules
	for r in $(sed -n '/^for rules in 50-firmware/,/; do$/p' "$hook" | tr -d '\\;' |
		sed 's/for rules in//; s/ do$//'); do
		[ -e "$chroot/usr/lib/udev/rules.d/$r" ] && cp "$chroot/usr/lib/udev/rules.d/$r" "$s$u/lib/udev/rules.d/"
	done
	# shellcheck disable=SC2086 # a list of paths
	for l in $("$t/elfdeps.sh" "$chroot" $elfs); do
		mkdir -p "$s/${l%/*}" && cp -L "$chroot/$l" "$s/$l"
	done
	pack "$s" "$1"
}

# wbvm.sh whose `modprobe -a` (/init's one coldplug call) loads nothing: the
# scenario's way is the first to load a module
noload_layer() {
	s=$work/noload.d
	mkdir -p "$s/lib"
	cp "$t/guest/wbvm.sh" "$s/lib/wbvm.sh"
	printf '\n# bench/coldplug.sh: the scenario coldplugs, not /init\nmodprobe() { [ "$1" = -a ] || command modprobe "$@"; }\n' \
		>>"$s/lib/wbvm.sh"
	pack "$s" "$1"
}

# the rig's layers and the controller drivers of controllers.bats
rig_layers() {
	mods=$(sed -n '/^ctrl_modules=(/,/^)/s/^[[:space:]]*\(kernel\/.*\)/\1/p' "$t/controllers.bats")
	# shellcheck disable=SC2016 # expanded by bash
	BATS_FILE_TMPDIR=$work BATS_TEST_TMPDIR=$work/km VM_TOOLS=$t WARMBOOT=$top/helper/warmboot \
		bash -c '. "$VM_TOOLS/kexec_md.bash"
		fail() { echo "coldplug: fatal: $*" >&2; exit 1; }
		mkdir -p "$BATS_TEST_TMPDIR"
		km_initrd "$BATS_FILE_TMPDIR/rig.cpio" base modules warmboot
		km_modules_layer "$BATS_FILE_TMPDIR/drivers.cpio" "$@"' coldplug $mods # one word each
}

rig_layers
noload_layer "$work/noload.cpio"
udev_layer "$work/udev.cpio"
cat "$work/rig.cpio" "$work/noload.cpio" "$work/drivers.cpio" "$work/udev.cpio" >"$work/bench.cpio"
truncate -s 32M "$work/ca.img" "$work/cb.img"

# boot HBA WAY ROUND: one guest; its two times appended to $work/t.HBA.WAY
boot() {
	log=$work/$1.$2.$3.log
	"$t/run-guest.sh" --initrd "$work/bench.cpio" --log "$log" --hba "$1" \
		--scsi "$work/ca.img" --scsi "$work/cb.img" --timeout 300 --mem 768M \
		--append "wb.cold=$2${BENCH_APPEND:+ $BENCH_APPEND}" bench-coldplug >/dev/null 2>&1 || {
		echo "coldplug: $1 $2 failed; console $log" >&2
		grep -a 'WBVM:' "$log" | tail -n 20 >&2
		return 1
	}
	d=$(sed -n 's/^WBVM: TIME cold-disk \([0-9]*\)ms.*/\1/p' "$log")
	e=$(sed -n 's/^WBVM: TIME cold-done \([0-9]*\)ms.*/\1/p' "$log")
	echo "$d $e" >>"$work/t.$1.$2"
}

load0=$(cut -d' ' -f1-3 /proc/loadavg)
date0=$(date -u '+%F %H:%M')
r=1
while [ $r -le "$runs" ]; do
	for h in $hbas; do
		if [ $((r % 2)) = 1 ]; then boot "$h" wb $r && boot "$h" udev $r; else
			boot "$h" udev $r && boot "$h" wb $r; fi || { BENCH_OUT=$work; exit 1; }
	done
	r=$((r + 1))
done

echo "# bench-coldplug: $SUITE, kernel $(cat "$VM_DIR/kver"), $(grep '^udev ' "$IRD/chroot/versions" || echo udev);" \
	"$date0 -> $(date -u '+%H:%M') UTC; qemu TCG -smp 2, $(nproc) host cores;" \
	"load before $load0, after $(cut -d' ' -f1-3 /proc/loadavg);" \
	"$([ "$WBVM_EXCLUSIVE" = 1 ] && echo 'each guest alone' || echo 'BESIDE OTHER GUESTS')"
echo "# $runs boots per way and controller; medians in ms; disk = start -> last disk's block device, done = start -> the command returned"
printf '%-16s %6s %6s %6s   %6s %6s %6s   %s\n' controller wb udev ratio "wb" udev ratio "runs wb disk/done | udev disk/done"
printf '%-16s %20s   %20s\n' "" "------ disk ------" "------ done ------"
for h in $hbas; do
	awk -v h="$h" -v wf="$work/t.$h.wb" -v uf="$work/t.$h.udev" '
		function median(a, n,   i, j, x) {
			for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
			return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
		}
		function ratio(a, b) { return b > 0 ? sprintf("%.2f", a / b) : "-" }
		BEGIN {
			while ((getline l < wf) > 0) { n++; split(l, f, " "); wd[n] = f[1]; we[n] = f[2]; ws = ws " " f[1] "/" f[2] }
			while ((getline l < uf) > 0) { m++; split(l, f, " "); ud[m] = f[1]; ue[m] = f[2]; us = us " " f[1] "/" f[2] }
			a = median(wd, n); b = median(ud, m); c = median(we, n); d = median(ue, m)
			printf "%-16s %6d %6d %6s   %6d %6d %6s  %s |%s\n", h, a, b, ratio(a, b), c, d, ratio(c, d), ws, us
		}'
done
[ -n "${BENCH_OUT:-}" ] || rm -rf "$work"
