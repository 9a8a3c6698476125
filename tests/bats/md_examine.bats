#!/usr/bin/env bats
# examine and scan against superblocks written by real mdadm 4.2
# (tests/fixtures/md), compared with what mdadm printed for the same disks.

load helper
load md_root

setup_file() {
	md_root_setup_file
}

# compare_examines VERSION-REGEX SED-SCRIPT MIN: every captured member of
# that metadata version, mdadm's text and warmboot's, through SED-SCRIPT
compare_examines() {
	local f n dev count=0
	for f in "$FIXTURES"/md/capture/examine/*.txt; do
		n=$(basename "$f" .txt)
		grep -q "Version : $1" "$f" || continue
		dev=$(fixture_dev "$n")
		[ -n "$dev" ] || dev=$(fixture_dev "${n%?}")${n#"${n%?}"}
		run diff -u <(sed "$2" "$f") <("$WB" examine --homehost wbhost "$MDROOT$dev" | sed "$2")
		assert_success
		count=$((count + 1))
	done
	[ "$count" -ge "$3" ]
}

@test "examine of every 1.x member equals mdadm --examine, byte for byte" {
	compare_examines '1\.' 1d 20
}

@test "examine of every 0.90 member equals mdadm --examine up to its device table" {
	# mdadm's device table names devices; warmboot prints the role instead
	compare_examines '0\.90' '1d; /^      Number   Major/,$d; /^   Device Role/,$d' 9
}

@test "scan --brief equals mdadm --examine --scan (order aside)" {
	run env WARMBOOT_ROOT="$MDROOT" "$WBREC" scan --brief
	assert_success
	# join "   spares=N" lines to their ARRAY line before comparing
	diff -u <(awk '/^   spares/ { print prev $0; prev=""; next } { if (prev) print prev; prev=$0 } END { if (prev) print prev }' \
		"$FIXTURES/md/capture/examine-scan.txt" | sort) \
		<(printf '%s\n' "$output" | awk '/^   spares/ { print prev $0; prev=""; next } { if (prev) print prev; prev=$0 } END { if (prev) print prev }' | sort)
}

@test "scan never opens a device for writing and reads at most 4 times per device" {
	command -v strace >/dev/null || skip "strace not installed"
	run env WARMBOOT_ROOT="$MDROOT" strace -y -e trace=openat,pread64 -o "$BATS_TEST_TMPDIR/trace" "$WBREC" scan --brief
	assert_success
	run grep -E 'openat\(.*/dev/sd.*O_(WRONLY|RDWR)' "$BATS_TEST_TMPDIR/trace"
	assert_failure
	# reads per device, by the path strace shows for each fd
	max=$(grep -o 'pread64([0-9]*<[^>]*>' "$BATS_TEST_TMPDIR/trace" | sort | uniq -c | sort -rn | awk 'NR==1 { print $1 }')
	[ "$max" -ge 1 ] && [ "$max" -le 4 ]
}

@test "scan --json lists every array with its members" {
	run env WARMBOOT_ROOT="$MDROOT" "$WBREC" scan --json
	assert_success
	printf '%s' "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
arrays = {a["uuid"]: a for a in d["arrays"]}
assert len(arrays) == 12, len(arrays)
r6 = arrays["50ff45e8:bfb77fcf:58a03ef4:9a6c66f6"]
assert r6["level"] == "raid6" and len(r6["members"]) == 4
assert sorted(m["slot"] for m in r6["members"]) == [0, 1, 2, 3]
'
}

@test "a whole disk echoing its last partition's 0.90 superblock is not a member" {
	run env WARMBOOT_ROOT="$MDROOT" "$WBREC" scan --json
	assert_success
	printf '%s' "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
a = [a for a in d["arrays"] if a["uuid"] == "ebc4000c:294e81bf:1e93db32:c32bc900"][0]
assert sorted(m["device"] for m in a["members"]) == ["/dev/sdk2", "/dev/sdl2", "/dev/sdm2"], a
'
}

@test "examine --json gives the neutral description" {
	run "$WB" examine --json "$MDROOT/dev/sdz"
	assert_success
	printf '%s' "$output" | python3 -c '
import json, sys
m = json.load(sys.stdin)[0]
assert m["metadata"] == "1.2" and m["level"] == "raid1" and m["name"] == "wbhost:r1faulty"
assert m["role"] == "active" and m["slot"] == 0 and m["checksum_ok"]
assert m["recorded_roles"] == [0, "faulty"], m["recorded_roles"]
'
}

