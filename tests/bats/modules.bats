#!/usr/bin/env bats
# warmboot modules: resolution parity with kmod's modprobe on the real Debian
# module tree (plain, .ko.xz, .ko.zst), modprobe.d handling, storage coldplug
# on a fixture sysfs, and failures -- through the recording binary.
#
# WARMBOOT_ROOT (fixture sysfs and modprobe.d) works only with $WBREC; the
# real $WB reads the running system, as modprobe does.
# Trees: MODULES_ROOT/lib/modules/MODULES_KVER (the VM rig's, by default),
# MODULES_XZ_ROOT and MODULES_ZST_ROOT (make modules-trees).

if [ -f "$BATS_TEST_DIRNAME/helper.bash" ]; then
	load helper
else
	load '/usr/lib/bats/bats-support/load'
	load '/usr/lib/bats/bats-assert/load'
fi

REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
CACHE=${CACHE:-$REPO/.cache}
WB=${WB:-$REPO/helper/warmboot}
WBREC=${WBREC:-$REPO/helper/warmboot-rec}
. "$REPO/tests/vm/suite.sh"
MODULES_ROOT=${MODULES_ROOT:-$VM_DIR/root}
MODULES_KVER=${MODULES_KVER:-$(cat "$VM_DIR/kver" 2>/dev/null)}
MODULES_XZ_ROOT=${MODULES_XZ_ROOT:-$CACHE/modules-xz-$SUITE}
MODULES_ZST_ROOT=${MODULES_ZST_ROOT:-$CACHE/modules-zst-$SUITE}
FIX=$REPO/tests/fixtures/modules
bats_require_minimum_version 1.5.0

NAMES="raid456 raid1 raid10 raid0 linear megaraid_sas mpt3sas hpsa smartpqi aacraid virtio_scsi nvme"
CONTROLLERS="megaraid_sas mpt3sas hpsa smartpqi aacraid virtio_pci nvme"

setup() {
	[ -n "$MODULES_KVER" ] && [ -d "$MODULES_ROOT/lib/modules/$MODULES_KVER" ] ||
		skip "no module tree: run make modules-trees"
	D=$MODULES_ROOT/lib/modules/$MODULES_KVER
	# the rig's root is merged-/usr (lib -> usr/lib): the paths libkmod
	# records are the resolved ones
	DR=$(cd "$D" && pwd -P)
	export WARMBOOT_RECORD=$BATS_TEST_TMPDIR/record
	export WARMBOOT_KMSG=0
	unset WARMBOOT_ROOT WARMBOOT_FAIL
}

need_tree() {
	[ -f "$1/.stamp" ] || fail "no tree $1: run make modules-trees"
}

# A concrete PCI modalias from each of a module's own alias patterns (the
# first two with a vendor and device id): wildcards become plausible values.
modaliases_of() {
	# four hex digits spelt out: mawk 1.3.4 (bookworm) has no regex intervals
	awk -v m="$2" 'BEGIN { x = "[0-9A-F][0-9A-F][0-9A-F][0-9A-F]"; re = "^pci:v0000" x "d0000" x }
		$1 == "alias" && $3 == m && $2 ~ re { print $2 }' \
		"$1/modules.alias" | head -n 2 |
	sed -e 's/sv\*/sv00001028/' -e 's/sd\*/sd00001F47/' -e 's/bc\*/bc01/' \
		-e 's/sc\*/sc04/' -e 's/i\*$/i00/' -e 's/\*$//'
}

# compare ROOT ARG... -- warmboot --dry-run equals modprobe -n -v, per arg.
compare() {
	local root=$1 a bad=0
	shift
	for a in "$@"; do
		"$WB" modules --dry-run --dir "$root/lib/modules/$MODULES_KVER" "$a" \
			>"$BATS_TEST_TMPDIR/wb" 2>"$BATS_TEST_TMPDIR/wb.err" ||
			{ echo "warmboot failed for $a: $(cat "$BATS_TEST_TMPDIR/wb.err")"; bad=1; }
		modprobe -n -v -d "$root" -S "$MODULES_KVER" "$a" >"$BATS_TEST_TMPDIR/mp" 2>/dev/null
		[ -s "$BATS_TEST_TMPDIR/mp" ] || { echo "modprobe printed nothing for $a"; bad=1; }
		diff -u "$BATS_TEST_TMPDIR/mp" "$BATS_TEST_TMPDIR/wb" || bad=1
	done
	return $bad
}

