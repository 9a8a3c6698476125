#!/usr/bin/env bats
# Real initramfs-tools images (make initramfs-images: update-initramfs -c in a
# chroot of SUITE -- bookworm: initramfs-tools 0.142, 6.1; trixie: 0.148,
# 6.12 -- with warmboot installed by `make install`) booted in qemu with that
# chroot's own Debian kernel, root on an ext4 on an md RAID1 made by mdadm.
# The root filesystem's /sbin/init (tests/initramfs/mkroot.sh) prints WBVM
# markers and powers off: "WBVM: OK real root init reached" is the proof.
load vm_helper

SUITE=${SUITE:-bookworm}
IRD=${IRD:-${CACHE:-$VM_REPO/.cache}/initramfs-$SUITE}
ROOTUUID=5ee1ed00-0000-4000-8000-000000000001

setup_file() {
	local img
	[ "$(cat "$IRD/chroot/suite" 2>/dev/null)" = "$SUITE" ] ||
		{ echo "no $SUITE chroot in $IRD/chroot: run make initramfs-images SUITE=$SUITE" >&2; return 1; }
	for img in wb wbnoudev wbmdadm mdadm; do
		[ -f "$IRD/images/$img/initrd.img" ] ||
			{ echo "no image $IRD/images/$img: run make initramfs-images SUITE=$SUITE" >&2; return 1; }
	done
	# the root filesystem holds the wb image as /boot/initrd.img-KVER (chain target)
	"$VM_REPO/tests/initramfs/mkroot.sh" "$IRD/raid" "$IRD/chroot" "$IRD/images/wb/initrd.img" \
		"$VM_DIR/root/bin/busybox" "$BATS_FILE_TMPDIR/disks" >/dev/null
}

setup() {
	vm_require
	mkdir -p "$BATS_TEST_TMPDIR/d"
	cp --sparse=always "$BATS_FILE_TMPDIR/disks/r1a.img" "$BATS_FILE_TMPDIR/disks/r1b.img" \
		"$BATS_TEST_TMPDIR/d/"
}

# ir_boot IMAGE [members...] -- [run-guest options]: boot the chroot's kernel
# with the members given (default both), the guest lock held (qemu is shared)
ir_boot() {
	local img=$1 disks=() m
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		disks+=(--disk "$BATS_TEST_TMPDIR/d/$1.img")
		shift
	done
	[ $# -gt 0 ] && shift
	[ ${#disks[@]} -gt 0 ] ||
		disks=(--disk "$BATS_TEST_TMPDIR/d/r1a.img" --disk "$BATS_TEST_TMPDIR/d/r1b.img")
	VM_LOG=$BATS_TEST_TMPDIR/console.log
	run "$VM_TOOLS/run-guest.sh" --vm "$VM_DIR" --log "$VM_LOG" \
		--kernel "$IRD/chroot/vmlinux" --initrd "$IRD/images/$img/initrd.img" --timeout 300 \
		"${disks[@]}" "$@" initramfs-root
}

@test "image: lsinitramfs shows warmboot, its scripts, personalities, config; mdadm's incremental assembly left out" {
	local l=$IRD/images/wb/lsinitramfs.txt kver ko
	kver=$(cat "$IRD/chroot/kver")
	run cat "$l"
	# what each release's kernel and initramfs-tools put there: bookworm's 6.1
	# ships plain .ko and md-linear; trixie's 6.12 only .ko.xz, kept
	# compressed in the image, and no md-linear (gone in 6.8-6.13)
	case $SUITE in
	bookworm)
		ko=.ko
		assert_line "usr/lib/modules/$kver/kernel/drivers/md/linear.ko"
		;;
	trixie)
		ko=.ko.xz
		refute_line --regexp "/drivers/md/(md-)?linear\.ko"
		refute_line --regexp '\.ko$'
		;;
	*) fail "unknown SUITE $SUITE" ;;
	esac
	assert_line usr/sbin/warmboot
	assert_line usr/sbin/warmboot-rescue
	assert_line scripts/local-top/warmboot
	assert_line scripts/init-premount/warmboot-chain
	assert_line scripts/warmboot-functions
	assert_line etc/default/warmboot
	assert_line etc/mdadm/mdadm.conf
	assert_line usr/sbin/mdadm
	assert_line "usr/lib/modules/$kver/kernel/drivers/md/raid1$ko"
	assert_line "usr/lib/modules/$kver/kernel/drivers/md/raid456$ko"
	refute_line --regexp '64-md-raid-assembly.rules$'
	refute_line scripts/local-block/mdadm
	run cat "$IRD/images/wb/etc_mdadm_mdadm.conf"
	# the chroot's mdadm wrote it (mkconf): 4.4's --examine --scan prints no name=
	if [ "$SUITE" = trixie ]; then
		assert_line --regexp '^ARRAY /dev/md/root metadata=1.2 UUID='
	else
		assert_line --regexp '^ARRAY /dev/md/root metadata=1.2 name=wbhost:root UUID='
	fi
	assert_line 'HOMEHOST wbhost'
	refute_line --partial MAILADDR
	grep -qx WARMBOOT_BUILT_LEAD=warmboot "$IRD/images/wb/conf_conf.d_warmboot"
	# Debian's image keeps its own path
	run cat "$IRD/images/mdadm/lsinitramfs.txt"
	assert_line --regexp '64-md-raid-assembly.rules$'
	assert_line scripts/local-block/mdadm
	refute_line usr/sbin/warmboot
}

