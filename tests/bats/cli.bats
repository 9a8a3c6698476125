#!/usr/bin/env bats
# The binary's shape and its command line.

load helper

# Its size budget: size.bats.
@test "helper/warmboot is static and has no NEEDED libraries" {
	run file "$WB"
	assert_output --partial "statically linked"
	run readelf -d "$WB"
	refute_output --partial NEEDED
}

@test "--version names the libraries built in, with their Debian versions" {
	run "$WB" --version
	assert_success
	assert_line --index 0 --regexp '^warmboot [0-9]+\.[0-9]+\.[0-9]+$'
	assert_line --index 1 --regexp '^built with libkmod 30\+[0-9-]+, libzstd 1\.5\.[^,]+, liblzma 5\.[^,]+, zlib 1:1\.2\.[^ ]+$'
}

@test "--help lists every command of the table, and the exit codes" {
	run "$WB" --help
	assert_success
	for c in examine scan assemble stop modules entries check load exec reboot status unload; do
		assert_line --regexp "^  $c +[a-z]"
	done
	assert_output --partial "2 bad usage"
	assert_output --partial "4 refused as unsafe or unsupported"
}

@test "every command has --help" {
	for c in $("$WB" --help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }'); do
		run "$WB" "$c" --help
		assert_success
		assert_output --partial "Usage: warmboot $c"
	done
}

@test "unknown commands and bad options: one line and a usage hint, exit 2" {
	run --separate-stderr "$WB" frobnicate
	assert_failure 2
	assert_equal "$stderr" "warmboot: fatal: unknown command 'frobnicate'
Try 'warmboot --help' for more information."
	run --separate-stderr "$WB" scan --bogus
	assert_failure 2
	assert_equal "$stderr" "warmboot: fatal: unknown option '--bogus'
Try 'warmboot scan --help' for more information."
	run --separate-stderr "$WB"
	assert_failure 2
}

@test "messages also go to the kernel log when asked (early boot)" {
	[ -w /dev/kmsg ] || skip "/dev/kmsg not writable here"
	run --separate-stderr env WARMBOOT_KMSG=1 "$WB" examine /nonexistent-warmboot-test
	assert_failure
	dmesg 2>/dev/null | grep -q 'warmboot: error: unable to read /nonexistent-warmboot-test' ||
		skip "dmesg not readable here"
}
