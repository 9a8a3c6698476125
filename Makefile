# warmboot — top-level build. `make` builds helper/warmboot (static, musl);
# `make check` runs the unit, CLI and VM test tiers.
CACHE ?= $(CURDIR)/.cache
# mk/deps.mk (included below) defines rules first: `make` alone means all
.DEFAULT_GOAL := all
export CACHE
# The Debian release of the VM rig's guests (tests/vm): kernel, modules,
# reference tools. VM holds its artefacts; scripts get it as VM_DIR.
SUITE ?= bookworm
ifneq ($(filter-out bookworm trixie,$(SUITE))$(words $(SUITE)),1)
$(error SUITE=$(SUITE): unknown suite (bookworm or trixie))
endif
VM := $(CACHE)/vm-$(SUITE)
# suite_var NAME,VALUE: NAME = VALUE unless NAME is on the command line; a
# sub-make for another suite (the tier, the matrix) must not take a variable
# of the parent's suite from the environment. Recursive, so a VALUE passed
# as $$(shell ...) is read when used: on a cold cache the file it reads is
# written by an earlier recipe of the same run.
suite_var = $(if $(filter command line,$(origin $(1))),,$(eval $(1) = $(2)))
VM_DIR := $(VM)
export SUITE VM_DIR

# Install directories (`make install`; debian/rules passes PREFIX=/usr).
PREFIX ?= /usr
DESTDIR ?=
SYSCONFDIR ?= /etc
SBINDIR ?= $(PREFIX)/sbin
LIBEXECDIR ?= $(PREFIX)/lib/warmboot
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
INITRAMFS_DIR ?= $(DATADIR)/initramfs-tools
SYSTEMD_UNIT_DIR ?= /lib/systemd/system
KERNEL_HOOK_DIR ?= $(SYSCONFDIR)/kernel

include mk/deps.mk

CC_MUSL := musl-gcc
WARN := -Wall -Wextra -Wno-format-truncation -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-unused-parameter -Wformat=2 -Wno-format-nonliteral
CFLAGS_COMMON := -std=c11 -D_GNU_SOURCE $(WARN) -iquote helper -MMD -MP
# No unwind tables: C without exceptions never unwinds, and they cost ~10%.
# -fno-pie: the static link is not PIE, so absolute addresses (shorter
# instructions than RIP-relative ones) are right (~2 KiB).
CFLAGS_MUSL := $(CFLAGS_COMMON) -Oz -ffunction-sections -fdata-sections \
	-fno-asynchronous-unwind-tables -fno-unwind-tables -fno-pie $(DEPS_CFLAGS)
# noseparate-code: no page padding between text and data segments (~8 KiB);
# norelro: only a dynamic loader applies RELRO, in a static binary it is a
# page of padding (~4 KiB)
LDFLAGS_MUSL := -static -Wl,--gc-sections -Wl,-z,noseparate-code -Wl,-z,norelro \
	-Wl,--build-id=none
# The sanitizer build of the unit tests runs on glibc with the host's -dev libraries.
CC_ASAN := gcc
CFLAGS_ASAN := $(CFLAGS_COMMON) -O1 -g -fsanitize=address,undefined \
	-fno-omit-frame-pointer -fno-sanitize-recover=all
LIBS_ASAN := -lkmod -lzstd -llzma -lz

