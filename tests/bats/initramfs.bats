#!/usr/bin/env bats
# The initramfs-tools hook and boot scripts under a sealed fake of
# initramfs-tools (tests/initramfs/fake): hook-functions records copy_exec,
# manual_add_modules...; a fake warmboot records its arguments; the boot
# scripts run under busybox sh with busybox's applets first on PATH, against
# a fake root (WARMBOOT_BOOT_ROOT: /proc/cmdline, /etc, /conf, /sys, /dev).
load helper

FAKE=$TOP/tests/initramfs/fake
HOOK=$TOP/mkinitramfs-hooks/warmboot

setup() {
	setup_sealed
	command -v busybox >/dev/null || skip "busybox not installed"
	H=$BATS_TEST_TMPDIR/host D=$BATS_TEST_TMPDIR/dest B=$BATS_TEST_TMPDIR/boot
	mkdir -p "$H/proc/sys/kernel" "$H/etc/mdadm" "$H/etc/default" "$H/sys/devices" \
		"$H/usr/sbin" "$D/conf" "$B/proc" "$B/etc/default" "$B/conf/conf.d" \
		"$B/scripts" "$B/sys/block" "$B/dev" "$B/run" "$BATS_TEST_TMPDIR/bb"
	export HOOK_CALLS=$BATS_TEST_TMPDIR/hook-calls WB_CALLS=$BATS_TEST_TMPDIR/wb-calls
	: >"$HOOK_CALLS"
	: >"$WB_CALLS"
	cp "$FAKE/warmboot" "$H/usr/sbin/warmboot"
	echo testhost >"$H/proc/sys/kernel/hostname"
	printf 'Personalities : [raid1]\nunused devices: <none>\n' >"$H/proc/mdstat"
	echo "/dev/vda / ext4 rw 0 0" >"$H/proc/mounts"
	cp "$TOP/etc/default/warmboot" "$H/etc/default/warmboot"
	export DESTDIR=$D version=6.1.0-test MODULESDIR=/lib/modules/6.1.0-test
	export WARMBOOT_HOOK_FUNCTIONS=$FAKE/hook-functions WARMBOOT_HOOK_ROOT=$H
	export WARMBOOT_BIN=$H/usr/sbin/warmboot WB_LIB=$TOP/hooks WB_SHARE=$TOP/share
	# boot side: the scripts as installed, busybox applets, fake warmboot
	cp "$TOP/scripts/warmboot-functions" "$B/scripts/"
	mkdir -p "$B/usr/lib/warmboot"
	cp "$TOP/hooks/bool" "$B/usr/lib/warmboot/bool"
	busybox --install -s "$BATS_TEST_TMPDIR/bb"
	mkdir -p "$BATS_TEST_TMPDIR/fbin"
	cp "$FAKE/warmboot" "$BATS_TEST_TMPDIR/fbin/warmboot"
	cp "$TOP/etc/default/warmboot" "$B/etc/default/warmboot"
	export WARMBOOT_BOOT_ROOT=$B
	unset FAKE_NO_MODULES FAKE_STORAGE FAKE_UUID FAKE_ASSEMBLE FAKE_ACTIVATE FAKE_ASSEMBLE_RC FAKE_FAIL quiet
}

hook() { run --separate-stderr sh "$HOOK" "$@"; }
boot() {
	run --separate-stderr env PATH="$BATS_TEST_TMPDIR/fbin:$BATS_TEST_TMPDIR/bb" \
		busybox sh "$TOP/scripts/$1"
}
cmdline() { echo "$*" >"$B/proc/cmdline"; }
# an assemble --json answer with one array
assemble_json() { # name dev link result reason
	printf '{"arrays":[{"uuid":"a8:70:40:d1","name":"%s","device":"%s","link":"%s","level":"raid1","raid_disks":2,"decision":"x","reason":"%s","result":"%s","clean":true,"members":[{"device":"/dev/vda","use":"active","slot":0,"events":4}]}]}\n' \
		"$1" "$2" "$3" "$5" "$4" >"$BATS_TEST_TMPDIR/assemble.json"
	export FAKE_ASSEMBLE=$BATS_TEST_TMPDIR/assemble.json
}

# --- hook ------------------------------------------------------------------------

@test "hook: prereqs name mdadm and udev, so it runs after them" {
	hook prereqs
	assert_success
	assert_output "mdadm udev"
	[ ! -s "$HOOK_CALLS" ]
}

@test "hook: copies the static binary, defaults and the rescue helper" {
	hook
	assert_success
	grep -qx "copy_exec $H/usr/sbin/warmboot /usr/sbin/warmboot" "$HOOK_CALLS"
	grep -qx "copy_file config $H/etc/default/warmboot /etc/default/warmboot" "$HOOK_CALLS"
	[ -x "$D/usr/sbin/warmboot" ] && [ -f "$D/etc/default/warmboot" ]
	[ -x "$D/usr/sbin/warmboot-rescue" ]
	grep -q 'warmboot assemble --scan' "$D/usr/share/warmboot/rescue.txt"
	grep -q 'warmboot load default --root /mnt' "$D/usr/share/warmboot/rescue.txt"
	grep -qx WARMBOOT_BUILT_LEAD=warmboot "$D/conf/conf.d/warmboot"
	# files of the package, not heredocs; the boot scripts' yes/no reader
	grep -qx "copy_file text $TOP/share/rescue.txt /usr/share/warmboot/rescue.txt" "$HOOK_CALLS"
	grep -qx "copy_exec $TOP/hooks/warmboot-rescue /usr/sbin/warmboot-rescue" "$HOOK_CALLS"
	grep -qx "copy_file shell $TOP/hooks/bool /usr/lib/warmboot/bool" "$HOOK_CALLS"
	cmp "$TOP/hooks/bool" "$D/usr/lib/warmboot/bool"
}

