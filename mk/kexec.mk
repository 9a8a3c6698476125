# mk/kexec.mk - the kexec area's extra targets and test inputs.
#
# Tests of the kexec commands run against the real Debian kernel the VM rig
# fetched (make vm-fetch): WB_VMLINUZ and WB_KVER reach the unit tests and
# bats through the environment. When they are missing the tests fail.
#
#   make kexec-fixtures  build the initrds the tests use (mkinitramfs with
#                        zstd, xz and gzip, plus hand-made malformed ones)
#   make fuzz-kexec      the libFuzzer targets of the kexec parsers (mk/fuzz.mk)
#   make bench-kexec     warmboot load vs kexec -s -l in a guest

# Bound to SUITE: a sub-make for another suite must not inherit them from
# the environment; the command line still overrides.
$(call suite_var,WB_VMLINUZ,$(VM)/vmlinuz)
$(call suite_var,WB_KVER,$$(shell cat $(VM)/kver 2>/dev/null))
$(call suite_var,WB_KEXEC_FIXTURES,$(CACHE)/kexec-$(SUITE))
export WB_VMLINUZ WB_KVER WB_KEXEC_FIXTURES

.PHONY: kexec-fixtures bench-kexec
kexec-fixtures: vm-fetch
	tests/fixtures/boot/mkinitrds.sh $(VM) $(WB_KEXEC_FIXTURES)

check-unit check-bats: kexec-fixtures

# The sources of the kexec fuzz targets (fuzz/fuzz_NAME.c; mk/fuzz.mk builds
# and runs them).
fuzz_kexec_srcs_decomp := helper/lib/decomp.c helper/lib/stream.c helper/lib/array.c
fuzz_kexec_srcs_bzimage := helper/kexec/bzimage.c helper/kexec/pesig.c helper/lib/file.c $(fuzz_kexec_srcs_decomp)
fuzz_kexec_srcs_grub := helper/boot/grub.c helper/lib/array.c
fuzz_kexec_srcs_bls := helper/boot/bls.c
fuzz_kexec_srcs_initrd := helper/kexec/initrd.c $(fuzz_kexec_srcs_decomp)
fuzz_kexec_srcs_pesig := helper/kexec/pesig.c helper/lib/file.c
fuzz_kexec_srcs_cmdline := helper/kexec/cmdline.c

bench-kexec: vm-fetch helper/warmboot
	bench/kexec.sh $(BENCH_KEXEC_RUNS)
