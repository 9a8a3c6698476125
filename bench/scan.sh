#!/bin/sh
# bench/scan.sh [N] -- scan N (default 240) md member images, warmboot against
# mdadm 4.2, same images, same run.  The images are copies of the real-mdadm
# fixtures (tests/fixtures/md) in a fake root (/sys/class/block + /dev), which
# helper/warmboot-rec scans like a machine's block devices; mdadm --examine
# --brief reads the same files (the host has no md driver to scan devices).
# mdadm is Debian's, run from the VM rig's cache (make vm-fetch) with its own
# ld.so, so nothing is installed on the host.
# Prints: wall time (median of 5), reads per device (strace), peak RSS.
set -eu
n=${1:-240}
top=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${CACHE:-$top/.cache}
. "$top/tests/vm/suite.sh"
vmroot=$VM_DIR/root
wb=$top/helper/warmboot-rec
[ -x "$wb" ] || { echo "bench/scan: fatal: build helper/warmboot-rec first" >&2; exit 1; }
[ -x "$vmroot/sbin/mdadm" ] || { echo "bench/scan: fatal: run make vm-fetch first" >&2; exit 1; }
ld=$vmroot/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2

work=${BENCH_WORK:-$(mktemp -d)}
[ -n "${BENCH_WORK:-}" ] || trap 'rm -rf "$work"' EXIT
root=$work/root
# a wrapper, so strace and time can run it like any command
mdadm=$work/mdadm
printf '#!/bin/sh\nexec "%s" --library-path "%s" "%s" "$@"\n' "$ld" \
	"$vmroot/lib/x86_64-linux-gnu:$vmroot/usr/lib/x86_64-linux-gnu" "$vmroot/sbin/mdadm" >"$mdadm"
chmod +x "$mdadm"
mkdir -p "$root/dev" "$root/sys/class/block" "$root/sys/devices/bench" "$root/proc"
members=$(awk '!/^#/ && $1 == $3 { print $1 }' "$top/tests/fixtures/md/members/layout")
for m in $members; do "$top/tests/fixtures/md/restore.sh" "$m" "$work/$m.img"; done
i=0
while [ $i -lt "$n" ]; do
	for m in $members; do
		[ $i -lt "$n" ] || break
		d=bd$i
		cp --sparse=always "$work/$m.img" "$root/dev/$d"
		mkdir -p "$root/sys/devices/bench/$d"
		echo "8:$((i * 16))" >"$root/sys/devices/bench/$d/dev"
		ln -s "../../devices/bench/$d" "$root/sys/class/block/$d"
		i=$((i + 1))
	done
done
files=$(ls -d "$root"/dev/bd*)

median_ms() { # command...
	for _r in 1 2 3 4 5; do
		_s=$(date +%s%N)
		"$@" >/dev/null 2>&1 || true
		echo $((($(date +%s%N) - _s) / 1000000))
	done | sort -n | sed -n 3p
}
reads_per_dev() { # command...
	strace -f -y -e trace=pread64,read -o "$work/trace" "$@" >/dev/null 2>&1 || true
	awk -v n="$n" '/<[^>]*\/dev\/bd[0-9]+>/ && /(pread64|read)\(/ { c++ } END { printf "%.1f", c / n }' "$work/trace"
}
rss_kb() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1; }

export WARMBOOT_ROOT=$root WARMBOOT_KMSG=0
# shellcheck disable=SC2086
t_md=$(median_ms "$mdadm" --examine --brief $files)
t_wb=$(median_ms "$wb" scan --brief)
# shellcheck disable=SC2086
r_md=$(reads_per_dev "$mdadm" --examine --brief $files)
r_wb=$(reads_per_dev "$wb" scan --brief)
# shellcheck disable=SC2086
m_md=$(rss_kb "$mdadm" --examine --brief $files)
m_wb=$(rss_kb "$wb" scan --brief)
# shellcheck disable=SC2086
same=$(if [ "$("$mdadm" --examine --brief $files | grep -c '^ARRAY')" = "$("$wb" scan --brief | grep -c '^ARRAY')" ]; then echo yes; else echo NO; fi)
printf '%s member images (%s arrays, same ARRAY lines count: %s)\n' "$n" \
	"$("$wb" scan --brief | grep -c '^ARRAY')" "$same"
printf '%-34s %10s %14s %10s\n' "" "wall (ms)" "reads/device" "peak RSS"
printf '%-34s %10s %14s %8s KiB\n' "mdadm 4.2 --examine --brief" "$t_md" "$r_md" "$m_md"
printf '%-34s %10s %14s %8s KiB\n' "warmboot scan --brief" "$t_wb" "$r_wb" "$m_wb"
awk -v a="$t_wb" -v b="$t_md" 'BEGIN { if (b > 0) printf "time ratio warmboot/mdadm: %.2f\n", a / b }'
