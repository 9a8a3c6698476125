#!/bin/sh
# run-guest.sh [options] SCENARIO -- boot a qemu (TCG) guest that runs
# /scenarios/SCENARIO, print its console on stdout, and exit 0 only if the
# console shows "WBVM: END rc=0" and no "WBVM: FAIL" line.
#   --vm DIR          cached artefacts (default $VM_DIR, or
#                     ${CACHE:-.cache}/vm-${SUITE:-bookworm}: tests/vm/suite.sh)
#   --initrd FILE     initramfs (default DIR/full.cpio)
#   --kernel FILE     kernel for -kernel (default DIR/vmlinux, PVH boot)
#   --log FILE        keep the console log here (default: a temp file)
#   --console-in FIFO the serial console also reads: what the caller writes
#                     into FIFO (made if absent) is typed on the guest's
#                     console (a passphrase once the log shows its prompt);
#                     qemu's pipe chardev, FIFO as its .in, the log as .out
#   --disk FILE       virtio-blk disk, serial = file name without .img
#   --scsi FILE       scsi-hd on one virtio-scsi controller, scsi-id 0,1,..
#                     in the order given, serial = file name without .img
#   --hba MODEL       (before --scsi) the --scsi disks sit behind MODEL:
#                     megasas, megasas-gen2, mptsas1068, lsi53c895a, pvscsi,
#                     am53c974, virtio-scsi-pci (scsi-hd), ich9-ahci (ide-hd),
#                     nvme (one controller per disk), virtio-blk-pci; /init
#                     does not wait for them (wb.ndisks leaves them out):
#                     wb.hba=MODEL wb.hbadisks=N
#   --in FILE         put FILE (by its base name) into a tar on a disk with
#                     serial wbin; the guest's /init unpacks it into /in
#   --out DIR         attach a 64 MiB disk (serial wbout); the guest tars /out
#                     onto it; unpacked into DIR afterwards
#   --append ARGS     more kernel command line
#   --timeout SECS    kill qemu after SECS (default 180)
#   --mem SIZE        guest memory (default 512M)
#   --device SPEC     one more qemu -device (e.g. i6300esb, a watchdog)
#   --reboot-ok       a guest reset reboots it (firmware, the same -kernel
#                     and -initrd) instead of ending qemu (-no-reboot)
#   --uefi ESP        boot through UEFI firmware instead of -kernel: q35 with
#                     SMM, OVMF's Secure Boot CODE read-only on pflash 0
#                     (WBVM_OVMF_CODE, default OVMF_CODE_4M.ms.fd) and a copy
#                     of its VARS (WBVM_OVMF_VARS, default OVMF_VARS_4M.ms.fd:
#                     Microsoft's keys enrolled, Secure Boot on) on pflash 1,
#                     a copy of the FAT image ESP on the q35 AHCI port (not
#                     counted in wb.ndisks), where mcopy puts the command line
#                     as /EFI/debian/cmdline.cfg: "set wbcmdline='...'" for
#                     the ESP's grub.cfg; --kernel, --initrd are not used
#   --ssh PORT        a virtio-net NIC on qemu's user-mode network with
#                     restrict=on (the guest reaches nothing outside) and
#                     only 127.0.0.1:PORT on the host forwarded to the
#                     guest's port 22 (tests/vm/ansible.bats); the guest
#                     configures 10.0.2.15/24 itself
# Guests share the machine: each runs on one host thread (round-robin TCG),
# and at most WBVM_SLOTS (default: the number of cores) run at once, from
# any process (slot locks /tmp/warmboot-vm.slotN). A benchmark sets
# WBVM_EXCLUSIVE=1: its guest waits until no other runs, and none starts
# beside it (/tmp/warmboot-vm.lock, shared by the others).
# Exit: 0 pass, 1 scenario failed, 2 usage, 3 timeout/hang/crash (no END).
set -eu
. "$(dirname "$0")/suite.sh"
vm=$VM_DIR
initrd= kernel= log= out= append= timeout=180 mem=512M
disks=0 nscsi=0 infiles= reboot_ok= hba= nhba=0 esp= conin=
qargs=$(mktemp)
trap 'rm -f "$qargs" "$tmplog" "$outimg" "$inimg" "$espimg" "$vars"; [ -z "$condir" ] || rm -rf "$condir"' EXIT
tmplog= outimg= inimg= espimg= vars= condir=

