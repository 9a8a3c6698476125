# Common setup for the CLI tests: sealed HOME, the two binaries, bats-assert.
bats_require_minimum_version 1.5.0
load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
WB=$TOP/helper/warmboot
WBREC=$TOP/helper/warmboot-rec
FIXTURES=$TOP/tests/fixtures

setup_sealed() {
	export HOME=$BATS_TEST_TMPDIR/home
	mkdir -p "$HOME"
	export WARMBOOT_RECORD=$BATS_TEST_TMPDIR/calls
	export WARMBOOT_KMSG=0
	export TZ=UTC
	unset WARMBOOT_ROOT WARMBOOT_FAIL WARMBOOT_DEBUG
	: >"$WARMBOOT_RECORD"
}

setup() {
	setup_sealed
}

# The kernel calls the recording binary made, one a line.
calls() {
	cat "$WARMBOOT_RECORD"
}
