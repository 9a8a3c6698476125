# mk/initramfs.mk -- warmboot inside real initramfs-tools images (issue 8),
# per Debian release: SUITE=bookworm (default) or SUITE=trixie.
#   make initramfs-chroot   minimal SUITE chroot (mmdebstrap from deb.debian.org;
#                           kernel, initramfs-tools, busybox, e2fsprogs, mdadm,
#                           udev), cached by a hash of SUITE and
#                           tests/initramfs/mkchroot.sh
#   make initramfs-raid     RAID1 members made by the rig's mdadm in a rig
#                           guest ($(VM)), cached by a hash of the script,
#                           scenario and the rig's pins
#   make initramfs-images   update-initramfs -c in the chroot (overlay, warmboot
#                           installed by `make install DESTDIR=`): images wb
#                           (warmboot leads) and mdadm (Debian's default, no
#                           warmboot); rebuilt when their inputs change
#   make check-initramfs    host bats (sealed fake) + VM bats (tests/vm/initramfs.bats)
#   make bench-initramfs    kernel start -> root's init, warmboot vs udev+mdadm,
#                           for every suite in BENCH_SUITES (default both)
# Everything lands in $(IRD) (IRD= on the command line moves it). Host
# packages: tests/initramfs/apt-packages.
$(call suite_var,IRD,$(CACHE)/initramfs-$(SUITE))
export IRD
IR_CHROOT_KEY = $(shell { echo $(SUITE); cat tests/initramfs/mkchroot.sh; } | sha256sum | cut -c1-16)
IR_CHROOT = $(IRD)/chroot-$(IR_CHROOT_KEY)
IR_RAID_KEY = $(shell cat tests/initramfs/mkraid.sh tests/vm/scenarios/initramfs-mkraid $(VM)/pins 2>/dev/null | sha256sum | cut -c1-16)
IR_RAID = $(IRD)/raid-$(IR_RAID_KEY)
# `make install` builds helper/warmboot; INITRAMFS_MAKE_FLAGS="-o helper/warmboot"
# uses the binary as it is.
INITRAMFS_MAKE_FLAGS ?=
export INITRAMFS_MAKE_FLAGS
BENCH_SUITES ?= bookworm trixie

.PHONY: initramfs-chroot initramfs-raid initramfs-images check-initramfs bench-initramfs

initramfs-chroot:
	tests/initramfs/mkchroot.sh $(SUITE) $(IR_CHROOT)
	ln -sfn chroot-$(IR_CHROOT_KEY) $(IRD)/chroot

initramfs-raid: vm-fetch
	tests/initramfs/mkraid.sh $(VM) $(IR_RAID)
	ln -sfn raid-$(IR_RAID_KEY) $(IRD)/raid

initramfs-images: initramfs-chroot initramfs-raid $(if $(INITRAMFS_MAKE_FLAGS),,helper/warmboot)
	tests/initramfs/mkimages.sh $(IRD)

check-initramfs: initramfs-images
	bats tests/bats/initramfs.bats tests/vm/initramfs.bats

# each suite's images first (IRD follows SUITE in the sub-make), then one table
bench-initramfs:
	for s in $(BENCH_SUITES); do $(MAKE) SUITE=$$s IRD=$(CACHE)/initramfs-$$s initramfs-images || exit 1; done
	VM_DIR=$(VM) bench/initramfs.sh $(foreach s,$(BENCH_SUITES),$(CACHE)/initramfs-$(s))

# tests/vm/initramfs.bats is part of the VM tier: `make check-vm` (and so
# `make check`, CI) builds the images it boots first.
vm-artefacts: initramfs-images
