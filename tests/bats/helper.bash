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

# The rig's real bzImage and the real mkinitramfs initrds (exported by
# mk/kexec.mk); sets KVER and the fake root R. Fails, never skips, without them.
require_kernel_artefacts() {
	[ -f "${WB_VMLINUZ:-}" ] || fail "WB_VMLINUZ unset or missing: run make vm-fetch"
	[ -f "${WB_KEXEC_FIXTURES:-}/stamp" ] || fail "no initrd fixtures: run make kexec-fixtures"
	KVER=$WB_KVER
	R=$BATS_TEST_TMPDIR/root
}
