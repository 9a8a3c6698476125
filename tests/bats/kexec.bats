#!/usr/bin/env bats
# kexec commands through the recording layer: the exact kexec_file_load and
# reboot calls, against the rig's real Debian bzImage (WB_VMLINUZ, WB_KVER,
# exported by mk/kexec.mk) and real mkinitramfs initrds (WB_KEXEC_FIXTURES).
load helper

setup() {
	setup_sealed
	require_kernel_artefacts
	mkdir -p "$R/boot" "$R/proc/sys/kernel" "$R/sys/kernel" "$R/run" "$R/dev/disk/by-uuid"
	cp "$WB_VMLINUZ" "$R/boot/vmlinuz-$KVER"
	cp "$WB_KEXEC_FIXTURES/itools-zstd.img" "$R/boot/initrd.img-$KVER"
	ln -s "boot/vmlinuz-$KVER" "$R/vmlinuz"
	ln -s "boot/initrd.img-$KVER" "$R/initrd.img"
	echo "BOOT_IMAGE=/boot/vmlinuz-$KVER root=UUID=1234 ro quiet warmboot.chain=/x initrd=/y" \
		>"$R/proc/cmdline"
	: >"$R/dev/disk/by-uuid/1234"
	echo 0 >"$R/proc/sys/kernel/kexec_load_disabled"
	echo 0 >"$R/sys/kernel/kexec_loaded"
	printf 'MemTotal: 2048000 kB\nMemAvailable: 1500000 kB\n' >"$R/proc/meminfo"
	export WARMBOOT_ROOT=$R
}

@test "load: default entry, running cmdline minus one-shot parameters, exact call" {
	run --separate-stderr "$WBREC" load --root "$R" --append "wb.test=1" --remove quiet
	assert_success
	assert_equal "$(calls)" "kexec_file_load $R/boot/vmlinuz-$KVER $R/boot/initrd.img-$KVER \"root=UUID=1234 ro wb.test=1\" 0x0"
	run cat "$R/run/warmboot/kexec"
	assert_line "kernel=$R/boot/vmlinuz-$KVER"
	assert_line "release=$KVER"
	assert_line "cmdline=root=UUID=1234 ro wb.test=1"
}

@test "load: kexec-tools spellings, --command-line replaces, no initrd sets NO_INITRAMFS" {
	run --separate-stderr "$WBREC" load -l -s "$R/boot/vmlinuz-$KVER" --initrd=/dev/null \
		--command-line="console=ttyS0" --append=x=1 --reuse-cmdline --force
	assert_success
	assert_equal "$(calls)" "kexec_file_load $R/boot/vmlinuz-$KVER /dev/null \"console=ttyS0 x=1\" 0x0"
	: >"$WARMBOOT_RECORD"
	rm "$R/boot/initrd.img-$KVER" "$R/initrd.img"
	run --separate-stderr "$WBREC" load "$R/boot/vmlinuz-$KVER" --command-line "root=UUID=1234"
	assert_success
	assert_equal "$(calls)" "kexec_file_load $R/boot/vmlinuz-$KVER - \"root=UUID=1234\" 0x4"
}

@test "load: truncated and non-kernel images are refused before the kernel sees them" {
	head -c 5000000 "$WB_VMLINUZ" >"$BATS_TEST_TMPDIR/vmlinuz-trunc"
	run --separate-stderr "$WBREC" load "$BATS_TEST_TMPDIR/vmlinuz-trunc" --force
	assert_failure 4
	assert_equal "$stderr" "warmboot: fatal: refusing to load $BATS_TEST_TMPDIR/vmlinuz-trunc: truncated: the setup header describes more bytes than the file has"
	run --separate-stderr "$WBREC" load /etc/passwd --force
	assert_failure 4
	assert_output ""
	[[ $stderr == *"not a bzImage"* ]]
	assert_equal "$(calls)" ""
}