usage() { echo "usage: run-guest.sh [options] SCENARIO" >&2; exit 2; }
say() { printf 'run-guest: %s\n' "$*" >&2; }

# Arguments for qemu are collected one per line (paths must not hold newlines).
q() { for a in "$@"; do printf '%s\n' "$a" >>"$qargs"; done; }

addblk() {
	name=$(basename "$1" .img)
	q -drive "if=none,id=d$disks,file=$1,format=raw,cache=unsafe" \
		-device "virtio-blk-pci,drive=d$disks,serial=$name"
	disks=$((disks + 1))
}

# A --scsi disk behind the --hba controller hba0 (counted in nhba only).
addhba() {
	name=$(basename "$1" .img) id=h$nhba
	case $hba in
	nvme) dev="nvme,serial=$name" ;;
	virtio-blk-pci) dev="virtio-blk-pci,serial=$name" ;;
	ich9-ahci) dev="ide-hd,bus=hba0.$nhba,serial=$name" ;;
	megasas | megasas-gen2 | mptsas1068 | lsi53c895a | pvscsi | am53c974 | virtio-scsi-pci)
		dev="scsi-hd,bus=hba0.0,scsi-id=$nhba,lun=0,serial=$name" ;;
	*) say "unknown --hba $hba"; exit 2 ;;
	esac
	# a SAS address: Linux's mptsas makes no port for a phy whose attached
	# device has SAS address 0, which qemu reports for a disk without wwn
	case $hba in
	mptsas1068) dev="$dev,wwn=0x5000c5000000000$nhba" ;;
	esac
	case $nhba:$hba in 0:nvme | 0:virtio-blk-pci | [1-9]*) ;; *) q -device "$hba,id=hba0" ;; esac
	q -drive "if=none,id=$id,file=$1,format=raw,cache=unsafe" -device "$dev,drive=$id"
	nhba=$((nhba + 1))
}

scenario=
while [ $# -gt 0 ]; do
	case $1 in
	--vm) vm=$2; shift ;;
	--initrd) initrd=$2; shift ;;
	--kernel) kernel=$2; shift ;;
	--log) log=$2; shift ;;
	--console-in) conin=$2; shift ;;
	--disk) addblk "$2"; shift ;;
	--hba) hba=$2; shift ;;
	--scsi)
		[ -n "$hba" ] && { addhba "$2"; shift 2; continue; }
		[ $nscsi -eq 0 ] && q -device virtio-scsi-pci,id=scsi0
		name=$(basename "$2" .img)
		q -drive "if=none,id=d$disks,file=$2,format=raw,cache=unsafe" \
			-device "scsi-hd,bus=scsi0.0,scsi-id=$nscsi,lun=0,drive=d$disks,serial=$name"
		disks=$((disks + 1)) nscsi=$((nscsi + 1))
		shift ;;
	--in) infiles="$infiles
$2"; shift ;;
	--out) out=$2; shift ;;
	--append) append="$append $2"; shift ;;
	--timeout) timeout=$2; shift ;;
	--mem) mem=$2; shift ;;
	--device) q -device "$2"; shift ;;
	--reboot-ok) reboot_ok=1 ;;
	--uefi) esp=$2; shift ;;
	--ssh)
		case $2 in '' | *[!0-9]*) usage ;; esac
		q -netdev "user,id=net0,restrict=on,hostfwd=tcp:127.0.0.1:$2-:22" \
			-device virtio-net-pci,netdev=net0
		shift ;;
	-*) usage ;;
	*) [ -z "$scenario" ] || usage; scenario=$1 ;;
	esac
	shift
