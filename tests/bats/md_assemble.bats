#!/usr/bin/env bats
# assemble and stop through the recording syscall layer, on superblocks real
# mdadm 4.2 wrote (tests/fixtures/md) and on states derived from them.

load helper
load md_root

setup_file() {
	md_root_setup_file
}

setup() {
	md_root_setup
}

unplug() { rm "$WARMBOOT_ROOT/sys/class/block/$(basename "$(fixture_dev "$1")")"; }
decision() {
	printf '%s' "$output" | python3 -c '
import json, sys
want = sys.argv[1]
for a in json.load(sys.stdin)["arrays"]:
    if a["uuid"] == want:
        print(a["result"], "|", a["reason"], "|", a["link"] or a["device"], "|",
              " ".join("%s=%s" % (m["device"], m["use"]) for m in sorted(a["members"], key=lambda m: m["device"])))
' "$(uuid_of "$1")"
}

@test "a clean array: the exact kernel calls, chosen member last, as mdadm makes them" {
	run "$WBREC" assemble --homehost wbhost --uuid "$(uuid_of r0)"
	assert_success
	assert_equal "$(calls)" 'write /sys/module/md_mod/parameters/new_array "md127"
mknod /dev/md127 060600 9:127
open_dev /dev/md127 0x82
ioctl /dev/md127 SET_ARRAY_INFO version=1.2 level=0 raid_disks=0 layout=0 chunk=0 state=0x0
ioctl /dev/md127 ADD_NEW_DISK 8:32 number=1 raid_disk=1 state=0x6
ioctl /dev/md127 ADD_NEW_DISK 8:16 number=0 raid_disk=0 state=0x6
ioctl /dev/md127 RUN_ARRAY
mkdir /dev/md 0755
symlink /dev/md/r0 -> ../md127'
}

@test "--scan starts every fixture array with mdadm's names; the stale failed member stays out" {
	run --separate-stderr "$WBREC" assemble --scan --homehost wbhost --json
	assert_success
	assert_equal "$(decision r1faulty)" "started degraded | degraded already when last used | /dev/md/r1faulty | /dev/sdaa=left out: recorded as faulty /dev/sdz=active"
	assert_equal "$(decision r1spare)" "started | all members present | /dev/md/r1spare | /dev/sde=active /dev/sdf=active /dev/sdg=spare"
	assert_equal "$(decision foreign)" "started | all members present | /dev/md/otherhost:foreign | /dev/sdab=active /dev/sdac=active"
	assert_equal "$(decision r1bitmap)" "started | all members present | /dev/md/1 | /dev/sdc=active /dev/sdd=active"
	assert_equal "$(decision r5degraded)" "started degraded | degraded already when last used | /dev/md/r5degraded | /dev/sdx=active /dev/sdy=active"
	[ "$(grep -c RUN_ARRAY "$WARMBOOT_RECORD")" -eq 12 ]
	# 0.90 arrays keep their preferred minor, the others count down from 127
	grep -q 'new_array "md1"' "$WARMBOOT_RECORD"
	grep -q 'new_array "md10"' "$WARMBOOT_RECORD"
	grep -q 'new_array "md119"' "$WARMBOOT_RECORD"
}

@test "a member missing: --scan starts degraded, --no-degraded and warmboot.degraded=0 leave it inactive" {
	unplug r6a
	run --separate-stderr "$WBREC" assemble --scan --homehost wbhost --json
	assert_success
	assert_equal "$(decision r6)" "started degraded | members missing, enough to run degraded | /dev/md/r6 | /dev/sdo=active /dev/sdp=active /dev/sdq=active"
	: >"$WARMBOOT_RECORD"
	# as mdadm 4.2: "assembled from 3 drives (out of 4), but not started", exit 0
	run --separate-stderr "$WBREC" assemble --scan --no-degraded --homehost wbhost --json
	assert_success
	assert_equal "$(decision r6)" "left inactive | members missing and degraded starts are refused | /dev/md/r6 | /dev/sdo=active /dev/sdp=active /dev/sdq=active"
	run calls
	refute_line "ioctl /dev/md121 RUN_ARRAY"
	assert_line "symlink /dev/md/r6 -> ../md121"
	echo "root=/dev/md0 warmboot.degraded=0" >"$WARMBOOT_ROOT/proc/cmdline"
	run --separate-stderr "$WBREC" assemble --scan --homehost wbhost
	assert_success
	[[ "$stderr" == *"not started: members missing and degraded starts are refused"* ]]
}

