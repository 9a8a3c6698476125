#!/bin/sh
# bench/initramfs.sh IRD [RUNS] -- time from the kernel's start to the real
# root's /sbin/init (its /proc/uptime, "WBVM: TIME rootinit at=") for the
# same kernel, the same disks and the same initramfs-tools image family
# (make initramfs-images): warmboot leading (image wb, udev kept; image
# wbnoudev, WARMBOOT_UDEV=no) vs Debian's default path (image mdadm: udev + mdadm --incremental + local-block/mdadm), with
# both RAID1 members present and with one missing.  Each case is booted RUNS
# times (default 3); the median is reported.  Guests run one at a time under
# /tmp/warmboot-vm.lock (qemu/TCG; absolute times depend on the host's load,
# the ratios are the point).
set -eu
ird=${1:?usage: initramfs.sh IRD [RUNS]} runs=${2:-3}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
vm=${CACHE:-$repo/.cache}/vm
work=$(mktemp -d "${TMPDIR:-/tmp}/wbbench.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$repo/tests/initramfs/mkroot.sh" "$ird/raid" "$ird/images/wb/initrd.img" "$vm/vmlinuz" \
	"$vm/root/bin/busybox" "$work/tmpl" >/dev/null

boot() { # image members...
	img=$1
	shift
	rm -rf "$work/d"
	mkdir -p "$work/d"
	args=
	for m in "$@"; do
		cp --sparse=always "$work/tmpl/$m.img" "$work/d/"
		args="$args --disk $work/d/$m.img"
	done
	# shellcheck disable=SC2086
	flock /tmp/warmboot-vm.lock "$repo/tests/vm/run-guest.sh" --vm "$vm" \
		--initrd "$ird/images/$img/initrd.img" --timeout 300 $args \
		--append "root=/dev/md/root" initramfs-root >"$work/log" 2>&1 || {
		echo "bench: $img $* did not reach root; console in $work/log" >&2
		tail -n 20 "$work/log" >&2
		return 1
	}
	sed -n 's/^WBVM: TIME rootinit at=\([0-9.]*\)s.*/\1/p' "$work/log"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

cases="wb:r1a:r1b wbnoudev:r1a:r1b mdadm:r1a:r1b wb:r1a wbnoudev:r1a mdadm:r1a"
# rounds over all cases, so a change of the host's load hits every case alike
i=0
while [ $i -lt "$runs" ]; do
	for c in $cases; do
		# shellcheck disable=SC2046
		t=$(boot $(echo "$c" | tr : ' ')) || exit 1
		echo "$t" >>"$work/t.$c"
	done
	i=$((i + 1))
done
printf '%-34s %s\n' "case (kernel start -> root init)" "median s (runs)"
for c in $cases; do
	# shellcheck disable=SC2046
	set -- $(echo "$c" | tr : ' ')
	label="$1 $([ $# -eq 3 ] && echo 'all members' || echo 'one missing')"
	m=$(median <"$work/t.$c")
	eval "t_$1_$#=$m"
	printf '%-34s %6s  (%s)\n' "$label" "$m" "$(tr '\n' ' ' <"$work/t.$c" | sed 's/ $//')"
done
ratio() { echo "$1 $2" | awk '{ printf "%.2f", $1 / $2 }'; }
# shellcheck disable=SC2154
{
	echo "ratio wb/default (udev kept):        all members $(ratio "$t_wb_3" "$t_mdadm_3"), one missing $(ratio "$t_wb_2" "$t_mdadm_2")"
	echo "ratio wbnoudev/default (no udev):    all members $(ratio "$t_wbnoudev_3" "$t_mdadm_3"), one missing $(ratio "$t_wbnoudev_2" "$t_mdadm_2")"
}
