# mk/vm.mk -- the VM rig (tests/vm): qemu/TCG guests with the Debian kernel,
# reference mdadm/kexec-tools, md fixture arrays.  Included by the Makefile,
# which sets CACHE, SUITE (bookworm|trixie) and VM = $(CACHE)/vm-$(SUITE):
# all cached artefacts of that suite live there.
#   make vm-fetch          kernel, busybox, mdadm, kexec-tools, kmod (+libs) into $(VM)
#   make vm-fetch-all      the same for every suite
#   make vm-fixtures       md fixture disk images (one guest boot, cached by hash)
#   make vm-sb-fixtures    re-export tests/fixtures/md from the fixture images
#   make check-vm          every VM test of SUITE (tests/vm/*.bats; VM_TAGS=)
#   make check-vm-tier     make check's VM tier: the `slice` of each suite
#   make check-matrix      every VM test, slow forms too, on every suite
#                          (SUITES=...): the table in tests/vm/MATRIX.md
#   make demo              warmboot end to end in qemu
#   make bench-reference   time modprobe/mdadm/kexec in a guest
# check-vm and demo build helper/warmboot first; `make check-vm VM_WARMBOOT=`
# runs the tier without it (its warmboot test then skips).
VM_WARMBOOT ?= helper/warmboot

.PHONY: vm-fetch vm-fetch-all vm-fixtures vm-sb-fixtures vm-artefacts check-vm check-vm-tier \
	check-vm-slice slice-artefacts vm-slice-run vm-bats check-matrix demo bench-reference

vm-fetch:
	tests/vm/fetch.sh $(VM) $(SUITE)

# tests/vm/upgrade.bats jumps into the other suite's kernel: both rigs
vm-fetch-all:
	for s in bookworm trixie; do tests/vm/fetch.sh $(CACHE)/vm-$$s $$s || exit 1; done


vm-fixtures: vm-fetch
	tests/vm/mkfixtures.sh $(VM)

# tests/fixtures/md stays bookworm-made (mdadm 4.2), whatever SUITE says
vm-sb-fixtures:
	$(MAKE) --no-print-directory SUITE=bookworm vm-fixtures
	tests/vm/regen-sb-fixtures.sh $(CACHE)/vm-bookworm tests/fixtures/md

# Everything the VM test files of SUITE boot; each area adds its own
# (initramfs.mk: the images, package.mk: the .deb and its chroot,
# stacks.mk: the stacked roots).
vm-artefacts: vm-fetch-all vm-fixtures $(VM_WARMBOOT)

# Every VM test of SUITE; VM_TAGS filters by bats tags (`slow`: the full
# forms; `slice`: make check's part).
VM_TAGS ?=
check-vm: vm-artefacts
	bats $(BATS_FLAGS) $(if $(VM_TAGS),--filter-tags '$(VM_TAGS)') tests/vm

# make check's VM tier: on each suite the slice, each capability once (the
# rig, md against that suite's mdadm, modules, kexec, a controller, the
# watchdog, real initramfs-tools images; tags `slice` and `slice-SUITE`),
# which needs only the rig and the images. Everything else is the matrix's.
# The suites run side by side once both have their artefacts.
TIER_SUITES = bookworm trixie
check-vm-tier: $(VM_WARMBOOT)
	for s in $(TIER_SUITES); do $(MAKE) --no-print-directory SUITE=$$s slice-artefacts || exit 1; done
	tests/vm/suites.sh "$(MAKE)" vm-slice-run $(TIER_SUITES)

check-vm-slice: slice-artefacts
	$(MAKE) --no-print-directory vm-slice-run

slice-artefacts: vm-fetch-all vm-fixtures initramfs-images $(VM_WARMBOOT)

# The slice of SUITE, nothing built first.
vm-slice-run:
	bats $(BATS_FLAGS) --filter-tags slice --filter-tags slice-$(SUITE) tests/vm

# bats over VM_FILES with SUITE's variables, nothing built first (the matrix).
VM_FILES ?= tests/vm
vm-bats:
	bats $(BATS_FLAGS) $(VM_FILES)

# Before a boot-path issue is called resolved; commit the table it writes.
# MATRIX_FILES="tests/vm/A.bats ..." runs those files again and replaces
# their rows only (tests/vm/matrix.sh).
SUITES ?= bookworm trixie
check-matrix: $(VM_WARMBOOT)
	for s in $(SUITES); do $(MAKE) --no-print-directory SUITE=$$s vm-artefacts || exit 1; done
	MAKE="$(MAKE)" SUITES="$(SUITES)" tests/vm/matrix.sh tests/vm/MATRIX.md

# On Debian's stable release unless SUITE or DEMO_SUITE names one.
DEMO_SUITE ?= $(if $(filter file,$(origin SUITE)),trixie,$(SUITE))
demo:
	DEMO_SUITE=$(DEMO_SUITE) tests/vm/demo.sh

bench-reference: vm-fetch
	bench/reference.sh $(VM)