@test "members named on the command line: a missing one needs --run, as with mdadm" {
	unplug r6a
	run --separate-stderr "$WBREC" assemble /dev/md/r6 "$WARMBOOT_ROOT/dev/sdo" "$WARMBOOT_ROOT/dev/sdp" "$WARMBOOT_ROOT/dev/sdq"
	assert_failure 1
	[[ "$stderr" == *"need all that were working to start (use --run to insist)"* ]]
	run --separate-stderr "$WBREC" assemble --run /dev/md/r6 "$WARMBOOT_ROOT/dev/sdo" "$WARMBOOT_ROOT/dev/sdp" "$WARMBOOT_ROOT/dev/sdq"
	assert_success
	grep -q 'RUN_ARRAY' "$WARMBOOT_RECORD"
	grep -q 'symlink /dev/md/r6 -> ../md127' "$WARMBOOT_RECORD"
}

@test "raid0 and linear never start with a member missing" {
	unplug r0b
	unplug lna
	run --separate-stderr "$WBREC" assemble --scan --run --homehost wbhost --json
	assert_failure 1
	assert_equal "$(decision r0)" "not started | not enough members to start the array | None | /dev/sdb=active"
	assert_equal "$(decision lin)" "not started | not enough members to start the array | None | /dev/sdw=active"
}

@test "a stale member is left out and never added" {
	ev=$(sed -n 's/.*Events : //p' "$FIXTURES/md/capture/examine/s1a.txt")
	patch s1b events=$((ev - 2))
	run --separate-stderr "$WBREC" assemble --scan --homehost wbhost --json
	assert_success
	assert_equal "$(decision r1spare)" "started degraded | members missing, enough to run degraded | /dev/md/r1spare | /dev/sde=active /dev/sdf=left out: stale (event count lags) /dev/sdg=spare"
	run calls
	refute_output --partial "ADD_NEW_DISK 8:96 "
}

@test "dirty and degraded: refused without --force; --force starts it through md_mod's start_dirty_degraded" {
	patch dga resync_offset=0
	patch dgb resync_offset=0
	run --separate-stderr "$WBREC" assemble --scan --homehost wbhost --uuid "$(uuid_of r5degraded)" --json
	assert_failure 1
	assert_equal "$(decision r5degraded)" "not started | not enough members to start the array while not clean: consider --force | None | /dev/sdx=active /dev/sdy=active"
	run --separate-stderr "$WBREC" assemble --scan --force --homehost wbhost --uuid "$(uuid_of r5degraded)"
	assert_success
	run grep -E 'start_dirty|RUN_ARRAY' "$WARMBOOT_RECORD"
	assert_output 'write /sys/module/md_mod/parameters/start_dirty_degraded "1"
ioctl /dev/md127 RUN_ARRAY
write /sys/module/md_mod/parameters/start_dirty_degraded "0"'
}

@test "split brain: the half that records the freshest as failed stays out" {
	ev=$(sed -n 's/.*Events : //p' "$FIXTURES/md/capture/examine/fra.txt")
	patch fra role.1=faulty events=$((ev + 2))
	patch frb role.0=faulty events=$((ev + 1))
	run --separate-stderr "$WBREC" assemble --scan --homehost wbhost --uuid "$(uuid_of foreign)" --json
	assert_success
	assert_equal "$(decision foreign)" "started degraded | degraded already when last used | /dev/md/otherhost:foreign | /dev/sdab=active /dev/sdac=left out: it records the freshest member as failed (split brain)"
}

@test "a member with a corrupted superblock is left out with a message" {
	python3 "$TOP/tests/tools/mdpatch.py" --no-csum "$WARMBOOT_ROOT/dev/sde" events=1000
	run --separate-stderr "$WBREC" assemble --scan --homehost wbhost --json
	assert_success
	[[ "$stderr" == *"/dev/sde left out: 1.0 superblock cannot be trusted: superblock checksum is wrong"* ]]
	assert_equal "$(decision r1spare)" "started degraded | members missing, enough to run degraded | /dev/md/r1spare | /dev/sdf=active /dev/sdg=spare"
}

