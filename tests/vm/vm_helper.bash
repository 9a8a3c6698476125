# vm_helper.bash -- load from a VM-tier bats file:  load vm_helper
#
# Environment: SUITE (bookworm|trixie, default bookworm), CACHE (default
#              REPO/.cache), VM_DIR (default $CACHE/vm-$SUITE: the artefacts),
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
# vm_unsigned_copy OUT  the rig's signed bzImage without its signature

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

VM_REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
CACHE=${CACHE:-$VM_REPO/.cache}
. "$VM_REPO/tests/vm/suite.sh"
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

# vm_storage_shim OUT: a newc layer (goes after `base`) whose /lib/wbvm.sh
# shadows `modprobe -a` for /init's one coldplug call with `warmboot modules
# --storage`, the names ignored: nothing is named by hand.  Other callers
# (the kernel's request_module(), modprobe NAME) still reach busybox
# modprobe.  Results in the guest: /run/wb-storage.{out,err,rc,ms}.
vm_storage_shim() {
	local d
	d=$(mktemp -d "${BATS_TEST_TMPDIR:-$BATS_FILE_TMPDIR}/shim.XXXXXX")
	mkdir -p "$d/lib"
	cp "$VM_TOOLS/guest/wbvm.sh" "$d/lib/wbvm.sh"
	cat >>"$d/lib/wbvm.sh" <<'SH'

# vm_storage_shim (tests/vm/vm_helper.bash): init's coldplug is warmboot's.
modprobe() {
	case $1 in
	-a) ;;
	*) command modprobe "$@"; return ;;
	esac
	_s=$(wbvm_ms)
	/bin/warmboot modules --storage >/run/wb-storage.out 2>/run/wb-storage.err
	echo $? >/run/wb-storage.rc
	echo $(($(wbvm_ms) - _s)) >/run/wb-storage.ms
}
SH
	(cd "$d" && find . -mindepth 1 | LC_ALL=C sort |
		cpio --quiet -o -H newc -R 0:0) >"$1"
}

vm_markers() {
	printf '%s\n' "$output" | grep -a '^WBVM:'
}

# vm_unsigned_copy OUT: the rig's kernel without its Authenticode signature (PE
# data directory 4 zeroed, the file cut where the table began)
vm_unsigned_copy() {
	local img=$VM_DIR/vmlinuz pe entry off
	pe=$(od -An -tu4 -j60 -N4 "$img" | tr -d ' ')
	entry=$((pe + 24 + 112 + 32))
	off=$(od -An -tu4 -j$entry -N4 "$img" | tr -d ' ')
	[ "$off" -gt 0 ] || fail "$img is not signed"
	head -c "$off" "$img" >"$1"
	dd if=/dev/zero of="$1" bs=1 seek=$entry count=8 conv=notrunc 2>/dev/null
}