@test "hook: fails the build when the warmboot binary is missing" {
	rm "$H/usr/sbin/warmboot"
	hook
	assert_failure 1
	[[ $stderr == *"is missing"* ]]
}

@test "hook: personalities of the running arrays and of mdadm.conf level=" {
	printf 'Personalities : [raid1] [raid6]\nmd127 : active raid1 vdb[1] vda[0]\n      1024 blocks\n\nunused devices: <none>\n' >"$H/proc/mdstat"
	printf 'ARRAY /dev/md/data metadata=1.2\n   level=raid6 UUID=1:2:3:4\nARRAY /dev/md/r0 level=0 UUID=5:6:7:8\n' >"$H/etc/mdadm/mdadm.conf"
	hook
	assert_success
	grep -qx "manual_add_modules raid1 raid456 raid0" "$HOOK_CALLS"
}

@test "hook: the levels go to warmboot modules --for-level; an unknown one is skipped" {
	printf 'Personalities : [raid1]\nmd127 : active raid1 vdb[1] vda[0]\n      1024 blocks\n\nunused devices: <none>\n' >"$H/proc/mdstat"
	printf 'ARRAY /dev/md/a level=mirror UUID=1:2:3:4\nARRAY /dev/md/b level=weird UUID=5:6:7:8\nARRAY /dev/md/c level=10 UUID=9:a:b:c\n' >"$H/etc/mdadm/mdadm.conf"
	hook
	assert_success
	grep -qx "warmboot modules --for-level raid1 mirror weird 10" "$WB_CALLS"
	grep -qx "manual_add_modules raid1 raid10" "$HOOK_CALLS"
	[[ $stderr == *"weird"* ]]
}

# The fake answers --for-level as the real binary: the hook tests above
# stand for the real thing only while the two agree.
@test "hook: the fake warmboot's --for-level answers as the real one" {
	levels="linear raid0 0 stripe raid1 1 mirror raid4 4 raid5 5 raid6 6 raid10 10 multipath mp"
	run --separate-stderr "$WB" modules --for-level $levels
	assert_success
	real=$output
	run --separate-stderr "$FAKE/warmboot" modules --for-level $levels
	assert_success
	assert_equal "$output" "$real"
	run --separate-stderr "$WB" modules --for-level raid1 bogus raid0
	assert_failure 1
	assert_output "raid1
raid0"
	[[ $stderr == *bogus* ]]
}

@test "hook: all personalities when neither mdstat nor mdadm.conf tells" {
	hook
	assert_success
	grep -qx "manual_add_modules linear raid0 raid1 raid10 raid456" "$HOOK_CALLS"
	[[ $stderr == *"all personalities"* ]]
}

@test "hook: a host level the image's kernel has no personality for is warned about (linear on 6.12)" {
	printf 'Personalities : [linear] [raid1]\nmd0 : active linear vdc[1] vdb[0]\n      2048 blocks\n\nmd127 : active raid1 vdb[1] vda[0]\n      1024 blocks\n\nunused devices: <none>\n' >"$H/proc/mdstat"
	FAKE_NO_MODULES=linear version=6.12.118+deb13-amd64 hook
	assert_success
	[[ $stderr == *"md personalities: raid1"* ]]
	[[ $stderr == *"W: warmboot: kernel 6.12.118+deb13-amd64 has no linear personality: this host's arrays of that level will not start from this image"* ]]
}

@test "hook: all personalities on a kernel without linear: left out, said, no warning" {
	FAKE_NO_MODULES=linear hook
	assert_success
	[[ $stderr == *"md personalities: raid0 raid1 raid10 raid456"* ]]
	[[ $stderr == *"kernel 6.1.0-test has no linear personality: left out"* ]]
	[[ $stderr != *"W: warmboot"* ]]
}

@test "hook: WARMBOOT_PERSONALITIES overrides the detection" {
	echo WARMBOOT_PERSONALITIES=raid10 >>"$H/etc/default/warmboot"
	hook
	assert_success
	grep -qx "manual_add_modules raid10" "$HOOK_CALLS"
}

@test "hook: storage drivers from warmboot modules --storage --dry-run for the target kernel" {
	export FAKE_STORAGE="device /sys/devices/pci0000:00/0000:00:1f.2 pci:v00008086d00002922: ahci
insmod /lib/modules/6.1.0-test/kernel/drivers/ata/libahci.ko
insmod /lib/modules/6.1.0-test/kernel/drivers/ata/ahci.ko.xz
insmod /lib/modules/6.1.0-test/kernel/drivers/scsi/sd_mod.ko.zst"
	hook
	assert_success
	grep -qx "warmboot modules --storage --dry-run --settle 0 --kernel 6.1.0-test" "$WB_CALLS"
	grep -qx "manual_add_modules ahci libahci sd_mod" "$HOOK_CALLS"
}

