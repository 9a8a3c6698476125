#!/usr/bin/env bats
# The watchdog-guarded jump through the recording layer: exec --watchdog
# arms /dev/watchdog before the quiesce and pings it again just before the
# jump, refuses without a usable watchdog, and disarms it again when the
# jump does not happen; check --watchdog; the initramfs takeover script.
load helper

setup() {
	setup_sealed
	R=$BATS_TEST_TMPDIR/root
	W=$R/sys/class/watchdog/watchdog0
	mkdir -p "$W" "$R/sys/module/watchdog/parameters" "$R/sys/kernel" "$R/proc"
	echo "i6300ESB timer" >"$W/identity"
	echo inactive >"$W/state"
	echo 0 >"$W/nowayout"
	echo 0 >"$R/sys/module/watchdog/parameters/stop_on_reboot"
	echo 1 >"$R/sys/kernel/kexec_loaded"
	export WARMBOOT_ROOT=$R
}

@test "exec --watchdog: armed and pinged before the quiesce, pinged again just before the jump" {
	run --separate-stderr "$WBREC" exec --watchdog 30
	assert_failure 3	# the recording reboot returns
	assert_equal "$(calls)" "open_dev /dev/watchdog 0x1
ioctl /dev/watchdog WDIOC_SETTIMEOUT 30
ioctl /dev/watchdog WDIOC_KEEPALIVE
sync
sync
ioctl /dev/watchdog WDIOC_KEEPALIVE
reboot 0x45584543
write_dev /dev/watchdog \"V\""
	assert_equal "${stderr_lines[0]}" "warmboot: info: watchdog i6300ESB timer armed: 30 s for the next kernel to take it over"
}

@test "exec --watchdog: refused, nothing touched, without a watchdog or when the core stops it at the jump" {
	echo -1 >"$R/sys/module/watchdog/parameters/stop_on_reboot"
	run --separate-stderr "$WBREC" exec --watchdog 30
	assert_failure 4
	assert_equal "$stderr" "warmboot: fatal: --watchdog 30 cannot guard the jump: the watchdog core stops it at the jump (boot with watchdog.stop_on_reboot=0)"
	assert_equal "$(calls)" ""
	rm -r "$R/sys/class/watchdog" "$R/sys/module/watchdog"
	run --separate-stderr "$WBREC" exec --watchdog 30
	assert_failure 4
	assert_equal "$stderr" "warmboot: fatal: --watchdog 30 cannot guard the jump: there is no watchdog (/sys/class/watchdog/watchdog0)"
	assert_equal "$(calls)" ""
}

@test "exec --watchdog: a watchdog that cannot be armed stops the jump before anything changed, and is disarmed" {
	WARMBOOT_FAIL=WDIOC_SETTIMEOUT=EINVAL run --separate-stderr "$WBREC" exec --watchdog 30
	assert_failure 3
	assert_equal "$stderr" "warmboot: fatal: unable to arm /dev/watchdog (i6300ESB timer) for 30 s: Invalid argument"
	assert_equal "$(calls)" "open_dev /dev/watchdog 0x1
ioctl /dev/watchdog WDIOC_SETTIMEOUT 30 = -EINVAL
write_dev /dev/watchdog \"V\""
	: >"$WARMBOOT_RECORD"
	WARMBOOT_FAIL=open_dev=EBUSY run --separate-stderr "$WBREC" exec --watchdog 30
	assert_failure 3
	assert_equal "$stderr" "warmboot: fatal: unable to arm /dev/watchdog (i6300ESB timer) for 30 s: Resource busy"
	assert_equal "$(calls)" "open_dev /dev/watchdog 0x1 = -EBUSY"
}

@test "exec --watchdog: bad values are usage errors" {
	for v in 0 -5 x 3601 ''; do
		run --separate-stderr "$WBREC" exec --watchdog "$v"
		assert_failure 2
		[[ $stderr == *"bad --watchdog '$v' (1 to 3600 seconds)"* ]]
	done
	assert_equal "$(calls)" ""
}