all_modaliases() {
	local m
	for m in $CONTROLLERS; do
		modaliases_of "$1/lib/modules/$MODULES_KVER" "$m"
	done
}

@test "dry-run equals modprobe -n -v: RAID and controller modules, plain .ko" {
	compare "$MODULES_ROOT" $NAMES
}

@test "dry-run equals modprobe -n -v: controllers' real PCI modaliases, plain .ko" {
	local aliases
	aliases=$(all_modaliases "$MODULES_ROOT")
	[ "$(echo "$aliases" | wc -l)" -ge 12 ]
	compare "$MODULES_ROOT" $aliases
}

@test "dry-run equals modprobe -n -v: .ko.xz tree, names and modaliases" {
	need_tree "$MODULES_XZ_ROOT"
	compare "$MODULES_XZ_ROOT" $NAMES $(all_modaliases "$MODULES_XZ_ROOT")
	run "$WB" modules -n --dir "$MODULES_XZ_ROOT/lib/modules/$MODULES_KVER" raid1
	assert_output --regexp 'raid1\.ko\.xz $'
}

@test "dry-run equals modprobe -n -v: .ko.zst tree, names and modaliases" {
	need_tree "$MODULES_ZST_ROOT"
	compare "$MODULES_ZST_ROOT" $NAMES $(all_modaliases "$MODULES_ZST_ROOT")
	run "$WB" modules -n --dir "$MODULES_ZST_ROOT/lib/modules/$MODULES_KVER" raid1
	assert_output --regexp 'raid1\.ko\.zst $'
}

@test "modprobe.d: options, softdep, blacklist, install and alias as modprobe -C" {
	local a bad=0
	export WARMBOOT_ROOT=$FIX/conf
	for a in raid456 raid1 raid10 wb-test-raid virtio_blk \
		pci:v000010DEd00001C82sv00001043sd00008613bc03sc00i00; do
		# (exit 1 for the blacklisted alias; its output must still match)
		"$WBREC" modules -n --dir "$D" "$a" >"$BATS_TEST_TMPDIR/wb" 2>/dev/null || true
		modprobe -n -v -C "$FIX/conf/etc/modprobe.d" -d "$MODULES_ROOT" \
			-S "$MODULES_KVER" "$a" >"$BATS_TEST_TMPDIR/mp" 2>/dev/null
		diff -u "$BATS_TEST_TMPDIR/mp" "$BATS_TEST_TMPDIR/wb" || bad=1
	done
	[ $bad -eq 0 ]
	run "$WBREC" modules -n --dir "$D" raid456
	assert_line --partial 'raid456.ko devices_handle_discard_safely=Y'
	assert_line --partial 'md-mod.ko start_dirty_degraded=1'
	run "$WBREC" modules -n --dir "$D" raid10
	assert_line 'install /bin/true '
}

@test "modprobe.d: a blacklisted alias is one error, the others still load, exit 1" {
	export WARMBOOT_ROOT=$FIX/conf
	run --separate-stderr "$WBREC" modules --dir "$D" \
		pci:v000010DEd00001C82sv00001043sd00008613bc03sc00i00 raid0
	assert_failure 1
	assert_equal "$stderr" "warmboot: error: pci:v000010DEd00001C82sv00001043sd00008613bc03sc00i00: module nouveau is blacklisted by modprobe.d"
	assert_equal "$(cut -d' ' -f1,2 "$WARMBOOT_RECORD" | sed "s|$DR/||")" \
"finit_module kernel/drivers/md/md-mod.ko
finit_module kernel/drivers/md/raid0.ko"
}

@test "install commands are reported, not run; softdeps and options are applied" {
	export WARMBOOT_ROOT=$FIX/conf
	run --separate-stderr "$WBREC" modules --dir "$D" raid10 raid1
	assert_success
	assert_equal "$stderr" "warmboot: warning: raid10: modprobe.d install command not run (no shell): /bin/true"
	assert_equal "$(sed "s|$DR/||" "$WARMBOOT_RECORD")" \
"finit_module kernel/drivers/md/md-mod.ko \"start_dirty_degraded=1 \" 0
finit_module kernel/drivers/md/raid0.ko \"\" 0
finit_module kernel/drivers/md/raid1.ko \"\" 0
finit_module kernel/drivers/md/linear.ko \"\" 0"
}

