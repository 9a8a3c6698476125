# build_md_root DIR: a fake / for helper/warmboot-rec made from the md
# fixtures (tests/fixtures/md): dev/sdX images with the superblocks real
# mdadm wrote, and /sys/class/block entries, named as in the guest that
# captured them (capture/disks.txt), partitions nested in their disks.
build_md_root() {
	local root=$1 fx=$FIXTURES/md n=0 name dev base line
	mkdir -p "$root/dev" "$root/sys/class/block" "$root/sys/devices/fake" \
		"$root/sys/block" "$root/proc" "$root/etc" "$root/run"
	while read -r name dev; do
		base=${dev#/dev/}
		n=$((n + 1))
		"$fx/restore.sh" "$name" "$root/dev/$base"
		mkdir -p "$root/sys/devices/fake/$base"
		echo "8:$((n * 16))" >"$root/sys/devices/fake/$base/dev"
		ln -s "../../devices/fake/$base" "$root/sys/class/block/$base"
	done <"$fx/capture/disks.txt"
	# partitions: NAME SIZE DISK OFFSET with NAME != DISK
	awk '$1 != $3 && $1 !~ /^#/' "$fx/members/layout" | while read -r name size disk off; do
		dev=$(awk -v d="$disk" '$1 == d { print $2 }' "$fx/capture/disks.txt")
		base=${dev#/dev/}
		part=${name#"$disk"}
		"$fx/restore.sh" "$name" "$root/dev/$base$part"
		mkdir -p "$root/sys/devices/fake/$base/$base$part"
		read -r line <"$root/sys/devices/fake/$base/dev"
		echo "${line%%:*}:$((${line#*:} + part))" >"$root/sys/devices/fake/$base/$base$part/dev"
		echo "$part" >"$root/sys/devices/fake/$base/$base$part/partition"
		echo $((off / 512)) >"$root/sys/devices/fake/$base/$base$part/start"
		ln -s "../../devices/fake/$base/$base$part" "$root/sys/class/block/$base$part"
	done
	echo "root=/dev/md/r1 quiet" >"$root/proc/cmdline"
	# personalities registered: no module tree needed to assemble
	printf 'Personalities : [raid0] [raid1] [raid6] [raid5] [raid4] [raid10] [linear]\nunused devices: <none>\n' \
		>"$root/proc/mdstat"
}

# The fixture member NAME's device in the fake root ("r0a" -> /dev/sdb).
fixture_dev() {
	awk -v n="$1" '$1 == n { print $2 }' "$FIXTURES/md/capture/disks.txt"
}

# setup_file of the md bats files: one fake root per file, in MDROOT.
md_root_setup_file() {
	FIXTURES=$(cd "$BATS_TEST_DIRNAME/../fixtures" && pwd)
	export MDROOT=$BATS_FILE_TMPDIR/root
	build_md_root "$MDROOT"
}

# setup of the md bats files: a sealed test with its own copy of MDROOT.
md_root_setup() {
	setup_sealed
	export WARMBOOT_ROOT=$BATS_TEST_TMPDIR/root
	cp -a "$MDROOT" "$WARMBOOT_ROOT"
}

# patch NAME FIELD=VALUE...: rewrite the fixture member's superblock.
patch() { python3 "$TOP/tests/tools/mdpatch.py" "$WARMBOOT_ROOT$(fixture_dev "$1")" "${@:2}"; }
uuid_of() { awk -v n="$1" '$2 == n { print $7 }' "$FIXTURES/md/capture/manifest"; }
