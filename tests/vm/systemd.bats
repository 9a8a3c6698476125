#!/usr/bin/env bats
# systemd as init, the warmboot .deb installed, no kexec-tools, no EFI or
# BLS entries: a second kernel package runs the kernel hooks, which check,
# stage and preload it; a bare `systemctl kexec` (warmboot-kexec.service at
# kexec.target, systemd-shutdown's reboot(RB_KEXEC)) lands in it; the second
# boot shows the new kernel in uname -r and /proc/cmdline and the RAID1 made
# in the first boot intact.  Guest side: scenarios/systemd-kexec.
#   reduced (make check-vm, CI): the kernel package is installed when the
#     image is made; the guest runs the postinst.d hooks itself
#   full (make check-slow, WB_SLOW=1): `dpkg -i` of the kernel package in
#     the guest (unpack, update-initramfs under TCG, hooks)
# Per suite (SUITE=bookworm: systemd 252, kernel 6.1; trixie: systemd 257,
# 6.12): the package chroot of that suite (make package-chroot SUITE=...).
load vm_helper

load systemd_guest
setup() { systemd_guest_setup; }

# image MODE: the cached image directory for MODE, made if needed.
image() {
	local key
	key=$(cat "$PKG_OUT"/warmboot_*.deb "$PKG_CACHE"/chroot-*/stamp \
		"$VM_TOOLS/systemd-image.sh" "$VM_TOOLS/scenarios/systemd-kexec" 2>/dev/null |
		sha256sum | cut -c1-16)
	IMG=$PKG_CACHE/vm-$1-$key
	if [ ! -f "$IMG/stamp" ]; then
		rm -rf "$PKG_CACHE"/vm-"$1"-*
		"$VM_TOOLS/systemd-image.sh" "$IMG" "$1" || fail "systemd-image.sh failed"
	fi
}

boot() {
	local d=$BATS_TEST_TMPDIR
	cp --sparse=always "$IMG/root.img" "$d/root.img"
	truncate -s 64M "$d/mda.img" "$d/mdb.img"
	"$VM_TOOLS/run-guest.sh" --vm "$VM_DIR" --log "$d/console.log" \
		--kernel "$IMG/vmlinuz" --initrd "$IMG/initrd.img" --mem 1G --timeout "$1" \
		--disk "$d/root.img" --disk "$d/mda.img" --disk "$d/mdb.img" \
		--append "root=/dev/vda rw systemd.show_status=0 systemd.journald.forward_to_console=1" \
		systemd-kexec >"$d/out" 2>&1 && status=0 || status=$?
	# (bats runs tests with errexit: a failed boot is judged by the
	# assertions, which show its console, not cut short here)
	output=$(cat "$d/out")
	mapfile -t lines <"$d/out"
	grep -a '^WBVM:' "$d/out" >&3 || true
}

check_both_stages() {
	[[ $output == *"WBVM: BEGIN systemd-kexec stage=1"* ]]
	assert_line "WBVM: INFO release $SUITE systemd $(suite_systemd) kernel $(cat "$IMG/kver")"
	assert_line --partial "WBVM: OK the postinst hook checked and staged $(cat "$IMG/kver2")"
	assert_line --partial 'WBVM: OK preloaded on the live system'
	[[ $output == *"WBVM: BEGIN systemd-kexec stage=2"* ]] || fail "no second boot"
	assert_line "WBVM: OK uname -r is $(cat "$IMG/kver2")"
	assert_line --partial 'WBVM: OK /proc/cmdline is the first boot'
	assert_line 'WBVM: OK same array UUID'
	assert_line 'WBVM: OK both members active'
	assert_line 'WBVM: OK data intact'
	assert_line --partial 'WBVM: OK member event counts equal'
	# warmboot-kexec.service ran at kexec.target time and loaded it again
	# (its output: on the console directly, and forwarded by journald)
	# (a literal match: trixie's release strings have a '+', 6.12.N+deb13-amd64)
	assert_line --partial "warmboot: info: loaded /boot/vmlinuz-$(cat "$IMG/kver2") "
	refute_line --partial 'WBVM: FAIL'
}

@test "systemd: kernel hooks stage a new kernel; bare systemctl kexec lands in it, RAID intact (reduced)" {
	image reduced
	boot 600
	check_both_stages
	assert_success
}

@test "systemd: the kernel package installed inside the guest (full, make check-slow)" {
	[ -n "${WB_SLOW:-}" ] || skip "slow: make check-slow"
	image full
	boot 1500
	check_both_stages
	assert_line --regexp '^WBVM: TIME kernel-install [0-9]+ms rc=0'
	assert_success
}