@test "already loaded and built-in modules count as success" {
	mkdir -p "$BATS_TEST_TMPDIR/root/sys/module/md_mod"
	echo live >"$BATS_TEST_TMPDIR/root/sys/module/md_mod/initstate"
	export WARMBOOT_ROOT=$BATS_TEST_TMPDIR/root
	run "$WBREC" modules --dir "$D" raid1 cryptomgr
	assert_success
	assert_equal "$(sed "s|$DR/||" "$WARMBOOT_RECORD")" \
		'finit_module kernel/drivers/md/raid1.ko "" 0'
	echo live >"$BATS_TEST_TMPDIR/root/sys/module/md_mod/initstate"
	mkdir -p "$BATS_TEST_TMPDIR/root/sys/module/raid1"
	echo live >"$BATS_TEST_TMPDIR/root/sys/module/raid1/initstate"
	rm -f "$WARMBOOT_RECORD"
	run "$WBREC" modules --dir "$D" raid1
	assert_success
	assert_output ''
	[ ! -e "$WARMBOOT_RECORD" ]
}

@test "unknown names: one clear message each, the others still load, exit 1" {
	run --separate-stderr "$WBREC" modules --dir "$D" raid1 no_such_mod raid0 pci:v0000FFFFd0000FFFFsv00000000sd00000000bc01sc00i00
	assert_failure 1
	assert_equal "$stderr" "warmboot: error: no_such_mod: no such module or alias in $D
warmboot: error: pci:v0000FFFFd0000FFFFsv00000000sd00000000bc01sc00i00: no such module or alias in $D"
	assert_equal "$(grep -c '^finit_module' "$WARMBOOT_RECORD")" 3
}

@test "--storage: the storage chain only, in device order, nothing for GPU, NIC, cdrom or bound AHCI" {
	export WARMBOOT_ROOT=$FIX/storage
	run --separate-stderr "$WBREC" modules --storage --settle 0 --dir "$D"
	assert_success
	assert_equal "$(sed -e "s|$DR/||" -e 's/ "" 0$//' "$WARMBOOT_RECORD")" \
"finit_module kernel/drivers/virtio/virtio_ring.ko
finit_module kernel/drivers/virtio/virtio.ko
finit_module kernel/drivers/virtio/virtio_pci_modern_dev.ko
finit_module kernel/drivers/virtio/virtio_pci_legacy_dev.ko
finit_module kernel/drivers/virtio/virtio_pci.ko
finit_module kernel/drivers/block/virtio_blk.ko
finit_module kernel/drivers/scsi/scsi_common.ko
finit_module kernel/drivers/scsi/scsi_mod.ko
finit_module kernel/drivers/scsi/megaraid/megaraid_sas.ko
finit_module kernel/crypto/crct10dif_common.ko
finit_module kernel/lib/crc64.ko
finit_module kernel/arch/x86/crypto/crct10dif-pclmul.ko
finit_module kernel/crypto/crct10dif_generic.ko
finit_module kernel/lib/crc-t10dif.ko
finit_module kernel/lib/crc64-rocksoft.ko
finit_module kernel/block/t10-pi.ko
finit_module kernel/drivers/scsi/sd_mod.ko"
	assert_line 'device /sys/devices/pci0000:00/0000:00:04.0/virtio0 virtio:d00000002v00001AF4: virtio_ring virtio virtio_blk'
	assert_line --regexp '^device /sys/devices/pci0000:00/0000:00:05.0 pci:v00001000d0000005D.*: scsi_common scsi_mod megaraid_sas$'
	refute_output --partial nouveau
	refute_output --partial e1000e
	refute_output --partial sr_mod
	refute_output --partial ahci
}

@test "--storage honours blacklist (device skipped, not a failure) and options" {
	rm -rf "$BATS_TEST_TMPDIR/root"
	cp -a "$FIX/storage" "$BATS_TEST_TMPDIR/root"
	cp -a "$FIX/conf/etc" "$BATS_TEST_TMPDIR/root/etc"
	export WARMBOOT_ROOT=$BATS_TEST_TMPDIR/root
	run --separate-stderr "$WBREC" modules --storage --settle 0 --dir "$D"
	assert_success
	assert_equal "$stderr" "warmboot: info: /sys/devices/pci0000:00/0000:00:05.0: megaraid_sas is blacklisted by modprobe.d, not loaded"
	run grep -c megaraid "$WARMBOOT_RECORD"
	assert_output 0
	run grep virtio_blk "$WARMBOOT_RECORD"
	# kmod's options string ends in a space; the kernel gets what kmod gives
	assert_output --regexp 'virtio_blk.ko "queue_depth=64 " 0$'
}

