#!/bin/sh
# bench/modules.sh [ROUNDS] -- in one VM rig guest (qemu TCG, initcall_debug),
# load the storage drivers (virtio_pci virtio_blk virtio_scsi sd_mod) and the
# md personalities (raid0 raid1 raid10 raid456 linear) with warmboot (the
# names; and --storage --settle 300 plus the personalities), kmod's and
# busybox's `modprobe -a`, unloading everything between runs, the order
# rotating over ROUNDS rounds (default 5). The scenario is
# tests/vm/scenarios/bench-modules. Prints per tool the medians of: the run
# (from dmesg stamps written around it), the kernel's module init time (sum
# of the initcall_debug "returned ... after N usecs" of modules in the run),
# overhead = run - init, and the user and system CPU time of the tool's
# process (10 ms ticks; system time holds finit_module's work: the kernel's
# copy, signature check, relocation and the init itself); then the ratios. Needs make vm-fetch and
# helper/warmboot. Raw console: $CACHE/bench-guest/modules.log.
set -eu
rounds=${1:-5}
top=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${CACHE:-$top/.cache}
. "$top/tests/vm/suite.sh"
t=$top/tests/vm
work=$CACHE/bench-guest
vm=$work/vm-$SUITE
# a private VMDIR: mkinitramfs.sh stages layers there, other jobs may be
# building theirs in the shared one at the same time
mkdir -p "$vm" "$work/modules-disks"
for f in root kver vmlinuz vmlinux pins stamp; do ln -sfn "$VM_DIR/$f" "$vm/$f"; done
"$t/mkinitramfs.sh" "$vm" "$work/modules.cpio" base modules tools "warmboot=$top/helper/warmboot"
d=$work/modules-disks
for n in b1 b2 s1 s2; do [ -f "$d/$n.img" ] || truncate -s 8M "$d/$n.img"; done
log=$work/modules.log
load=$(cut -d' ' -f1-3 /proc/loadavg)
WBVM_EXCLUSIVE=1 "$t/run-guest.sh" --vm "$vm" --initrd "$work/modules.cpio" \
	--append "initcall_debug log_buf_len=4M wb.rounds=$rounds" --timeout 900 \
	--disk "$d/b1.img" --disk "$d/b2.img" --scsi "$d/s1.img" --scsi "$d/s2.img" \
	bench-modules >"$log" || { grep -a 'WBVM:' "$log" | tail -n 30; exit 1; }
echo "# bench-modules: $(date -u '+%F %H:%M') UTC, qemu TCG -smp 2 on $(nproc) host cores," \
	"host load before $load, after $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# kernel $(cat "$vm/kver"); $rounds rounds, order rotating; medians in ms"
grep -a -e '^WBVM: INFO base' -e '^WBVM: SKIP' -e '^WBVM: FAIL' "$log" | sed 's/^WBVM: /# /'
grep -a '^WBVM: INFO [a-z_]* round 1 loaded' "$log" | sed 's/^WBVM: INFO /# /'
# WBK: [  12.345678] wbbench: begin TOOL ROUND
# WBK: [  12.400000] initcall raid1_init+0x0/0x1000 [raid1] returned 0 after 1234 usecs
grep -a '^WBK: ' "$log" | tr -d '[]' | awk -v rounds="$rounds" '
	$3 == "wbbench:" && $4 == "begin" { tool = $5; round = $6; t0 = $2; init = 0; next }
	$3 == "wbbench:" && $4 == "end" {
		run[tool, round] = ($2 - t0) * 1000; kin[tool, round] = init / 1000
		tools[tool] = 1; next }
	$3 == "wbbench:" && $4 == "cpu" {
		sub("user=", "", $7); sub("sys=", "", $8); us[$5, $6] = $7; sy[$5, $6] = $8; next }
	$3 == "initcall" && $6 == "returned" { init += $9 }
	function median(a, n,   i, j, x) {
		for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	END {
		split("wb_named wb_storage kmod_a busybox_a", order, " ")
		name["wb_named"] = "warmboot modules NAMES"
		name["wb_storage"] = "warmboot --storage --settle 300 + md"
		name["kmod_a"] = "kmod modprobe -a"
		name["busybox_a"] = "busybox modprobe -a"
		printf "%-36s %6s %6s %8s %6s %6s   %s\n", "tool", "run", "init", "overhead", "user", "sys", "runs (run/init)"
		for (k = 1; k <= 4; k++) {
			tl = order[k]; if (!(tl in tools)) continue
			s = ""
			for (r = 1; r <= rounds; r++) {
				a[r] = run[tl, r]; b[r] = kin[tl, r]; c[r] = run[tl, r] - kin[tl, r]
				u[r] = us[tl, r]; y[r] = sy[tl, r]
				s = s sprintf(" %.0f/%.0f", run[tl, r], kin[tl, r])
			}
			R[tl] = median(a, rounds); I[tl] = median(b, rounds); O[tl] = median(c, rounds)
			printf "%-36s %6.0f %6.0f %8.0f %6.0f %6.0f  %s\n", name[tl], R[tl], I[tl], O[tl],
				median(u, rounds), median(y, rounds), s
		}
		printf "ratio warmboot/kmod:    run %.2f, overhead %.2f\n", R["wb_named"] / R["kmod_a"], O["wb_named"] / O["kmod_a"]
		printf "ratio warmboot/busybox: run %.2f, overhead %.2f\n", R["wb_named"] / R["busybox_a"], O["wb_named"] / O["busybox_a"]
	}'
