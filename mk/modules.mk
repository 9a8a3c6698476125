# mk/modules.mk - test trees and checks of `warmboot modules`.
#
#   make modules-trees   the rig's Debian module tree, plus copies of it
#                        recompressed to .ko.xz and .ko.zst (depmod run)
#   make check-modules   host bats of warmboot modules (tests/bats/modules*)
#   make bench-modules   host: callgrind instructions, warmboot vs modprobe -n
#
# The plain tree is the VM rig's (tests/vm/fetch.sh unpacks the real Debian
# kernel package under $(VM)/root, the suite's); point MODULES_ROOT and
# MODULES_KVER elsewhere to test another tree (ROOT/lib/modules/KVER).

$(call suite_var,MODULES_ROOT,$(VM)/root)
$(call suite_var,MODULES_KVER,$$(shell cat $(VM)/kver 2>/dev/null))
MODULES_XZ_ROOT := $(CACHE)/modules-xz-$(SUITE)
MODULES_ZST_ROOT := $(CACHE)/modules-zst-$(SUITE)
export MODULES_ROOT MODULES_KVER MODULES_XZ_ROOT MODULES_ZST_ROOT

.PHONY: modules-trees check-modules bench-modules

$(VM)/stamp:
	tests/vm/fetch.sh $(VM) $(SUITE)

# Compressed as the kernel's scripts/Makefile.modinst does (see recompress.sh).
$(MODULES_XZ_ROOT)/.stamp: $(VM)/stamp tests/fixtures/modules/recompress.sh
	tests/fixtures/modules/recompress.sh xz $(MODULES_ROOT) $$(cat $(VM)/kver) $(MODULES_XZ_ROOT)

$(MODULES_ZST_ROOT)/.stamp: $(VM)/stamp tests/fixtures/modules/recompress.sh
	tests/fixtures/modules/recompress.sh zstd $(MODULES_ROOT) $$(cat $(VM)/kver) $(MODULES_ZST_ROOT)

modules-trees: $(VM)/stamp $(MODULES_XZ_ROOT)/.stamp $(MODULES_ZST_ROOT)/.stamp

check-modules: helper/warmboot helper/warmboot-rec modules-trees
	bats tests/bats/modules*.bats

bench-modules: helper/warmboot-rec $(VM)/stamp
	bench/modules-callgrind.sh $(MODULES_ROOT) $$(cat $(VM)/kver)
