# mk/fuzz-mdconf.mk - libFuzzer target for the mdadm.conf parser.
#
#   make fuzz-mdconf-short   a few seconds (usable in make check)
#   make fuzz-mdconf         long run (FUZZ_MDCONF_ARGS, default 10 minutes)
#
# Needs Debian's clang and libclang-rt-14-dev. New inputs go to
# $(CACHE)/fuzz/mdconf; tests/fixtures/mdconf seeds it (read only).
CC_FUZZ ?= clang
FUZZ_MDCONF := $(B)/fuzz/fuzz_md_conf
FUZZ_MDCONF_CORPUS := $(CACHE)/fuzz/mdconf
FUZZ_MDCONF_ARGS ?= -max_total_time=600

.PHONY: fuzz-mdconf fuzz-mdconf-short

FUZZ_MDCONF_SRCS := helper/md/conf.c helper/md/conf_array.c helper/md/conf_lex.c \
	helper/md/conf_words.c helper/md/conf_load.c helper/lib/file.c helper/lib/array.c

$(FUZZ_MDCONF): fuzz/fuzz_md_conf.c $(FUZZ_MDCONF_SRCS) $(wildcard helper/md/conf*.h) \
		helper/md/super.h helper/lib/file.h helper/lib/array.h
	mkdir -p $(@D)
	$(CC_FUZZ) -std=c11 -D_GNU_SOURCE -iquote helper -g -O1 \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o $@ fuzz/fuzz_md_conf.c $(FUZZ_MDCONF_SRCS)

fuzz-mdconf-short: $(FUZZ_MDCONF)
	mkdir -p $(FUZZ_MDCONF_CORPUS)
	$(FUZZ_MDCONF) -max_total_time=5 -max_len=4096 -print_final_stats=1 \
		$(FUZZ_MDCONF_CORPUS) tests/fixtures/mdconf

fuzz-mdconf: $(FUZZ_MDCONF)
	mkdir -p $(FUZZ_MDCONF_CORPUS)
	$(FUZZ_MDCONF) $(FUZZ_MDCONF_ARGS) -max_len=65536 -print_final_stats=1 \
		$(FUZZ_MDCONF_CORPUS) tests/fixtures/mdconf
