# mk/bench-guest.mk -- benches in one VM rig guest (qemu TCG), run by hand,
# not part of `make check`:
#   make bench-modules-guest   storage drivers + md personalities: warmboot
#                              vs kmod vs busybox modprobe, with the kernel's
#                              module init times (initcall_debug) beside them
#                              (bench/modules.sh; BENCH_ROUNDS, default 5)
#   make bench-earlyboot       the emergency chain loader's path: modules,
#                              assemble a RAID1, mount, load the next kernel;
#                              warmboot vs kmod+mdadm+kexec-tools
#                              (bench/earlyboot.sh; BENCH_ROUNDS, default 4)
#   make bench-coldplug        per storage controller, two disks behind it:
#                              `warmboot modules --storage` vs Debian's udev
#                              (trigger + settle, from the suite's initramfs
#                              chroot) in fresh guests (bench/coldplug.sh;
#                              BENCH_RUNS, default 3; SUITE)
# (`make bench-modules` is mk/modules.mk's host callgrind bench.)
BENCH_ROUNDS ?=

.PHONY: bench-modules-guest bench-earlyboot bench-coldplug

bench-modules-guest: vm-fetch helper/warmboot
	bench/modules.sh $(or $(BENCH_ROUNDS),5)

bench-earlyboot: vm-fetch helper/warmboot
	bench/earlyboot.sh $(or $(BENCH_ROUNDS),4)

bench-coldplug: vm-fetch initramfs-chroot helper/warmboot
	VM_DIR=$(VM) bench/coldplug.sh
