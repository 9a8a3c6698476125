#!/usr/bin/env bats
# Arrays mdadm 4.2 assembles but does not start: --no-degraded leaves them
# bound and inactive (exit 0); a later assemble adds the members that
# arrived and starts them; stop, scan and --dry-run know them. Through the
# recording syscall layer, on superblocks real mdadm 4.2 wrote; the kernel's
# inactive array is a fake sysfs entry (md/array_state, md/dev-*/block/dev).

load helper
load md_root
setup_file() { md_root_setup_file; }
setup() { md_root_setup; }

unplug() { mv "$WARMBOOT_ROOT/sys/class/block/$(basename "$(fixture_dev "$1")")" "$BATS_TEST_TMPDIR/$1.unplugged"; }
plug() { mv "$BATS_TEST_TMPDIR/$1.unplugged" "$WARMBOOT_ROOT/sys/class/block/$(basename "$(fixture_dev "$1")")"; }
devnum() { cat "$WARMBOOT_ROOT/sys/class/block/$(basename "$(fixture_dev "$1")")/dev"; }

# bind MD STATE MEMBER...: the kernel's array MD in STATE holding MEMBERs
bind() {
	local md=$1 state=$2 m dir
	shift 2
	mkdir -p "$WARMBOOT_ROOT/sys/block/$md/md"
	echo "$state" >"$WARMBOOT_ROOT/sys/block/$md/md/array_state"
	for m; do
		dir=$WARMBOOT_ROOT/sys/block/$md/md/dev-$(basename "$(fixture_dev "$m")")/block
		mkdir -p "$dir"
		devnum "$m" >"$dir/dev"
	done
}

# The JSON decision for array NAME: result | reason | link | device=use(bound)...
decision() {
	printf '%s' "$output" | python3 -c '
import json, sys
for a in json.load(sys.stdin)["arrays"]:
    if a["uuid"] == sys.argv[1]:
        print(a["result"], "|", a["reason"], "|", a["link"] or a["device"], "|",
              " ".join("%s=%s%s" % (m["device"], m["use"], "(bound)" if m["bound"] else "")
                       for m in sorted(a["members"], key=lambda m: m["device"])))
' "$(uuid_of "$1")"
}

@test "--no-degraded, RAID6 3 of 4: bound, inactive, no RUN_ARRAY, exit 0 with what and why" {
	unplug r6a
	run --separate-stderr "$WBREC" assemble --scan --no-degraded --homehost wbhost --uuid "$(uuid_of r6)"
	assert_success
	assert_equal "$(calls)" 'write /sys/module/md_mod/parameters/new_array "md127"
mknod /dev/md127 060600 9:127
open_dev /dev/md127 0x82
ioctl /dev/md127 SET_ARRAY_INFO version=1.0 level=0 raid_disks=0 layout=0 chunk=0 state=0x0
ioctl /dev/md127 ADD_NEW_DISK '"$(devnum r6c)"' number=2 raid_disk=2 state=0x6
ioctl /dev/md127 ADD_NEW_DISK '"$(devnum r6d)"' number=3 raid_disk=3 state=0x6
ioctl /dev/md127 ADD_NEW_DISK '"$(devnum r6b)"' number=1 raid_disk=1 state=0x6
mkdir /dev/md 0755
symlink /dev/md/r6 -> ../md127'
	assert_equal "$stderr" "warmboot: warning: array $(uuid_of r6) name=wbhost:r6 left inactive in md127 (3 of 4 members), not started: members missing and degraded starts are refused; \`warmboot assemble --run /dev/md/r6\` starts it"
}

@test "--no-degraded, RAID1 listed in mdadm.conf, 1 of 2: inactive under its ARRAY name; udev running: no link" {
	unplug r1b
	mkdir -p "$WARMBOOT_ROOT/run/udev" && : >"$WARMBOOT_ROOT/run/udev/control"
	printf 'ARRAY /dev/md/boot UUID=%s\n' "$(uuid_of r1bitmap)" >"$WARMBOOT_ROOT/etc/mdadm.conf"
	run --separate-stderr "$WBREC" assemble --scan --no-degraded --homehost wbhost --json
	assert_success
	assert_equal "$(decision r1bitmap)" "left inactive | members missing and degraded starts are refused | /dev/md/boot | $(fixture_dev r1a)=active"
	run calls
	assert_line --partial "ADD_NEW_DISK $(devnum r1a) "
	refute_line --partial RUN_ARRAY
	refute_line --partial symlink
}

