#!/bin/sh
# bench/initramfs.sh IRD... -- time from the kernel's start to the real
# root's /sbin/init (its /proc/uptime, "WBVM: TIME rootinit at=") for each
# Debian release's image family (IRD: make initramfs-images SUITE=...; `make
# bench-initramfs` passes bookworm's and trixie's): the same kernel (the
# chroot's), the same disks, warmboot leading (image wb, udev kept; image
# wbnoudev, WARMBOOT_UDEV=no) vs Debian's default path (image mdadm: udev +
# mdadm --incremental + local-block/mdadm), with both RAID1 members present
# and with one missing.  Each case is booted BENCH_RUNS times (default 3);
# the median is reported, one table per release.  Each guest runs with the
# machine to itself (WBVM_EXCLUSIVE, tests/vm/run-guest.sh; qemu/TCG:
# absolute times depend on the host's load, the ratios are the point).
set -eu
[ $# -gt 0 ] || { echo "usage: initramfs.sh IRD..." >&2; exit 2; }
runs=${BENCH_RUNS:-3}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
# the root's /sbin/init needs a static busybox: the rig's (VM_DIR)
busybox=${VM_DIR:-${CACHE:-$repo/.cache}/vm}/root/bin/busybox
work=$(mktemp -d "${TMPDIR:-/tmp}/wbbench.XXXXXX")
trap 'rm -rf "$work"' EXIT
cases="wb:r1a:r1b wbnoudev:r1a:r1b mdadm:r1a:r1b wb:r1a wbnoudev:r1a mdadm:r1a"

boot() { # IRD image members...
	ird=$1 img=$2
	shift 2
	rm -rf "$work/d"
	mkdir -p "$work/d"
	args=
	for m in "$@"; do
		cp --sparse=always "$work/tmpl/$m.img" "$work/d/"
		args="$args --disk $work/d/$m.img"
	done
	# shellcheck disable=SC2086
	WBVM_EXCLUSIVE=1 "$repo/tests/vm/run-guest.sh" --kernel "$ird/chroot/vmlinux" \
		--initrd "$ird/images/$img/initrd.img" --timeout 300 $args \
		--append "root=/dev/md/root" initramfs-root >"$work/log" 2>&1 || {
		echo "bench: $img $* did not reach root; console in $work/log" >&2
		tail -n 20 "$work/log" >&2
		return 1
	}
	sed -n 's/^WBVM: TIME rootinit at=\([0-9.]*\)s.*/\1/p' "$work/log"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { echo "$1 $2" | awk '{ printf "%.2f", $1 / $2 }'; }

# bench_suite IRD: every case RUNS times, then its table
bench_suite() {
	ird=$1
	rm -rf "$work/tmpl" "$work"/t.*
	"$repo/tests/initramfs/mkroot.sh" "$ird/raid" "$ird/chroot" "$ird/images/wb/initrd.img" \
		"$busybox" "$work/tmpl" >/dev/null
	# rounds over all cases, so a change of the host's load hits every case alike
	i=0
	while [ $i -lt "$runs" ]; do
		for c in $cases; do
			# shellcheck disable=SC2046
			t=$(boot "$ird" $(echo "$c" | tr : ' ')) || return 1
			echo "$t" >>"$work/t.$c"
		done
		i=$((i + 1))
	done
	echo "== $(cat "$ird/chroot/suite"): $(awk '{ printf "%s%s %s", sep, $1, $2; sep = ", " }' "$ird/chroot/versions")"
	printf '%-34s %s\n' "case (kernel start -> root init)" "median s (runs)"
	for c in $cases; do
		# shellcheck disable=SC2046
		set -- $(echo "$c" | tr : ' ')
		label="$1 $([ $# -eq 3 ] && echo 'all members' || echo 'one missing')"
		m=$(median <"$work/t.$c")
		eval "t_$1_$#=$m"
		printf '%-34s %6s  (%s)\n' "$label" "$m" "$(tr '\n' ' ' <"$work/t.$c" | sed 's/ $//')"
	done
	# shellcheck disable=SC2154
	echo "ratio wb/default (udev kept):        all members $(ratio "$t_wb_3" "$t_mdadm_3"), one missing $(ratio "$t_wb_2" "$t_mdadm_2")"
	# shellcheck disable=SC2154
	echo "ratio wbnoudev/default (no udev):    all members $(ratio "$t_wbnoudev_3" "$t_mdadm_3"), one missing $(ratio "$t_wbnoudev_2" "$t_mdadm_2")"
}

for ird in "$@"; do
	[ -f "$ird/chroot/stamp" ] && [ -f "$ird/images/mdadm/initrd.img" ] ||
		{ echo "bench: fatal: no images in $ird (make initramfs-images SUITE=...)" >&2; exit 2; }
done
for ird in "$@"; do
	bench_suite "$ird" || exit 1
	echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
done
