#!/bin/sh
# demo.sh -- warmboot end to end in qemu (make demo).
#  1. installs the apt packages in tests/vm/apt-packages that are missing
#  2. builds helper/warmboot (a failure is reported, the demo goes on)
#  3. fetches the Debian kernel and reference tools (cached) of the suite:
#     DEMO_SUITE or SUITE, default trixie (Debian's stable release)
#  4. guest 1: mdadm creates a RAID1 and a RAID5 on five blank disks
#  5. guest 2 (no mdadm, no kexec-tools): warmboot loads the md modules,
#     assembles and shows the arrays, then kexecs the same kernel with a
#     changed command line; every step with its guest time
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
CACHE=${CACHE:-$repo/.cache}
SUITE=${DEMO_SUITE:-${SUITE:-trixie}}
# the suite's own artefacts, whatever VM_DIR an outer make exported
VM_DIR=
. "$here/suite.sh"
export CACHE
vm=$VM_DIR
t0=$(date +%s)

say() { printf '\n== %s  [+%ss]\n' "$*" $(($(date +%s) - t0)); }

say "1. packages"
# every list the build and the rig need (tests/install-deps.sh installs only
# what is missing, and needs root only then)
"$repo/tests/install-deps.sh"

say "2. build helper/warmboot"
if make -C "$repo" helper/warmboot; then
	wb=$repo/helper/warmboot
	"$wb" --version | head -n 1
else
	echo "demo: helper/warmboot did not build; the guest runs without it"
	wb=
fi

say "3. kernel and reference tools"
"$here/fetch.sh" "$vm" "$SUITE"
echo "suite $SUITE, kernel $(cat "$vm/kver")"

work=$vm/demo
rm -rf "$work"
mkdir -p "$work/out"
for d in d1a d1b d5a d5b d5c; do truncate -s 24M "$work/$d.img"; done
disks="--disk $work/d1a.img --disk $work/d1b.img --disk $work/d5a.img --disk $work/d5b.img --disk $work/d5c.img"

# live GUEST-LOG -- follow a console log, printing the WBVM lines, until PID ends
live() {
	tail -n +1 -F --pid="$2" "$1" 2>/dev/null | sed -u -n 's/\r$//; s/^WBVM: /   /p'
}

say "4. guest 1: mdadm creates RAID1 + RAID5"
"$here/mkinitramfs.sh" "$vm" "$work/tools.cpio" base modules tools
: >"$work/create.log"
# shellcheck disable=SC2086
"$here/run-guest.sh" --vm "$vm" --initrd "$work/tools.cpio" --log "$work/create.log" \
	--out "$work/out" --timeout 180 $disks demo-create >/dev/null 2>"$work/create.err" &
pid=$!
live "$work/create.log" $pid
wait $pid || { cat "$work/create.err" >&2; echo "demo: fatal: guest 1 failed, log $work/create.log" >&2; exit 1; }

say "5. guest 2: warmboot does the work (no mdadm, no kexec-tools inside)"
layers="base modules boot"
[ -n "$wb" ] && layers="$layers warmboot=$wb"
# shellcheck disable=SC2086
"$here/mkinitramfs.sh" "$vm" "$work/wb.cpio" $layers
: >"$work/warmboot.log"
# shellcheck disable=SC2086
"$here/run-guest.sh" --vm "$vm" --initrd "$work/wb.cpio" --log "$work/warmboot.log" \
	--in "$work/out/manifest" --timeout 240 $disks demo-warmboot >/dev/null 2>"$work/warmboot.err" &
pid=$!
live "$work/warmboot.log" $pid
rc=0
wait $pid || rc=$?
cat "$work/warmboot.err" >&2

say "summary"
todo=$(grep -a '^WBVM: STEP .* to-come' "$work/warmboot.log" | awk '{ print $3 }' | tr '\n' ' ')
[ -n "$todo" ] && echo "still to come in warmboot: $todo"
echo "console logs: $work/create.log $work/warmboot.log"
if [ $rc -ne 0 ]; then
	echo "demo: FAILED (guest 2 rc=$rc)"
	exit 1
fi
echo "demo: OK on $SUITE (kernel $(cat "$vm/kver")) in $(($(date +%s) - t0))s"
