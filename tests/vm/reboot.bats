#!/usr/bin/env bats
# WARMBOOT_REBOOT=kexec in a systemd guest with the .deb installed (and
# dbus, for systemd-logind): the next kernel is loaded at boot, reloaded
# after update-initramfs, unloaded with the reason in the journal when its
# check fails; the suite's reboot command lands in it through kexec; with
# the setting off nothing is loaded and the reboot goes through the
# firmware; the reboot systemd does not turn into a kexec (252: `systemctl
# reboot`; 257: SYSTEMCTL_SKIP_AUTO_KEXEC=1) goes through the firmware with
# a kernel loaded.  Four boots in one qemu run (run-guest.sh --reboot-ok: a
# reset boots qemu's -kernel again); guest side: scenarios/systemd-reboot.
# Seen from here: the console's "reboot: Restarting system" (the kernel's
# message for a firmware reboot, none for kexec) once per firmware reboot.
# Per suite (SUITE=bookworm: systemd 252; trixie: 257), with its package
# chroot (make package-chroot SUITE=...) and the .deb (make deb).
#   REBOOT_IMG_CACHE  where the guest image is kept (default $PKG_CACHE)
load vm_helper

load systemd_guest
setup() { systemd_guest_setup; }

# The cached image for this test (reduced mode: no kernel installed in the
# guest), made if needed.
image() {
	local key dir=${REBOOT_IMG_CACHE:-$PKG_CACHE}
	key=$(cat "$PKG_OUT"/warmboot_*.deb "$PKG_CACHE"/chroot-*/stamp "$VM_TOOLS/systemd-image.sh" \
		"$VM_TOOLS/scenarios/systemd-reboot" "$BATS_TEST_FILENAME" 2>/dev/null |
		sha256sum | cut -c1-16)
	IMG=$dir/vm-reboot-$key
	if [ ! -f "$IMG/stamp" ]; then
		mkdir -p "$dir"
		rm -rf "$dir"/vm-reboot-*
		WB_IMAGE_SCENARIO=systemd-reboot WB_IMAGE_PKGS=dbus \
			WB_IMAGE_DEFAULTS="WARMBOOT_REBOOT=kexec
WARMBOOT_KEXEC_APPEND=wbvm.kexec=1" \
			"$VM_TOOLS/systemd-image.sh" "$IMG" reduced || fail "systemd-image.sh failed"
	fi
}

# How many firmware reboots the console shows between the BEGIN markers of
# stages $1 and $2.
firmware_resets() {
	printf '%s\n' "$console" |
		sed -n "/^WBVM: BEGIN systemd-reboot stage=$1 /,/^WBVM: BEGIN systemd-reboot stage=$2 /p" |
		grep -c 'reboot: Restarting system'
}

# ~20 min a suite under TCG (four boots, update-initramfs ~5 min): the matrix's
# bats test_tags=slow
@test "reboot: WARMBOOT_REBOOT=kexec keeps the next kernel loaded; the reboot lands in it; off, through the firmware" {
	image
	local d=$BATS_TEST_TMPDIR sd
	sd=$(suite_systemd)
	cp --sparse=always "$IMG/root.img" "$d/root.img"
	vm_boot --kernel "$IMG/vmlinuz" --initrd "$IMG/initrd.img" --mem 1G --timeout 1800 \
		--reboot-ok --disk "$d/root.img" \
		--append "root=/dev/vda rw systemd.show_status=0 systemd.journald.forward_to_console=1" \
		systemd-reboot
	vm_markers >&3 || true
	console=$output vmstatus=$status
	assert_line "WBVM: INFO release $SUITE systemd $sd kernel $(cat "$IMG/kver")"
	for s in 1 2 3 4; do
		assert_line --regexp "^WBVM: BEGIN systemd-reboot stage=$s "
	done
	# qemu boots kver; the boot loader's default is kver2 (installed last)
	assert_line "WBVM: INFO firmware boots $(cat "$IMG/kver"), the next kernel is $(cat "$IMG/kver2")"
	# stage 1: loaded at boot, reloaded after update-initramfs, the failed check
	assert_line --partial "WBVM: OK after boot: status: kexec into $(cat "$IMG/kver2"), initrd sha256 "
	assert_line --partial 'WBVM: OK after update-initramfs -u: status: kexec into'
	assert_line 'WBVM: OK the post-update hook reloaded it'
	assert_line 'WBVM: OK the failed check left nothing loaded'
	# (truncated: bookworm's image ends inside its zstd part, trixie's
	# inside the uncompressed cpio of the .ko.xz before it)
	assert_line --regexp '^WBVM: OK status: firmware: check of default failed \(update-initramfs .*\): initrd: .*(compressed data end too early|truncated cpio)'
	assert_line --partial 'WBVM: OK journal: unloaded, check failed'
	# stage 2: the reboot command was a kexec (no firmware reset between)
	assert_line --partial "WBVM: OK stage 2: '$([ $sd -ge 255 ] && echo 'systemctl reboot' || echo reboot)' landed in the loaded kernel $(cat "$IMG/kver2") through kexec"
	assert_line 'WBVM: OK WARMBOOT_REBOOT=firmware: warmboot-next.path unloaded it'
	# stage 3: firmware, nothing loaded; stage 4: firmware despite a kernel loaded
	assert_line --partial 'WBVM: OK stage 3: nothing loaded after boot with WARMBOOT_REBOOT=firmware'
	assert_line 'WBVM: OK WARMBOOT_REBOOT=kexec: warmboot-next.path loaded it'
	assert_line --partial "WBVM: OK stage 4: "
	refute_line --partial 'WBVM: FAIL'
	assert_line --regexp '^WBVM: END rc=0'
	assert_equal "$vmstatus" 0
	# kexec from 1 to 2, the firmware from 2 to 3 and 3 to 4
	assert_equal "$(firmware_resets 1 2)" 0
	assert_equal "$(firmware_resets 2 3)" 1
	assert_equal "$(firmware_resets 3 4)" 1
}
