#!/bin/sh
# bench/kexec.sh [RUNS] -- `warmboot load` vs `kexec -s -l` for the same
# kernel (the rig's bzImage) and initrd (the guest's re-packed rootfs), in the
# same guest boot: the kexec-warmboot scenario times both (WBVM: TIME lines,
# 10 ms resolution). Prints one line per run and the medians.
set -eu
runs=${1:-3}
top=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${CACHE:-$top/.cache}
. "$top/tests/vm/suite.sh"
vm=$VM_DIR
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$top/tests/vm/mkinitramfs.sh" "$vm" "$tmp/wb.cpio" base modules tools boot \
	"warmboot=$top/helper/warmboot" >/dev/null
i=1
while [ $i -le "$runs" ]; do
	WBVM_EXCLUSIVE=1 "$top/tests/vm/run-guest.sh" --vm "$vm" --initrd "$tmp/wb.cpio" --log "$tmp/log.$i" \
		--timeout 400 kexec-warmboot >/dev/null 2>&1 || { echo "run $i failed" >&2; exit 1; }
	k=$(sed -n 's/.*WBVM: TIME kexec-tools-load \([0-9]*\)ms.*/\1/p' "$tmp/log.$i" | head -n 1)
	w=$(sed -n 's/.*WBVM: TIME warmboot-load \([0-9]*\)ms.*/\1/p' "$tmp/log.$i" | head -n 1)
	echo "run $i: kexec -s -l ${k}ms, warmboot load ${w}ms"
	echo "$k" >>"$tmp/k"
	echo "$w" >>"$tmp/w"
	i=$((i + 1))
done
med() { sort -n "$1" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
echo "median: kexec -s -l $(med "$tmp/k")ms, warmboot load $(med "$tmp/w")ms (TCG guest)"
