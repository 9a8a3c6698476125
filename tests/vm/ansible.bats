#!/usr/bin/env bats
# contrib/ansible with Debian's ansible-core on this host against two
# systemd guests (the package chroot with the warmboot .deb and the second
# kernel installed, openssh-server, python3; systemd as init), each reached
# over SSH at 127.0.0.1:PORT only (run-guest.sh --ssh: qemu's user-mode
# network, restrict=on, the one forward on loopback). Keys are made here for
# every run: a host key per guest (known_hosts, strict checking) and the
# client key the guests authorize (given to them on a --in disk). Guest side:
# scenarios/ansible-host (makes a RAID1 on vdb+vdc at first boot; with
# wbvm.noraid1 the second kernel's initrd loses raid1.ko).
#   - rolling-reboot.yml reboots hosta then hostb (serial 1) warm into the
#     kernel warmboot is told to boot; each comes back over SSH in it with
#     its RAID1 as before (md-state: same array, members, clean or
#     resyncing), checked again from here
#   - hosta's check fails (its new initrd lacks raid1): the play fails it
#     with warmboot's finding and stops; hostb is never touched (its boot
#     id and kernel are those of its first boot)
# The guests run in the background while ansible-playbook runs here; a
# guest waiting for a slot (run-guest.sh, WBVM_SLOTS) is waited for by the
# role's wait_for_connection (warmboot_connect_timeout).
# Per suite, with the package chroot (make package-chroot) and the .deb
# (make deb).
#   ANSIBLE_IMG_CACHE  where the guest image is kept (default $PKG_CACHE)
load vm_helper

load systemd_guest
setup() {
	systemd_guest_setup
	command -v ansible-playbook >/dev/null ||
		fail "ansible-playbook not installed (tests/vm/apt-packages: ansible-core)"
	command -v ssh-keygen >/dev/null || fail "ssh-keygen not installed (openssh-client)"
	GUEST_PIDS=()
	# Two guests at once: the other suite's run of this file (the matrix runs
	# suites side by side) must not hold one slot each and wait for the
	# second until the timeouts. One pair of guests at a time, machine-wide.
	exec 9>"${WBVM_LOCKDIR:-/tmp}/warmboot-vm.pair"
	flock 9
}

teardown() {
	local p
	for p in "${GUEST_PIDS[@]}"; do kill_tree "$p"; done
}

# kill_tree PID: PID and its descendants (run-guest.sh, timeout, qemu)
kill_tree() {
	local c
	for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do kill_tree "$c"; done
	kill "$1" 2>/dev/null || true
}

IMAGE_PKGS="openssh-server python3 python3-apt iproute2"

# The cached guest image (reduced: the second kernel installed), made if
# needed.
image() {
	local key dir=${ANSIBLE_IMG_CACHE:-$PKG_CACHE}
	key=$( { cat "$PKG_OUT"/warmboot_*.deb "$PKG_CACHE"/chroot-*/stamp "$VM_TOOLS/systemd-image.sh" \
		"$VM_TOOLS/scenarios/ansible-host"; echo "$IMAGE_PKGS"; } 2>/dev/null |
		sha256sum | cut -c1-16)
	IMG=$dir/vm-ansible-$key
	if [ ! -f "$IMG/stamp" ]; then
		mkdir -p "$dir"
		rm -rf "$dir"/vm-ansible-*
		WB_IMAGE_SCENARIO=ansible-host WB_IMAGE_PKGS=$IMAGE_PKGS \
			"$VM_TOOLS/systemd-image.sh" "$IMG" reduced || fail "systemd-image.sh failed"
	fi
	KVER=$(cat "$IMG/kver") KVER2=$(cat "$IMG/kver2")
}

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# guest NAME [APPEND]: start guest NAME in the background (its files in
# $BATS_TEST_TMPDIR/NAME: console.log, out, port), with a host key of its
# own and the client key authorized; its line in the inventory and
# known_hosts.
guest() {
	local n=$1 g=$BATS_TEST_TMPDIR/$1 port
	mkdir -p "$g/in"
	port=$(free_port)
	echo "$port" >"$g/port"
	ssh-keygen -q -t ed25519 -N '' -C "$n" -f "$g/in/ssh_host_ed25519_key"
	cp "$BATS_TEST_TMPDIR/client.pub" "$g/in/authorized_keys"
	echo "[127.0.0.1]:$port $(cut -d' ' -f1-2 "$g/in/ssh_host_ed25519_key.pub")" \
		>>"$BATS_TEST_TMPDIR/known_hosts"
	echo "$n ansible_host=127.0.0.1 ansible_port=$port" >>"$BATS_TEST_TMPDIR/hosts"
	cp --sparse=always "$IMG/root.img" "$g/root.img"
	truncate -s 64M "$g/mda.img" "$g/mdb.img"
	"$VM_TOOLS/run-guest.sh" --vm "$VM_DIR" --log "$g/console.log" \
		--kernel "$IMG/vmlinuz" --initrd "$IMG/initrd.img" --mem 1G --timeout 3000 \
		--ssh "$port" --disk "$g/root.img" --disk "$g/mda.img" --disk "$g/mdb.img" \
		--in "$g/in/ssh_host_ed25519_key" --in "$g/in/ssh_host_ed25519_key.pub" \
		--in "$g/in/authorized_keys" \
		--append "root=/dev/vda rw systemd.show_status=0 ${2:-}" \
		ansible-host >"$g/out" 2>&1 3>&- &
	GUEST_PIDS+=($!)
	echo $! >"$g/pid"
}