done
[ -n "$scenario" ] || usage
[ -n "$reboot_ok" ] || q -no-reboot
: "${initrd:=$vm/full.cpio}" "${kernel:=$vm/vmlinux}"
[ -n "$esp" ] || for f in "$initrd" "$kernel"; do
	[ -f "$f" ] || { say "fatal: missing $f (run make vm-fetch)"; exit 2; }
done
if [ -n "$infiles" ]; then
	inimg=$(mktemp)
	mkdir "$inimg.d"
	printf '%s\n' "$infiles" | sed '/^$/d' | while read -r f; do
		cp -r "$f" "$inimg.d/"
	done
	tar c -f "$inimg" -C "$inimg.d" .
	rm -rf "$inimg.d"
	addblk "$inimg"
	sed -i "\$s/serial=[^,]*\$/serial=wbin/" "$qargs"
fi
if [ -n "$out" ]; then
	outimg=$(mktemp)
	truncate -s 64M "$outimg"
	addblk "$outimg"
	# serial is derived from the name: give it the reserved one
	sed -i "\$s/serial=[^,]*\$/serial=wbout/" "$qargs"
fi
if [ -z "$log" ]; then
	tmplog=$(mktemp)
	log=$tmplog
fi
serial=file:$log
if [ -n "$conin" ]; then
	[ -p "$conin" ] || mkfifo "$conin"
	condir=$(mktemp -d)
	: >"$log"
	ln -s "$(readlink -f "$conin")" "$condir/con.in"
	ln -s "$(readlink -f "$log")" "$condir/con.out"
	serial=pipe:$condir/con
fi

# the guest dumps its tasks 15 s before the kill (guest uptime lags the host
# by the boot, so the dump lands a little before that)
dumpat=$((timeout > 30 ? timeout - 15 : timeout))
cmdline="console=ttyS0 panic=-1 loglevel=4 wb.scenario=$scenario wb.ndisks=$disks${hba:+ wb.hba=$hba wb.hbadisks=$nhba} wb.dumpat=$dumpat$append"
# One host thread for both vCPUs: with multi-threaded TCG, Debian's 6.1 and
# 6.12 kernels now and then die of "Oops: int3" in a jump label being
# patched while the other vCPU runs it (1 boot in 6 under load here); in
# round-robin TCG no vCPU runs while another's write is pending. ~17% slower.
tcg=${WBVM_TCG_THREAD:-single}
# How the kernel is reached: -kernel (PVH), or --uefi's firmware and ESP.
qboot="-M
pc
-kernel
$kernel
-initrd
$initrd
-append
$cmdline"
if [ -n "$esp" ]; then
	code=${WBVM_OVMF_CODE:-/usr/share/OVMF/OVMF_CODE_4M.ms.fd}
	for f in "$esp" "$code" "${WBVM_OVMF_VARS:=/usr/share/OVMF/OVMF_VARS_4M.ms.fd}"; do
		[ -f "$f" ] || { say "fatal: missing $f (--uefi: apt-get install ovmf)"; exit 2; }
	done
	vars=$(mktemp) espimg=$(mktemp)
	cp "$WBVM_OVMF_VARS" "$vars"
	cp --sparse=always "$esp" "$espimg"
	printf "set wbcmdline='%s'\n" "$cmdline" >"$espimg.cfg"
	mcopy -o -i "$espimg" "$espimg.cfg" ::/EFI/debian/cmdline.cfg || exit 2
	rm -f "$espimg.cfg"
	qboot="-M