@test "load: kernel errors are classified, exit 3" {
	local e
	for e in EKEYREJECTED:"signature rejected" EPERM:"permission denied" \
		ENOSYS:"no kexec_file_load in this kernel" ENOEXEC:"image not accepted" \
		ENOMEM:"out of memory"; do
		WARMBOOT_FAIL=kexec_file_load=${e%%:*} run --separate-stderr "$WBREC" load --root "$R"
		assert_failure 3
		[[ $stderr == *"refused: ${e#*:}"* ]] || fail "${e%%:*}: $stderr"
	done
	echo 1 >"$R/proc/sys/kernel/kexec_load_disabled"
	WARMBOOT_FAIL=kexec_file_load=EPERM run --separate-stderr "$WBREC" load --root "$R" --force
	assert_failure 3
	[[ $stderr == *"refused: kexec disabled"* ]]
	echo 0 >"$R/proc/sys/kernel/kexec_load_disabled"
	mkdir -p "$R/sys/kernel/security"
	echo "none [integrity] confidentiality" >"$R/sys/kernel/security/lockdown"
	WARMBOOT_FAIL=kexec_file_load=EPERM run --separate-stderr "$WBREC" load --root "$R"
	assert_failure 3
	[[ $stderr == *"refused: signature rejected"* ]]
	[ ! -e "$R/run/warmboot/kexec" ]
}

@test "load: fatal check findings refuse unless --force; missing initrd is a clear error" {
	echo "root=/dev/nonexistent ro" >"$R/proc/cmdline"
	run --separate-stderr "$WBREC" load --root "$R"
	assert_failure 1
	[[ $stderr == *"root=/dev/nonexistent names nothing on this system"* ]]
	assert_equal "$(calls)" ""
	run --separate-stderr "$WBREC" load --root "$R" --force
	assert_success
	run --separate-stderr "$WBREC" load --root "$R" --initrd /nonexistent --force
	assert_failure 3
	assert_equal "$stderr" "warmboot: fatal: unable to open initrd /nonexistent: No such file or directory"
}

@test "exec: refuses when nothing is loaded; syncs, quiesces md, reboots with KEXEC" {
	run --separate-stderr "$WBREC" exec
	assert_failure 4
	[[ $stderr == *"no kernel is loaded"* ]]
	assert_equal "$(calls)" ""
	echo 1 >"$R/sys/kernel/kexec_loaded"
	mkdir -p "$R/sys/block/md0/md" "$R/sys/block/md1/md" "$R/sys/block/md2/md" "$R/proc/self"
	echo active >"$R/sys/block/md0/md/array_state"
	echo 9:0 >"$R/sys/block/md0/dev"
	echo clean >"$R/sys/block/md1/md/array_state"
	echo 9:1 >"$R/sys/block/md1/dev"
	echo inactive >"$R/sys/block/md2/md/array_state"
	echo "36 1 9:0 / / rw,relatime shared:1 - ext4 /dev/md0 rw" >"$R/proc/self/mountinfo"
	run --separate-stderr "$WBREC" exec
	assert_failure 3	# the recording reboot returns
	assert_equal "$(calls)" "sync
open_dev /dev/md1 0x80
ioctl /dev/md1 STOP_ARRAY
write /sys/block/md0/md/array_state \"clean\"
sync
reboot 0x45584543"
}

@test "reboot: load then systemctl kexec under systemd, direct exec otherwise" {
	echo 1 >"$R/sys/kernel/kexec_loaded"
	run --separate-stderr "$WBREC" reboot --root "$R"
	assert_failure 3
	assert_equal "$(calls)" "kexec_file_load $R/boot/vmlinuz-$KVER $R/boot/initrd.img-$KVER \"root=UUID=1234 ro quiet\" 0x0
sync
sync
reboot 0x45584543"
	: >"$WARMBOOT_RECORD"
	mkdir -p "$R/run/systemd/system" "$R/usr/bin"
	printf '#!/bin/sh\necho "systemctl $*" >>"$WARMBOOT_RECORD"\n' >"$R/usr/bin/systemctl"
	chmod +x "$R/usr/bin/systemctl"
	run --separate-stderr "$WBREC" reboot --root "$R"
	assert_success
	assert_equal "$(calls)" "kexec_file_load $R/boot/vmlinuz-$KVER $R/boot/initrd.img-$KVER \"root=UUID=1234 ro quiet\" 0x0
systemctl kexec"
}

