#!/usr/bin/env bats
# Root on the stacks Debian servers use (issue 16, part 2): real
# update-initramfs images of the chroot (make stack-images), warmboot
# leading unless said, booted with Debian's kernel on disks made by mdadm
# 4.2, lvm2 and cryptsetup (make stack-disks: tests/initramfs/mkstack.sh).
# The root filesystem's /sbin/init prints the root device, the md links,
# udev's md properties, mdstat and the checksum of /data, then powers off.
load vm_helper

IRD=${IRD:-${CACHE:-$VM_REPO/.cache}/initramfs-$SUITE}
ST=$IRD/stack
IMG=$IRD/stack-images
LV=/dev/mapper/vgroot-root

setup_file() {
	[ -f "$ST/stamp" ] || { echo "no stack disks in $ST: run make stack-disks" >&2; return 1; }
}

setup() {
	vm_require
	D=$BATS_TEST_TMPDIR/d
	mkdir -p "$D"
}

TIMEOUT=300
PROMPT='Please unlock disk croot: '

# st_boot IMAGE DISK... -- RUN-GUEST-ARGS: fresh copies of the disks named
# (r1a for $ST/r1a.img; b1a/b1b with /boot written: see boot_disks); with
# ST_TYPE=(TEXT...) set, each TEXT is typed on the serial console once the
# passphrase prompt has appeared once more (st_typist)
st_boot() {
	local img=$1 args=() typist=
	shift
	[ -f "$IMG/$img/initrd.img" ] || fail "no image $IMG/$img: run make stack-images"
	for d; do
		shift
		[ "$d" = -- ] && break
		[ -f "$D/$d.img" ] || cp --sparse=always "$ST/$d.img" "$D/$d.img"
		args+=(--disk "$D/$d.img")
	done
	VM_LOG=$BATS_TEST_TMPDIR/console.log
	: >"$VM_LOG"
	if [ ${#ST_TYPE[@]} -gt 0 ]; then
		mkfifo "$BATS_TEST_TMPDIR/console.in"
		args+=(--console-in "$BATS_TEST_TMPDIR/console.in")
		st_typist "$BATS_TEST_TMPDIR/console.in" "${ST_TYPE[@]}" </dev/null >/dev/null 2>&1 3>&- &
		typist=$!
	fi
	run "$VM_TOOLS/run-guest.sh" --vm "$VM_DIR" --log "$VM_LOG" \
		--initrd "$IMG/$img/initrd.img" --timeout $TIMEOUT "${args[@]}" "$@" initramfs-root
	[ -z "$typist" ] || { kill "$typist" 2>/dev/null || true; wait "$typist" || true; }
	sed -n 's/^WBVM: TIME rootinit at=/# kernel start -> root: /p' "$VM_LOG" >&3
}

# st_typist FIFO TEXT...: the Nth TEXT (and a newline) into FIFO after the
# Nth prompt in the console log; a second's pause lets askpass start reading
st_typist() {
	local fifo=$1 n=0 t
	shift
	for t; do
		n=$((n + 1))
		until [ "$(grep -aoF "$PROMPT" "$VM_LOG" | wc -l)" -ge $n ]; do sleep 0.5; done
		sleep 1
		printf '%s\n' "$t" >"$fifo"
	done
}

# the boot time the root's init measured (its uptime): there, and more than
# a kernel's start and less than the boot's whole timeout
assert_boot_time() {
	local t
	t=$(printf '%s\n' "$output" | sed -n 's/^WBVM: TIME rootinit at=\([0-9.]*\)s$/\1/p')
	[ -n "$t" ] || fail "no WBVM: TIME rootinit line"
	awk -v t="$t" -v max=$TIMEOUT 'BEGIN { exit !(t > 1 && t < max) }' ||
		fail "kernel start -> root ${t}s: not within 1..${TIMEOUT}s"
}

# the root is DEV, its data intact, the boot time measured
assert_root() {
	assert_line 'WBVM: OK real root init reached'
	assert_line "WBVM: INFO root $1"
	assert_line "WBVM: INFO data $(cat "$ST/data.sha256")"
	assert_boot_time
}

# the root is the LV
assert_lvm_root() { assert_root "$LV"; }

# MD_* properties and links of the root array, as mdadm's rule makes them
uuid_of() { sed -n "s/^ARRAY \/dev\/md\/$1 .*UUID=//p" "$ST/out/detail"; }
assert_md_udev() {
	assert_line "WBVM: INFO udev MD_UUID=$(uuid_of root)"
	assert_line 'WBVM: INFO udev MD_NAME=wbhost:root'
	assert_line 'WBVM: INFO udev MD_DEVNAME=root'
	assert_line 'WBVM: INFO udev MD_LEVEL=raid1'
	assert_line 'WBVM: INFO udev MD_METADATA=1.2'
	assert_line 'WBVM: INFO udev ID_FS_TYPE=LVM2_member'
	assert_line "WBVM: INFO link /dev/disk/by-id/md-uuid-$(uuid_of root) -> ../../md127"
	assert_line --regexp '^WBVM: INFO link /dev/md/root -> (\.\./)?md127$'
}

@test "LVM on RAID1, mdadm not installed: warmboot's udev rule lets lvm2 activate the VG; root on the LV" {
	run cat "$IMG/lvm-nomdadm/lsinitramfs.txt"
	refute_line --regexp 'sbin/mdadm$'
	refute_line --regexp '63-md-raid-arrays.rules$'
	assert_line --regexp 'lib/udev/rules.d/63-md-warmboot.rules$'
	assert_line --regexp 'lib/udev/rules.d/69-lvm.rules$'
	st_boot lvm-nomdadm r1a r1b -- --append "root=$LV"
	assert_success
	assert_lvm_root
	assert_line --partial 'warmboot: array wbhost:root (raid1 md127 /dev/md/root): started: all members present'
	assert_md_udev
	assert_line --regexp '^WBVM: INFO mdstat .*\[2/2\] \[UU\]'
	refute_line --partial 'does not exist'
}

# bats test_tags=slow
@test "LVM on RAID1, mdadm not installed, one member missing: started degraded after warmboot.wait=, root on the LV" {
	st_boot lvm-nomdadm r1b -- --append "root=$LV warmboot.wait=2"
	assert_success
	assert_lvm_root
	assert_line --partial 'warmboot: array wbhost:root (raid1 md127 /dev/md/root): started degraded'
	assert_md_udev
	assert_line --regexp '^WBVM: INFO mdstat .*\[2/1\]'
}

# bats test_tags=slow
@test "LVM on RAID1, mdadm not installed, warmboot.degraded=0 and a member missing: no root, a clear message" {
	st_boot lvm-nomdadm r1a -- --append "root=$LV warmboot.wait=2 warmboot.degraded=0"
	assert_failure 3
	refute_line 'WBVM: OK real root init reached'
	assert_line --partial 'array wbhost:root NOT STARTED: degraded starts are refused'
	assert_line --partial "ALERT!  $LV does not exist"
}

@test "LVM on RAID1, Debian's mdadm installed beside warmboot: its rule gives the properties, warmboot assembles" {
	run cat "$IMG/lvm/lsinitramfs.txt"
	assert_line --regexp 'sbin/mdadm$'
	assert_line --regexp '63-md-raid-arrays.rules$'
	refute_line --regexp '63-md-warmboot.rules$'
	refute_line --regexp '64-md-raid-assembly.rules$'
	st_boot lvm r1a r1b -- --append "root=$LV"
	assert_success
	assert_lvm_root
	assert_line --partial 'warmboot: array wbhost:root (raid1 md127 /dev/md/root): started: all members present'
	assert_md_udev
}

@test "LUKS on RAID1, mdadm not installed, key file in the image: cryptroot unlocks the array warmboot started" {
	run cat "$IMG/luks-key/lsinitramfs.txt"
	assert_line cryptroot/keyfiles/croot.key
	assert_line --regexp 'lib/udev/rules.d/63-md-warmboot.rules$'
	st_boot luks-key c1a c1b -- --append "root=/dev/mapper/croot"
	assert_success
	assert_root /dev/mapper/croot
	assert_line --partial 'warmboot: array wbhost:croot (raid1 md127 /dev/md/croot): started: all members present'
	assert_line 'WBVM: INFO udev ID_FS_TYPE=crypto_LUKS'
	assert_line 'WBVM: INFO udev MD_NAME=wbhost:croot'
	assert_line --regexp '^WBVM: INFO mdstat .*\[2/2\] \[UU\]'
}

# bats test_tags=slow
@test "LUKS on RAID1, key file, one member missing: degraded start, then unlocked" {
	st_boot luks-key c1b -- --append "root=/dev/mapper/croot warmboot.wait=2"
	assert_success
	assert_root /dev/mapper/croot
	assert_line --partial 'warmboot: array wbhost:croot (raid1 md127 /dev/md/croot): started degraded'
}

# boot_disks IMAGE: b1a b1b in $D with an ext4 /boot (kernel, IMAGE's initrd,
# Debian's /vmlinuz and /initrd.img links) in the data area of the 1.0 array,
# which starts at sector 0 of each member (the superblock is at the end)
boot_disks() {
	local kver kib b=$BATS_TEST_TMPDIR/boot m
	kver=$(cat "$VM_DIR/kver")
	kib=$(sed -n 's/^ *Array Size : \([0-9]*\) KiB.*/\1/p' "$ST/out/examine-b1a")
	# mdadm --examine prints no Data Offset line for 1.0's data at sector 0
	grep -q 'Version : 1.0$' "$ST/out/examine-b1a" || fail "b1a: not metadata 1.0"
	! grep -q 'Data Offset : [1-9]' "$ST/out/examine-b1a" || fail "b1a: metadata 1.0 data not at 0"
	mkdir -p "$b/root"
	cp "$VM_DIR/vmlinuz" "$b/root/vmlinuz-$kver"
	cp "$IMG/$1/initrd.img" "$b/root/initrd.img-$kver"
	ln -s "vmlinuz-$kver" "$b/root/vmlinuz"
	ln -s "initrd.img-$kver" "$b/root/initrd.img"
	mke2fs -q -t ext4 -F -d "$b/root" -L wbboot -E root_owner=0:0 "$b/fs.img" "${kib}k"
	for m in b1a b1b; do
		cp --sparse=always "$ST/$m.img" "$D/$m.img"
		dd if="$b/fs.img" of="$D/$m.img" bs=1M conv=notrunc,sparse status=none
	done
}

# bats test_tags=slow
@test "/boot on a 1.0 RAID1, root on LVM on a second array, mdadm not installed: both assembled, root on the LV" {
	boot_disks lvm-nomdadm
	st_boot lvm-nomdadm r1a r1b b1a b1b -- --append "root=$LV"
	assert_success
	assert_lvm_root
	assert_line --regexp 'warmboot: array wbhost:boot \(raid1 md12[67] /dev/md/boot\): started: all members present'
	assert_line --regexp 'warmboot: array wbhost:root \(raid1 md12[67] /dev/md/root\): started: all members present'
	assert_line 'WBVM: INFO udev MD_METADATA=1.0'
}

# bats test_tags=slow
@test "chain: warmboot.chain=/dev/md/boot:/vmlinuz kexecs the kernel on the 1.0 /boot array; the second boot reaches root on the LV" {
	boot_disks lvm-nomdadm
	st_boot lvm-nomdadm r1a r1b b1a b1b -- --append "root=$LV warmboot.chain=/dev/md/boot:/vmlinuz"
	assert_success
	assert_line --partial "warmboot: chain: kernel /vmlinuz-$(cat "$VM_DIR/kver") on /dev/md/boot"
	assert_line --partial 'warmboot: chain: executing'
	[ "$(grep -c '^Loading, please wait' "$VM_LOG")" -eq 2 ]
	assert_lvm_root
	refute_line --regexp '^WBVM: INFO cmdline .*warmboot\.chain'
}

# bats test_tags=slow
@test "LVM on RAID1, mdadm not installed, warmboot's rule blanked (the image before issue 16): the LV never appears" {
	# a later archive in the same zstd stream overrides the rule with an
	# empty file (the kernel reads nothing after a zstd stream)
	local o=$BATS_TEST_TMPDIR/norule
	mkdir -p "$o/usr/lib/udev/rules.d" "$IMG/lvm-norule"
	: >"$o/usr/lib/udev/rules.d/63-md-warmboot.rules"
	(cd "$o" && echo usr/lib/udev/rules.d/63-md-warmboot.rules | cpio --quiet -o -H newc -R 0:0) >"$o.cpio"
	# trixie's image starts with an uncompressed cpio (its .ko.xz): keep what comes
	# before the zstd stream as it is (off 0 on bookworm)
	local img=$IMG/lvm-nomdadm/initrd.img off
	off=$(LC_ALL=C grep -obUaP '\x28\xb5\x2f\xfd' "$img" | head -n 1 | cut -d: -f1)
	[ -n "$off" ] || fail "no zstd stream in $img"
	{
		head -c "$off" "$img"
		{ tail -c +$((off + 1)) "$img" | zstd -q -dc; cat "$o.cpio"; } | zstd -q -1
	} >"$IMG/lvm-norule/initrd.img"
	st_boot lvm-norule r1a r1b -- --append "root=$LV rootdelay=10"
	assert_failure
	refute_line 'WBVM: OK real root init reached'
	assert_line --partial 'warmboot: array wbhost:root (raid1 md127 /dev/md/root): started: all members present'
	assert_line --partial "ALERT!  $LV does not exist"
}

@test "LUKS on RAID1, mdadm not installed, passphrase typed on the serial console: cryptroot asks once, unlocks the array warmboot started" {
	run cat "$IMG/luks-pass/lsinitramfs.txt"
	refute_line --regexp '^cryptroot/keyfiles/'
	assert_line --regexp 'lib/cryptsetup/askpass$'
	ST_TYPE=("$(cat "$ST/pass")")
	st_boot luks-pass c1a c1b -- --append "root=/dev/mapper/croot"
	assert_success
	assert_root /dev/mapper/croot
	assert_line --partial 'warmboot: array wbhost:croot (raid1 md127 /dev/md/croot): started: all members present'
	[ "$(grep -aoF "$PROMPT" "$VM_LOG" | wc -l)" -eq 1 ]
	refute_line --partial 'bad password'
	assert_line 'WBVM: INFO udev ID_FS_TYPE=crypto_LUKS'
}

@test "LUKS on RAID1, passphrase on the console, a wrong one first: cryptroot says so, asks again, the right one unlocks" {
	ST_TYPE=(not-the-passphrase "$(cat "$ST/pass")")
	st_boot luks-pass c1a c1b -- --append "root=/dev/mapper/croot"
	assert_success
	assert_line --partial 'cryptsetup: ERROR: croot: cryptsetup failed, bad password or options?'
	[ "$(grep -aoF "$PROMPT" "$VM_LOG" | wc -l)" -eq 2 ]
	assert_root /dev/mapper/croot
}

@test "LVM on RAID1, WARMBOOT_LEAD=mdadm with Debian's mdadm installed: mdadm's udev path assembles, warmboot stands aside, root on the LV" {
	run cat "$IMG/lvm-lead/lsinitramfs.txt"
	assert_line --regexp 'sbin/mdadm$'
	assert_line --regexp '64-md-raid-assembly.rules$'
	assert_line scripts/local-block/mdadm
	st_boot lvm-lead r1a r1b -- --append "root=$LV"
	assert_success
	assert_lvm_root
	assert_line --partial 'warmboot: mdadm leads md assembly (WARMBOOT_LEAD=mdadm): local-top assembles nothing'
	refute_line --partial 'warmboot: array '
	assert_md_udev
	assert_line --regexp '^WBVM: INFO mdstat .*\[2/2\] \[UU\]'
}

@test "LVM on RAID1, mdadm not installed, WARMBOOT_UDEV=no: no udev, warmboot activates the VG, root on the LV" {
	run cat "$IMG/lvm-noudev/lsinitramfs.txt"
	refute_line scripts/init-top/udev
	run cat "$IMG/lvm-noudev/conf_conf.d_warmboot"
	assert_line WARMBOOT_BUILT_UDEV=no
	st_boot lvm-noudev r1a r1b -- --append "root=$LV"
	assert_success
	assert_lvm_root
	assert_line --partial 'warmboot: array wbhost:root (raid1 md127 /dev/md/root): started: all members present'
	assert_line --partial 'warmboot: no udev: activating LVM volume groups (lvm vgchange -aay --sysinit)'
	assert_line 'WBVM: INFO udev never ran'
	assert_line --regexp '^WBVM: INFO link /dev/md/root -> (/dev/|\.\./)?md127$'
}

@test "LUKS on RAID1, mdadm not installed, WARMBOOT_UDEV=no: the hook keeps udev (said at build time), cryptroot unlocks" {
	run cat "$IMG/luks-noudev/build.log"
	assert_line 'W: warmboot: WARMBOOT_UDEV=no ignored: the image unlocks dm-crypt devices (cryptroot/crypttab); udev stays in the image'
	run cat "$IMG/luks-noudev/conf_conf.d_warmboot"
	assert_line WARMBOOT_BUILT_UDEV=yes
	st_boot luks-noudev c1a c1b -- --append "root=/dev/mapper/croot"
	assert_success
	assert_root /dev/mapper/croot
	assert_line --partial 'warmboot: array wbhost:croot (raid1 md127 /dev/md/croot): started: all members present'
	assert_line 'WBVM: INFO udev ran'
}

@test "LUKS on RAID1, key file, Debian's mdadm installed beside warmboot: warmboot assembles, cryptroot unlocks" {
	run cat "$IMG/luks-mdadm/lsinitramfs.txt"
	assert_line --regexp 'sbin/mdadm$'
	assert_line --regexp '63-md-raid-arrays.rules$'
	refute_line --regexp '64-md-raid-assembly.rules$'
	assert_line cryptroot/keyfiles/croot.key
	st_boot luks-mdadm c1a c1b -- --append "root=/dev/mapper/croot"
	assert_success
	assert_root /dev/mapper/croot
	assert_line --partial 'warmboot: array wbhost:croot (raid1 md127 /dev/md/croot): started: all members present'
	assert_line 'WBVM: INFO udev MD_NAME=wbhost:croot'
	assert_line 'WBVM: INFO udev ID_FS_TYPE=crypto_LUKS'
}

@test "/boot on a 1.0 RAID1, root on LVM on a second array, Debian's mdadm installed beside warmboot: both assembled by warmboot" {
	boot_disks lvm
	st_boot lvm r1a r1b b1a b1b -- --append "root=$LV"
	assert_success
	assert_lvm_root
	assert_line --regexp 'warmboot: array wbhost:boot \(raid1 md12[67] /dev/md/boot\): started: all members present'
	assert_line --regexp 'warmboot: array wbhost:root \(raid1 md12[67] /dev/md/root\): started: all members present'
	assert_line 'WBVM: INFO udev MD_METADATA=1.0'
	assert_line "WBVM: INFO udev MD_NAME=wbhost:root"
	assert_line "WBVM: INFO udev MD_NAME=wbhost:boot"
}

@test "/boot on a 1.0 RAID1 and root on LVM, mdadm not installed, the second disk gone (a member of each): both started degraded, root on the LV" {
	boot_disks lvm-nomdadm
	st_boot lvm-nomdadm r1a b1a -- --append "root=$LV warmboot.wait=2"
	assert_success
	assert_lvm_root
	assert_line --regexp 'warmboot: array wbhost:boot \(raid1 md12[67] /dev/md/boot\): started degraded'
	assert_line --regexp 'warmboot: array wbhost:root \(raid1 md12[67] /dev/md/root\): started degraded'
	assert_line 'WBVM: INFO udev MD_METADATA=1.0'
	assert_line --regexp '^WBVM: INFO mdstat .*\[2/1\]'
	refute_line --regexp '^WBVM: INFO mdstat .*\[2/2\]'
}
