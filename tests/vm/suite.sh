# suite.sh -- sourced (sh or bash) by the rig's scripts: the Debian release
# of the guests. SUITE (bookworm|trixie, default bookworm) is checked, and
# VM_DIR, the rig artefacts of that suite, defaults to $CACHE/vm-$SUITE
# (make exports both; a caller with a better CACHE default sets it first).
# Anything else is an error, never the default.
SUITE=${SUITE:-bookworm}
case $SUITE in
bookworm | trixie) ;;
*)
	printf 'warmboot-vm: fatal: SUITE=%s: unknown suite (bookworm or trixie)\n' "$SUITE" >&2
	return 2 2>/dev/null || exit 2 ;;
esac
VM_DIR=${VM_DIR:-${CACHE:-.cache}/vm-$SUITE}
export SUITE VM_DIR