@test "a wrong checksum is reported and the device is not used" {
	cp --sparse=always "$MDROOT/dev/sdb" "$BATS_TEST_TMPDIR/img"
	python3 "$TOP/tests/tools/mdpatch.py" --no-csum "$BATS_TEST_TMPDIR/img" events=99
	run --separate-stderr "$WB" examine "$BATS_TEST_TMPDIR/img"
	assert_failure 1
	assert_equal "$stderr" "warmboot: error: $BATS_TEST_TMPDIR/img: 1.2 superblock cannot be trusted: superblock checksum is wrong"
	assert_line --partial "- expected"
}

@test "impossible values give one clear message each" {
	local spec
	for spec in "raid_disks=0:raid_disks is 0" "raid_disks=5000:raid_disks is impossibly large" \
		"data_offset=99999999:data offset is past the end of the device" \
		"level=7:unknown RAID level" "role.0=9:device role is past raid_disks" \
		"max_dev=4000:max_dev is larger than a superblock can hold"; do
		cp --sparse=always "$MDROOT/dev/sdb" "$BATS_TEST_TMPDIR/img"
		python3 "$TOP/tests/tools/mdpatch.py" "$BATS_TEST_TMPDIR/img" "${spec%%:*}"
		run --separate-stderr "$WB" examine "$BATS_TEST_TMPDIR/img"
		assert_failure 1
		assert_equal "$stderr" "warmboot: error: $BATS_TEST_TMPDIR/img: 1.2 superblock cannot be trusted: ${spec#*:}"
	done
}

@test "garbage, truncated and empty files give a clear message, other devices still reported" {
	head -c 1048576 /dev/urandom >"$BATS_TEST_TMPDIR/garbage"
	head -c 3000 "$MDROOT/dev/sdb" >"$BATS_TEST_TMPDIR/short"
	: >"$BATS_TEST_TMPDIR/empty"
	run --separate-stderr "$WB" examine "$BATS_TEST_TMPDIR/garbage" "$BATS_TEST_TMPDIR/short" \
		"$BATS_TEST_TMPDIR/empty" "$MDROOT/dev/sdb" /nonexistent
	assert_failure 3
	assert_line --index 0 "$MDROOT/dev/sdb:"
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 4 ]
	[[ "$stderr" == *"garbage: no md superblock found"* ]]
	[[ "$stderr" == *"short: no md superblock found"* ]]
	[[ "$stderr" == *"unable to read /nonexistent: No such file or directory"* ]]
}

@test "a 0.90 leftover under a 1.2 superblock: reported, resolved by creation time as mdadm does" {
	# a 1.2 member (r0a) with the 0.90 superblock of r1a written at its end
	cp --sparse=always "$MDROOT/dev/sdb" "$BATS_TEST_TMPDIR/img"
	size=$(stat -c %s "$BATS_TEST_TMPDIR/img")
	off=$(( (size & ~65535) - 65536 ))
	dd if="$MDROOT/dev/sdc" of="$BATS_TEST_TMPDIR/img" bs=4096 skip=$((off / 4096)) \
		seek=$((off / 4096)) count=1 conv=notrunc 2>/dev/null
	run --separate-stderr "$WB" examine "$BATS_TEST_TMPDIR/img"
	assert_success
	# r1bitmap (0.90) was created after r0 (1.2): mdadm reads the 0.90 one
	[ "$(date -d "$(sed -n 's/.*Creation Time : //p' "$FIXTURES/md/capture/examine/r1a.txt")" +%s)" -gt \
	  "$(date -d "$(sed -n 's/.*Creation Time : //p' "$FIXTURES/md/capture/examine/r0a.txt")" +%s)" ]
	assert_line --partial "Version : 0.90.00"
	[[ "$stderr" == *"also carries a 1.2 superblock, ignored: like mdadm, warmboot reads the 0.90 one (latest creation time)"* ]]
}

@test "IMSM metadata is recognised and refused, not parsed" {
	truncate -s 8M "$BATS_TEST_TMPDIR/imsm"
	printf 'Intel Raid ISM Cfg Sig. 1.3.00' | dd of="$BATS_TEST_TMPDIR/imsm" bs=512 \
		seek=$((8 * 2048 - 2)) conv=notrunc 2>/dev/null
	run --separate-stderr "$WB" examine "$BATS_TEST_TMPDIR/imsm"
	assert_failure 4
	assert_equal "$stderr" "warmboot: error: $BATS_TEST_TMPDIR/imsm: IMSM (Intel Matrix Storage) metadata is not handled by warmboot: use mdadm"
}