@test "--storage: the kernel refusing (ENOEXEC) is one message per module, not retried per device, exit 1" {
	export WARMBOOT_ROOT=$FIX/storage WARMBOOT_FAIL=finit_module=ENOEXEC
	run --separate-stderr "$WBREC" modules --storage --settle 0 --dir "$D"
	assert_failure 1
	assert_equal "$(printf '%s\n' "$stderr" | grep -c '^warmboot: error: ')" 3
	assert_equal "$(printf '%s\n' "$stderr" | grep '^warmboot: error: ' | head -n 1)" \
		"warmboot: error: could not insert virtio_ring (wrong version magic or architecture?): Exec format error"
	# each failing chain stops at its first module (both virtio devices
	# need virtio_ring: tried once); GPU and NIC untouched
	assert_equal "$(sed -e "s|$DR/||" "$WARMBOOT_RECORD")" \
"finit_module kernel/drivers/virtio/virtio_ring.ko \"\" 0 = -ENOEXEC
finit_module kernel/drivers/scsi/scsi_common.ko \"\" 0 = -ENOEXEC
finit_module kernel/crypto/crct10dif_common.ko \"\" 0 = -ENOEXEC"
}

@test ".ko.xz: finit_module with MODULE_INIT_COMPRESSED_FILE, else decompressed for init_module" {
	need_tree "$MODULES_XZ_ROOT"
	local X=$MODULES_XZ_ROOT/lib/modules/$MODULES_KVER
	run "$WBREC" modules --dir "$X" raid1
	assert_success
	assert_equal "$(sed "s|$X/||" "$WARMBOOT_RECORD")" \
"finit_module kernel/drivers/md/md-mod.ko.xz \"\" 4
finit_module kernel/drivers/md/raid1.ko.xz \"\" 4"
	# A kernel without CONFIG_MODULE_DECOMPRESS (Debian 6.1) says EOPNOTSUPP.
	rm -f "$WARMBOOT_RECORD"
	WARMBOOT_FAIL=finit_module=95 run "$WBREC" modules --dir "$X" raid1
	assert_success
	assert_equal "$(grep '^init_module' "$WARMBOOT_RECORD")" \
"init_module len=$(stat -c %s "$D/kernel/drivers/md/md-mod.ko") \"\"
init_module len=$(stat -c %s "$D/kernel/drivers/md/raid1.ko") \"\""
	# /sys/module/compression says which format the kernel takes.
	mkdir -p "$BATS_TEST_TMPDIR/root/sys/module"
	echo zstd >"$BATS_TEST_TMPDIR/root/sys/module/compression"
	rm -f "$WARMBOOT_RECORD"
	WARMBOOT_ROOT=$BATS_TEST_TMPDIR/root run "$WBREC" modules --dir "$X" raid1
	assert_success
	run grep -c '^finit_module' "$WARMBOOT_RECORD"
	assert_output 0
}

@test ".ko.zst: decompressed in-process to the plain module's exact size" {
	need_tree "$MODULES_ZST_ROOT"
	local Z=$MODULES_ZST_ROOT/lib/modules/$MODULES_KVER
	WARMBOOT_FAIL=finit_module=EINVAL run "$WBREC" modules --dir "$Z" raid456
	assert_success
	assert_equal "$(grep -c '^init_module' "$WARMBOOT_RECORD")" 12
	assert_equal "$(grep '^init_module' "$WARMBOOT_RECORD" | tail -n 1)" \
		"init_module len=$(stat -c %s "$D/kernel/drivers/md/raid456.ko") \"\""
}

@test "--json: one action per module with results" {
	run --separate-stderr "$WBREC" modules --json --dir "$D" raid1
	assert_success
	assert_equal "$(printf '%s' "$output" | jq -r '.actions[] | .module + " " + .result + " " + .method')" \
"md_mod loaded finit_module
raid1 loaded finit_module"
	assert_equal "$(printf '%s' "$output" | jq -r '.failed')" 0
}

