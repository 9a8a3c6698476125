# systemd_guest.bash -- what the systemd-guest tests share (systemd.bats,
# reboot.bats): load after vm_helper.
#   suite_systemd        the systemd major SUITE's Debian release ships
#   systemd_guest_setup  setup(): the rig, the .deb, SUITE's package chroot, root

SUITE=${SUITE:-bookworm}

suite_systemd() {
	case $SUITE in
	bookworm) echo 252 ;;
	trixie) echo 257 ;;
	*) fail "unknown SUITE $SUITE" ;;
	esac
}

systemd_guest_setup() {
	vm_require
	: "${PKG_OUT:?make sets PKG_OUT (mk/package.mk)}" "${PKG_CACHE:?}"
	[ "$(cat "$PKG_CACHE"/chroot-*/suite 2>/dev/null)" = "$SUITE" ] ||
		fail "no $SUITE package chroot in $PKG_CACHE: run make package-chroot SUITE=$SUITE"
	[ "$(id -u)" = 0 ] || skip "needs root to make the image (chroot, mounts)"
}