@test "hook: mdadm.conf keeps ARRAY/DEVICE/HOMEHOST/AUTO, joins continuations, names the homehost" {
	cat >"$H/etc/mdadm/mdadm.conf" <<-'C'
	# comment
	DEVICE partitions containers
	HOMEHOST <system>
	MAILADDR root
	CREATE owner=root group=disk mode=0660 auto=yes
	PROGRAM /usr/bin/handle-event
	AUTO +1.x -all
	ARRAY /dev/md/root metadata=1.2 name=host:root
	   UUID=a87040d1:7220c0f9:3e5bc61b:902b618c
	POLICY action=re-add
	C
	hook
	assert_success
	run cat "$D/etc/mdadm/mdadm.conf"
	assert_output "DEVICE partitions containers
HOMEHOST testhost
AUTO +1.x -all
ARRAY /dev/md/root metadata=1.2 name=host:root UUID=a87040d1:7220c0f9:3e5bc61b:902b618c"
}

@test "hook: WARMBOOT_HOMEHOST names the homehost; none keeps <system>" {
	printf 'ARRAY /dev/md0 UUID=1:2:3:4\n' >"$H/etc/mdadm/mdadm.conf"
	echo WARMBOOT_HOMEHOST=wbhost >>"$H/etc/default/warmboot"
	hook
	assert_success
	grep -qx 'HOMEHOST wbhost' "$D/etc/mdadm/mdadm.conf"
	printf 'HOMEHOST <system>\n' >"$H/etc/mdadm/mdadm.conf"
	echo WARMBOOT_HOMEHOST=none >>"$H/etc/default/warmboot"
	hook
	grep -qx 'HOMEHOST <system>' "$D/etc/mdadm/mdadm.conf"
}

# What mdadm's own hook leaves in the image.
mdadm_image() {
	mkdir -p "$D/lib/udev/rules.d" "$D/scripts/local-block" "$D/scripts/local-bottom"
	: >"$D/lib/udev/rules.d/63-md-raid-arrays.rules"
	: >"$D/lib/udev/rules.d/64-md-raid-assembly.rules"
	: >"$D/scripts/local-block/mdadm"
	: >"$D/scripts/local-bottom/mdadm"
	printf 'raid1\nlinear\nraid456\nefivarfs\nraid10\n' >"$D/conf/modules"
}

@test "hook: warmboot leads: mdadm's incremental assembly leaves the image, mdadm stays" {
	mdadm_image
	hook
	assert_success
	[ ! -e "$D/lib/udev/rules.d/64-md-raid-assembly.rules" ]
	[ ! -e "$D/scripts/local-block/mdadm" ]
	[ -e "$D/lib/udev/rules.d/63-md-raid-arrays.rules" ]
	run cat "$D/conf/modules"
	assert_output efivarfs
	grep -qx WARMBOOT_BUILT_LEAD=warmboot "$D/conf/conf.d/warmboot"
}

@test "hook: mdadm leads: its image is untouched and the boot script will stand aside" {
	mdadm_image
	echo WARMBOOT_LEAD=mdadm >>"$H/etc/default/warmboot"
	hook
	assert_success
	[ -e "$D/lib/udev/rules.d/64-md-raid-assembly.rules" ]
	[ -e "$D/scripts/local-block/mdadm" ]
	[ "$(wc -l <"$D/conf/modules")" -eq 5 ]
	grep -qx WARMBOOT_BUILT_LEAD=mdadm "$D/conf/conf.d/warmboot"
}

@test "hook: mdadm asked to lead but not in the image: warmboot leads, with a warning" {
	echo WARMBOOT_LEAD=mdadm >>"$H/etc/default/warmboot"
	hook
	assert_success
	[[ $stderr == *"WARMBOOT_LEAD=mdadm but"* ]]
	grep -qx WARMBOOT_BUILT_LEAD=warmboot "$D/conf/conf.d/warmboot"
}

udev_image() {
	mkdir -p "$D/scripts/init-top" "$D/scripts/init-bottom"
	echo "udevd --daemon" >"$D/scripts/init-top/udev"
	echo "udevadm control --exit" >"$D/scripts/init-bottom/udev"
}

@test "hook: WARMBOOT_UDEV=no: udev's boot scripts leave the image, its init-top kept for the rescue path" {
	udev_image
	mdadm_image
	echo WARMBOOT_UDEV=no >>"$H/etc/default/warmboot"
	hook
	assert_success
	[ ! -e "$D/scripts/init-top/udev" ]
	[ ! -e "$D/scripts/init-bottom/udev" ]
	grep -qx "udevd --daemon" "$D/usr/share/warmboot/udev-init-top"
	grep -qx WARMBOOT_BUILT_UDEV=no "$D/conf/conf.d/warmboot"
	[[ $stderr == *"the image starts no udev"* ]]
}