# Sources by folder (docs/HACKING.md maps them).
ALL_SRCS := $(wildcard helper/*.c helper/*/*.c)
# Library code: everything but the entry point and the two syscall layers.
CORE_SRCS := $(filter-out helper/main.c helper/sys/linux.c helper/sys/record.c,$(ALL_SRCS))
CMD_SRCS := $(wildcard helper/cmd/*.c)

B := build
musl_obj = $(patsubst helper/%.c,$(B)/musl/%.o,$(1))
asan_obj = $(patsubst helper/%.c,$(B)/asan/%.o,$(1))

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_MUSL := $(patsubst tests/unit/%.c,$(B)/unit/%,$(UNIT_SRCS))
UNIT_ASAN := $(patsubst tests/unit/%.c,$(B)/unit-asan/%,$(UNIT_SRCS))

.PHONY: all check check-deps check-unit check-bats install clean distclean size
all: helper/warmboot helper/warmboot-rec

$(B)/musl/%.o: helper/%.c $(SYSROOT)/.stamp Makefile
	@mkdir -p $(@D)
	$(CC_MUSL) $(CFLAGS_MUSL) -c -o $@ $<

$(B)/asan/%.o: helper/%.c
	@mkdir -p $(@D)
	$(CC_ASAN) $(CFLAGS_ASAN) -c -o $@ $<

$(B)/unit $(B)/unit-asan:
	mkdir -p $@

# The --help texts (helper/NAME.help, helper/cmd/NAME.help) as one xz blob,
# a C array that helper/help.c includes: stored at 39 % of their size (3,832 of 9,811 bytes).
HELP_TEXTS := $(sort $(wildcard helper/*.help helper/cmd/*.help))
$(B)/gen/help_blob.h: mk/help-blob.sh $(HELP_TEXTS)
	@mkdir -p $(@D)
	sh mk/help-blob.sh $@ $(HELP_TEXTS)
$(B)/musl/help.o $(B)/asan/help.o: $(B)/gen/help_blob.h
$(B)/musl/help.o: CFLAGS_MUSL += -iquote $(B)/gen
$(B)/asan/help.o: CFLAGS_ASAN += -iquote $(B)/gen

helper/warmboot: $(call musl_obj,helper/main.c $(CORE_SRCS) helper/sys/linux.c) $(DEPS_LIBS)
	$(CC_MUSL) $(LDFLAGS_MUSL) -s -o $@ $^

# Same program with the recording syscall layer: for host tests only.
helper/warmboot-rec: $(call musl_obj,helper/main.c $(CORE_SRCS) helper/sys/record.c) $(DEPS_LIBS)
	$(CC_MUSL) $(LDFLAGS_MUSL) -o $@ $^

# Unit tests link the library code only: commands need main.c.
LIB_SRCS := $(filter-out $(CMD_SRCS),$(CORE_SRCS))

$(B)/unit/%: tests/unit/%.c tests/unit/t.c tests/unit/t.h $(call musl_obj,$(LIB_SRCS) helper/sys/record.c) $(DEPS_LIBS) | $(B)/unit
	$(CC_MUSL) $(CFLAGS_MUSL) -Itests/unit -DFIXTURES='"$(CURDIR)/tests/fixtures"' \
		$(LDFLAGS_MUSL) -o $@ $< tests/unit/t.c $(filter %.o %.a,$^)

$(B)/unit-asan/%: tests/unit/%.c tests/unit/t.c tests/unit/t.h $(call asan_obj,$(LIB_SRCS) helper/sys/record.c) | $(B)/unit-asan
	$(CC_ASAN) $(CFLAGS_ASAN) -Itests/unit -DFIXTURES='"$(CURDIR)/tests/fixtures"' \
		-o $@ $< tests/unit/t.c $(filter %.o,$^) $(LIBS_ASAN)

check-unit: $(UNIT_MUSL) $(UNIT_ASAN)
	@set -e; for t in $(UNIT_MUSL) $(UNIT_ASAN); do echo "== $$t"; $$t; done

# package.bats needs the .deb and a chroot: check-package (mk/package.mk) runs it.
BATS_HOST := $(filter-out tests/bats/package.bats,$(wildcard tests/bats/*.bats))
check-bats: helper/warmboot helper/warmboot-rec modules-trees
	bats $(BATS_HOST)

# README's test command. Each area adds its prerequisites to these targets.
check: check-deps check-unit check-bats check-fuzz check-vm-tier

check-deps:
	tests/install-deps.sh

# The md superblock fuzz target's sources (mk/fuzz.mk has the fuzz rules).
FUZZ_MD_SRCS := helper/md/super.c helper/md/dev.c helper/md/describe.c helper/md/report.c \
	helper/md/naming.c helper/lib/sha1.c helper/lib/json.c helper/md/plan.c

size: helper/warmboot
	@ls -l helper/warmboot | awk '{print $$5 " bytes stripped"}'

install: helper/warmboot
	install -D -m 0755 helper/warmboot $(DESTDIR)$(SBINDIR)/warmboot
	for f in mkinitramfs-hooks/*; do [ -f "$$f" ] || continue; \
		install -D -m 0755 "$$f" $(DESTDIR)$(INITRAMFS_DIR)/hooks/$${f##*/}; done
	for d in scripts/*/; do [ -d "$$d" ] || continue; for f in "$$d"*; do \
		[ -f "$$f" ] || continue; \
		install -D -m 0755 "$$f" $(DESTDIR)$(INITRAMFS_DIR)/$$f; done; done
	for f in scripts/*-functions; do [ -f "$$f" ] || continue; \
		install -D -m 0644 "$$f" $(DESTDIR)$(INITRAMFS_DIR)/$$f; done
	[ ! -f etc/default/warmboot ] || [ -f $(DESTDIR)$(SYSCONFDIR)/default/warmboot ] || \
		install -D -m 0644 etc/default/warmboot $(DESTDIR)$(SYSCONFDIR)/default/warmboot
	for f in hooks/postinst.d/* hooks/postrm.d/*; do [ -f "$$f" ] || continue; \
		install -D -m 0755 "$$f" $(DESTDIR)$(KERNEL_HOOK_DIR)/$${f#hooks/}; done
	install -D -m 0644 hooks/functions $(DESTDIR)$(LIBEXECDIR)/functions
	install -D -m 0644 hooks/bool $(DESTDIR)$(LIBEXECDIR)/bool
	install -D -m 0755 hooks/kexec-load $(DESTDIR)$(LIBEXECDIR)/kexec-load
	install -D -m 0755 hooks/next-sync $(DESTDIR)$(LIBEXECDIR)/next-sync
	install -D -m 0755 hooks/post-update.d/warmboot $(DESTDIR)$(SYSCONFDIR)/initramfs/post-update.d/warmboot
	install -D -m 0755 hooks/warmboot-rescue $(DESTDIR)$(LIBEXECDIR)/warmboot-rescue
	install -D -m 0644 hooks/udev/63-md-warmboot.rules $(DESTDIR)$(LIBEXECDIR)/udev/63-md-warmboot.rules
	install -D -m 0644 share/rescue.txt $(DESTDIR)$(DATADIR)/warmboot/rescue.txt
	for f in hooks/systemd/*; do [ -f "$$f" ] || continue; \
		install -D -m 0644 "$$f" $(DESTDIR)$(SYSTEMD_UNIT_DIR)/$${f##*/}; done
	install -D -m 0644 doc/warmboot.8 $(DESTDIR)$(MANDIR)/man8/warmboot.8
	install -D -m 0644 completion/warmboot $(DESTDIR)$(BASHCOMPDIR)/warmboot

clean:
	rm -rf $(B) helper/warmboot helper/warmboot-rec

distclean: clean
	rm -rf $(CACHE)

# Each area's extra targets (vm.mk: check-vm, demo; fuzz.mk: check-fuzz, fuzz; others: bench).
-include $(filter-out mk/deps.mk,$(wildcard mk/*.mk))
-include $(wildcard $(B)/*/*.d $(B)/*/*/*.d)