@test "--no-degraded with too few members: still bound and inactive (mdadm's start_array), plain --scan binds nothing" {
	unplug r6a
	unplug r6b
	unplug r6c
	run --separate-stderr "$WBREC" assemble --scan --homehost wbhost --uuid "$(uuid_of r6)" --run
	assert_failure 1
	[ ! -s "$WARMBOOT_RECORD" ]
	run --separate-stderr "$WBREC" assemble --scan --no-degraded --homehost wbhost --uuid "$(uuid_of r6)"
	assert_success
	[[ "$stderr" == *"left inactive in md127 (1 of 4 members), not started: not enough members to start the array"* ]]
	run calls
	assert_line "ioctl /dev/md127 ADD_NEW_DISK $(devnum r6d) number=3 raid_disk=3 state=0x6"
	refute_line --partial RUN_ARRAY
}

@test "dirty and degraded: plain --scan binds nothing, exit 1; --no-degraded leaves it bound, inactive, exit 0" {
	patch dga resync_offset=0
	patch dgb resync_offset=0
	run --separate-stderr "$WBREC" assemble --scan --homehost wbhost --json
	assert_failure 1
	assert_equal "$(decision r5degraded)" "not started | not enough members to start the array while not clean: consider --force | None | /dev/sdx=active /dev/sdy=active"
	run calls
	refute_output --partial "ADD_NEW_DISK $(devnum dga) "
	: >"$WARMBOOT_RECORD"
	run --separate-stderr "$WBREC" assemble --scan --no-degraded --homehost wbhost --json
	assert_success
	assert_equal "$(decision r5degraded)" "left inactive | not enough members to start the array while not clean: consider --force | /dev/md/r5degraded | /dev/sdx=active /dev/sdy=active"
	run calls
	assert_line --partial "ADD_NEW_DISK $(devnum dga) "
	assert_line --partial "ADD_NEW_DISK $(devnum dgb) "
	refute_line "ioctl /dev/md119 RUN_ARRAY"
}

@test "a bad-checksum member under --no-degraded: the good one bound, inactive, and warmboot ends (mdadm 4.2 loops)" {
	python3 "$TOP/tests/tools/mdpatch.py" --no-csum "$WARMBOOT_ROOT$(fixture_dev r1a)" events=1000
	run --separate-stderr timeout 20 "$WBREC" assemble --scan --no-degraded --homehost wbhost --json
	assert_success
	[[ "$stderr" == *"$(fixture_dev r1a) left out: 0.90 superblock cannot be trusted: superblock checksum is wrong"* ]]
	assert_equal "$(decision r1bitmap)" "left inactive | members missing and degraded starts are refused | /dev/md/1 | $(fixture_dev r1b)=active"
	run calls
	assert_line "ioctl /dev/md1 ADD_NEW_DISK $(devnum r1b) number=1 raid_disk=1 state=0x6"
	refute_line --partial "ADD_NEW_DISK $(devnum r1a) "
}

@test "step two: --scan --run adds the member that arrived to the inactive array and runs it, never a second array" {
	unplug r6a
	bind md127 inactive r6b r6c r6d
	plug r6a
	run --separate-stderr "$WBREC" assemble --scan --run --homehost wbhost --uuid "$(uuid_of r6)" --json
	assert_success
	assert_equal "$(decision r6)" "started | all members present | /dev/md/r6 | /dev/sdn=active /dev/sdo=active(bound) /dev/sdp=active(bound) /dev/sdq=active(bound)"
	assert_equal "$(calls)" 'open_dev /dev/md127 0x82
ioctl /dev/md127 ADD_NEW_DISK '"$(devnum r6a)"' number=0 raid_disk=0 state=0x6
ioctl /dev/md127 RUN_ARRAY
mkdir /dev/md 0755
symlink /dev/md/r6 -> ../md127'
}

@test "step two by name: assemble --run /dev/md/r6 finishes only that inactive array" {
	bind md121 inactive r6b r6c
	mkdir -p "$WARMBOOT_ROOT/dev/md" && ln -s ../md121 "$WARMBOOT_ROOT/dev/md/r6"
	: >"$WARMBOOT_ROOT/dev/md121"
	run --separate-stderr "$WBREC" assemble --run --homehost wbhost /dev/md/r6
	assert_success
	run calls
	assert_line "ioctl /dev/md121 ADD_NEW_DISK $(devnum r6a) number=0 raid_disk=0 state=0x6"
	assert_line "ioctl /dev/md121 ADD_NEW_DISK $(devnum r6d) number=3 raid_disk=3 state=0x6"
	assert_line "ioctl /dev/md121 RUN_ARRAY"
	refute_line --partial new_array
	[ "$(grep -c ADD_NEW_DISK "$WARMBOOT_RECORD")" -eq 2 ]
}