@test "hook: udev stays by default, and when mdadm leads or LVM/crypt need it" {
	udev_image
	hook
	assert_success
	[ -e "$D/scripts/init-top/udev" ]
	grep -qx WARMBOOT_BUILT_UDEV=yes "$D/conf/conf.d/warmboot"
	mdadm_image
	printf 'WARMBOOT_UDEV=no\nWARMBOOT_LEAD=mdadm\n' >>"$H/etc/default/warmboot"
	hook
	assert_success
	[ -e "$D/scripts/init-top/udev" ]
	[[ $stderr == *"WARMBOOT_UDEV=no ignored: mdadm leads"* ]]
	grep -qx WARMBOOT_BUILT_UDEV=yes "$D/conf/conf.d/warmboot"
	echo WARMBOOT_LEAD=warmboot >>"$H/etc/default/warmboot"
	mkdir -p "$D/cryptroot"
	echo "croot UUID=x none luks" >"$D/cryptroot/crypttab"
	hook
	[ -e "$D/scripts/init-top/udev" ]
	[[ $stderr == *"ignored: the image unlocks dm-crypt devices (cryptroot/crypttab)"* ]]
}

# Root on /dev/md0 (raid1) over vda, whose controller chain has virtio_blk and virtio_pci.
md_root() {
	echo "/dev/md0 / ext4 rw 0 0" >"$H/proc/mounts"
	mkdir -p "$H/dev" "$H/sys/block/md0/md/dev-vda" "$H/sys/class/block" \
		"$H/sys/devices/pci/virtio0/block/vda" "$H/sys/module/virtio_blk" \
		"$H/sys/module/virtio_pci" "$H/sys/bus/virtio/drivers/virtio_blk" "$H/sys/bus/pci/drivers/virtio-pci"
	echo raid1 >"$H/sys/block/md0/md/level"
	ln -s ../../../../devices/pci/virtio0/block/vda "$H/sys/block/md0/md/dev-vda/block"
	ln -s ../../devices/pci/virtio0/block/vda "$H/sys/class/block/vda"
	ln -s ../../../../module/virtio_blk "$H/sys/bus/virtio/drivers/virtio_blk/module"
	ln -s ../../../../module/virtio_pci "$H/sys/bus/pci/drivers/virtio-pci/module"
	ln -s ../../../bus/virtio/drivers/virtio_blk "$H/sys/devices/pci/virtio0/driver"
	ln -s ../../bus/pci/drivers/virtio-pci "$H/sys/devices/pci/driver"
	: >"$H/dev/vda"
	: >"$H/dev/md0"
	export FAKE_UUID=a87040d1:7220c0f9:3e5bc61b:902b618c
}

@test "hook: root on md, everything in the image: no warning" {
	md_root
	printf 'ARRAY /dev/md0 UUID=a87040d1:7220c0f9:3e5bc61b:902b618c\n' >"$H/etc/mdadm/mdadm.conf"
	export FAKE_STORAGE="insmod /x/virtio_pci.ko
insmod /x/virtio_blk.ko"
	hook
	assert_success
	[[ $stderr == *"root (/dev/md0) is on md0 (raid1)"* ]]
	[[ $stderr != *"ROOT ON MD"* ]]
	grep -q "warmboot examine $H/dev/vda" "$WB_CALLS"
}

@test "hook: root on md, personality and member driver missing: loud warning, image built" {
	md_root
	echo WARMBOOT_PERSONALITIES=raid0 >>"$H/etc/default/warmboot"
	hook
	assert_success
	[[ $stderr == *"ROOT ON MD: md0 is raid1 but the raid1 personality is not in the image"* ]]
	[[ $stderr == *"member vda of md0 needs driver virtio_blk"* ]]
	[[ $stderr == *"THIS IMAGE MAY NOT BOOT"* ]]
}

@test "hook: root on md, AUTO -all and not listed; WARMBOOT_INITRAMFS_STRICT=fail fails the build" {
	md_root
	export FAKE_STORAGE="insmod /x/virtio_pci.ko
insmod /x/virtio_blk.ko"
	printf 'AUTO -all\nARRAY /dev/md1 UUID=1:2:3:4\n' >"$H/etc/mdadm/mdadm.conf"
	echo WARMBOOT_INITRAMFS_STRICT=fail >>"$H/etc/default/warmboot"
	hook
	assert_failure 1
	[[ $stderr == *"AUTO excludes scanning"* ]]
	[[ $stderr == *"refusing to build the image"* ]]
}

@test "hook: root on a partition of md and on LVM over md is found" {
	md_root
	mkdir -p "$H/sys/class/block/dm-0/slaves" "$H/dev/mapper"
	ln -s ../../md0 "$H/sys/class/block/dm-0/slaves/md0"
	: >"$H/dev/dm-0"
	echo "/dev/dm-0 / ext4 rw 0 0" >"$H/proc/mounts"
	udev_image
	echo WARMBOOT_UDEV=no >>"$H/etc/default/warmboot"
	hook
	[[ $stderr == *"root (/dev/dm-0) is on md0"* ]]
	[[ $stderr == *"WARMBOOT_UDEV=no ignored: root (/dev/dm-0) is on device-mapper"* ]]
	[ -e "$D/scripts/init-top/udev" ]
	echo "/dev/md0p2 / ext4 rw 0 0" >"$H/proc/mounts"
	: >"$H/dev/md0p2"
	hook
	[[ $stderr == *"root (/dev/md0p2) is on md0"* ]]
}

