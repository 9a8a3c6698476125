#!/usr/bin/env bats
# VM tier for the kexec commands: warmboot load + exec into the real bzImage
# with a changed command line, fault cases, and load timing vs kexec -s -l.
load vm_helper

setup() {
	vm_require
}

@test "kexec-warmboot: load with a changed cmdline, exec, second kernel sees it; faults are clean" {
	vm_initrd "$BATS_TEST_TMPDIR/wb.cpio" base modules tools boot warmboot
	vm_boot kexec-warmboot --initrd "$BATS_TEST_TMPDIR/wb.cpio" \
		--append "warmboot.chain=/boot/x BOOT_IMAGE=/boot/vmlinuz" --timeout 400
	assert_success
	assert_line --regexp '^WBVM: OK truncated image refused: '
	assert_line --regexp '^WBVM: OK missing initrd: '
	assert_line 'WBVM: OK warmboot loaded'
	assert_line --partial 'WBVM: BEGIN kexec-warmboot stage=2'
	assert_line 'WBVM: OK new parameter present'
	assert_line 'WBVM: OK no BOOT_IMAGE='
	assert_line 'WBVM: OK no warmboot.chain='
	assert_line --regexp '^WBVM: TIME warmboot-load [0-9]+ms rc=0'
}

@test "kexec-disabled: kexec_load_disabled=1 gives a clear error, guest keeps running" {
	vm_initrd "$BATS_TEST_TMPDIR/wb.cpio" base modules boot warmboot
	vm_boot kexec-disabled --initrd "$BATS_TEST_TMPDIR/wb.cpio" --timeout 120
	assert_success
	assert_line 'WBVM: OK check: kexec disabled is fatal'
	assert_line --regexp '^WBVM: OK load: warmboot: fatal: kexec_file_load of /boot/vmlinuz refused: kexec disabled'
	assert_line 'WBVM: OK guest still running'
}
