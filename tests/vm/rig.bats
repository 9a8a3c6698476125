#!/usr/bin/env bats
# VM tier: the rig itself -- boots, reference mdadm assembly of the fixture
# arrays, kexec into the real bzImage, and /bin/warmboot running in a guest.
load vm_helper

setup_file() {
	command -v qemu-system-x86_64 >/dev/null || return 0
	[ -f "$VM_DIR/stamp" ] || return 0
	"$VM_TOOLS/mkinitramfs.sh" "$VM_DIR" "$BATS_FILE_TMPDIR/full.cpio" \
		base modules tools boot
}

setup() {
	vm_require
}

# bats test_tags=slice
@test "smoke: guest boots, sees its disks, returns /out" {
	truncate -s 8M "$BATS_TEST_TMPDIR/a.img"
	vm_boot smoke --initrd "$BATS_FILE_TMPDIR/full.cpio" \
		--disk "$BATS_TEST_TMPDIR/a.img" --out "$BATS_TEST_TMPDIR/out" --timeout 60
	assert_success
	assert_line --partial 'WBVM: BEGIN smoke stage=1'
	assert_line --regexp '^WBVM: INFO disks: vda vdb'
	assert_line --regexp '^WBVM: END rc=0'
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out/hello.txt")" hello
}

@test "rig-hang: a guest that hangs is killed, and its console says what each task was doing" {
	vm_boot rig-hang --initrd "$BATS_FILE_TMPDIR/full.cpio" --timeout 45
	assert_failure 3
	assert_line --partial 'WBVM: INFO hanging on purpose'
	assert_line --regexp '^WBVM: INFO task dump at uptime='
	# the scenario's own command, with its state and kernel stack
	assert_line --regexp '^task [0-9]+ \[S \(sleeping\)\] wchan=[a-z_]+ sleep 100000'
	assert_line --partial 'sysrq: Show Blocked State'
	refute_line --regexp '^WBVM: END'
}

@test "rig: a kernel that dies before userspace is booted again, three times in all, then reported" {
	# no /init to run: the kernel panics before any userspace (and any disk)
	vm_boot smoke --initrd "$BATS_FILE_TMPDIR/full.cpio" --append rdinit=/nonexistent --timeout 60
	assert_failure 3
	assert_line --partial 'run-guest: boot 1 died before the scenario began'
	assert_line --partial 'run-guest: boot 2 died before the scenario began'
	refute_line --partial 'run-guest: boot 3 died'
	assert_line --partial 'Kernel panic'
}

@test "rig-assemble: mdadm --assemble --scan assembles every fixture array, data intact" {
	vm_fixture_disks
	vm_boot rig-assemble --initrd "$BATS_FILE_TMPDIR/full.cpio" "${VM_DISKS[@]}" \
		--in "$VM_MANIFEST" --timeout 300
	assert_success
	local name
	for name in $(grep -v '^#' "$VM_MANIFEST" | cut -d' ' -f2); do
		assert_line --regexp "^WBVM: OK assembled $name "
		assert_line "WBVM: OK data $name"
	done
	assert_line 'WBVM: OK stop all'
}

@test "rig-kexec: kexec -s of the bzImage from a PVH-booted guest reaches the second kernel" {
	vm_boot rig-kexec --initrd "$BATS_FILE_TMPDIR/full.cpio" --timeout 240
	assert_success
	assert_line 'WBVM: OK kexec loaded'
	assert_line --partial 'WBVM: BEGIN rig-kexec stage=2'
	assert_line --regexp '^WBVM: OK second kernel '
	assert_line --regexp '^WBVM: END rc=0'
}

@test "warmboot-version: /bin/warmboot --version in a warmboot-only guest" {
	[ -e "$WARMBOOT" ] || skip "helper/warmboot not built"
	local want
	want=$("$WARMBOOT" --version | head -n 1)
	vm_initrd "$BATS_TEST_TMPDIR/wb.cpio" base modules warmboot
	vm_boot warmboot-version --initrd "$BATS_TEST_TMPDIR/wb.cpio" --timeout 60
	assert_success
	assert_line "WBVM: OK warmboot version: $want"
}