@test "a reshape in progress is refused with its own exit code, pointing to mdadm" {
	for m in r4a r4b r4c; do patch $m feature_map=4; done
	run --separate-stderr "$WBREC" assemble --scan --homehost wbhost --uuid "$(uuid_of r4)"
	assert_failure 4
	[[ "$stderr" == *"not started: a reshape is in progress: continue it with mdadm"* ]]
	[ ! -s "$WARMBOOT_RECORD" ]
}

@test "--uuid or --name picks one array; like mdadm, it then needs every member or --run" {
	unplug r6a
	run --separate-stderr "$WBREC" assemble --scan --homehost wbhost --uuid "$(uuid_of r6)"
	assert_failure 1
	[[ "$stderr" == *"need all that were working to start (use --run to insist)"* ]]
	run --separate-stderr "$WBREC" assemble --scan --run --homehost wbhost --name r6
	assert_success
	[ "$(grep -c RUN_ARRAY "$WARMBOOT_RECORD")" -eq 1 ]
}

@test "mdadm.conf: names from ARRAY lines, <ignore>, AUTO -all, HOMEHOST" {
	mkdir -p "$WARMBOOT_ROOT/etc/mdadm"
	cat >"$WARMBOOT_ROOT/etc/mdadm/mdadm.conf" <<-EOF
	HOMEHOST wbhost
	AUTO -all
	ARRAY /dev/md/data UUID=$(uuid_of r0)
	ARRAY /dev/md5 UUID=$(uuid_of r6)
	ARRAY <ignore> UUID=$(uuid_of r4)
	EOF
	run --separate-stderr "$WBREC" assemble --scan --json
	assert_success
	assert_equal "$(decision r0 | cut -d'|' -f1,3)" "started | /dev/md/data "
	assert_equal "$(decision r6 | cut -d'|' -f1,3)" "started | md5 "
	[ "$(grep -c RUN_ARRAY "$WARMBOOT_RECORD")" -eq 2 ]
	grep -q 'new_array "md5"' "$WARMBOOT_RECORD"
	grep -q 'symlink /dev/md/data -> ../md127' "$WARMBOOT_RECORD"
}

@test "HOMEHOST <ignore> trusts foreign names; assemble /dev/md/NAME assembles only that array" {
	mkdir -p "$WARMBOOT_ROOT/etc/mdadm"
	printf 'HOMEHOST <ignore>\nARRAY /dev/md/keep UUID=%s\n' "$(uuid_of lin)" >"$WARMBOOT_ROOT/etc/mdadm/mdadm.conf"
	run --separate-stderr "$WBREC" assemble --scan --json --uuid "$(uuid_of foreign)"
	assert_success
	assert_equal "$(decision foreign | cut -d'|' -f3)" " /dev/md/foreign "
	: >"$WARMBOOT_RECORD"
	run --separate-stderr "$WBREC" assemble /dev/md/keep
	assert_success
	[ "$(grep -c RUN_ARRAY "$WARMBOOT_RECORD")" -eq 1 ]
	grep -q 'symlink /dev/md/keep -> ../md127' "$WARMBOOT_RECORD"
}

@test "--readonly starts through array_state, not RUN_ARRAY" {
	run "$WBREC" assemble --readonly --homehost wbhost --uuid "$(uuid_of r0)"
	assert_success
	run calls
	assert_line 'write /sys/block/md127/md/array_state "readonly"'
	refute_line --partial RUN_ARRAY
}

@test "members of a running array are not touched again" {
	mkdir -p "$WARMBOOT_ROOT/sys/block/md127/md/dev-sdb/block" "$WARMBOOT_ROOT/sys/block/md127/md/dev-sda/block"
	echo clean >"$WARMBOOT_ROOT/sys/block/md127/md/array_state"
	echo 8:16 >"$WARMBOOT_ROOT/sys/block/md127/md/dev-sdb/block/dev"
	echo 8:32 >"$WARMBOOT_ROOT/sys/block/md127/md/dev-sda/block/dev"
	run --separate-stderr "$WBREC" assemble --scan --homehost wbhost --json
	assert_success
	run calls
	refute_output --partial "ADD_NEW_DISK 8:16 "
	refute_output --partial "ADD_NEW_DISK 8:32 "
	refute_output --partial 'new_array "md127"'
}