@test "usage errors exit 2" {
	run "$WB" modules
	assert_failure 2
	run "$WB" modules --dir "$D" --kernel 6.1 raid1
	assert_failure 2
	run "$WB" modules --bogus raid1
	assert_failure 2
	run "$WB" modules --dir /nonexistent raid1
	assert_failure 3
}

@test "--for-level: each level's personality module, in argument order" {
	run --separate-stderr "$WB" modules --for-level raid1 linear -1 raid0 0 stripe 1 mirror \
		raid4 4 raid5 5 raid6 6 raid10 10 multipath mp faulty
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$output" "raid1
linear
linear
raid0
raid0
raid0
raid1
raid1
raid456
raid456
raid456
raid456
raid456
raid456
raid10
raid10
multipath
multipath
faulty"
}

@test "--for-level: an unknown level warns, prints nothing for it, exits 1" {
	run --separate-stderr "$WB" modules --for-level raid5 raid7 mirror
	assert_failure 1
	assert_equal "$output" "raid456
raid1"
	assert_equal "$stderr" "warmboot: warning: unknown md level raid7"
	run --separate-stderr "$WB" modules --for-level container
	assert_failure 1
	assert_equal "$output" ""
	assert_equal "$stderr" "warmboot: warning: unknown md level container"
}

@test "--for-level: needs a level and takes no other options" {
	run --separate-stderr "$WB" modules --for-level
	assert_failure 2
	run --separate-stderr "$WB" modules --dry-run --for-level raid1
	assert_failure 2
	assert_equal "$output" ""
}

@test "options parse as in every command: --opt=VALUE, after names, -- ends them" {
	run --separate-stderr "$WBREC" modules raid1 --dry-run --dir="$D"
	assert_success
	assert_line --partial "/raid1.ko"
	run --separate-stderr "$WBREC" modules --dry-run --dir "$D" -- raid1
	assert_success
	assert_line --partial "/raid1.ko"
	run --separate-stderr "$WB" modules --dir
	assert_failure 2
	assert_equal "$stderr" "warmboot: fatal: --dir needs a value
Try 'warmboot modules --help' for more information."
	run --separate-stderr "$WB" modules --settle x --storage
	assert_failure 2
	assert_equal "$stderr" "warmboot: fatal: invalid --settle 'x'
Try 'warmboot modules --help' for more information."
}

@test "--storage: a controller with no driver in the tree and a SAS host that never finds a disk: a message each, the deadline holds, the others load" {
	rm -rf "$BATS_TEST_TMPDIR/root"
	cp -a "$FIX/storage" "$BATS_TEST_TMPDIR/root"
	local r=$BATS_TEST_TMPDIR/root
	# a RAID controller (class 0104) no module of the tree claims
	mkdir -p "$r/sys/devices/pci0000:00/0000:00:09.0" "$r/sys/class/sas_host/host7"
	echo "pci:v0000DEADd0000BEEFsv00000000sd00000000bc01sc04i00" \
		>"$r/sys/devices/pci0000:00/0000:00:09.0/modalias"
	ln -s ../../../devices/pci0000:00/0000:00:09.0 "$r/sys/bus/pci/devices/0000:00:09.0"
	export WARMBOOT_ROOT=$r
	local t0=$(date +%s%N)
	run --separate-stderr "$WBREC" modules --storage --settle 400 --dir "$D"
	local ms=$((($(date +%s%N) - t0) / 1000000))
	assert_success
	[[ $stderr == *"warmboot: info: /sys/devices/pci0000:00/0000:00:09.0: no driver for pci:v0000DEADd0000BEEF"* ]] || fail "$stderr"
	[[ $stderr == *"warmboot: warning: host7: still finding disks after 400 ms"* ]] || fail "$stderr"
	[ "$ms" -ge 400 ] && [ "$ms" -lt 3000 ] || fail "took ${ms} ms with --settle 400"
	grep -q megaraid_sas.ko "$WARMBOOT_RECORD" && grep -q virtio_blk.ko "$WARMBOOT_RECORD" &&
		grep -q sd_mod.ko "$WARMBOOT_RECORD" || fail "the other drivers: $(cat "$WARMBOOT_RECORD")"
}
