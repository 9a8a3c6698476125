# mk/fresh.mk -- the build and the host tiers on a fresh bookworm system.
#   make check-fresh   tests/fresh/run.sh: a mmdebstrap chroot with only the
#                      packages of the apt-packages lists (cached in
#                      $(CACHE)/fresh, keyed by the lists and
#                      tests/fresh/mkchroot.sh), `git archive HEAD` in it
#                      (committed work only), then make $(FRESH_TARGETS)
#                      there; FRESH_VM=1 reuses the host's $(CACHE)/vm-bookworm
# Not in `make check`: 12 min cold on the 2-core machine, over the 10 min
# budget for it; .ci/run runs it after make check.  Measured:
#   cold  11m59s: mmdebstrap 1m52s, make all check-unit check-bats 10m02s
#                 (load 2-5; deps/ built from the copied sources, the VM rig fetched)
#   warm   5m11s: the system reused, make 5m07s (load 2.1-3.8)
#   FRESH_SRC=0 FRESH_TARGETS=deps (deps/build.sh downloads the sources
#                 through its private apt config inside, then builds): 46 s
FRESH_TARGETS ?= all check-unit check-bats
FRESH_SRC ?= 1
FRESH_VM ?= 0

.PHONY: check-fresh
check-fresh:
	FRESH_SRC=$(FRESH_SRC) FRESH_VM=$(FRESH_VM) tests/fresh/run.sh $(CACHE) $(FRESH_TARGETS)