@test "the kernel refusing: a clear error, the half-made array stopped, exit 3" {
	export WARMBOOT_FAIL=ioctl=EINVAL
	run --separate-stderr "$WBREC" assemble --homehost wbhost --uuid "$(uuid_of r0)"
	assert_failure 3
	assert_equal "$stderr" "warmboot: error: unable to start md127 (set array info): Invalid argument
warmboot: info: /dev/md/r0: failed with 2 of 2 members (all members present): $(uuid_of r0)"
	run calls
	assert_line 'ioctl /dev/md127 STOP_ARRAY = -EINVAL'
}

@test "--dry-run decides without a kernel call" {
	run --separate-stderr "$WBREC" assemble --scan --dry-run --homehost wbhost
	assert_success
	[ ! -s "$WARMBOOT_RECORD" ]
}

@test "stop: an unused array is stopped, a mounted one left running" {
	mkdir -p "$WARMBOOT_ROOT/sys/block/md127/md" "$WARMBOOT_ROOT/sys/block/md126/md" "$WARMBOOT_ROOT/proc/self"
	echo clean >"$WARMBOOT_ROOT/sys/block/md127/md/array_state"
	echo active >"$WARMBOOT_ROOT/sys/block/md126/md/array_state"
	echo "36 1 9:126 / / rw,relatime shared:1 - ext4 /dev/md126 rw" >"$WARMBOOT_ROOT/proc/self/mountinfo"
	run --separate-stderr "$WBREC" stop --scan
	assert_failure 1
	[[ "$stderr" == *"md126 is in use, left running"* ]]
	assert_equal "$(calls)" 'open_dev /dev/md127 0x80
ioctl /dev/md127 STOP_ARRAY'
}

@test "with udev running, /dev/md/NAME is made only when udev's rules have not made it" {
	mkdir -p "$WARMBOOT_ROOT/run/udev"
	: >"$WARMBOOT_ROOT/run/udev/control"
	run "$WBREC" assemble --homehost wbhost --uuid "$(uuid_of r0)"
	assert_success
	run calls
	assert_line 'symlink /dev/md/r0 -> ../md127'
	: >"$WARMBOOT_RECORD"
	mkdir -p "$WARMBOOT_ROOT/dev/md"
	ln -s ../md127 "$WARMBOOT_ROOT/dev/md/r0"
	run "$WBREC" assemble --homehost wbhost --uuid "$(uuid_of r0)"
	assert_success
	run calls
	refute_line --partial 'symlink'
	refute_line --partial 'unlink'
}

@test "--wait: no wait when every member is there (an array made degraded waits for nobody)" {
	local s=$SECONDS
	run --separate-stderr "$WBREC" assemble --scan --wait 20 --homehost wbhost
	assert_success
	[ $((SECONDS - s)) -lt 5 ]
}

@test "--wait: a missing member is waited for until the deadline, then the policy applies" {
	unplug r6a
	local s=$SECONDS
	run --separate-stderr "$WBREC" assemble --scan --wait 2 --homehost wbhost --json
	assert_success
	[ $((SECONDS - s)) -ge 2 ]
	assert_equal "$(decision r6 | cut -d'|' -f1)" "started degraded "
}

# A Debian 13 kernel: no linear personality registered, none in its module tree.
kernel_without_linear() {
	local rel=6.12.48+deb13-amd64 tree
	mkdir -p "$WARMBOOT_ROOT/proc/sys/kernel"
	echo "$rel" >"$WARMBOOT_ROOT/proc/sys/kernel/osrelease"
	printf 'Personalities : [raid0] [raid1] [raid6] [raid5] [raid4] [raid10]\nunused devices: <none>\n' \
		>"$WARMBOOT_ROOT/proc/mdstat"
	tree=$WARMBOOT_ROOT/lib/modules/$rel
	mkdir -p "$tree"
	printf '%s\n' 'kernel/drivers/md/raid1.ko.xz: kernel/drivers/md/md-mod.ko.xz' \
		'kernel/drivers/md/raid10.ko.xz: kernel/drivers/md/md-mod.ko.xz' \
		'kernel/drivers/md/md-mod.ko.xz:' >"$tree/modules.dep"
	printf '%s\n' 'kernel/drivers/md/raid0.ko' 'kernel/drivers/md/raid456.ko' >"$tree/modules.builtin"
}

