#!/usr/bin/env bats
# Secure Boot for real (issue 17 part 3): OVMF with Microsoft's keys
# enrolled and Secure Boot on (Debian's ovmf on the host), Debian's
# Microsoft-signed shim, its Debian-signed grub and the suite's
# Debian-signed kernel from a FAT ESP (secureboot-esp.sh, run-guest.sh
# --uefi). The kernel locks itself down; warmboot check says Debian's kernel
# may be kexec'd because Debian's CA (shim's MOK list) is in .machine, load
# + exec reach the second kernel; an unsigned copy is refused by check and
# by the kernel, and load says it is lockdown's.
load vm_helper

setup() {
	vm_require
	[ -f /usr/share/OVMF/OVMF_CODE_4M.ms.fd ] || fail "no OVMF: apt-get install ovmf (tests/vm/apt-packages)"
}

@test "Secure Boot through shim and grub: check trusts Debian's CA in .machine, load + exec reach the second kernel; an unsigned kernel is refused as lockdown's" {
	vm_initrd "$BATS_TEST_TMPDIR/wb.cpio" base modules tools boot warmboot
	vm_unsigned_copy "$BATS_TEST_TMPDIR/vmlinuz-unsigned"
	"$VM_TOOLS/secureboot-esp.sh" "$VM_DIR" "$BATS_TEST_TMPDIR/esp.img" "$BATS_TEST_TMPDIR/wb.cpio" ||
		fail "secureboot-esp.sh failed"
	rm "$BATS_TEST_TMPDIR/wb.cpio"
	vm_boot secureboot-kexec --uefi "$BATS_TEST_TMPDIR/esp.img" --mem 1G \
		--in "$BATS_TEST_TMPDIR/vmlinuz-unsigned" --timeout 480
	vm_markers
	printf '%s\n' "$output" | sed -n 's/^run-guest: scenario .*, host wall /# host wall /p' >&3
	assert_success
	# firmware, shim, grub: the chain ran under Secure Boot
	assert_output --partial 'EFI stub: UEFI Secure Boot is enabled.'
	assert_line --regexp '^WBVM: BEGIN secureboot-kexec stage=1 '
	assert_line 'WBVM: OK dmesg: secureboot: Secure boot enabled'
	assert_line --regexp "^WBVM: INFO dmesg: integrity: Loaded X.509 cert 'Debian Secure Boot CA: 6ccece7e4c6c0d1f6149f3dd27dfcc5cbb419ea1'"
	assert_line "WBVM: OK Debian's CA in /proc/keys"
	assert_line --regexp '^WBVM: OK unsigned: fatal +kexec +kernel lockdown \(integrity\) takes only a signed kernel, and /in/vmlinuz-unsigned carries no signature'
	assert_line --regexp '^WBVM: OK unsigned load refused by the check: warmboot: error: kexec: kernel lockdown \(integrity\) takes only a signed kernel'
	assert_line --regexp '^WBVM: OK unsigned load --force: warmboot: fatal: kexec_file_load of /in/vmlinuz-unsigned refused: signature rejected: No data available warmboot: info: kernel lockdown \(integrity\) takes only a signed kernel'
	assert_line 'WBVM: OK nothing loaded'
	assert_line --regexp '^WBVM: OK check: ok +kexec +kernel lockdown \(integrity\): /boot/vmlinuz is signed by "Debian Secure Boot Signer 2022 - linux" \(key 14011249c2675ea8e5148542202005810584b25f\), issued by "Debian Secure Boot CA" \(key 6ccece7e4c6c0d1f6149f3dd27dfcc5cbb419ea1\), and the kernel trusts "Debian Secure Boot CA" \(key 6ccece7e4c6c0d1f6149f3dd27dfcc5cbb419ea1\) in \.machine$'
	assert_line 'WBVM: OK securityfs unmounted again after check'
	assert_line 'WBVM: INFO lockdown: none [integrity] confidentiality'
	assert_line 'WBVM: OK warmboot loaded /boot/vmlinuz'
	# the second boot
	assert_line --regexp '^WBVM: BEGIN secureboot-kexec stage=2 '
	assert_line --regexp '^WBVM: OK second kernel .* up'
	assert_line 'WBVM: OK cmdline has wb.kexec=2'
	assert_line 'WBVM: OK second kernel locked down: none [integrity] confidentiality'
}
