#!/usr/bin/env bats
# VM tier: warmboot assembles the arrays real mdadm made, in a real kernel,
# and the result equals what mdadm 4.2 itself makes of the same disks.
load vm_helper

setup() {
	vm_require
	[ -x "$WARMBOOT" ] || fail "$WARMBOOT not built"
	vm_initrd "$BATS_TEST_TMPDIR/wb.cpio" base modules tools warmboot
	vm_fixture_disks
}

@test "md-assemble-diff: warmboot assemble --scan equals mdadm --assemble --scan, data intact" {
	vm_boot md-assemble-diff --initrd "$BATS_TEST_TMPDIR/wb.cpio" "${VM_DISKS[@]}" \
		--in "$VM_MANIFEST" --timeout 400
	vm_markers
	assert_success
	local name
	for name in $(grep -v '^#' "$VM_MANIFEST" | cut -d' ' -f2); do
		assert_line --regexp "^WBVM: OK same $name: level="
		assert_line "WBVM: OK data $name"
	done
	assert_line 'WBVM: OK no array left after stop'
}