@test "step two still short: members added, inactive kept; exit 0 under --no-degraded, 1 when named by --uuid" {
	unplug r6a
	bind md127 inactive r6b
	run --separate-stderr "$WBREC" assemble --scan --no-degraded --homehost wbhost --uuid "$(uuid_of r6)" --json
	assert_success
	assert_equal "$(decision r6)" "still inactive | members missing and degraded starts are refused | /dev/md/r6 | /dev/sdo=active(bound) /dev/sdp=active /dev/sdq=active"
	run calls
	assert_line "ioctl /dev/md127 ADD_NEW_DISK $(devnum r6c) number=2 raid_disk=2 state=0x6"
	refute_line --partial RUN_ARRAY
	refute_line --partial new_array
	: >"$WARMBOOT_RECORD"
	run --separate-stderr "$WBREC" assemble --homehost wbhost --uuid "$(uuid_of r6)"
	assert_failure 1
	[[ "$stderr" == *"still inactive in md127 (3 of 4 members), not started: members missing: need all that were working to start (use --run to insist)"* ]]
	refute_output --partial RUN_ARRAY
}

@test "step two by --scan, default policy: the inactive array starts degraded in place" {
	unplug r6a
	bind md127 inactive r6b r6c r6d
	run --separate-stderr "$WBREC" assemble --scan --homehost wbhost --json
	assert_success
	assert_equal "$(decision r6)" "started degraded | members missing, enough to run degraded | /dev/md/r6 | /dev/sdo=active(bound) /dev/sdp=active(bound) /dev/sdq=active(bound)"
	run grep md127 "$WARMBOOT_RECORD"
	assert_output 'open_dev /dev/md127 0x82
ioctl /dev/md127 RUN_ARRAY
symlink /dev/md/r6 -> ../md127'
}

@test "a late member of a running array is not assembled into a second array" {
	unplug r6a
	bind md127 clean r6b r6c r6d
	plug r6a
	run --separate-stderr "$WBREC" assemble --scan --homehost wbhost --uuid "$(uuid_of r6)"
	assert_failure 1
	[[ "$stderr" == *"/dev/sdn left out: its array runs already as md127 (mdadm --re-add)"* ]]
	[ ! -s "$WARMBOOT_RECORD" ]
}

@test "--dry-run shows the inactive array and what it would add, with no kernel call" {
	bind md127 inactive r6b r6c r6d
	run --separate-stderr "$WBREC" assemble --scan --run --dry-run --homehost wbhost --uuid "$(uuid_of r6)"
	assert_success
	[[ "$stderr" == *"/dev/md/r6: inactive in md127 with 3 members bound"* ]]
	[ ! -s "$WARMBOOT_RECORD" ]
	run --separate-stderr "$WBREC" assemble --scan --run --dry-run --homehost wbhost --uuid "$(uuid_of r6)" --json
	assert_equal "$(decision r6)" "planned | all members present | /dev/md/r6 | /dev/sdn=active /dev/sdo=active(bound) /dev/sdp=active(bound) /dev/sdq=active(bound)"
}

@test "scan shows which md device holds an array and whether it runs" {
	bind md127 inactive r6b r6c
	bind md126 clean r0a r0b
	run --separate-stderr "$WBREC" scan
	assert_success
	assert_line "  in md127: inactive"
	assert_line "  in md126: running"
	run --separate-stderr "$WBREC" scan --json
	run python3 -c '
import json, sys
for a in json.load(open(sys.argv[1]))["arrays"]:
    print(a["name"], a["kernel_device"], a["kernel_state"])' <(printf '%s' "$output")
	assert_line "wbhost:r6 md127 inactive"
	assert_line "wbhost:r0 md126 running"
	assert_line "wbhost:r1spare None None"
}

@test "stop stops an inactive array and says so" {
	bind md127 inactive r6b r6c
	run --separate-stderr "$WBREC" stop --scan
	assert_success
	assert_equal "$stderr" "warmboot: info: stopped md127 (inactive)"
	assert_equal "$(calls)" 'open_dev /dev/md127 0x80
ioctl /dev/md127 STOP_ARRAY'
}