# Root on sdx1, a partition whose disk sdx is stacked on md0 and which lists
# a slave of its own, md1: walking sdx1's slaves must not lose sdx1 for the
# partition test after them (md_below's variables are local).
@test "hook: root on a partition with slaves of its own whose disk is stacked on an array" {
	echo "/dev/sdx1 / ext4 rw 0 0" >"$H/proc/mounts"
	mkdir -p "$H/dev" "$H/sys/class/block" "$H/sys/devices/virtual/block/sdx/sdx1/slaves" \
		"$H/sys/devices/virtual/block/sdx/slaves" "$H/sys/block/md0/md" "$H/sys/block/md1/md"
	: >"$H/dev/sdx1"
	: >"$H/sys/devices/virtual/block/sdx/sdx1/partition"
	ln -s ../../devices/virtual/block/sdx/sdx1 "$H/sys/class/block/sdx1"
	ln -s ../../devices/virtual/block/sdx "$H/sys/class/block/sdx"
	ln -s ../../../../../md1 "$H/sys/devices/virtual/block/sdx/sdx1/slaves/md1"
	ln -s ../../../../md0 "$H/sys/devices/virtual/block/sdx/slaves/md0"
	echo raid1 >"$H/sys/block/md0/md/level"
	echo raid0 >"$H/sys/block/md1/md/level"
	hook
	assert_success
	[[ $stderr == *"root (/dev/sdx1) is on md0 (raid1)"* ]]
	[[ $stderr == *"root (/dev/sdx1) is on md1 (raid0)"* ]]
}

# --- the suite's real Debian image ------------------------------------------------
# $D laid out as Debian's own default image of SUITE (bookworm: initramfs-tools
# 0.142, mdadm 4.2; trixie: 0.148, mdadm 4.4) was, from what make
# initramfs-images SUITE=... kept of it (images/mdadm: layout.txt, its
# lsinitramfs -l; conf_modules): every directory and link as there, every
# file empty, the kernel modules left out.
SUITE=${SUITE:-bookworm}
IRD=${IRD:-${CACHE:-$TOP/.cache}/initramfs-$SUITE}
debian_image() {
	local img=$IRD/images/mdadm t p
	[ -f "$img/layout.txt" ] || skip "no $SUITE images in $IRD (make initramfs-images SUITE=$SUITE)"
	# "drwxr-xr-x 2 root root 0 Dec 1 13:54 NAME [-> TARGET]": directories
	# first, so files and links find theirs
	awk '$9 != "." && $9 !~ /\/lib\/modules(\/|$)/ {
		t = substr($1, 1, 1); print (t == "d" ? 0 : 1), t, $9, $11 }' "$img/layout.txt" |
		sort -n -k1,1 -s >"$BATS_TEST_TMPDIR/layout"
	while read -r _ t p l; do
		case $t in
		d) mkdir -p "$D/$p" ;;
		l) ln -s "$l" "$D/$p" ;;
		*) : >"$D/$p" ;;
		esac
	done <"$BATS_TEST_TMPDIR/layout"
	cp "$img/conf_modules" "$D/conf/modules"
}

@test "hook on Debian's own image of the suite: mdadm's incremental assembly leaves, mdadm and its arrays rule stay" {
	debian_image
	# what that release's mdadm hook put there, wherever its layout puts it
	[ -n "$(find "$D" -name 64-md-raid-assembly.rules)" ]
	[ -e "$D/scripts/local-block/mdadm" ]
	grep -qx raid1 "$D/conf/modules"
	grep -vxE '(linear|multipath|raid[0-9]+)' "$D/conf/modules" >"$BATS_TEST_TMPDIR/modules" || true
	hook
	assert_success
	[ -z "$(find -L "$D" -name 64-md-raid-assembly.rules)" ]
	[ -n "$(find -L "$D" -name 63-md-raid-arrays.rules)" ]
	[ ! -e "$D/scripts/local-block/mdadm" ]
	[ ! -e "$D/scripts/local-bottom/mdadm" ]
	[ -e "$D/usr/sbin/mdadm" ]
	# only the md personalities go from Debian's early module loads
	cmp "$BATS_TEST_TMPDIR/modules" "$D/conf/modules"
	grep -qx WARMBOOT_BUILT_LEAD=warmboot "$D/conf/conf.d/warmboot"
}

@test "hook on Debian's own image of the suite, WARMBOOT_UDEV=no: udev's boot scripts leave, udevd stays for the rescue path" {
	debian_image
	[ -e "$D/scripts/init-top/udev" ] && [ -e "$D/scripts/init-bottom/udev" ]
	echo WARMBOOT_UDEV=no >>"$H/etc/default/warmboot"
	hook
	assert_success
	[ ! -e "$D/scripts/init-top/udev" ]
	[ ! -e "$D/scripts/init-bottom/udev" ]
	[ -e "$D/usr/share/warmboot/udev-init-top" ]
	[ -n "$(find -L "$D" -name systemd-udevd)" ]
	grep -qx WARMBOOT_BUILT_UDEV=no "$D/conf/conf.d/warmboot"
}