# the client key, the inventory head and an empty known_hosts
fleet() {
	local d=$BATS_TEST_TMPDIR
	ssh-keygen -q -t ed25519 -N '' -C ansible-bats -f "$d/client"
	: >"$d/known_hosts"
	echo '[warmboot]' >"$d/hosts"
	mkdir -p "$d/home"
	: >"$d/ansible.cfg"
}

# after the guests: the group's variables, and the lines given
fleet_vars() {
	local d=$BATS_TEST_TMPDIR
	{ cat <<EOF

[warmboot:vars]
ansible_user=root
ansible_ssh_private_key_file=$d/client
ansible_ssh_common_args='-o UserKnownHostsFile=$d/known_hosts -o StrictHostKeyChecking=yes'
ansible_python_interpreter=/usr/bin/python3
warmboot_kernel=$KVER2
warmboot_connect_timeout=3000
warmboot_reboot_timeout=1200
warmboot_report=$d/report
EOF
	printf '%s\n' "$@"; } >>"$d/hosts"
}

playbook() {
	local d=$BATS_TEST_TMPDIR
	run env HOME="$d/home" ANSIBLE_CONFIG="$d/ansible.cfg" ANSIBLE_NOCOLOR=1 \
		ANSIBLE_LOCAL_TEMP="$d/home/tmp" ansible-playbook -i "$d/hosts" \
		"$VM_REPO/contrib/ansible/rolling-reboot.yml"
	printf '%s\n' "$output" >"$d/playbook.log"
}

# on NAME CMD...: run CMD in guest NAME over ssh
on() {
	local g=$BATS_TEST_TMPDIR/$1
	shift
	ssh -n -o BatchMode=yes -o UserKnownHostsFile="$BATS_TEST_TMPDIR/known_hosts" \
		-o StrictHostKeyChecking=yes -o ConnectTimeout=20 -i "$BATS_TEST_TMPDIR/client" \
		-p "$(cat "$g/port")" root@127.0.0.1 "$@"
}

# started NAME: until guest NAME has its slot and boots (run-guest.sh
# starts its console log then), so the first batch's host is never the one
# left waiting for a slot while the other holds one
started() {
	local g=$BATS_TEST_TMPDIR/$1
	until [ -e "$g/console.log" ]; do
		kill -0 "$(cat "$g/pid")" 2>/dev/null || fail "$1 ended: $(cat "$g/out")"
		sleep 1
	done
}

# wait_ready NAME: until the guest's first boot says ready (it may wait
# for a slot first)
wait_ready() {
	local i=0 g=$BATS_TEST_TMPDIR/$1
	until grep -aq '^WBVM: INFO ready' "$g/console.log" 2>/dev/null; do
		kill -0 "$(cat "$g/pid")" 2>/dev/null || fail "$1 ended: $(cat "$g/out")"
		[ $i -lt 3000 ] || fail "$1 not ready after 3000 s"
		sleep 2
		i=$((i + 2))
	done
}

# finish NAME: end the guest (END, poweroff) and wait for run-guest.sh
# (not under `run`: its subshell cannot wait for the test's children)
finish() {
	local g=$BATS_TEST_TMPDIR/$1 rc=0
	on "$1" /usr/local/sbin/wbvm-systemd end || true
	wait "$(cat "$g/pid")" || rc=$?
	grep -a '^WBVM:' "$g/out" | sed "s/^/$1: /" >&3 || true
	return $rc
}

# the boot id the guest's first boot printed on its console (the log as
# qemu wrote it: lines end in \r\n)
first_boot_id() {
	tr -d '\r' <"$BATS_TEST_TMPDIR/$1/console.log" |
		sed -n 's/^WBVM: INFO release .* boot_id //p' | head -n 1
}