@test "a kernel without linear: the linear array refused before any kernel call, the others started" {
	kernel_without_linear
	local lna lnb
	lna=$(cat "$WARMBOOT_ROOT/sys/class/block/$(basename "$(fixture_dev lna)")/dev")
	lnb=$(cat "$WARMBOOT_ROOT/sys/class/block/$(basename "$(fixture_dev lnb)")/dev")
	run --separate-stderr "$WBREC" assemble --scan --homehost wbhost
	assert_failure 1
	grep -Fxq "warmboot: warning: array /dev/md/lin (linear) not started: kernel 6.12.48+deb13-amd64 has no linear personality (not built in, no linear module)" <<<"$stderr"
	[[ "$stderr" == *"/dev/md/r5degraded: started degraded"* ]]
	[ "$(grep -c RUN_ARRAY "$WARMBOOT_RECORD")" -eq 11 ]
	run calls
	refute_output --partial "/dev/md/lin"
	refute_output --partial " $lna "
	refute_output --partial " $lnb "
	refute_output --partial "finit_module"
	# --json: the reason; --dry-run: would not be started
	: >"$WARMBOOT_RECORD"
	run --separate-stderr "$WBREC" assemble --scan --homehost wbhost --json
	assert_failure 1
	assert_equal "$(decision lin | cut -d'|' -f1-2)" "not started | kernel 6.12.48+deb13-amd64 has no linear personality (not built in, no linear module) "
	run --separate-stderr "$WBREC" assemble --scan --dry-run --homehost wbhost
	assert_failure 1
	[[ "$stderr" == *"array /dev/md/lin (linear) would not be started: kernel 6.12.48+deb13-amd64 has no linear personality"* ]]
}

@test "a kernel without linear: built in it starts, a /usr/lib/modules tree counts, no tree lets the kernel decide" {
	kernel_without_linear
	local tree=$WARMBOOT_ROOT/lib/modules/6.12.48+deb13-amd64 uuid
	uuid=$(uuid_of lin)
	echo 'kernel/drivers/md/linear.ko' >>"$tree/modules.builtin"
	run --separate-stderr "$WBREC" assemble --homehost wbhost --uuid "$uuid"
	assert_success
	grep -q RUN_ARRAY "$WARMBOOT_RECORD"
	sed -i '/linear/d' "$tree/modules.builtin"
	mv "$tree" "$WARMBOOT_ROOT/usr-tree"
	mkdir -p "$WARMBOOT_ROOT/usr/lib/modules"
	mv "$WARMBOOT_ROOT/usr-tree" "$WARMBOOT_ROOT/usr/lib/modules/6.12.48+deb13-amd64"
	rm -r "$WARMBOOT_ROOT/lib/modules"
	run --separate-stderr "$WBREC" assemble --homehost wbhost --uuid "$uuid"
	assert_failure 1
	[[ "$stderr" == *"(linear) not started: kernel 6.12.48+deb13-amd64 has no linear personality"* ]]
	# no module tree at all: unknown, the kernel decides as before
	rm -r "$WARMBOOT_ROOT/usr/lib/modules"
	: >"$WARMBOOT_RECORD"
	run --separate-stderr "$WBREC" assemble --homehost wbhost --uuid "$uuid"
	assert_success
	grep -q RUN_ARRAY "$WARMBOOT_RECORD"
}

