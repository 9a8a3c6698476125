#!/usr/bin/env bats
# VM tier: arrays mdadm 4.2 assembles but does not start (--no-degraded with
# members missing, dirty and degraded, a bad-checksum member), and the
# second step that finishes them: warmboot's end state equals mdadm's on the
# same disks, made by the reference mdadm in the guest (md-inactive).
load vm_helper

setup() {
	vm_require
	[ -x "$WARMBOOT" ] || fail "$WARMBOOT not built"
	vm_initrd "$BATS_TEST_TMPDIR/wb.cpio" base modules tools warmboot
}

# bats test_tags=slice
@test "md-inactive: --no-degraded, dirty degraded, two steps, a bad checksum: warmboot ends as mdadm 4.2 does" {
	local d=$BATS_TEST_TMPDIR/disks args=() n
	mkdir -p "$d"
	for n in ra rb pa pb pc pd sa sb sc sd se da db dc; do
		truncate -s 40M "$d/$n.img"
		args+=(--disk "$d/$n.img")
	done
	vm_boot md-inactive --initrd "$BATS_TEST_TMPDIR/wb.cpio" "${args[@]}" --timeout 500
	vm_markers
	assert_success
	assert_line 'WBVM: OK dg is dirty'
	# mdadm: "assembled from 3 drives (out of 4), but not started", exit 0
	assert_line --regexp '^WBVM: OK same nodeg-r5-r6: rc=0 md126 state=inactive level= members=sa:none,sb:none,sc:none, links=r6, data=-;md127 state=inactive level= members=pa:none,pb:none,pc:none, links=r5, data=-;$'
	assert_line --regexp '^WBVM: OK same default-r5-r6: rc=0 md126 state=clean level=raid6 members=sa:0,sb:1,sc:2, links=r6, data=r6;md127 state=clean level=raid5 members=pa:0,pb:1,pc:2, links=r5, data=r5;$'
	assert_line --regexp '^WBVM: OK same nodeg-listed-r1: rc=0 .*state=inactive level= members=ra:none, links=boot, data=-;$'
	assert_line --regexp '^WBVM: OK same dirty-default: rc=non-zero $'
	assert_line --regexp '^WBVM: OK same dirty-nodeg: rc=0 .*state=inactive level= members=da:none,db:none,dc:none, links=dg, data=-;$'
	assert_line --regexp '^WBVM: OK same two-step: rc=0 md127 state=inactive level= members=pa:none,pb:none,pc:none, links=r5, data=-; then md127 state=clean level=raid5 members=pa:0,pb:1,pc:2,pd:3, links=r5, data=r5;$'
	assert_line 'WBVM: OK step 2 rc=0 for both'
	assert_line 'WBVM: OK warmboot ended, rc=0'
	assert_line --regexp '^WBVM: OK same bad-checksum: md127 state=inactive level= members=ra:none, links=r1, data=-;$'
}