@test "ansible: rolling-reboot.yml reboots both hosts warm, one batch after the other, RAID1 intact" {
	image
	[ "$KVER" != "$KVER2" ] || fail "one kernel only"
	fleet
	guest hosta
	started hosta
	guest hostb
	# the .deb given: copied and installed by apt (the same version: nothing
	# to change, no trigger)
	# ansible takes a relative src as the role's files/: give it a whole path
	fleet_vars "warmboot_deb=$(readlink -f "$(ls "$PKG_OUT"/warmboot_*.deb | head -n 1)")"
	playbook
	cat "$BATS_TEST_TMPDIR/report" >&3 || true
	assert_success
	assert_output --regexp 'hosta +: ok=[0-9]+ +changed=[1-9][0-9]* +unreachable=0 +failed=0'
	assert_output --regexp 'hostb +: ok=[0-9]+ +changed=[1-9][0-9]* +unreachable=0 +failed=0'
	assert_line "changed: [hosta]"
	grep -A1 '^TASK \[warmboot : Install warmboot from the package\]' "$BATS_TEST_TMPDIR/playbook.log" |
		grep -qx 'ok: \[hosta\]' || fail "apt did not take the .deb on hosta"
	# serial 1: hostb's batch begins after hosta's reboot was proven
	local a_done b_begin
	a_done=$(grep -n 'hosta: kexec reboot into' "$BATS_TEST_TMPDIR/playbook.log" | cut -d: -f1)
	b_begin=$(grep -n '^ok: \[hostb\]' "$BATS_TEST_TMPDIR/playbook.log" | head -n 1 | cut -d: -f1)
	[ -n "$a_done" ] && [ -n "$b_begin" ] && [ "$a_done" -lt "$b_begin" ] ||
		fail "hostb began before hosta was done (lines $a_done, $b_begin)"
	assert_output --partial "hosta: kexec reboot into $KVER2 in "
	assert_output --partial "hostb: kexec reboot into $KVER2 in "
	# (trixie's release strings have a '+': 6.12.N+deb13-amd64)
	local k2re=${KVER2//./\\.}
	k2re=${k2re//+/\\+}
	run cat "$BATS_TEST_TMPDIR/report"
	assert_line --index 0 --regexp "^hosta via=kexec kernel=$k2re seconds=[0-9]+ at="
	assert_line --index 1 --regexp "^hostb via=kexec kernel=$k2re seconds=[0-9]+ at="
	local h
	for h in hosta hostb; do
		# checked again from here: the new kernel, a new boot, the RAID1
		run on "$h" 'uname -r; cat /proc/sys/kernel/random/boot_id; cat /proc/mdstat;
			/var/lib/warmboot-ansible/md-state check /var/lib/warmboot-ansible/md-before && echo md-same'
		assert_success
		assert_line --index 0 "$KVER2"
		refute_line "$(first_boot_id "$h")"
		assert_line md-same
		assert_output --regexp 'md[0-9]+ : active (\(auto-read-only\) )?raid1 vd[bc]\[[01]\] vd[bc]\[[01]\]'
		# the md-state the role recorded: one RAID1, both members
		run on "$h" cat /var/lib/warmboot-ansible/md-before
		assert_output --regexp '^uuid=[0-9a-f:-]+ level=raid1 disks=2 degraded=0 state=running members=0:virtio-mda,1:virtio-mdb$'
		finish "$h" || fail "$h: run-guest.sh exit $?: $(tail -n 5 "$BATS_TEST_TMPDIR/$h/out")"
		run grep -a '^WBVM:' "$BATS_TEST_TMPDIR/$h/out"
		assert_line --regexp "^WBVM: OK boot 2: $k2re, /dev/md[0-9]+ (clean|active|read-auto) data intact"
		refute_line --partial 'WBVM: FAIL'
		refute_line --regexp '^WBVM: BEGIN ansible-host stage=3'
	done
}

@test "ansible: a host whose check fails (initrd without raid1) is failed with warmboot's message; the rollout stops" {
	image
	fleet
	guest hosta wbvm.noraid1
	started hosta
	guest hostb
	fleet_vars
	playbook
	assert_failure
	assert_output --partial "warmboot check of $KVER2 failed: drivers: initrd lacks raid1, needed by the running arrays"
	assert_output --regexp 'hosta +: ok=[0-9]+ +changed=[0-9]+ +unreachable=0 +failed=1'
	# the second batch never began
	refute_output --partial '[hostb]'
	refute_output --regexp 'hostb +: ok='
	# hosta was not rebooted; hostb neither, and both still run their first kernel
	wait_ready hostb
	local h
	for h in hosta hostb; do
		run on "$h" 'uname -r; cat /proc/sys/kernel/random/boot_id'
		assert_success
		assert_line --index 0 "$KVER"
		assert_line --index 1 "$(first_boot_id "$h")"
	done
	run grep -a '^WBVM: OK initrd of' "$BATS_TEST_TMPDIR/hosta/console.log"
	assert_success
	for h in hosta hostb; do
		finish "$h" || fail "$h: run-guest.sh exit $?: $(tail -n 5 "$BATS_TEST_TMPDIR/$h/out")"
	done
}