@test "hook on Debian's own image of the suite, WARMBOOT_LEAD=mdadm: none of Debian's files changes" {
	debian_image
	(cd "$D" && find . ! -path ./conf/conf.d/warmboot | sort) >"$BATS_TEST_TMPDIR/before"
	cp "$D/conf/modules" "$BATS_TEST_TMPDIR/modules"
	echo WARMBOOT_LEAD=mdadm >>"$H/etc/default/warmboot"
	hook
	assert_success
	# warmboot's own files are added; nothing of Debian's goes
	(cd "$D" && find . | sort) | comm -23 "$BATS_TEST_TMPDIR/before" - >"$BATS_TEST_TMPDIR/gone"
	[ ! -s "$BATS_TEST_TMPDIR/gone" ] || fail "removed: $(cat "$BATS_TEST_TMPDIR/gone")"
	cmp "$BATS_TEST_TMPDIR/modules" "$D/conf/modules"
	grep -qx WARMBOOT_BUILT_LEAD=mdadm "$D/conf/conf.d/warmboot"
}

# --- yes/no settings ----------------------------------------------------------------

# a fresh image with udev in it, built with WARMBOOT_UDEV=$1: what it says
udev_built() {
	rm -rf "$D"
	mkdir -p "$D/conf"
	udev_image
	echo "WARMBOOT_UDEV=$1" >>"$H/etc/default/warmboot"
	hook
	assert_success
	sed -n 's/^WARMBOOT_BUILT_UDEV=//p' "$D/conf/conf.d/warmboot"
}

@test "hook: WARMBOOT_UDEV takes every yes/no word, in any case" {
	for w in no No NO n off Off 0 false FALSE; do
		[ "$(udev_built "$w")" = no ] || fail "WARMBOOT_UDEV=$w"
	done
	for w in yes YES y on ON 1 true True ""; do
		[ "$(udev_built "$w")" = yes ] || fail "WARMBOOT_UDEV=$w"
		[ -e "$D/scripts/init-top/udev" ]
	done
}

@test "hook: a yes/no setting with another word fails the build, naming the setting and the value" {
	for s in WARMBOOT_UDEV=maybe WARMBOOT_DEGRADED=sometimes WARMBOOT_CHAIN_FORCE=please; do
		cp "$TOP/etc/default/warmboot" "$H/etc/default/warmboot"
		echo "$s" >>"$H/etc/default/warmboot"
		: >"$HOOK_CALLS"
		hook
		assert_failure 1
		[[ $stderr == "E: warmboot: $s in /etc/default/warmboot is not yes or no"* ]] || fail "$stderr"
		# before anything goes into the image
		[ ! -s "$HOOK_CALLS" ]
	done
}

# wb_settings as the boot scripts call it, sourced under busybox sh.
settings() {
	run --separate-stderr env PATH="$BATS_TEST_TMPDIR/fbin:$BATS_TEST_TMPDIR/bb" busybox sh -c \
		'. "$WARMBOOT_BOOT_ROOT/scripts/warmboot-functions" && wb_settings &&
		echo "$WB_DEGRADED $WARMBOOT_CHAIN_FORCE"'
}

@test "boot: WARMBOOT_DEGRADED and WARMBOOT_CHAIN_FORCE take the hook's words" {
	cmdline "root=/dev/md0"
	settings
	assert_output -- "--run no"
	for w in off No 0 FALSE n; do
		printf 'WARMBOOT_DEGRADED=%s\nWARMBOOT_CHAIN_FORCE=on\n' "$w" >>"$B/etc/default/warmboot"
		settings
		assert_output -- "--no-degraded yes"
	done
	cmdline "root=/dev/md0 warmboot.degraded=ON"
	settings
	assert_output -- "--run yes"
}

@test "boot: an unknown word on the command line warns and takes the default, never strands the boot" {
	cmdline "root=/dev/md/root warmboot.degraded=perhaps"
	echo WARMBOOT_DEGRADED=no >>"$B/etc/default/warmboot"
	assemble_json root md127 /dev/md/root started "all members present"
	boot local-top/warmboot
	assert_success
	grep -qx "warmboot assemble --scan --wait 10 --run --json" "$WB_CALLS"
	assert_output --partial "warmboot.degraded=perhaps is not yes or no: degraded starts allowed"
	grep -q 'warmboot.degraded=perhaps is not yes or no' "$B/run/warmboot/decision"
	# the same for a file that escaped the hook's check
	cmdline "root=/dev/md0"
	echo WARMBOOT_CHAIN_FORCE=always >>"$B/etc/default/warmboot"
	settings
	assert_success
	assert_line -- "--no-degraded always"
	[ "$(grep -c 'WARMBOOT_CHAIN_FORCE=always is not yes or no: no' "$B/run/warmboot/decision")" -eq 1 ]
}

# --- local-top -----------------------------------------------------------------