@test "status and unload" {
	run --separate-stderr "$WBREC" status
	assert_failure 1
	assert_line "loaded: no"
	"$WBREC" load --root "$R" 2>/dev/null
	echo 1 >"$R/sys/kernel/kexec_loaded"
	run --separate-stderr "$WBREC" status --json
	assert_success
	[[ $output == *"\"loaded\": true"* || $output == *"\"loaded\":true"* ]]
	[[ $output == *"\"release\": \"$KVER\""* || $output == *"\"release\":\"$KVER\""* ]]
	: >"$WARMBOOT_RECORD"
	run --separate-stderr "$WBREC" unload
	assert_success
	assert_equal "$(calls)" 'kexec_file_load - - "" 0x1'
	[ ! -e "$R/run/warmboot/kexec" ]
}

@test "check: real mkinitramfs initrds (zstd, xz, gzip behind an early cpio) pass" {
	local c
	for c in zstd xz gzip; do
		run --separate-stderr "$WBREC" check --root "$R" --initrd "$WB_KEXEC_FIXTURES/itools-$c.img"
		assert_success
		assert_line --regexp "^ok +kernel .*Linux $KVER"
		assert_line --regexp "^ok +initrd .*cpio \(5 files\) \+ $c \([0-9]+ files\)"
		assert_line --regexp "^ok +modules +initrd holds /lib/modules/$KVER"
	done
}

@test "check: running raid1 on virtio needs raid1 and virtio_blk; missing ones are fatal" {
	mkdir -p "$R/sys/block/md0/slaves" "$R/sys/devices/pci0000:00/0000:00:05.0/virtio2/block/vda/vda1" \
		"$R/sys/bus/pci/drivers/virtio-pci" "$R/sys/bus/virtio/drivers/virtio_blk" "$R/sys/module/virtio_blk" "$R/sys/module/virtio_pci"
	local d=$R/sys/devices/pci0000:00/0000:00:05.0
	ln -s ../../../../module/virtio_blk "$R/sys/bus/virtio/drivers/virtio_blk/module"
	ln -s ../../../../module/virtio_pci "$R/sys/bus/pci/drivers/virtio-pci/module"
	ln -s ../../../bus/pci/drivers/virtio-pci "$d/driver"
	ln -s ../../../../bus/virtio/drivers/virtio_blk "$d/virtio2/driver"
	ln -s ../.. "$d/virtio2/block/vda/device"
	: >"$d/virtio2/block/vda/vda1/partition"
	ln -s ../../../devices/pci0000:00/0000:00:05.0/virtio2/block/vda/vda1 "$R/sys/block/md0/slaves/vda1"
	printf 'Personalities : [raid1]\nmd0 : active raid1 vda1[0]\n      1000 blocks super 1.2 [2/1] [U_]\n' >"$R/proc/mdstat"
	run --separate-stderr "$WBREC" check --root "$R" --initrd "$WB_KEXEC_FIXTURES/itools-zstd.img"
	assert_line --regexp "^ok +drivers +initrd holds raid1"
	assert_line --regexp "^ok +drivers +initrd holds virtio_blk"
	assert_line --regexp "^(ok|warning|fatal) +drivers +.*virtio_pci"
	assert_line --regexp "^fatal +md +initrd holds neither warmboot nor mdadm"
	assert_failure 1
	run --separate-stderr "$WBREC" check --root "$R" --initrd "$WB_KEXEC_FIXTURES/plain.cpio" --json
	[[ $output == *'"level": "warning", "check": "drivers", "text": "initrd lacks raid1'* ||
	   $output == *'"level":"warning","check":"drivers","text":"initrd lacks raid1'* ]] || fail "$output"
}

