# mk/fuzz.mk - the libFuzzer targets (clang): md superblocks, mdadm.conf,
# and the kexec parsers (bzImage, grub.cfg and grubenv, BLS entries, initrd
# cpio, the kernel's Authenticode signature, kernel command lines).
#
#   make check-fuzz                 each target a few seconds (make check)
#   make fuzz                       each target FUZZ_RUNS (10 M) executions
#   make fuzz-md, fuzz-mdconf, fuzz-kexec, and each with -short
#
# Needs Debian's clang and libclang-rt-14-dev.  Binary $(B)/fuzz/NAME is
# fuzz/fuzz_NAME.c with the sources of fuzz_srcs_NAME, whose lists are
# FUZZ_MD_SRCS (Makefile), FUZZ_MDCONF_SRCS (here) and fuzz_kexec_srcs_NAME
# (mk/kexec.mk).  Corpora (new inputs), logs and crash artifacts go to
# $(FUZZ_DIR)/CORPUS; fixtures seed some corpora, read only.
CC_FUZZ ?= clang
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -iquote helper -g -O1 \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_LIBS := -lzstd -llzma -lz
FUZZ_DIR ?= $(CACHE)/fuzz

FUZZ_MDCONF_SRCS := helper/md/conf.c helper/md/conf_array.c helper/md/conf_lex.c \
	helper/md/conf_words.c helper/md/conf_load.c helper/lib/file.c helper/lib/array.c
FUZZ_KEXEC := bzimage grub bls initrd pesig cmdline

fuzz_srcs_md_super = $(FUZZ_MD_SRCS)
fuzz_srcs_md_conf = $(FUZZ_MDCONF_SRCS)
$(foreach t,$(FUZZ_KEXEC),$(eval fuzz_srcs_$(t) = $$(fuzz_kexec_srcs_$(t))))
fuzz_seeds_grub := tests/fixtures/boot/debian/boot/grub
fuzz_seeds_bls := tests/fixtures/boot/bls/boot/loader/entries
fuzz_seeds_initrd = $(WB_KEXEC_FIXTURES)
fuzz_seeds_pesig = $(B)/fuzz-seeds/pesig
fuzz_seeds_bzimage = $(B)/fuzz-seeds/bzimage

.PHONY: check-fuzz fuzz fuzz-md fuzz-md-short fuzz-mdconf fuzz-mdconf-short \
	fuzz-kexec fuzz-kexec-short
check-fuzz: fuzz-md-short fuzz-mdconf-short fuzz-kexec-short
fuzz: fuzz-md fuzz-mdconf fuzz-kexec

# Any helper source or header may be linked in: rebuilt when one changes.
$(B)/fuzz/%: fuzz/fuzz_%.c $(ALL_SRCS) $(wildcard helper/*.h helper/*/*.h)
	@mkdir -p $(@D)
	$(CC_FUZZ) $(FUZZ_CFLAGS) -o $@ $< $(fuzz_srcs_$*) $(FUZZ_LIBS)

# $(call fuzz_run,NAME,CORPUS,ARGS[,SEEDS]): $(B)/fuzz/NAME with libFuzzer
# ARGS on $(FUZZ_DIR)/CORPUS and SEEDS, its output in CORPUS.log: the tail
# of that on failure, the count of inputs run otherwise.
fuzz_run = echo "== fuzz $(1) $(3)" && mkdir -p $(FUZZ_DIR)/$(2) && \
	{ $(B)/fuzz/$(1) $(3) -print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/$(2)- \
		$(FUZZ_DIR)/$(2) $(4) >$(FUZZ_DIR)/$(2).log 2>&1 || \
		{ tail -n 40 $(FUZZ_DIR)/$(2).log; exit 1; }; } && \
	grep -h 'stat::number_of_executed_units' $(FUZZ_DIR)/$(2).log

# make fuzz-md FUZZ_RUNS=N for another long run
FUZZ_RUNS ?= 10000000
fuzz-md-short: $(B)/fuzz/md_super
	@$(call fuzz_run,md_super,md_super,-max_total_time=10)
fuzz-md: $(B)/fuzz/md_super
	@$(call fuzz_run,md_super,md_super,-runs=$(FUZZ_RUNS))

FUZZ_MDCONF_ARGS ?= -runs=$(FUZZ_RUNS)
fuzz-mdconf-short: $(B)/fuzz/md_conf
	@$(call fuzz_run,md_conf,mdconf,-max_total_time=5 -max_len=4096,tests/fixtures/mdconf)
fuzz-mdconf: $(B)/fuzz/md_conf
	@$(call fuzz_run,md_conf,mdconf,$(FUZZ_MDCONF_ARGS) -max_len=65536,tests/fixtures/mdconf)

# make fuzz: FUZZ_RUNS executions each; the short form 3 s each
FUZZ_KEXEC_ARGS ?= -runs=$(FUZZ_RUNS)
fuzz-kexec-short:
	$(MAKE) fuzz-kexec FUZZ_KEXEC_ARGS=-max_total_time=3
# the signature of the rig's signed kernel, its PE head, and a stripped head
$(B)/fuzz-seeds/pesig: fuzz/pesig-seeds.sh $(WB_VMLINUZ)
	rm -rf $@ && fuzz/pesig-seeds.sh $(WB_VMLINUZ) $@

# the rig's kernel's first 64 KiB: setup header, version string, PE head
# (without it the fuzzer never found "HdrS" at 0x202: 9 edges in 10 M runs)
$(B)/fuzz-seeds/bzimage/head-64k: $(WB_VMLINUZ)
	mkdir -p $(@D) && head -c 65536 $(WB_VMLINUZ) >$@

fuzz-kexec: $(patsubst %,$(B)/fuzz/%,$(FUZZ_KEXEC)) $(B)/fuzz-seeds/pesig $(B)/fuzz-seeds/bzimage/head-64k
	@$(foreach t,$(FUZZ_KEXEC),$(call fuzz_run,$(t),kexec-$(t),$(FUZZ_KEXEC_ARGS) \
		-max_len=65536 -rss_limit_mb=1024,$(fuzz_seeds_$(t))) && ) true
