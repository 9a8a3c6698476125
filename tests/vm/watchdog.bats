#!/usr/bin/env bats
# VM tier for the watchdog-guarded jump (issue 17, part 2): the guest has an
# i6300esb (qemu's default watchdog action: reset) and boots with
# watchdog.stop_on_reboot=0. warmboot exec --watchdog 30 into a good kernel:
# the takeover script disarms it and the guest lives past the deadline; into
# a kernel whose init hangs: the watchdog resets the guest, which boots again
# through firmware.
load vm_helper
load kexec_md

setup() {
	vm_require
}

# The rig's initrd plus i6300esb and warmboot's takeover as the image has it:
# scripts/init-premount/warmboot-watchdog, its functions and bool, the
# settings (WARMBOOT_WATCHDOG=30) and what the hook records (the driver).
wd_initrd() {
	local out=$1 t=$BATS_TEST_TMPDIR/takeover
	km_initrd "$out" base modules boot warmboot
	km_modules_layer "$BATS_TEST_TMPDIR/wd.cpio" kernel/drivers/watchdog/i6300esb.ko
	mkdir -p "$t/scripts/init-premount" "$t/usr/lib/warmboot" "$t/etc/default" "$t/conf/conf.d"
	cp "$VM_REPO/scripts/warmboot-functions" "$t/scripts/"
	cp "$VM_REPO/scripts/init-premount/warmboot-watchdog" "$t/scripts/init-premount/"
	cp "$VM_REPO/hooks/bool" "$t/usr/lib/warmboot/bool"
	sed 's/^WARMBOOT_WATCHDOG=.*/WARMBOOT_WATCHDOG=30/' "$VM_REPO/etc/default/warmboot" \
		>"$t/etc/default/warmboot"
	printf 'WARMBOOT_BUILT_LEAD=warmboot\nWARMBOOT_BUILT_WATCHDOG="i6300esb"\n' \
		>"$t/conf/conf.d/warmboot"
	(cd "$t" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) \
		>"$BATS_TEST_TMPDIR/takeover.cpio" || fail "pack the takeover layer"
	cat "$BATS_TEST_TMPDIR/wd.cpio" "$BATS_TEST_TMPDIR/takeover.cpio" >>"$out"
}

# bats test_tags=slice
@test "watchdog-jump: exec --watchdog 30, the next boot's takeover disarms it, the guest lives past the deadline" {
	wd_initrd "$BATS_TEST_TMPDIR/wb.cpio"
	km_boot watchdog-jump --initrd "$BATS_TEST_TMPDIR/wb.cpio" --device i6300esb \
		--append watchdog.stop_on_reboot=0 --timeout 400
	assert_success
	assert_line --regexp '^WBVM: OK check: ok +watchdog i6300ESB timer resets the machine when the next kernel hangs 30 s$'
	assert_line 'warmboot: info: watchdog i6300ESB timer armed: 30 s for the next kernel to take it over'
	assert_line --partial 'WBVM: BEGIN watchdog-jump stage=2'
	assert_line 'WBVM: OK takeover: loaded i6300esb, which stopped the timer at probe'
	assert_line 'WBVM: OK takeover disarmed the running watchdog'
	assert_line --regexp '^WBVM: OK alive 40 s past the takeover'
}

@test "watchdog-hang: exec --watchdog 30 into a kernel whose init hangs, the watchdog resets the guest into a second first-stage boot" {
	wd_initrd "$BATS_TEST_TMPDIR/wb.cpio"
	truncate -s 1M "$BATS_TEST_TMPDIR/wbstate.img"
	km_boot watchdog-hang --initrd "$BATS_TEST_TMPDIR/wb.cpio" --device i6300esb --reboot-ok \
		--disk "$BATS_TEST_TMPDIR/wbstate.img" --append watchdog.stop_on_reboot=0 --timeout 400
	assert_success
	assert_line 'WBVM: OK first boot: no watchdog reset before'
	assert_line 'warmboot: info: watchdog i6300ESB timer armed: 30 s for the next kernel to take it over'
	[ "$(grep -c '^WBVM: BEGIN watchdog-hang stage=1' <<<"$output")" = 2 ] ||
		fail "not exactly two first-stage boots"
	refute_line --partial 'stage=2'
	refute_line --partial 'Kernel panic'
	assert_line 'WBVM: OK reset by the watchdog, booted again through firmware'
}