@test "local-top: defaults: storage drivers, then assemble --scan --wait 10 --run; the link is made" {
	cmdline "root=/dev/md/root ro quiet"
	assemble_json root md127 /dev/md/root started "all members present"
	boot local-top/warmboot
	assert_success
	run cat "$WB_CALLS"
	assert_output "warmboot modules --storage --settle 300
warmboot assemble --scan --wait 10 --run --json"
	[ "$(readlink "$B/dev/md/root")" = ../md127 ]
	grep -q 'array root (raid1 md127 /dev/md/root): started: all members present' "$B/run/warmboot/decision"
}

@test "local-top: warmboot.degraded=0 and warmboot.wait= on the command line win over the defaults" {
	cmdline "root=UUID=x warmboot.wait=3 warmboot.degraded=0"
	assemble_json root "" /dev/md/root "not started" "1 of 2 members"
	export FAKE_ASSEMBLE_RC=1
	boot local-top/warmboot
	assert_success
	grep -qx "warmboot assemble --scan --wait 3 --no-degraded --json" "$WB_CALLS"
	[ ! -e "$B/dev/md/root" ]
	assert_output --partial "array root NOT STARTED: degraded starts are refused"
	assert_output --partial "some arrays were not started"
}

@test "local-top: /etc/default/warmboot settings; nonsense values fall back with a message" {
	cmdline "root=/dev/md0 warmboot.wait=soon"
	printf 'WARMBOOT_DEGRADED=no\nWARMBOOT_SETTLE_MS=50\nWARMBOOT_MODULES="ahci nvme"\n' >>"$B/etc/default/warmboot"
	boot local-top/warmboot
	assert_success
	run cat "$WB_CALLS"
	assert_output "warmboot modules --storage --settle 50 ahci nvme
warmboot assemble --scan --wait 10 --no-degraded --json"
	grep -q 'warmboot.wait=soon is not a number' "$B/run/warmboot/decision"
}

@test "local-top: quiet silences the console; /run/warmboot keeps every decision" {
	cmdline "root=/dev/md/root ro quiet"
	assemble_json root md127 /dev/md/root started "all members present"
	boot local-top/warmboot
	assert_success
	assert_output ""
	grep -q 'assemble --scan --wait 10 --run' "$B/run/warmboot/decision"
	grep -q 'array root (raid1 md127 /dev/md/root): started' "$B/run/warmboot/decision"
	# initramfs-tools' init exports quiet: its word wins (debug sets n)
	rm -r "$B/run/warmboot" "$B/dev/md"
	quiet=n boot local-top/warmboot
	assert_success
	assert_output --partial "warmboot: array root (raid1 md127 /dev/md/root): started"
	cmdline "root=/dev/md/root ro"
	quiet=y boot local-top/warmboot
	assert_output ""
}

@test "local-top: an existing /dev/md/NAME (udev rules) is left alone" {
	cmdline "root=/dev/md/root"
	mkdir -p "$B/dev/md"
	ln -s ../md5 "$B/dev/md/root"
	assemble_json root md127 /dev/md/root started "all members present"
	boot local-top/warmboot
	assert_success
	[ "$(readlink "$B/dev/md/root")" = ../md5 ]
}

@test "local-top: an image built with mdadm leading assembles nothing" {
	cmdline "root=/dev/md/root"
	echo WARMBOOT_BUILT_LEAD=mdadm >"$B/conf/conf.d/warmboot"
	boot local-top/warmboot
	assert_success
	[ ! -s "$WB_CALLS" ]
	assert_output --partial "mdadm leads md assembly"
}

@test "local-top: assemble failing does not stop the boot script" {
	cmdline "root=/dev/md/root"
	export FAKE_FAIL=assemble
	boot local-top/warmboot
	assert_success
	assert_output --partial "warmboot assemble failed with status 3"
}

# --- init-premount chain -----------------------------------------------------------

@test "chain: without warmboot.chain= it does nothing" {
	cmdline "root=/dev/md/root ro"
	boot init-premount/warmboot-chain
	assert_success
	[ ! -s "$WB_CALLS" ]
	assert_output ""
}

@test "chain: a device that cannot be mounted: falls back, stops what it started, continues" {
	cmdline "root=/dev/sda1 warmboot.chain=/dev/md/nonexistent:/vmlinuz"
	assemble_json boot md126 /dev/md/boot started "all members present"
	export FAKE_ACTIVATE=md126 ROOT=/dev/sda1
	boot init-premount/warmboot-chain
	assert_success
	assert_output --partial "chain: cannot mount /dev/md/nonexistent read-only; continuing the normal boot"
	grep -qx "warmboot unload" "$WB_CALLS"
	grep -qx "warmboot stop md126" "$WB_CALLS"
	grep -q "chain: stopped md126" "$B/run/warmboot/decision"
	! grep -q "warmboot exec" "$WB_CALLS"
}

@test "chain: the array root is on stays running after a failure" {
	cmdline "root=/dev/md126 warmboot.chain=default"
	export FAKE_ACTIVATE=md126 ROOT=/dev/md126
	boot init-premount/warmboot-chain
	assert_success
	assert_output --partial "no filesystem on the arrays has a bootable default kernel"
	assert_output --partial "leaving md126 running: root (/dev/md126) is on it"
	! grep -q "warmboot stop" "$WB_CALLS"
}

