#!/usr/bin/env bats
# VM tier of `warmboot modules`: coldplug of virtio storage and the md
# personalities in a guest whose initramfs holds busybox, warmboot and the
# rig's /lib/modules only (no kmod, no mdadm), with plain .ko and with .ko.xz:
# the suite's tree as shipped (bookworm .ko, trixie .ko.xz) and the other form.
load vm_helper

# The rig's /init runs `modprobe -a virtio_pci virtio_blk virtio_scsi sd_mod`
# (busybox's applet, called from the shell) before the scenario, after
# sourcing /lib/wbvm.sh: vm_storage_shim replaces that call with
# `warmboot modules --storage`.

# shipped: the form of the suite's modules, ko or xz
shipped() {
	if ls "$VM_DIR/root/lib/modules/$(cat "$VM_DIR/kver")/kernel/drivers/md/"raid1.ko.xz \
		>/dev/null 2>&1; then echo xz; else echo ko; fi
}
other() { [ "$(shipped)" = xz ] && echo ko || echo xz; }

# other_layer OUT IN: the rig's modules layer IN in the other form:
# every .ko compressed to .ko.xz (bookworm), or every .ko.xz decompressed
# (trixie), depmod'ed.
other_layer() {
	local d=$BATS_FILE_TMPDIR/other kver
	kver=$(cat "$VM_DIR/kver")
	rm -rf "$d"
	mkdir -p "$d"
	(cd "$d" && cpio --quiet -id <"$2")
	if [ "$(other)" = xz ]; then
		find "$d/lib/modules" -name '*.ko' -exec xz --check=crc32 --lzma2=dict=1MiB {} +
	else
		find "$d/lib/modules" -name '*.ko.xz' -exec unxz {} +
	fi
	depmod -b "$d" "$kver"
	(cd "$d" && find . -mindepth 1 | LC_ALL=C sort |
		cpio --quiet -o -H newc -R 0:0) >"$1"
}

setup_file() {
	command -v qemu-system-x86_64 >/dev/null || return 0
	[ -f "$VM_DIR/stamp" ] && [ -x "$WARMBOOT" ] || return 0
	# mkinitramfs.sh stages layers in VMDIR/layers: use a private one, so
	# other tiers building initramfs images at the same time do not race.
	local vm=$BATS_FILE_TMPDIR/vm f
	mkdir -p "$vm"
	for f in root kver vmlinuz vmlinux pins stamp; do
		ln -sfn "$VM_DIR/$f" "$vm/$f"
	done
	"$VM_TOOLS/mkinitramfs.sh" "$vm" "$BATS_FILE_TMPDIR/wb.cpio" \
		base modules "warmboot=$WARMBOOT"
	vm_storage_shim "$BATS_FILE_TMPDIR/shim.cpio"
	cat "$BATS_FILE_TMPDIR/shim.cpio" >>"$BATS_FILE_TMPDIR/wb.cpio"
	"$VM_TOOLS/mkinitramfs.sh" "$vm" "$BATS_FILE_TMPDIR/base.cpio" \
		base "warmboot=$WARMBOOT"
	other_layer "$BATS_FILE_TMPDIR/other.cpio" "$vm/layers/modules.cpio"
	cat "$BATS_FILE_TMPDIR/base.cpio" "$BATS_FILE_TMPDIR/other.cpio" \
		"$BATS_FILE_TMPDIR/shim.cpio" >"$BATS_FILE_TMPDIR/wbother.cpio"
}

setup() {
	vm_require
	[ -x "$WARMBOOT" ] || fail "$WARMBOOT not built"
}

boot_storage() {
	vm_fixture_disks
	truncate -s 8M "$BATS_TEST_TMPDIR/vda.img"
	vm_boot modules-storage --initrd "$1" --disk "$BATS_TEST_TMPDIR/vda.img" \
		"${VM_DISKS[@]}" --timeout 400 "${@:2}"
	vm_markers
}

# bats test_tags=slice
@test "modules-storage: --storage alone brings up virtio-blk and virtio-scsi disks, then md personalities (the suite's tree: .ko on 6.1, .ko.xz on 6.12)" {
	boot_storage "$BATS_FILE_TMPDIR/wb.cpio" --append "wb.modext=$(shipped)"
	assert_success
	assert_line "WBVM: OK tree has only .$(shipped | sed 's/^xz$/ko.xz/')"
	assert_line 'WBVM: OK warmboot modules --storage rc=0'
	assert_line 'WBVM: OK loaded sd_mod'
	assert_line --regexp '^WBVM: OK disks: [0-9]+$'
	assert_line 'WBVM: OK personality raid456 loaded'
	refute_line --partial 'WBVM: FAIL'
}

@test "modules-storage: the same with the tree in the other form (.ko.xz on 6.1, decompressed in-process; plain .ko on 6.12)" {
	boot_storage "$BATS_FILE_TMPDIR/wbother.cpio" --append "wb.modext=$(other)"
	assert_success
	assert_line "WBVM: OK tree has only .$(other | sed 's/^xz$/ko.xz/')"
	assert_line 'WBVM: OK warmboot modules --storage rc=0'
	assert_line 'WBVM: OK loaded sd_mod'
	assert_line 'WBVM: OK personality raid456 loaded'
	refute_line --partial 'WBVM: FAIL'
}
