#!/usr/bin/env bats
# VM tier: the upgrade path, what a dist-upgrade followed by a warm reboot
# does. The guest boots SUITE's kernel on SUITE's fixture arrays (made by
# SUITE's mdadm); warmboot assembles them, writes through md, and loads +
# execs the other suite's kernel (bookworm 6.1 <-> trixie 6.12), which
# assembles them, compares, writes and jumps back: the same members, slots,
# links and data (sha256) at every stage, clean superblocks with equal events
# before each assembly. On 6.12 a linear array (bookworm's lin) is refused
# before any member is bound, and comes back on 6.1 as it was.
# The initramfs holds both kernels' module trees (/lib/modules/KVER of each
# rig, as a machine has them after the upgrade) and both bzImages
# (/boot/vmlinuz-KVER); each stage repacks its rootfs as the next stage's
# initrd (scenario kexec-md-arrays, wb.kernels).
# bats file_tags=slice-trixie,slow
load vm_helper
load kexec_md

setup() {
	vm_require
	OTHER=bookworm
	[ "$SUITE" = bookworm ] && OTHER=trixie
	OTHER_DIR=$CACHE/vm-$OTHER
	[ -f "$OTHER_DIR/stamp" ] ||
		fail "no $OTHER rig in $OTHER_DIR: run make vm-fetch SUITE=$OTHER"
	[ -x "$WARMBOOT" ] || fail "$WARMBOOT not built"
}

# other_modules OUT: the other suite's modules layer (its own private VMDIR)
other_modules() {
	local vm=$BATS_FILE_TMPDIR/vm-$OTHER f
	mkdir -p "$vm"
	for f in root kver vmlinuz vmlinux pins stamp; do ln -sfn "$OTHER_DIR/$f" "$vm/$f"; done
	"$VM_TOOLS/mkinitramfs.sh" "$vm" "$1" modules || fail "mkinitramfs ($OTHER modules)"
}

# kernels OUT: /boot/vmlinuz-KVER of both suites
kernels() {
	local d=$BATS_TEST_TMPDIR/kernels
	mkdir -p "$d/boot"
	cp "$VM_DIR/vmlinuz" "$d/boot/vmlinuz-$(cat "$VM_DIR/kver")"
	cp "$OTHER_DIR/vmlinuz" "$d/boot/vmlinuz-$(cat "$OTHER_DIR/kver")"
	(cd "$d" && find boot | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) >"$1" ||
		fail "pack kernels"
}

@test "upgrade: arrays across warmboot exec into the other release's kernel and back, intact" {
	local d=$BATS_TEST_TMPDIR kver okver name disks=(r1a r1b s1a s1b s1c pa pb pc) lin
	kver=$(cat "$VM_DIR/kver")
	okver=$(cat "$OTHER_DIR/kver")
	km_initrd "$d/wb.cpio" base modules tools warmboot
	other_modules "$d/other.cpio"
	kernels "$d/kernels.cpio"
	cat "$d/other.cpio" "$d/kernels.cpio" >>"$d/wb.cpio"
	vm_fixture_disks
	# a linear array exists where the fixtures' kernel had linear (6.1)
	lin=$(awk '!/^#/ && $3 == "linear" { print $2 }' "$VM_MANIFEST")
	[ -n "$lin" ] && disks+=(lna lnb)
	km_disks "${disks[@]}"
	km_boot kexec-md-arrays --initrd "$d/wb.cpio" "${VM_DISKS[@]}" --in "$VM_MANIFEST" \
		--mem 1G --append "wb.kernels=/boot/vmlinuz-$okver,/boot/vmlinuz-$kver" --timeout 600
	vm_markers
	assert_success
	assert_line "WBVM: OK stage 1 kernel $kver"
	assert_line --regexp "^WBVM: OK stage 2 kernel ${okver//+/\\+}, "
	assert_line --regexp "^WBVM: OK stage 3 kernel ${kver//+/\\+}, "
	assert_line --partial 'WBVM: END rc=0'
	for name in r1bitmap r1spare r5part r5part090; do
		assert_line "WBVM: OK data $name"
		# stage 2 and stage 3 each find what the stage before recorded
		[ "$(vm_markers | grep -c "^WBVM: OK same $name: level=raid[0-9]* degraded=0 members=")" -eq 2 ] ||
			fail "$name not the same after both jumps"
		[ "$(vm_markers | grep -c "^WBVM: OK clean $name: ")" -eq 2 ] || fail "$name not clean twice"
		[ "$(vm_markers | grep -c "^WBVM: OK dirty $name: ")" -eq 2 ] || fail "$name not dirty twice"
	done
	if [ -n "$lin" ]; then
		# 6.12 refuses it untouched; back on 6.1 it is what stage 1 left
		assert_line --regexp "^WBVM: OK written $lin: linear md[0-9]+ clean before exec\$"
		assert_line "WBVM: OK refused $lin: no linear personality in $okver, members unbound"
		assert_line --regexp "^WBVM: OK same $lin: level=linear degraded=0 members=lna:0,lnb:1,"
		assert_line --partial "(linear) not started: kernel $okver has no linear personality"
	fi
}