@test "check --watchdog: ok with the watchdog named, fatal without one" {
	local k=$BATS_TEST_TMPDIR/vmlinuz
	head -c 4096 /dev/zero >"$k"
	echo "root=/dev/vda" >"$R/proc/cmdline"
	run --separate-stderr "$WBREC" check "$k" --watchdog 45
	assert_line --regexp '^ok +watchdog i6300ESB timer resets the machine when the next kernel hangs 45 s$'
	echo 1 >"$W/nowayout"
	run --separate-stderr "$WBREC" check "$k" --watchdog 45 --json
	[[ $output == *'{"level":"ok","check":"watchdog","text":"i6300ESB timer resets the machine when the next kernel hangs 45 s (nowayout)"}'* ]]
	rm -r "$R/sys/class/watchdog"
	run --separate-stderr "$WBREC" check "$k" --watchdog 45
	assert_failure 1
	assert_line --regexp '^fatal +watchdog --watchdog 45 cannot guard the jump: there is no watchdog'
	run --separate-stderr "$WBREC" check "$k"
	refute_line --partial watchdog
}

# --- the initramfs takeover (scripts/init-premount/warmboot-watchdog) ----------

takeover() {
	B=$BATS_TEST_TMPDIR/boot
	mkdir -p "$B/proc" "$B/etc/default" "$B/conf/conf.d" "$B/dev" "$B/usr/lib/warmboot" \
		"$BATS_TEST_TMPDIR/bin"
	cp "$TOP/hooks/bool" "$B/usr/lib/warmboot/bool"
	mkdir -p "$B/scripts"
	cp "$TOP/scripts/warmboot-functions" "$B/scripts/"
	echo "root=/dev/vda" >"$B/proc/cmdline"
	echo "WARMBOOT_WATCHDOG=$1" >"$B/etc/default/warmboot"
	echo 'WARMBOOT_BUILT_WATCHDOG="i6300esb"' >"$B/conf/conf.d/warmboot"
	# the driver loading: a warmboot that records its arguments and makes
	# the watchdog appear
	printf '#!/bin/sh\necho "$*" >>%s/wb-args\nmkdir -p %s\ncp -r %s/. %s\n' \
		"$BATS_TEST_TMPDIR" "$B/sys/class/watchdog/watchdog0" "$W" \
		"$B/sys/class/watchdog/watchdog0" >"$BATS_TEST_TMPDIR/bin/warmboot"
	chmod +x "$BATS_TEST_TMPDIR/bin/warmboot"
	run env PATH="$BATS_TEST_TMPDIR/bin:$PATH" WARMBOOT_BOOT_ROOT="$B" \
		sh "$TOP/scripts/init-premount/warmboot-watchdog"
}

@test "takeover: off without WARMBOOT_WATCHDOG; a watchdog not running is left alone" {
	takeover 0
	assert_success
	[ ! -e "$BATS_TEST_TMPDIR/wb-args" ]
	[ ! -e "$B/run/warmboot/decision" ]
	takeover 30
	assert_success
	assert_equal "$(cat "$BATS_TEST_TMPDIR/wb-args")" "modules i6300esb"
	assert_output "warmboot: watchdog: i6300ESB timer not running: nothing to take over"
	[ ! -e "$B/dev/watchdog" ]
}

@test "takeover: a running watchdog gets the magic close; a nowayout one stays armed for systemd" {
	echo active >"$W/state"
	echo 30 >"$W/timeout"
	mkdir -p "$BATS_TEST_TMPDIR/boot/dev"
	# the device stands for the state: the magic close ends 'active'
	ln -s ../sys/class/watchdog/watchdog0/state "$BATS_TEST_TMPDIR/boot/dev/watchdog"
	takeover 30
	assert_success
	assert_equal "$(cat "$B/sys/class/watchdog/watchdog0/state")" V
	assert_output "warmboot: watchdog: i6300ESB timer taken over and disarmed"
	rm -r "$B/sys" "$B/dev/watchdog" "$BATS_TEST_TMPDIR/wb-args"
	echo 1 >"$W/nowayout"
	takeover 30
	assert_success
	assert_equal "$(cat "$B/dev/watchdog")" V
	assert_output "warmboot: watchdog: i6300ESB timer is nowayout: fed once, left armed (30 s) for systemd's RuntimeWatchdogSec"
}

@test "takeover: no watchdog even after loading the drivers: said so" {
	rm -r "$R/sys/class/watchdog"
	W=$BATS_TEST_TMPDIR/nowhere
	mkdir -p "$W"
	takeover 30
	assert_output "warmboot: watchdog: none to take over"
}