@test "check: an auto-read-only array needs its personality in the initrd too" {
	printf 'Personalities : [raid1]\nmd0 : active (auto-read-only) raid1 vda1[0] vdb1[1]\n      1000 blocks super 1.2 [2/2] [UU]\n' >"$R/proc/mdstat"
	run --separate-stderr "$WBREC" check --root "$R" --initrd "$WB_KEXEC_FIXTURES/plain.cpio" --json
	[[ $output == *'"level": "warning", "check": "drivers", "text": "initrd lacks raid1'* ||
	   $output == *'"level":"warning","check":"drivers","text":"initrd lacks raid1'* ]] || fail "$output"
}

@test "check: malformed initrds and a zstd bomb are clear fatal findings" {
	run --separate-stderr "$WBREC" check --root "$R" --initrd "$WB_KEXEC_FIXTURES/corrupt.img"
	assert_failure 1
	assert_line --regexp "^fatal +initrd .*corrupt.img: corrupt zstd data"
	run --separate-stderr "$WBREC" check --root "$R" --initrd "$WB_KEXEC_FIXTURES/truncated.cpio"
	assert_failure 1
	assert_line --regexp "^fatal +initrd .*truncated"
	run --separate-stderr "$WBREC" check --root "$R" --initrd "$WB_KEXEC_FIXTURES/bomb.zst"
	assert_failure 1
	assert_line --regexp "^fatal +initrd .*declares more output than the memory limit \(1099511627776 bytes declared"
	run --separate-stderr "$WBREC" check --root "$R" --initrd "$WB_KEXEC_FIXTURES/other-kver.img"
	assert_failure 1
	assert_line --regexp "^fatal +modules +initrd holds modules for 5.10.0-99-amd64, the kernel is $KVER"
	run --separate-stderr "$WBREC" check --root "$R" --initrd /nonexistent
	assert_failure 1
	assert_line --regexp "^fatal +initrd +/nonexistent: No such file or directory"
}

@test "check: cmdline limit, missing root=, kexec disabled, lockdown without signature" {
	run --separate-stderr "$WBREC" check --root "$R" --command-line "$(printf 'x%.0s' $(seq 1 2100))"
	assert_failure 1
	assert_line --regexp "^fatal +cmdline +command line of 2100 bytes, the kernel takes at most 2047"
	assert_line --regexp "^warning +root +no root="
	# --append repeats and accumulates, as for load
	run --separate-stderr "$WBREC" check --root "$R" --command-line "ro" --append a=1 \
		--append "b=2 c" --json
	[[ $output == *'"cmdline":"ro a=1 b=2 c"'* || $output == *'"cmdline": "ro a=1 b=2 c"'* ]] ||
		fail "cmdline not accumulated: $output"
	echo 1 >"$R/proc/sys/kernel/kexec_load_disabled"
	run --separate-stderr "$WBREC" check --root "$R"
	assert_failure 1
	assert_line --regexp "^fatal +kexec +kexec is disabled"
}

@test "entries: Debian tree with grub submenus and grubenv, --json" {
	run --separate-stderr "$WBREC" entries --root "$FIXTURES/boot/debian" --json
	assert_success
	[[ $output == *'"source": "grub"'*'"default": true'* || $output == *'"source":"grub"'* ]] || fail "$output"
	run --separate-stderr "$WBREC" entries --root "$FIXTURES/boot/debian"
	assert_line --index 0 "  debian 6.1.0-56-amd64 (Debian kernel 6.1.0-56-amd64)"
	assert_line "* grub 6.1.0-9-amd64 (Debian GNU/Linux, with Linux 6.1.0-9-amd64)"
	run --separate-stderr "$WBREC" entries --root "$BATS_TEST_TMPDIR/empty"
	assert_failure 1
}

