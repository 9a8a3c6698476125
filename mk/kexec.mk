# mk/kexec.mk - the kexec area's extra targets and test inputs.
#
# Tests of the kexec commands run against the real Debian kernel the VM rig
# fetched (make vm-fetch): WB_VMLINUZ and WB_KVER reach the unit tests and
# bats through the environment. When they are missing the tests fail.
#
#   make kexec-fixtures  build the initrds the tests use (mkinitramfs with
#                        zstd, xz and gzip, plus hand-made malformed ones)
#   make fuzz-kexec      build and briefly run the libFuzzer targets
#   make bench-kexec     warmboot load vs kexec -s -l in a guest

WB_VMLINUZ ?= $(CACHE)/vm/vmlinuz
WB_KVER ?= $(shell cat $(CACHE)/vm/kver 2>/dev/null)
WB_KEXEC_FIXTURES ?= $(CACHE)/kexec
export WB_VMLINUZ WB_KVER WB_KEXEC_FIXTURES

.PHONY: kexec-fixtures fuzz-kexec bench-kexec
kexec-fixtures: vm-fetch
	tests/fixtures/boot/mkinitrds.sh $(CACHE)/vm $(WB_KEXEC_FIXTURES)

check-unit check-bats: kexec-fixtures

# libFuzzer targets for the kexec parsers (clang). Corpora in
# $(CACHE)/fuzz/kexec-NAME; tests/fixtures/boot seeds grub and bls.
FUZZ_KEXEC := bzimage grub bls initrd
FUZZ_KEXEC_SECONDS ?= 20
FUZZ_KEXEC_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -iquote helper \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
fuzz_kexec_srcs_bzimage := helper/kexec/bzimage.c
fuzz_kexec_srcs_grub := helper/boot/grub.c helper/lib/array.c
fuzz_kexec_srcs_bls := helper/boot/bls.c
fuzz_kexec_srcs_initrd := helper/kexec/initrd.c helper/lib/decomp.c

$(B)/fuzz/kexec-%: fuzz/fuzz_%.c $(wildcard helper/*/*.h) helper/kexec/bzimage.c helper/boot/grub.c \
		helper/boot/bls.c helper/boot/bootcfg.c helper/kexec/initrd.c helper/lib/decomp.c
	@mkdir -p $(@D)
	clang $(FUZZ_KEXEC_CFLAGS) -o $@ $< $(fuzz_kexec_srcs_$*) -lzstd -llzma -lz

fuzz-kexec: $(patsubst %,$(B)/fuzz/kexec-%,$(FUZZ_KEXEC))
	@set -e; for t in $(FUZZ_KEXEC); do \
		mkdir -p $(CACHE)/fuzz/kexec-$$t; \
		seeds=; [ $$t = grub ] && seeds=tests/fixtures/boot/debian/boot/grub; \
		[ $$t = bls ] && seeds=tests/fixtures/boot/bls/boot/loader/entries; \
		[ $$t = initrd ] && seeds=$(WB_KEXEC_FIXTURES); \
		echo "== fuzz kexec-$$t ($(FUZZ_KEXEC_SECONDS)s)"; \
		$(B)/fuzz/kexec-$$t -max_total_time=$(FUZZ_KEXEC_SECONDS) -max_len=65536 \
			-rss_limit_mb=1024 -artifact_prefix=$(CACHE)/fuzz/kexec-$$t- \
			$(CACHE)/fuzz/kexec-$$t $$seeds >$(CACHE)/fuzz/kexec-$$t.log 2>&1 || \
			{ tail -n 30 $(CACHE)/fuzz/kexec-$$t.log; exit 1; }; \
		tail -n 1 $(CACHE)/fuzz/kexec-$$t.log; \
	done

bench-kexec: vm-fetch helper/warmboot
	bench/kexec.sh $(BENCH_KEXEC_RUNS)
