# vm_helper.bash -- load from a VM-tier bats file:  load vm_helper
#
# Environment: CACHE (default REPO/.cache; artefacts in $CACHE/vm),
#              WARMBOOT (default REPO/helper/warmboot).
#
# vm_require            skip (with reason) only if qemu-system-x86_64 is absent;
#                       fail if the cached artefacts are missing.
# vm_initrd OUT LAYER...  build an initramfs from layers (see mkinitramfs.sh):
#                       base modules tools boot warmboot  ("warmboot" = $WARMBOOT,
#                       fails if it is not built)
# vm_fixture_disks      copy the fixture images into $BATS_TEST_TMPDIR/disks and
#                       set the array VM_DISKS to "--scsi FILE ..." arguments and
#                       VM_MANIFEST to the manifest path
# vm_boot SCENARIO [run-guest.sh options]
#                       boot; like `run`: $status, $output (the console), $lines;
#                       console also kept in $VM_LOG.  status 0 = "WBVM: END rc=0"
#                       and no FAIL; 1 = scenario failed; 3 = hang/crash/timeout.
# vm_markers            print only the WBVM: lines of $output (for diagnostics)

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

VM_REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
VM_DIR=${CACHE:-$VM_REPO/.cache}/vm
VM_TOOLS=$VM_REPO/tests/vm
WARMBOOT=${WARMBOOT:-$VM_REPO/helper/warmboot}

vm_require() {
	command -v qemu-system-x86_64 >/dev/null ||
		skip "qemu-system-x86_64 not installed (apt-get install qemu-system-x86)"
	[ -f "$VM_DIR/stamp" ] || fail "no VM artefacts in $VM_DIR: run make vm-fetch"
}

vm_initrd() {
	local out=$1 l layers=()
	shift
	for l in "$@"; do
		if [ "$l" = warmboot ]; then
			[ -x "$WARMBOOT" ] || fail "$WARMBOOT not built"
			l=warmboot=$WARMBOOT
		fi
		layers+=("$l")
	done
	"$VM_TOOLS/mkinitramfs.sh" "$VM_DIR" "$out" "${layers[@]}" ||
		fail "mkinitramfs failed"
}

vm_fixture_disks() {
	local fx=$VM_DIR/fixtures f
	[ -f "$fx/stamp" ] || fail "no fixture disks in $fx: run make vm-fixtures"
	mkdir -p "$BATS_TEST_TMPDIR/disks"
	VM_DISKS=()
	for f in $(sed -n 's/^#disk \([^ ]*\) .*/\1/p' "$VM_TOOLS/scenarios/mkfixtures"); do
		cp --reflink=auto --sparse=always "$fx/$f.img" "$BATS_TEST_TMPDIR/disks/$f.img"
		VM_DISKS+=(--scsi "$BATS_TEST_TMPDIR/disks/$f.img")
	done
	VM_MANIFEST=$fx/out/manifest
}

vm_boot() {
	VM_LOG=${VM_LOG:-$BATS_TEST_TMPDIR/console.log}
	run "$VM_TOOLS/run-guest.sh" --vm "$VM_DIR" --log "$VM_LOG" "$@"
}

vm_markers() {
	printf '%s\n' "$output" | grep -a '^WBVM:'
}