# Ties (issue 14): each half of the foreign raid1 ran alone once, so both
# have the same events and record the other as failed. mdadm takes as most
# recent the first of them in its device list; the other "reports it as
# failed" and stays out.
equal_split_brain() {
	ev=$(sed -n 's/.*Events : //p' "$FIXTURES/md/capture/examine/fra.txt")
	patch fra role.1=faulty events=$((ev + 1))
	patch frb role.0=faulty events=$((ev + 1))
}
# partitions NAME...: /proc/partitions listing these devices in this order.
partitions() {
	local name dev
	printf 'major minor  #blocks  name\n\n' >"$WARMBOOT_ROOT/proc/partitions"
	for name in "$@"; do
		read -r dev <"$WARMBOOT_ROOT/sys/class/block/$name/dev"
		printf ' %s %s 1024 %s\n' "${dev%:*}" "${dev#*:}" "$name" >>"$WARMBOOT_ROOT/proc/partitions"
	done
}
most_recent() {
	printf '%s' "$output" | python3 -c '
import json, sys
for a in json.load(sys.stdin)["arrays"]:
    if a["uuid"] == sys.argv[1]:
        print(a["most_recent"], "|", a["most_recent_reason"])
' "$(uuid_of foreign)"
}
split_decision() {
	local first=$1 other=$2
	assert_equal "$(decision foreign)" "started degraded | degraded already when last used | /dev/md/otherhost:foreign | $(
		for d in /dev/sdab /dev/sdac; do
			[ "$d" = "$first" ] && printf '%s=active' "$d" || printf '%s=left out: it records the freshest member as failed (split brain)' "$d"
			[ "$d" = /dev/sdab ] && printf ' '
		done)"
	assert_equal "$(most_recent)" "$first | events $((ev + 1)), first in mdadm's device order among equals"
}

@test "equal events, no DEVICE line: the last of /proc/partitions is most recent, as mdadm reads it backwards" {
	equal_split_brain
	partitions sdab sdac
	run --separate-stderr "$WBREC" assemble --scan --homehost wbhost --uuid "$(uuid_of foreign)" --json
	assert_success
	split_decision /dev/sdac
	partitions sdac sdab
	run --separate-stderr "$WBREC" assemble --scan --homehost wbhost --uuid "$(uuid_of foreign)" --json
	assert_success
	split_decision /dev/sdab
	grep -q 'ADD_NEW_DISK 8:[0-9]* number=0 raid_disk=0' "$WARMBOOT_RECORD"
}

@test "equal events: --dry-run names the most recent member and why" {
	equal_split_brain
	partitions sdab sdac
	run --separate-stderr "$WBREC" assemble --scan --dry-run --homehost wbhost --uuid "$(uuid_of foreign)"
	assert_success
	[[ "$stderr" == *"/dev/md/otherhost:foreign: most recent: /dev/sdac (events $((ev + 1)), first in mdadm's device order among equals)"* ]]
	[[ "$stderr" == *"/dev/sdab left out: it records the freshest member as failed (split brain)"* ]]
	[ ! -s "$WARMBOOT_RECORD" ]
}

@test "equal events, DEVICE globs: the matches sorted, the list backwards; partitions after the globs" {
	equal_split_brain
	partitions sdab sdac
	mkdir -p "$WARMBOOT_ROOT/etc/mdadm"
	echo 'DEVICE /dev/sda[bc]' >"$WARMBOOT_ROOT/etc/mdadm/mdadm.conf"
	run --separate-stderr "$WBREC" assemble --scan --homehost wbhost --uuid "$(uuid_of foreign)" --json
	assert_success
	split_decision /dev/sdac
	echo 'DEVICE /dev/sdac /dev/sdab' >"$WARMBOOT_ROOT/etc/mdadm/mdadm.conf"
	run --separate-stderr "$WBREC" assemble --scan --homehost wbhost --uuid "$(uuid_of foreign)" --json
	assert_success
	split_decision /dev/sdab
	echo 'DEVICE partitions /dev/sdab' >"$WARMBOOT_ROOT/etc/mdadm/mdadm.conf"
	run --separate-stderr "$WBREC" assemble --scan --homehost wbhost --uuid "$(uuid_of foreign)" --json
	assert_success
	split_decision /dev/sdab
}

@test "equal events, members on the command line: the first named is most recent" {
	equal_split_brain
	run --separate-stderr "$WBREC" assemble --dry-run /dev/md/foreign "$WARMBOOT_ROOT/dev/sdac" "$WARMBOOT_ROOT/dev/sdab"
	assert_success
	[[ "$stderr" == *"most recent: $WARMBOOT_ROOT/dev/sdac (events $((ev + 1)), first in mdadm's device order among equals)"* ]]
	run --separate-stderr "$WBREC" assemble --dry-run /dev/md/foreign "$WARMBOOT_ROOT/dev/sdab" "$WARMBOOT_ROOT/dev/sdac"
	assert_success
	[[ "$stderr" == *"most recent: $WARMBOOT_ROOT/dev/sdab (events $((ev + 1)), first in mdadm's device order among equals)"* ]]
}
