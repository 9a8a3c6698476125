#!/usr/bin/env bats
# VM tier: the committed superblock fixtures (tests/fixtures/md) restore to
# images on which the reference mdadm --examine says what it said when the
# arrays were made (tests/fixtures/md/capture/examine).
load vm_helper

setup() {
	vm_require
}

# normalise FILE -- drop the device line and the device names 0.90 prints
# for its member table (they name this boot's devices, or nothing)
normalise() {
	sed -e '1s|^[^ ]*:$|DEVICE:|' -e 's| *\(/dev/[a-z0-9]*\)\{0,1\}$||' "$1"
}

@test "sb fixtures: restored members examine like the originals" {
	local fx=$VM_REPO/tests/fixtures/md d name n=0
	vm_initrd "$BATS_TEST_TMPDIR/tools.cpio" base modules tools
	mkdir -p "$BATS_TEST_TMPDIR/disks"
	local args=()
	# whole disks only: partitions come back inside pa, pb, pc
	for d in $(awk '!/^#/ && $1 == $3 { print $1 }' "$fx/members/layout"); do
		"$fx/restore.sh" "$d" "$BATS_TEST_TMPDIR/disks/$d.img"
		args+=(--scsi "$BATS_TEST_TMPDIR/disks/$d.img")
	done
	vm_boot sb-examine --initrd "$BATS_TEST_TMPDIR/tools.cpio" "${args[@]}" \
		--out "$BATS_TEST_TMPDIR/out" --timeout 240
	assert_success
	for f in "$fx"/capture/examine/*.txt; do
		name=$(basename "$f")
		[ -f "$BATS_TEST_TMPDIR/out/examine/$name" ] || fail "no examine output for $name"
		diff -u <(normalise "$f") <(normalise "$BATS_TEST_TMPDIR/out/examine/$name") ||
			fail "mdadm --examine differs for $name"
		n=$((n + 1))
	done
	[ "$n" -ge 32 ] || fail "only $n captured members"
}