q35,smm=on
-global
driver=cfi.pflash01,property=secure,value=on
-drive
if=pflash,format=raw,unit=0,readonly=on,file=$code
-drive
if=pflash,format=raw,unit=1,file=$vars
-drive
if=none,id=esp,file=$espimg,format=raw,cache=unsafe
-device
ide-hd,bus=ide.0,drive=esp"
fi
boot() {
	: >"$log"
	# shellcheck disable=SC2046 # one argument per line
	(IFS='
'; exec timeout -k 5 "$timeout" qemu-system-x86_64 $qboot -accel "tcg,thread=$tcg" -cpu qemu64 -smp 2 \
		-m "$mem" -nodefaults -no-user-config -display none -serial "$serial" \
		$(cat "$qargs")) </dev/null
}
# fd 7: the machine lock (shared, or exclusive for a benchmark); fd 8: a
# slot. Both stay open in qemu until it ends.
take_slot() {
	lockdir=${WBVM_LOCKDIR:-/tmp}
	exec 7>>"$lockdir/warmboot-vm.lock"
	if [ "${WBVM_EXCLUSIVE:-}" = 1 ]; then
		flock -x 7
		return
	fi
	flock -s 7
	slots=${WBVM_SLOTS:-$(nproc)}
	while :; do
		i=0
		while [ "$i" -lt "$slots" ]; do
			exec 8>>"$lockdir/warmboot-vm.slot$i"
			flock -n 8 && return
			i=$((i + 1))
		done
		exec 8>&-
		sleep 1
	done
}
take_slot
start=$(date +%s%N)
set +e
boot
qrc=$?
# A kernel that crashed before any userspace spoke (the rig's /init says
# WBVM: first thing, initramfs-tools' init "Loading, please wait...") touched
# no disk: TCG sometimes crashes a boot ("Oops: int3"), so boot again, twice
# at most. Once userspace ran, every ending counts.
died_in_kernel() {
	! grep -aq -e '^WBVM: ' -e 'Loading, please wait' -e '^Begin: ' "$log" &&
		grep -aq -e 'Oops' -e 'Kernel panic' -e 'BUG: ' -e 'general protection fault' "$log"
}
# A guest killed for a hang after the rig's /init said BEGIN but before it
# said its disks were ready ("WBVM: INFO init:") froze while loading the
# disk drivers with the whole guest stuck (not even the task dump came; a
# live guest that hung there has its dump and counts): no scenario ran, no
# disk was written. The same retry applies.
froze_in_coldplug() {
	{ [ $qrc -eq 124 ] || [ $qrc -eq 137 ]; } &&
		grep -aq '^WBVM: BEGIN' "$log" && ! grep -aq '^WBVM: INFO init: ' "$log" &&
		! grep -aq '^WBVM: INFO task dump' "$log"
}
tries=1
while [ $tries -lt 3 ] && { died_in_kernel || froze_in_coldplug; }; do
	say "boot $tries died before the scenario began (qemu rc=$qrc); console:"
	tr -d '\r' <"$log" | tail -n 20 | sed 's/^/run-guest:   /' >&2
	tries=$((tries + 1))
	start=$(date +%s%N)
	boot
	qrc=$?
done
set -e
end=$(date +%s%N)
# the serial console ends lines with \r\n; the log file is left as qemu wrote it
tr -d '\r' <"$log"
secs=$(( (end - start) / 1000000 ))
secs="$((secs / 1000)).$(printf %03d $((secs % 1000)))"

if [ -n "$out" ]; then
	mkdir -p "$out"
	tar x -C "$out" -f "$outimg" 2>/dev/null || say "no output tar on wbout disk"
fi
if [ $qrc -eq 124 ] || [ $qrc -eq 137 ]; then
	say "TIMEOUT: scenario $scenario killed after ${timeout}s; console log above"
	exit 3
fi
endline=$(tr -d '\r' <"$log" | grep -a '^WBVM: END rc=' | tail -n 1)
if [ -z "$endline" ]; then
	say "CRASH: scenario $scenario ended without a WBVM: END marker (qemu rc=$qrc) after ${secs}s"
	exit 3
fi
say "scenario $scenario: $endline, host wall ${secs}s"
if tr -d '\r' <"$log" | grep -aq '^WBVM: FAIL'; then exit 1; fi
case $endline in "WBVM: END rc=0 "* | "WBVM: END rc=0") exit 0 ;; esac
exit 1
