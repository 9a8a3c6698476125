# kexec_md.bash -- helpers for the md + kexec tests of kexec.bats (load after
# vm_helper).
#
# km_initrd OUT LAYER...  vm_initrd, but mkinitramfs.sh stages its layers in
#                       a private VMDIR under $BATS_FILE_TMPDIR (the shared
#                       $VM_DIR/layers races with other tiers building images)
# km_boot SCENARIO [run-guest.sh options]
#                       vm_boot (run-guest.sh takes a guest slot)
# km_disks NAME...      VM_DISKS (after vm_fixture_disks) narrowed to the
#                       fixture disks NAME...
# km_ext4_layer OUT     newc archive: ext4.ko and its dependencies from the
#                       rig's kernel, with module indexes (depmod) covering the
#                       modules layer and these; goes after `modules`
# km_modules_layer OUT MODULE...
#                       the same for the modules MODULE... (paths in the tree,
#                       kernel/fs/ext4/ext4.ko; .ko.xz where the suite has it)
# km_ext4_raid1 DIR EXAMINE FILES-DIR
#                       an ext4 of FILES-DIR (mke2fs -d) written into the data
#                       area of both members DIR/ka.img DIR/kb.img of a RAID1
#                       made by mdadm, as md would have mirrored it (offset
#                       and size from EXAMINE, mdadm --examine of ka)

km_initrd() {
	local vm=$BATS_FILE_TMPDIR/vm f out=$1 l layers=()
	shift
	if [ ! -d "$vm" ]; then
		mkdir -p "$vm"
		for f in root kver vmlinuz vmlinux pins stamp; do
			ln -sfn "$VM_DIR/$f" "$vm/$f"
		done
	fi
	for l in "$@"; do
		[ "$l" = warmboot ] && l=warmboot=$WARMBOOT
		layers+=("$l")
	done
	[ -x "$WARMBOOT" ] || fail "$WARMBOOT not built"
	"$VM_TOOLS/mkinitramfs.sh" "$vm" "$out" "${layers[@]}" || fail "mkinitramfs failed"
}

km_boot() {
	VM_LOG=${VM_LOG:-$BATS_TEST_TMPDIR/console.log}
	run "$VM_TOOLS/run-guest.sh" --vm "$VM_DIR" --log "$VM_LOG" "$@"
}

km_disks() {
	local keep=() i n
	for ((i = 0; i < ${#VM_DISKS[@]}; i += 2)); do
		for n in "$@"; do
			[ "${VM_DISKS[i + 1]##*/}" = "$n.img" ] &&
				keep+=("${VM_DISKS[i]}" "${VM_DISKS[i + 1]}")
		done
	done
	[ ${#keep[@]} -eq $((2 * $#)) ] || fail "km_disks: not all of $* among the fixtures"
	VM_DISKS=("${keep[@]}")
}

km_ext4_layer() { km_modules_layer "$1" kernel/fs/ext4/ext4.ko; }

km_modules_layer() {
	local out=$1 kver src s m f new=()
	shift
	kver=$(cat "$VM_DIR/kver")
	src=$VM_DIR/root/lib/modules/$kver
	s=$BATS_TEST_TMPDIR/modules-layer
	[ -f "$BATS_FILE_TMPDIR/vm/layers/modules.cpio" ] || km_initrd "$BATS_TEST_TMPDIR/m.cpio" modules
	rm -rf "$s"
	mkdir -p "$s"
	# the modules layer's tree, so depmod sees it and the new ones together
	(cd "$s" && cpio --quiet -id <"$BATS_FILE_TMPDIR/vm/layers/modules.cpio") ||
		fail "unpack modules layer"
	for m in "$@"; do
		# MODULE.ko names ext4.ko on bookworm and ext4.ko.xz on trixie
		m=$(cd "$src" && ls "${m%.ko}".ko*) || fail "no module $m in $src"
		for f in $m $(sed -n "s|^$m: *||p" "$src/modules.dep"); do
			[ -f "$s/lib/modules/$kver/$f" ] && continue
			mkdir -p "$s/lib/modules/$kver/${f%/*}"
			cp "$src/$f" "$s/lib/modules/$kver/$f"
			new+=("lib/modules/$kver/$f")
			# the unpacker makes no parent directories: list them
			while f=${f%/*} && [ "$f" != kernel ]; do new+=("lib/modules/$kver/$f"); done
		done
	done
	depmod -b "$s" "$kver" || fail "depmod"
	# only the new modules and the new indexes go into the archive
	(cd "$s" && { printf '%s\n' "${new[@]}"; ls "lib/modules/$kver"/modules.*; } |
		LC_ALL=C sort -u | cpio --quiet -o -H newc -R 0:0) >"$out" || fail "pack modules layer"
}

km_ext4_raid1() {
	local dir=$1 ex=$2 files=$3 off kib m
	off=$(sed -n 's/^ *Data Offset : \([0-9]*\) sectors.*/\1/p' "$ex")
	kib=$(sed -n 's/^ *Array Size : \([0-9]*\) KiB.*/\1/p' "$ex")
	if [ -z "$off" ] || [ -z "$kib" ]; then fail "no data offset/size in $ex"; fi
	rm -f "$dir/fs.img"
	mke2fs -q -t ext4 -F -d "$files" -L wbkexec -E root_owner=0:0 "$dir/fs.img" "${kib}k" \
		>/dev/null || fail "mke2fs"
	for m in ka kb; do
		dd if="$dir/fs.img" of="$dir/$m.img" bs=512 seek="$off" conv=notrunc,sparse status=none ||
			fail "write the ext4 into $m"
	done
	rm -f "$dir/fs.img"
}