@test "chain: a SPEC that is not DEVICE:PATH, DEVICE or default falls back" {
	cmdline "warmboot.chain=bogus"
	boot init-premount/warmboot-chain
	assert_success
	assert_output --partial "warmboot.chain=bogus is not DEVICE:PATH"
}

# --- init-bottom and panic (images built with WARMBOOT_UDEV=no) ----------------------

@test "init-bottom: with udev in the image it leaves /dev to udev's script" {
	echo WARMBOOT_BUILT_UDEV=yes >"$B/conf/conf.d/warmboot"
	rootmnt=/nonexistent boot init-bottom/warmboot
	assert_success
	assert_output ""
	[ -d "$B/dev" ] && [ ! -L "$B/dev" ]
}

@test "init-bottom: without udev it moves /dev onto the real root, as udev's script does" {
	# a real move of a real mount, in a private mount namespace
	unshare -m true 2>/dev/null || skip "needs root and unshare -m"
	echo WARMBOOT_BUILT_UDEV=no >"$B/conf/conf.d/warmboot"
	mkdir -p "$B/root/dev"
	run unshare -m env PATH="$BATS_TEST_TMPDIR/fbin:$BATS_TEST_TMPDIR/bb" rootmnt="$B/root" \
		B="$B" TOP="$TOP" busybox sh -c '
		mount --make-rprivate / && mount -t tmpfs devtmp "$B/dev" && : >"$B/dev/md127" &&
		busybox sh "$TOP/scripts/init-bottom/warmboot" && ls "$B/root/dev" && readlink "$B/dev"'
	assert_success
	assert_line md127
	assert_line "$B/root/dev"
}

@test "panic: an image without udev starts it for the rescue shell, then shows the decisions" {
	mkdir -p "$B/usr/share/warmboot" "$B/run/warmboot"
	echo "echo udev-init-top ran" >"$B/usr/share/warmboot/udev-init-top"
	echo "array root: started" >"$B/run/warmboot/decision"
	echo WARMBOOT_BUILT_UDEV=no >"$B/conf/conf.d/warmboot"
	boot panic/warmboot
	assert_success
	assert_line "warmboot: starting udev for the rescue shell (image built with WARMBOOT_UDEV=no)"
	assert_line "udev-init-top ran"
	assert_line "  array root: started"
	echo WARMBOOT_BUILT_UDEV=yes >"$B/conf/conf.d/warmboot"
	boot panic/warmboot
	refute_line "udev-init-top ran"
}

# --- udev properties of the arrays warmboot starts (63-md-warmboot.rules) ------------

@test "local-top: a started array gets mdadm's --detail --export properties in /run/warmboot/udev; a change event is replayed when udev runs" {
	cmdline "root=/dev/mapper/vg-root"
	assemble_json wbhost:root md127 /dev/md/root started "all members present"
	mkdir -p "$B/sys/block/md127/md" "$B/run/udev"
	echo 2 >"$B/sys/block/md127/md/raid_disks"
	echo 1.2 >"$B/sys/block/md127/md/metadata_version"
	: >"$B/run/udev/control"
	printf '#!/bin/sh\necho "udevadm $*" >>"$WB_CALLS"\n' >"$BATS_TEST_TMPDIR/fbin/udevadm"
	chmod +x "$BATS_TEST_TMPDIR/fbin/udevadm"
	boot local-top/warmboot
	assert_success
	run cat "$B/run/warmboot/udev/md127"
	assert_output "MD_LEVEL=raid1
MD_DEVICES=2
MD_METADATA=1.2
MD_UUID=a8:70:40:d1
MD_DEVNAME=root
MD_NAME=wbhost:root"
	grep -qx "udevadm trigger --action=change $B/sys/block/md127" "$WB_CALLS"
}

@test "local-top: an array not started gets no properties and no replayed event" {
	cmdline "root=/dev/md/root"
	assemble_json wbhost:root "" /dev/md/root "not started" "1 of 2 members"
	export FAKE_ASSEMBLE_RC=1
	mkdir -p "$B/run/udev"
	: >"$B/run/udev/control"
	boot local-top/warmboot
	assert_success
	[ ! -e "$B/run/warmboot/udev" ]
	run grep -c udevadm "$WB_CALLS"
	assert_output 0
}

@test "hook: an image with udev and no mdadm rule gets 63-md-warmboot.rules; with mdadm's rule it does not" {
	udev_image
	hook
	assert_success
	grep -qx "copy_file rules $TOP/hooks/udev/63-md-warmboot.rules /lib/udev/rules.d/63-md-warmboot.rules" "$HOOK_CALLS"
	[[ $stderr == *"warmboot's 63-md-warmboot.rules gives md arrays their udev properties"* ]]
	: >"$HOOK_CALLS"
	mkdir -p "$D/usr/lib/udev/rules.d"
	: >"$D/usr/lib/udev/rules.d/63-md-raid-arrays.rules"
	hook
	assert_success
	! grep -q 63-md-warmboot "$HOOK_CALLS"
}