# ctrl_disk DISK PCI DRIVER HOST: a SCSI disk behind the PCI controller PCI
# (driver DRIVER, SCSI host HOST) in the fixture tree
ctrl_disk() {
	local dev=$R/sys/devices/pci0000:00/$2 h=$4
	mkdir -p "$R/sys/block" "$R/sys/bus/pci/drivers/$3" "$dev/$h/scsi_host/$h" \
		"$dev/$h/target${h#host}:0:0/${h#host}:0:0:0/block/$1"
	ln -sfn "../../../bus/pci/drivers/$3" "$dev/driver"
	ln -sfn ../../.. "$dev/$h/target${h#host}:0:0/${h#host}:0:0:0/block/$1/device"
	ln -sfn "../devices/pci0000:00/$2/$h/target${h#host}:0:0/${h#host}:0:0:0/block/$1" "$R/sys/block/$1"
}

@test "check: each storage controller with its driver and disks; hpsa not resettable is refused (4) unless --force" {
	ctrl_disk sda 0000:00:03.0 megaraid_sas host0
	ctrl_disk sdb 0000:00:03.0 megaraid_sas host0
	ctrl_disk sdc 0000:00:05.0 hpsa host1
	echo 1 >"$R/sys/devices/pci0000:00/0000:00:05.0/host1/scsi_host/host1/resettable"
	mkdir -p "$R/sys/block/md0" "$R/sys/block/loop0"	# no device: not a disk
	run --separate-stderr "$WBREC" check --root "$R"
	assert_success
	assert_line --regexp "^ok +storage +controller 0000:00:03.0 megaraid_sas: sda sdb$"
	assert_line --regexp "^ok +storage +controller 0000:00:05.0 hpsa: sdc$"
	echo 0 >"$R/sys/devices/pci0000:00/0000:00:05.0/host1/scsi_host/host1/resettable"
	run --separate-stderr "$WBREC" check --root "$R"
	assert_failure 4
	assert_line --regexp "^fatal +storage +controller 0000:00:05.0 hpsa: sdc: not resettable: .* https://www.kernel.org/doc/html/latest/scsi/hpsa.html$"
	assert_line --regexp "^ok +storage +controller 0000:00:03.0 megaraid_sas: sda sdb$"
	run --separate-stderr "$WBREC" check --root "$R" --force
	assert_success
	assert_line --regexp "^warning +storage +controller 0000:00:05.0 hpsa: sdc: "
	run --separate-stderr "$WBREC" check --root "$R" --json
	assert_failure 4
	[[ $output == *'"level":"fatal","check":"storage","text":"controller 0000:00:05.0 hpsa'* ||
	   $output == *'"level": "fatal", "check": "storage", "text": "controller 0000:00:05.0 hpsa'* ]] || fail "$output"
}

@test "exec: a refused controller stops the jump before any effect (4); --force warns and jumps" {
	echo 1 >"$R/sys/kernel/kexec_loaded"
	ctrl_disk sda 0000:00:05.0 hpsa host0
	echo 0 >"$R/sys/devices/pci0000:00/0000:00:05.0/host0/scsi_host/host0/resettable"
	run --separate-stderr "$WBREC" exec
	assert_failure 4
	assert_equal "$stderr" "warmboot: fatal: controller 0000:00:05.0 hpsa: sda: not resettable: the next kernel cannot take it over live https://www.kernel.org/doc/html/latest/scsi/hpsa.html (--force to jump)"
	assert_equal "$(calls)" ""
	run --separate-stderr "$WBREC" exec --force
	assert_failure 3	# the recording reboot returns
	[[ ${stderr%%$'\n'*} == "warmboot: warning: controller 0000:00:05.0 hpsa: sda: not resettable: "*hpsa.html ]] || fail "$stderr"
	assert_equal "$(calls)" "sync
sync
reboot 0x45584543"
}
