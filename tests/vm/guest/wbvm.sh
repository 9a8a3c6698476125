# wbvm.sh -- functions for guest scenarios (sourced; busybox sh).
# Markers, one per line on the console, are what the host judges by:
#   WBVM: OK <text>      a check passed          (ok TEXT)
#   WBVM: FAIL <text>    a check failed          (fail TEXT) -> END rc!=0
#   WBVM: INFO <text>    information             (info TEXT)
#   WBVM: SKIP <text>    a step not possible yet (skip TEXT)
#   WBVM: TIME <label> <seconds>                 (stamp LABEL / timed LABEL CMD)

ok() { echo "WBVM: OK $*"; }
info() { echo "WBVM: INFO $*"; }
skip() { echo "WBVM: SKIP $*"; }
fail() {
	echo "WBVM: FAIL $*"
	: >/run/wbvm.failed
}

# check TEXT CMD... -- run CMD; OK TEXT or FAIL TEXT (with exit status).
check() {
	_t=$1
	shift
	if "$@"; then ok "$_t"; else fail "$_t (rc=$?)"; fi
}

# wbvm_arg KEY -- value of KEY=VALUE on the kernel command line; the last
# one wins, as for the kernel's own parameters (each kexec of a chain
# appends its wb.kexec=N).
wbvm_arg() {
	_v= _f=1
	for _a in $(cat /proc/cmdline); do
		case $_a in "$1="*) _v=${_a#*=} _f=0 ;; esac
	done
	[ $_f = 0 ] && echo "$_v"
	return $_f
}

wbvm_uptime() { cut -d' ' -f1 /proc/uptime; }

# wbvm_has_module NAME -- the running kernel has module NAME, built in or in
# its tree (releases differ: no linear on 6.12, virtio_pci built in there)
wbvm_has_module() {
	_t=/lib/modules/$(uname -r)
	grep -q "/$1\.ko" "$_t/modules.builtin" "$_t/modules.dep" 2>/dev/null
}

# wbvm_dump_tasks -- what every task is doing: state, where it sleeps, its
# kernel stack; then the kernel's own blocked-task dump. For a guest about to
# be killed for a hang: the console then says what hung.
wbvm_dump_tasks() {
	echo "WBVM: INFO task dump at uptime=$(wbvm_uptime)"
	for _p in /proc/[0-9]*; do
		[ -r "$_p/stat" ] || continue
		# kernel threads have an empty cmdline: only their blocked ones count
		_c=$(tr '\000' ' ' <"$_p/cmdline" 2>/dev/null)
		_st=$(sed -n 's/^State:[[:space:]]*//p' "$_p/status" 2>/dev/null)
		case "$_c:$_st" in :D*) ;; :*) continue ;; esac
		echo "task ${_p#/proc/} [$_st] wchan=$(cat "$_p/wchan" 2>/dev/null) ${_c:-[$(cat "$_p/comm")]}"
		sed 's/^/    /' "$_p/stack" 2>/dev/null
	done
	# show_state() prints at KERN_INFO: raise the console level for it
	echo 7 >/proc/sys/kernel/printk
	echo w >/proc/sysrq-trigger
	sleep 1
	echo 4 >/proc/sys/kernel/printk
}

# Milliseconds since boot, from /proc/uptime (10 ms resolution; busybox
# date has no %N).
wbvm_ms() { awk '{ printf "%d\n", $1 * 1000 + 0.5 }' /proc/uptime; }

# timed LABEL CMD... -- run CMD, print "WBVM: TIME LABEL <ms>ms rc=<rc>" on
# the console (even when CMD's output is redirected), keep CMD's rc.
timed() {
	_l=$1
	shift
	_s=$(wbvm_ms)
	"$@"
	_rc=$?
	_e=$(wbvm_ms)
	echo "WBVM: TIME $_l $((_e - _s))ms rc=$_rc" >/dev/console
	return $_rc
}

# stamp LABEL -- print the guest uptime with a label.
stamp() { echo "WBVM: TIME $1 at=$(wbvm_uptime)s"; }

# wbvm_md_left -- md block devices still present. The kernel removes a
# stopped array's gendisk from a workqueue (mddev_delayed_delete), so
# /sys/block/mdN can outlive STOP_ARRAY for a moment: wait up to 10 s for
# them to go before naming what is left.
wbvm_md_left() {
	_i=0
	while ls /sys/block | grep -q '^md' && [ $_i -lt 100 ]; do
		usleep 100000
		_i=$((_i + 1))
	done
	ls /sys/block | grep '^md' | tr '\n' ' '
}

wbvm_count_disks() { ls /sys/block 2>/dev/null | grep -cE '^(vd|sd)'; }

# wbvm_wait_disks N SECONDS
wbvm_wait_disks() {
	_i=0
	while [ "$(wbvm_count_disks)" -lt "$1" ]; do
		_i=$((_i + 1))
		[ $_i -gt $(($2 * 10)) ] && return 1
		usleep 100000
	done
	return 0
}

# wbvm_disk_by_serial SERIAL -- /dev/NAME of the disk the host gave SERIAL
# (virtio-blk: /sys/block/X/serial; scsi-hd: VPD page 0x80).
wbvm_disk_by_serial() {
	for _b in /sys/block/vd* /sys/block/sd*; do
		[ -e "$_b" ] || continue
		if [ -r "$_b/serial" ]; then
			_s=$(cat "$_b/serial")
		elif [ -r "$_b/device/vpd_pg80" ]; then
			_s=$(tail -c +5 "$_b/device/vpd_pg80" | tr -d '\000 ')
		else
			continue
		fi
		[ "$_s" = "$1" ] && { echo "/dev/${_b##*/}"; return 0; }
	done
	return 1
}

# wbvm_disk_by_serial_of /dev/NAME -- the serial the host gave that disk
wbvm_disk_by_serial_of() {
	_b=/sys/block/${1#/dev/}
	if [ -r "$_b/serial" ]; then
		cat "$_b/serial"
	elif [ -r "$_b/device/vpd_pg80" ]; then
		tail -c +5 "$_b/device/vpd_pg80" | tr -d '\000 '
		echo
	else
		return 1
	fi
}

# wbvm_scsi_disk ID -- /dev/sdX of the scsi-hd with scsi-id=ID, lun 0.
wbvm_scsi_disk() {
	for _b in /sys/block/sd*; do
		_d=$(readlink "$_b/device")
		case ${_d##*/} in *:*:"$1":0) echo "/dev/${_b##*/}"; return 0 ;; esac
	done
	return 1
}