# bats test_tags=slice
@test "boot: warmboot assembles the RAID1 and the real root's init runs (root=UUID=)" {
	ir_boot wb -- --append "root=UUID=$ROOTUUID"
	assert_success
	assert_line 'WBVM: OK real root init reached'
	assert_line --partial 'warmboot: array wbhost:root (raid1 md127 /dev/md/root): started: all members present'
	assert_line --regexp '^WBVM: INFO mdstat .*\[2/2\] \[UU\]'
	refute_line --partial 'Gave up waiting'
}

@test "boot: one member missing, degraded allowed (default): root reached degraded" {
	ir_boot wb r1a -- --append "root=/dev/md/root warmboot.wait=2"
	assert_success
	assert_line 'WBVM: OK real root init reached'
	assert_line --partial 'started degraded'
	assert_line --regexp '^WBVM: INFO mdstat .*\[2/1\]'
}

@test "boot: one member missing, warmboot.degraded=0: stops with a clear message, no root" {
	ir_boot wb r1b -- --append "root=/dev/md/root warmboot.wait=2 warmboot.degraded=0"
	assert_failure 3
	refute_line 'WBVM: OK real root init reached'
	assert_line --partial 'array wbhost:root NOT STARTED: degraded starts are refused'
	assert_line --partial 'ALERT!  /dev/md/root does not exist'
}

# bats test_tags=slice
@test "chain: warmboot.chain=/dev/md/root:/vmlinuz kexecs the kernel on the array; the second boot reaches root" {
	ir_boot wb -- --append "root=/dev/md/root warmboot.chain=/dev/md/root:/vmlinuz"
	assert_success
	assert_line --partial "warmboot: chain: kernel /boot/vmlinuz-$(cat "$IRD/chroot/kver") on /dev/md/root"
	assert_line --partial 'warmboot: chain: executing'
	[ "$(grep -c '^Loading, please wait' "$VM_LOG")" -eq 2 ]
	assert_line 'WBVM: OK real root init reached'
	# one-shot: the second kernel's command line has no warmboot.chain
	assert_line --regexp '^WBVM: INFO cmdline .*root=/dev/md/root'
	refute_line --regexp '^WBVM: INFO cmdline .*warmboot\.chain'
}

# bats test_tags=slow
@test "chain: warmboot.chain=default finds the /vmlinuz entry on the assembled array" {
	ir_boot wb -- --append "root=UUID=$ROOTUUID warmboot.chain=default"
	assert_success
	assert_line --partial 'warmboot: chain: kernel default on /dev/md127'
	assert_line --partial 'warmboot: chain: executing default'
	[ "$(grep -c '^Loading, please wait' "$VM_LOG")" -eq 2 ]
	assert_line 'WBVM: OK real root init reached'
	refute_line --regexp '^WBVM: INFO cmdline .*warmboot\.chain'
}

# bats test_tags=slow
@test "chain: a broken chain target falls back to the normal boot and still reaches root" {
	ir_boot wb -- --append "root=/dev/md/root warmboot.chain=/dev/md/root:/boot/vmlinuz-broken"
	assert_success
	assert_line --regexp 'warmboot: chain: .*continuing the normal boot'
	refute_line --partial 'warmboot: chain: executing'
	[ "$(grep -c '^Loading, please wait' "$VM_LOG")" -eq 1 ]
	assert_line 'WBVM: OK real root init reached'
	assert_line --regexp '^WBVM: INFO mdstat .*\[2/2\]'
}

# bats test_tags=slice
@test "boot, WARMBOOT_UDEV=no: no udev at all, warmboot assembles, /dev moved onto the root, root reached" {
	run cat "$IRD/images/wbnoudev/lsinitramfs.txt"
	refute_line scripts/init-top/udev
	assert_line scripts/init-bottom/warmboot
	ir_boot wbnoudev -- --append "root=UUID=$ROOTUUID"
	assert_success
	assert_line 'WBVM: OK real root init reached'
	assert_line --partial 'warmboot: array wbhost:root (raid1 md127 /dev/md/root): started: all members present'
	assert_line 'WBVM: INFO udev never ran'
	assert_line --regexp '^WBVM: INFO dev [a-z]+ /dev devtmpfs '
	assert_line 'WBVM: INFO dev has md127'
	assert_line --regexp '^WBVM: INFO mdstat .*\[2/2\] \[UU\]'
}

# bats test_tags=slow
@test "boot, WARMBOOT_UDEV=no: one member missing starts degraded after warmboot.wait=" {
	ir_boot wbnoudev r1b -- --append "root=/dev/md/root warmboot.wait=2"
	assert_success
	assert_line 'WBVM: OK real root init reached'
	assert_line --partial 'started degraded'
	assert_line 'WBVM: INFO udev never ran'
	assert_line --regexp '^WBVM: INFO mdstat .*\[2/1\]'
}

@test "boot, WARMBOOT_LEAD=mdadm: Debian's udev + mdadm path assembles, warmboot stands aside" {
	run cat "$IRD/images/wbmdadm/lsinitramfs.txt"
	assert_line usr/sbin/warmboot
	assert_line scripts/local-block/mdadm
	assert_line --regexp '64-md-raid-assembly.rules$'
	ir_boot wbmdadm -- --append "root=/dev/md/root"
	assert_success
	assert_line 'WBVM: OK real root init reached'
	assert_line --partial 'warmboot: mdadm leads md assembly (WARMBOOT_LEAD=mdadm): local-top assembles nothing'
	refute_line --partial 'warmboot: array '
	assert_line 'WBVM: INFO udev ran'
	assert_line --regexp '^WBVM: INFO mdstat .*\[2/2\] \[UU\]'
}

# bats test_tags=slow
@test "boot: Debian's default image (udev + mdadm) boots the same disks (bench baseline)" {
	ir_boot mdadm -- --append "root=/dev/md/root"
	assert_success
	assert_line 'WBVM: OK real root init reached'
	refute_line --partial 'warmboot'
}
