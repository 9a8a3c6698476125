# mk/deps.mk - the static libraries helper/warmboot links against.
#
# deps/build.sh builds libkmod, libzstd (decompression), liblzma (decoder)
# and zlib from the Debian bookworm source packages pinned in deps/versions,
# with musl-gcc, into $(SYSROOT). The first build downloads and compiles
# (about two minutes); afterwards $(SYSROOT)/.stamp makes this a no-op until
# deps/build.sh, deps/versions or a deps/*.patch changes.
#
#   make deps         build the sysroot if it is missing or out of date
#   make deps-clean   remove the sysroot, uapi headers and build logs
#                     (downloaded sources in $(CACHE)/src are kept)

CACHE ?= $(CURDIR)/.cache
DEPS_DIR := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))../deps)
SYSROOT := $(CACHE)/sysroot
DEPS_UAPI := $(CACHE)/uapi

DEPS_CFLAGS := -isystem $(SYSROOT)/include -isystem $(CACHE)/uapi
DEPS_LIBS := $(SYSROOT)/lib/libkmod.a $(SYSROOT)/lib/libzstd.a \
	$(SYSROOT)/lib/liblzma.a $(SYSROOT)/lib/libz.a
DEPS_VERSIONS_H := $(SYSROOT)/include/wb_libversions.h

DEPS_INPUTS := $(DEPS_DIR)/build.sh $(DEPS_DIR)/versions \
	$(wildcard $(DEPS_DIR)/*.patch)

$(SYSROOT)/.stamp: $(DEPS_INPUTS) | $(DEPS_UAPI)/.stamp
	@$(DEPS_DIR)/build.sh sysroot $(CACHE) $(SYSROOT)

# A linux-libc-dev upgrade refreshes the headers without rebuilding the
# libraries.
$(DEPS_UAPI)/.stamp: $(DEPS_DIR)/build.sh /usr/include/linux/version.h
	@$(DEPS_DIR)/build.sh uapi $(CACHE)

# build.sh gives these the stamp's time, so they are never older than it.
$(DEPS_LIBS) $(DEPS_VERSIONS_H): $(SYSROOT)/.stamp

.PHONY: deps deps-clean
deps: $(SYSROOT)/.stamp $(DEPS_UAPI)/.stamp

deps-clean:
	rm -rf $(SYSROOT) $(DEPS_UAPI) $(CACHE)/build $(CACHE)/build-logs
