#!/usr/bin/env bats
# VM tier for storage controllers (issue 16): per qemu controller, in a guest
# with no udev whose /init loads virtio only, `warmboot modules --storage`
# brings up the two disks behind it, a RAID1 mdadm made on them assembles by
# `warmboot assemble --scan`, `warmboot exec` reaches the same kernel again,
# where the controller, the array, its members and its checksum come back
# (scenario ctrl-raid1, run-guest.sh --hba).
load vm_helper
load kexec_md

# the drivers of every controller row, from the rig's own module tree
ctrl_modules=(
	kernel/drivers/scsi/megaraid/megaraid_sas.ko
	kernel/drivers/message/fusion/mptsas.ko
	kernel/drivers/scsi/sym53c8xx_2/sym53c8xx.ko
	kernel/drivers/scsi/vmw_pvscsi.ko
	kernel/drivers/scsi/am53c974.ko
	kernel/drivers/ata/ahci.ko
	kernel/drivers/nvme/host/nvme.ko
)

setup_file() {
	export BATS_NO_PARALLELIZE_WITHIN_FILE=true
}

setup() {
	vm_require
}

# ctrl_initrd: the rig's layers and the controller drivers, once per file
ctrl_initrd() {
	[ -f "$BATS_FILE_TMPDIR/ctrl.cpio" ] && return
	km_initrd "$BATS_FILE_TMPDIR/ctrl.cpio" base modules tools boot warmboot
	km_modules_layer "$BATS_FILE_TMPDIR/drivers.cpio" "${ctrl_modules[@]}"
	cat "$BATS_FILE_TMPDIR/drivers.cpio" >>"$BATS_FILE_TMPDIR/ctrl.cpio"
}

# ctrl_boot MODEL DRIVER: the whole scenario, both stages, on MODEL
ctrl_boot() {
	local d=$BATS_TEST_TMPDIR model=$1 driver=$2
	ctrl_initrd
	truncate -s 32M "$d/ca.img" "$d/cb.img"
	km_boot ctrl-raid1 --initrd "$BATS_FILE_TMPDIR/ctrl.cpio" --hba "$model" \
		--scsi "$d/ca.img" --scsi "$d/cb.img" --timeout 420 --mem 768M
	vm_markers
	assert_success
	assert_line --partial 'WBVM: BEGIN ctrl-raid1 stage=2'
	[ "$(grep -c "^WBVM: OK disks 2 behind $model when warmboot returned" <<<"$output")" = 2 ] ||
		fail "the disks did not come up in both kernels"
	[ "$(grep -c "^WBVM: OK driver $driver\$" <<<"$output")" = 2 ] || fail "driver is not $driver"
	assert_line --regexp '^WBVM: OK same as made by mdadm: level=raid1 members=ca,cb, sum=[0-9a-f]{64}$'
	assert_line --regexp '^WBVM: OK same level=raid1 members=ca,cb, sum=[0-9a-f]{64}$'
}

# bats test_tags=slice
@test "ctrl megasas (megaraid_sas): disks, RAID1 and both across warmboot exec" {
	ctrl_boot megasas megaraid_sas
}

# bats test_tags=slow
@test "ctrl megasas-gen2 (megaraid_sas): disks, RAID1 and both across warmboot exec" {
	ctrl_boot megasas-gen2 megaraid_sas
}

# bats test_tags=slow
@test "ctrl lsi53c895a (sym53c8xx): disks, RAID1 and both across warmboot exec" {
	ctrl_boot lsi53c895a sym53c8xx
}

# bats test_tags=slow
@test "ctrl pvscsi (vmw_pvscsi): disks, RAID1 and both across warmboot exec" {
	ctrl_boot pvscsi vmw_pvscsi
}

# bats test_tags=slow
@test "ctrl am53c974 (am53c974): disks, RAID1 and both across warmboot exec" {
	ctrl_boot am53c974 am53c974
}

# bats test_tags=slow
@test "ctrl ich9-ahci (ahci): disks, RAID1 and both across warmboot exec" {
	ctrl_boot ich9-ahci ahci
}

@test "ctrl nvme (nvme): disks, RAID1 and both across warmboot exec" {
	ctrl_boot nvme nvme
}

# bats test_tags=slow
@test "ctrl virtio-scsi-pci (virtio_scsi): disks, RAID1 and both across warmboot exec" {
	ctrl_boot virtio-scsi-pci virtio-pci
}

# bats test_tags=slow
@test "ctrl virtio-blk-pci (virtio_blk): disks, RAID1 and both across warmboot exec" {
	ctrl_boot virtio-blk-pci virtio-pci
}

# bats test_tags=slow
@test "ctrl mptsas1068 (mptsas): disks, RAID1 and both across warmboot exec" {
	ctrl_boot mptsas1068 mptsas
}

# mptsas1068 (tests/vm/README.md, "Controllers"): with a SAS address on each
# disk (run-guest.sh gives one) the SAS transport has a port and an end
# device per disk; qemu reports address 0 for a disk without wwn, and then
# Linux's mptsas makes no port, so no disk ever appears.
# bats test_tags=slow
@test "ctrl-probe mptsas1068: a port and an end device per disk, then the disks" {
	local d=$BATS_TEST_TMPDIR
	ctrl_initrd
	truncate -s 32M "$d/ca.img" "$d/cb.img"
	km_boot ctrl-probe --initrd "$BATS_FILE_TMPDIR/ctrl.cpio" --hba mptsas1068 \
		--scsi "$d/ca.img" --scsi "$d/cb.img" --timeout 200
	vm_markers
	assert_success
	assert_line --regexp 'dmesg: .*ioc0: LSISAS1068 A0'
	assert_line --regexp '^WBVM: INFO host[0-9]+: proc_name=mptsas '
	assert_line --regexp '^WBVM: INFO after 10 s: sas_host: host0 +sas_phy: 8 sas_port: 2 sas_end_device: end_device-0:0 end_device-0:1 $'
	assert_line 'WBVM: INFO after 10 s: block: sda sdb '
}
