#!/usr/bin/env bats
# VM tier: warmboot assembles the arrays real mdadm made, in a real kernel,
# and the result equals what the suite's mdadm (4.2, 4.4) itself makes of the
# same disks.
load vm_helper

setup() {
	vm_require
	[ -x "$WARMBOOT" ] || fail "$WARMBOOT not built"
	vm_initrd "$BATS_TEST_TMPDIR/wb.cpio" base modules tools warmboot
	vm_fixture_disks
}

# bats test_tags=slice
@test "md-assemble-diff: warmboot assemble --scan equals mdadm --assemble --scan, data intact" {
	vm_boot md-assemble-diff --initrd "$BATS_TEST_TMPDIR/wb.cpio" "${VM_DISKS[@]}" \
		--in "$VM_MANIFEST" --timeout 400
	vm_markers
	assert_success
	local name
	for name in $(grep -v '^#' "$VM_MANIFEST" | cut -d' ' -f2); do
		assert_line --regexp "^WBVM: OK same $name: level="
		assert_line "WBVM: OK data $name"
	done
	assert_line 'WBVM: OK no array left after stop'
	# 12 arrays; 11 where the kernel has no linear to make one (6.12)
	assert_line "WBVM: OK scan --brief equals mdadm --examine --scan ($(grep -vc '^#' "$VM_MANIFEST") arrays)"
}

# bats test_tags=slice
@test "md-assemble-diff with members missing: the same arrays run degraded, the same stay down" {
	local keep=() i
	for ((i = 0; i < ${#VM_DISKS[@]}; i += 2)); do
		case ${VM_DISKS[i + 1]##*/} in r0b.img | r6a.img | dga.img | s1c.img) continue ;; esac
		keep+=("${VM_DISKS[i]}" "${VM_DISKS[i + 1]}")
	done
	vm_boot md-assemble-diff --initrd "$BATS_TEST_TMPDIR/wb.cpio" "${keep[@]}" \
		--in "$VM_MANIFEST" --timeout 400
	vm_markers
	assert_success
	assert_line --regexp '^WBVM: OK same r0: neither runs it'
	assert_line --regexp '^WBVM: OK same r6: level=raid6 degraded=1 '
	assert_line --regexp '^WBVM: OK same r5degraded: neither runs it'
	assert_line --regexp '^WBVM: OK same r1spare: level=raid1 degraded=0 '
}

# bats test_tags=slow
@test "md-assemble-diff after mdadm left stale members (with and without bitmaps)" {
	vm_boot md-assemble-diff --initrd "$BATS_TEST_TMPDIR/wb.cpio" "${VM_DISKS[@]}" \
		--in "$VM_MANIFEST" --append wb.prep=stale --timeout 400
	vm_markers
	assert_success
	assert_line --regexp '^WBVM: OK same r1bitmap: level=raid1 degraded=1 '
	assert_line --regexp '^WBVM: OK same r6: level=raid6 degraded=1 '
	assert_line --regexp '^WBVM: OK same r10: level=raid10 degraded=1 '
}

@test "md-assemble-diff after a split brain made by mdadm" {
	vm_boot md-assemble-diff --initrd "$BATS_TEST_TMPDIR/wb.cpio" "${VM_DISKS[@]}" \
		--in "$VM_MANIFEST" --append wb.prep=split --timeout 400
	vm_markers
	assert_success
	assert_line --regexp '^WBVM: OK same r1spare: '
}

@test "md-assemble-diff with an mdadm.conf naming every array" {
	vm_boot md-assemble-diff --initrd "$BATS_TEST_TMPDIR/wb.cpio" "${VM_DISKS[@]}" \
		--in "$VM_MANIFEST" --append wb.mdconf=1 --timeout 400
	vm_markers
	assert_success
	assert_line --regexp '^WBVM: OK same foreign: level=raid1 degraded=0 .* links=foreign,'
}

# md-ties DISK...: the equal-event split brain on blank disks ta tb,
# attached in the order given.
md_ties() {
	local d=$BATS_TEST_TMPDIR/ties args=() n
	mkdir -p "$d"
	truncate -s 40M "$d/ta.img" "$d/tb.img"
	for n in "$@"; do args+=(--disk "$d/$n.img"); done
	vm_boot md-ties --initrd "$BATS_TEST_TMPDIR/wb.cpio" "${args[@]}" --timeout 200
	vm_markers
	assert_success
	assert_line --regexp '^WBVM: OK equal events '
	assert_line --regexp '^WBVM: OK same ties: level=raid1 degraded=1 members=[a-z]+:[01], data=t[ab]$'
	assert_line --regexp '^WBVM: OK mdadm kept the half on vdb '
}

# bats test_tags=slice
@test "md-ties: equal events in a split brain, disks ta tb: warmboot keeps mdadm's half (the last in /proc/partitions)" {
	md_ties ta tb
	assert_line --regexp '^WBVM: OK same ties: .* data=tb$'
}

@test "md-ties: equal events in a split brain, disks tb ta: the other half, still mdadm's" {
	md_ties tb ta
	assert_line --regexp '^WBVM: OK same ties: .* data=ta$'
}

@test "md-wait: --wait returns when a missing member appears (uevents), or degrades at the deadline" {
	vm_boot md-wait --initrd "$BATS_TEST_TMPDIR/wb.cpio" "${VM_DISKS[@]}" \
		--in "$VM_MANIFEST" --timeout 300
	vm_markers
	assert_success
	assert_line 'WBVM: OK returned once the member came back'
	assert_line 'WBVM: OK r6 complete after the wait'
	assert_line 'WBVM: OK r6 started degraded at the deadline'
	assert_line 'WBVM: OK no wait when all members are present'
}
