# mk/stacks.mk -- root on the stacks Debian servers use (issue 16, part 2):
# LVM and LUKS on md RAID1, /boot on its own 1.0 array, real images.
#   make stack-disks    the disks, made once in a rig guest by mdadm 4.2 and
#                       the chroot's lvm2 and cryptsetup (mkstack.sh), cached
#                       by a hash of the script, the scenario, chroot and pins
#   make stack-images   update-initramfs images (mkstackimages.sh; STACK_IMAGES=
#                       names a subset)
#   make check-stacks   tests/vm/stacks.bats
STACK_KEY = $(shell cat tests/initramfs/mkstack.sh tests/vm/scenarios/stack-mkdisks $(IR_CHROOT)/stamp $(VM)/pins 2>/dev/null | sha256sum | cut -c1-16)
STACK_DIR = $(IRD)/stack-$(STACK_KEY)
STACK_IMAGES ?=

.PHONY: stack-disks stack-images check-stacks

stack-disks: initramfs-chroot vm-fetch
	tests/initramfs/mkstack.sh $(VM) $(IRD)/chroot $(STACK_DIR)
	ln -sfn stack-$(STACK_KEY) $(IRD)/stack

stack-images: stack-disks $(if $(INITRAMFS_MAKE_FLAGS),,helper/warmboot)
	tests/initramfs/mkstackimages.sh $(IRD) $(IRD)/stack $(STACK_IMAGES)

check-stacks: stack-images
	bats tests/vm/stacks.bats

# tests/vm/stacks.bats is part of the VM tier
vm-artefacts: stack-images
