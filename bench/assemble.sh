#!/bin/sh
# bench/assemble.sh -- in the VM rig's guest, same boot: warmboot assemble
# --scan against mdadm 4.2 --assemble --scan, for 4, 16 and 64 members (RAID5
# arrays of 4 made by mdadm, on virtio-scsi), three alternating rounds each.
# Prints the medians and the ratio. Needs make vm-fetch and helper/warmboot.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${CACHE:-$top/.cache}
. "$top/tests/vm/suite.sh"
vm=$VM_DIR
t=$top/tests/vm
work=$CACHE/bench-assemble
mkdir -p "$work"
"$t/mkinitramfs.sh" "$vm" "$work/wb.cpio" base modules tools "warmboot=$top/helper/warmboot"
for n in 4 16 64; do
	dir=$work/disks-$n
	if [ ! -f "$dir/stamp" ]; then
		rm -rf "$dir"
		mkdir -p "$dir"
		args=
		i=0
		while [ $i -lt $n ]; do
			truncate -s 8M "$dir/m$i.img"
			args="$args --scsi $dir/m$i.img"
			i=$((i + 1))
		done
		# shellcheck disable=SC2086
		WBVM_EXCLUSIVE=1 "$t/run-guest.sh" --vm "$vm" --initrd "$work/wb.cpio" \
			--append "wb.bench=create wb.ndisks=$n" --timeout 600 $args bench-assemble >"$work/create-$n.log" ||
			{ tail -n 20 "$work/create-$n.log"; exit 1; }
		echo "$args" >"$dir/stamp"
	fi
	# shellcheck disable=SC2046
	WBVM_EXCLUSIVE=1 "$t/run-guest.sh" --vm "$vm" --initrd "$work/wb.cpio" \
		--append "wb.ndisks=$n" --timeout 600 $(cat "$dir/stamp") bench-assemble >"$work/run-$n.log" ||
		{ tail -n 20 "$work/run-$n.log"; exit 1; }
	# sort() by hand: asort is gawk's, and bookworm's awk is mawk
	awk -v n=$n '/WBVM: TIME (warmboot|mdadm)-assemble/ {
		split($3, a, "-"); t = $4; sub("ms", "", t); v[a[1]] = v[a[1]] " " t }
		function sort(a, k,   i, j, x) {
			for (i = 2; i <= k; i++) { x = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
		}
		END {
			sort(w, split(v["warmboot"], w, " ")); sort(m, split(v["mdadm"], m, " "))
			printf "%2d members: warmboot %4d ms, mdadm %4d ms (medians of 3), ratio %.2f\n",
				n, w[2], m[2], m[2] ? w[2] / m[2] : 0
		}' "$work/run-$n.log"
done
