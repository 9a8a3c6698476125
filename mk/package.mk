# mk/package.mk -- the Debian package (debian/) and its tests.  Included by
# the Makefile, which sets CACHE.
#   make deb             dpkg-buildpackage -b in a copy of the tree -> $(PKG_OUT)
#   make check-package   deb, lintian, and tests/bats/package.bats: apt
#                        install in a SUITE chroot, kernel hooks,
#                        update-initramfs, remove, purge (~2 min warm)
#   make check-slow      the systemd VM tier in full: a kernel package
#                        installed inside the guest, then systemctl kexec
# check runs check-package; check-vm the reduced systemd VM test
# (tests/vm/systemd.bats), which needs the .deb and the chroot too.
# Measured on 2 busy cores (TCG): check-package 2m50s warm; the reduced VM
# image 3 min cold (cached after), its boot-install-kexec-boot 4 min.
# (The install directories are the Makefile's.)

PKG_OUT := $(B)/package
# The package tests' chroot, per suite (a copy of the initramfs tier's of
# the same SUITE, plus systemd).
PKG_CACHE = $(CACHE)/package-$(SUITE)
export PKG_OUT PKG_CACHE

.PHONY: deb lint-deb package-chroot check-package check-slow
deb: $(SYSROOT)/.stamp
	debian/ci/build-deb.sh $(PKG_OUT) $(CACHE)

lint-deb: deb
	@rc=0; lintian --fail-on error,warning --display-info --pedantic \
		$(PKG_OUT)/warmboot_*.changes >$(PKG_OUT)/lintian.log 2>&1 || rc=$$?; \
		cat $(PKG_OUT)/lintian.log; exit $$rc

package-chroot: initramfs-chroot
	debian/ci/mkchroot.sh $(SUITE) $(PKG_CACHE) $(IRD)

check-package: lint-deb package-chroot kexec-fixtures
	bats tests/bats/package.bats

check-slow: deb package-chroot vm-fetch
	WB_SLOW=1 bats tests/vm/systemd.bats

check: check-package
vm-artefacts: deb package-chroot
