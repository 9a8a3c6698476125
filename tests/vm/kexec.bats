#!/usr/bin/env bats
# VM tier for the kexec commands: warmboot load + exec into the real bzImage
# with a changed command line, fault cases, and load timing vs kexec -s -l;
# md arrays across warmboot exec, and a kernel loaded from an ext4 on a RAID1
# warmboot assembled (helpers in kexec_md.bash).
load vm_helper
load kexec_md

setup() {
	vm_require
}

# bats test_tags=slice
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

@test "kexec-md-arrays: arrays assembled before warmboot exec come back the same after it, data written just before intact" {
	local name md
	km_initrd "$BATS_TEST_TMPDIR/wb.cpio" base modules tools boot warmboot
	vm_fixture_disks
	# 0.90 RAID1 with bitmap, 1.0 RAID1 with spare, 1.2 and 0.90 RAID5 on
	# partitions, 0.90 RAID10, a 1.1 RAID5 made degraded
	km_disks r1a r1b s1a s1b s1c pa pb pc t0a t0b t0c t0d dga dgb
	km_boot kexec-md-arrays --initrd "$BATS_TEST_TMPDIR/wb.cpio" "${VM_DISKS[@]}" \
		--in "$VM_MANIFEST" --timeout 400
	vm_markers
	assert_success
	assert_line --partial 'WBVM: BEGIN kexec-md-arrays stage=2'
	for name in r1bitmap r1spare r5part r10 r5degraded r5part090; do
		assert_line "WBVM: OK data $name"
		assert_line --regexp "^WBVM: OK dirty $name: md[0-9]+ active before exec"
		# warmboot exec itself stopped it (the kernel's md reboot notifier
		# would mark it clean too, so the clean superblocks alone do not show it)
		md=$(vm_markers | sed -n "s/^WBVM: OK dirty $name: \(md[0-9]*\) .*/\1/p")
		assert_line "warmboot: info: stopped $md"
		assert_line --regexp "^WBVM: OK events $name: [0-9]+ on all active members"
		assert_line --regexp "^WBVM: OK clean $name: "
		assert_line --regexp "^WBVM: OK same $name: level=raid[0-9]+ degraded=[01] members=.* sum=[0-9a-f]{64}\$"
		assert_line --regexp "^WBVM: OK idle $name: "
	done
	assert_line --regexp '^WBVM: OK same r5degraded: level=raid5 degraded=1 '
	assert_line --regexp '^WBVM: OK same r1spare: level=raid1 degraded=0 members=s1a:0,s1b:1,s1c:none,'
}

# bats test_tags=slice
@test "kexec-md-ext4: warmboot assembles a RAID1, loads the kernel and initrd from its ext4, the second kernel assembles it clean" {
	local d=$BATS_TEST_TMPDIR
	# the RAID1, made by mdadm; then the host writes an ext4 holding the
	# kernel and an initrd (the booted one plus a token) into both halves
	km_initrd "$d/rig.cpio" base modules tools
	truncate -s 40M "$d/ka.img" "$d/kb.img"
	km_boot kexec-md-mkraid --initrd "$d/rig.cpio" --disk "$d/ka.img" --disk "$d/kb.img" \
		--out "$d/mkraid" --timeout 120
	assert_success
	# busybox, warmboot, md and virtio modules + ext4, coldplug by warmboot
	km_initrd "$d/wb.cpio" base modules warmboot
	km_ext4_layer "$d/ext4.cpio"
	vm_storage_shim "$d/shim.cpio"
	cat "$d/ext4.cpio" "$d/shim.cpio" >>"$d/wb.cpio"
	mkdir -p "$d/tok/etc" "$d/fs" "$d/in"
	od -An -tx1 -N8 /dev/urandom | tr -d ' \n' >"$d/in/token"
	cp "$d/in/token" "$d/tok/etc/kexec-md-token"
	cp "$VM_DIR/vmlinuz" "$d/fs/vmlinuz"
	{ cat "$d/wb.cpio"; (cd "$d/tok" && find etc | cpio --quiet -o -H newc -R 0:0); } >"$d/fs/initrd"
	(cd "$d/fs" && sha256sum vmlinuz initrd) >"$d/in/sums"
	km_ext4_raid1 "$d" "$d/mkraid/examine-ka" "$d/fs"
	km_boot kexec-md-ext4 --initrd "$d/wb.cpio" --disk "$d/ka.img" --disk "$d/kb.img" \
		--in "$d/in/sums" --in "$d/in/token" \
		--append "warmboot.chain=/dev/md/kboot:/vmlinuz BOOT_IMAGE=/vmlinuz" --timeout 300
	vm_markers
	assert_success
	assert_line 'WBVM: OK warmboot modules --storage rc=0'
	assert_line --regexp '^WBVM: OK kboot assembled: raid1 degraded=0 members=ka:0,kb:1, '
	assert_line --regexp '^WBVM: OK files on kboot intact: vmlinuz: OK initrd: OK'
	assert_line 'WBVM: OK loaded /mnt/vmlinuz with /mnt/initrd from /dev/md/kboot'
	assert_line --partial 'WBVM: BEGIN kexec-md-ext4 stage=2'
	assert_line 'WBVM: OK new parameter present'
	assert_line 'WBVM: OK no warmboot.chain='
	assert_line 'WBVM: OK no BOOT_IMAGE='
	assert_line 'WBVM: OK warmboot modules --storage rc=0 again'
	assert_line "WBVM: OK initrd read from the array: token $(cat "$d/in/token")"
	assert_line --regexp '^WBVM: OK superblocks clean, events equal: ka [0-9]+ true, kb [0-9]+ true'
	assert_line 'WBVM: OK no resync after the kexec'
	[ "$(vm_markers | grep -c '^WBVM: OK kboot assembled: raid1 degraded=0 members=ka:0,kb:1, ')" -eq 2 ]
	[ "$(vm_markers | grep -c '^WBVM: OK files on kboot intact')" -eq 2 ]
}
